//! One severity scale for advisories: CVSS v2/v3/v4 vectors scored, distro ratings read.
//!
//! [`rate`] gives each (advisory, package) pair a [`Rating`]: the score of the newest CVSS
//! version present (v4.0 > v3.1 > v3.0 > v2), and a [`Level`] taken from the publishing
//! database's own words when it has them (`vendor`), else from that score's band
//! ([`level_for_score`]), else `Unknown`. [`security_severity`] turns a rating into the number
//! GitHub code scanning reads from SARIF.
//!
//! `cvss` scores vectors, `vendor` reads rating words; this file joins them.

mod cvss;
mod vendor;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::osv::{self, Advisory, Affected, SeverityScore};

pub use cvss::{cvss_score, level_for_score, score_vector, CvssVersion, Scored};

/// Qualitative severity, ordered `Unknown < Negligible < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Unknown,
    Negligible,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::Unknown,
        Level::Negligible,
        Level::Low,
        Level::Medium,
        Level::High,
        Level::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Unknown => "unknown",
            Level::Negligible => "negligible",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::ALL
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown severity `{s}` (expected critical, high, medium, low, negligible or unknown)"
                )
            })
    }
}

/// How severe one advisory is for one package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rating {
    /// The level reports show and filters use.
    pub level: Level,
    /// CVSS base score (0.0–10.0) of the newest CVSS version present, when any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The vector the score came from (`CVSS:3.1/AV:N/…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
    /// Where `level` came from: `CVSS_V4`, `CVSS_V3`, `CVSS_V2`, `Ubuntu`, `Debian`, `GHSA`…
    pub source: String,
}

impl Rating {
    pub fn unknown() -> Self {
        Rating {
            level: Level::Unknown,
            score: None,
            vector: None,
            source: String::new(),
        }
    }
}

/// The rating of `advisory` for the package in `affected`.
///
/// Score and vector: the newest CVSS version that scores, from `affected.severity` when that
/// has any scorable CVSS entry, else from the advisory's top-level `severity` (OSV puts it in
/// one place or the other). Vectors that fail to parse are skipped, so a broken v4 vector does
/// not hide a good v3 one.
///
/// Level: the database's own rating when present (Ubuntu priority, Debian urgency, GHSA or
/// distro `severity`; see `vendor`), with `source` naming it; else the score's band, with
/// `source` the CVSS type (`CVSS_V3`…); else `Unknown` with an empty `source`. The score and
/// vector are kept either way, so reports can show both.
pub fn rate(advisory: &Advisory, affected: &Affected) -> Rating {
    let best = newest_cvss(&affected.severity).or_else(|| newest_cvss(&advisory.severity));
    let (score, vector) = match &best {
        Some((scored, vector)) => (Some(scored.score), Some(vector.clone())),
        None => (None, None),
    };
    if let Some(rating) = vendor::vendor_rating(advisory, affected) {
        return Rating {
            level: rating.level,
            score,
            vector,
            source: rating.source,
        };
    }
    match best {
        Some((scored, _)) => Rating {
            level: level_for_score(scored.score),
            score,
            vector,
            source: scored.version.osv_type().to_string(),
        },
        None => Rating::unknown(),
    }
}

/// The newest-version CVSS entry of `entries` that scores, with its vector; the first one
/// listed wins between entries of the same version.
fn newest_cvss(entries: &[SeverityScore]) -> Option<(Scored, String)> {
    entries
        .iter()
        .filter_map(|entry| {
            score_vector(&entry.kind, &entry.score)
                .ok()
                .map(|scored| (scored, entry.score.trim().to_string()))
        })
        .fold(
            None,
            |best: Option<(Scored, String)>, candidate| match best {
                Some(best) if best.0.version >= candidate.0.version => Some(best),
                _ => Some(candidate),
            },
        )
}

