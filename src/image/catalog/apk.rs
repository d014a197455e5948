//! Alpine packages (and Wolfi/Chainguard, which use apk too): `/lib/apk/db/installed`.
//!
//! The database is a list of blank-line-separated records of `X:value` lines: `P:` name, `V:`
//! version, `A:` architecture, `o:` origin (the source package advisories are keyed by), and
//! many more (`F:`/`R:` file lists, checksums, dependencies) that are not needed here. Every
//! record in the database is an installed package.
//!
//! The introducing layer comes from every layer's version of the database, as for dpkg
//! (`database::installed`).

use super::database::{self, Identity, Listed, Namespace};
use super::{Cataloger, Ecosystem, EntryInfo, FoundIn, ImageFiles, Package, Want};

/// apk's database of installed packages.
pub const INSTALLED: &str = "/lib/apk/db/installed";

/// Reads apk's installed database.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApkCataloger;

impl Cataloger for ApkCataloger {
    fn name(&self) -> &'static str {
        "apk"
    }

    fn wants(&self, entry: &EntryInfo<'_>) -> Want {
        if entry.path == INSTALLED {
            Want::EveryLayer
        } else {
            Want::No
        }
    }

    fn catalog(&self, files: &dyn ImageFiles, problems: &mut Vec<String>) -> Vec<Package> {
        // Wolfi and Chainguard keep their own namespace; Alpine and anything unknown is alpine.
        let namespace = Namespace::new(files.distro(), Some("alpine"));
        database::installed(files, [INSTALLED], self.name(), parse_installed, problems)
            .into_iter()
            .map(|(entry, found)| entry.into_package(&namespace, found))
            .collect()
    }
}

/// One record of the installed database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApkEntry {
    pub name: String,
    pub version: String,
    pub arch: Option<String>,
    /// `o:`, the origin (source) package.
    pub origin: Option<String>,
}

impl Listed for ApkEntry {
    fn identity(&self) -> Identity {
        (self.name.clone(), self.arch.clone(), self.version.clone())
    }
}

impl ApkEntry {
    fn into_package(self, namespace: &Namespace, found: FoundIn<'_>) -> Package {
        let purl = namespace.purl("apk", &self.name, &self.version, self.arch.as_deref(), &[]);
        Package {
            source_name: Some(self.origin.unwrap_or_else(|| self.name.clone())),
            arch: self.arch,
            ..found.package(Ecosystem::Alpine, self.name, self.version, purl)
        }
    }
}

/// Parses the installed database. Never fails: records without a name or version are reported
/// to `problems` with the path and skipped.
pub fn parse_installed(content: &[u8], path: &str, problems: &mut Vec<String>) -> Vec<ApkEntry> {
    if content.contains(&0) {
        problems.push(format!("{path}: not an apk database (binary content)"));
        return Vec::new();
    }
    let text = String::from_utf8_lossy(content);
    let mut out = Vec::new();
    let mut record = Record::default();
    for (index, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            record.finish(path, &mut out, problems);
            continue;
        }
        if record.line == 0 {
            record.line = index + 1;
        }
        let Some((key, value)) = line.split_once(':') else {
            problems.push(format!("{path}: line {}: not a `X:value` line", index + 1));
            continue;
        };
        let value = Some(value.trim().to_string()).filter(|v| !v.is_empty());
        match key {
            "P" => record.name = value,
            "V" => record.version = value,
            "A" => record.arch = value,
            "o" => record.origin = value,
            _ => {}
        }
    }
    record.finish(path, &mut out, problems);
    out
}

#[derive(Debug, Default)]
struct Record {
    /// First line of the record; 0 while empty.
    line: usize,
    name: Option<String>,
    version: Option<String>,
    arch: Option<String>,
    origin: Option<String>,
}

