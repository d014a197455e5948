//! The compact local index: one SQLite file per downloaded ecosystem, `<ecosystem>.sqlite`.
//!
//! ```text
//! meta(key TEXT PRIMARY KEY, value TEXT)          format, ecosystem, source, ETag, sha256, times…
//! advisory(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, record BLOB)
//! package(name TEXT, advisory INTEGER, PRIMARY KEY (name, advisory)) WITHOUT ROWID
//! ```
//!
//! `record` is the advisory re-serialised from our model (so fields we never read are gone) as
//! compact JSON, zstd-compressed: on disk, about the size of the zip export. `package` maps
//! each name (normalised, see [`normalize_name`]) to the advisories affecting it; being
//! clustered on `(name, advisory)`, a look-up is one B-tree descent plus one row per
//! advisory. Opening reads only `meta`, so a scan pays for the packages it looks up, not for
//! the size of the ecosystem.
//!
//! Metadata lives inside the file so that data and metadata are swapped together: an index is
//! built in a temporary file in the same directory, synced, and renamed over the old one. The
//! only in-place write is [`touch_checked`] (after a `304 Not Modified`), a one-row SQLite
//! transaction.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use rusqlite::{params, Connection, OpenFlags};
use sha2::{Digest, Sha256};

use super::error::DbError;
use super::export::{parse_record, Export, RecordError, RecordFormat};
use super::names::{file_stem, normalize_name};
use crate::vuln::osv::{base_ecosystem, Advisory};

/// What `meta.format` must say.
const FORMAT_NAME: &str = "portcullis-osv-index";
/// Bumped whenever the schema, the record encoding or [`normalize_name`] changes: an index of
/// another version is ignored (and rebuilt by the next update) rather than misread.
pub(crate) const FORMAT_VERSION: u32 = 2;
/// zstd level for records: 3 is zstd's default, fast to build and a good ratio on JSON.
const ZSTD_LEVEL: i32 = 3;
/// Records parsed in parallel per batch while building (bounds memory, keeps both cores busy).
const BATCH: usize = 1024;
/// At most this many skipped-record messages are kept in `meta` (the count is always exact).
const KEPT_SKIP_MESSAGES: usize = 20;

/// An index's file name in the database directory.
pub(crate) fn index_path(dir: &Path, ecosystem: &str) -> PathBuf {
    dir.join(format!("{}.sqlite", file_stem(ecosystem)))
}

/// Everything `meta` records about one ecosystem's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Meta {
    /// As downloaded: `Debian`, `crates.io`, `Red Hat`.
    pub ecosystem: String,
    pub source_url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Of the export as stored on disk, hex.
    pub sha256: String,
    pub export_bytes: u64,
    /// When the export was downloaded.
    pub fetched_at: SystemTime,
    /// When the server last confirmed it current (a download or a `304`).
    pub checked_at: SystemTime,
    pub advisories: usize,
    /// Records skipped because they do not fit the model: how many, and the first messages.
    pub skipped: usize,
    pub skipped_messages: Vec<String>,
}

/// What was fetched, for [`build`] to record.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub ecosystem: String,
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The digest computed while downloading; the export is re-hashed and must match.
    pub sha256: Option<String>,
    pub fetched_at: SystemTime,
}

/// One parsed record ready to insert.
struct Prepared {
    id: String,
    record: Vec<u8>,
    names: Vec<String>,
}

