//! Debian (and Ubuntu) versions: `[epoch:]upstream[-revision]`, ordered as
//! `dpkg --compare-versions` does (deb-version(7), `verrevcmp` in dpkg's `lib/dpkg/version.c`).
//!
//! Parsing rejects what dpkg rejects with an error (empty parts, a non-numeric epoch, an empty
//! revision after the last `-`) and, stricter than dpkg, characters that Debian policy does not
//! allow, for which dpkg only warns: such strings are not versions of any real package, and a
//! typed error tells more than a guessed order. An upstream part that does not start with a
//! digit is accepted, as dpkg does with a warning.

use std::cmp::Ordering;

use super::numeric::{cmp_decimal, is_decimal};

#[derive(Debug, Clone)]
pub(super) struct DebianVersion {
    /// Decimal digits; `0` when absent.
    epoch: String,
    upstream: String,
    /// Empty when absent, which dpkg orders like `0`.
    revision: String,
}

impl DebianVersion {
    pub(super) fn parse(input: &str) -> Result<Self, String> {
        if let Some(c) = input.chars().find(|c| c.is_whitespace()) {
            return Err(format!("contains whitespace {c:?}"));
        }
        let (epoch, rest) = match input.split_once(':') {
            Some(("", _)) => return Err("epoch before `:` is empty".to_owned()),
            Some((epoch, _)) if !is_decimal(epoch) => {
                return Err(format!("epoch `{epoch}` is not a number"))
            }
            Some((_, "")) => return Err("nothing after the epoch `:`".to_owned()),
            Some((epoch, rest)) => (epoch, rest),
            None => ("0", input),
        };
        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((_, "")) => return Err("revision after the last `-` is empty".to_owned()),
            Some(split) => split,
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err("upstream version is empty".to_owned());
        }
        check_chars(upstream, ".+~-:", "upstream version")?;
        check_chars(revision, ".+~", "revision")?;
        Ok(Self {
            epoch: epoch.to_owned(),
            upstream: upstream.to_owned(),
            revision: revision.to_owned(),
        })
    }

    pub(super) fn compare(&self, other: &Self) -> Ordering {
        cmp_decimal(&self.epoch, &other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
    }
}

/// Allows ASCII letters, digits and the given punctuation, as Debian policy §5.6.12 does.
fn check_chars(part: &str, punctuation: &str, what: &str) -> Result<(), String> {
    match part
        .chars()
        .find(|&c| !c.is_ascii_alphanumeric() && !punctuation.contains(c))
    {
        Some(c) => Err(format!("invalid character {c:?} in {what}")),
        None => Ok(()),
    }
}

/// The weight of one byte in a non-digit run: `~` sorts before everything, even the end of the
/// string; then the end (and digits, which end the run); then letters; then everything else.
fn weight(byte: Option<u8>) -> i32 {
    match byte {
        Some(b'~') => -1,
        None => 0,
        Some(b) if b.is_ascii_digit() => 0,
        Some(b) if b.is_ascii_alphabetic() => i32::from(b),
        Some(b) => i32::from(b) + 256,
    }
}

/// dpkg's comparison of an upstream version or a revision: alternately a non-digit run compared
/// byte by byte with [`weight`], then a digit run compared by numeric value.
fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let is_digit = |s: &[u8], k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        // Both non-digit runs advance together: a mismatch (including one run ending first)
        // always gives different weights, so neither index runs past its end.
        while (i < a.len() && !is_digit(a, i)) || (j < b.len() && !is_digit(b, j)) {
            let (wa, wb) = (weight(a.get(i).copied()), weight(b.get(j).copied()));
            if wa != wb {
                return wa.cmp(&wb);
            }
            i += 1;
            j += 1;
        }
        let start = (i, j);
        while is_digit(a, i) {
            i += 1;
        }
        while is_digit(b, j) {
            j += 1;
        }
        // Digit runs are ASCII, so these byte ranges are valid `str`s.
        let run_a = std::str::from_utf8(&a[start.0..i]).unwrap_or_default();
        let run_b = std::str::from_utf8(&b[start.1..j]).unwrap_or_default();
        let order = cmp_decimal(run_a, run_b);
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        let (a, b) = (DebianVersion::parse(a), DebianVersion::parse(b));
        a.unwrap().compare(&b.unwrap())
    }

    #[test]
    fn tilde_sorts_before_everything_even_the_end() {
        assert_eq!(cmp("1.0~rc1", "1.0"), Ordering::Less);
        assert_eq!(cmp("1.0~~", "1.0~"), Ordering::Less);
        assert_eq!(cmp("1.2.3-1~deb7u1", "1.2.3-1"), Ordering::Less);
        assert_eq!(cmp("1.0~rc1", "1.0~rc1"), Ordering::Equal);
    }

    #[test]
    fn letters_sort_before_other_punctuation() {
        assert_eq!(cmp("1.0a", "1.0+"), Ordering::Less);
        assert_eq!(cmp("1.0a", "1.0."), Ordering::Less);
        assert_eq!(cmp("1.0", "1.0a"), Ordering::Less);
        assert_eq!(
            cmp("2.7.4+reloaded2-13ubuntu1", "2.7.4+reloaded2-13+deb9u1"),
            Ordering::Less
        );
    }

    #[test]
    fn epochs_dominate_and_default_to_zero() {
        assert_eq!(cmp("1:0.1", "9.9"), Ordering::Greater);
        assert_eq!(cmp("0:1.0", "1.0"), Ordering::Equal);
        assert_eq!(cmp("007:1.0", "7:1.0"), Ordering::Equal);
    }

    #[test]
    fn missing_revision_equals_zero_and_numbers_ignore_leading_zeros() {
        assert_eq!(cmp("1.0", "1.0-0"), Ordering::Equal);
        assert_eq!(cmp("1.0", "1.0-00"), Ordering::Equal);
        assert_eq!(cmp("1.010", "1.10"), Ordering::Equal);
        assert_eq!(cmp("1.9", "1.10"), Ordering::Less);
        assert_eq!(cmp("2:0.0.44-1", "2:0.0.44-nobin"), Ordering::Less);
    }

    #[test]
    fn revision_splits_at_the_last_hyphen_and_upstream_may_hold_colons_after_an_epoch() {
        assert_eq!(cmp("1:1.0-beta-2", "1:1.0-beta-10"), Ordering::Less);
        assert!(DebianVersion::parse("1:2:3-1").is_ok());
    }

    #[test]
    fn rejects_what_dpkg_rejects_and_bad_characters() {
        for bad in [
            "1.2.3-not-a-debian:version!@#$",
            ":1.0",
            "a:1.0",
            "1:",
            "1.0-",
            "-1",
            "1:-1",
            "1.0 beta",
            "1.0_1",
            "1.0-1:2",
        ] {
            assert!(DebianVersion::parse(bad).is_err(), "{bad}");
        }
        assert!(DebianVersion::parse("abc").is_ok());
    }
}
