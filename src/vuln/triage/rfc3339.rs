//! RFC 3339 times (`2023-01-08T18:02:03.647787998-06:00`), as OpenVEX timestamps are written,
//! turned into instants that compare correctly across UTC offsets.
//!
//! Only ordering is needed, so an instant is seconds and nanoseconds since 1970-01-01 UTC; the
//! crate keeps no date-time dependency for this one comparison.

use super::date::parse_day;

/// A point in time; ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Instant {
    seconds: i64,
    nanos: u32,
}

/// Parses `YYYY-MM-DD` `T` `hh:mm:ss[.fraction]` (`Z` | `±hh:mm`); `t` and a space are
/// accepted for `T` as the RFC allows, and `z` for `Z`.
pub(super) fn parse(text: &str) -> Result<Instant, String> {
    let invalid = || format!("`{text}` is not an RFC 3339 time such as 2024-05-01T12:00:00Z");
    let text = text.trim();
    let (date, rest) = (text.get(..10).ok_or_else(invalid)?, &text[10..]);
    let date = parse_day(date).map_err(|_| invalid())?;
    let rest = rest.strip_prefix(['T', 't', ' ']).ok_or_else(invalid)?;
    let (hour, minute, second) = (
        two_digits(rest.get(0..2)),
        two_digits(rest.get(3..5)),
        two_digits(rest.get(6..8)),
    );
    let separators = rest.get(2..3) == Some(":") && rest.get(5..6) == Some(":");
    let (Some(hour), Some(minute), Some(second), true) = (hour, minute, second, separators) else {
        return Err(invalid());
    };
    // 60 is a leap second.
    if hour > 23 || minute > 59 || second > 60 {
        return Err(invalid());
    }
    let mut rest = &rest[8..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(invalid());
        }
        // Nanosecond precision: further digits cannot change the order of real timestamps.
        for (i, b) in fraction
            .bytes()
            .take(9)
            .take_while(u8::is_ascii_digit)
            .enumerate()
        {
            nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
        }
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.get(0..1) {
                Some("+") => 1,
                Some("-") => -1,
                _ => return Err(invalid()),
            };
            let (hours, minutes) = (two_digits(rest.get(1..3)), two_digits(rest.get(4..6)));
            match (hours, minutes, rest.get(3..4), rest.len()) {
                (Some(h), Some(m), Some(":"), 6) if h <= 23 && m <= 59 => sign * (h * 60 + m),
                _ => return Err(invalid()),
            }
        }
    };
    let days = days_from_civil(date.year.into(), date.month.into(), date.day.into());
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Ok(Instant { seconds, nanos })
}

fn two_digits(text: Option<&str>) -> Option<i64> {
    let text = text?;
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar: count from 0000-03-01
/// in 400-year eras (146,097 days each), with years starting in March so the leap day falls
/// at the end of the counted year.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719,468 days from 0000-03-01 to 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(text: &str) -> i64 {
        parse(text).unwrap_or_else(|e| panic!("{e}")).seconds
    }

    #[test]
    fn counts_days_from_the_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
    }

    #[test]
    fn parses_times_with_offsets() {
        assert_eq!(seconds("1970-01-01T00:00:00Z"), 0);
        assert_eq!(seconds("2024-02-29T12:34:56Z"), 1_709_210_096);
        assert_eq!(seconds("2024-02-29t13:34:56+01:00"), 1_709_210_096);
        assert_eq!(seconds("2024-02-29 06:34:56-06:00"), 1_709_210_096);
        let precise = parse("2023-01-08T18:02:03.647787998-06:00").unwrap();
        assert_eq!(precise.nanos, 647_787_998);
        assert_eq!(parse("2023-01-08T18:02:03.5Z").unwrap().nanos, 500_000_000);
    }

    #[test]
    fn orders_across_offsets() {
        let earlier = parse("2024-01-01T10:00:00+02:00").unwrap();
        let later = parse("2024-01-01T09:00:00Z").unwrap();
        assert!(earlier < later);
        let a = parse("2024-01-01T00:00:00.1Z").unwrap();
        let b = parse("2024-01-01T00:00:00.09Z").unwrap();
        assert!(b < a);
    }

    #[test]
    fn refuses_other_forms() {
        for text in [
            "2024-01-01",
            "2024-01-01T00:00:00",
            "2024-01-01T24:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00+0100",
            "2024-01-01T0:00:00Z",
            "yesterday",
            "",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