/// Builds `<dir>/<ecosystem>.sqlite` from an export and swaps it in. On any error the
/// temporary file is removed and the previous index, if any, is untouched.
pub(crate) fn build(dir: &Path, export_path: &Path, source: &Source) -> Result<Meta, DbError> {
    let (sha256, export_bytes) = hash_file(export_path)?;
    if let Some(expected) = &source.sha256 {
        if !expected.eq_ignore_ascii_case(&sha256) {
            return Err(DbError::Checksum {
                path: export_path.to_path_buf(),
                expected: expected.clone(),
                actual: sha256,
            });
        }
    }
    let mut export = Export::open(export_path)?;
    let final_path = index_path(dir, &source.ecosystem);
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{}.", file_stem(&source.ecosystem)))
        .suffix(".sqlite.tmp")
        // Readable by others (subject to the umask) like the rest of a shared cache, not the
        // owner-only default of temporary files.
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644))
        .tempfile_in(dir)
        .map_err(|e| DbError::io("cannot create a temporary file in", dir, e))?;
    let sql = |e| DbError::sqlite(temp.path(), e);
    let mut connection = Connection::open(temp.path()).map_err(sql)?;
    connection
        .execute_batch(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA locking_mode = EXCLUSIVE;
             PRAGMA cache_size = -16384;
             CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
             CREATE TABLE advisory(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                                   record BLOB NOT NULL);
             CREATE TABLE package(name TEXT NOT NULL, advisory INTEGER NOT NULL,
                                  PRIMARY KEY (name, advisory)) WITHOUT ROWID;",
        )
        .map_err(sql)?;

    let base = base_ecosystem(&source.ecosystem).to_owned();
    let mut skips = Skips::default();
    let transaction = connection.transaction().map_err(sql)?;
    let mut batch: Vec<Raw> = Vec::with_capacity(BATCH);
    let mut buffer = Vec::new();
    for index in 0..export.len() {
        if let Some(entry) = export.read(index, &mut buffer)? {
            match entry.read {
                Ok(()) => batch.push(Raw {
                    entry: entry.name,
                    format: entry.format,
                    bytes: std::mem::take(&mut buffer),
                }),
                Err(problem) => skips.add(&entry.name, &problem),
            }
        }
        if batch.len() >= BATCH {
            insert_batch(&transaction, &mut batch, &base, export_path, &mut skips)?;
        }
    }
    insert_batch(&transaction, &mut batch, &base, export_path, &mut skips)?;
    // Counted from the table: an id present twice in the export is stored once, and a record
    // without a package in this ecosystem not at all.
    let advisories: i64 = transaction
        .query_row("SELECT count(*) FROM advisory", [], |row| row.get(0))
        .map_err(sql)?;

    let meta = Meta {
        ecosystem: source.ecosystem.clone(),
        source_url: source.url.clone(),
        etag: source.etag.clone(),
        last_modified: source.last_modified.clone(),
        sha256,
        export_bytes,
        fetched_at: source.fetched_at,
        checked_at: source.fetched_at,
        advisories: usize::try_from(advisories).unwrap_or(0),
        skipped: skips.count,
        skipped_messages: skips.messages,
    };
    write_meta(&transaction, &meta).map_err(sql)?;
    transaction.commit().map_err(sql)?;
    connection.close().map_err(|(_, e)| sql(e))?;

    // Durable before it becomes visible: a crash after the rename must not leave a
    // half-written index in place of the old one.
    temp.as_file()
        .sync_all()
        .map_err(|e| DbError::io("cannot write", temp.path(), e))?;
    temp.persist(&final_path)
        .map_err(|e| DbError::io("cannot replace", &final_path, e.error))?;
    sync_dir(dir);
    Ok(meta)
}

/// One record as read from the export, not yet parsed.
struct Raw {
    entry: String,
    format: RecordFormat,
    bytes: Vec<u8>,
}

/// Records skipped because they do not fit the model.
#[derive(Default)]
struct Skips {
    count: usize,
    messages: Vec<String>,
}

impl Skips {
    fn add(&mut self, entry: &str, problem: &RecordError) {
        self.count += 1;
        if self.messages.len() < KEPT_SKIP_MESSAGES {
            self.messages
                .push(format!("{entry}: {}", problem.message()));
        }
    }
}

