//! Rust binaries built with `cargo auditable`: the ELF section `.dep-v0` holds the
//! zlib-compressed JSON dependency tree (`{"packages":[{name, version, source, kind,
//! dependencies, root}]}`, schema at rustsec.org/schemas/cargo-auditable.json).
//!
//! [`Cataloger::extract`] reads the section headers of an executable in memory (32- and 64-bit,
//! either byte order, every offset checked), inflates the section with a bound and keeps the
//! package list; binaries without the section keep nothing. [`Cataloger::catalog`] reports the
//! crates compiled into the binary: `kind: "build"` entries (build scripts and proc-macros,
//! which run on the build machine and are not in the binary) are left out, the root crate and
//! path or git dependencies are kept (their purl is still `pkg:cargo/…`: the inventory says what
//! is in the binary; advisories for a local crate of the same name as a crates.io one are the
//! matcher's concern). Mach-O and PE binaries are not read (container images are ELF).
//!
//! [`Cataloger::extract`]: super::Cataloger::extract
//! [`Cataloger::catalog`]: super::Cataloger::catalog

use std::io::Read;

use serde::{Deserialize, Serialize};

use super::extract::ExtractCataloger;
use super::{purl, Ecosystem, EntryInfo, FoundIn, Package};

/// Executables smaller than this are scripts or stubs, never an ELF with sections.
pub const MIN_BINARY_SIZE: u64 = 64;
/// Largest inflated `.dep-v0` (cargo-auditable's own reader stops at 8 MiB).
pub const MAX_AUDIT_JSON_SIZE: u64 = 16 << 20;

const SECTION: &str = ".dep-v0";

/// Finds the crates of cargo-auditable binaries. See the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct RustCataloger;

/// One entry of the audit data, as cargo-auditable writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPackage {
    pub name: String,
    pub version: String,
    /// `crates.io`, `local`, `git`, `registry` or `other`.
    #[serde(default)]
    pub source: String,
    /// `runtime` (the default, left out of the JSON) or `build`.
    #[serde(default = "runtime", skip_serializing_if = "is_runtime")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub root: bool,
}

fn runtime() -> String {
    "runtime".to_string()
}

fn is_runtime(kind: &String) -> bool {
    kind == "runtime"
}

#[derive(Debug, Deserialize)]
struct VersionInfo {
    packages: Vec<AuditPackage>,
}

/// The audit data of an ELF binary: `Ok(None)` when `bytes` is not an ELF file or has no
/// `.dep-v0` section; `Err` when the section is there but unreadable.
pub fn audit_data(bytes: &[u8]) -> Result<Option<Vec<AuditPackage>>, String> {
    let Ok(elf) = elf::Elf::parse(bytes) else {
        return Ok(None);
    };
    let Some(section) = elf.section(SECTION) else {
        return Ok(None);
    };
    let compressed = elf
        .section_data(section)
        .ok_or_else(|| format!("section {SECTION} lies outside the file"))?;
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(compressed)
        .take(MAX_AUDIT_JSON_SIZE + 1)
        .read_to_end(&mut json)
        .map_err(|err| format!("section {SECTION} is not valid zlib data: {err}"))?;
    if json.len() as u64 > MAX_AUDIT_JSON_SIZE {
        return Err(format!(
            "section {SECTION} inflates to more than {MAX_AUDIT_JSON_SIZE} bytes"
        ));
    }
    let info: VersionInfo = serde_json::from_slice(&json)
        .map_err(|err| format!("section {SECTION} is not cargo-auditable JSON: {err}"))?;
    Ok(Some(info.packages))
}

/// Whether an executable of this size may be a compiled binary worth reading. There is no upper
/// bound here: the layer walk's own limit on scanned files applies, and it reports the files it
/// skips.
pub(crate) fn is_binary_candidate(entry: &EntryInfo<'_>) -> bool {
    entry.is_executable() && entry.size >= MIN_BINARY_SIZE
}

impl ExtractCataloger for RustCataloger {
    const NAME: &'static str = "rust";
    type Record = Vec<AuditPackage>;

    fn wants_file(&self, entry: &EntryInfo<'_>) -> bool {
        is_binary_candidate(entry)
    }

    fn record(&self, _path: &str, bytes: &[u8]) -> Option<Result<Self::Record, String>> {
        audit_data(bytes).transpose()
    }

