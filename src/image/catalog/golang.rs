//! Go binaries: the build information the Go linker embeds (`go version -m` prints it): the
//! Go version, the main module and every dependency module with its version and replacement.
//!
//! [`Cataloger::extract`] runs on every executable of plausible size. It looks at the first
//! bytes for an ELF, Mach-O or PE header; in an ELF file with section headers it reads only the
//! `.go.buildinfo` section (no such section: not a Go binary, nothing else is read); otherwise it
//! looks for the `\xff Go buildinf:` header at each 16-byte boundary, as Go's own reader does.
//! Both header formats are decoded:
//! - Go ≥ 1.18: version and module information inline, each a varint length and the bytes;
//! - Go 1.13–1.17: two pointers to Go strings, resolved through the ELF sections' addresses
//!   (in Mach-O and PE files this older format is reported as unsupported).
//!
//! Only the version and module text are kept. [`Cataloger::catalog`] turns them into one package
//! per module — the main module (`(devel)` as Go records it when it had no version), each `dep`
//! with its `=>` replacement applied (a replacement by a local directory keeps the original
//! path with version `(devel)`) — and `stdlib` at the Go version (`go1.21.5` → `v1.21.5`, the
//! semantic-version form of Go releases; other builds keep the version's first word). Module paths keep their
//! case in the purl: Go module paths are case-sensitive.
//!
//! [`Cataloger::extract`]: super::Cataloger::extract
//! [`Cataloger::catalog`]: super::Cataloger::catalog

use serde::{Deserialize, Serialize};

use super::extract::ExtractCataloger;
use super::rust::{elf, is_binary_candidate};
use super::{purl, Ecosystem, EntryInfo, FoundIn, Package};

const MAGIC: &[u8] = b"\xff Go buildinf:";
const HEADER_SIZE: usize = 32;
const ALIGN: usize = 16;
/// Longest version or module-information string read.
const MAX_STRING: u64 = 16 << 20;

/// Finds Go binaries and their modules. See the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct GoCataloger;

/// What the linker recorded: `runtime.buildVersion` and the module information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildInfo {
    /// `go1.21.5`, `go1.22rc1`, `devel go1.23-…`, possibly followed by ` X:experiment`.
    pub go_version: String,
    /// `path`, `mod`, `dep`, `=>` and `build` lines, tab-separated; empty when built outside
    /// module mode.
    pub modinfo: String,
}

/// One module of the build, with its replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub path: String,
    pub version: String,
    pub replace: Option<(String, String)>,
}

/// Whether `bytes` starts as an executable format Go produces (ELF, Mach-O, PE).
fn is_executable_format(bytes: &[u8]) -> bool {
    const MACHO: [[u8; 4]; 4] = [
        [0xfe, 0xed, 0xfa, 0xce],
        [0xfe, 0xed, 0xfa, 0xcf],
        [0xce, 0xfa, 0xed, 0xfe],
        [0xcf, 0xfa, 0xed, 0xfe],
    ];
    elf::is_elf(bytes) || bytes.starts_with(b"MZ") || MACHO.iter().any(|m| bytes.starts_with(m))
}

/// The build information of a Go binary: `Ok(None)` when `bytes` is not one; `Err` when it
/// is but the information cannot be read.
pub fn build_info(bytes: &[u8]) -> Result<Option<BuildInfo>, String> {
    if !is_executable_format(bytes) {
        return Ok(None);
    }
    let parsed = elf::Elf::parse(bytes).ok();
    if let Some(elf) = parsed.as_ref().filter(|e| !e.sections.is_empty()) {
        // Go has written this section since 1.13: without it, not a Go binary.
        let Some(section) = elf.section(".go.buildinfo") else {
            return Ok(None);
        };
        let data = elf
            .section_data(section)
            .ok_or("section .go.buildinfo lies outside the file")?;
        return match search(data, Some(elf)) {
            Some(found) => found,
            None => Err("section .go.buildinfo holds no build information header".into()),
        };
    }
    search(bytes, parsed.as_ref()).unwrap_or(Ok(None))
}

