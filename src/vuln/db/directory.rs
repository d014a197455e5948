//! OSV records read from files: a directory tree of `*.json`, `*.yaml` and `*.yml` records and
//! `*.zip` exports, loaded into memory. This is how air-gapped users feed the database (copy
//! the `all.zip` of each ecosystem, or a checkout of an advisory repository) and how tests do.
//!
//! A file that cannot be read as an OSV record is skipped with a warning naming it, and the
//! other records still load: one hand-edited file must not stop every scan, and the warning
//! (shown by `db status` and by scans) tells the user which file to fix. Hidden files and
//! directories (`.git`, our own partial downloads) and the indexes at the top level are not
//! read as records.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use super::error::DbError;
use super::export::{parse_record, Export, RecordFormat, MAX_RECORD_BYTES};
use super::names::normalize_name;
use super::status::{EcosystemStatus, SourceKind};
use crate::vuln::osv::{base_ecosystem, Advisory};

/// Directory levels followed at most (symbolic links may loop).
const MAX_DEPTH: usize = 32;

/// Records loaded from files.
#[derive(Debug, Default)]
pub(crate) struct Records {
    root: PathBuf,
    advisories: Vec<Advisory>,
    /// `(base ecosystem, normalised name)` → positions in `advisories`, ordered by id.
    by_package: HashMap<(String, String), Vec<usize>>,
    /// Base ecosystem → (advisories, newest file time).
    ecosystems: BTreeMap<String, (usize, SystemTime)>,
    /// Files and records skipped, with why.
    pub warnings: Vec<String>,
    skipped: usize,
}

/// What one file yielded.
struct FileRecords {
    advisories: Vec<Advisory>,
    modified: SystemTime,
    warnings: Vec<String>,
}

impl Records {
    /// Reads every record under `root`. `Ok` with no records when there are none.
    pub(crate) fn load(root: &Path) -> Result<Records, DbError> {
        let mut files = Vec::new();
        let mut warnings = Vec::new();
        let mut seen = HashSet::new();
        walk(root, root, 0, &mut seen, &mut files, &mut warnings)?;
        files.sort();

        let loaded: Vec<FileRecords> = files.par_iter().map(|path| read_file(path)).collect();

        let mut records = Records {
            root: root.to_path_buf(),
            warnings,
            ..Records::default()
        };
        // Newest `modified` wins when one id comes from several files (a record next to the
        // export that contains it); the first file in path order on a tie.
        let mut position: HashMap<String, usize> = HashMap::new();
        let mut file_times: Vec<SystemTime> = Vec::new();
        for file in loaded {
            records.skipped += file.warnings.len();
            records.warnings.extend(file.warnings);
            for advisory in file.advisories {
                match position.get(&advisory.id) {
                    Some(&at) => {
                        if advisory.modified > records.advisories[at].modified {
                            records.advisories[at] = advisory;
                            file_times[at] = file_times[at].max(file.modified);
                        }
                    }
                    None => {
                        position.insert(advisory.id.clone(), records.advisories.len());
                        records.advisories.push(advisory);
                        file_times.push(file.modified);
                    }
                }
            }
        }
        records.index(&file_times);
        Ok(records)
    }

    fn index(&mut self, file_times: &[SystemTime]) {
        let mut order: Vec<usize> = (0..self.advisories.len()).collect();
        order.sort_by(|&a, &b| self.advisories[a].id.cmp(&self.advisories[b].id));
        for at in order {
            let advisory = &self.advisories[at];
            let mut bases: Vec<&str> = Vec::new();
            for package in advisory.affected.iter().filter_map(|a| a.package.as_ref()) {
                let base = base_ecosystem(&package.ecosystem);
                let key = (
                    base.to_owned(),
                    normalize_name(base, &package.name).into_owned(),
                );
                let list = self.by_package.entry(key).or_default();
                if list.last() != Some(&at) {
                    list.push(at);
                }
                if !bases.contains(&base) {
                    bases.push(base);
                }
            }
            for base in bases {
                let entry = self
                    .ecosystems
                    .entry(base.to_owned())
                    .or_insert((0, UNIX_EPOCH));
                entry.0 += 1;
                entry.1 = entry.1.max(file_times[at]);
            }
        }
    }