/// Parses and compresses a batch on every core, then inserts it (SQLite writes are serial).
/// A corrupt record fails the build; an unfit one is skipped.
fn insert_batch(
    transaction: &rusqlite::Transaction<'_>,
    batch: &mut Vec<Raw>,
    base: &str,
    export_path: &Path,
    skips: &mut Skips,
) -> Result<(), DbError> {
    if batch.is_empty() {
        return Ok(());
    }
    let prepared: Vec<(String, Result<Prepared, RecordError>)> = batch
        .par_drain(..)
        .map_init(
            || zstd::bulk::Compressor::new(ZSTD_LEVEL),
            |compressor, raw| {
                let result = prepare(&raw.bytes, raw.format, base, compressor);
                (raw.entry, result)
            },
        )
        .collect();
    let sql = |e| DbError::sqlite(export_path, e);
    let mut insert_advisory = transaction
        .prepare_cached("INSERT OR REPLACE INTO advisory(id, record) VALUES (?1, ?2)")
        .map_err(sql)?;
    let mut insert_package = transaction
        .prepare_cached("INSERT OR IGNORE INTO package(name, advisory) VALUES (?1, ?2)")
        .map_err(sql)?;
    for (entry, result) in prepared {
        match result {
            // Nothing can look it up here (no affected package in this ecosystem).
            Ok(record) if record.names.is_empty() => {}
            Ok(record) => {
                insert_advisory
                    .execute(params![record.id, record.record])
                    .map_err(sql)?;
                let rowid = transaction.last_insert_rowid();
                for name in &record.names {
                    insert_package.execute(params![name, rowid]).map_err(sql)?;
                }
            }
            Err(RecordError::Corrupt(message)) => {
                return Err(DbError::CorruptRecord {
                    path: export_path.to_path_buf(),
                    entry,
                    message,
                })
            }
            Err(problem) => skips.add(&entry, &problem),
        }
    }
    Ok(())
}

/// Parses, re-serialises and compresses one record, and lists the names it affects in `base`.
fn prepare(
    bytes: &[u8],
    format: RecordFormat,
    base: &str,
    compressor: &mut std::io::Result<zstd::bulk::Compressor<'static>>,
) -> Result<Prepared, RecordError> {
    let mut advisory = parse_record(bytes, format)?;
    // Look-ups in this index only ever read the entries of its own ecosystem: a GHSA record
    // that also covers npm and Maven is stored with its PyPI entries alone in PyPI's index.
    advisory.affected.retain(|affected| {
        affected
            .package
            .as_ref()
            .is_some_and(|package| base_ecosystem(&package.ecosystem) == base)
    });
    let mut names: Vec<String> = package_names(&advisory, base)
        .map(|name| normalize_name(base, name).into_owned())
        .collect();
    names.sort_unstable();
    names.dedup();
    let json = serde_json::to_vec(&advisory)
        .map_err(|e| RecordError::Unfit(format!("cannot re-serialise: {e}")))?;
    let record = match compressor {
        Ok(compressor) => compressor
            .compress(&json)
            .map_err(|e| RecordError::Unfit(format!("cannot compress: {e}")))?,
        Err(e) => return Err(RecordError::Unfit(format!("cannot compress: {e}"))),
    };
    Ok(Prepared {
        id: advisory.id,
        record,
        names,
    })
}

/// The names of the packages an advisory affects in ecosystem `base` (any release).
pub(crate) fn package_names<'a>(
    advisory: &'a Advisory,
    base: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    advisory
        .affected
        .iter()
        .filter_map(|affected| affected.package.as_ref())
        .filter(move |package| base_ecosystem(&package.ecosystem) == base)
        .map(|package| package.name.as_str())
}

fn write_meta(connection: &Connection, meta: &Meta) -> rusqlite::Result<()> {
    let mut insert =
        connection.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)")?;
    let rows: [(&str, Option<String>); 14] = [
        ("format", Some(FORMAT_NAME.into())),
        ("format_version", Some(FORMAT_VERSION.to_string())),
        ("ecosystem", Some(meta.ecosystem.clone())),
        ("source_url", Some(meta.source_url.clone())),
        ("etag", meta.etag.clone()),
        ("last_modified", meta.last_modified.clone()),
        ("sha256", Some(meta.sha256.clone())),
        ("export_bytes", Some(meta.export_bytes.to_string())),
        (
            "fetched_at",
            Some(unix_seconds(meta.fetched_at).to_string()),
        ),
        (
            "checked_at",
            Some(unix_seconds(meta.checked_at).to_string()),
        ),
        ("advisories", Some(meta.advisories.to_string())),
        ("skipped", Some(meta.skipped.to_string())),
        (
            "skipped_messages",
            Some(serde_json::to_string(&meta.skipped_messages).unwrap_or_default()),
        ),
        ("built_by", Some(env!("CARGO_PKG_VERSION").into())),
    ];
    for (key, value) in rows {
        if let Some(value) = value {
            insert.execute(params![key, value])?;
        }
    }
    Ok(())
}

