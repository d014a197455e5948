//! Debian packages: dpkg's database `/var/lib/dpkg/status`, and the per-package files of
//! distroless images under `/var/lib/dpkg/status.d/`.
//!
//! Both are RFC 822-style paragraphs separated by blank lines; a line starting with a space or
//! tab continues the previous field. A package counts when its files are on disk at the listed
//! version: `Status:`'s third word (the current state) is `installed`, `triggers-pending`,
//! `triggers-awaited`, `half-configured` or `unpacked`. The first two words (the selection and
//! the error flag) do not matter: a `hold ok installed` package is as installed as an
//! `install ok installed` one. `config-files`, `half-installed` and `not-installed` entries
//! are left out. Distroless `status.d` entries often have no `Status:` at all and count.
//!
//! The introducing layer comes from every layer's version of the database
//! (`database::installed`), so an upgrade in layer 3 is blamed on layer 3 and a base package
//! on the base layer, however many later layers rewrote the status file.

use super::database::{self, Identity, Listed, Namespace};
use super::{Cataloger, Ecosystem, EntryInfo, FoundIn, ImageFiles, Package, Want};

/// dpkg's database.
pub const STATUS: &str = "/var/lib/dpkg/status";
/// Distroless images: one file per package (or group of packages).
pub const STATUS_DIR: &str = "/var/lib/dpkg/status.d/";

/// States in which a package's files are on disk at its listed version.
const ON_DISK: &[&str] = &[
    "installed",
    "triggers-pending",
    "triggers-awaited",
    "half-configured",
    "unpacked",
];

/// Reads dpkg's status database and distroless `status.d` entries.
#[derive(Debug, Clone, Copy, Default)]
pub struct DpkgCataloger;

impl Cataloger for DpkgCataloger {
    fn name(&self) -> &'static str {
        "dpkg"
    }

    fn wants(&self, entry: &EntryInfo<'_>) -> Want {
        if entry.path == STATUS || is_status_d_entry(entry.path) {
            Want::EveryLayer
        } else {
            Want::No
        }
    }

    fn catalog(&self, files: &dyn ImageFiles, problems: &mut Vec<String>) -> Vec<Package> {
        let namespace = Namespace::new(files.distro(), Some("debian"));
        let databases = std::iter::once(STATUS)
            .chain(files.paths().into_iter().filter(|p| is_status_d_entry(p)));
        database::installed(files, databases, self.name(), parse_status, problems)
            .into_iter()
            .map(|(entry, found)| entry.into_package(&namespace, found))
            .collect()
    }
}

fn is_status_d_entry(path: &str) -> bool {
    path.strip_prefix(STATUS_DIR)
        .is_some_and(|name| !name.is_empty() && !name.contains('/') && !name.ends_with(".md5sums"))
}

/// One package paragraph, with only the fields a scanner needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DpkgEntry {
    pub name: String,
    pub version: String,
    pub arch: Option<String>,
    pub source_name: Option<String>,
    /// The version in `Source: name (version)`, for binNMUs and other binaries whose version
    /// differs from their source's.
    pub source_version: Option<String>,
}

impl Listed for DpkgEntry {
    fn identity(&self) -> Identity {
        (self.name.clone(), self.arch.clone(), self.version.clone())
    }
}

impl DpkgEntry {
    fn into_package(self, namespace: &Namespace, found: FoundIn<'_>) -> Package {
        let purl = namespace.purl("deb", &self.name, &self.version, self.arch.as_deref(), &[]);
        let source_name = self.source_name.unwrap_or_else(|| self.name.clone());
        let source_version = self.source_version.unwrap_or_else(|| self.version.clone());
        Package {
            source_name: Some(source_name),
            source_version: Some(source_version),
            arch: self.arch,
            ..found.package(ecosystem(namespace), self.name, self.version, purl)
        }
    }
}

