//! Baselines: the findings a repository already had when it adopted portcullis, so that a
//! run fails only on new ones.
//!
//! A baseline is a JSON file of fingerprints (`--write-baseline` writes it, `--baseline`
//! reads it). Fingerprints ignore line numbers and versions, so a baselined finding stays
//! baselined when unrelated lines move or the image is rebuilt; fixing it and bringing it back
//! makes it new again only if its text changed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::Report;

/// Bumped when an old file can no longer be read.
const FORMAT_VERSION: u32 = 1;

/// Why a baseline cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{}: cannot read the baseline: {source} (write one with --write-baseline)", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a portcullis baseline: {source}", path.display())]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{}: baseline format {found} is newer than this portcullis reads ({FORMAT_VERSION}); upgrade portcullis", path.display())]
    Version { path: PathBuf, found: u32 },
    #[error("{}: cannot write the baseline: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Baseline {
    pub version: u32,
    /// One entry per accepted finding or vulnerability.
    pub entries: Vec<Entry>,
}

/// One accepted finding: what it is (for people reading the file) and its fingerprint.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    /// A rule code (`PC1004`) or a vulnerability id (`CVE-2024-1234`).
    pub id: String,
    /// The file, image or live object.
    pub location: String,
    pub message: String,
    pub fingerprint: String,
}

impl Baseline {
    /// Everything `report` found.
    pub fn of(report: &Report) -> Baseline {
        let findings = report.findings().map(|f| Entry {
            id: f.rule.code.to_owned(),
            location: f.location.path.display().to_string(),
            message: f.message.clone(),
            fingerprint: f.fingerprint.clone(),
        });
        let vulnerabilities = report.images.iter().flat_map(|image| {
            image.vulnerabilities.iter().flatten().map(move |v| Entry {
                id: v.id.clone(),
                location: image.reference.clone(),
                message: format!(
                    "{} {}",
                    image.packages[v.package].name, image.packages[v.package].version
                ),
                fingerprint: image.fingerprint(v),
            })
        });
        Baseline {
            version: FORMAT_VERSION,
            entries: findings.chain(vulnerabilities).collect(),
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read(path).map_err(|source| BaselineError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let baseline: Baseline =
            serde_json::from_slice(&text).map_err(|source| BaselineError::Parse {
                path: path.to_path_buf(),
                source,
            })?;
        if baseline.version > FORMAT_VERSION {
            return Err(BaselineError::Version {
                path: path.to_path_buf(),
                found: baseline.version,
            });
        }
        Ok(baseline)
    }

    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serialises");
        text.push('\n');
        std::fs::write(path, text).map_err(|source| BaselineError::Write {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Removes from `report` what this baseline accepts; how many were removed.
    pub fn apply(&self, report: &mut Report) -> usize {
        let accepted: HashSet<(&str, &str)> = self
            .entries
            .iter()
            .map(|e| (e.id.as_str(), e.fingerprint.as_str()))
            .collect();
        let mut removed = 0;
        for run in &mut report.runs {
            let before = run.findings.len();
            run.findings
                .retain(|f| !accepted.contains(&(f.rule.code, f.fingerprint.as_str())));
            removed += before - run.findings.len();
        }
        for image in &mut report.images {
            let fingerprints: Vec<String> = image
                .vulnerabilities
                .iter()
                .flatten()
                .map(|v| image.fingerprint(v))
                .collect();
            if let Some(vulnerabilities) = &mut image.vulnerabilities {
                let mut index = 0;
                let before = vulnerabilities.len();
                vulnerabilities.retain(|v| {
                    let keep = !accepted.contains(&(v.id.as_str(), fingerprints[index].as_str()));
                    index += 1;
                    keep
                });
                removed += before - vulnerabilities.len();
            }
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{image_fixture, test_fixture};

    #[test]
    fn a_report_baselined_against_itself_is_empty_and_new_findings_stay() {
        let report = test_fixture();
        let baseline = Baseline::of(&report);
        assert_eq!(baseline.entries.len(), 4);
        let mut again = test_fixture();
        assert_eq!(baseline.apply(&mut again), 4);
        assert_eq!(again.findings().count(), 0);

        // A finding whose fingerprint is not in the baseline is new.
        let mut partial = baseline.clone();
        partial.entries.remove(0);
        let mut again = test_fixture();
        assert_eq!(partial.apply(&mut again), 3);
        assert_eq!(again.findings().count(), 1);
    }

    #[test]
    fn vulnerabilities_are_baselined_by_their_own_fingerprints() {
        let report = image_fixture();
        let baseline = Baseline::of(&report);
        let total: usize = report
            .images
            .iter()
            .map(|i| i.vulnerabilities.as_ref().map_or(0, Vec::len))
            .sum();
        assert!(total > 0);
        let mut again = image_fixture();
        baseline.apply(&mut again);
        assert!(again
            .images
            .iter()
            .all(|i| i.vulnerabilities.as_ref().is_none_or(Vec::is_empty)));
    }

    #[test]
    fn files_round_trip_and_bad_ones_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let baseline = Baseline::of(&test_fixture());
        baseline.write(&path).unwrap();
        assert_eq!(Baseline::load(&path).unwrap(), baseline);
        std::fs::write(&path, "{\"version\": 99, \"entries\": []}").unwrap();
        let err = Baseline::load(&path).unwrap_err();
        assert!(err.to_string().contains("upgrade portcullis"), "{err}");
        let err = Baseline::load(&dir.path().join("missing.json")).unwrap_err();
        assert!(err.to_string().contains("--write-baseline"), "{err}");
    }
}