/// An open index: its metadata, and a connection for look-ups.
pub(crate) struct Index {
    pub path: PathBuf,
    pub meta: Meta,
    /// rusqlite connections are not `Sync`; the matcher may look up from several threads.
    lookup: Mutex<Connection>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("path", &self.path)
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl Index {
    /// Opens an index read-only and reads its metadata (nothing else). An index of another
    /// format version is an error, so callers can treat it as absent.
    pub(crate) fn open(path: &Path) -> Result<Index, DbError> {
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| DbError::sqlite(path, e))?;
        // A `db update` refreshing `checked_at` holds the write lock for a moment. Pages are
        // read through a memory map (no system call per page), only those a look-up touches.
        connection
            .busy_timeout(Duration::from_secs(5))
            .and_then(|()| connection.pragma_update(None, "mmap_size", 1i64 << 30))
            .map_err(|e| DbError::sqlite(path, e))?;
        let meta = read_meta(&connection, path)?;
        Ok(Index {
            path: path.to_path_buf(),
            meta,
            lookup: Mutex::new(connection),
        })
    }

    /// The advisories stored for `name` (already normalised), ordered by id.
    ///
    /// Only the query holds the connection's lock; records are decompressed and parsed after
    /// it is released, so look-ups from several threads overlap where the work is, and the
    /// packages with hundreds of advisories (a distribution's kernel) are decoded on every core.
    pub(crate) fn advisories(&self, name: &str) -> Result<Vec<Advisory>, DbError> {
        /// From this many records on, decoding is spread over rayon's threads.
        const PARALLEL_FROM: usize = 64;
        let blobs = self.records(name)?;
        let decoded: Result<Vec<Advisory>, String> = if blobs.len() >= PARALLEL_FROM {
            blobs
                .par_iter()
                .map_init(
                    zstd::bulk::Decompressor::new,
                    |decompressor, (rowid, blob)| match decompressor {
                        Ok(decompressor) => decode(decompressor, *rowid, blob),
                        Err(e) => Err(format!("cannot set up zstd: {e}")),
                    },
                )
                .collect()
        } else {
            DECOMPRESSOR.with(|cell| {
                let mut slot = cell.borrow_mut();
                if slot.is_none() {
                    *slot = Some(
                        zstd::bulk::Decompressor::new()
                            .map_err(|e| format!("cannot set up zstd: {e}"))?,
                    );
                }
                let decompressor = slot.as_mut().ok_or("no zstd context")?;
                blobs
                    .iter()
                    .map(|(rowid, blob)| decode(decompressor, *rowid, blob))
                    .collect()
            })
        };
        let mut advisories = decoded.map_err(|message| DbError::Index {
            path: self.path.clone(),
            message,
        })?;
        advisories.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(advisories)
    }

