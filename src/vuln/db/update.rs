//! `db update` and the download step of a scan: for each ecosystem, fetch the export
//! (conditionally, resuming), build its index next to the old one, swap it in.
//!
//! Whatever fails for one ecosystem (network, a damaged zip, a record that is not JSON, a full
//! disk) leaves that ecosystem's previous index in place and untouched, and the other
//! ecosystems still update: the summary lists each result, and `db update` exits 2 when any
//! failed. Updates of one directory take turns through an advisory lock (`.lock`), so CI jobs
//! sharing a cache do not write the same partial download.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::download::{discard_part, Downloader, Fetched, Validators};
use super::error::DbError;
use super::index::{self, index_path, Source};
use super::names::{ecosystem_of_stem, export_url};
use super::status::human_age;
use super::Database;
use crate::http::{RetryPolicy, Timeouts};
use crate::vuln::osv::base_ecosystem;

/// Where OSV publishes one `all.zip` per ecosystem.
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// What `db update` fetches into an empty database: the ecosystems the catalogers find in
/// images.
pub const DEFAULT_ECOSYSTEMS: &[&str] = &[
    "Debian",
    "Ubuntu",
    "Alpine",
    "PyPI",
    "npm",
    "Go",
    "crates.io",
    "Maven",
    "RubyGems",
    "Packagist",
    "NuGet",
    "Red Hat",
    "AlmaLinux",
    "Rocky Linux",
    "SUSE",
    "openSUSE",
    "Wolfi",
    "Chainguard",
];

/// A suggested staleness limit for scans: OSV data changes daily, and a week-old database
/// misses the advisories published since.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(7 * 24 * 3600);

/// How to download.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// `<base_url>/<ecosystem>/all.zip` is fetched; a mirror must keep that layout.
    pub base_url: String,
    /// Byte progress bars on standard error (indicatif also hides them when it is not a
    /// terminal).
    pub progress: bool,
    pub timeouts: Timeouts,
    pub retry: RetryPolicy,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            base_url: DEFAULT_BASE_URL.to_owned(),
            progress: true,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
        }
    }
}

/// What an update did, per ecosystem.
#[derive(Debug)]
pub struct UpdateSummary {
    pub dir: PathBuf,
    pub ecosystems: Vec<EcosystemUpdate>,
}

impl UpdateSummary {
    /// Whether every ecosystem is current (downloaded or confirmed).
    pub fn is_complete(&self) -> bool {
        self.ecosystems.iter().all(|e| e.result.is_ok())
    }
}

#[derive(Debug)]
pub struct EcosystemUpdate {
    pub ecosystem: String,
    /// The export's URL (empty when the base URL was unusable).
    pub url: String,
    pub result: Result<Updated, DbError>,
}

/// A successful ecosystem update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Updated {
    /// A new export was downloaded and indexed.
    Downloaded {
        advisories: usize,
        /// Records skipped because they could not be read as OSV.
        skipped: usize,
        /// Size of the export.
        bytes: u64,
        /// Set when an interrupted download was continued from this byte.
        resumed_from: Option<u64>,
        elapsed: Duration,
    },
    /// The server confirmed the data in use current (`304`).
    NotModified { advisories: usize },
}

/// Downloads `<base_url>/<ecosystem>/all.zip` for each ecosystem (by default those already in
/// `dir`, or [`DEFAULT_ECOSYSTEMS`] when it has none), builds each index and swaps it in.
///
/// `Err` only when nothing could be attempted (the directory cannot be created or locked, the
/// base URL is invalid); per-ecosystem failures are in the summary.
pub fn update(
    dir: &Path,
    ecosystems: &[String],
    options: &UpdateOptions,
) -> Result<UpdateSummary, DbError> {
    update_each(dir, ecosystems, options, |_| {})
}

