//! The RPM header as stored in a package database: the fields that identify a package.
//!
//! A stored header is `il` (index entry count) and `dl` (data store length), both big-endian
//! 32-bit, then `il` index entries of 16 bytes (tag, type, offset into the data store, count),
//! then the `dl`-byte data store. Headers read from `.rpm` files start with an 8-byte magic
//! (`8e ad e8 01` and 4 reserved bytes); that is accepted too.
//!
//! Every offset is checked against the data store and every string must end inside it, so a
//! hostile header gives an error, never a panic, and nothing is allocated from a length field.

use std::fmt;

/// The tags read here (`rpmtag.h`).
pub mod tag {
    pub const NAME: u32 = 1000;
    pub const VERSION: u32 = 1001;
    pub const RELEASE: u32 = 1002;
    pub const EPOCH: u32 = 1003;
    pub const ARCH: u32 = 1022;
    pub const SOURCERPM: u32 = 1044;
}

/// Entry data types (`rpmTagType`).
mod kind {
    pub const INT32: u32 = 4;
    pub const STRING: u32 = 6;
    pub const STRING_ARRAY: u32 = 8;
    pub const I18NSTRING: u32 = 9;
}

/// rpm's own limits (`header_internal.h`): at most 0xffff index entries and a 256 MiB store.
const MAX_ENTRIES: usize = 0xffff;
const MAX_DATA: usize = 0x0fff_ffff;
const ENTRY_SIZE: usize = 16;
const MAGIC: [u8; 4] = [0x8e, 0xad, 0xe8, 0x01];

/// Why a header could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError(pub String);

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HeaderError {}

fn error<T>(message: impl Into<String>) -> Result<T, HeaderError> {
    Err(HeaderError(message.into()))
}

/// What identifies an installed RPM package.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RpmHeader {
    pub name: String,
    pub epoch: Option<u32>,
    pub version: String,
    pub release: String,
    pub arch: Option<String>,
    /// `SOURCERPM`, e.g. `openssl-3.0.7-27.el9.src.rpm`; absent for source packages and
    /// pseudo-packages such as `gpg-pubkey`.
    pub source_rpm: Option<String>,
}

impl RpmHeader {
    /// `[epoch:]version-release`, as rpm prints it (the epoch whenever the header has one).
    pub fn evr(&self) -> String {
        match self.epoch {
            Some(epoch) => format!("{epoch}:{}-{}", self.version, self.release),
            None => format!("{}-{}", self.version, self.release),
        }
    }

