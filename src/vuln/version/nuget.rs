//! NuGet versions, ordered as `NuGet.Versioning` does: up to four numbers
//! (`Major.Minor.Patch.Revision`, missing ones are 0, so `1.0 == 1.0.0.0`), then SemVer 2.0
//! pre-release precedence with labels compared without ASCII case (`1.0.0-BETA == 1.0.0-beta`);
//! build metadata is ignored.
//!
//! Like NuGet, a leading `v` and more than four numbers are rejected; leading zeros are
//! accepted (`1.0.01 == 1.0.1`).

use std::cmp::Ordering;

use super::semver::{SemverLike, Syntax};

#[derive(Debug, Clone)]
pub(super) struct NuGetVersion(SemverLike);

impl NuGetVersion {
    const SYNTAX: Syntax = Syntax {
        leading_v: false,
        max_core: 4,
    };

    pub(super) fn parse(input: &str) -> Result<Self, String> {
        SemverLike::parse(input, Self::SYNTAX).map(Self)
    }

    pub(super) fn compare(&self, other: &Self) -> Ordering {
        self.0.cmp_precedence(&other.0, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        let (a, b) = (NuGetVersion::parse(a), NuGetVersion::parse(b));
        a.unwrap().compare(&b.unwrap())
    }

    #[test]
    fn four_numbers_and_case_insensitive_labels() {
        assert_eq!(cmp("1.0", "1.0.0.0"), Ordering::Equal);
        assert_eq!(cmp("1.0.0", "1.0.0.1"), Ordering::Less);
        assert_eq!(cmp("1.0.0.1-1.2.A", "1.0.0.1-1.2.a+A"), Ordering::Equal);
        assert_eq!(cmp("1.0.0-BETA", "1.0.0-beta2"), Ordering::Less);
        assert_eq!(cmp("1.0.0-beta+AA", "1.0.0+aa"), Ordering::Less);
        assert_eq!(cmp("1.0.01", "1.0.1.0"), Ordering::Equal);
    }

    #[test]
    fn rejects_what_nuget_rejects() {
        for bad in ["v1.0.0", "1.0.0.0.0", "1.0.0-", "1.0.0-beta_1", "latest"] {
            assert!(NuGetVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
