//! Ratings that the publishing database gave in words: Ubuntu priorities, Debian urgencies,
//! GHSA and distro `severity` fields.
//!
//! These win over CVSS because they are made for the ecosystem the package lives in: a
//! distribution rates a CVE for the way it builds and ships the package (a "critical" library
//! flaw may be unreachable in its build), while the CVSS vector is usually NVD's generic view.

use super::osv::{base_ecosystem, Advisory, Affected};
use super::Level;

/// A level in words and the database that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct VendorRating {
    pub level: Level,
    pub source: String,
}

/// The database's own rating of `advisory` for the package in `affected`, when it has one.
///
/// Looked up, first hit wins: the `Ubuntu` severity type (per package, then top level); a
/// Debian `urgency` in `ecosystem_specific` or `database_specific` (per package, then top
/// level); a `severity` word in those same places (GHSA's `database_specific.severity`, Red Hat
/// style `Important`/`Moderate`, Alpine or others when a feed has one). Words that do not rate
/// (`not yet assigned`, `untriaged`, `end-of-life`) are skipped, so a later place can answer.
pub(super) fn vendor_rating(advisory: &Advisory, affected: &Affected) -> Option<VendorRating> {
    ubuntu_priority(advisory, affected)
        .or_else(|| {
            first_word(advisory, affected, "urgency").map(|level| VendorRating {
                level,
                source: "Debian".into(),
            })
        })
        .or_else(|| {
            first_word(advisory, affected, "severity").map(|level| VendorRating {
                level,
                source: database_name(advisory, affected),
            })
        })
}

/// The level a rating word stands for, across the vocabularies in use: Debian's `unimportant`
/// and trailing `**` (Debian marks ratings it has not reviewed that way), Ubuntu's
/// `negligible`, GHSA's `MODERATE`, Red Hat's `Important`.
pub(super) fn level_for_word(word: &str) -> Option<Level> {
    let word = word
        .trim()
        .trim_end_matches('*')
        .trim()
        .to_ascii_lowercase();
    match word.as_str() {
        "unimportant" | "negligible" | "none" | "informational" | "info" => Some(Level::Negligible),
        "low" | "minor" => Some(Level::Low),
        "medium" | "moderate" => Some(Level::Medium),
        "high" | "important" => Some(Level::High),
        "critical" => Some(Level::Critical),
        _ => None,
    }
}

fn ubuntu_priority(advisory: &Advisory, affected: &Affected) -> Option<VendorRating> {
    affected
        .severity
        .iter()
        .chain(&advisory.severity)
        .filter(|entry| entry.kind.eq_ignore_ascii_case("Ubuntu"))
        .find_map(|entry| level_for_word(&entry.score))
        .map(|level| VendorRating {
            level,
            source: "Ubuntu".into(),
        })
}

/// The first rating word under `key` in the per-package, then top-level, free-form objects.
fn first_word(advisory: &Advisory, affected: &Affected, key: &str) -> Option<Level> {
    [
        affected.ecosystem_specific.as_ref(),
        affected.database_specific.as_ref(),
        advisory.database_specific.as_ref(),
    ]
    .into_iter()
    .flatten()
    .filter_map(|object| object.get(key))
    .find_map(level_for_word)
}

/// Who rated a generic `severity`: `GHSA` for GitHub advisories, else the ecosystem of the
/// package (`AlmaLinux`, `Alpine`…), else the advisory id's prefix.
fn database_name(advisory: &Advisory, affected: &Affected) -> String {
    if advisory.id.starts_with("GHSA-") {
        return "GHSA".into();
    }
    if let Some(package) = &affected.package {
        return base_ecosystem(&package.ecosystem).to_string();
    }
    advisory
        .id
        .split_once('-')
        .map_or(advisory.id.as_str(), |(prefix, _)| prefix)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Advisory {
        serde_json::from_str(json).expect("test advisory")
    }

    fn rating(json: &str) -> Option<VendorRating> {
        let advisory = parse(json);
        vendor_rating(&advisory, &advisory.affected[0])
    }

    #[test]
    fn reads_rating_words() {
        let cases = [
            ("unimportant", Some(Level::Negligible)),
            ("negligible", Some(Level::Negligible)),
            ("low**", Some(Level::Low)),
            ("LOW", Some(Level::Low)),
            ("medium", Some(Level::Medium)),
            ("MODERATE", Some(Level::Medium)),
            ("Important", Some(Level::High)),
            ("high", Some(Level::High)),
            ("CRITICAL", Some(Level::Critical)),
            ("not yet assigned", None),
            ("untriaged", None),
            ("", None),
        ];
        for (word, level) in cases {
            assert_eq!(level_for_word(word), level, "{word}");
        }
    }

    #[test]
    fn ubuntu_priority_per_package_or_top_level() {
        let top = r#"{"id":"UBUNTU-CVE-2024-1","severity":[{"type":"CVSS_V3",
            "score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},{"type":"Ubuntu","score":"low"}],
            "affected":[{"package":{"ecosystem":"Ubuntu:22.04:LTS","name":"curl"}}]}"#;
        assert_eq!(
            rating(top),
            Some(VendorRating {
                level: Level::Low,
                source: "Ubuntu".into()
            })
        );
        let per_package = r#"{"id":"UBUNTU-CVE-2024-2","severity":[{"type":"Ubuntu","score":"low"}],
            "affected":[{"package":{"ecosystem":"Ubuntu:22.04:LTS","name":"curl"},
            "severity":[{"type":"Ubuntu","score":"high"}]}]}"#;
        assert_eq!(rating(per_package).map(|r| r.level), Some(Level::High));
    }

    #[test]
    fn debian_urgency_in_either_object() {
        let ecosystem_specific = r#"{"id":"DEBIAN-CVE-2024-1","affected":[{"package":
            {"ecosystem":"Debian:12","name":"openssl"},"ecosystem_specific":{"urgency":"unimportant"}}]}"#;
        assert_eq!(
            rating(ecosystem_specific),
            Some(VendorRating {
                level: Level::Negligible,
                source: "Debian".into()
            })
        );
        let database_specific = r#"{"id":"DSA-1-1","affected":[{"package":
            {"ecosystem":"Debian:12","name":"openssl"},"database_specific":{"urgency":"low**"}}]}"#;
        assert_eq!(rating(database_specific).map(|r| r.level), Some(Level::Low));
        let unassigned = r#"{"id":"DEBIAN-CVE-2024-3","affected":[{"package":
            {"ecosystem":"Debian:12","name":"openssl"},"ecosystem_specific":{"urgency":"not yet assigned"}}]}"#;
        assert_eq!(rating(unassigned), None);
    }

    #[test]
    fn generic_severity_names_its_database() {
        let ghsa = r#"{"id":"GHSA-xxxx-yyyy-zzzz","database_specific":{"severity":"MODERATE"},
            "affected":[{"package":{"ecosystem":"npm","name":"lodash"}}]}"#;
        assert_eq!(
            rating(ghsa),
            Some(VendorRating {
                level: Level::Medium,
                source: "GHSA".into()
            })
        );
        let alma = r#"{"id":"ALSA-2024:1","affected":[{"package":{"ecosystem":"AlmaLinux:9",
            "name":"kernel"},"database_specific":{"severity":"Important"}}]}"#;
        assert_eq!(
            rating(alma),
            Some(VendorRating {
                level: Level::High,
                source: "AlmaLinux".into()
            })
        );
        let nothing =
            r#"{"id":"GO-2024-1","affected":[{"package":{"ecosystem":"Go","name":"m"}}]}"#;
        assert_eq!(rating(nothing), None);
    }
}
