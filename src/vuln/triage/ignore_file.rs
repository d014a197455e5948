//! `.portcullis-ignore.toml`, our own ignore file (format documented in the parent module).
//!
//! Parsing is strict on purpose: a misspelt key (`pakage = "openssl"`) would otherwise widen an
//! entry to every package silently, so unknown keys are errors naming the line and the keys
//! that exist.

use std::path::Path;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use super::date::{parse_day, Date};
use super::error::{line_of, TriageError};
use super::purl::Purl;
use super::{ids_match, Candidate};

/// One `[[ignore]]` entry, checked and ready to match.
#[derive(Debug)]
pub(super) struct IgnoreEntry {
    /// `FILE:LINE` of the entry's `[[ignore]]` header.
    pub source: String,
    pub id: String,
    pub package: Option<String>,
    pub purl: Option<Purl>,
    pub paths: Option<GlobSet>,
    pub reason: String,
    pub until: Option<Date>,
}

impl IgnoreEntry {
    /// Whether the entry covers `candidate`: the id matches, and so does each of `package`,
    /// `purl` and `paths` that the entry has.
    pub fn matches(&self, candidate: &Candidate<'_>) -> bool {
        ids_match(std::slice::from_ref(&self.id), candidate.ids)
            && self
                .package
                .as_ref()
                .is_none_or(|name| name.eq_ignore_ascii_case(candidate.package_name))
            && self.purl.as_ref().is_none_or(|purl| {
                Purl::parse(candidate.purl).is_ok_and(|package| purl.matches(&package))
            })
            && self.paths.as_ref().is_none_or(|globs| {
                candidate
                    .paths
                    .iter()
                    .any(|path| globs.is_match(path.trim_start_matches('/')))
            })
    }

    /// Whether the entry has stopped applying by `today` (on its `until` day and after).
    pub fn expired(&self, today: Date) -> bool {
        self.until.is_some_and(|until| today >= until)
    }
}

/// The keys an entry may have, for error messages.
const KEYS: &str = "id, reason, package, purl, paths, until";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    ignore: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    reason: String,
    #[serde(default)]
    package: Option<String>,
    #[serde(default)]
    purl: Option<Spanned<String>>,
    #[serde(default)]
    paths: Option<Spanned<Vec<String>>>,
    /// A TOML date (`2026-12-31`) or a string (`"2026-12-31"`): read as a value and checked
    /// here, since serde cannot try the two forms with a good error.
    #[serde(default)]
    until: Option<Spanned<toml::Value>>,
}

/// Reads the entries of the ignore file at `path` whose text is `text`.
pub(super) fn parse(path: &Path, text: &str) -> Result<Vec<IgnoreEntry>, TriageError> {
    let error = |offset: usize, message: String| TriageError::IgnoreFile {
        path: path.to_path_buf(),
        line: line_of(text, offset),
        message,
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |span| span.start);
        error(offset, describe_toml_error(e.message()))
    })?;
    raw.ignore
        .into_iter()
        .map(|spanned| {
            let start = spanned.span().start;
            let line = line_of(text, start);
            let entry = spanned.into_inner();
            let at = |span: std::ops::Range<usize>, message: String| error(span.start, message);
            if entry.id.trim().is_empty() {
                return Err(error(start, "`id` is empty: write the vulnerability id, e.g. id = \"CVE-2024-1234\"".into()));
            }
            if entry.reason.trim().is_empty() {
                return Err(error(start, "`reason` is empty: say why this vulnerability is accepted, for whoever reviews it next".into()));
            }
            let purl = entry
                .purl
                .map(|purl| {
                    let span = purl.span();
                    Purl::parse(purl.get_ref()).map_err(|e| at(span, format!("`purl`: {e}")))
                })
                .transpose()?;
            let paths = entry
                .paths
                .map(|paths| {
                    let span = paths.span();
                    globs(paths.get_ref()).map_err(|e| at(span, format!("`paths`: {e}")))
                })
                .transpose()?;
            let until = entry
                .until
                .map(|until| {
                    let span = until.span();
                    until_date(until.get_ref()).map_err(|e| at(span, format!("`until`: {e}")))
                })
                .transpose()?;
            Ok(IgnoreEntry {
                source: format!("{}:{line}", path.display()),
                id: entry.id.trim().to_string(),
                package: entry.package.map(|name| name.trim().to_string()),
                purl,
                paths,
                reason: entry.reason.trim().to_string(),
                until,
            })
        })
        .collect()
}

