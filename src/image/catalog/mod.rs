//! Catalogers: from files in an image to installed packages.
//!
//! A cataloger says which files it needs while layers stream by ([`Cataloger::wants`]),
//! without seeing their content; the layer walk keeps just those. After the walk it reads them
//! from the merged view ([`ImageFiles`]) and returns [`Package`]s with their evidence and the
//! layer that introduced them.
//!
//! What catalogers share lives in `database` (the OS catalogers: package databases kept at
//! every layer, distro purls) and `extract` (the language catalogers: one record per file,
//! condensed while streaming); `FoundIn::package` builds a [`Package`] for either.

use std::fmt;

pub mod accounts;
pub mod apk;
mod database;
pub mod dpkg;
mod extract;
pub mod rpm;
#[cfg(test)]
pub(crate) mod testing;

// Language catalogers: packages installed in the image (not lockfiles).
pub mod dotnet;
pub mod golang;
pub mod java;
pub mod npm;
pub mod php;
pub mod python;
pub mod ruby;
pub mod rust;

use serde::Serialize;

/// Where a package's versions and advisories come from. Names follow the OSV ecosystem list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Ecosystem {
    Debian,
    Ubuntu,
    Alpine,
    /// RPM-based distributions (Red Hat, Fedora, Rocky, Alma, SUSE, Amazon…): see the distro.
    Rpm,
    PyPI,
    #[serde(rename = "npm")]
    Npm,
    Go,
    #[serde(rename = "crates.io")]
    CratesIo,
    Maven,
    RubyGems,
    Packagist,
    NuGet,
}

impl Ecosystem {
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Debian => "Debian",
            Ecosystem::Ubuntu => "Ubuntu",
            Ecosystem::Alpine => "Alpine",
            Ecosystem::Rpm => "RPM",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Npm => "npm",
            Ecosystem::Go => "Go",
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Maven => "Maven",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::NuGet => "NuGet",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The distribution an image is built on, from `/etc/os-release` (or `/usr/lib/os-release`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Distro {
    /// `ID`: `debian`, `alpine`, `rhel`, `ubuntu`…
    pub id: String,
    /// `VERSION_ID`: `12`, `3.20.1`, `9.4`…
    pub version_id: Option<String>,
    /// `VERSION_CODENAME`: `bookworm`…
    pub codename: Option<String>,
    pub pretty_name: Option<String>,
}

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    /// The package advisories are keyed by: dpkg `Source:`, apk origin, the source RPM.
    /// Equal to name/version when the package is its own source.
    pub source_name: Option<String>,
    pub source_version: Option<String>,
    pub ecosystem: Ecosystem,
    /// Package URL (purl spec), e.g. `pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12`.
    pub purl: String,
    pub arch: Option<String>,
    /// Absolute paths in the image of the files that prove the package is installed.
    pub evidence: Vec<String>,
    /// Index (in manifest order) of the layer that introduced this package at this version.
    pub layer: Option<usize>,
    /// Name of the cataloger that found it (`dpkg`, `python`…).
    pub cataloger: &'static str,
}

/// Where a cataloger found packages: the file that proves them, the layer that introduced them,
/// and which cataloger it is.
#[derive(Debug, Clone, Copy)]
struct FoundIn<'a> {
    evidence: &'a str,
    layer: Option<usize>,
    cataloger: &'static str,
}

impl FoundIn<'_> {
    /// A package that is its own source and has no architecture, as language packages are; the
    /// OS catalogers set `source_*` and `arch` over it.
    fn package(self, ecosystem: Ecosystem, name: String, version: String, purl: String) -> Package {
        Package {
            source_name: Some(name.clone()),
            source_version: Some(version.clone()),
            name,
            version,
            ecosystem,
            purl,
            arch: None,
            evidence: vec![self.evidence.to_string()],
            layer: self.layer,
            cataloger: self.cataloger,
        }
    }
}

/// What a cataloger wants of a file it sees during the layer walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Want {
    No,
    /// The content as in the final image (latest layer that wrote it, unless deleted).
    Final,
    /// The content as written by every layer (package databases: which layer introduced a
    /// package is the first whose database lists it at its final version).
    EveryLayer,
    /// The bytes, once, while streaming: [`Cataloger::extract`] condenses them (a Go binary's
    /// build info) and only the extract is kept. Lets huge binaries be cataloged in bounded
    /// memory.
    Extract,
}

/// What a cataloger knows about a file while the layer streams by.
#[derive(Debug, Clone, Copy)]
pub struct EntryInfo<'a> {
    /// Absolute, normalised path: `/usr/lib/python3/dist-packages/x.dist-info/METADATA`.
    pub path: &'a str,
    pub size: u64,
    /// Unix permission bits (including setuid/setgid/sticky).
    pub mode: u32,
}

