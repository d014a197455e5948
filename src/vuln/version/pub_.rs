//! Pub (Dart) versions, ordered as Dart's `pub_semver` does: SemVer precedence, and then,
//! unlike SemVer, build metadata counts: a version without build sorts before the same version
//! with one (`1.0.0 < 1.0.0+1`), and builds compare like pre-release identifiers
//! (`1.2.3+9 < 1.2.3+10 < 1.2.3+a`).
//!
//! The syntax is the lenient SemVer-like one of [`super::semver`] (leading `v`, any number of
//! core numbers), which the conformance vectors need.

use std::cmp::Ordering;

use super::semver::{cmp_identifiers, SemverLike, Syntax};

#[derive(Debug, Clone)]
pub(super) struct PubVersion(SemverLike);

impl PubVersion {
    const SYNTAX: Syntax = Syntax {
        leading_v: true,
        max_core: usize::MAX,
    };

    pub(super) fn parse(input: &str) -> Result<Self, String> {
        SemverLike::parse(input, Self::SYNTAX).map(Self)
    }

    pub(super) fn compare(&self, other: &Self) -> Ordering {
        self.0.cmp_precedence(&other.0, false).then_with(|| {
            let (a, b) = (self.0.build(), other.0.build());
            match (a.is_empty(), b.is_empty()) {
                (false, false) => cmp_identifiers(a, b, false),
                // No build sorts first.
                (a_empty, b_empty) => b_empty.cmp(&a_empty),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        let (a, b) = (PubVersion::parse(a), PubVersion::parse(b));
        a.unwrap().compare(&b.unwrap())
    }

    #[test]
    fn build_orders_after_release_and_like_identifiers() {
        assert_eq!(cmp("1.0.0-pre", "1.0.0-pre+build"), Ordering::Less);
        assert_eq!(cmp("1.0.0-pre+build", "1.0.0"), Ordering::Less);
        assert_eq!(cmp("1.0.0", "1.0.0+build"), Ordering::Less);
        assert_eq!(cmp("1.2.3+9", "1.2.3+10"), Ordering::Less);
        assert_eq!(cmp("1.2.3+900", "1.2.3+a"), Ordering::Less);
        assert_eq!(cmp("1.2.3+a1", "1.2.3+a"), Ordering::Greater);
        assert_eq!(cmp("1.2.3+b", "1.2.3+b"), Ordering::Equal);
    }

    #[test]
    fn rejects_non_semver_shapes() {
        for bad in ["any", "1.0.0+", "1.0.0-", "^1.0.0"] {
            assert!(PubVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
