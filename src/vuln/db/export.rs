//! Reading OSV records: one file's bytes, or every record of an `all.zip` export.
//!
//! A record can fail in two ways, and they are told apart because they call for different
//! reactions:
//! - **corrupt**: the bytes are not JSON at all (truncated, garbage). In a downloaded export
//!   that means the file was damaged, so the whole export is refused and the previous data
//!   kept;
//! - **unfit**: valid JSON (or YAML) that is not an OSV record this version can read (a
//!   missing `id`, a range type from a newer schema). Refusing the whole export for one such
//!   record would leave users without updates until a new release, so the record is skipped
//!   and the skip is reported (in `db update`, `db status` and the scan's warnings).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::error::DbError;
use crate::vuln::osv::Advisory;

/// Records larger than this are refused (the largest real ones, kernel CVEs listing every
/// affected version, are a few hundred KiB); it bounds what a hostile mirror can make us
/// allocate.
pub(crate) const MAX_RECORD_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordFormat {
    Json,
    Yaml,
}

impl RecordFormat {
    /// By extension: `.json`, `.yaml`, `.yml` (any case); `None` for anything else.
    pub(crate) fn of(name: &str) -> Option<RecordFormat> {
        let (_, extension) = name.rsplit_once('.')?;
        if extension.eq_ignore_ascii_case("json") {
            Some(RecordFormat::Json)
        } else if extension.eq_ignore_ascii_case("yaml") || extension.eq_ignore_ascii_case("yml") {
            Some(RecordFormat::Yaml)
        } else {
            None
        }
    }
}

/// Why a record was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RecordError {
    /// Not JSON/YAML at all.
    Corrupt(String),
    /// Parsed, but not an OSV record we can read.
    Unfit(String),
}

impl RecordError {
    pub(crate) fn message(&self) -> &str {
        match self {
            RecordError::Corrupt(m) | RecordError::Unfit(m) => m,
        }
    }
}

/// Parses one record.
pub(crate) fn parse_record(bytes: &[u8], format: RecordFormat) -> Result<Advisory, RecordError> {
    let advisory: Advisory = match format {
        RecordFormat::Json => serde_json::from_slice(bytes).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => RecordError::Unfit(e.to_string()),
            _ => RecordError::Corrupt(e.to_string()),
        })?,
        // YAML comes from people's directories, never from a download: every failure is
        // reported the same way there.
        RecordFormat::Yaml => {
            serde_yaml_ng::from_slice(bytes).map_err(|e| RecordError::Unfit(e.to_string()))?
        }
    };
    if advisory.id.trim().is_empty() {
        return Err(RecordError::Unfit("the record has an empty `id`".into()));
    }
    Ok(advisory)
}

/// One record entry of an export; its bytes are in the caller's buffer when `read` is `Ok`.
pub(crate) struct Entry {
    pub name: String,
    pub format: RecordFormat,
    pub read: Result<(), RecordError>,
}

/// An `all.zip` export opened for reading its records one by one (never all at once: an
/// export can hold hundreds of thousands of records).
pub(crate) struct Export {
    archive: zip::ZipArchive<BufReader<File>>,
    path: std::path::PathBuf,
}

impl Export {
    pub(crate) fn open(path: &Path) -> Result<Export, DbError> {
        let file = File::open(path).map_err(|e| DbError::io("cannot read", path, e))?;
        let archive =
            zip::ZipArchive::new(BufReader::with_capacity(256 * 1024, file)).map_err(|e| {
                DbError::CorruptExport {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                }
            })?;
        Ok(Export {
            archive,
            path: path.to_path_buf(),
        })
    }

    /// Number of entries (records and anything else).
    pub(crate) fn len(&self) -> usize {
        self.archive.len()
    }

    /// Reads entry `index` into `buffer`; `None` for entries that are not records
    /// (directories, other extensions). A read error (bad CRC, truncated data) is a corrupt
    /// export; an oversized record is [`RecordError::Unfit`].
    pub(crate) fn read(
        &mut self,
        index: usize,
        buffer: &mut Vec<u8>,
    ) -> Result<Option<Entry>, DbError> {
        let corrupt = |message: String| DbError::CorruptExport {
            path: self.path.clone(),
            message,
        };
        let mut entry = self
            .archive
            .by_index(index)
            .map_err(|e| corrupt(format!("entry {index}: {e}")))?;
        if !entry.is_file() {
            return Ok(None);
        }
        let name = entry.name().to_owned();
        let Some(format) = RecordFormat::of(&name) else {
            return Ok(None);
        };
        if entry.size() > MAX_RECORD_BYTES {
            let message = format!(
                "{} bytes, more than the {MAX_RECORD_BYTES} allowed for one record",
                entry.size()
            );
            return Ok(Some(Entry {
                name,
                format,
                read: Err(RecordError::Unfit(message)),
            }));
        }
        buffer.clear();
        (&mut entry)
            .take(MAX_RECORD_BYTES)
            .read_to_end(buffer)
            .map_err(|e| corrupt(format!("{name}: {e}")))?;
        Ok(Some(Entry {
            name,
            format,
            read: Ok(()),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(RecordFormat::of("GO-1.json"), Some(RecordFormat::Json));
        assert_eq!(RecordFormat::of("a/PYSEC-1.YAML"), Some(RecordFormat::Yaml));
        assert_eq!(RecordFormat::of("x.yml"), Some(RecordFormat::Yaml));
        assert_eq!(RecordFormat::of("README.md"), None);
        assert_eq!(RecordFormat::of("LICENSE"), None);
    }

    #[test]
    fn broken_bytes_are_corrupt_and_foreign_json_is_unfit() {
        assert!(matches!(
            parse_record(br#"{"id": "GO-1", "affected": ["#, RecordFormat::Json),
            Err(RecordError::Corrupt(_))
        ));
        assert!(matches!(
            parse_record(b"\x00\x01garbage", RecordFormat::Json),
            Err(RecordError::Corrupt(_))
        ));
        assert!(matches!(
            parse_record(br#"{"bomFormat": "CycloneDX"}"#, RecordFormat::Json),
            Err(RecordError::Unfit(_))
        ));
        let newer_range = br#"{"id":"X-1","affected":[{"package":{"ecosystem":"Go","name":"m"},
            "ranges":[{"type":"QUANTUM","events":[{"introduced":"0"}]}]}]}"#;
        assert!(matches!(
            parse_record(newer_range, RecordFormat::Json),
            Err(RecordError::Unfit(_))
        ));
        assert!(matches!(
            parse_record(br#"{"id":" "}"#, RecordFormat::Json),
            Err(RecordError::Unfit(_))
        ));
        assert_eq!(
            parse_record(
                b"id: PYSEC-1\nmodified: 2021-01-01T00:00:00Z\n",
                RecordFormat::Yaml
            )
            .map(|a| a.modified),
            Ok(Some("2021-01-01T00:00:00Z".to_owned()))
        );
    }
}