    pub(crate) fn has_ecosystem(&self, base: &str) -> bool {
        self.ecosystems.contains_key(base)
    }

    /// Advisories for a normalised name, ordered by id.
    pub(crate) fn advisories(&self, base: &str, name: &str) -> Vec<Advisory> {
        self.by_package
            .get(&(base.to_owned(), name.to_owned()))
            .map(|list| list.iter().map(|&at| self.advisories[at].clone()).collect())
            .unwrap_or_default()
    }

    pub(crate) fn status(&self) -> Vec<EcosystemStatus> {
        self.ecosystems
            .iter()
            .map(|(base, &(advisories, newest))| EcosystemStatus {
                ecosystem: base.clone(),
                kind: SourceKind::Directory,
                advisories,
                fetched_at: newest,
                checked_at: newest,
                source: self.root.display().to_string(),
                etag: None,
                last_modified: None,
                sha256: None,
                path: self.root.clone(),
                skipped: self.skipped,
            })
            .collect()
    }
}

/// Collects record files and zips below `dir`, skipping hidden entries and the top-level
/// `*.sqlite` indexes (read by [`super::index`]).
fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    seen: &mut HashSet<(u64, u64)>,
    files: &mut Vec<PathBuf>,
    warnings: &mut Vec<String>,
) -> Result<(), DbError> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(dir).map_err(|e| DbError::io("cannot read", dir, e))?;
    if !seen.insert((metadata.dev(), metadata.ino())) {
        return Ok(()); // A symbolic link back to a directory already read.
    }
    if depth > MAX_DEPTH {
        warnings.push(format!(
            "skipped {}: more than {MAX_DEPTH} directory levels deep",
            dir.display()
        ));
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| DbError::io("cannot read", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| DbError::io("cannot read", dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let metadata = match std::fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(e) => {
                warnings.push(format!("skipped {}: {e}", path.display()));
                continue;
            }
        };
        if metadata.is_dir() {
            // A directory that cannot be read is reported and skipped, like a bad file.
            if let Err(e) = walk(root, &path, depth + 1, seen, files, warnings) {
                warnings.push(format!("skipped {e}"));
            }
        } else if metadata.is_file() {
            let top_level_index = dir == root && name.ends_with(".sqlite");
            let wanted = RecordFormat::of(&name).is_some() || has_extension(&name, "zip");
            if wanted && !top_level_index {
                files.push(path);
            }
        }
    }
    Ok(())
}

fn has_extension(name: &str, extension: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| e.eq_ignore_ascii_case(extension))
}