impl EntryInfo<'_> {
    pub fn is_executable(&self) -> bool {
        self.mode & 0o111 != 0
    }
}

/// The merged image filesystem, as catalogers see it after the walk.
pub trait ImageFiles {
    /// Final content of a file a cataloger wanted (`Final` or `EveryLayer`), or the extract
    /// (`Extract`); `None` if absent from the final image or not kept. Symlinks are resolved
    /// within the image root.
    fn read(&self, path: &str) -> Option<&[u8]>;
    /// Every kept path present in the final image, sorted.
    fn paths(&self) -> Vec<&str>;
    /// The layer that wrote the final version of `path`.
    fn layer_of(&self, path: &str) -> Option<usize>;
    /// For `EveryLayer` files: each layer's version, oldest first, as `(layer, content)`.
    fn versions(&self, path: &str) -> Vec<(usize, &[u8])>;
    /// The distribution, if the image has an os-release file.
    fn distro(&self) -> Option<&Distro>;
}

/// Turns files into packages.
pub trait Cataloger: Send + Sync {
    /// Short name, used as `Package::cataloger` and in diagnostics.
    fn name(&self) -> &'static str;
    /// Decided from the path, size and mode alone: what to keep of this file.
    fn wants(&self, entry: &EntryInfo<'_>) -> Want;
    /// For [`Want::Extract`]: condenses a file's bytes to what `catalog` needs later. `None`
    /// means nothing of interest (not a Go binary, say).
    fn extract(&self, _path: &str, _bytes: &[u8]) -> Option<Vec<u8>> {
        None
    }
    /// Reads the kept files and returns packages. Problems with one file (a corrupt database)
    /// go to `problems` with the path; the rest is still cataloged.
    fn catalog(&self, files: &dyn ImageFiles, problems: &mut Vec<String>) -> Vec<Package>;
}

/// The OS package catalogers: dpkg (`status` and distroless `status.d/`), apk, and rpm (SQLite,
/// Berkeley DB and NDB databases), plus the account files the hygiene checks read (no
/// packages).
pub fn os_catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![
        Box::new(dpkg::DpkgCataloger),
        Box::new(apk::ApkCataloger),
        Box::new(rpm::RpmCataloger),
        Box::new(accounts::AccountsCataloger),
    ]
}

/// Percent-encodes a purl component (name, version, qualifier value) as the purl spec asks.
pub fn purl_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Builds `pkg:TYPE/NAMESPACE/NAME@VERSION?k=v&…` with encoding; qualifiers with empty values
/// are left out and the rest sorted by key, as the spec's canonical form wants.
pub fn purl(
    kind: &str,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    qualifiers: &[(&str, &str)],
) -> String {
    let mut out = format!("pkg:{kind}/");
    if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
        let segments: Vec<String> = ns.split('/').map(purl_encode).collect();
        out.push_str(&segments.join("/"));
        out.push('/');
    }
    out.push_str(&purl_encode(name));
    if !version.is_empty() {
        out.push('@');
        out.push_str(&purl_encode(version));
    }
    let mut qualifiers: Vec<_> = qualifiers.iter().filter(|(_, v)| !v.is_empty()).collect();
    qualifiers.sort_by_key(|(k, _)| *k);
    for (n, (key, value)) in qualifiers.iter().enumerate() {
        out.push(if n == 0 { '?' } else { '&' });
        out.push_str(key);
        out.push('=');
        out.push_str(&purl_encode(value));
    }
    out
}

/// The language catalogers (Python, Node, Go and Rust binaries, Java archives, Ruby, PHP,
/// .NET), each reading installed-package evidence anywhere in the image.
pub fn language_catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![
        Box::new(python::PythonCataloger),
        Box::new(npm::NpmCataloger),
        Box::new(golang::GoCataloger),
        Box::new(rust::RustCataloger),
        Box::new(java::JavaCataloger),
        Box::new(ruby::RubyCataloger),
        Box::new(php::PhpCataloger),
        Box::new(dotnet::DotnetCataloger),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_are_canonical() {
        assert_eq!(
            purl(
                "deb",
                Some("debian"),
                "bash",
                "5.2.15-2+b2",
                &[("distro", "debian-12"), ("arch", "amd64")]
            ),
            "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12"
        );
        assert_eq!(
            purl("npm", Some("@babel"), "core", "7.0.0", &[]),
            "pkg:npm/%40babel/core@7.0.0"
        );
        assert_eq!(
            purl("pypi", None, "requests", "2.31.0", &[("x", "")]),
            "pkg:pypi/requests@2.31.0"
        );
    }
}
