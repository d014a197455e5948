//! What users said to leave out: `--ignore-unfixed`, `.portcullis-ignore.toml`, `.trivyignore`
//! and OpenVEX documents.
//!
//! [`Triage::load`] reads them all once; [`Triage::verdict`] then tells, per matched
//! vulnerability, why it is left out of the findings, asking in this order: our ignore file
//! entries, `.trivyignore` lines, VEX statements, `--ignore-unfixed`. The first that answers is
//! reported, so an explicit, reasoned entry is what reports cite when several apply.
//!
//! # `.portcullis-ignore.toml`
//!
//! ```toml
//! [[ignore]]
//! id = "CVE-2023-44487"                  # required: the id or any alias, any case
//! reason = "HTTP/2 is off in our nginx"  # required: shown in reports next to the finding
//! package = "nginx"                      # optional: the package name (any case)
//! purl = "pkg:deb/debian/nginx"          # optional: type/namespace/name, and version if given
//! paths = ["/usr/sbin/**"]               # optional: globs over the package's evidence paths
//! until = 2026-12-31                     # optional: a TOML date or "2026-12-31"
//! ```
//!
//! An entry applies when `id` matches and so does each optional condition it has: `package`
//! equals the package name; `purl` has the package's type, namespace and name, and its version
//! when the entry gives one (qualifiers and subpath are ignored, percent-encoding undone);
//! one of `paths` matches one of the files that prove the package is installed (`*` stays in
//! one directory, `**` crosses directories, a leading `/` is optional). From the `until` day
//! on, the entry no longer applies and [`Triage::warnings`] says so, so accepted risks are
//! looked at again rather than forgotten. Any other key is an error naming the line, so a
//! typo cannot silently widen an entry.
//!
//! # Where the files come from
//!
//! [`TriageOptions::ignore_files`] are read whatever their name: `*.toml` as ours, anything
//! else as `.trivyignore`. In [`TriageOptions::discover_in`], `.portcullis-ignore.toml` and
//! `.trivyignore` are read when present (once, if also given explicitly).

mod date;
mod error;
mod ignore_file;
mod purl;
mod rfc3339;
mod trivyignore;
mod vex;

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use date::Date;
pub use error::TriageError;
pub use purl::{purl_matches, Purl};

use ignore_file::IgnoreEntry;
use trivyignore::TrivyEntry;
use vex::VexStatements;

/// The ignore file picked up from [`TriageOptions::discover_in`].
pub const IGNORE_FILE_NAME: &str = ".portcullis-ignore.toml";
/// The Trivy ignore file picked up from [`TriageOptions::discover_in`].
pub const TRIVYIGNORE_NAME: &str = ".trivyignore";

/// One matched vulnerability as triage sees it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The vulnerability's primary id and all its aliases (`CVE-…`, `GHSA-…`, `DEBIAN-…`).
    pub ids: &'a [String],
    pub package_name: &'a str,
    pub package_version: &'a str,
    /// The package's purl, with version and qualifiers.
    pub purl: &'a str,
    /// Paths inside the image of the files that prove the package is installed.
    pub paths: &'a [String],
    /// Whether a fixed version exists.
    pub has_fix: bool,
    /// How the image is known: the reference as given, manifest digest, `pkg:oci/…` purl.
    pub image_ids: &'a [String],
}

/// Why a vulnerability is left out of the findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Suppression {
    /// `--ignore-unfixed` and no fixed version exists.
    Unfixed,
    /// An entry of an ignore file; `source` is `FILE:LINE`.
    Ignored {
        source: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An OpenVEX statement with status `not_affected` or `fixed`.
    Vex {
        source: String,
        status: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        justification: Option<String>,
    },
}

/// What to load: the command line's choices and today's date (given, so tests and reruns of
/// old reports can fix the day expiry is judged on).
#[derive(Debug, Clone)]
pub struct TriageOptions {
    pub ignore_unfixed: bool,
    /// Ignore files named explicitly; `*.toml` is our format, anything else `.trivyignore`.
    pub ignore_files: Vec<PathBuf>,
    /// A directory whose `.portcullis-ignore.toml` and `.trivyignore` are read when present.
    pub discover_in: Option<PathBuf>,
    /// OpenVEX documents, in the order given: later statements win ties.
    pub vex_files: Vec<PathBuf>,
    pub today: Date,
}