/// Decodes the first header at a 16-byte boundary of `data` that decodes.
fn search(data: &[u8], elf: Option<&elf::Elf<'_>>) -> Option<Result<Option<BuildInfo>, String>> {
    let mut unsupported = None;
    let mut at = 0;
    while at + HEADER_SIZE <= data.len() {
        if data[at] == MAGIC[0] && data[at..].starts_with(MAGIC) {
            match decode(&data[at..], elf) {
                Ok(info) => return Some(Ok(Some(info))),
                Err(Some(problem)) => unsupported = Some(problem),
                Err(None) => {}
            }
        }
        at += ALIGN;
    }
    unsupported.map(Err)
}

/// Decodes a header: `Err(None)` when it is not one after all (the magic by chance),
/// `Err(Some(problem))` when it is one that cannot be read.
fn decode(header: &[u8], elf: Option<&elf::Elf<'_>>) -> Result<BuildInfo, Option<String>> {
    const FLAGS_BIG_ENDIAN: u8 = 0x1;
    const FLAGS_VERSION_INLINE: u8 = 0x2;
    let ptr_size = usize::from(header[14]);
    let flags = header[15];
    if ptr_size != 4 && ptr_size != 8 {
        return Err(None);
    }
    let (version, modinfo) = if flags & FLAGS_VERSION_INLINE != 0 {
        let rest = header.get(HEADER_SIZE..).ok_or(None)?;
        let (version, rest) = inline_string(rest).ok_or(None)?;
        let (modinfo, _) =
            inline_string(rest).ok_or(Some("truncated module information".to_string()))?;
        (version, modinfo)
    } else {
        let unsupported = "build information in the pre-1.18 pointer format is only read from ELF \
                           binaries with section headers";
        let elf = elf
            .filter(|e| !e.sections.is_empty())
            .ok_or(Some(unsupported.to_string()))?;
        if (flags & FLAGS_BIG_ENDIAN != 0) != elf.big_endian {
            return Err(None);
        }
        let pointer = |at: usize| {
            header
                .get(at..at + ptr_size)
                .and_then(|b| elf.word(b, ptr_size))
        };
        let (version_at, modinfo_at) = (
            pointer(16).ok_or(None)?,
            pointer(16 + ptr_size).ok_or(None)?,
        );
        let version = go_string(elf, version_at, ptr_size).ok_or(None)?;
        let modinfo = go_string(elf, modinfo_at, ptr_size).ok_or(Some(
            "module information pointer outside the file".to_string(),
        ))?;
        (version, modinfo)
    };
    let version = String::from_utf8_lossy(version).into_owned();
    let plausible = (version.starts_with("go") || version.starts_with("devel"))
        && version.len() <= 256
        && !version.chars().any(char::is_control);
    if !plausible {
        return Err(None);
    }
    // Module information is framed by two 16-byte sentinels (cmd/go's infoStart and infoEnd).
    let modinfo = if modinfo.len() >= 33 && modinfo[modinfo.len() - 17] == b'\n' {
        String::from_utf8_lossy(&modinfo[16..modinfo.len() - 16]).into_owned()
    } else {
        String::new()
    };
    Ok(BuildInfo {
        go_version: version,
        modinfo,
    })
}

/// A varint-length-prefixed string and what follows it.
fn inline_string(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut len = 0u64;
    let mut used = 0;
    for (index, &byte) in bytes.iter().enumerate().take(10) {
        len |= u64::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            used = index + 1;
            break;
        }
    }
    if used == 0 || len > MAX_STRING {
        return None;
    }
    let rest = &bytes[used..];
    let len = usize::try_from(len).ok()?;
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// The bytes of the Go string whose header (data pointer, length) is at address `at`.
fn go_string<'a>(elf: &elf::Elf<'a>, at: u64, ptr_size: usize) -> Option<&'a [u8]> {
    let header = elf.at_address(at, 2 * ptr_size as u64)?;
    let data = elf.word(header, ptr_size)?;
    let len = elf.word(header.get(ptr_size..)?, ptr_size)?;
    if len > MAX_STRING {
        return None;
    }
    if len == 0 {
        return Some(&[]);
    }
    elf.at_address(data, len)
}

