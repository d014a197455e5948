//! Hackage (and GHC) versions, ordered as Haskell's `Data.Version` / Cabal's `Version`:
//! non-negative integers separated by `.`, compared as lists, a longer list greater when one is
//! a prefix of the other (`1.0 < 1.0.0`).
//!
//! Tags (`1.2-foo`), deprecated in `Data.Version` and unknown to Cabal, are invalid, as is
//! anything else but digits and dots. Leading zeros are accepted (Cabal rejects them), since
//! their numeric meaning is unambiguous.

use std::cmp::Ordering;

use super::numeric::{cmp_numbers_longer_wins, is_decimal};

#[derive(Debug, Clone)]
pub(super) struct HackageVersion {
    numbers: Vec<String>,
}

impl HackageVersion {
    pub(super) fn parse(input: &str) -> Result<Self, String> {
        let numbers: Vec<String> = input.split('.').map(str::to_owned).collect();
        if numbers.iter().all(|n| is_decimal(n)) {
            Ok(Self { numbers })
        } else {
            Err("expected numbers separated by `.`".to_owned())
        }
    }

    pub(super) fn compare(&self, other: &Self) -> Ordering {
        cmp_numbers_longer_wins(&self.numbers, &other.numbers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        let (a, b) = (HackageVersion::parse(a), HackageVersion::parse(b));
        a.unwrap().compare(&b.unwrap())
    }

    #[test]
    fn lists_compare_and_longer_wins() {
        assert_eq!(cmp("1.0.0", "1.0"), Ordering::Greater);
        assert_eq!(cmp("1.0", "0.11.3.0"), Ordering::Greater);
        assert_eq!(cmp("0.1.0.0", "0.1.0.0"), Ordering::Equal);
        assert_eq!(cmp("2", "1.9.9"), Ordering::Greater);
    }

    #[test]
    fn rejects_tags_and_other_text() {
        for bad in ["1.2.3.4.5-notallowed", "1.2-foo", "1..2", "1.", "v1", "1-2"] {
            assert!(HackageVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
