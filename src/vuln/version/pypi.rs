//! PyPI versions, ordered as Python's `packaging` library does.
//!
//! A string that matches PEP 440 (the regular expression of its Appendix B, without case)
//! orders by epoch, release, pre-release (`a < b < rc`; `alpha`, `beta`, `c`, `pre`, `preview`
//! are spellings of those), post-release (`-1`, `.post1`, `rev1`, `r1`), dev release and local
//! label, with PEP 440's special cases: a dev release of a final version sorts before its
//! pre-releases (`1.0.dev0 < 1.0a0`), and a local label sorts after the same public version.
//!
//! Any other string is a "legacy" version, ordered as `packaging`'s `LegacyVersion` did before
//! version 22 removed it (old advisories and old packages still have such versions): always
//! before every PEP 440 version, and among themselves by setuptools' historical key. So no
//! non-empty string is invalid.

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;

use super::numeric::{cmp_decimal, cmp_numbers_zero_padded, is_decimal};

/// PEP 440, Appendix B, anchored and case-insensitive.
static PEP440: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^\s*v?
        (?:(?P<epoch>[0-9]+)!)?
        (?P<release>[0-9]+(?:\.[0-9]+)*)
        (?:[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>[0-9]+)?)?
        (?:-(?P<post_n1>[0-9]+)|[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?)?
        (?:[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>[0-9]+)?)?
        (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
        \s*$",
    )
    .expect("the PEP 440 pattern is valid")
});

#[derive(Debug, Clone)]
pub(super) enum PypiVersion {
    /// Sorts before every PEP 440 version.
    Legacy(Vec<String>),
    Pep440(Pep440),
}

#[derive(Debug, Clone)]
pub(super) struct Pep440 {
    epoch: String,
    release: Vec<String>,
    /// Phase (0 = a, 1 = b, 2 = rc) and number.
    pre: Option<(u8, String)>,
    post: Option<String>,
    dev: Option<String>,
    local: Option<Vec<String>>,
}

impl PypiVersion {
    pub(super) fn parse(input: &str) -> Self {
        match PEP440.captures(input) {
            Some(caps) => {
                let text = |name: &str| caps.name(name).map(|m| m.as_str());
                let number = |name: &str| text(name).unwrap_or("0").to_owned();
                let pre = text("pre_l").map(|phase| {
                    let rank = match phase.to_ascii_lowercase().as_str() {
                        "a" | "alpha" => 0,
                        "b" | "beta" => 1,
                        _ => 2,
                    };
                    (rank, number("pre_n"))
                });
                let post = text("post_n1")
                    .map(str::to_owned)
                    .or_else(|| text("post_l").map(|_| number("post_n2")));
                let local = text("local").map(|local| {
                    local
                        .split(['-', '_', '.'])
                        .map(str::to_ascii_lowercase)
                        .collect()
                });
                PypiVersion::Pep440(Pep440 {
                    epoch: number("epoch"),
                    release: text("release")
                        .unwrap_or("0")
                        .split('.')
                        .map(str::to_owned)
                        .collect(),
                    pre,
                    post,
                    dev: text("dev_l").map(|_| number("dev_n")),
                    local,
                })
            }
            None => PypiVersion::Legacy(legacy_key(input)),
        }
    }

    pub(super) fn compare(&self, other: &Self) -> Ordering {
        match (self, other) {
            (PypiVersion::Legacy(a), PypiVersion::Legacy(b)) => a.cmp(b),
            (PypiVersion::Legacy(_), PypiVersion::Pep440(_)) => Ordering::Less,
            (PypiVersion::Pep440(_), PypiVersion::Legacy(_)) => Ordering::Greater,
            (PypiVersion::Pep440(a), PypiVersion::Pep440(b)) => a.compare(b),
        }
    }
}

/// A part of the PEP 440 sort key that may be absent and then sorts before or after every
/// present value, like `packaging`'s `Infinity` and `NegativeInfinity`.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Bound<T> {
    Below,
    Value(T),
    Above,
}

impl Pep440 {
    fn compare(&self, other: &Self) -> Ordering {
        cmp_decimal(&self.epoch, &other.epoch)
            .then_with(|| cmp_numbers_zero_padded(&self.release, &other.release))
            .then_with(|| cmp_bound(&self.pre_key(), &other.pre_key(), cmp_pre))
            .then_with(|| {
                let (a, b) = (self.post_key(), other.post_key());
                cmp_bound(&a, &b, |x, y| cmp_decimal(x, y))
            })
            .then_with(|| {
                let (a, b) = (self.dev_key(), other.dev_key());
                cmp_bound(&a, &b, |x, y| cmp_decimal(x, y))
            })
            .then_with(|| cmp_local(self.local.as_deref(), other.local.as_deref()))
    }

    fn pre_key(&self) -> Bound<&(u8, String)> {
        match (&self.pre, &self.post, &self.dev) {
            // `1.0.dev0` sorts before `1.0a0`.
            (None, None, Some(_)) => Bound::Below,
            (None, _, _) => Bound::Above,
            (Some(pre), _, _) => Bound::Value(pre),
        }
    }

    fn post_key(&self) -> Bound<&str> {
        self.post.as_deref().map_or(Bound::Below, Bound::Value)
    }

    fn dev_key(&self) -> Bound<&str> {
        self.dev.as_deref().map_or(Bound::Above, Bound::Value)
    }
}

fn cmp_pre(a: &&(u8, String), b: &&(u8, String)) -> Ordering {
    a.0.cmp(&b.0).then_with(|| cmp_decimal(&a.1, &b.1))
}