    /// The compressed records of `name`'s advisories, by row id.
    fn records(&self, name: &str) -> Result<Vec<(i64, Vec<u8>)>, DbError> {
        let sql = |e| DbError::sqlite(&self.path, e);
        let connection = self.lookup.lock().map_err(|_| DbError::Index {
            path: self.path.clone(),
            message: "a look-up panicked on another thread".into(),
        })?;
        let mut statement = connection
            .prepare_cached(
                "SELECT a.rowid, a.record FROM package p JOIN advisory a ON a.rowid = p.advisory
                 WHERE p.name = ?1",
            )
            .map_err(sql)?;
        let rows = statement
            .query_map(params![name], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(sql)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(sql)
    }
}

thread_local! {
    /// One zstd context per thread (creating one costs more than decompressing a record).
    static DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// One stored record back to an advisory.
fn decode(
    decompressor: &mut zstd::bulk::Decompressor<'static>,
    rowid: i64,
    blob: &[u8],
) -> Result<Advisory, String> {
    let json = decompress(decompressor, blob).map_err(|e| format!("record {rowid}: {e}"))?;
    serde_json::from_slice(&json).map_err(|e| format!("record {rowid}: {e}"))
}

fn decompress(
    decompressor: &mut zstd::bulk::Decompressor<'static>,
    blob: &[u8],
) -> std::io::Result<Vec<u8>> {
    match zstd::zstd_safe::get_frame_content_size(blob) {
        Ok(Some(size)) if size <= super::export::MAX_RECORD_BYTES => {
            decompressor.decompress(blob, size as usize)
        }
        _ => zstd::stream::decode_all(blob),
    }
}

fn read_meta(connection: &Connection, path: &Path) -> Result<Meta, DbError> {
    let unusable = |message: String| DbError::Index {
        path: path.to_path_buf(),
        message,
    };
    let mut statement = connection
        .prepare("SELECT key, value FROM meta")
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(ref code, _)
                if code.code == rusqlite::ErrorCode::NotADatabase =>
            {
                unusable("not an SQLite database".into())
            }
            e => unusable(format!("no metadata: {e}")),
        })?;
    let pairs: Vec<(String, String)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .and_then(|rows| rows.collect())
        .map_err(|e| DbError::sqlite(path, e))?;
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    if get("format").as_deref() != Some(FORMAT_NAME) {
        return Err(unusable("not written by portcullis".into()));
    }
    let version = get("format_version").unwrap_or_default();
    if version != FORMAT_VERSION.to_string() {
        return Err(unusable(format!(
            "index format {version}, this portcullis reads format {FORMAT_VERSION}"
        )));
    }
    let number = |key: &str| get(key).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let time = |key: &str| UNIX_EPOCH + Duration::from_secs(number(key));
    Ok(Meta {
        ecosystem: get("ecosystem").ok_or_else(|| unusable("no ecosystem recorded".into()))?,
        source_url: get("source_url").unwrap_or_default(),
        etag: get("etag"),
        last_modified: get("last_modified"),
        sha256: get("sha256").unwrap_or_default(),
        export_bytes: number("export_bytes"),
        fetched_at: time("fetched_at"),
        checked_at: time("checked_at"),
        advisories: usize::try_from(number("advisories")).unwrap_or(usize::MAX),
        skipped: usize::try_from(number("skipped")).unwrap_or(usize::MAX),
        skipped_messages: get("skipped_messages")
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default(),
    })
}

/// Records that the server confirmed the data current (`304 Not Modified`) at `at`.
pub(crate) fn touch_checked(path: &Path, at: SystemTime) -> Result<(), DbError> {
    let sql = |e| DbError::sqlite(path, e);
    let connection =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(sql)?;
    connection
        .busy_timeout(Duration::from_secs(10))
        .map_err(sql)?;
    connection
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'checked_at'",
            params![unix_seconds(at).to_string()],
        )
        .map_err(sql)?;
    Ok(())
}

/// The recorded validators of the current index, if it is one this version reads; used to
/// make the next download conditional.
pub(crate) fn current_meta(path: &Path) -> Option<Meta> {
    if !path.is_file() {
        return None;
    }
    let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    read_meta(&connection, path).ok()
}

