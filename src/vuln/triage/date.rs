//! Expiry days (`until`, `exp:`) as the crate's [`Date`], with parse errors that tell the
//! user how to write one: `Date::parse` only says yes or no.

pub use crate::timestamp::Date;

/// Parses exactly `YYYY-MM-DD`, saying whether the shape or the day is wrong.
pub(super) fn parse_day(text: &str) -> Result<Date, String> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(format!(
            "`{text}` is not a date: write it as YYYY-MM-DD, e.g. 2026-12-31"
        ));
    }
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a day of the calendar"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days() {
        assert_eq!(
            parse_day(" 2026-12-31 "),
            Ok(Date {
                year: 2026,
                month: 12,
                day: 31
            })
        );
        assert!(parse_day("2024-02-29").is_ok());
    }

    #[test]
    fn says_what_is_wrong() {
        for text in [
            "2026-2-1",
            "2026/12/31",
            "31-12-2026",
            "2026-12-31T00:00:00Z",
            "",
            "+026-12-31",
        ] {
            let err = parse_day(text).unwrap_err();
            assert!(err.contains("YYYY-MM-DD"), "{text}: {err}");
        }
        for text in ["2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31"] {
            let err = parse_day(text).unwrap_err();
            assert!(err.contains("not a day"), "{text}: {err}");
        }
    }
}