/// [`update`], calling `done` as each ecosystem finishes (for a line of output per ecosystem
/// while the others are still downloading).
pub fn update_each(
    dir: &Path,
    ecosystems: &[String],
    options: &UpdateOptions,
    mut done: impl FnMut(&EcosystemUpdate),
) -> Result<UpdateSummary, DbError> {
    export_url(&options.base_url, "Go").map_err(|message| DbError::BaseUrl { message })?;
    std::fs::create_dir_all(dir).map_err(|e| DbError::io("cannot create", dir, e))?;
    let _lock = DirLock::acquire(dir, options.progress)?;
    let ecosystems = if ecosystems.is_empty() {
        let present = installed(dir)?;
        if present.is_empty() {
            DEFAULT_ECOSYSTEMS.iter().map(|e| (*e).to_owned()).collect()
        } else {
            present
        }
    } else {
        let mut unique: Vec<String> = Vec::new();
        for ecosystem in ecosystems {
            let ecosystem = ecosystem.trim();
            if !ecosystem.is_empty() && !unique.iter().any(|e| e == ecosystem) {
                unique.push(ecosystem.to_owned());
            }
        }
        unique
    };
    let downloader = Downloader::new(
        options.retry.clone(),
        options.timeouts.clone(),
        options.progress,
    )?;
    let mut summary = UpdateSummary {
        dir: dir.to_path_buf(),
        ecosystems: Vec::with_capacity(ecosystems.len()),
    };
    for ecosystem in ecosystems {
        let url = export_url(&options.base_url, &ecosystem)
            .map(|u| u.to_string())
            .unwrap_or_default();
        let result = update_one(dir, &ecosystem, &downloader, options);
        let update = EcosystemUpdate {
            ecosystem,
            url,
            result,
        };
        done(&update);
        summary.ecosystems.push(update);
    }
    Ok(summary)
}

fn update_one(
    dir: &Path,
    ecosystem: &str,
    downloader: &Downloader,
    options: &UpdateOptions,
) -> Result<Updated, DbError> {
    let started = Instant::now();
    let url = export_url(&options.base_url, ecosystem).map_err(|message| DbError::BaseUrl {
        message: format!("{message} (for {ecosystem})"),
    })?;
    let path = index_path(dir, ecosystem);
    let current = index::current_meta(&path);
    // Validators only mean something to the server that issued them: another mirror's ETag
    // would make a conditional request meaningless.
    let validators = current
        .as_ref()
        .filter(|meta| meta.source_url == url.as_str())
        .map(|meta| Validators {
            etag: meta.etag.clone(),
            last_modified: meta.last_modified.clone(),
        });
    match downloader.fetch(ecosystem, &url, dir, validators.as_ref())? {
        Fetched::NotModified => {
            let Some(current) = current.filter(|_| validators.is_some()) else {
                return Err(DbError::Download {
                    url: url.to_string(),
                    message: "the server answered 304 Not Modified to an unconditional request"
                        .into(),
                });
            };
            index::touch_checked(&path, SystemTime::now())?;
            Ok(Updated::NotModified {
                advisories: current.advisories,
            })
        }
        Fetched::Complete(download) => {
            let spinner = indexing_spinner(options.progress, ecosystem);
            let source = Source {
                ecosystem: ecosystem.to_owned(),
                url: url.to_string(),
                etag: download.etag.clone(),
                last_modified: download.last_modified.clone(),
                sha256: Some(download.sha256.clone()),
                fetched_at: SystemTime::now(),
            };
            let built = index::build(dir, &download.path, &source);
            // Built or not, the export is done with: a damaged one must be downloaded afresh,
            // not resumed.
            discard_part(dir, ecosystem);
            spinner.finish_and_clear();
            let meta = built?;
            Ok(Updated::Downloaded {
                advisories: meta.advisories,
                skipped: meta.skipped,
                bytes: download.bytes,
                resumed_from: download.resumed_from,
                elapsed: started.elapsed(),
            })
        }
    }
}

/// The ecosystems with an index in `dir` (whatever its format version: an old one is rebuilt).
fn installed(dir: &Path) -> Result<Vec<String>, DbError> {
    let entries = std::fs::read_dir(dir).map_err(|e| DbError::io("cannot read", dir, e))?;
    let mut found: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".sqlite")?;
            if stem.starts_with('.') {
                return None;
            }
            ecosystem_of_stem(stem)
        })
        .collect();
    found.sort();
    Ok(found)
}

fn indexing_spinner(show: bool, ecosystem: &str) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message(format!("indexing {ecosystem}"));
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}

/// An exclusive `flock` on `<dir>/.lock`, released when dropped (or when the process dies,
/// so a killed update never leaves the directory locked).
struct DirLock {
    _file: File,
}

impl DirLock {
    fn acquire(dir: &Path, progress: bool) -> Result<DirLock, DbError> {
        use rustix::fs::{flock, FlockOperation};
        let path = dir.join(".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| DbError::io("cannot create", &path, e))?;
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => {
                let spinner = if progress {
                    indicatif::ProgressBar::new_spinner()
                } else {
                    indicatif::ProgressBar::hidden()
                };
                spinner.set_message(format!(
                    "waiting for another portcullis to finish updating {}",
                    dir.display()
                ));
                spinner.enable_steady_tick(Duration::from_millis(120));
                let locked = flock(&file, FlockOperation::LockExclusive);
                spinner.finish_and_clear();
                locked.map_err(|e| DbError::io("cannot lock", &path, e.into()))?;
            }
            // A filesystem without flock (some network mounts): go on unlocked; the atomic
            // renames still keep readers safe.
            Err(_) => {}
        }
        Ok(DirLock { _file: file })
    }
}