/// The SARIF `security-severity` property (a number "0.0"–"10.0" as a string) that GitHub code
/// scanning maps back to critical (9.0+), high (7.0–8.9), medium (4.0–6.9) or low (below 4.0).
///
/// The CVSS score when there is one and its band agrees with `rating.level`. Otherwise (no
/// score, or a distro rating that differs from the score's band) a representative number in the
/// middle of the level's band, so GitHub shows the same level as our own reports: critical 9.5,
/// high 8.0, medium 5.5, low 2.0, negligible 0.5 (GitHub has no negligible band: it shows low).
/// `None` for `Unknown`, which GitHub then shows without a severity.
pub fn security_severity(rating: &Rating) -> Option<String> {
    let representative = match rating.level {
        Level::Unknown => return None,
        Level::Negligible => 0.5,
        Level::Low => 2.0,
        Level::Medium => 5.5,
        Level::High => 8.0,
        Level::Critical => 9.5,
    };
    let number = match rating.score {
        Some(score) if level_for_score(score) == rating.level => score,
        _ => representative,
    };
    Some(format!("{number:.1}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V2: &str = "AV:N/AC:L/Au:N/C:P/I:P/A:P";
    const V3: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";
    const V4: &str = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";

    fn parse(json: &str) -> Advisory {
        serde_json::from_str(json).expect("test advisory")
    }

    fn rate_first(json: &str) -> Rating {
        let advisory = parse(json);
        rate(&advisory, &advisory.affected[0])
    }

    #[test]
    fn newest_cvss_version_wins() {
        let json = format!(
            r#"{{"id":"GHSA-1","severity":[{{"type":"CVSS_V2","score":"{V2}"}},
            {{"type":"CVSS_V4","score":"{V4}"}},{{"type":"CVSS_V3","score":"{V3}"}}],
            "affected":[{{"package":{{"ecosystem":"npm","name":"x"}}}}]}}"#
        );
        let rating = rate_first(&json);
        assert_eq!(
            rating,
            Rating {
                level: Level::Critical,
                score: Some(9.3),
                vector: Some(V4.into()),
                source: "CVSS_V4".into(),
            }
        );
    }

    #[test]
    fn per_package_severity_before_top_level_and_broken_vectors_skipped() {
        let json = format!(
            r#"{{"id":"RUSTSEC-2024-1","severity":[{{"type":"CVSS_V4","score":"{V4}"}}],
            "affected":[{{"package":{{"ecosystem":"crates.io","name":"x"}},
            "severity":[{{"type":"CVSS_V4","score":"CVSS:4.0/AV:N"}},{{"type":"CVSS_V2","score":"{V2}"}}]}}]}}"#
        );
        let rating = rate_first(&json);
        assert_eq!(rating.level, Level::High);
        assert_eq!(rating.score, Some(7.5));
        assert_eq!(rating.vector.as_deref(), Some(V2));
        assert_eq!(rating.source, "CVSS_V2");
    }

    #[test]
    fn v3_1_beats_v3_0() {
        let json = r#"{"id":"X-1","severity":[
            {"type":"CVSS_V3","score":"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"},
            {"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            "affected":[{"package":{"ecosystem":"PyPI","name":"x"}}]}"#;
        assert_eq!(rate_first(json).score, Some(9.8));
    }

    #[test]
    fn distro_rating_wins_and_keeps_the_score() {
        let json = format!(
            r#"{{"id":"UBUNTU-CVE-2024-1","severity":[{{"type":"Ubuntu","score":"negligible"}},
            {{"type":"CVSS_V3","score":"{V3}"}}],
            "affected":[{{"package":{{"ecosystem":"Ubuntu:24.04:LTS","name":"x"}}}}]}}"#
        );
        assert_eq!(
            rate_first(&json),
            Rating {
                level: Level::Negligible,
                score: Some(7.5),
                vector: Some(V3.into()),
                source: "Ubuntu".into(),
            }
        );
        let debian = r#"{"id":"DEBIAN-CVE-2024-1","affected":[{"package":{"ecosystem":"Debian:12",
            "name":"x"},"ecosystem_specific":{"urgency":"medium"}}]}"#;
        let rating = rate_first(debian);
        assert_eq!(
            (rating.level, rating.source.as_str()),
            (Level::Medium, "Debian")
        );
        assert_eq!(rating.score, None);
    }

    #[test]
    fn unrated_words_fall_back_to_cvss_then_unknown() {
        let json = format!(
            r#"{{"id":"DEBIAN-CVE-2024-2","severity":[{{"type":"CVSS_V3","score":"{V3}"}}],
            "affected":[{{"package":{{"ecosystem":"Debian:12","name":"x"}},
            "ecosystem_specific":{{"urgency":"not yet assigned"}}}}]}}"#
        );
        let rating = rate_first(&json);
        assert_eq!(
            (rating.level, rating.source.as_str()),
            (Level::High, "CVSS_V3")
        );

        let bare = r#"{"id":"GO-2024-1","affected":[{"package":{"ecosystem":"Go","name":"m"}}]}"#;
        assert_eq!(rate_first(bare), Rating::unknown());
    }

    #[test]
    fn security_severity_numbers() {
        let rating = |level, score: Option<f64>| Rating {
            level,
            score,
            vector: None,
            source: String::new(),
        };
        assert_eq!(
            security_severity(&rating(Level::High, Some(7.5))).as_deref(),
            Some("7.5")
        );
        assert_eq!(
            security_severity(&rating(Level::Critical, Some(10.0))).as_deref(),
            Some("10.0")
        );
        // A distro's lower rating wins over the score's band: GitHub must show it too.
        assert_eq!(
            security_severity(&rating(Level::Low, Some(9.8))).as_deref(),
            Some("2.0")
        );
        let levels = [
            (Level::Critical, "9.5"),
            (Level::High, "8.0"),
            (Level::Medium, "5.5"),
            (Level::Low, "2.0"),
            (Level::Negligible, "0.5"),
        ];
        for (level, number) in levels {
            assert_eq!(
                security_severity(&rating(level, None)).as_deref(),
                Some(number)
            );
        }
        assert_eq!(security_severity(&rating(Level::Unknown, None)), None);
        assert_eq!(security_severity(&Rating::unknown()), None);
    }
}
