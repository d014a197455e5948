//! CVSS vectors to base scores, and scores to levels.
//!
//! Parsing and the score equations (v2.0, v3.0, v3.1 and v4.0's MacroVector lookup) come from
//! the RustSec `cvss` crate; this module only picks the parser the OSV `severity[].type` names,
//! tidies the spellings found in real advisories, and refuses vectors that lack base metrics,
//! which the crate's v3 parser would otherwise score as if those metrics were zero.

use std::str::FromStr;

use super::Level;

/// A CVSS version as found in advisories, ordered oldest first so the newest compares greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CvssVersion {
    V2,
    V3_0,
    V3_1,
    V4_0,
}

impl CvssVersion {
    /// The OSV severity type this version is published under, used as `Rating::source`.
    pub fn osv_type(self) -> &'static str {
        match self {
            CvssVersion::V2 => "CVSS_V2",
            CvssVersion::V3_0 | CvssVersion::V3_1 => "CVSS_V3",
            CvssVersion::V4_0 => "CVSS_V4",
        }
    }
}

/// One vector with its base score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub version: CvssVersion,
    /// 0.0–10.0, one decimal, as the specification rounds it.
    pub score: f64,
}

/// The base score of `vector`, an OSV `severity[].score` whose `type` is `kind`
/// (`CVSS_V2`, `CVSS_V3` or `CVSS_V4`, any case).
///
/// For v4.0 the score covers whatever threat and environmental metrics the vector carries
/// (CVSS-BT/BE/BTE); advisories normally publish base-only vectors, giving CVSS-B.
pub fn cvss_score(kind: &str, vector: &str) -> Result<f64, String> {
    score_vector(kind, vector).map(|scored| scored.score)
}

/// Like [`cvss_score`], also telling which version the vector was.
pub fn score_vector(kind: &str, vector: &str) -> Result<Scored, String> {
    let vector = vector.trim();
    let scored = if kind.eq_ignore_ascii_case("CVSS_V2") {
        score_v2(vector)
    } else if kind.eq_ignore_ascii_case("CVSS_V3") {
        score_v3(vector)
    } else if kind.eq_ignore_ascii_case("CVSS_V4") {
        score_v4(vector)
    } else {
        return Err(format!(
            "`{kind}` is not a CVSS severity type (expected CVSS_V2, CVSS_V3 or CVSS_V4)"
        ));
    }
    .map_err(|problem| format!("invalid {kind} vector `{vector}`: {problem}"))?;
    if scored.score.is_finite() && (0.0..=10.0).contains(&scored.score) {
        Ok(scored)
    } else {
        Err(format!(
            "{kind} vector `{vector}` scored {} outside 0.0–10.0",
            scored.score
        ))
    }
}

/// The level of a CVSS score, with the CVSS v3.x/v4.0 qualitative bands for every version
/// (so v2 scores of 9.0 and more are critical too, unlike NVD's three v2 bands):
/// 0.0 negligible (the specifications call it "none"), 0.1–3.9 low, 4.0–6.9 medium,
/// 7.0–8.9 high, 9.0–10.0 critical. Anything outside 0.0–10.0 is unknown.
pub fn level_for_score(score: f64) -> Level {
    if !(0.0..=10.0).contains(&score) {
        Level::Unknown
    } else if score == 0.0 {
        Level::Negligible
    } else if score < 4.0 {
        Level::Low
    } else if score < 7.0 {
        Level::Medium
    } else if score < 9.0 {
        Level::High
    } else {
        Level::Critical
    }
}

/// v2 vectors carry no version prefix; NVD writes them in parentheses and a few feeds add a
/// `CVSS:2.0/` prefix anyway, so both are accepted.
fn score_v2(vector: &str) -> Result<Scored, String> {
    let vector = vector
        .strip_prefix('(')
        .and_then(|v| v.strip_suffix(')'))
        .unwrap_or(vector);
    let vector = vector.strip_prefix("CVSS:2.0/").unwrap_or(vector);
    if vector.starts_with("CVSS:") {
        return Err("a CVSS v2 vector has no `CVSS:x.y/` prefix".into());
    }
    let parsed = cvss::v2::Vector::from_str(vector).map_err(|e| e.to_string())?;
    Ok(Scored {
        version: CvssVersion::V2,
        score: parsed.score().value(),
    })
}

fn score_v3(vector: &str) -> Result<Scored, String> {
    let version = if vector.starts_with("CVSS:3.1/") {
        CvssVersion::V3_1
    } else if vector.starts_with("CVSS:3.0/") {
        CvssVersion::V3_0
    } else {
        return Err("expected a `CVSS:3.0/` or `CVSS:3.1/` prefix".into());
    };
    let parsed = cvss::v3::Vector::from_str(vector).map_err(|e| e.to_string())?;
    let missing: Vec<&str> = [
        ("AV", parsed.av.is_none()),
        ("AC", parsed.ac.is_none()),
        ("PR", parsed.pr.is_none()),
        ("UI", parsed.ui.is_none()),
        ("S", parsed.s.is_none()),
        ("C", parsed.c.is_none()),
        ("I", parsed.i.is_none()),
        ("A", parsed.a.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, absent)| absent.then_some(name))
    .collect();
    if !missing.is_empty() {
        return Err(format!("missing base metric(s) {}", missing.join(", ")));
    }
    Ok(Scored {
        version,
        score: parsed.base_score().value(),
    })
}

