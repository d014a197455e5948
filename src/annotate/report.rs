//! The annotations of a JSON report (docs/json-format.md): every finding with a file position,
//! and every vulnerability attributed to a Dockerfile line, in one flat list both annotators
//! use.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::finding::Severity;

/// Why a report cannot be annotated.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(
        "{}: cannot read the report: {source}; give the file an earlier portcullis run wrote \
         with `-f json=PATH`",
        path.display()
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a portcullis JSON report ({source}); write one with `-f json=PATH`", path.display())]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
}

/// What annotators need of a JSON report.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportFile {
    pub exit_code: i32,
    #[serde(default)]
    pub errors: Vec<String>,
    pub runs: Vec<Run>,
    #[serde(default)]
    pub images: Vec<Image>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Run {
    pub engine: String,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Finding {
    pub rule: RuleRef,
    pub severity: Severity,
    pub message: String,
    pub path: String,
    pub region: Option<Region>,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RuleRef {
    pub code: String,
    pub name: String,
    pub help_uri: String,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Region {
    pub start: Position,
    pub end: Position,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Image {
    pub reference: String,
    #[serde(default)]
    pub vulnerabilities: Option<Vec<Vulnerability>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Vulnerability {
    pub id: String,
    pub package_name: String,
    pub package_version: String,
    pub severity: VulnerabilitySeverity,
    pub fix: Fix,
    pub summary: Option<String>,
    pub dockerfile: Option<DockerfileLine>,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct VulnerabilitySeverity {
    /// `critical`, `high`, `medium`, `low`, `negligible`, `unknown`.
    pub level: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Fix {
    /// `fixed`, `not_fixed`, `wont_fix`.
    pub state: String,
    pub version: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DockerfileLine {
    pub path: String,
    pub line: u32,
}

/// One thing to show on a pull request, on a line of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// As in the report: relative to where portcullis ran.
    pub path: PathBuf,
    pub start_line: u32,
    pub end_line: u32,
    /// Columns only when the finding is on one line (GitHub's rule).
    pub columns: Option<(u32, u32)>,
    pub severity: Severity,
    /// `PC1004 privileged-container` or `CVE-2024-1234 in openssl`.
    pub title: String,
    pub message: String,
    /// Where to read more.
    pub help_uri: Option<String>,
    /// Stable identity across runs (updates instead of duplicates).
    pub fingerprint: String,
}

impl ReportFile {
    pub fn load(path: &Path) -> Result<ReportFile, ReportError> {
        let text = std::fs::read(path).map_err(|source| ReportError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_slice(&text).map_err(|source| ReportError::Parse {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Every finding located in a file (live objects without one are left out: there is no
    /// line to put them on) and every vulnerability with a Dockerfile line, most severe first,
    /// then by path and line.
    pub fn annotations(&self) -> Vec<Annotation> {
        let mut annotations: Vec<Annotation> = self
            .runs
            .iter()
            .flat_map(|run| &run.findings)
            .filter(|f| !f.path.contains("://"))
            .map(|f| {
                let (start, end) = f.region.map_or((1, 1), |r| {
                    (r.start.line.max(1), r.end.line.max(r.start.line).max(1))
                });
                let columns = f
                    .region
                    .filter(|r| r.start.line == r.end.line)
                    .map(|r| (r.start.column, r.end.column));
                Annotation {
                    path: PathBuf::from(&f.path),
                    start_line: start,
                    end_line: end,
                    columns,
                    severity: f.severity,
                    title: format!("{} {}", f.rule.code, f.rule.name),
                    message: f.message.clone(),
                    help_uri: Some(f.rule.help_uri.clone()),
                    fingerprint: f.fingerprint.clone(),
                }
            })
            .collect();
        for image in &self.images {
            for v in image.vulnerabilities.iter().flatten() {
                let Some(line) = &v.dockerfile else { continue };
                let fix = match (&v.fix.state[..], &v.fix.version) {
                    ("fixed", Some(version)) => format!("fixed in {version}"),
                    ("wont_fix", _) => "will not be fixed".to_owned(),
                    _ => "no fix yet".to_owned(),
                };
                let summary = v
                    .summary
                    .as_deref()
                    .map(|s| format!(": {s}"))
                    .unwrap_or_default();
                annotations.push(Annotation {
                    path: PathBuf::from(&line.path),
                    start_line: line.line.max(1),
                    end_line: line.line.max(1),
                    columns: None,
                    severity: vulnerability_severity(&v.severity.level),
                    title: format!("{} in {}", v.id, v.package_name),
                    message: format!(
                        "{} {} {} ({}; {}){summary}",
                        v.id, v.package_name, v.package_version, v.severity.level, fix
                    ),
                    help_uri: None,
                    fingerprint: v.fingerprint.clone(),
                });
            }
        }
        annotations.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.path.cmp(&b.path))
                .then(a.start_line.cmp(&b.start_line))
                .then_with(|| a.title.cmp(&b.title))
        });
        annotations
    }

    /// How many findings and vulnerabilities the report holds, by severity (for summaries).
    pub fn counts(&self) -> [(Severity, usize); 4] {
        let all = self.annotations_unfiltered_severities();
        Severity::ALL.map(|s| (s, all.iter().filter(|&&x| x == s).count()))
    }

    fn annotations_unfiltered_severities(&self) -> Vec<Severity> {
        let findings = self
            .runs
            .iter()
            .flat_map(|r| &r.findings)
            .map(|f| f.severity);
        let vulnerabilities = self
            .images
            .iter()
            .flat_map(|i| i.vulnerabilities.iter().flatten())
            .map(|v| vulnerability_severity(&v.severity.level));
        findings.chain(vulnerabilities).collect()
    }
}

/// Vulnerability levels on our severity scale: critical and high are errors, medium a
/// warning, the rest information.
pub fn vulnerability_severity(level: &str) -> Severity {
    match level {
        "critical" | "high" => Severity::Error,
        "medium" => Severity::Warning,
        _ => Severity::Info,
    }
}

/// The JSON report of `report`, read back as the annotators read it (for tests).
#[cfg(test)]
pub(crate) fn read(report: &crate::finding::Report) -> ReportFile {
    use crate::report::{fixture::options, render_to_string, Format};
    serde_json::from_str(&render_to_string(Format::Json, report, &options())).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{image_fixture, test_fixture};

    #[test]
    fn findings_of_our_own_json_become_annotations() {
        let report = read(&test_fixture());
        let annotations = report.annotations();
        assert!(!annotations.is_empty());
        let first = &annotations[0];
        assert_eq!(first.severity, Severity::Error, "most severe first");
        assert!(first.title.starts_with("PC"));
        let whole_file = annotations
            .iter()
            .find(|a| a.title.contains("missing-healthcheck"))
            .unwrap();
        assert_eq!((whole_file.start_line, whole_file.columns), (1, None));
        let total: usize = report.counts().iter().map(|(_, n)| n).sum();
        assert_eq!(total, 4);
    }

    #[test]
    fn vulnerabilities_with_a_dockerfile_line_are_annotated_there() {
        let report = read(&image_fixture());
        let annotations = report.annotations();
        assert!(annotations
            .iter()
            .any(|a| a.title.starts_with("CVE-") && a.path == Path::new("Dockerfile")));
    }

    #[test]
    fn a_file_that_is_not_a_report_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        std::fs::write(&path, "{}").unwrap();
        let err = ReportFile::load(&path).unwrap_err();
        assert!(err.to_string().contains("-f json=PATH"), "{err}");
    }
}
