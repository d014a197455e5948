//! rpm's SQLite database `rpmdb.sqlite` (Fedora ≥ 33, RHEL ≥ 9, Rocky/Alma 9, Amazon Linux
//! 2023…): table `Packages(hnum INTEGER PRIMARY KEY, blob BLOB)`, one stored header per row.
//!
//! The file is opened from memory (SQLite's deserialize interface, read-only): nothing is
//! written to disk. rpm keeps the database in WAL mode, and SQLite refuses to open an
//! in-memory copy that says so, so the copy's header is switched to rollback-journal mode.
//! A `rpmdb.sqlite-wal` file with transactions not yet checkpointed is not read.

use std::io::Read;

use rusqlite::{Connection, OpenFlags};

use super::Sink;

const MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// Larger files are refused (SQLite's deserialize takes an `i32` size; rpm databases are tens
/// of megabytes).
const MAX_SIZE: usize = 1 << 30;

/// True when `bytes` starts like an SQLite 3 database.
pub fn is_sqlite(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Calls `sink` with each stored header, in header-number order.
pub fn read(bytes: &[u8], sink: &mut Sink<'_>) -> Result<(), String> {
    if !is_sqlite(bytes) || bytes.len() < 100 {
        return Err("not an SQLite 3 database".into());
    }
    if bytes.len() > MAX_SIZE {
        return Err(format!(
            "{} bytes is too large an rpm database",
            bytes.len()
        ));
    }
    let mut header = [0u8; 100];
    header.copy_from_slice(&bytes[..100]);
    // File format write/read versions: 2 (WAL) → 1 (legacy journal).
    for byte in &mut header[18..20] {
        if *byte == 2 {
            *byte = 1;
        }
    }
    let mut connection = Connection::open_with_flags(
        ":memory:",
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open SQLite: {e}"))?;
    let content = header.as_slice().chain(&bytes[100..]);
    connection
        .deserialize_read_exact(rusqlite::MAIN_DB, content, bytes.len(), true)
        .map_err(|e| format!("cannot load the database: {e}"))?;
    let mut statement = connection
        .prepare("SELECT hnum, blob FROM Packages ORDER BY hnum")
        .map_err(|e| format!("no Packages table: {e}"))?;
    let mut rows = statement.query([]).map_err(|e| e.to_string())?;
    loop {
        let row = match rows.next() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) => return Err(format!("reading Packages: {e}")),
        };
        let hnum = row.get::<_, i64>(0).unwrap_or_default();
        let hnum = u32::try_from(hnum).unwrap_or(0);
        match row.get_ref(1) {
            Ok(rusqlite::types::ValueRef::Blob(blob)) => sink(hnum, Ok(blob)),
            Ok(other) => sink(
                hnum,
                Err(format!(
                    "header {hnum} is {:?}, not a blob",
                    other.data_type()
                )),
            ),
            Err(e) => sink(hnum, Err(format!("header {hnum}: {e}"))),
        }
    }
    Ok(())
}
