//! The OSV advisory format (schema 1.7), as far as matching and reporting read it.
//!
//! Fields we do not use are skipped when parsing, so records from newer schema versions still
//! load. The same model reads JSON (osv.dev exports, golang/vulndb, RustSec) and YAML (PyPA).

use serde::{Deserialize, Serialize};

/// One advisory (`id` plus what it affects).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Set when the advisory was retracted: it must never match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityScore>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affected: Vec<Affected>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

/// `severity[]`: a scoring system and its vector or rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityScore {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4` or `Ubuntu`.
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

/// One affected package with the versions affected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<AffectedPackage>,
    /// Per-package severity (only when the advisory has no top-level one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityScore>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Affected versions listed one by one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedPackage {
    /// `Debian:12`, `Alpine:v3.20`, `PyPI`, `Go`…: the part before the first `:` picks the
    /// version ordering, the rest narrows the release.
    pub ecosystem: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RangeType {
    /// SemVer 2.0 precedence whatever the ecosystem.
    Semver,
    /// The ecosystem's own ordering.
    Ecosystem,
    /// Commit hashes: needs the repository history, so matching relies on `versions[]`.
    Git,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range {
    #[serde(rename = "type")]
    pub kind: RangeType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

/// One event of a range; each event object has exactly one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EventObject", into = "EventObject")]
pub enum Event {
    /// `"0"` means before every version.
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    /// `"*"` means no limit.
    Limit(String),
}

/// An event as written: an object with one key. Going through a struct (not an externally
/// tagged enum) lets YAML readers, which expect tags for enums, read it too.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct EventObject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limit: Option<String>,
}

impl TryFrom<EventObject> for Event {
    type Error = String;

    fn try_from(object: EventObject) -> Result<Self, Self::Error> {
        match object {
            EventObject {
                introduced: Some(v),
                fixed: None,
                last_affected: None,
                limit: None,
            } => Ok(Event::Introduced(v)),
            EventObject {
                introduced: None,
                fixed: Some(v),
                last_affected: None,
                limit: None,
            } => Ok(Event::Fixed(v)),
            EventObject {
                introduced: None,
                fixed: None,
                last_affected: Some(v),
                limit: None,
            } => Ok(Event::LastAffected(v)),
            EventObject {
                introduced: None,
                fixed: None,
                last_affected: None,
                limit: Some(v),
            } => Ok(Event::Limit(v)),
            _ => Err(
                "a range event must have exactly one of introduced, fixed, last_affected, limit"
                    .into(),
            ),
        }
    }
}

impl From<Event> for EventObject {
    fn from(event: Event) -> Self {
        let mut object = EventObject::default();
        match event {
            Event::Introduced(v) => object.introduced = Some(v),
            Event::Fixed(v) => object.fixed = Some(v),
            Event::LastAffected(v) => object.last_affected = Some(v),
            Event::Limit(v) => object.limit = Some(v),
        }
        object
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
}

impl Advisory {
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn.is_some()
    }

    /// The id and every alias: the names this advisory is known by.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// The part of an OSV ecosystem name that picks the ordering: `Debian` for `Debian:12`.
pub fn base_ecosystem(ecosystem: &str) -> &str {
    ecosystem
        .split_once(':')
        .map_or(ecosystem, |(base, _)| base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_and_yaml_records_and_ignores_unknown_fields() {
        let json = r#"{"schema_version":"1.7.5","id":"GO-1","modified":"2024-01-01T00:00:00Z",
            "aliases":["CVE-1"],"affected":[{"package":{"ecosystem":"Go","name":"m"},
            "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"}]}],
            "ecosystem_specific":{"imports":[]}}],"credits":[{"name":"x"}]}"#;
        let advisory: Advisory = serde_json::from_str(json).unwrap();
        assert_eq!(advisory.ids().collect::<Vec<_>>(), ["GO-1", "CVE-1"]);
        let range = &advisory.affected[0].ranges[0];
        assert_eq!(range.kind, RangeType::Semver);
        assert_eq!(
            range.events,
            [Event::Introduced("0".into()), Event::Fixed("1.2.0".into())]
        );

        let yaml = "id: PYSEC-1\naffected:\n- package:\n    ecosystem: PyPI\n    name: p\n  \
                    ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: \"0\"\n    \
                    - last_affected: \"2.0\"\n  versions:\n  - \"1.0\"\n";
        let advisory: Advisory = serde_yaml_ng::from_str(yaml).unwrap();
        assert_eq!(advisory.affected[0].versions, ["1.0"]);
        assert_eq!(
            advisory.affected[0].ranges[0].events[1],
            Event::LastAffected("2.0".into())
        );
    }

    #[test]
    fn base_ecosystem_drops_the_release() {
        assert_eq!(base_ecosystem("Debian:12"), "Debian");
        assert_eq!(base_ecosystem("Ubuntu:Pro:24.04:LTS"), "Ubuntu");
        assert_eq!(base_ecosystem("PyPI"), "PyPI");
    }
}
