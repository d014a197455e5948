//! The vulnerability database: OSV advisories by ecosystem and package, on disk.
//!
//! Two kinds of data live in a database directory, and [`Database::open`] reads both:
//!
//! - **indexes** made by `portcullis db update`: one SQLite file per ecosystem
//!   (`Debian.sqlite`, `Red%20Hat.sqlite`), built from OSV's `<ecosystem>/all.zip` exports.
//!   Opening one reads only its metadata; a look-up reads only the advisories of that package
//!   ([`index`]);
//! - **record files** anywhere below the directory: OSV JSON/YAML records and `*.zip`
//!   exports, loaded into memory ([`directory`]). That is how air-gapped users and tests feed
//!   the database.
//!
//! Downloads ([`download`]) are conditional, resumable, verified and retried; every update is
//! built beside the data in use and swapped in by a rename ([`update`]), so a failed or
//! interrupted update leaves the previous data fully usable.
//!
//! ```text
//! ~/.cache/portcullis/db/
//!   Debian.sqlite  Go.sqlite  PyPI.sqlite …     indexes, metadata inside
//!   .Go.zip.part  .Go.zip.part.json             an interrupted download, resumed next time
//!   .lock                                       taken by `db update`
//! ```

mod directory;
mod download;
mod error;
mod export;
mod index;
mod names;
mod status;
mod update;

use std::path::{Path, PathBuf};

pub use error::DbError;
pub use names::normalize_name;
pub use status::{human_age, rfc3339, EcosystemStatus, SourceKind};
pub use update::{
    prepare_for_scan, update, update_each, EcosystemUpdate, UpdateOptions, UpdateSummary, Updated,
    DEFAULT_BASE_URL, DEFAULT_ECOSYSTEMS, DEFAULT_MAX_AGE,
};

use self::directory::Records;
use self::index::Index;
use crate::vuln::osv::{base_ecosystem, Advisory};

/// An opened vulnerability database. `Send + Sync`: look-ups may come from several threads.
#[derive(Debug)]
pub struct Database {
    dir: PathBuf,
    /// Ordered by ecosystem.
    indexes: Vec<Index>,
    /// Records read from files; empty when there are none.
    records: Records,
    warnings: Vec<String>,
}

