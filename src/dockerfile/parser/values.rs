//! Go value syntaxes BuildKit applies to flag values: `time.ParseDuration` and
//! `strconv.ParseInt`.

/// Go's `time.ParseDuration`, in nanoseconds (as a float: only comparisons are needed).
pub(super) fn parse_duration(text: &str) -> Option<f64> {
    let (negative, mut s) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if s == "0" {
        return Some(0.0);
    }
    if s.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !s.is_empty() {
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let mut number: f64 = if int_len > 0 {
            s[..int_len].parse().ok()?
        } else {
            0.0
        };
        s = &s[int_len..];
        let mut frac_len = 0;
        if let Some(after) = s.strip_prefix('.') {
            frac_len = after.bytes().take_while(u8::is_ascii_digit).count();
            if frac_len > 0 {
                number += format!("0.{}", &after[..frac_len]).parse::<f64>().ok()?;
            }
            s = &after[frac_len..];
        }
        if int_len == 0 && frac_len == 0 {
            return None;
        }
        let unit_len = s
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        let scale = match &s[..unit_len] {
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += number * scale;
        s = &s[unit_len..];
    }
    // Go rejects durations that overflow an int64 of nanoseconds.
    if total > i64::MAX as f64 {
        return None;
    }
    Some(if negative { -total } else { total })
}

/// Go's `strconv.ParseInt(text, 10, 32)`.
pub(super) fn parse_i32(text: &str) -> Option<i32> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0"), Some(0.0));
        assert_eq!(parse_duration("5s"), Some(5e9));
        assert_eq!(parse_duration("1h30m"), Some(5400e9));
        assert_eq!(parse_duration("1.5ms"), Some(1.5e6));
        assert_eq!(parse_duration(".5s"), Some(0.5e9));
        assert_eq!(parse_duration("-2s"), Some(-2e9));
        assert_eq!(parse_duration("3µs"), Some(3e3));
        for bad in ["", "5", "s", "5x", "1.s.", "--1s", "1e3s", "9999999999h"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn ints() {
        assert_eq!(parse_i32("3"), Some(3));
        assert_eq!(parse_i32("-1"), Some(-1));
        assert_eq!(parse_i32("+7"), Some(7));
        assert_eq!(parse_i32("x"), None);
        assert_eq!(parse_i32(""), None);
        assert_eq!(parse_i32("99999999999"), None);
    }
}