    fn packages(
        &self,
        crates: Self::Record,
        found: FoundIn<'_>,
        _: &mut Vec<String>,
    ) -> Vec<Package> {
        crates
            .into_iter()
            .filter(|krate| {
                krate.kind != "build" && !krate.name.is_empty() && !krate.version.is_empty()
            })
            .map(|krate| {
                let purl = purl("cargo", None, &krate.name, &krate.version, &[]);
                found.package(Ecosystem::CratesIo, krate.name, krate.version, purl)
            })
            .collect()
    }
}

/// A bounds-checked reader of ELF section headers over bytes in memory, shared with the Go
/// cataloger. Every offset and size from the file is checked before use; a malformed file
/// is an `Err`, never a panic.
pub(crate) mod elf {
    const SHT_NOBITS: u32 = 8;
    const SHF_ALLOC: u64 = 2;
    /// More sections than any real binary has; bounds the work on hostile headers.
    const MAX_SECTIONS: u64 = 1 << 16;

    /// One section header.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) struct Section {
        pub(crate) name: String,
        pub(crate) kind: u32,
        pub(crate) flags: u64,
        pub(crate) addr: u64,
        pub(crate) offset: u64,
        pub(crate) size: u64,
    }

    /// A parsed ELF file: its byte order, class and section headers.
    #[derive(Debug)]
    pub(crate) struct Elf<'a> {
        data: &'a [u8],
        pub(crate) big_endian: bool,
        pub(crate) is_64: bool,
        pub(crate) sections: Vec<Section>,
    }

    /// Whether `bytes` starts with the ELF magic.
    pub(crate) fn is_elf(bytes: &[u8]) -> bool {
        bytes.starts_with(b"\x7fELF")
    }

    impl<'a> Elf<'a> {
        pub(crate) fn parse(data: &'a [u8]) -> Result<Self, String> {
            if !is_elf(data) || data.len() < 52 {
                return Err("not an ELF file".into());
            }
            let is_64 = match data[4] {
                1 => false,
                2 => true,
                class => return Err(format!("unknown ELF class {class}")),
            };
            let big_endian = match data[5] {
                1 => false,
                2 => true,
                order => return Err(format!("unknown ELF byte order {order}")),
            };
            let mut elf = Elf {
                data,
                big_endian,
                is_64,
                sections: Vec::new(),
            };
            let (shoff, shentsize, shnum, shstrndx) = if is_64 {
                (
                    elf.u64(0x28)?,
                    elf.u16(0x3a)?,
                    elf.u16(0x3c)?,
                    elf.u16(0x3e)?,
                )
            } else {
                (
                    elf.u32(0x20)?.into(),
                    elf.u16(0x2e)?,
                    elf.u16(0x30)?,
                    elf.u16(0x32)?,
                )
            };
            if shoff == 0 {
                return Ok(elf); // No section headers (stripped with sstrip).
            }
            let entsize = u64::from(shentsize);
            if entsize < if is_64 { 64 } else { 40 } {
                return Err(format!("section header size {entsize} is too small"));
            }
            let raw = |index: u64| -> Result<RawSection, String> {
                let at = index
                    .checked_mul(entsize)
                    .and_then(|o| o.checked_add(shoff))
                    .ok_or("section header offset overflows")?;
                elf.raw_section(at)
            };
            // Extended numbering: a count of 0 (or an index of SHN_XINDEX) lives in section 0.
            let first = raw(0)?;
            let count = if shnum == 0 {
                first.size
            } else {
                u64::from(shnum)
            };
            let strndx = if shstrndx == 0xffff {
                u64::from(first.link)
            } else {
                u64::from(shstrndx)
            };
            if count > MAX_SECTIONS {
                return Err(format!("{count} sections"));
            }
            let raws = (0..count).map(raw).collect::<Result<Vec<_>, _>>()?;
            let names = raws
                .get(usize::try_from(strndx).map_err(|_| "bad string table index")?)
                .filter(|s| s.kind != SHT_NOBITS)
                .and_then(|s| elf.slice(s.offset, s.size));
            elf.sections = raws
                .into_iter()
                .map(|s| Section {
                    name: names.map(|n| c_string(n, s.name)).unwrap_or_default(),
                    kind: s.kind,
                    flags: s.flags,
                    addr: s.addr,
                    offset: s.offset,
                    size: s.size,
                })
                .collect();
            Ok(elf)
        }

        /// The first section called `name`.
        pub(crate) fn section(&self, name: &str) -> Option<&Section> {
            self.sections.iter().find(|s| s.name == name)
        }

        /// The bytes of a section in the file (`None` for `SHT_NOBITS` or out of bounds).
        pub(crate) fn section_data(&self, section: &Section) -> Option<&'a [u8]> {
            if section.kind == SHT_NOBITS {
                return None;
            }
            self.slice(section.offset, section.size)
        }

        /// `len` bytes at virtual address `addr`, from the allocated section holding them.
        pub(crate) fn at_address(&self, addr: u64, len: u64) -> Option<&'a [u8]> {
            self.sections.iter().find_map(|s| {
                let end = s.addr.checked_add(s.size)?;
                let within = s.flags & SHF_ALLOC != 0
                    && s.kind != SHT_NOBITS
                    && s.addr <= addr
                    && addr.checked_add(len)? <= end;
                if !within {
                    return None;
                }
                self.slice(s.offset.checked_add(addr - s.addr)?, len)
            })
        }

        /// A pointer-sized word in the file's byte order.
        pub(crate) fn word(&self, bytes: &[u8], size: usize) -> Option<u64> {
            match size {
                4 => Some(self.read_u32(bytes.get(..4)?).into()),
                8 => Some(self.read_u64(bytes.get(..8)?)),
                _ => None,
            }
        }

        fn slice(&self, offset: u64, len: u64) -> Option<&'a [u8]> {
            let start = usize::try_from(offset).ok()?;
            let end = start.checked_add(usize::try_from(len).ok()?)?;
            self.data.get(start..end)
        }

        fn bytes_at<const N: usize>(&self, offset: u64) -> Result<[u8; N], String> {
            self.slice(offset, N as u64)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| format!("ELF header field at {offset} lies outside the file"))
        }

        fn u16(&self, offset: u64) -> Result<u16, String> {
            let b = self.bytes_at::<2>(offset)?;
            Ok(if self.big_endian {
                u16::from_be_bytes(b)
            } else {
                u16::from_le_bytes(b)
            })
        }

        fn u32(&self, offset: u64) -> Result<u32, String> {
            Ok(self.read_u32(&self.bytes_at::<4>(offset)?))
        }

        fn u64(&self, offset: u64) -> Result<u64, String> {
            Ok(self.read_u64(&self.bytes_at::<8>(offset)?))
        }

        fn read_u32(&self, b: &[u8]) -> u32 {
            let b: [u8; 4] = b.try_into().unwrap_or_default();
            if self.big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        }

        fn read_u64(&self, b: &[u8]) -> u64 {
            let b: [u8; 8] = b.try_into().unwrap_or_default();
            if self.big_endian {
                u64::from_be_bytes(b)
            } else {
                u64::from_le_bytes(b)
            }
        }

        fn raw_section(&self, at: u64) -> Result<RawSection, String> {
            let field = |o: u64| at.checked_add(o).ok_or("section header offset overflows");
            Ok(if self.is_64 {
                RawSection {
                    name: self.u32(field(0)?)?,
                    kind: self.u32(field(4)?)?,
                    flags: self.u64(field(8)?)?,
                    addr: self.u64(field(16)?)?,
                    offset: self.u64(field(24)?)?,
                    size: self.u64(field(32)?)?,
                    link: self.u32(field(40)?)?,
                }
            } else {
                RawSection {
                    name: self.u32(field(0)?)?,
                    kind: self.u32(field(4)?)?,
                    flags: self.u32(field(8)?)?.into(),
                    addr: self.u32(field(12)?)?.into(),
                    offset: self.u32(field(16)?)?.into(),
                    size: self.u32(field(20)?)?.into(),
                    link: self.u32(field(24)?)?,
                }
            })
        }
    }

    struct RawSection {
        name: u32,
        kind: u32,
        flags: u64,
        addr: u64,
        offset: u64,
        size: u64,
        link: u32,
    }

    /// The NUL-terminated string at `offset` of a string table (empty if out of bounds).
    fn c_string(table: &[u8], offset: u32) -> String {
        let Some(rest) = usize::try_from(offset).ok().and_then(|o| table.get(o..)) else {
            return String::new();
        };
        let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        String::from_utf8_lossy(&rest[..end]).into_owned()
    }

    /// Builds ELF files for tests: a null section, the given ones, and `.shstrtab`.
    #[cfg(test)]
    pub(crate) mod build {
        /// `(name, type, flags, address, content)`.
        pub(crate) type Spec<'a> = (&'a str, u32, u64, u64, &'a [u8]);

        pub(crate) fn elf(is_64: bool, big_endian: bool, sections: &[Spec<'_>]) -> Vec<u8> {
            let put = |out: &mut Vec<u8>, value: u64, size: usize| {
                let bytes = value.to_be_bytes();
                let mut field = bytes[8 - size..].to_vec();
                if !big_endian {
                    field.reverse();
                }
                out.extend(field);
            };
            let word = if is_64 { 8 } else { 4 };
            let header_size = if is_64 { 64 } else { 52 };
            let mut names = b"\0.shstrtab\0".to_vec();
            let mut body = Vec::new();
            let mut placed = Vec::new(); // (name offset, type, flags, addr, file offset, size)
            for (name, kind, flags, addr, content) in sections {
                let name_at = names.len() as u64;
                names.extend(name.as_bytes());
                names.push(0);
                while body.len() % 16 != 0 {
                    body.push(0);
                }
                let offset = (header_size + body.len()) as u64;
                body.extend(*content);
                placed.push((name_at, *kind, *flags, *addr, offset, content.len() as u64));
            }
            placed.push((
                1,
                3,
                0,
                0,
                (header_size + body.len()) as u64,
                names.len() as u64,
            ));
            body.extend(&names);
            while body.len() % 8 != 0 {
                body.push(0);
            }
            let shoff = (header_size + body.len()) as u64;

            let mut out = b"\x7fELF".to_vec();
            out.extend([
                if is_64 { 2 } else { 1 },
                if big_endian { 2 } else { 1 },
                1,
                0,
            ]);
            out.extend([0; 8]);
            put(&mut out, 2, 2); // e_type: executable
            put(&mut out, 0x3e, 2); // e_machine
            put(&mut out, 1, 4); // e_version
            put(&mut out, 0, word); // e_entry
            put(&mut out, 0, word); // e_phoff
            put(&mut out, shoff, word); // e_shoff
            put(&mut out, 0, 4); // e_flags
            put(&mut out, header_size as u64, 2); // e_ehsize
            put(&mut out, 0, 2); // e_phentsize
            put(&mut out, 0, 2); // e_phnum
            put(&mut out, if is_64 { 64 } else { 40 }, 2); // e_shentsize
            put(&mut out, placed.len() as u64 + 1, 2); // e_shnum
            put(&mut out, placed.len() as u64, 2); // e_shstrndx
            assert_eq!(out.len(), header_size);
            out.extend(body);
            out.extend(vec![0; if is_64 { 64 } else { 40 }]); // the null section
            for (name, kind, flags, addr, offset, size) in placed {
                put(&mut out, name, 4);
                put(&mut out, kind.into(), 4);
                put(&mut out, flags, word);
                put(&mut out, addr, word);
                put(&mut out, offset, word);
                put(&mut out, size, word);
                put(&mut out, 0, 4); // sh_link
                put(&mut out, 0, 4); // sh_info
                put(&mut out, 1, word); // sh_addralign
                put(&mut out, 0, word); // sh_entsize
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::Path;
    use std::process::Command;

    use super::super::testing::TestImage;
    use super::super::{Cataloger, Want};
    use super::elf::build;
    use super::*;

    /// Audit data shaped like cargo-auditable's for a small binary: root crate, runtime
    /// dependencies from crates.io and git, a build-only dependency.
    const AUDIT_JSON: &str = r#"{"packages":[
        {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"},
        {"name":"hello","version":"0.1.0","source":"local","dependencies":[2,3],"root":true},
        {"name":"libc","version":"0.2.150","source":"crates.io","dependencies":[0]},
        {"name":"serde","version":"1.0.193","source":"git"}]}"#;

    fn zlib(bytes: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn auditable_elf(is_64: bool, big_endian: bool, section: &[u8]) -> Vec<u8> {
        build::elf(
            is_64,
            big_endian,
            &[
                (".text", 1, 6, 0x1000, &[0x90; 32][..]),
                (".dep-v0", 1, 0, 0, section),
                (".bss", 8, 3, 0x2000, &[][..]),
            ],
        )
    }

    fn found(packages: &[Package]) -> Vec<(&str, &str, &str)> {
        packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.purl.as_str()))
            .collect()
    }

    const EXPECTED: [(&str, &str, &str); 3] = [
        ("hello", "0.1.0", "pkg:cargo/hello@0.1.0"),
        ("libc", "0.2.150", "pkg:cargo/libc@0.2.150"),
        ("serde", "1.0.193", "pkg:cargo/serde@1.0.193"),
    ];

    #[test]
    fn audit_data_is_read_from_every_elf_class_and_byte_order() {
        let section = zlib(AUDIT_JSON.as_bytes());
        for (is_64, big_endian) in [(true, false), (true, true), (false, false), (false, true)] {
            let binary = auditable_elf(is_64, big_endian, &section);
            let image = TestImage::new().file_mode(1, "/usr/local/bin/hello", binary, 0o755);
            let (packages, problems) = image.run(&RustCataloger);
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(
                found(&packages),
                EXPECTED,
                "64-bit {is_64}, big-endian {big_endian}"
            );
            let libc = &packages[1];
            assert_eq!(libc.ecosystem, Ecosystem::CratesIo);
            assert_eq!((libc.layer, libc.cataloger), (Some(1), "rust"));
            assert_eq!(libc.evidence, vec!["/usr/local/bin/hello"]);
        }
    }

    #[test]
    fn the_extract_is_the_package_list_not_the_binary() {
        let mut binary = auditable_elf(true, false, &zlib(AUDIT_JSON.as_bytes()));
        binary.extend(vec![0; 1 << 20]);
        let extract = RustCataloger.extract("/bin/x", &binary).unwrap();
        assert!(extract.len() < 400, "{}", extract.len());
    }

    #[test]
    fn binaries_without_audit_data_and_non_executables_are_nothing() {
        let plain = build::elf(true, false, &[(".text", 1, 6, 0x1000, &[0xc3; 16][..])]);
        let image = TestImage::new()
            .file_mode(0, "/usr/bin/plain", plain, 0o755)
            .file_mode(
                0,
                "/usr/bin/script",
                "#!/bin/sh\necho hello world, this is long enough\n",
                0o755,
            )
            .file_mode(0, "/usr/bin/tiny", "\x7fELF", 0o755)
            .file(
                0,
                "/usr/lib/data.bin",
                auditable_elf(true, false, &zlib(AUDIT_JSON.as_bytes())),
            );
        let (packages, problems) = image.run(&RustCataloger);
        assert!(
            packages.is_empty() && problems.is_empty(),
            "{packages:?} {problems:?}"
        );
        let entry = |size, mode| EntryInfo {
            path: "/x",
            size,
            mode,
        };
        assert_eq!(RustCataloger.wants(&entry(1000, 0o755)), Want::Extract);
        assert_eq!(RustCataloger.wants(&entry(1000, 0o644)), Want::No);
        assert_eq!(RustCataloger.wants(&entry(u64::MAX, 0o755)), Want::Extract);
        assert_eq!(RustCataloger.wants(&entry(10, 0o755)), Want::No);
    }

    #[test]
    fn corrupt_audit_data_is_a_problem() {
        let corrupt_zlib = auditable_elf(true, false, b"\x78\x9c this is not deflate");
        let not_json = auditable_elf(true, false, &zlib(b"{\"packages\": [1, 2"));
        let mut truncated = zlib(AUDIT_JSON.as_bytes());
        truncated.truncate(truncated.len() / 2);
        let truncated = auditable_elf(false, true, &truncated);
        let bomb = auditable_elf(
            true,
            false,
            &zlib(&vec![b' '; (MAX_AUDIT_JSON_SIZE + 1) as usize]),
        );
        let image = TestImage::new()
            .file_mode(0, "/bin/a", corrupt_zlib, 0o755)
            .file_mode(0, "/bin/b", not_json, 0o755)
            .file_mode(0, "/bin/c", truncated, 0o755)
            .file_mode(0, "/bin/d", bomb, 0o755);
        let (packages, problems) = image.run(&RustCataloger);
        assert!(packages.is_empty());
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].starts_with("/bin/a: section .dep-v0 is not valid zlib data"));
        assert!(problems[1].starts_with("/bin/b: section .dep-v0 is not cargo-auditable JSON"));
        assert!(problems[2].starts_with("/bin/c: section .dep-v0 is not valid zlib data"));
        assert!(problems[3].contains("inflates to more than"));
    }

    #[test]
    fn hostile_elf_headers_never_panic() {
        let good = auditable_elf(true, false, &zlib(AUDIT_JSON.as_bytes()));
        for cut in 0..good.len() {
            let _ = audit_data(&good[..cut]);
        }
        // Every byte of the headers and section table set to extreme values.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for round in 0..4000 {
            let mut bytes = good.clone();
            for _ in 0..(1 + round % 8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state as usize) % bytes.len();
                bytes[at] = [0, 0xff, 0x7f, 0x80, (state >> 32) as u8][round % 5];
            }
            let _ = audit_data(&bytes);
            let _ = RustCataloger.extract("/x", &bytes);
        }
        // A section table claiming 65535 sections at the end of the file.
        let mut bytes = good.clone();
        bytes[0x3c] = 0xff;
        bytes[0x3d] = 0xff;
        assert!(elf::Elf::parse(&bytes).is_err());
    }

    /// A real binary from the machine's toolchain (gcc, linked by ld) with the audit section
    /// added by binutils' `objcopy`, as cargo-auditable's linker flags would place it.
    #[test]
    fn a_real_elf_with_an_objcopy_added_section() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("hello.c");
        std::fs::write(&source, "int main(void) { return 0; }\n").unwrap();
        let plain = dir.path().join("hello");
        let compiled = Command::new("cc")
            .arg("-o")
            .arg(&plain)
            .arg(&source)
            .status();
        if !compiled.is_ok_and(|s| s.success()) {
            assert!(!ci, "cc is missing under CI");
            eprintln!("skipped: no cc");
            return;
        }
        let data = dir.path().join("dep-v0");
        std::fs::write(&data, zlib(AUDIT_JSON.as_bytes())).unwrap();
        let audited = dir.path().join("hello-audited");
        let status = Command::new("objcopy")
            .arg(format!("--add-section=.dep-v0={}", data.display()))
            .arg("--set-section-flags=.dep-v0=noload,readonly")
            .arg(&plain)
            .arg(&audited)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            assert!(!ci, "objcopy is missing under CI");
            eprintln!("skipped: no objcopy");
            return;
        }
        let image = TestImage::new()
            .file_mode(0, "/usr/bin/plain", std::fs::read(&plain).unwrap(), 0o755)
            .file_mode(
                1,
                "/usr/local/bin/hello",
                std::fs::read(&audited).unwrap(),
                0o755,
            );
        let (packages, problems) = image.run(&RustCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(found(&packages), EXPECTED);
        assert!(packages
            .iter()
            .all(|p| p.evidence == ["/usr/local/bin/hello"]));
    }

    /// A binary built by `cargo auditable` itself, when it is installed.
    #[test]
    fn a_binary_built_by_cargo_auditable() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        let available = Command::new("cargo")
            .args(["auditable", "--version"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !available {
            // Not installed by the CI script: building it needs crates.io.
            eprintln!("skipped: cargo-auditable is not installed (CI={ci})");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let krate = dir.path().join("tiny");
        std::fs::create_dir_all(krate.join("src")).unwrap();
        std::fs::write(
            krate.join("Cargo.toml"),
            "[package]\nname = \"tiny\"\nversion = \"0.3.1\"\nedition = \"2021\"\n[workspace]\n",
        )
        .unwrap();
        std::fs::write(krate.join("src/main.rs"), "fn main() {}\n").unwrap();
        let status = Command::new("cargo")
            .args(["auditable", "build", "--offline", "--quiet"])
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", krate.join("target"))
            .status()
            .unwrap();
        assert!(status.success());
        let binary = std::fs::read(Path::new(&krate).join("target/debug/tiny")).unwrap();
        let image = TestImage::new().file_mode(0, "/usr/local/bin/tiny", binary, 0o755);
        let (packages, problems) = image.run(&RustCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            found(&packages),
            [("tiny", "0.3.1", "pkg:cargo/tiny@0.3.1")]
        );
    }
}
