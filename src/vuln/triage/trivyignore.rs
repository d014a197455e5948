//! `.trivyignore`, read the way Trivy reads it, so teams moving over keep their file.
//!
//! One vulnerability id per line; blank lines and lines starting with `#` are skipped; after the
//! id, whitespace-separated fields may follow, of which `exp:YYYY-MM-DD` sets an expiry day (on
//! and after it the line no longer applies) and the rest, such as a trailing `# comment`, are
//! ignored. The id matches the vulnerability's primary id or any alias.

use std::path::Path;

use super::date::{parse_day, Date};
use super::error::TriageError;
use super::{ids_match, Candidate};

/// One id line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TrivyEntry {
    /// `FILE:LINE`.
    pub source: String,
    pub id: String,
    pub expires: Option<Date>,
}

impl TrivyEntry {
    pub fn matches(&self, candidate: &Candidate<'_>) -> bool {
        ids_match(std::slice::from_ref(&self.id), candidate.ids)
    }

    /// Whether the line has stopped applying by `today`.
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|expires| today >= expires)
    }
}

/// Reads the id lines of the file at `path` whose text is `text`.
pub(super) fn parse(path: &Path, text: &str) -> Result<Vec<TrivyEntry>, TriageError> {
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let Some(id) = fields.next() else { continue };
        let mut expires = None;
        for field in fields.take_while(|field| !field.starts_with('#')) {
            if let Some(day) = field.strip_prefix("exp:") {
                let date = parse_day(day).map_err(|e| TriageError::TrivyIgnore {
                    path: path.to_path_buf(),
                    line: line_number,
                    message: format!("`exp:` {e} (the form is `{id} exp:2026-12-31`)"),
                })?;
                expires = Some(date);
            }
        }
        entries.push(TrivyEntry {
            source: format!("{}:{line_number}", path.display()),
            id: id.to_string(),
            expires,
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Vec<TrivyEntry> {
        parse(Path::new(".trivyignore"), text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reads_ids_comments_and_expiry() {
        let entries = parsed(
            "# Accept the risk\nCVE-2018-14618\n\n  CVE-2019-1543 exp:2026-02-01  \n\
             GHSA-aaaa-bbbb-cccc # no fix upstream\nCVE-2020-1 exp:2026-01-01 # both\n",
        );
        let summary: Vec<_> = entries
            .iter()
            .map(|e| {
                (
                    e.source.as_str(),
                    e.id.as_str(),
                    e.expires.map(|d| d.to_string()),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (".trivyignore:2", "CVE-2018-14618", None),
                (".trivyignore:4", "CVE-2019-1543", Some("2026-02-01".into())),
                (".trivyignore:5", "GHSA-aaaa-bbbb-cccc", None),
                (".trivyignore:6", "CVE-2020-1", Some("2026-01-01".into())),
            ]
        );
    }

    #[test]
    fn matches_ids_and_aliases_and_expires() {
        let entry = &parsed("CVE-2019-1543 exp:2026-02-01\n")[0];
        let ids = [
            "DEBIAN-CVE-2019-1543".to_string(),
            "CVE-2019-1543".to_string(),
        ];
        let other = ["CVE-2019-1544".to_string()];
        let candidate = |ids| Candidate {
            ids,
            package_name: "openssl",
            package_version: "1",
            purl: "pkg:deb/debian/openssl@1",
            paths: &[],
            has_fix: false,
            image_ids: &[],
        };
        assert!(entry.matches(&candidate(&ids)));
        assert!(!entry.matches(&candidate(&other)));
        assert!(!entry.expired(Date::parse("2026-01-31").unwrap()));
        assert!(entry.expired(Date::parse("2026-02-01").unwrap()));
    }

    #[test]
    fn bad_expiry_names_file_and_line() {
        let err = parse(
            Path::new("ci/.trivyignore"),
            "CVE-1\nCVE-2 exp:2026-13-01\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("ci/.trivyignore:2: `exp:`"), "{err}");
        assert!(err.contains("CVE-2 exp:2026-12-31"), "{err}");
    }
}