/// The modules of a build: the main module first (when built in module mode), then each
/// dependency, in the order the linker wrote them.
pub fn modules(modinfo: &str) -> Vec<Module> {
    let mut modules: Vec<Module> = Vec::new();
    for line in modinfo.lines() {
        let mut fields = line.split('\t');
        let (kind, path, version) = (fields.next(), fields.next(), fields.next());
        let path = path.unwrap_or_default().to_string();
        let version = version.unwrap_or_default().to_string();
        match kind {
            Some("mod") | Some("dep") if !path.is_empty() => modules.push(Module {
                path,
                version,
                replace: None,
            }),
            Some("=>") => {
                if let Some(last) = modules.last_mut() {
                    last.replace = Some((path, version));
                }
            }
            _ => {}
        }
    }
    modules
}

/// The semantic version of a Go release: `go1.21.5` → `v1.21.5`, `go1.19` → `v1.19.0`,
/// `go1.22rc1` → `v1.22.0-rc.1`; `None` for development builds.
pub fn go_semver(go_version: &str) -> Option<String> {
    let release = go_version.split_whitespace().next()?.strip_prefix("go")?;
    let split = release
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(release.len());
    let (numbers, pre) = release.split_at(split);
    let parts: Vec<&str> = numbers.split('.').collect();
    let numeric = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(numeric) {
        return None;
    }
    let patch = parts.get(2).copied().unwrap_or("0");
    let mut out = format!("v{}.{}.{}", parts[0], parts[1], patch);
    if !pre.is_empty() {
        let kind = pre.trim_end_matches(|c: char| c.is_ascii_digit());
        let number = &pre[kind.len()..];
        if !matches!(kind, "rc" | "beta" | "alpha") || number.is_empty() {
            return None;
        }
        out.push_str(&format!("-{kind}.{number}"));
    }
    Some(out)
}

/// A `replace` target that is a directory: Go requires those to start with `./`, `../` or `/`.
fn is_local_path(target: &str) -> bool {
    target.starts_with("./") || target.starts_with("../") || target.starts_with('/')
}

/// The version of the `stdlib` package: [`go_semver`], or for development and vendor builds
/// (`devel go1.23-…`, `go1.25-20250209-RC00 cl/…`) the version's first word.
pub fn stdlib_version(go_version: &str) -> String {
    go_semver(go_version).unwrap_or_else(|| {
        let mut words = go_version.split_whitespace();
        let first = words.next().unwrap_or_default();
        match (first, words.next()) {
            ("devel", Some(version)) => format!("devel-{version}"),
            _ => first.to_string(),
        }
    })
}

/// A module as a package: the purl namespace is its path up to the last `/`.
fn package(found: FoundIn<'_>, module: &str, version: &str) -> Package {
    let (namespace, name) = match module.rsplit_once('/') {
        Some((namespace, name)) => (Some(namespace), name),
        None => (None, module),
    };
    let purl = purl("golang", namespace, name, version, &[]);
    found.package(Ecosystem::Go, module.to_string(), version.to_string(), purl)
}

impl ExtractCataloger for GoCataloger {
    const NAME: &'static str = "go";
    type Record = BuildInfo;

    fn wants_file(&self, entry: &EntryInfo<'_>) -> bool {
        is_binary_candidate(entry)
    }

    fn record(&self, _path: &str, bytes: &[u8]) -> Option<Result<BuildInfo, String>> {
        build_info(bytes).transpose()
    }

