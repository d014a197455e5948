//! Calendar dates and UTC timestamps without a date-time dependency: reports need
//! `YYYY-MM-DDThh:mm:ss`, ignore files need today's date, and that is all.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A day of the proleptic Gregorian calendar, ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Today in UTC.
    pub fn today() -> Date {
        civil(SystemTime::now()).0
    }

    /// `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.splitn(3, '-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        let date = Date {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
            day: day.parse().ok()?,
        };
        (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= date.days_in_month())
            .then_some(date)
    }

    fn days_in_month(self) -> u8 {
        match self.month {
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// `YYYY-MM-DDThh:mm:ss` in UTC, the form GitLab's report schemas require.
pub fn utc_seconds(time: SystemTime) -> String {
    let (date, seconds) = civil(time);
    format!(
        "{date}T{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// The UTC date and the seconds since midnight. Times before 1970 count as 1970.
fn civil(time: SystemTime) -> (Date, u32) {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, seconds) = (secs.div_euclid(86_400), secs.rem_euclid(86_400) as u32);
    // Days since 1970-01-01 to a civil date (the well-known era-based conversion).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
    (Date { year, month, day }, seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn converts_known_instants() {
        assert_eq!(utc_seconds(UNIX_EPOCH), "1970-01-01T00:00:00");
        // 2024-02-29T12:34:56Z, a leap day.
        let leap = UNIX_EPOCH + Duration::from_secs(1_709_210_096);
        assert_eq!(utc_seconds(leap), "2024-02-29T12:34:56");
        let y2k_eve = UNIX_EPOCH + Duration::from_secs(946_684_799);
        assert_eq!(utc_seconds(y2k_eve), "1999-12-31T23:59:59");
    }

    #[test]
    fn parses_only_real_days() {
        assert_eq!(Date::parse("2026-12-31").unwrap().to_string(), "2026-12-31");
        assert!(Date::parse("2024-02-29").is_some());
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026-01-32",
            "x",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2026-01-02") > Date::parse("2025-12-31"));
    }
}
