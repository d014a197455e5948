//! Helpers shared by several schemes: arbitrary-size decimal comparison, splitting a string into
//! alternating digit / non-digit runs, and comparing lists of numbers.
//!
//! Real advisories contain numbers that overflow `u64` (dates glued to build numbers, and the
//! conformance vectors test 30-digit components), so numbers stay decimal strings and are
//! compared by length after dropping leading zeros, then byte by byte.

use std::cmp::Ordering;

/// Compares two strings of ASCII digits by numeric value, without size limit. An empty string
/// counts as zero, and leading zeros are ignored (`"007" == "7"`).
pub(super) fn cmp_decimal(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// True for a non-empty string of ASCII digits only.
pub(super) fn is_decimal(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// One maximal run of ASCII digits, or of anything else, taken from a version string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Run<'a> {
    pub text: &'a str,
    pub digits: bool,
}

/// Splits `s` into maximal alternating runs of ASCII digits and non-digits: `"1.0rc2"` gives
/// `1`, `.`, `0`, `rc`, `2`. Several ecosystems (RubyGems, Maven, Packagist) treat such a
/// transition as an implicit separator.
pub(super) fn runs(s: &str) -> impl Iterator<Item = Run<'_>> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let first = rest.bytes().next()?;
        let digits = first.is_ascii_digit();
        let end = rest
            .bytes()
            .position(|b| b.is_ascii_digit() != digits)
            .unwrap_or(rest.len());
        // `end` is at an ASCII byte or at the end, so it is a char boundary.
        let (text, tail) = rest.split_at(end);
        rest = tail;
        Some(Run { text, digits })
    })
}

/// Compares lists of decimal numbers element by element; when one is a prefix of the other,
/// the longer list is greater (`1.0 < 1.0.0`), as R's `package_version` and Haskell's
/// `Data.Version` do.
pub(super) fn cmp_numbers_longer_wins<S: AsRef<str>>(a: &[S], b: &[S]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = cmp_decimal(x.as_ref(), y.as_ref());
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// Compares lists of decimal numbers element by element, padding the shorter with zeros
/// (`1.2 == 1.2.0`), as SemVer-like and PEP 440 release segments do.
pub(super) fn cmp_numbers_zero_padded<S: AsRef<str>>(a: &[S], b: &[S]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).map_or("0", AsRef::as_ref);
        let y = b.get(i).map_or("0", AsRef::as_ref);
        let order = cmp_decimal(x, y);
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_ignores_leading_zeros_and_has_no_size_limit() {
        assert_eq!(cmp_decimal("007", "7"), Ordering::Equal);
        assert_eq!(cmp_decimal("", "0"), Ordering::Equal);
        assert_eq!(cmp_decimal("10", "9"), Ordering::Greater);
        assert_eq!(
            cmp_decimal(
                "999999999999999999999999999991",
                "999999999999999999999999999999"
            ),
            Ordering::Less
        );
    }

    #[test]
    fn runs_alternate_between_digits_and_the_rest() {
        let got: Vec<(&str, bool)> = runs("1.0rc22-x").map(|r| (r.text, r.digits)).collect();
        assert_eq!(
            got,
            [
                ("1", true),
                (".", false),
                ("0", true),
                ("rc", false),
                ("22", true),
                ("-x", false)
            ]
        );
        assert_eq!(runs("").count(), 0);
        assert_eq!(runs("α1").map(|r| r.text).collect::<Vec<_>>(), ["α", "1"]);
    }

    #[test]
    fn number_lists() {
        assert_eq!(
            cmp_numbers_longer_wins(&["1", "0"], &["1", "0", "0"]),
            Ordering::Less
        );
        assert_eq!(
            cmp_numbers_zero_padded(&["1", "0"], &["1", "0", "0"]),
            Ordering::Equal
        );
        assert_eq!(
            cmp_numbers_zero_padded(&["1", "1"], &["1", "0", "9"]),
            Ordering::Greater
        );
    }
}