    /// The source package's name and `[epoch:]version-release` from `SOURCERPM`
    /// (`name-version-release.src.rpm`). The file name has no epoch; the binary's applies.
    pub fn source(&self) -> Option<(String, String)> {
        let file = self.source_rpm.as_deref()?;
        let stem = file
            .strip_suffix(".src.rpm")
            .or_else(|| file.strip_suffix(".nosrc.rpm"))?;
        let (rest, release) = stem.rsplit_once('-')?;
        let (name, version) = rest.rsplit_once('-')?;
        if name.is_empty() || version.is_empty() || release.is_empty() {
            return None;
        }
        let evr = match self.epoch {
            Some(epoch) => format!("{epoch}:{version}-{release}"),
            None => format!("{version}-{release}"),
        };
        Some((name.to_string(), evr))
    }
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Reads NAME, EPOCH, VERSION, RELEASE, ARCH and SOURCERPM from a stored header.
pub fn parse(blob: &[u8]) -> Result<RpmHeader, HeaderError> {
    let blob = match blob.get(..4) {
        Some(magic) if magic == MAGIC => &blob[8.min(blob.len())..],
        _ => blob,
    };
    let (Some(il), Some(dl)) = (be32(blob, 0), be32(blob, 4)) else {
        return error(format!(
            "header of {} bytes is too short for its 8-byte preamble",
            blob.len()
        ));
    };
    let (il, dl) = (il as usize, dl as usize);
    if il == 0 || il > MAX_ENTRIES {
        return error(format!(
            "header has {il} index entries (1 to {MAX_ENTRIES} allowed)"
        ));
    }
    if dl > MAX_DATA {
        return error(format!(
            "header data store of {dl} bytes is over rpm's limit"
        ));
    }
    let index_end = 8 + il * ENTRY_SIZE;
    let needed = index_end + dl;
    if blob.len() < needed {
        return error(format!(
            "header truncated: {} bytes, its index ({il} entries) and data store ({dl} bytes) need {needed}",
            blob.len()
        ));
    }
    let index = &blob[8..index_end];
    let data = &blob[index_end..needed];

    let mut fields = Fields::default();
    for entry in index.chunks_exact(ENTRY_SIZE) {
        let [tag, kind, offset, count] =
            [0, 4, 8, 12].map(|at| be32(entry, at).unwrap_or_default());
        let slot = match tag {
            tag::NAME => &mut fields.name,
            tag::VERSION => &mut fields.version,
            tag::RELEASE => &mut fields.release,
            tag::ARCH => &mut fields.arch,
            tag::SOURCERPM => &mut fields.source_rpm,
            tag::EPOCH => {
                if fields.epoch.is_none() {
                    fields.epoch = Some(int32(data, tag, kind, offset, count)?);
                }
                continue;
            }
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(string(data, tag, kind, offset, count)?);
        }
    }
    let Fields {
        name: Some(name),
        version: Some(version),
        release: Some(release),
        ..
    } = fields
    else {
        return error("header lacks NAME, VERSION or RELEASE");
    };
    if name.is_empty() {
        return error("header has an empty NAME");
    }
    Ok(RpmHeader {
        name,
        epoch: fields.epoch,
        version,
        release,
        arch: fields.arch.filter(|a| !a.is_empty()),
        source_rpm: fields.source_rpm.filter(|s| !s.is_empty()),
    })
}

#[derive(Default)]
struct Fields {
    name: Option<String>,
    version: Option<String>,
    release: Option<String>,
    arch: Option<String>,
    source_rpm: Option<String>,
    epoch: Option<u32>,
}

/// The first string of a STRING, STRING_ARRAY or I18NSTRING entry.
fn string(
    data: &[u8],
    tag: u32,
    kind: u32,
    offset: u32,
    count: u32,
) -> Result<String, HeaderError> {
    if !matches!(kind, kind::STRING | kind::STRING_ARRAY | kind::I18NSTRING) {
        return error(format!("tag {tag} has type {kind}, not a string"));
    }
    if count == 0 {
        return error(format!("tag {tag} has no value"));
    }
    let Some(rest) = data.get(offset as usize..) else {
        return error(format!(
            "tag {tag} points at {offset}, past the data store ({} bytes)",
            data.len()
        ));
    };
    let Some(end) = rest.iter().position(|&b| b == 0) else {
        return error(format!(
            "tag {tag}: string at {offset} runs past the data store"
        ));
    };
    Ok(String::from_utf8_lossy(&rest[..end]).into_owned())
}

fn int32(data: &[u8], tag: u32, kind: u32, offset: u32, count: u32) -> Result<u32, HeaderError> {
    if kind != kind::INT32 || count == 0 {
        return error(format!(
            "tag {tag} has type {kind} and count {count}, not INT32"
        ));
    }
    match be32(data, offset as usize) {
        Some(value) => Ok(value),
        None => error(format!(
            "tag {tag} points at {offset}, past the data store ({} bytes)",
            data.len()
        )),
    }
}

/// Builds stored headers for tests: `(tag, type, value)` entries.
#[cfg(test)]
pub(crate) mod build {
    /// A header value.
    pub enum Value<'a> {
        Str(&'a str),
        Int32(u32),
        I18n(&'a str),
        Bin(&'a [u8]),
    }

    /// Encodes entries as a stored header (no magic), with the data store in entry order.
    pub fn header(entries: &[(u32, Value<'_>)]) -> Vec<u8> {
        let mut index = Vec::new();
        let mut data: Vec<u8> = Vec::new();
        for (tag, value) in entries {
            let (kind, count, bytes): (u32, u32, Vec<u8>) = match value {
                Value::Str(s) => (6, 1, [s.as_bytes(), &[0]].concat()),
                Value::I18n(s) => (9, 1, [s.as_bytes(), &[0]].concat()),
                Value::Int32(v) => {
                    while !data.len().is_multiple_of(4) {
                        data.push(0);
                    }
                    (4, 1, v.to_be_bytes().to_vec())
                }
                Value::Bin(b) => (7, b.len() as u32, b.to_vec()),
            };
            for field in [*tag, kind, data.len() as u32, count] {
                index.extend_from_slice(&field.to_be_bytes());
            }
            data.extend_from_slice(&bytes);
        }
        let mut out = Vec::new();
        out.extend_from_slice(&((index.len() / 16) as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(&index);
        out.extend_from_slice(&data);
        out
    }

    /// A typical binary package header.
    pub fn package(
        name: &str,
        epoch: Option<u32>,
        version: &str,
        release: &str,
        arch: &str,
        source: Option<&str>,
    ) -> Vec<u8> {
        let mut entries = vec![
            (1000, Value::Str(name)),
            (1001, Value::Str(version)),
            (1002, Value::Str(release)),
            (1004, Value::I18n("a summary")),
            (1022, Value::Str(arch)),
            (1012, Value::Bin(&[1, 2, 3])),
        ];
        if let Some(epoch) = epoch {
            entries.push((1003, Value::Int32(epoch)));
        }
        if let Some(source) = source {
            entries.push((1044, Value::Str(source)));
        }
        header(&entries)
    }
}

#[cfg(test)]
mod tests {
    use super::build::{header, package, Value};
    use super::*;

    #[test]
    fn reads_the_identifying_tags() {
        let blob = package(
            "openssl-libs",
            Some(1),
            "3.0.7",
            "27.el9",
            "x86_64",
            Some("openssl-3.0.7-27.el9.src.rpm"),
        );
        let h = parse(&blob).expect("valid header");
        assert_eq!(h.name, "openssl-libs");
        assert_eq!(h.epoch, Some(1));
        assert_eq!(h.version, "3.0.7");
        assert_eq!(h.release, "27.el9");
        assert_eq!(h.arch.as_deref(), Some("x86_64"));
        assert_eq!(h.evr(), "1:3.0.7-27.el9");
        assert_eq!(
            h.source(),
            Some(("openssl".into(), "1:3.0.7-27.el9".into()))
        );

        // With the .rpm file magic in front.
        let with_magic = [&[0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0][..], &blob].concat();
        assert_eq!(parse(&with_magic), Ok(h));
    }

    #[test]
    fn source_rpm_names() {
        let mut h = parse(&package(
            "bash",
            None,
            "5.1.8",
            "9.el9",
            "x86_64",
            Some("bash-5.1.8-9.el9.src.rpm"),
        ))
        .unwrap();
        assert_eq!(h.evr(), "5.1.8-9.el9");
        assert_eq!(h.source(), Some(("bash".into(), "5.1.8-9.el9".into())));
        h.source_rpm = Some("python3.11-setuptools-65.5.1-2.el9.src.rpm".into());
        assert_eq!(
            h.source(),
            Some(("python3.11-setuptools".into(), "65.5.1-2.el9".into()))
        );
        h.source_rpm = Some("kernel-5.14.0-427.el9.nosrc.rpm".into());
        assert_eq!(h.source(), Some(("kernel".into(), "5.14.0-427.el9".into())));
        for bad in [
            "bash.src.rpm",
            "bash-5.1.src.rpm",
            "-1-2.src.rpm",
            "bash-5.1-2.rpm",
            "(none)",
        ] {
            h.source_rpm = Some(bad.into());
            assert_eq!(h.source(), None, "{bad}");
        }
    }

    #[test]
    fn missing_fields_and_wrong_types_are_errors() {
        let no_release = header(&[(1000, Value::Str("a")), (1001, Value::Str("1"))]);
        assert!(parse(&no_release).unwrap_err().0.contains("lacks"));
        let int_name = header(&[
            (1000, Value::Int32(7)),
            (1001, Value::Str("1")),
            (1002, Value::Str("1")),
        ]);
        assert!(parse(&int_name).unwrap_err().0.contains("not a string"));
        let string_epoch = header(&[(1000, Value::Str("a")), (1003, Value::Str("1"))]);
        assert!(parse(&string_epoch).unwrap_err().0.contains("not INT32"));
    }

    #[test]
    fn hostile_headers_error_without_panicking() {
        let good = package("a", Some(0), "1", "1", "noarch", None);
        // Every truncation of a valid header.
        for len in 0..good.len() {
            assert!(parse(&good[..len]).is_err(), "truncated to {len}");
        }
        // Huge counts and lengths.
        let mut huge = good.clone();
        huge[..4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(parse(&huge).unwrap_err().0.contains("index entries"));
        let mut huge = good.clone();
        huge[4..8].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(parse(&huge).unwrap_err().0.contains("limit"));
        let mut huge = good.clone();
        huge[4..8].copy_from_slice(&0x0fff_0000u32.to_be_bytes());
        assert!(parse(&huge).unwrap_err().0.contains("truncated"));
        // An offset past the store, and a string with no terminator.
        let mut bad_offset = good.clone();
        bad_offset[16..20].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(parse(&bad_offset)
            .unwrap_err()
            .0
            .contains("past the data store"));
        let unterminated = {
            let mut h = header(&[
                (1001, Value::Str("1")),
                (1002, Value::Str("1")),
                (1000, Value::Str("name")),
            ]);
            h.pop();
            let dl = u32::from_be_bytes([h[4], h[5], h[6], h[7]]) - 1;
            h[4..8].copy_from_slice(&dl.to_be_bytes());
            h
        };
        assert!(parse(&unterminated).unwrap_err().0.contains("runs past"));
        // Bit flips anywhere never panic.
        for at in 0..good.len() {
            for bit in 0..8 {
                let mut flipped = good.clone();
                flipped[at] ^= 1 << bit;
                let _ = parse(&flipped);
            }
        }
    }
}