/// Ubuntu for `ubuntu`; Debian for Debian and its derivatives, and when the image has no
/// os-release.
fn ecosystem(namespace: &Namespace) -> Ecosystem {
    if namespace.id() == Some("ubuntu") {
        Ecosystem::Ubuntu
    } else {
        Ecosystem::Debian
    }
}

/// Parses a status file (or a `status.d` entry) into the packages whose files are on disk.
/// Never fails: unreadable paragraphs are reported to `problems` with the path and skipped.
pub fn parse_status(content: &[u8], path: &str, problems: &mut Vec<String>) -> Vec<DpkgEntry> {
    if content.contains(&0) {
        problems.push(format!("{path}: not a dpkg status file (binary content)"));
        return Vec::new();
    }
    let text = String::from_utf8_lossy(content);
    let mut out = Vec::new();
    let mut paragraph = Paragraph::default();
    let mut line_number = 0usize;
    let mut start = 1usize;
    for line in text.lines() {
        line_number += 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if !paragraph.is_empty() {
                paragraph.finish(path, start, &mut out, problems);
                paragraph = Paragraph::default();
            }
            start = line_number + 1;
            continue;
        }
        if line.starts_with([' ', '\t']) {
            // A continuation line: only multi-line fields (Description, Conffiles) have them,
            // and none of those is read.
            continue;
        }
        match line.split_once(':') {
            Some((field, value)) => paragraph.set(field.trim(), value.trim()),
            None => {
                problems.push(format!(
                    "{path}: line {line_number}: not a `Field: value` line"
                ));
            }
        }
    }
    if !paragraph.is_empty() {
        paragraph.finish(path, start, &mut out, problems);
    }
    out
}

#[derive(Debug, Default)]
struct Paragraph {
    package: Option<String>,
    version: Option<String>,
    status: Option<String>,
    arch: Option<String>,
    source: Option<String>,
    any: bool,
}

impl Paragraph {
    fn is_empty(&self) -> bool {
        !self.any
    }

    fn set(&mut self, field: &str, value: &str) {
        self.any = true;
        let slot = if field.eq_ignore_ascii_case("Package") {
            &mut self.package
        } else if field.eq_ignore_ascii_case("Version") {
            &mut self.version
        } else if field.eq_ignore_ascii_case("Status") {
            &mut self.status
        } else if field.eq_ignore_ascii_case("Architecture") {
            &mut self.arch
        } else if field.eq_ignore_ascii_case("Source") {
            &mut self.source
        } else {
            return;
        };
        *slot = Some(value.to_string()).filter(|v| !v.is_empty());
    }

    fn finish(self, path: &str, line: usize, out: &mut Vec<DpkgEntry>, problems: &mut Vec<String>) {
        if let Some(status) = &self.status {
            let state = status.split_whitespace().nth(2).unwrap_or("");
            if !ON_DISK.contains(&state) {
                return;
            }
        }
        let (Some(name), Some(version)) = (self.package, self.version) else {
            problems.push(format!(
                "{path}: the paragraph at line {line} has no Package or no Version field"
            ));
            return;
        };
        let (source_name, source_version) = match self.source {
            Some(source) => split_source(&source),
            None => (None, None),
        };
        out.push(DpkgEntry {
            name,
            version,
            arch: self.arch,
            source_name,
            source_version,
        });
    }
}

