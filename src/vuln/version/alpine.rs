//! Alpine (apk) versions, also used by Wolfi, Chainguard, MinimOS and the other apk-based
//! distributions: `number{.number}[letter]{_suffix[number]}[~hash][-r number]`, as described in
//! apk-package(5) and ordered as `apk version -t` does.
//!
//! apk accepts strings that do not follow that grammar and still orders them; the conformance
//! vectors pin how (they follow current apk-tools, as osv-scalibr models it). So parsing never
//! fails here except on the empty string: what is left after the grammar is kept and ordered by
//! these rules, in this order:
//! 1. if both versions are malformed (something other than `-r…` follows the hash), plain byte
//!    order of the whole strings;
//! 2. numbers; a number after the first that starts with `0` on either side compares as a
//!    string (apk's fractional rule: `1.02 < 1.1`), otherwise by value; missing numbers are 0;
//! 3. the letter (none sorts first);
//! 4. suffixes, one by one: `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg <
//!    _p`, then by their number;
//! 5. the `-r` revision number (missing is 0);
//! 6. a version with leftover text sorts before the same version without any.
//!
//! The commit hash is ignored, as apk does. Rule 1 makes this order non-transitive for some
//! malformed inputs (as in apk itself); well-formed versions are totally ordered.

use std::cmp::Ordering;

use super::numeric::cmp_decimal;

/// Suffixes in ascending order; "no suffix" sits between `rc` and `cvs`.
const SUFFIXES: [&str; 9] = ["alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"];
/// The rank of a version without (more) suffixes.
const NO_SUFFIX: u8 = 4;

#[derive(Debug, Clone)]
pub(super) struct AlpineVersion {
    original: String,
    numbers: Vec<String>,
    letter: Option<u8>,
    /// (rank, number) with rank as in [`SUFFIXES`] shifted past [`NO_SUFFIX`].
    suffixes: Vec<(u8, String)>,
    /// Digits of `-r<digits>`; empty when absent.
    revision: String,
    /// Text that follows the revision (or replaces it) and fits no rule.
    leftover: bool,
    /// Something other than `-r` followed the hash: the version is malformed.
    malformed: bool,
}

impl AlpineVersion {
    pub(super) fn parse(input: &str) -> Self {
        let mut rest = input;
        let numbers = take_numbers(&mut rest);
        let letter = match rest.as_bytes().first() {
            Some(&b) if b.is_ascii_lowercase() => {
                rest = &rest[1..];
                Some(b)
            }
            _ => None,
        };
        let mut suffixes = Vec::new();
        while let Some(suffix) = take_suffix(&mut rest) {
            suffixes.push(suffix);
        }
        if let Some(tail) = rest.strip_prefix('~') {
            let hash_len = tail
                .bytes()
                .take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
                .count();
            if hash_len > 0 {
                rest = &tail[hash_len..];
            }
        }
        let (mut revision, mut malformed) = (String::new(), false);
        if let Some(tail) = rest.strip_prefix("-r") {
            let digits = take_digits(tail);
            revision = digits.to_owned();
            rest = &tail[digits.len()..];
        } else if !rest.is_empty() {
            malformed = true;
        }
        Self {
            original: input.to_owned(),
            numbers,
            letter,
            suffixes,
            revision,
            leftover: !rest.is_empty(),
            malformed,
        }
    }

    pub(super) fn compare(&self, other: &Self) -> Ordering {
        if self.malformed && other.malformed {
            return self.original.as_bytes().cmp(other.original.as_bytes());
        }
        self.compare_numbers(other)
            .then_with(|| self.letter.cmp(&other.letter))
            .then_with(|| self.compare_suffixes(other))
            .then_with(|| cmp_decimal(&self.revision, &other.revision))
            .then_with(|| other.leftover.cmp(&self.leftover))
    }

