//! One severity scale for advisories: CVSS v2/v3/v4 vectors scored, distro ratings read.
//!
//! SKELETON: the types are final; `rate` and the CVSS scoring are filled in by the severity work.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::osv::{Advisory, Affected};

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
pub fn rate(_advisory: &Advisory, _affected: &Affected) -> Rating {
    Rating::unknown()
}
