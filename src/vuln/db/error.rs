//! What can go wrong with the vulnerability database. Every error names the file or URL
//! involved and says what to do next; none of them leaves a previously working database
//! unusable (see [`super::update`]).

use std::path::PathBuf;

/// An error of the vulnerability database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A file or directory could not be read or written.
    #[error("{action} {path}: {source}{advice}", path = .path.display(), advice = io_advice(.source))]
    Io {
        /// "cannot read", "cannot write", "cannot create"…
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },

    /// `--db` names something that does not exist.
    #[error(
        "the vulnerability database {dir} does not exist: run `portcullis db update --db {dir}` \
         to download one, or point --db at a directory of OSV records (JSON, YAML or all.zip \
         exports)",
        dir = .dir.display()
    )]
    Missing { dir: PathBuf },

    /// An index file that cannot be used (damaged, or not ours).
    #[error(
        "{path} is not a usable vulnerability index ({message}): run `portcullis db update` to \
         rebuild it, or delete the file",
        path = .path.display()
    )]
    Index { path: PathBuf, message: String },

    /// The download failed (network, server error, interrupted transfer).
    #[error(
        "cannot download {url}: {message}. Check the network and try again (an interrupted \
         download resumes where it stopped); pass --db-base-url URL to use a mirror, or \
         --offline to scan with the data already downloaded"
    )]
    Download { url: String, message: String },

    /// The server has no export for this ecosystem.
    #[error(
        "there is no OSV export at {url} (HTTP 404): check the ecosystem name `{ecosystem}` \
         (spelled as OSV spells it: `PyPI`, `crates.io`, `Red Hat`), and with --db-base-url \
         check that the mirror serves <URL>/<ECOSYSTEM>/all.zip"
    )]
    NotFound { ecosystem: String, url: String },

    /// `--db-base-url` is not a usable URL.
    #[error("invalid --db-base-url: {message}")]
    BaseUrl { message: String },

    /// The downloaded (or placed) export is not a readable zip archive.
    #[error(
        "{path} is not a readable OSV export ({message}); the previous data is kept. Run \
         `portcullis db update` again; if it keeps failing, the server or mirror is serving a \
         damaged file",
        path = .path.display()
    )]
    CorruptExport { path: PathBuf, message: String },

    /// A record that is not JSON at all (as opposed to one that does not fit the model, which
    /// is skipped with a warning): the export was damaged in transit or on disk.
    #[error(
        "{entry} in {path} is not valid JSON ({message}); the export is damaged and was not \
         used, the previous data is kept. Run `portcullis db update` again",
        path = .path.display()
    )]
    CorruptRecord {
        path: PathBuf,
        entry: String,
        message: String,
    },

    /// The stored export no longer has the digest recorded when it was downloaded.
    #[error(
        "{path} changed after it was downloaded (sha256 {actual}, recorded {expected}); it was \
         not used and the previous data is kept. Run `portcullis db update` again, and check \
         the disk if it happens twice",
        path = .path.display()
    )]
    Checksum {
        path: PathBuf,
        expected: String,
        actual: String,
    },

    /// SQLite refused something while reading or building an index.
    #[error(
        "{path}: {source}; the previous data is kept. Check free disk space and permissions, \
         then run `portcullis db update` again",
        path = .path.display()
    )]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },

    /// The HTTP machinery could not start.
    #[error("cannot set up downloads: {message}")]
    Setup { message: String },
}

impl DbError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        DbError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub(crate) fn sqlite(path: impl Into<PathBuf>, source: rusqlite::Error) -> Self {
        DbError::Sqlite {
            path: path.into(),
            source,
        }
    }
}

fn io_advice(error: &std::io::Error) -> &'static str {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => {
            " (pass --db DIR, or set PORTCULLIS_DB_DIR, to use a directory you can write)"
        }
        std::io::ErrorKind::StorageFull => " (free some disk space and try again)",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_place_and_the_next_step() {
        let err = DbError::Download {
            url: "https://mirror.example/Go/all.zip".into(),
            message: "gave up after 3 attempts over 2.0 s: HTTP 503".into(),
        };
        let text = err.to_string();
        assert!(text.contains("https://mirror.example/Go/all.zip"), "{text}");
        assert!(
            text.contains("--offline") && text.contains("--db-base-url"),
            "{text}"
        );

        let err = DbError::io(
            "cannot create",
            "/nope/db",
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        let text = err.to_string();
        assert!(text.starts_with("cannot create /nope/db: "), "{text}");
        assert!(text.contains("--db DIR"), "{text}");
    }
}