/// For a scan: downloads the ecosystems of `needed` that `dir` has no data for (only those,
/// so a first scan fetches only what the image contains), never when `offline`. Returns the
/// database with warnings for everything the scan cannot check fully: ecosystems without
/// data (offline, or their download failed), data older than `max_age`, records skipped.
///
/// `needed` may hold releases (`Debian:12`); their base ecosystem is what is fetched. Existing
/// data is never refreshed here (that is `db update`'s job), so scans are predictable in
/// time; stale data is a warning.
pub fn prepare_for_scan(
    dir: &Path,
    needed: &[String],
    offline: bool,
    max_age: Duration,
    options: &UpdateOptions,
) -> Result<(Database, Vec<String>), DbError> {
    let mut bases: Vec<&str> = Vec::new();
    for ecosystem in needed {
        let base = base_ecosystem(ecosystem.trim());
        if !base.is_empty() && !bases.contains(&base) {
            bases.push(base);
        }
    }
    let mut warnings = Vec::new();
    let mut database = if dir.is_dir() {
        Database::open(dir)?
    } else {
        Database::empty(dir)
    };
    let missing: Vec<String> = bases
        .iter()
        .filter(|base| !database.has_ecosystem(base))
        .map(|base| (*base).to_owned())
        .collect();
    if !missing.is_empty() {
        if offline {
            for ecosystem in &missing {
                warnings.push(format!(
                    "no {ecosystem} vulnerability data in {} and --offline is set: {ecosystem} \
                     packages were not checked. Run `portcullis db update {}` where the network \
                     is reachable, or place OSV records for {ecosystem} in that directory",
                    dir.display(),
                    shell_word(ecosystem)
                ));
            }
        } else {
            let summary = update(dir, &missing, options)?;
            for update in &summary.ecosystems {
                if let Err(error) = &update.result {
                    warnings.push(format!(
                        "{} packages were not checked: {error}",
                        update.ecosystem
                    ));
                }
            }
            database = Database::open(dir)?;
        }
    }
    let now = SystemTime::now();
    for status in database.status() {
        if !bases.contains(&base_ecosystem(&status.ecosystem)) || status.age(now) <= max_age {
            continue;
        }
        let age = human_age(status.age(now));
        let limit = human_age(max_age);
        warnings.push(match status.kind {
            super::SourceKind::Index => format!(
                "the {} vulnerability data in {} was last updated {age} ago (more than {limit}): \
                 run `portcullis db update` for the advisories published since",
                status.ecosystem,
                dir.display()
            ),
            super::SourceKind::Directory => format!(
                "the newest {} record file in {} is {age} old (more than {limit}): refresh the \
                 files for the advisories published since",
                status.ecosystem,
                dir.display()
            ),
        });
    }
    warnings.extend(database.warnings().iter().cloned());
    Ok((database, warnings))
}

/// An ecosystem name as a shell word in advice (`'Red Hat'`).
fn shell_word(word: &str) -> String {
    if word
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._-:".contains(&b))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_scans_warn_about_missing_data_and_download_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none");
        let options = UpdateOptions {
            // Nothing listens here: any request would fail the test through a warning.
            base_url: "http://127.0.0.1:9".into(),
            progress: false,
            ..UpdateOptions::default()
        };
        let needed = vec![
            "Debian:12".to_owned(),
            "Red Hat".to_owned(),
            "Debian".to_owned(),
        ];
        let (database, warnings) =
            prepare_for_scan(&missing, &needed, true, DEFAULT_MAX_AGE, &options).unwrap();
        assert!(!database.has_ecosystem("Debian"));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].contains("no Debian vulnerability data"),
            "{}",
            warnings[0]
        );
        assert!(
            warnings[1].contains("`portcullis db update 'Red Hat'`"),
            "{}",
            warnings[1]
        );
        assert!(!missing.exists(), "an offline scan creates nothing");
    }

    #[test]
    fn the_directory_lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let lock = DirLock::acquire(dir.path(), false).unwrap();
        let other = File::open(dir.path().join(".lock")).unwrap();
        let try_lock =
            || rustix::fs::flock(&other, rustix::fs::FlockOperation::NonBlockingLockExclusive);
        assert!(try_lock().is_err());
        drop(lock);
        assert!(try_lock().is_ok());
    }

    #[test]
    fn installed_ecosystems_come_from_index_file_names() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "Red%20Hat.sqlite",
            "Go.sqlite",
            ".Go.abc.sqlite.tmp",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        assert_eq!(installed(dir.path()).unwrap(), ["Go", "Red Hat"]);
    }
}