/// The TOML parser's message with what to do about it.
fn describe_toml_error(message: &str) -> String {
    let message = message.trim();
    let quoted = |text: &str| text.split('`').nth(1).map(str::to_string);
    if let (true, Some(key)) = (message.starts_with("unknown field"), quoted(message)) {
        if message.contains("expected `ignore`") {
            format!("unknown key `{key}` at the top level: the file holds only [[ignore]] tables")
        } else {
            format!("unknown key `{key}` in an [[ignore]] entry: the keys are {KEYS}")
        }
    } else if let (true, Some(key)) = (message.starts_with("missing field"), quoted(message)) {
        format!("missing key `{key}`: every [[ignore]] entry needs `id` and `reason`")
    } else {
        format!(
            "{message} (an [[ignore]] entry has id = \"…\", reason = \"…\", and optionally \
             package = \"…\", purl = \"pkg:…\", paths = [\"glob\", …], until = YYYY-MM-DD)"
        )
    }
}

/// Globs over paths inside the image: `*` stays within one directory, `**` crosses them, and a
/// leading `/` is optional (evidence paths are compared without it).
fn globs(patterns: &[String]) -> Result<GlobSet, String> {
    if patterns.is_empty() {
        return Err("empty list: give at least one glob, or leave `paths` out".into());
    }
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = GlobBuilder::new(pattern.trim().trim_start_matches('/'))
            .literal_separator(true)
            .build()
            .map_err(|e| format!("invalid glob `{pattern}`: {e}"))?;
        set.add(glob);
    }
    set.build().map_err(|e| e.to_string())
}

