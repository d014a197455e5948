//! The OSV advisory format (schema 1.7), as far as matching and reporting read it.
//!
//! Fields we do not use are skipped when parsing, so records from newer schema versions still
//! load, and the local index (which stores records re-serialised from this model) stays small:
//! `details` (often kilobytes of prose; reports show the summary and link the advisory),
//! `related` and `credits` are left out. The same model reads JSON (osv.dev exports,
//! golang/vulndb, RustSec) and YAML (PyPA).

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityScore>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affected: Vec<Affected>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Specific>,
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
    #[serde(default, skip_serializing_if = "VersionList::is_empty")]
    pub versions: VersionList,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Specific>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Specific>,
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
    pub database_specific: Option<Specific>,
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

/// `versions[]`: distribution records list every affected version (a kernel advisory names
/// about a hundred, and a kernel has thousands of advisories), so the list is kept as one
/// string and the end offsets of its items: two allocations where a `Vec<String>` would make
/// one per version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionList {
    text: String,
    ends: Vec<u32>,
}

impl VersionList {
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| &self.text[start as usize..end as usize])
    }

    fn push(&mut self, version: &str) {
        self.text.push_str(version);
        self.ends.push(self.text.len() as u32);
    }
}

impl<S: AsRef<str>> FromIterator<S> for VersionList {
    fn from_iter<I: IntoIterator<Item = S>>(versions: I) -> Self {
        let mut list = VersionList::default();
        for version in versions {
            list.push(version.as_ref());
        }
        list
    }
}

impl<const N: usize> PartialEq<[&str; N]> for VersionList {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

impl Serialize for VersionList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for VersionList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Items;
        impl<'de> serde::de::Visitor<'de> for Items {
            type Value = VersionList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of versions")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<VersionList, A::Error> {
                let mut list = VersionList::default();
                while let Some(version) = seq.next_element::<Piece<'de>>()? {
                    list.push(&version.0);
                }
                Ok(list)
            }
        }
        deserializer.deserialize_seq(Items)
    }
}

/// One text item, borrowed from the input when the format allows (JSON without escapes).
struct Piece<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for Piece<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use std::borrow::Cow;
        struct Text;
        impl<'de> serde::de::Visitor<'de> for Text {
            type Value = Piece<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a version string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Piece<'de>, E> {
                Ok(Piece(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Piece<'de>, E> {
                Ok(Piece(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Piece<'de>, E> {
                Ok(Piece(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// A free-form `ecosystem_specific` or `database_specific` object, as far as anything reads
/// it: its top-level text values by key (`urgency`, `severity`, `status`…). Building a JSON
/// tree of every such object dominated decoding records, and nothing looks deeper; nested
/// values and non-text values are skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Specific(Vec<(String, String)>);

impl Specific {
    /// The text value of `key`, when it is one.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

impl<const N: usize> From<[(&str, &str); N]> for Specific {
    fn from(pairs: [(&str, &str); N]) -> Self {
        Specific(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }
}

impl Serialize for Specific {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Specific {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = Specific;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Specific, A::Error> {
                let mut pairs = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, TextOrSkip>()? {
                    if let Some(text) = value.0 {
                        pairs.push((key, text));
                    }
                }
                Ok(Specific(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// A value kept when it is text and skipped, without building anything, otherwise.
struct TextOrSkip(Option<String>);

impl<'de> Deserialize<'de> for TextOrSkip {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = TextOrSkip;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E>(self, v: &str) -> Result<TextOrSkip, E> {
                Ok(TextOrSkip(Some(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<TextOrSkip, E> {
                Ok(TextOrSkip(Some(v)))
            }
            fn visit_bool<E>(self, _: bool) -> Result<TextOrSkip, E> {
                Ok(TextOrSkip(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<TextOrSkip, E> {
                Ok(TextOrSkip(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<TextOrSkip, E> {
                Ok(TextOrSkip(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<TextOrSkip, E> {
                Ok(TextOrSkip(None))
            }
            fn visit_unit<E>(self) -> Result<TextOrSkip, E> {
                Ok(TextOrSkip(None))
            }
            fn visit_none<E>(self) -> Result<TextOrSkip, E> {
                Ok(TextOrSkip(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TextOrSkip, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(TextOrSkip(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TextOrSkip, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(TextOrSkip(None))
            }
        }
        deserializer.deserialize_any(Text)
    }
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
    fn specific_objects_keep_their_top_level_text() {
        let json =
            r#"{"urgency":"low**","nvd":{"score":7.5},"binaries":["a","b"],"n":3,"ok":true}"#;
        let specific: Specific = serde_json::from_str(json).unwrap();
        assert_eq!(specific.get("urgency"), Some("low**"));
        assert_eq!(specific.get("nvd"), None);
        assert_eq!(specific.get("n"), None);
        assert_eq!(
            serde_json::to_string(&specific).unwrap(),
            r#"{"urgency":"low**"}"#
        );
        let yaml: Specific = serde_yaml_ng::from_str("severity: HIGH\nlist: [1, 2]\n").unwrap();
        assert_eq!(yaml.get("severity"), Some("HIGH"));
    }

    #[test]
    fn version_lists_read_json_and_yaml_and_write_back_the_same() {
        let json = r#"["1.0", "1.0.1", "2.0\u002Drc1"]"#;
        let list: VersionList = serde_json::from_str(json).unwrap();
        assert_eq!(list, ["1.0", "1.0.1", "2.0-rc1"]);
        assert_eq!(list.len(), 3);
        assert_eq!(
            serde_json::to_string(&list).unwrap(),
            r#"["1.0","1.0.1","2.0-rc1"]"#
        );
        assert!(
            serde_json::from_str::<VersionList>("[1]").is_err(),
            "versions are strings"
        );
        let yaml: VersionList = serde_yaml_ng::from_str("- 1.10\n- '2.0'\n- 0.1.0\n").unwrap();
        assert_eq!(yaml, ["1.10", "2.0", "0.1.0"]);
        assert!(VersionList::default().is_empty());
    }

    #[test]
    fn base_ecosystem_drops_the_release() {
        assert_eq!(base_ecosystem("Debian:12"), "Debian");
        assert_eq!(base_ecosystem("Ubuntu:Pro:24.04:LTS"), "Ubuntu");
        assert_eq!(base_ecosystem("PyPI"), "PyPI");
    }
}