fn score_v4(vector: &str) -> Result<Scored, String> {
    if !vector.starts_with("CVSS:4.0/") {
        return Err("expected a `CVSS:4.0/` prefix".into());
    }
    let parsed = cvss::v4::Vector::from_str(vector).map_err(|e| e.to_string())?;
    Ok(Scored {
        version: CvssVersion::V4_0,
        score: parsed.score().value(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_scores(kind: &str, cases: &[(&str, f64)]) {
        for (vector, expected) in cases {
            let score = cvss_score(kind, vector).unwrap_or_else(|e| panic!("{vector}: {e}"));
            assert!(
                (score - expected).abs() < 1e-9,
                "{vector}: scored {score}, expected {expected}"
            );
        }
    }

    /// Examples from the CVSS v2 guide (section 3.3) and NVD.
    #[test]
    fn scores_v2_vectors() {
        assert_scores(
            "CVSS_V2",
            &[
                // CVE-2002-0392 (Apache chunked encoding), guide example.
                ("AV:N/AC:L/Au:N/C:N/I:N/A:C", 7.8),
                // CVE-2003-0818 (Windows ASN.1), guide example.
                ("AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0),
                // CVE-2003-0062 (NOD32 local overflow), guide example.
                ("AV:L/AC:H/Au:N/C:C/I:C/A:C", 6.2),
                // CVE-2014-0160 (Heartbleed) on NVD.
                ("AV:N/AC:L/Au:N/C:P/I:N/A:N", 5.0),
                ("AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5),
                ("AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3),
                // NVD's parenthesised spelling and a stray v2 prefix.
                ("(AV:N/AC:L/Au:N/C:P/I:P/A:P)", 7.5),
                ("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5),
            ],
        );
    }

    /// Examples from the CVSS v3.0/v3.1 examples documents, scope changed and unchanged.
    #[test]
    fn scores_v3_vectors() {
        assert_scores(
            "CVSS_V3",
            &[
                // CVE-2013-1937 (phpMyAdmin reflected XSS): scope changed.
                ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
                // CVE-2013-0375 (MySQL stored SQL injection): scope changed.
                ("CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4),
                // CVE-2014-3566 (POODLE).
                ("CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1),
                // CVE-2012-1516 (VMware guest to host): scope changed, all high.
                ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9),
                // CVE-2009-0658 (Adobe JBIG2 PDF).
                ("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8),
                // CVE-2014-0160 (Heartbleed) on NVD.
                ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5),
                ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
                // CVE-2021-44228 (Log4Shell) on NVD: scope changed to the 10.0 cap.
                ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
                ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
            ],
        );
    }

    /// Examples from the CVSS v4.0 examples document and FIRST's calculator.
    #[test]
    fn scores_v4_vectors() {
        assert_scores(
            "CVSS_V4",
            &[
                (
                    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                    9.3,
                ),
                (
                    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
                    10.0,
                ),
                (
                    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H",
                    7.9,
                ),
                (
                    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N",
                    6.9,
                ),
                // CVE-2022-41741 (nginx mp4 module), v4.0 examples document.
                (
                    "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                    7.3,
                ),
                (
                    "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                    7.7,
                ),
                (
                    "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
                    4.6,
                ),
                // Threat metric: unreported exploitation lowers the score (CVSS-BT).
                (
                    "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U",
                    5.2,
                ),
                (
                    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
                    0.0,
                ),
            ],
        );
    }

    #[test]
    fn reports_the_version() {
        let scored = |kind, vector| score_vector(kind, vector).unwrap().version;
        assert_eq!(
            scored("CVSS_V3", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            CvssVersion::V3_0
        );
        assert_eq!(
            scored("cvss_v3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            CvssVersion::V3_1
        );
        assert!(CvssVersion::V4_0 > CvssVersion::V3_1 && CvssVersion::V3_0 > CvssVersion::V2);
    }

    #[test]
    fn rejects_bad_input_with_a_reason() {
        let err = cvss_score("Ubuntu", "high").unwrap_err();
        assert!(err.contains("not a CVSS severity type"), "{err}");
        // A v3 vector under the v2 type, and the other way round.
        assert!(cvss_score("CVSS_V2", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").is_err());
        assert!(cvss_score("CVSS_V3", "AV:N/AC:L/Au:N/C:P/I:P/A:P").is_err());
        assert!(cvss_score("CVSS_V4", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").is_err());
        // Missing base metrics are refused, not scored as zero.
        let err = cvss_score("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H").unwrap_err();
        assert!(err.contains("missing base metric(s) I, A"), "{err}");
        assert!(cvss_score("CVSS_V4", "CVSS:4.0/AV:N/AC:L").is_err());
        assert!(cvss_score("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P").is_err());
        assert!(cvss_score("CVSS_V3", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").is_err());
        assert!(cvss_score("CVSS_V3", "").is_err());
    }

    #[test]
    fn levels_follow_the_v3_bands() {
        let cases = [
            (0.0, Level::Negligible),
            (0.1, Level::Low),
            (3.9, Level::Low),
            (4.0, Level::Medium),
            (6.9, Level::Medium),
            (7.0, Level::High),
            (8.9, Level::High),
            (9.0, Level::Critical),
            (10.0, Level::Critical),
            (-1.0, Level::Unknown),
            (10.1, Level::Unknown),
            (f64::NAN, Level::Unknown),
        ];
        for (score, level) in cases {
            assert_eq!(level_for_score(score), level, "{score}");
        }
    }
}