fn until_date(value: &toml::Value) -> Result<Date, String> {
    match value {
        toml::Value::Datetime(datetime) => match (datetime.date, datetime.time) {
            (Some(date), None) => parse_day(&format!(
                "{:04}-{:02}-{:02}",
                date.year, date.month, date.day
            )),
            _ => Err(format!(
                "`{datetime}` has a time: give a day only, e.g. until = 2026-12-31"
            )),
        },
        toml::Value::String(text) => parse_day(text),
        other => Err(format!(
            "expected a date such as 2026-12-31, found {}",
            other.type_str()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &str) -> Vec<IgnoreEntry> {
        parse(Path::new("p.toml"), text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn error(text: &str) -> String {
        parse(Path::new("dir/p.toml"), text)
            .unwrap_err()
            .to_string()
    }

    fn candidate<'a>(
        ids: &'a [String],
        name: &'a str,
        purl: &'a str,
        paths: &'a [String],
    ) -> Candidate<'a> {
        Candidate {
            ids,
            package_name: name,
            package_version: "1.0",
            purl,
            paths,
            has_fix: true,
            image_ids: &[],
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_entries_with_their_lines() {
        let parsed = entries(
            "# accepted risks\n\n[[ignore]]\nid = \"CVE-2024-1\"\nreason = \"not reachable\"\n\n\
             [[ignore]]\nid = \"GHSA-aaaa-bbbb-cccc\"\nreason = \"r\"\npackage = \"lodash\"\n\
             purl = \"pkg:npm/lodash@4.17.20\"\npaths = [\"/app/**\"]\nuntil = 2026-12-31\n\n\
             [[ignore]]\nid = \"CVE-2024-3\"\nreason = \"r\"\nuntil = \"2027-01-15\"\n",
        );
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[0].source, "p.toml:3");
        assert_eq!(parsed[1].source, "p.toml:7");
        assert_eq!(parsed[2].source, "p.toml:15");
        assert_eq!(parsed[0].reason, "not reachable");
        assert_eq!(parsed[1].until, Date::parse("2026-12-31"));
        assert_eq!(parsed[2].until, Date::parse("2027-01-15"));
        assert_eq!(
            parsed[1].purl.as_ref().map(|p| p.name.as_str()),
            Some("lodash")
        );
        assert!(entries("").is_empty());
    }

    #[test]
    fn id_matches_any_alias_case_insensitively() {
        let entry = &entries("[[ignore]]\nid = \"cve-2024-1\"\nreason = \"r\"\n")[0];
        let ids = strings(&["GHSA-aaaa-bbbb-cccc", "CVE-2024-1"]);
        assert!(entry.matches(&candidate(&ids, "x", "pkg:npm/x@1", &[])));
        let other = strings(&["CVE-2024-2"]);
        assert!(!entry.matches(&candidate(&other, "x", "pkg:npm/x@1", &[])));
    }

    #[test]
    fn package_name_narrows() {
        let entry =
            &entries("[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\npackage = \"OpenSSL\"\n")[0];
        let ids = strings(&["CVE-1"]);
        assert!(entry.matches(&candidate(&ids, "openssl", "pkg:deb/debian/openssl@3", &[])));
        assert!(!entry.matches(&candidate(&ids, "libssl3", "pkg:deb/debian/libssl3@3", &[])));
    }

    #[test]
    fn purl_with_and_without_version() {
        let ids = strings(&["CVE-1"]);
        let package = "pkg:deb/debian/openssl@3.0.11-1%7Edeb12u2?arch=amd64&distro=debian-12";
        let any_version = &entries(
            "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\npurl = \"pkg:deb/debian/openssl\"\n",
        )[0];
        assert!(any_version.matches(&candidate(&ids, "openssl", package, &[])));
        assert!(!any_version.matches(&candidate(&ids, "openssl", "pkg:deb/ubuntu/openssl@3", &[])));
        let pinned = &entries(
            "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\npurl = \"pkg:deb/debian/openssl@3.0.11-1~deb12u2\"\n",
        )[0];
        assert!(pinned.matches(&candidate(&ids, "openssl", package, &[])));
        let older = "pkg:deb/debian/openssl@3.0.9-1?arch=amd64";
        assert!(!pinned.matches(&candidate(&ids, "openssl", older, &[])));
    }

    #[test]
    fn path_globs_on_evidence() {
        let entry = &entries(
            "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\npaths = [\"/opt/app/**/*.jar\", \"usr/lib/python3*/site-packages/**\"]\n",
        )[0];
        let ids = strings(&["CVE-1"]);
        let jar = strings(&["/opt/app/lib/log4j-core-2.14.1.jar"]);
        let wheel = strings(&["usr/lib/python3.11/site-packages/yaml/__init__.py"]);
        let elsewhere = strings(&["/srv/other/log4j-core-2.14.1.jar"]);
        let nested_star = strings(&["/usr/lib/python3/x/site-packages/yaml"]);
        assert!(entry.matches(&candidate(&ids, "x", "pkg:maven/a/b@1", &jar)));
        assert!(entry.matches(&candidate(&ids, "x", "pkg:pypi/pyyaml@6", &wheel)));
        assert!(!entry.matches(&candidate(&ids, "x", "pkg:maven/a/b@1", &elsewhere)));
        assert!(!entry.matches(&candidate(&ids, "x", "pkg:pypi/pyyaml@6", &nested_star)));
        assert!(!entry.matches(&candidate(&ids, "x", "pkg:maven/a/b@1", &[])));
    }

    #[test]
    fn until_expires_on_the_day() {
        let entry = &entries("[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\nuntil = 2026-06-30\n")[0];
        let day = |text| Date::parse(text).unwrap();
        assert!(!entry.expired(day("2026-06-29")));
        assert!(entry.expired(day("2026-06-30")));
        assert!(entry.expired(day("2027-01-01")));
        let forever = &entries("[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\n")[0];
        assert!(!forever.expired(day("9999-12-31")));
    }

    #[test]
    fn unknown_keys_name_the_line_and_the_allowed_keys() {
        let message = error("[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\npakage = \"openssl\"\n");
        assert_eq!(
            message,
            "dir/p.toml:4: unknown key `pakage` in an [[ignore]] entry: the keys are id, reason, \
             package, purl, paths, until"
        );
        let message = error("[[ignores]]\nid = \"CVE-1\"\nreason = \"r\"\n");
        assert_eq!(
            message,
            "dir/p.toml:1: unknown key `ignores` at the top level: the file holds only [[ignore]] tables"
        );
    }

    #[test]
    fn invalid_values_name_the_line() {
        let cases = [
            (
                "[[ignore]]\nid = \"CVE-1\"\n",
                "dir/p.toml:1: missing key `reason`: every",
            ),
            (
                "[[ignore]]\nid = \"CVE-1\"\nreason = \" \"\n",
                "dir/p.toml:1: `reason` is empty",
            ),
            (
                "[[ignore]]\nid = \"\"\nreason = \"r\"\n",
                "dir/p.toml:1: `id` is empty",
            ),
            (
                "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\npurl = \"openssl\"\n",
                "dir/p.toml:4: `purl`: `openssl` is not a purl",
            ),
            (
                "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\n\npaths = [\"a/[b\"]\n",
                "dir/p.toml:5: `paths`: invalid glob `a/[b`",
            ),
            (
                "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\nuntil = \"31/12/2026\"\n",
                "dir/p.toml:4: `until`: `31/12/2026` is not a date",
            ),
            (
                "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\nuntil = 2026-12-31T10:00:00Z\n",
                "dir/p.toml:4: `until`: `2026-12-31T10:00:00Z` has a time",
            ),
            (
                "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\nuntil = 20261231\n",
                "dir/p.toml:4: `until`: expected a date",
            ),
            ("[[ignore]]\nid = CVE-1\n", "dir/p.toml:2: "),
            (
                "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\npaths = \"a/**\"\n",
                "dir/p.toml:4: invalid type: string \"a/**\", expected a sequence (an [[ignore]]",
            ),
        ];
        for (text, expected) in cases {
            let message = error(text);
            assert!(message.starts_with(expected), "{text:?}\n  gave {message}");
        }
    }
}