/// sha256 (hex) and size of a file, read in large blocks.
pub(crate) fn hash_file(path: &Path) -> Result<(String, u64), DbError> {
    let mut file = std::fs::File::open(path).map_err(|e| DbError::io("cannot read", path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(|e| DbError::io("cannot read", path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
    Ok((crate::hex::encode(&hasher.finalize()), size))
}

pub(crate) fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Makes a rename in `dir` durable. Best effort: not every filesystem can sync a directory.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// A zip export of `(entry name, content)` pairs, as the OSV bucket serves them.
    pub(crate) fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    pub(crate) fn record(id: &str, ecosystem: &str, names: &[&str]) -> String {
        let affected: Vec<serde_json::Value> = names
            .iter()
            .map(|name| {
                serde_json::json!({
                    "package": {"ecosystem": ecosystem, "name": name},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}],
                })
            })
            .collect();
        serde_json::json!({"id": id, "modified": "2024-01-01T00:00:00Z", "affected": affected,
                           "credits": [{"name": "dropped by our model"}]})
        .to_string()
    }

    fn source(ecosystem: &str) -> Source {
        Source {
            ecosystem: ecosystem.into(),
            url: format!("http://mirror.test/{ecosystem}/all.zip"),
            etag: Some("\"v1\"".into()),
            last_modified: None,
            sha256: None,
            fetched_at: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        }
    }

    #[test]
    fn builds_an_index_and_looks_names_up() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("export.zip");
        let withdrawn = r#"{"id":"PYSEC-3","withdrawn":"2024-02-01T00:00:00Z",
            "affected":[{"package":{"ecosystem":"PyPI","name":"Flask_Caching"}}]}"#;
        std::fs::write(
            &zip,
            zip_of(&[
                (
                    "PYSEC-2.json",
                    &record("PYSEC-2", "PyPI", &["flask-caching", "jinja2"]),
                ),
                (
                    "PYSEC-1.json",
                    &record("PYSEC-1", "PyPI", &["Flask.Caching"]),
                ),
                ("PYSEC-3.json", withdrawn),
                ("GHSA-x.json", &record("GHSA-x", "npm", &["flask-caching"])),
                ("GHSA-y.json", &record("GHSA-y", "npm", &["left-pad"])),
                ("notes.txt", "not a record"),
                ("odd.json", r#"{"summary": "no id"}"#),
            ]),
        )
        .unwrap();
        let meta = build(dir.path(), &zip, &source("PyPI")).unwrap();
        // The npm-only records are not stored: nothing could look them up here.
        assert_eq!((meta.advisories, meta.skipped), (3, 1));
        assert!(meta.skipped_messages[0].starts_with("odd.json: missing field `id`"));

        let index = Index::open(&index_path(dir.path(), "PyPI")).unwrap();
        assert_eq!(index.meta, meta);
        let ids = |name: &str| -> Vec<String> {
            index
                .advisories(name)
                .unwrap()
                .into_iter()
                .map(|a| a.id)
                .collect()
        };
        // Stored normalised, ordered by id, withdrawn kept; the npm entry is not a PyPI name.
        assert_eq!(ids("flask-caching"), ["PYSEC-1", "PYSEC-2", "PYSEC-3"]);
        assert_eq!(ids("jinja2"), ["PYSEC-2"]);
        assert!(ids("django").is_empty());
        let withdrawn = index.advisories("flask-caching").unwrap().pop().unwrap();
        assert!(withdrawn.is_withdrawn());
    }

    #[test]
    fn a_corrupt_record_or_zip_fails_and_keeps_the_previous_index() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("export.zip");
        std::fs::write(
            &zip,
            zip_of(&[("GO-1.json", &record("GO-1", "Go", &["m"]))]),
        )
        .unwrap();
        build(dir.path(), &zip, &source("Go")).unwrap();

        std::fs::write(&zip, zip_of(&[("GO-2.json", r#"{"id": "GO-2", "affe"#)])).unwrap();
        let err = build(dir.path(), &zip, &source("Go")).unwrap_err();
        assert!(matches!(err, DbError::CorruptRecord { ref entry, .. } if entry == "GO-2.json"));

        std::fs::write(&zip, b"PK\x03\x04 truncated").unwrap();
        let err = build(dir.path(), &zip, &source("Go")).unwrap_err();
        assert!(matches!(err, DbError::CorruptExport { .. }), "{err}");

        let mut wrong_digest = source("Go");
        wrong_digest.sha256 = Some("00".repeat(32));
        let err = build(dir.path(), &zip, &wrong_digest).unwrap_err();
        assert!(matches!(err, DbError::Checksum { .. }), "{err}");

        let index = Index::open(&index_path(dir.path(), "Go")).unwrap();
        assert_eq!(index.advisories("m").unwrap()[0].id, "GO-1");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn checked_time_is_refreshed_in_place_and_other_formats_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("export.zip");
        std::fs::write(
            &zip,
            zip_of(&[("GO-1.json", &record("GO-1", "Go", &["m"]))]),
        )
        .unwrap();
        build(dir.path(), &zip, &source("Go")).unwrap();
        let path = index_path(dir.path(), "Go");
        let later = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        touch_checked(&path, later).unwrap();
        let meta = current_meta(&path).unwrap();
        assert_eq!(meta.checked_at, later);
        assert_eq!(meta.fetched_at, source("Go").fetched_at);

        let connection = Connection::open(&path).unwrap();
        connection
            .execute(
                "UPDATE meta SET value = '999' WHERE key = 'format_version'",
                [],
            )
            .unwrap();
        drop(connection);
        let err = Index::open(&path).unwrap_err();
        assert!(err.to_string().contains("index format 999"), "{err}");
        assert!(current_meta(&path).is_none());

        std::fs::write(dir.path().join("other.sqlite"), b"not sqlite at all").unwrap();
        assert!(Index::open(&dir.path().join("other.sqlite")).is_err());
    }
}