/// `Source: name (version)` → (name, version); `Source: name` → (name, None).
fn split_source(source: &str) -> (Option<String>, Option<String>) {
    let (name, version) = match source.split_once('(') {
        Some((name, rest)) => {
            let version = rest.split_once(')').map_or(rest, |(v, _)| v).trim();
            (name.trim(), Some(version).filter(|v| !v.is_empty()))
        }
        None => (source.trim(), None),
    };
    (
        Some(name.to_string()).filter(|n| !n.is_empty()),
        version.map(str::to_string),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    use crate::image::catalog::testing::{shared_file, TestImage};
    use crate::image::catalog::Distro;

    fn paragraph(name: &str, version: &str, extra: &str) -> String {
        format!(
            "Package: {name}\nStatus: install ok installed\nPriority: optional\n\
             Architecture: amd64\n{extra}Version: {version}\nDescription: {name}\n \
             a longer description\n .\n with a paragraph break\n\n"
        )
    }

    fn find<'a>(packages: &'a [Package], name: &str) -> &'a Package {
        packages
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} not found in {packages:#?}"))
    }

    #[test]
    fn wants_only_the_databases() {
        let want = |path| {
            DpkgCataloger.wants(&EntryInfo {
                path,
                size: 10,
                mode: 0o644,
            })
        };
        assert_eq!(want("/var/lib/dpkg/status"), Want::EveryLayer);
        assert_eq!(want("/var/lib/dpkg/status.d/base"), Want::EveryLayer);
        assert_eq!(want("/var/lib/dpkg/status.d/base.md5sums"), Want::No);
        assert_eq!(want("/var/lib/dpkg/status-old"), Want::No);
        assert_eq!(want("/var/lib/dpkg/status.d/"), Want::No);
        assert_eq!(want("/var/lib/dpkg/status.d/a/b"), Want::No);
        assert_eq!(want("/var/lib/dpkg/available"), Want::No);
        assert_eq!(want("/srv/var/lib/dpkg/status"), Want::No);
    }

    #[test]
    fn fields_status_and_source() {
        let status = [
            paragraph("bash", "5.2.15-2+b13", "Source: bash (5.2.15-2)\n"),
            paragraph("libattr1", "1:2.5.1-4", "Source: attr\n"),
            paragraph("adduser", "3.134", ""),
            "Package: held\nStatus: hold ok installed\nArchitecture: all\nVersion: 1\n\n".into(),
            "Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 2\n\n"
                .into(),
            "Package: broken\nStatus: install reinstreq half-installed\nVersion: 3\n\n".into(),
            "Package: purged\nStatus: purge ok not-installed\n\n".into(),
            "Package: unpacked\nStatus: install ok unpacked\nVersion: 4\n".into(),
        ]
        .concat();
        let image = TestImage::new().os("debian", "12").file(0, STATUS, status);
        let (packages, problems) = image.run(&DpkgCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<&str> = packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["bash", "libattr1", "adduser", "held", "unpacked"]);

        let bash = find(&packages, "bash");
        assert_eq!(bash.version, "5.2.15-2+b13");
        assert_eq!(bash.source_name.as_deref(), Some("bash"));
        assert_eq!(bash.source_version.as_deref(), Some("5.2.15-2"));
        assert_eq!(bash.ecosystem, Ecosystem::Debian);
        assert_eq!(bash.arch.as_deref(), Some("amd64"));
        assert_eq!(
            bash.purl,
            "pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12"
        );
        assert_eq!(bash.evidence, [STATUS]);
        assert_eq!(bash.layer, Some(0));
        assert_eq!(bash.cataloger, "dpkg");

        let attr = find(&packages, "libattr1");
        assert_eq!(attr.source_name.as_deref(), Some("attr"));
        assert_eq!(attr.source_version.as_deref(), Some("1:2.5.1-4"));
        assert_eq!(
            attr.purl,
            "pkg:deb/debian/libattr1@1%3A2.5.1-4?arch=amd64&distro=debian-12"
        );
        let adduser = find(&packages, "adduser");
        assert_eq!(adduser.source_name.as_deref(), Some("adduser"));
        assert_eq!(adduser.source_version.as_deref(), Some("3.134"));
        assert_eq!(find(&packages, "unpacked").arch, None);
    }

    #[test]
    fn ubuntu_and_derivatives_and_no_os_release() {
        let status = paragraph("zlib1g", "1:1.3.dfsg-3.1ubuntu2", "Source: zlib\n");
        let ubuntu = TestImage::new()
            .os("ubuntu", "24.04")
            .file(0, STATUS, &status);
        let (packages, _) = ubuntu.run(&DpkgCataloger);
        assert_eq!(packages[0].ecosystem, Ecosystem::Ubuntu);
        assert_eq!(
            packages[0].purl,
            "pkg:deb/ubuntu/zlib1g@1%3A1.3.dfsg-3.1ubuntu2?arch=amd64&distro=ubuntu-24.04"
        );

        let sid = TestImage::new()
            .with_distro(Distro {
                id: "debian".into(),
                codename: Some("trixie".into()),
                ..Distro::default()
            })
            .file(0, STATUS, &status);
        assert!(sid.run(&DpkgCataloger).0[0]
            .purl
            .ends_with("?arch=amd64&distro=debian-trixie"));

        let kali = TestImage::new()
            .os("kali", "2024.2")
            .file(0, STATUS, &status);
        let (packages, _) = kali.run(&DpkgCataloger);
        assert_eq!(packages[0].ecosystem, Ecosystem::Debian);
        assert!(packages[0].purl.starts_with("pkg:deb/kali/zlib1g@"));

        let bare = TestImage::new().file(0, STATUS, &status);
        let (packages, _) = bare.run(&DpkgCataloger);
        assert_eq!(
            packages[0].purl,
            "pkg:deb/debian/zlib1g@1%3A1.3.dfsg-3.1ubuntu2?arch=amd64"
        );
    }

    #[test]
    fn distroless_status_d() {
        // As in gcr.io/distroless: one file per package, no Status field, plus md5sums.
        let base = "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n\
                    Maintainer: Santiago Vila <sanvila@debian.org>\nDescription: base\n";
        let libc = "Package: libc6\nSource: glibc\nVersion: 2.36-9+deb12u4\n\
                    Architecture: amd64\nMulti-Arch: same\n";
        let image = TestImage::new()
            .os("debian", "12")
            .file(0, "/var/lib/dpkg/status.d/base", base)
            .file(
                0,
                "/var/lib/dpkg/status.d/base.md5sums",
                "d41d8cd98f  etc/x\n",
            )
            .file(1, "/var/lib/dpkg/status.d/libc6", libc)
            .file(1, "/var/lib/dpkg/status.d/libc6.md5sums", "\0\u{1}garbage");
        let (packages, problems) = image.run(&DpkgCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(packages.len(), 2);
        let libc6 = find(&packages, "libc6");
        assert_eq!(libc6.source_name.as_deref(), Some("glibc"));
        assert_eq!(libc6.source_version.as_deref(), Some("2.36-9+deb12u4"));
        assert_eq!(libc6.evidence, ["/var/lib/dpkg/status.d/libc6"]);
        assert_eq!(libc6.layer, Some(1));
        assert_eq!(find(&packages, "base-files").layer, Some(0));
    }

    #[test]
    fn layer_attribution_add_upgrade_remove() {
        let base = [
            paragraph("base-files", "12.4", ""),
            paragraph("libssl3", "3.0.11-1~deb12u1", "Source: openssl\n"),
            paragraph("tar", "1.34+dfsg-1.2", ""),
        ];
        // Layer 1 touches something else; layer 2 installs curl; layer 3 upgrades curl and
        // libssl3; layer 4 removes tar and rewrites the file once more; layer 5 is empty.
        let layer2 = [&base[..], &[paragraph("curl", "7.88.1-10", "")]].concat();
        let layer3 = [
            base[0].clone(),
            paragraph("libssl3", "3.0.13-1~deb12u1", "Source: openssl\n"),
            base[2].clone(),
            paragraph("curl", "7.88.1-10+deb12u5", ""),
        ];
        let layer4 = [layer3[0].clone(), layer3[1].clone(), layer3[3].clone()];
        let image = TestImage::new()
            .os("debian", "12")
            .file(0, STATUS, base.concat())
            .file(1, "/etc/hostname", "x")
            .file(2, STATUS, layer2.concat())
            .file(3, STATUS, layer3.concat())
            .file(4, STATUS, layer4.concat())
            .file(5, "/etc/motd", "hi");
        let (packages, problems) = image.run(&DpkgCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        let layers: Vec<(&str, &str, Option<usize>)> = packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.layer))
            .collect();
        assert_eq!(
            layers,
            [
                ("base-files", "12.4", Some(0)),
                ("libssl3", "3.0.13-1~deb12u1", Some(3)),
                ("curl", "7.88.1-10+deb12u5", Some(3)),
            ]
        );
    }

    #[test]
    fn reinstalled_or_downgraded_is_blamed_on_the_layer_that_did_it() {
        let v1 = paragraph("curl", "7.88.1-10", "");
        let v2 = paragraph("curl", "7.88.1-10+deb12u5", "");
        let other = paragraph("tar", "1.34", "");
        let image = TestImage::new()
            .file(0, STATUS, [&*v1, &*other].concat())
            .file(1, STATUS, [&*v2, &*other].concat())
            .file(2, STATUS, [&*v1, &*other].concat());
        let (packages, _) = image.run(&DpkgCataloger);
        assert_eq!(find(&packages, "curl").layer, Some(2), "downgrade");
        assert_eq!(find(&packages, "tar").layer, Some(0));

        let image = TestImage::new()
            .file(0, STATUS, [&*v1, &*other].concat())
            .file(1, STATUS, &other)
            .file(2, STATUS, [&*v1, &*other].concat());
        let (packages, _) = image.run(&DpkgCataloger);
        assert_eq!(
            find(&packages, "curl").layer,
            Some(2),
            "removed then reinstalled"
        );
    }

    #[test]
    fn deleted_database_means_no_packages() {
        let image = TestImage::new()
            .file(0, STATUS, paragraph("bash", "5.2", ""))
            .delete(1, STATUS);
        let (packages, problems) = image.run(&DpkgCataloger);
        assert!(packages.is_empty());
        assert!(problems.is_empty());
    }

    #[test]
    fn multiarch_packages_are_distinct() {
        let status = [
            paragraph("libc6", "2.36-9", "Source: glibc\n"),
            paragraph("libc6", "2.36-9", "Source: glibc\n").replace("amd64", "i386"),
        ]
        .concat();
        let (packages, _) = TestImage::new().file(0, STATUS, status).run(&DpkgCataloger);
        let arches: Vec<_> = packages.iter().map(|p| p.arch.as_deref()).collect();
        assert_eq!(arches, [Some("amd64"), Some("i386")]);
    }

    #[test]
    fn hostile_input_is_a_problem_not_a_panic() {
        let cases: Vec<Vec<u8>> = vec![
            b"\x7fELF\0\0\0binary".to_vec(),
            b"Package: truncated\nStatus: install ok installed\nVers".to_vec(),
            b"::::\n\n\n: \n(\n)\nSource: (\n".to_vec(),
            vec![0xff; 4096],
            b"Package: a\nVersion: 1\nSource: x (1\n".to_vec(),
            Vec::new(),
        ];
        for content in cases {
            let image = TestImage::new().file(0, STATUS, &content);
            let (packages, problems) = image.run(&DpkgCataloger);
            assert!(
                problems.iter().all(|p| p.starts_with(STATUS)),
                "{problems:?}"
            );
            for package in packages {
                assert!(!package.name.is_empty() && !package.version.is_empty());
            }
        }
        let (packages, problems) = TestImage::new()
            .file(0, STATUS, b"\x7fELF\0\0\0binary")
            .run(&DpkgCataloger);
        assert!(packages.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("not a dpkg status file"));

        let (packages, problems) = TestImage::new()
            .file(
                0,
                STATUS,
                "Package: truncated\nStatus: install ok installed\nVers",
            )
            .run(&DpkgCataloger);
        assert!(packages.is_empty());
        assert!(
            problems[0].starts_with("/var/lib/dpkg/status: line 3"),
            "{problems:?}"
        );

        let (packages, _) = TestImage::new()
            .file(0, STATUS, "Package: a\nVersion: 1\nSource: x (1\n")
            .run(&DpkgCataloger);
        assert_eq!(packages[0].source_version.as_deref(), Some("1"));
    }

    /// The real status file of a debootstrapped Debian 12 minbase against two independent
    /// oracles: syft's SBOM of the same root (names, versions, architectures, sources) and the
    /// data set's own derivation (source names and installed source versions).
    #[test]
    fn debian_12_minbase_matches_syft_and_the_derivation() {
        let dir = "vulndata/debian-12-changelog";
        let (Some(status), Some(os_release), Some(sbom), Some(derivation)) = (
            shared_file(&format!("{dir}/debian-12-minbase.status")),
            shared_file(&format!("{dir}/os-release")),
            shared_file(&format!("{dir}/debian-12-minbase.syft.cdx.json")),
            shared_file(&format!("{dir}/derivation.json")),
        ) else {
            return;
        };
        let read = |p: &std::path::Path| std::fs::read(p).expect("read shared file");
        let os_release = String::from_utf8(read(&os_release)).expect("utf-8");
        let field = |key: &str| {
            os_release
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key}=")))
                .map(|v| v.trim_matches('"').to_string())
        };
        let distro = Distro {
            id: field("ID").expect("ID"),
            version_id: field("VERSION_ID"),
            codename: field("VERSION_CODENAME"),
            pretty_name: field("PRETTY_NAME"),
        };
        let image = TestImage::new()
            .with_distro(distro)
            .file(0, STATUS, read(&status));
        let (packages, problems) = image.run(&DpkgCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(packages.len(), 88);

        // Oracle 1: syft. Its purls carry an extra `upstream` qualifier and leave `:` in
        // epochs unencoded; compare decoded purls without `upstream`.
        let sbom: serde_json::Value = serde_json::from_slice(&read(&sbom)).expect("json");
        let prop = |c: &serde_json::Value, name: &str| {
            c["properties"]
                .as_array()
                .and_then(|ps| ps.iter().find(|p| p["name"] == name))
                .and_then(|p| p["value"].as_str())
                .map(str::to_string)
        };
        let mut expected: Vec<(String, String, String, String, String)> = sbom["components"]
            .as_array()
            .expect("components")
            .iter()
            .filter(|c| c["type"] == "library")
            .map(|c| {
                let name = c["name"].as_str().expect("name").to_string();
                let version = c["version"].as_str().expect("version").to_string();
                let source = prop(c, "syft:metadata:source").unwrap_or_else(|| name.clone());
                let source_version =
                    prop(c, "syft:metadata:sourceVersion").unwrap_or_else(|| version.clone());
                let purl = normalise_purl(c["purl"].as_str().expect("purl"));
                (name, version, source, source_version, purl)
            })
            .collect();
        let mut actual: Vec<_> = packages
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.version.clone(),
                    p.source_name.clone().expect("source"),
                    p.source_version.clone().expect("source version"),
                    normalise_purl(&p.purl),
                )
            })
            .collect();
        expected.sort();
        actual.sort();
        assert_eq!(expected.len(), 88);
        assert_eq!(actual, expected);

        // Oracle 2: the derivation lists each source with its binaries and installed version.
        let derivation: serde_json::Value =
            serde_json::from_slice(&read(&derivation)).expect("json");
        let mut by_binary = HashMap::new();
        for source in derivation.as_array().expect("array") {
            for binary in source["binaries"].as_array().expect("binaries") {
                by_binary.insert(
                    binary.as_str().expect("name").to_string(),
                    (
                        source["source"].as_str().expect("source").to_string(),
                        source["installed_source_version"]
                            .as_str()
                            .expect("version")
                            .to_string(),
                    ),
                );
            }
        }
        assert_eq!(by_binary.len(), 88);
        let sources: HashSet<&str> = packages
            .iter()
            .map(|p| p.source_name.as_deref().expect("source"))
            .collect();
        assert_eq!(sources.len(), 63);
        for package in &packages {
            let (source, version) = &by_binary[&package.name];
            assert_eq!(
                package.source_name.as_ref(),
                Some(source),
                "{}",
                package.name
            );
            assert_eq!(
                package.source_version.as_ref(),
                Some(version),
                "{}",
                package.name
            );
            assert_eq!(package.ecosystem, Ecosystem::Debian);
            assert_eq!(package.layer, Some(0));
        }
    }

    /// The real status file evolving over layers as apt would rewrite it: a layer that does not
    /// touch dpkg, an install, an upgrade plus a purge and a remove, and a rewrite that changes
    /// nothing.
    #[test]
    fn debian_12_minbase_across_layers() {
        let Some(status) = shared_file("vulndata/debian-12-changelog/debian-12-minbase.status")
        else {
            return;
        };
        let base = std::fs::read_to_string(status).expect("read status");
        let paragraphs: Vec<String> = base
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| format!("{}\n\n", p.trim_end()))
            .collect();
        assert_eq!(paragraphs.len(), 88);
        let name_of = |p: &str| {
            p.lines()
                .next()
                .and_then(|l| l.strip_prefix("Package: "))
                .map(str::to_string)
        };
        let curl = |version: &str| paragraph("curl", version, "");
        let libcurl = paragraph("libcurl4", "7.88.1-10+deb12u5", "Source: curl\n");
        let layer2 = [
            paragraphs.concat(),
            curl("7.88.1-10+deb12u5"),
            libcurl.clone(),
        ]
        .concat();
        let layer3: String = paragraphs
            .iter()
            .filter_map(|p| match name_of(p).as_deref() {
                Some("tzdata") => None,
                Some("apt" | "libapt-pkg6.0") => {
                    Some(p.replace("Version: 2.6.1\n", "Version: 2.6.2\n"))
                }
                Some("e2fsprogs") => Some(p.replace(
                    "Status: install ok installed",
                    "Status: deinstall ok config-files",
                )),
                _ => Some(p.clone()),
            })
            .chain([curl("7.88.1-10+deb12u8"), libcurl])
            .collect();
        let image = TestImage::new()
            .os("debian", "12")
            .file(0, STATUS, &base)
            .file(1, "/etc/hostname", "box")
            .file(2, STATUS, &layer2)
            .file(3, STATUS, &layer3)
            .file(4, STATUS, &layer3);
        let (packages, problems) = image.run(&DpkgCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(packages.len(), 88);
        let mut by_layer: HashMap<Option<usize>, Vec<&str>> = HashMap::new();
        for p in &packages {
            by_layer.entry(p.layer).or_default().push(&p.name);
        }
        assert_eq!(by_layer[&Some(0)].len(), 84);
        assert_eq!(by_layer[&Some(2)], ["libcurl4"]);
        assert_eq!(by_layer[&Some(3)], ["apt", "libapt-pkg6.0", "curl"]);
        assert_eq!(by_layer.len(), 3);
        assert!(packages
            .iter()
            .all(|p| p.name != "tzdata" && p.name != "e2fsprogs"));
        assert_eq!(find(&packages, "apt").version, "2.6.2");
        assert_eq!(find(&packages, "curl").version, "7.88.1-10+deb12u8");
    }

    /// Percent-decodes and drops the `upstream` qualifier.
    fn normalise_purl(purl: &str) -> String {
        let (base, qualifiers) = purl.split_once('?').unwrap_or((purl, ""));
        let qualifiers: Vec<&str> = qualifiers
            .split('&')
            .filter(|q| !q.is_empty() && !q.starts_with("upstream="))
            .collect();
        let joined = format!("{base}?{}", qualifiers.join("&"));
        let bytes = joined.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
                out.push(u8::from_str_radix(hex, 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    }
}