    fn packages(&self, info: BuildInfo, found: FoundIn<'_>, _: &mut Vec<String>) -> Vec<Package> {
        let mut packages = Vec::new();
        for module in modules(&info.modinfo) {
            let (module_path, version) = match &module.replace {
                // Replaced by a directory (Go writes an empty version, or `(devel)` since
                // 1.19): the code is not the module's published version.
                Some((to, version)) if version.is_empty() || is_local_path(to) => {
                    (module.path.as_str(), "(devel)")
                }
                Some((to, version)) => (to.as_str(), version.as_str()),
                None if module.version.is_empty() => (module.path.as_str(), "(devel)"),
                None => (module.path.as_str(), module.version.as_str()),
            };
            packages.push(package(found, module_path, version));
        }
        packages.push(package(found, "stdlib", &stdlib_version(&info.go_version)));
        packages
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::super::rust::elf::build;
    use super::super::testing::TestImage;
    use super::super::Cataloger;
    use super::*;

    const SENTINEL_START: [u8; 16] = [
        0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02, 0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18,
        0xe6,
    ];
    const SENTINEL_END: [u8; 16] = [
        0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72, 0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8,
        0xf2,
    ];

    const MODINFO: &str = "path\tgithub.com/acme/tool/cmd/tool\n\
        mod\tgithub.com/acme/tool\t(devel)\t\n\
        dep\tgithub.com/Masterminds/semver/v3\tv3.2.1\th1:RN9w6+7QoMeJVGyfmbcgs28Br8cvmnucEXnY0rYXWg0=\n\
        dep\tgolang.org/x/net\tv0.7.0\th1:abc=\n\
        =>\tgolang.org/x/net\tv0.17.0\th1:def=\n\
        dep\texample.com/internal/lib\tv1.0.0\n\
        =>\t../lib\t\t\n\
        dep\tgithub.com/gin-gonic/gin\tv1.5.0\t\n\
        =>\t./gin\t(devel)\t\n\
        dep\tgopkg.in/yaml.v3\tv3.0.0-20210107192922-496545a6307b+incompatible\th1:x=\n\
        build\t-compiler=gc\nbuild\tGOARCH=amd64\nbuild\tGOOS=linux\n";

    fn framed(modinfo: &str) -> Vec<u8> {
        let mut out = SENTINEL_START.to_vec();
        out.extend(modinfo.as_bytes());
        out.extend(SENTINEL_END);
        out
    }

    fn varint(mut n: usize, out: &mut Vec<u8>) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }

    /// A Go ≥ 1.18 `.go.buildinfo` blob.
    fn inline_blob(version: &str, modinfo: &[u8]) -> Vec<u8> {
        let mut blob = MAGIC.to_vec();
        blob.extend([8, 2]);
        blob.extend([0; 16]);
        varint(version.len(), &mut blob);
        blob.extend(version.as_bytes());
        varint(modinfo.len(), &mut blob);
        blob.extend(modinfo);
        blob
    }

    fn go_elf(blob: &[u8]) -> Vec<u8> {
        build::elf(
            true,
            false,
            &[
                (".text", 1, 6, 0x401000, &[0xcc; 64][..]),
                (".go.buildinfo", 1, 3, 0x500000, blob),
            ],
        )
    }