fn read_file(path: &Path) -> FileRecords {
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(UNIX_EPOCH);
    let mut out = FileRecords {
        advisories: Vec::new(),
        modified,
        warnings: Vec::new(),
    };
    let name = path.to_string_lossy();
    if let Some(format) = RecordFormat::of(&name) {
        let bytes = match std::fs::metadata(path) {
            Ok(m) if m.len() > MAX_RECORD_BYTES => Err(format!(
                "{} bytes, more than the {MAX_RECORD_BYTES} allowed for one record",
                m.len()
            )),
            _ => std::fs::read(path).map_err(|e| e.to_string()),
        };
        match bytes.and_then(|b| parse_record(&b, format).map_err(|e| e.message().to_owned())) {
            Ok(advisory) => out.advisories.push(advisory),
            Err(message) => out
                .warnings
                .push(format!("skipped {}: {message}", path.display())),
        }
        return out;
    }
    let mut export = match Export::open(path) {
        Ok(export) => export,
        Err(e) => {
            out.warnings.push(format!("skipped {e}"));
            return out;
        }
    };
    let mut buffer = Vec::new();
    for index in 0..export.len() {
        match export.read(index, &mut buffer) {
            Ok(None) => {}
            Ok(Some(entry)) => match entry
                .read
                .and_then(|()| parse_record(&buffer, entry.format))
            {
                Ok(advisory) => out.advisories.push(advisory),
                Err(problem) => out.warnings.push(format!(
                    "skipped {} in {}: {}",
                    entry.name,
                    path.display(),
                    problem.message()
                )),
            },
            // The rest of a damaged zip cannot be trusted to be read in order.
            Err(e) => {
                out.warnings.push(format!("skipped the rest of {e}"));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vuln::db::index::tests::{record, zip_of};

    fn ids(list: Vec<Advisory>) -> Vec<String> {
        list.into_iter().map(|a| a.id).collect()
    }

    #[test]
    fn reads_json_yaml_and_zip_recursively_and_skips_bad_files_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("go/osv")).unwrap();
        std::fs::create_dir_all(root.join("pypa/flask")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join("go/osv/GO-1.json"), record("GO-1", "Go", &["m"])).unwrap();
        std::fs::write(
            root.join("pypa/flask/PYSEC-1.yaml"),
            "id: PYSEC-1\nmodified: 2024-01-01T00:00:00Z\naffected:\n- package:\n    \
             ecosystem: PyPI\n    name: Flask\n",
        )
        .unwrap();
        std::fs::write(
            root.join("crates.zip"),
            zip_of(&[
                (
                    "RUSTSEC-1.json",
                    &record("RUSTSEC-1", "crates.io", &["smallvec"]),
                ),
                ("broken.json", "{\"id\": "),
            ]),
        )
        .unwrap();
        std::fs::write(root.join("go/osv/bad.json"), "[1, 2").unwrap();
        std::fs::write(root.join(".git/GO-9.json"), record("GO-9", "Go", &["m"])).unwrap();
        std::fs::write(root.join("README.md"), "# not a record").unwrap();

        let records = Records::load(root).unwrap();
        assert_eq!(ids(records.advisories("Go", "m")), ["GO-1"]);
        assert_eq!(ids(records.advisories("PyPI", "flask")), ["PYSEC-1"]);
        assert_eq!(
            ids(records.advisories("crates.io", "smallvec")),
            ["RUSTSEC-1"]
        );
        assert!(records.has_ecosystem("crates.io") && !records.has_ecosystem("npm"));
        assert_eq!(records.warnings.len(), 2, "{:?}", records.warnings);
        assert!(records.warnings.iter().any(|w| w.contains("bad.json")));
        assert!(records
            .warnings
            .iter()
            .any(|w| w.contains("broken.json in") && w.contains("crates.zip")));
        let status = records.status();
        let names: Vec<_> = status.iter().map(|s| s.ecosystem.as_str()).collect();
        assert_eq!(names, ["Go", "PyPI", "crates.io"]);
        assert!(status.iter().all(|s| s.advisories == 1 && s.skipped == 2));
    }

    #[test]
    fn the_newest_copy_of_a_record_wins_and_releases_share_a_base() {
        let dir = tempfile::tempdir().unwrap();
        let old = r#"{"id":"DSA-1","modified":"2023-01-01T00:00:00Z","affected":[
            {"package":{"ecosystem":"Debian:11","name":"openssl"}}]}"#;
        let new = r#"{"id":"DSA-1","modified":"2024-01-01T00:00:00Z","affected":[
            {"package":{"ecosystem":"Debian:11","name":"openssl"}},
            {"package":{"ecosystem":"Debian:12","name":"openssl"}}]}"#;
        std::fs::write(dir.path().join("a.json"), new).unwrap();
        std::fs::write(dir.path().join("b.json"), old).unwrap();
        let records = Records::load(dir.path()).unwrap();
        let found = records.advisories("Debian", "openssl");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].affected.len(), 2);
        assert_eq!(records.status()[0].advisories, 1);
    }
}