impl Default for TriageOptions {
    fn default() -> Self {
        TriageOptions {
            ignore_unfixed: false,
            ignore_files: Vec::new(),
            discover_in: None,
            vex_files: Vec::new(),
            today: Date::today(),
        }
    }
}

/// Everything loaded from the command line and the ignore files.
#[derive(Debug, Default)]
pub struct Triage {
    pub ignore_unfixed: bool,
    ignore_entries: Vec<IgnoreEntry>,
    trivy_entries: Vec<TrivyEntry>,
    vex: VexStatements,
    warnings: Vec<String>,
}

impl Triage {
    /// Reads every ignore file and VEX document `options` names. Expired entries are dropped
    /// with a warning; unreadable or malformed files are errors naming the file.
    pub fn load(options: &TriageOptions) -> Result<Triage, TriageError> {
        let mut triage = Triage {
            ignore_unfixed: options.ignore_unfixed,
            ..Triage::default()
        };
        for path in ignore_files(options) {
            let text = read(&path, "ignore file")?;
            if is_toml(&path) {
                for entry in ignore_file::parse(&path, &text)? {
                    if entry.expired(options.today) {
                        triage.warnings.push(format!(
                            "{}: the ignore entry for {} expired on {} and no longer applies \
                             (reason given: {}); renew `until` or remove the entry",
                            entry.source,
                            entry.id,
                            entry.until.map(|d| d.to_string()).unwrap_or_default(),
                            entry.reason
                        ));
                    } else {
                        triage.ignore_entries.push(entry);
                    }
                }
            } else {
                for entry in trivyignore::parse(&path, &text)? {
                    if entry.expired(options.today) {
                        triage.warnings.push(format!(
                            "{}: `{}` expired on {} and no longer applies; renew its `exp:` \
                             date or remove the line",
                            entry.source,
                            entry.id,
                            entry.expires.map(|d| d.to_string()).unwrap_or_default()
                        ));
                    } else {
                        triage.trivy_entries.push(entry);
                    }
                }
            }
        }
        for path in &options.vex_files {
            let text = read(path, "VEX document")?;
            triage.vex.add_document(path, &text)?;
        }
        triage.warnings.append(&mut triage.vex.warnings);
        Ok(triage)
    }

    /// Why `candidate` is suppressed, or `None` when it is reported.
    pub fn verdict(&self, candidate: &Candidate<'_>) -> Option<Suppression> {
        self.ignore_entries
            .iter()
            .find(|entry| entry.matches(candidate))
            .map(|entry| Suppression::Ignored {
                source: entry.source.clone(),
                reason: Some(entry.reason.clone()),
            })
            .or_else(|| {
                self.trivy_entries
                    .iter()
                    .find(|entry| entry.matches(candidate))
                    .map(|entry| Suppression::Ignored {
                        source: entry.source.clone(),
                        reason: None,
                    })
            })
            .or_else(|| self.vex.verdict(candidate))
            .or_else(|| (self.ignore_unfixed && !candidate.has_fix).then_some(Suppression::Unfixed))
    }

    /// What the user should look at: expired ignore entries, VEX statements that apply to
    /// nothing. Each names its file and line.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// Whether any of `patterns` names any of `ids`. Ids are compared case-insensitively: the same
/// CVE is written `cve-2024-1` in hand-kept files.
fn ids_match(patterns: &[String], ids: &[String]) -> bool {
    patterns.iter().any(|pattern| {
        let pattern = pattern.trim();
        ids.iter().any(|id| id.trim().eq_ignore_ascii_case(pattern))
    })
}

/// The explicit ignore files, then the discovered ones not already among them.
fn ignore_files(options: &TriageOptions) -> Vec<PathBuf> {
    let mut files = options.ignore_files.clone();
    if let Some(dir) = &options.discover_in {
        for name in [IGNORE_FILE_NAME, TRIVYIGNORE_NAME] {
            let path = dir.join(name);
            if path.is_file() && !files.iter().any(|known| same_file(known, &path)) {
                files.push(path);
            }
        }
    }
    files
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn is_toml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("toml"))
}

fn read(path: &Path, what: &'static str) -> Result<String, TriageError> {
    fs::read_to_string(path).map_err(|source| TriageError::Read {
        what,
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests;