    fn ids(packages: &[Package]) -> Vec<(&str, &str, &str)> {
        packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.purl.as_str()))
            .collect()
    }

    #[test]
    fn modules_replacements_and_stdlib_become_packages() {
        let binary = go_elf(&inline_blob("go1.21.5", &framed(MODINFO)));
        let image = TestImage::new().file_mode(2, "/usr/local/bin/tool", binary, 0o755);
        let (packages, problems) = image.run(&GoCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            ids(&packages),
            vec![
                (
                    "github.com/acme/tool",
                    "(devel)",
                    "pkg:golang/github.com/acme/tool@%28devel%29"
                ),
                (
                    "github.com/Masterminds/semver/v3",
                    "v3.2.1",
                    "pkg:golang/github.com/Masterminds/semver/v3@v3.2.1"
                ),
                (
                    "golang.org/x/net",
                    "v0.17.0",
                    "pkg:golang/golang.org/x/net@v0.17.0"
                ),
                (
                    "example.com/internal/lib",
                    "(devel)",
                    "pkg:golang/example.com/internal/lib@%28devel%29"
                ),
                (
                    "github.com/gin-gonic/gin",
                    "(devel)",
                    "pkg:golang/github.com/gin-gonic/gin@%28devel%29"
                ),
                (
                    "gopkg.in/yaml.v3",
                    "v3.0.0-20210107192922-496545a6307b+incompatible",
                    "pkg:golang/gopkg.in/yaml.v3@v3.0.0-20210107192922-496545a6307b%2Bincompatible"
                ),
                ("stdlib", "v1.21.5", "pkg:golang/stdlib@v1.21.5"),
            ]
        );
        assert!(packages.iter().all(|p| p.ecosystem == Ecosystem::Go
            && p.layer == Some(2)
            && p.evidence == ["/usr/local/bin/tool"]
            && p.cataloger == "go"));
    }

    #[test]
    fn go_versions_become_semantic_versions() {
        assert_eq!(go_semver("go1.21.5").as_deref(), Some("v1.21.5"));
        assert_eq!(go_semver("go1.19").as_deref(), Some("v1.19.0"));
        assert_eq!(go_semver("go1.22rc1").as_deref(), Some("v1.22.0-rc.1"));
        assert_eq!(
            go_semver("go1.21.0 X:boringcrypto").as_deref(),
            Some("v1.21.0")
        );
        assert_eq!(go_semver("devel go1.23-1e8b4e2 Tue Jan 2 2024"), None);
        assert_eq!(go_semver("go1"), None);
        assert_eq!(go_semver("go1.x.2"), None);
        assert_eq!(stdlib_version("go1.23.1 X:nocoverageredesign"), "v1.23.1");
        assert_eq!(
            stdlib_version("go1.25-20250209-RC00 cl/724970549 +ff27d270c9 X:fieldtrack"),
            "go1.25-20250209-RC00"
        );
        assert_eq!(
            stdlib_version("devel go1.23-1e8b4e2 Tue Jan 2 2024"),
            "devel-go1.23-1e8b4e2"
        );
    }

    #[test]
    fn without_module_information_only_stdlib_is_known() {
        // GOPATH-mode builds (GO111MODULE=off) carry no module information.
        let binary = go_elf(&inline_blob("go1.20.14", b""));
        let (packages, problems) = TestImage::new()
            .file_mode(0, "/bin/x", binary, 0o755)
            .run(&GoCataloger);
        assert!(problems.is_empty());
        assert_eq!(
            ids(&packages),
            vec![("stdlib", "v1.20.14", "pkg:golang/stdlib@v1.20.14")]
        );
    }

    /// Go 1.13–1.17: the header points at `runtime.buildVersion` and `runtime.modinfo`.
    fn pointer_format_elf(is_64: bool, big_endian: bool) -> Vec<u8> {
        let ptr = if is_64 { 8 } else { 4 };
        let word = |value: u64| {
            let bytes = value.to_be_bytes()[8 - ptr..].to_vec();
            if big_endian {
                bytes
            } else {
                bytes.into_iter().rev().collect()
            }
        };
        let version = b"go1.16.15";
        let modinfo = framed("path\texample.com/old\nmod\texample.com/old\t(devel)\t\ndep\tgithub.com/pkg/errors\tv0.9.1\th1:x=\n");
        // .rodata at 0x600000: the two strings' bytes; .data at 0x700000: their headers.
        let mut rodata = version.to_vec();
        rodata.extend(&modinfo);
        let mut data = word(0x600000);
        data.extend(word(version.len() as u64));
        data.extend(word(0x600000 + version.len() as u64));
        data.extend(word(modinfo.len() as u64));
        let mut blob = MAGIC.to_vec();
        blob.extend([ptr as u8, u8::from(big_endian)]);
        blob.extend(word(0x700000));
        blob.extend(word(0x700000 + 2 * ptr as u64));
        blob.resize(32, 0);
        build::elf(
            is_64,
            big_endian,
            &[
                (".rodata", 1, 2, 0x600000, &rodata),
                (".data", 1, 3, 0x700000, &data),
                (".go.buildinfo", 1, 3, 0x800000, &blob),
            ],
        )
    }

    #[test]
    fn the_pre_1_18_pointer_format_is_read_from_elf() {
        for (is_64, big_endian) in [(true, false), (false, true), (false, false), (true, true)] {
            let binary = pointer_format_elf(is_64, big_endian);
            let info = build_info(&binary).unwrap().unwrap();
            assert_eq!(info.go_version, "go1.16.15");
            let (packages, problems) = TestImage::new()
                .file_mode(0, "/app/old", binary, 0o755)
                .run(&GoCataloger);
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(
                ids(&packages),
                vec![
                    (
                        "example.com/old",
                        "(devel)",
                        "pkg:golang/example.com/old@%28devel%29"
                    ),
                    (
                        "github.com/pkg/errors",
                        "v0.9.1",
                        "pkg:golang/github.com/pkg/errors@v0.9.1"
                    ),
                    ("stdlib", "v1.16.15", "pkg:golang/stdlib@v1.16.15"),
                ],
                "64-bit {is_64}, big-endian {big_endian}"
            );
        }
    }

    #[test]
    fn the_pointer_format_outside_elf_is_reported_unsupported() {
        // A PE file (as `MZ`) with an old-format header at a 16-byte boundary.
        let mut binary = b"MZ".to_vec();
        binary.resize(64, 0);
        binary.extend(MAGIC);
        binary.extend([8, 0]);
        binary.extend([0x10, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0]);
        binary.resize(256, 0);
        let (packages, problems) = TestImage::new()
            .file_mode(0, "/app/x.exe", binary, 0o755)
            .run(&GoCataloger);
        assert!(packages.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("pre-1.18 pointer format"),
            "{problems:?}"
        );
    }

    #[test]
    fn non_go_executables_are_nothing() {
        // An ELF with sections but no .go.buildinfo, even if the magic string is in its data
        // (as in this very program's read-only data).
        let mut rodata = b"xxxx".to_vec();
        rodata.extend(inline_blob("go1.21.0", &framed(MODINFO)));
        let other = build::elf(true, false, &[(".rodata", 1, 2, 0x1000, &rodata)]);
        // Unaligned magic in a file without section headers.
        let mut unaligned = build::elf(true, false, &[]);
        unaligned[0x28..0x30].fill(0);
        unaligned.extend([0; 3]);
        unaligned.extend(inline_blob("go1.21.0", &framed(MODINFO)));
        // A plausible header with a version that is not Go's.
        let mut bogus = build::elf(true, false, &[]);
        bogus[0x28..0x30].fill(0);
        bogus.resize(bogus.len().next_multiple_of(16), 0);
        bogus.extend(inline_blob("hello", b""));
        let image = TestImage::new()
            .file_mode(0, "/bin/other", other, 0o755)
            .file_mode(0, "/bin/unaligned", unaligned, 0o755)
            .file_mode(0, "/bin/bogus", bogus, 0o755)
            .file_mode(
                0,
                "/bin/script",
                format!("#!/bin/sh\n# {}\n", "x".repeat(100)),
                0o755,
            )
            .file(
                0,
                "/lib/not-executable",
                go_elf(&inline_blob("go1.21.0", b"")),
            );
        let (packages, problems) = image.run(&GoCataloger);
        assert!(
            packages.is_empty() && problems.is_empty(),
            "{packages:?} {problems:?}"
        );
    }

    #[test]
    fn a_broken_buildinfo_section_is_a_problem() {
        let mut truncated = inline_blob("go1.21.5", &framed(MODINFO));
        truncated.truncate(60);
        let (packages, problems) = TestImage::new()
            .file_mode(0, "/bin/a", go_elf(&truncated), 0o755)
            .file_mode(
                0,
                "/bin/b",
                go_elf(b"not a header at all, but long enough to be one"),
                0o755,
            )
            .run(&GoCataloger);
        assert!(packages.is_empty());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("/bin/a: truncated module information"));
        assert!(problems[1].starts_with("/bin/b: section .go.buildinfo holds no build"));
    }

    #[test]
    fn hostile_binaries_never_panic() {
        let good = [
            go_elf(&inline_blob("go1.21.5", &framed(MODINFO))),
            pointer_format_elf(false, true),
        ];
        for binary in &good {
            for cut in 0..binary.len() {
                let _ = build_info(&binary[..cut]);
            }
            let mut state = 0x9e37_79b9_7f4a_7c15_u64;
            for round in 0..3000 {
                let mut bytes = binary.clone();
                for _ in 0..(1 + round % 6) {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    let at = (state as usize) % bytes.len();
                    bytes[at] = [0, 0xff, 0x80, 0x7f, (state >> 40) as u8][round % 5];
                }
                let _ = GoCataloger.extract("/x", &bytes);
            }
        }
        // A varint length of 2^63 and one that never ends.
        let mut huge = MAGIC.to_vec();
        huge.extend([8, 2]);
        huge.extend([0; 16]);
        huge.extend([0xff; 9]);
        huge.push(0x7f);
        assert!(build_info(&go_elf(&huge)).is_err());
        huge.truncate(32);
        huge.extend([0x80; 40]);
        assert!(build_info(&go_elf(&huge)).is_err());
    }

    /// Builds a real Go program with `go build` (offline: the dependencies are vendored, one of
    /// them replaced) for `goarch`; `None` when Go is not installed.
    fn build_real(dir: &Path, goarch: &str) -> Option<PathBuf> {
        let write = |path: &str, text: &str| {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "go.mod",
            "module example.com/hello\n\ngo 1.19\n\nrequire (\n\texample.com/greet v1.2.3\n\
             \texample.com/old v0.1.0\n)\n\nreplace example.com/old v0.1.0 => example.com/new v0.2.0\n",
        );
        write(
            "main.go",
            "package main\n\nimport (\n\t\"example.com/greet\"\n\t\"example.com/old\"\n)\n\n\
             func main() { println(greet.Hello() + old.Name()) }\n",
        );
        write(
            "vendor/example.com/greet/greet.go",
            "package greet\n\nfunc Hello() string { return \"hi\" }\n",
        );
        write(
            "vendor/example.com/old/old.go",
            "package old\n\nfunc Name() string { return \"old\" }\n",
        );
        write(
            "vendor/modules.txt",
            "# example.com/greet v1.2.3\n## explicit\nexample.com/greet\n\
             # example.com/old v0.1.0 => example.com/new v0.2.0\n## explicit\nexample.com/old\n",
        );
        let out = dir.join(format!("hello-{goarch}"));
        let status = Command::new("go")
            .args(["build", "-trimpath", "-buildvcs=false", "-o"])
            .arg(&out)
            .arg(".")
            .current_dir(dir)
            .env("GOARCH", goarch)
            .env("GOOS", "linux")
            .env("CGO_ENABLED", "0")
            .env("GOFLAGS", "-mod=vendor")
            .env("GOPROXY", "off")
            .env("GOPATH", dir.join("gopath"))
            .env(
                "GOCACHE",
                std::env::temp_dir().join("portcullis-test-go-cache"),
            )
            .status()
            .ok()?;
        assert!(status.success(), "go build failed for {goarch}");
        Some(out)
    }

    /// What `go version -m` prints for the modules, as `path version` lines (replacements
    /// applied), and the Go version.
    fn go_version_m(binary: &Path) -> (Vec<String>, String) {
        let out = Command::new("go")
            .args(["version", "-m"])
            .arg(binary)
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        let go = text
            .lines()
            .next()
            .unwrap()
            .rsplit(' ')
            .next()
            .unwrap()
            .to_string();
        let mut modules: Vec<String> = Vec::new();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.trim_start().split('\t').collect();
            match fields.as_slice() {
                ["mod" | "dep", path, version, ..] => modules.push(format!("{path} {version}")),
                ["=>", path, version, ..] => {
                    *modules.last_mut().unwrap() = format!("{path} {version}")
                }
                _ => {}
            }
        }
        (modules, go)
    }

    /// A real Go binary for amd64 (ELF64 little-endian) and mips (ELF32 big-endian), and the
    /// amd64 one without section headers (the header search), each equal to `go version -m`.
    #[test]
    fn real_go_binaries_equal_go_version_m() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        let dir = tempfile::tempdir().unwrap();
        if Command::new("go").arg("version").output().is_err() {
            assert!(!ci, "go is missing under CI (Debian package golang-go)");
            eprintln!("skipped: no go");
            return;
        }
        for goarch in ["amd64", "mips"] {
            let binary = build_real(dir.path(), goarch).expect("go runs");
            let (expected, go) = go_version_m(&binary);
            assert_eq!(
                expected,
                [
                    "example.com/hello (devel)",
                    "example.com/greet v1.2.3",
                    "example.com/new v0.2.0"
                ]
            );
            let bytes = std::fs::read(&binary).unwrap();
            let mut stripped = bytes.clone();
            // e_shoff := 0: no section headers, as `sstrip` leaves a binary.
            if goarch == "amd64" {
                stripped[0x28..0x30].fill(0);
            } else {
                stripped[0x20..0x24].fill(0);
            }
            for bytes in [bytes, stripped] {
                let (packages, problems) = TestImage::new()
                    .file_mode(1, "/usr/local/bin/hello", &bytes, 0o755)
                    .run(&GoCataloger);
                assert!(problems.is_empty(), "{problems:?}");
                let mut found: Vec<String> = packages
                    .iter()
                    .map(|p| format!("{} {}", p.name, p.version))
                    .collect();
                let stdlib = found.pop().unwrap();
                assert_eq!(found, expected, "{goarch}");
                assert_eq!(stdlib, format!("stdlib {}", go_semver(&go).unwrap()));
                assert!(packages.iter().all(|p| p.layer == Some(1)));
            }
        }
    }

    /// Every Go binary on this machine (`/usr/bin`, `/usr/sbin`, `/usr/local/bin`: Debian's
    /// docker, containerd, podman, skopeo, and others built by other Go releases) equals what
    /// `go version -m` reports, and no other executable there is taken for a Go binary.
    #[test]
    fn the_machine_go_binaries_equal_go_version_m() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        if Command::new("go").arg("version").output().is_err() {
            assert!(!ci, "go is missing under CI (Debian package golang-go)");
            eprintln!("skipped: no go");
            return;
        }
        let dirs = ["/usr/bin", "/usr/sbin", "/usr/local/bin"];
        let out = Command::new("go")
            .args(["version", "-m"])
            .args(dirs)
            .output()
            .unwrap();
        // `PATH: GOVERSION`, then indented `mod`/`dep`/`=>` lines.
        let mut expected: Vec<(String, Vec<String>)> = Vec::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if !line.starts_with('\t') {
                if let Some((path, go)) = line.split_once(": ") {
                    expected.push((
                        path.to_string(),
                        vec![format!("stdlib {}", stdlib_version(go))],
                    ));
                }
                continue;
            }
            let Some((_, modules)) = expected.last_mut() else {
                continue;
            };
            let fields: Vec<&str> = line.trim_start().split('\t').collect();
            let stdlib = modules.pop().unwrap();
            match fields.as_slice() {
                ["mod" | "dep", path, version, ..] => {
                    let version = if version.is_empty() {
                        "(devel)"
                    } else {
                        version
                    };
                    modules.push(format!("{path} {version}"));
                }
                ["=>", path, version, ..] if !version.is_empty() && !is_local_path(path) => {
                    *modules.last_mut().unwrap() = format!("{path} {version}");
                }
                ["=>", ..] => {
                    let last = modules.last_mut().unwrap();
                    let original = last.split(' ').next().unwrap().to_string();
                    *last = format!("{original} (devel)");
                }
                _ => {}
            }
            modules.push(stdlib);
        }
        let go_binaries: Vec<&str> = expected.iter().map(|(path, _)| path.as_str()).collect();
        for (path, modules) in &expected {
            let bytes = std::fs::read(path).unwrap();
            let (packages, problems) = TestImage::new()
                .file_mode(0, path, bytes, 0o755)
                .run(&GoCataloger);
            assert!(problems.is_empty(), "{path}: {problems:?}");
            let found: Vec<String> = packages
                .iter()
                .map(|p| format!("{} {}", p.name, p.version))
                .collect();
            assert_eq!(&found, modules, "{path}");
        }
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let path_text = path.to_string_lossy();
                let small = entry
                    .metadata()
                    .is_ok_and(|m| m.is_file() && m.len() < 64 << 20);
                if !small || go_binaries.contains(&path_text.as_ref()) {
                    continue;
                }
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                assert_eq!(
                    build_info(&bytes),
                    Ok(None),
                    "{path_text} is not a Go binary"
                );
            }
        }
        eprintln!("{} Go binaries compared", expected.len());
    }
}