impl Database {
    /// Opens a database directory: the indexes `db update` made, and OSV records (`*.json`,
    /// `*.yaml`, `*.yml`, `*.zip` exports) anywhere below it, loaded into memory.
    ///
    /// Files that cannot be used (an index of another format version, a malformed record) are
    /// skipped and listed in [`Database::warnings`]; only an unreadable directory is an error.
    pub fn open(dir: &Path) -> Result<Database, DbError> {
        if !dir.is_dir() {
            return Err(DbError::Missing {
                dir: dir.to_path_buf(),
            });
        }
        let mut warnings = Vec::new();
        let mut indexes = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|e| DbError::io("cannot read", dir, e))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.path())
            .filter(|path| {
                let name = path.file_name().map(|n| n.to_string_lossy());
                name.is_some_and(|n| n.ends_with(".sqlite") && !n.starts_with('.'))
                    && path.is_file()
            })
            .collect();
        paths.sort();
        for path in paths {
            match Index::open(&path) {
                Ok(index) => {
                    if index.meta.skipped > 0 {
                        warnings.push(skipped_warning(&index));
                    }
                    indexes.push(index);
                }
                Err(error) => warnings.push(format!("ignored {error}")),
            }
        }
        indexes.sort_by(|a, b| a.meta.ecosystem.cmp(&b.meta.ecosystem));
        let records = Records::load(dir)?;
        warnings.extend(records.warnings.iter().cloned());
        Ok(Database {
            dir: dir.to_path_buf(),
            indexes,
            records,
            warnings,
        })
    }

    /// A database with no data (an offline scan with no directory yet).
    pub(crate) fn empty(dir: &Path) -> Database {
        Database {
            dir: dir.to_path_buf(),
            indexes: Vec::new(),
            records: Records::default(),
            warnings: Vec::new(),
        }
    }

    /// The directory this database was read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every advisory with an `affected[]` entry whose package is `name` in ecosystem `base`
    /// (`Debian`, `PyPI`, `Go`: the part before `:`; a release suffix is ignored here and left
    /// to the matcher). Names are compared after [`normalize_name`]. Withdrawn advisories are
    /// included (the matcher skips them). Ordered by id, each id once.
    pub fn advisories(&self, base: &str, name: &str) -> Result<Vec<Advisory>, DbError> {
        let base = base_ecosystem(base);
        let name = normalize_name(base, name);
        let mut found = Vec::new();
        let mut sources = 0;
        for index in self.indexes_of(base) {
            found.extend(index.advisories(&name)?);
            sources += 1;
        }
        if self.records.has_ecosystem(base) {
            found.extend(self.records.advisories(base, &name));
            sources += 1;
        }
        if sources > 1 {
            // Stable: for an id in several sources, the first (an index, by ecosystem) stays.
            found.sort_by(|a, b| a.id.cmp(&b.id));
            found.dedup_by(|later, earlier| later.id == earlier.id);
        }
        Ok(found)
    }

    /// Per ecosystem: name, advisories, when fetched and last confirmed current, source,
    /// validators and the export's sha256. Ordered by ecosystem, indexes before record files.
    pub fn status(&self) -> Vec<EcosystemStatus> {
        let mut all: Vec<EcosystemStatus> = self
            .indexes
            .iter()
            .map(|index| {
                let meta = &index.meta;
                EcosystemStatus {
                    ecosystem: meta.ecosystem.clone(),
                    kind: SourceKind::Index,
                    advisories: meta.advisories,
                    fetched_at: meta.fetched_at,
                    checked_at: meta.checked_at,
                    source: meta.source_url.clone(),
                    etag: meta.etag.clone(),
                    last_modified: meta.last_modified.clone(),
                    sha256: Some(meta.sha256.clone()).filter(|s| !s.is_empty()),
                    path: index.path.clone(),
                    skipped: meta.skipped,
                }
            })
            .collect();
        all.extend(self.records.status());
        all.sort_by(|a, b| a.ecosystem.cmp(&b.ecosystem));
        all
    }

    /// Whether there is any data for base ecosystem `base` (an index or record files).
    pub fn has_ecosystem(&self, base: &str) -> bool {
        let base = base_ecosystem(base);
        self.indexes_of(base).next().is_some() || self.records.has_ecosystem(base)
    }

    /// What was skipped while opening: unusable index files, malformed record files, records
    /// an index build could not read. Each names the file and says what to do.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn indexes_of<'a>(&'a self, base: &'a str) -> impl Iterator<Item = &'a Index> + 'a {
        self.indexes
            .iter()
            .filter(move |index| base_ecosystem(&index.meta.ecosystem) == base)
    }
}

fn skipped_warning(index: &Index) -> String {
    let meta = &index.meta;
    let first = meta
        .skipped_messages
        .first()
        .map(|m| format!(" (first: {m})"))
        .unwrap_or_default();
    format!(
        "{} of the {} records of {} could not be read as OSV and are not checked{first}; a newer \
         portcullis may read them",
        meta.skipped,
        meta.skipped + meta.advisories,
        meta.source_url
    )
}