fn cmp_bound<T>(a: &Bound<T>, b: &Bound<T>, values: impl Fn(&T, &T) -> Ordering) -> Ordering {
    match (a, b) {
        (Bound::Value(x), Bound::Value(y)) => values(x, y),
        _ => a.rank().cmp(&b.rank()),
    }
}

impl<T> Bound<T> {
    fn rank(&self) -> u8 {
        match self {
            Bound::Below => 0,
            Bound::Value(_) => 1,
            Bound::Above => 2,
        }
    }
}

/// A local label sorts after none; parts compare numbers by value and after words, words as
/// lower-cased strings; a longer label wins when one is a prefix.
fn cmp_local(a: Option<&[String]>, b: Option<&[String]>) -> Ordering {
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        (a, b) => return a.is_some().cmp(&b.is_some()),
    };
    for (x, y) in a.iter().zip(b) {
        let order = match (is_decimal(x), is_decimal(y)) {
            (true, true) => cmp_decimal(x, y),
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// `packaging`'s `LegacyVersion` key: the lower-cased string split like
/// `re.split(r"(\d+|[a-z]+|\.|-)")` (so text between matches is kept as a part too), with
/// `pre`, `preview`, `rc` → `c`, `dev` → `@`, `-` → `final-`; numbers zero-padded to 8 digits,
/// other parts prefixed with `*`; then trailing zeros and `final-` markers dropped before each
/// word, and `*final` appended.
fn legacy_key(input: &str) -> Vec<String> {
    let words = legacy_parts(&input.to_lowercase())
        .into_iter()
        .filter_map(|part| match part.as_str() {
            "" | "." => None,
            "pre" | "preview" | "rc" => Some("*c".to_owned()),
            "dev" => Some("*@".to_owned()),
            "-" => Some("*final-".to_owned()),
            digits if digits.starts_with(|c: char| c.is_ascii_digit()) => {
                Some(format!("{digits:0>8}"))
            }
            word => Some(format!("*{word}")),
        })
        .chain(std::iter::once("*final".to_owned()));
    let mut key: Vec<String> = Vec::new();
    for part in words {
        if part.starts_with('*') {
            if part.as_str() < "*final" {
                while key.last().is_some_and(|p| p == "*final-") {
                    key.pop();
                }
            }
            while key.last().is_some_and(|p| p == "00000000") {
                key.pop();
            }
        }
        key.push(part);
    }
    key
}

/// Splits into digit runs, `[a-z]` runs, single `.` and `-`, and the text between them.
fn legacy_parts(s: &str) -> Vec<String> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Digit,
        Letter,
        Single,
        Other,
    }
    let class = |c: char| match c {
        '0'..='9' => Class::Digit,
        'a'..='z' => Class::Letter,
        '.' | '-' => Class::Single,
        _ => Class::Other,
    };
    let mut parts: Vec<String> = Vec::new();
    let mut previous: Option<Class> = None;
    for c in s.chars() {
        let current = class(c);
        match parts.last_mut() {
            Some(last) if previous == Some(current) && current != Class::Single => last.push(c),
            _ => parts.push(c.to_string()),
        }
        previous = Some(current);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        PypiVersion::parse(a).compare(&PypiVersion::parse(b))
    }

    #[test]
    fn pep440_order() {
        let ordered = [
            "1.0.dev0",
            "1.0a0.dev1",
            "1.0a0",
            "1.0a1",
            "1.0b1",
            "1.0rc1",
            "1.0",
            "1.0+local",
            "1.0.post0.dev1",
            "1.0.post0",
            "1.0.post1",
            "1.1",
            "1!0.1",
        ];
        for pair in ordered.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
            assert_eq!(cmp(pair[1], pair[0]), Ordering::Greater, "{pair:?}");
        }
    }

    #[test]
    fn spellings_normalise() {
        assert_eq!(cmp("1.0alpha1", "1.0a1"), Ordering::Equal);
        assert_eq!(cmp("1.0.PREVIEW2", "1.0rc2"), Ordering::Equal);
        assert_eq!(cmp("1.0c2", "1.0rc2"), Ordering::Equal);
        assert_eq!(cmp("1.0-1", "1.0.post1"), Ordering::Equal);
        assert_eq!(cmp("1.0.rev", "1.0.post0"), Ordering::Equal);
        assert_eq!(cmp("v1.0", "1.0.0"), Ordering::Equal);
        assert_eq!(cmp("1.2B3.DEV4", "1.2b3.dev4"), Ordering::Equal);
    }

    #[test]
    fn local_labels() {
        assert_eq!(cmp("1.0+local.0", "1.0+local.0.1"), Ordering::Less);
        assert_eq!(cmp("1.0+local.a", "1.0+local.1"), Ordering::Less);
        assert_eq!(cmp("1.0+Local_1", "1.0+local.1"), Ordering::Equal);
    }

    #[test]
    fn legacy_versions_sort_before_pep440_and_among_themselves() {
        assert!(matches!(
            PypiVersion::parse("0.1-bulbasaur"),
            PypiVersion::Legacy(_)
        ));
        assert_eq!(cmp("0.1-bulbasaur", "0.1-charmander"), Ordering::Less);
        assert_eq!(cmp("0.9-ivysaur", "0.1"), Ordering::Less);
        assert_eq!(cmp("2019-foo", "2019-foo"), Ordering::Equal);
        assert_eq!(cmp("1.0_x", "1.0-x"), Ordering::Less);
    }
}
