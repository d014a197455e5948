//! RubyGems versions, ordered as Ruby's `Gem::Version#<=>`.
//!
//! A `-` means `.pre.`; the version is then read as runs of digits (numbers) and runs of ASCII
//! letters (case-sensitive words), other characters only separating them, so `1.0.a10` and
//! `1.0.a.10` are the same. Trailing zeros are dropped from the numbers before the first word
//! and from the rest after it. Segments compare pairwise, missing ones as `0`: numbers by value,
//! words by byte order, a word before a number (`1.0.beta < 1.0`).
//!
//! `Gem::Version` also requires a dot before a word (`1beta` is "malformed"), but advisories
//! and the conformance vectors contain such versions, and the segment reading above orders
//! them sensibly, so this accepts any string of ASCII letters, digits, `.` and `-` that starts
//! with a digit.

use std::cmp::Ordering;

use super::numeric::{cmp_decimal, runs};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Number(String),
    Word(String),
}

#[derive(Debug, Clone)]
pub(super) struct GemVersion {
    /// Canonical segments: trailing zeros removed as described in the module documentation.
    segments: Vec<Segment>,
}

impl GemVersion {
    pub(super) fn parse(input: &str) -> Result<Self, String> {
        if !input.starts_with(|c: char| c.is_ascii_digit()) {
            return Err("must start with a digit".to_owned());
        }
        if let Some(c) = input
            .chars()
            .find(|&c| !c.is_ascii_alphanumeric() && c != '.' && c != '-')
        {
            return Err(format!("invalid character {c:?}"));
        }
        let expanded = input.replace('-', ".pre.");
        let all: Vec<Segment> = runs(&expanded)
            .flat_map(|run| {
                if run.digits {
                    vec![Segment::Number(run.text.to_owned())]
                } else {
                    // Non-digit runs may mix letters with dots: keep the letter runs.
                    run.text
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .filter(|word| !word.is_empty())
                        .map(|word| Segment::Word(word.to_owned()))
                        .collect()
                }
            })
            .collect();
        let first_word = all
            .iter()
            .position(|s| matches!(s, Segment::Word(_)))
            .unwrap_or(all.len());
        let (numbers, words) = all.split_at(first_word);
        let mut segments = drop_trailing_zeros(numbers).to_vec();
        segments.extend_from_slice(drop_trailing_zeros(words));
        Ok(Self { segments })
    }

    pub(super) fn compare(&self, other: &Self) -> Ordering {
        let zero = Segment::Number("0".to_owned());
        for i in 0..self.segments.len().max(other.segments.len()) {
            let a = self.segments.get(i).unwrap_or(&zero);
            let b = other.segments.get(i).unwrap_or(&zero);
            let order = match (a, b) {
                (Segment::Number(x), Segment::Number(y)) => cmp_decimal(x, y),
                (Segment::Word(x), Segment::Word(y)) => x.cmp(y),
                (Segment::Word(_), Segment::Number(_)) => Ordering::Less,
                (Segment::Number(_), Segment::Word(_)) => Ordering::Greater,
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    }
}

fn is_zero(segment: &Segment) -> bool {
    matches!(segment, Segment::Number(n) if n.bytes().all(|b| b == b'0'))
}

fn drop_trailing_zeros(segments: &[Segment]) -> &[Segment] {
    let keep = segments
        .iter()
        .rposition(|s| !is_zero(s))
        .map_or(0, |i| i + 1);
    &segments[..keep]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        let (a, b) = (GemVersion::parse(a), GemVersion::parse(b));
        a.unwrap().compare(&b.unwrap())
    }

    #[test]
    fn prereleases_sort_before_releases() {
        assert_eq!(cmp("1.2.4.beta", "1.2.4"), Ordering::Less);
        assert_eq!(cmp("1.0.b1", "1.0.a.2"), Ordering::Greater);
        assert_eq!(cmp("1beta", "1"), Ordering::Less);
        assert_eq!(cmp("1.0-rc1", "1.0.pre.rc1"), Ordering::Equal);
        assert_eq!(cmp("1.0-rc1", "1.0"), Ordering::Less);
    }

    #[test]
    fn segments_and_zeros() {
        assert_eq!(cmp("3.10", "3.2"), Ordering::Greater);
        assert_eq!(cmp("1.0.a2", "1.0.a.2"), Ordering::Equal);
        assert_eq!(cmp("1.0.0", "1"), Ordering::Equal);
        assert_eq!(cmp("1.0.a.0", "1.a"), Ordering::Equal);
        assert_eq!(cmp("1.0.a10", "1.0.a9"), Ordering::Greater);
        assert_eq!(cmp("1.0.RC1", "1.0.rc1"), Ordering::Less);
    }

    #[test]
    fn rejects_non_versions() {
        for bad in ["a", ".1", "1 2", "1.0+x", "v1.0"] {
            assert!(GemVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
