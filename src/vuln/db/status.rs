//! What `db status` reports per ecosystem, and how times are written.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};

/// Where an ecosystem's data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// An index made by `db update` from a downloaded export.
    Index,
    /// OSV records read from files (JSON, YAML, zip exports) placed in the directory.
    Directory,
}

/// One ecosystem of the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EcosystemStatus {
    /// For an index, the ecosystem as downloaded (`Debian`, `Red Hat`); for records read from
    /// files, the base ecosystem of their affected packages.
    pub ecosystem: String,
    pub kind: SourceKind,
    /// Advisories with at least one affected package in this ecosystem (withdrawn included).
    pub advisories: usize,
    /// When the export was downloaded; for files, the newest modification time among them.
    #[serde(serialize_with = "serialize_time")]
    pub fetched_at: SystemTime,
    /// When the server last confirmed the data current (download or `304 Not Modified`); for
    /// files, the same as `fetched_at`. Ages and staleness warnings are counted from here.
    #[serde(serialize_with = "serialize_time")]
    pub checked_at: SystemTime,
    /// The URL downloaded from, or the directory the files were read from.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// sha256 of the stored export (of the zip, for an `all.zip` placed in a directory).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The index file, or the directory read.
    pub path: PathBuf,
    /// Records skipped because they could not be read as OSV (see the warnings); for record
    /// files, the count for the whole directory, whatever the ecosystem.
    pub skipped: usize,
}

impl EcosystemStatus {
    /// Time since the data was last confirmed current.
    pub fn age(&self, now: SystemTime) -> Duration {
        now.duration_since(self.checked_at)
            .unwrap_or(Duration::ZERO)
    }
}

fn serialize_time<S: Serializer>(time: &SystemTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&rfc3339(*time))
}

/// `2024-05-06T07:08:09Z` (UTC, whole seconds).
pub fn rfc3339(time: SystemTime) -> String {
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A short age for tables and warnings: `40 s`, `12 min`, `5 h`, `3 d`.
pub fn human_age(age: Duration) -> String {
    let seconds = age.as_secs();
    match seconds {
        0..=119 => format!("{seconds} s"),
        120..=7199 => format!("{} min", seconds / 60),
        7200..=172_799 => format!("{} h", seconds / 3600),
        _ => format!("{} d", seconds / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap_day = UNIX_EPOCH + Duration::from_secs(1_709_210_096);
        assert_eq!(rfc3339(leap_day), "2024-02-29T12:34:56Z");
        let end_of_year = UNIX_EPOCH + Duration::from_secs(1_735_689_599);
        assert_eq!(rfc3339(end_of_year), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn ages_are_short() {
        assert_eq!(human_age(Duration::from_secs(5)), "5 s");
        assert_eq!(human_age(Duration::from_secs(600)), "10 min");
        assert_eq!(human_age(Duration::from_secs(5 * 3600)), "5 h");
        assert_eq!(human_age(Duration::from_secs(9 * 86_400)), "9 d");
    }
}