/// Where the database lives by default: `$PORTCULLIS_DB_DIR`, else
/// `$XDG_CACHE_HOME/portcullis/db`, else `~/.cache/portcullis/db` (a cache: everything in it
/// can be downloaded again).
pub fn default_dir() -> PathBuf {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = non_empty("PORTCULLIS_DB_DIR") {
        return PathBuf::from(dir);
    }
    // The XDG spec says relative paths are invalid and must be ignored.
    if let Some(cache) = non_empty("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
    {
        return cache.join("portcullis").join("db");
    }
    match non_empty("HOME") {
        Some(home) => PathBuf::from(home).join(".cache/portcullis/db"),
        None => std::env::temp_dir().join("portcullis-db"),
    }
}

#[cfg(test)]
mod tests {
    use super::index::tests::{record, zip_of};
    use super::*;

    #[test]
    fn the_database_can_be_shared_between_threads() {
        fn check<T: Send + Sync>() {}
        check::<Database>();
    }

    #[test]
    fn indexes_and_record_files_are_read_together() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join(".export");
        std::fs::write(
            &zip,
            zip_of(&[
                ("GO-1.json", &record("GO-1", "Go", &["example.com/m"])),
                ("GO-2.json", &record("GO-2", "Go", &["example.com/m"])),
            ]),
        )
        .unwrap();
        let source = index::Source {
            ecosystem: "Go".into(),
            url: "http://mirror.test/Go/all.zip".into(),
            etag: None,
            last_modified: Some("Tue, 01 Oct 2024 00:00:00 GMT".into()),
            sha256: None,
            fetched_at: std::time::SystemTime::now(),
        };
        index::build(dir.path(), &zip, &source).unwrap();
        std::fs::remove_file(&zip).unwrap();
        // A local record for the same module, and one the index has too.
        std::fs::create_dir(dir.path().join("local")).unwrap();
        std::fs::write(
            dir.path().join("local/x_1.json"),
            record("x_1", "Go", &["example.com/m"]),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("local/GO-2.json"),
            record("GO-2", "Go", &["example.com/m"]),
        )
        .unwrap();
        std::fs::write(dir.path().join("stray.sqlite"), b"not a database").unwrap();

        let db = Database::open(dir.path()).unwrap();
        let ids: Vec<String> = db
            .advisories("Go", "example.com/m")
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(ids, ["GO-1", "GO-2", "x_1"]);
        assert!(db.has_ecosystem("Go") && !db.has_ecosystem("PyPI"));
        assert!(db.advisories("PyPI", "flask").unwrap().is_empty());
        assert_eq!(db.warnings().len(), 1, "{:?}", db.warnings());
        assert!(db.warnings()[0].contains("stray.sqlite"));
        let status = db.status();
        assert_eq!(status.len(), 2);
        assert_eq!(
            (
                status[0].kind,
                status[0].advisories,
                status[0].sha256.is_some()
            ),
            (SourceKind::Index, 2, true)
        );
        assert_eq!(
            (status[1].kind, status[1].advisories),
            (SourceKind::Directory, 2)
        );
    }

    #[test]
    fn a_missing_directory_says_how_to_get_one() {
        let err = Database::open(Path::new("/nonexistent/portcullis-db")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("/nonexistent/portcullis-db"), "{text}");
        assert!(text.contains("portcullis db update"), "{text}");
    }

    #[test]
    fn real_advisory_data_loads_from_its_directories() {
        // Go (JSON), PyPI (YAML) and RustSec (JSON), as published.
        let Some(go) = crate::test_support::shared_subdir("vulndata/go/osv") else {
            return;
        };
        let Some(pypa) = crate::test_support::shared_subdir("vulndata/pypa/vulns") else {
            return;
        };
        let db = Database::open(&go).unwrap();
        assert!(
            db.warnings().is_empty(),
            "{:?}",
            &db.warnings()[..3.min(db.warnings().len())]
        );
        let gin = db.advisories("Go", "github.com/gin-gonic/gin").unwrap();
        assert!(gin.iter().any(|a| a.id == "GO-2020-0001"));
        assert!(gin.windows(2).all(|w| w[0].id < w[1].id));

        let db = Database::open(&pypa).unwrap();
        // PyPA names are stored as published; both sides are PEP 503-normalised.
        let jinja = db.advisories("PyPI", "Jinja2").unwrap();
        assert!(!jinja.is_empty());
        assert!(jinja.iter().all(|a| a.id.starts_with("PYSEC-")));
    }
}
