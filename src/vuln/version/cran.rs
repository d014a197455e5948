//! CRAN versions, ordered as R's `package_version`: non-negative integers separated by `.` or
//! `-` (the two are the same), compared as lists, a longer list greater when one is a prefix
//! of the other (`0.1.0 < 0.1.0.0`).
//!
//! R requires at least two numbers for a package version; this accepts one too, as R's
//! `numeric_version` does, since a bare `1` in an advisory has only one meaning. Anything that
//! is not digits and separators is invalid (`1.a.2`, `!`).

use std::cmp::Ordering;

use super::numeric::{cmp_numbers_longer_wins, is_decimal};

#[derive(Debug, Clone)]
pub(super) struct CranVersion {
    numbers: Vec<String>,
}

impl CranVersion {
    pub(super) fn parse(input: &str) -> Result<Self, String> {
        let numbers: Vec<String> = input.split(['.', '-']).map(str::to_owned).collect();
        if numbers.iter().all(|n| is_decimal(n)) {
            Ok(Self { numbers })
        } else {
            Err("expected numbers separated by `.` or `-`".to_owned())
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
        let (a, b) = (CranVersion::parse(a), CranVersion::parse(b));
        a.unwrap().compare(&b.unwrap())
    }

    #[test]
    fn dash_equals_dot_and_longer_wins() {
        assert_eq!(cmp("0.01.0", "0.1-0"), Ordering::Equal);
        assert_eq!(cmp("0.9", "0.75"), Ordering::Less);
        assert_eq!(cmp("0.1.0", "0.1.0.0"), Ordering::Less);
        assert_eq!(cmp("1.0-1", "1.0-0"), Ordering::Greater);
    }

    #[test]
    fn rejects_anything_but_numbers() {
        for bad in [
            "!", "?", "1.a.2", "z.c.3", "1..2", "1.", "-1", "1.0 ", "v1.0",
        ] {
            assert!(CranVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