impl Record {
    fn finish(&mut self, path: &str, out: &mut Vec<ApkEntry>, problems: &mut Vec<String>) {
        let record = std::mem::take(self);
        if record.line == 0 {
            return;
        }
        match (record.name, record.version) {
            (Some(name), Some(version)) => out.push(ApkEntry {
                name,
                version,
                arch: record.arch,
                origin: record.origin,
            }),
            _ => problems.push(format!(
                "{path}: the record at line {} has no P: (name) or no V: (version)",
                record.line
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::catalog::testing::TestImage;

    /// Records as apk 2.14 writes them on Alpine 3.20 (file lists shortened).
    const MUSL: &str = "C:Q1Zm+2TsMW2BoScTu8GgB8ZB3JYTk=
P:musl
V:1.2.5-r0
A:x86_64
S:411323
I:660480
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1712254539
c:b4dee6fc4cb3ac8a6aab2e24a2b14a8b7e3ebb82
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1rIvAl0cRBdjFzh4FQ2hRsZJ6phA=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=
";
    const SSL: &str = "C:Q1e9JUa+Zj5lhz4x0BmqvWnBz4YGg=
P:libssl3
V:3.3.1-r0
A:x86_64
S:358734
I:925696
T:SSL shared libraries
U:https://www.openssl.org/
L:Apache-2.0
o:openssl
m:Ariadne Conner <ariadne@dereferenced.org>
t:1717434474
c:f67d2d1f9b5a0a2b2ac0c9c2d3d2d7c0f4c1b5e1
D:so:libc.musl-x86_64.so.1 so:libcrypto.so.3
p:so:libssl.so.3=3
F:usr
F:usr/lib
R:libssl.so.3
a:0:0:755
Z:Q1Q4KQbGgZ3S8X5GdTVSVfV2vWGAA=
";
    const SSL_UPGRADED: &str = "C:Q1bcd=
P:libssl3
V:3.3.2-r0
A:x86_64
o:openssl
F:usr/lib
R:libssl.so.3
";
    const CURL: &str = "P:curl
V:8.9.1-r2
A:x86_64
o:curl
D:ca-certificates-bundle so:libc.musl-x86_64.so.1 so:libcurl.so.4
";

    fn db(records: &[&str]) -> String {
        records.join("\n") + "\n"
    }

    #[test]
    fn wants_only_the_database() {
        let want = |path| {
            ApkCataloger.wants(&EntryInfo {
                path,
                size: 1,
                mode: 0o644,
            })
        };
        assert_eq!(want(INSTALLED), Want::EveryLayer);
        assert_eq!(want("/lib/apk/db/triggers"), Want::No);
        assert_eq!(want("/lib/apk/db/installed.new"), Want::No);
        assert_eq!(want("/usr/lib/apk/db/installed"), Want::No);
    }

    #[test]
    fn records_with_origin_arch_and_purl() {
        let image = TestImage::new()
            .os("alpine", "3.20.1")
            .file(0, INSTALLED, db(&[MUSL, SSL]));
        let (packages, problems) = image.run(&ApkCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(packages.len(), 2);
        let ssl = &packages[1];
        assert_eq!(ssl.name, "libssl3");
        assert_eq!(ssl.version, "3.3.1-r0");
        assert_eq!(ssl.source_name.as_deref(), Some("openssl"));
        assert_eq!(ssl.source_version.as_deref(), Some("3.3.1-r0"));
        assert_eq!(ssl.arch.as_deref(), Some("x86_64"));
        assert_eq!(ssl.ecosystem, Ecosystem::Alpine);
        assert_eq!(
            ssl.purl,
            "pkg:apk/alpine/libssl3@3.3.1-r0?arch=x86_64&distro=alpine-3.20.1"
        );
        assert_eq!(ssl.evidence, [INSTALLED]);
        assert_eq!(ssl.layer, Some(0));
        assert_eq!(ssl.cataloger, "apk");
        assert_eq!(packages[0].source_name.as_deref(), Some("musl"));
    }

    #[test]
    fn no_origin_means_its_own_source() {
        let record = "P:busybox\nV:1.36.1-r29\nA:aarch64\n";
        let (packages, _) = TestImage::new()
            .os("alpine", "3.20.1")
            .file(0, INSTALLED, record)
            .run(&ApkCataloger);
        assert_eq!(packages[0].source_name.as_deref(), Some("busybox"));
        assert_eq!(packages[0].arch.as_deref(), Some("aarch64"));
    }

    #[test]
    fn wolfi_and_chainguard_keep_their_namespace() {
        let record = "P:glibc\nV:2.40-r3\nA:x86_64\no:glibc\n";
        let (packages, _) = TestImage::new()
            .os("wolfi", "20230201")
            .file(0, INSTALLED, record)
            .run(&ApkCataloger);
        assert_eq!(
            packages[0].purl,
            "pkg:apk/wolfi/glibc@2.40-r3?arch=x86_64&distro=wolfi-20230201"
        );
        assert_eq!(packages[0].ecosystem, Ecosystem::Alpine);
        let (packages, _) = TestImage::new()
            .os("chainguard", "")
            .file(0, INSTALLED, record)
            .run(&ApkCataloger);
        assert_eq!(
            packages[0].purl,
            "pkg:apk/chainguard/glibc@2.40-r3?arch=x86_64"
        );
        let (packages, _) = TestImage::new()
            .file(0, INSTALLED, record)
            .run(&ApkCataloger);
        assert_eq!(packages[0].purl, "pkg:apk/alpine/glibc@2.40-r3?arch=x86_64");
    }

    #[test]
    fn layers_add_upgrade_remove() {
        let image = TestImage::new()
            .os("alpine", "3.20.1")
            .file(0, INSTALLED, db(&[MUSL, SSL]))
            .file(1, INSTALLED, db(&[MUSL, SSL, CURL]))
            .file(2, INSTALLED, db(&[MUSL, SSL_UPGRADED, CURL]))
            .file(3, "/etc/motd", "x")
            .file(4, INSTALLED, db(&[MUSL, SSL_UPGRADED]));
        let (packages, problems) = image.run(&ApkCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        let got: Vec<_> = packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.layer))
            .collect();
        assert_eq!(
            got,
            [
                ("musl", "1.2.5-r0", Some(0)),
                ("libssl3", "3.3.2-r0", Some(2))
            ]
        );
    }

    #[test]
    fn hostile_input_is_a_problem_not_a_panic() {
        let (packages, problems) = TestImage::new()
            .file(0, INSTALLED, b"P:x\0\x01\x02")
            .run(&ApkCataloger);
        assert!(packages.is_empty());
        assert_eq!(
            problems,
            ["/lib/apk/db/installed: not an apk database (binary content)"]
        );

        // Truncated mid-record: the complete record is kept, the cut one reported.
        let truncated = format!("{MUSL}\nC:Q1abc=\nP:libss");
        let (packages, problems) = TestImage::new()
            .file(0, INSTALLED, truncated)
            .run(&ApkCataloger);
        assert_eq!(packages.len(), 1);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("/lib/apk/db/installed: the record at line"));

        for garbage in [
            &b"\xff\xfe:::\n\n\nno colon here\n"[..],
            b"",
            b"\n\n\n",
            b"V:\nP:\n",
        ] {
            let (packages, problems) = TestImage::new()
                .file(0, INSTALLED, garbage)
                .run(&ApkCataloger);
            assert!(packages.is_empty());
            assert!(
                problems.iter().all(|p| p.starts_with(INSTALLED)),
                "{problems:?}"
            );
        }
    }
}
