//! Packagist (Composer) versions, ordered as PHP's `version_compare` after dropping a leading
//! `v`/`V` (which Composer strips before comparing, and PHP would read as a word).
//!
//! The version is cut into parts at `.`, `-`, `_`, `+` and at every change between digits and
//! non-digits. Parts compare pairwise: two numbers by value; otherwise by the rank of their
//! "special form", found by prefix: `dev < alpha = a < beta = b < RC = rc < (a number) <
//! pl = p`, and any other word below all of them. When one version runs out, the other is
//! greater if its next part is a number, else its remaining parts are compared with a single
//! number-ranked part (so `1.0 > 1.0-beta` but `1.0 < 1.0-pl1`).
//!
//! Every non-empty string is a Packagist version.

use std::cmp::Ordering;

use super::numeric::{cmp_decimal, is_decimal, runs};

/// Special forms by prefix, in PHP's lookup order; the first match wins.
const SPECIAL_FORMS: [(&str, i8); 10] = [
    ("dev", 0),
    ("alpha", 1),
    ("a", 1),
    ("beta", 2),
    ("b", 2),
    ("RC", 3),
    ("rc", 3),
    ("#", 4),
    ("pl", 5),
    ("p", 5),
];
/// The rank of a number facing a word.
const NUMBER_RANK: i8 = 4;
/// The rank of a word that is no special form.
const UNKNOWN_RANK: i8 = -1;

#[derive(Debug, Clone)]
pub(super) struct PackagistVersion {
    parts: Vec<String>,
}

impl PackagistVersion {
    pub(super) fn parse(input: &str) -> Self {
        let trimmed = input.strip_prefix(['v', 'V']).unwrap_or(input);
        let parts = trimmed
            .split(['.', '-', '_', '+'])
            .flat_map(|piece| {
                if piece.is_empty() {
                    vec![String::new()]
                } else {
                    runs(piece).map(|run| run.text.to_owned()).collect()
                }
            })
            .collect();
        Self { parts }
    }

    pub(super) fn compare(&self, other: &Self) -> Ordering {
        compare_parts(&self.parts, &other.parts)
    }
}

fn rank(part: &str) -> i8 {
    if is_decimal(part) {
        return NUMBER_RANK;
    }
    SPECIAL_FORMS
        .iter()
        .find(|(form, _)| part.starts_with(form))
        .map_or(UNKNOWN_RANK, |&(_, rank)| rank)
}

fn compare_parts<A: AsRef<str>, B: AsRef<str>>(a: &[A], b: &[B]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.as_ref(), y.as_ref());
        let order = if is_decimal(x) && is_decimal(y) {
            cmp_decimal(x, y)
        } else {
            rank(x).cmp(&rank(y))
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    let number = ["#"];
    match a.len().cmp(&b.len()) {
        Ordering::Equal => Ordering::Equal,
        Ordering::Greater if is_decimal(a[b.len()].as_ref()) => Ordering::Greater,
        Ordering::Greater => compare_parts(&a[b.len()..], &number),
        Ordering::Less if is_decimal(b[a.len()].as_ref()) => Ordering::Less,
        Ordering::Less => compare_parts(&number, &b[a.len()..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        PackagistVersion::parse(a).compare(&PackagistVersion::parse(b))
    }

    #[test]
    fn special_forms() {
        let ordered = ["1.0-dev", "1.0a1", "1.0b1", "1.0RC1", "1.0", "1.0pl1"];
        for pair in ordered.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
            assert_eq!(cmp(pair[1], pair[0]), Ordering::Greater, "{pair:?}");
        }
        assert_eq!(cmp("1.0RC1", "1.0rc1"), Ordering::Equal);
        assert_eq!(cmp("1.25.0-beta2.1", "1.25.0-b.2.1"), Ordering::Equal);
        assert_eq!(cmp("1.0-foo", "1.0-dev"), Ordering::Less);
    }

    #[test]
    fn leading_v_and_separators() {
        assert_eq!(cmp("v1.0.0", "V1.0.0"), Ordering::Equal);
        assert_eq!(cmp("v1.0.0", "1.0.0"), Ordering::Equal);
        assert_eq!(cmp("1.0.0rc2", "1.0.0.rc2"), Ordering::Equal);
        assert_eq!(cmp("1.0_1", "1.0+1"), Ordering::Equal);
        assert_eq!(cmp("1.0.0", "1.0"), Ordering::Greater);
        assert_eq!(cmp("dev-foo", "1.26.0"), Ordering::Less);
    }
}