    fn compare_numbers(&self, other: &Self) -> Ordering {
        for i in 0..self.numbers.len().max(other.numbers.len()) {
            let order = match (self.numbers.get(i), other.numbers.get(i)) {
                (Some(a), Some(b)) if i > 0 && (a.starts_with('0') || b.starts_with('0')) => {
                    a.cmp(b)
                }
                (a, b) => cmp_decimal(a.map_or("0", String::as_str), b.map_or("0", String::as_str)),
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    }

    fn compare_suffixes(&self, other: &Self) -> Ordering {
        let none = (NO_SUFFIX, String::new());
        for i in 0..self.suffixes.len().max(other.suffixes.len()) {
            let (rank_a, number_a) = self.suffixes.get(i).unwrap_or(&none);
            let (rank_b, number_b) = other.suffixes.get(i).unwrap_or(&none);
            let order = rank_a
                .cmp(rank_b)
                .then_with(|| cmp_decimal(number_a, number_b));
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    }
}

fn take_digits(s: &str) -> &str {
    let len = s.bytes().take_while(u8::is_ascii_digit).count();
    &s[..len]
}

/// `digits{.digits}` at the start of `rest`; a dot not followed by a digit is left in place.
fn take_numbers(rest: &mut &str) -> Vec<String> {
    let mut numbers = Vec::new();
    let first = take_digits(rest);
    if first.is_empty() {
        return numbers;
    }
    numbers.push(first.to_owned());
    *rest = &rest[first.len()..];
    while let Some(tail) = rest.strip_prefix('.') {
        let digits = take_digits(tail);
        if digits.is_empty() {
            break;
        }
        numbers.push(digits.to_owned());
        *rest = &tail[digits.len()..];
    }
    numbers
}

/// `_name[digits]` for a known suffix name at the start of `rest`.
fn take_suffix(rest: &mut &str) -> Option<(u8, String)> {
    let tail = rest.strip_prefix('_')?;
    // `pre` is listed before `p`, so the longer name wins.
    let (index, name) = SUFFIXES
        .iter()
        .enumerate()
        .find(|(_, name)| tail.starts_with(*name))?;
    let tail = &tail[name.len()..];
    let digits = take_digits(tail);
    *rest = &tail[digits.len()..];
    let index = u8::try_from(index).unwrap_or(u8::MAX);
    let rank = if index < NO_SUFFIX { index } else { index + 1 };
    Some((rank, digits.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        AlpineVersion::parse(a).compare(&AlpineVersion::parse(b))
    }

    #[test]
    fn suffix_order() {
        let ordered = [
            "1.0_alpha",
            "1.0_alpha2",
            "1.0_beta",
            "1.0_pre1",
            "1.0_rc1",
            "1.0",
            "1.0_cvs",
            "1.0_svn",
            "1.0_git20240101",
            "1.0_hg",
            "1.0_p1",
            "1.0_p2",
        ];
        for pair in ordered.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
            assert_eq!(cmp(pair[1], pair[0]), Ordering::Greater, "{pair:?}");
        }
    }

    #[test]
    fn letters_revisions_and_fractional_numbers() {
        assert_eq!(cmp("1.0", "1.0a"), Ordering::Less);
        assert_eq!(cmp("1.0a", "1.0b"), Ordering::Less);
        assert_eq!(cmp("1.0-r1", "1.0-r01"), Ordering::Equal);
        assert_eq!(cmp("1.0-r", "1.0-r0"), Ordering::Equal);
        assert_eq!(cmp("1.0-r9", "1.0-r10"), Ordering::Less);
        assert_eq!(cmp("1.02", "1.1"), Ordering::Less);
        assert_eq!(cmp("02", "1"), Ordering::Greater);
        assert_eq!(cmp("1.0~abc123-r1", "1.0-r1"), Ordering::Equal);
    }

    #[test]
    fn malformed_versions_still_order() {
        // Both malformed: byte order.
        assert_eq!(cmp("0.8.21.r2", "0.8.21r2"), Ordering::Less);
        // One malformed: the grammar decides, leftovers last.
        assert_eq!(cmp("1.2.0A", "1.2.0d"), Ordering::Less);
        assert_eq!(cmp("1-r-1", "1-r0"), Ordering::Less);
        assert_eq!(cmp("1-ruff2", "1-ruff1"), Ordering::Equal);
        assert_eq!(cmp("1", "1-ruff"), Ordering::Greater);
    }
}
