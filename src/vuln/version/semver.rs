//! SemVer 2.0 precedence (npm, crates.io, Hex, SwiftURL, Bitnami, OSV `SEMVER` ranges, and Go
//! modules), plus the SemVer-like syntax that Pub and NuGet build on.
//!
//! The order is exactly SemVer 2.0 §11: numbers by value, a pre-release sorts before its release,
//! pre-release identifiers compare numerically when all digits, else in ASCII order, numbers
//! before words, more identifiers after fewer; build metadata is ignored.
//!
//! The syntax is more lenient than SemVer 2.0 in the core only, because real data needs it:
//! - a leading `v` is allowed (Go module versions, and tags copied into advisories);
//! - the core may have fewer than three numbers (`1.21` for a Go toolchain, `1` in some
//!   advisories) and missing numbers are 0, or more than three, compared the same way after the
//!   third (SemVer has no such versions, so any consistent order will do);
//! - numbers may have leading zeros and any size.
//!
//! Pre-release and build identifiers must be non-empty `[0-9A-Za-z-]`, as SemVer requires, so
//! `1.2.3beta` or `1.2.3-a..b` are invalid.
//!
//! Go needs little more: `+incompatible` is build metadata, and pseudo-versions
//! (`v0.0.0-20210101000000-abcdef123456`, `v1.2.4-0.20210101000000-abcdef123456`) are ordinary
//! pre-releases whose SemVer order is their intended order. [`super::Scheme::Go`] alone also
//! reads Go toolchain names (`go1.21.5`, `go1.21rc2`), which is how Go binaries report the
//! standard library.

use std::cmp::Ordering;

use super::numeric::{cmp_decimal, cmp_numbers_zero_padded, is_decimal};

/// What a SemVer-like scheme accepts beyond SemVer's identifiers.
#[derive(Debug, Clone, Copy)]
pub(super) struct Syntax {
    /// Whether one leading `v` is skipped.
    pub leading_v: bool,
    /// The most numbers the core may have.
    pub max_core: usize,
}

/// A version split into its SemVer parts; parts are kept as strings.
#[derive(Debug, Clone)]
pub(super) struct SemverLike {
    core: Vec<String>,
    pre: Vec<String>,
    build: Vec<String>,
}

impl SemverLike {
    pub(super) fn parse(input: &str, syntax: Syntax) -> Result<Self, String> {
        let mut rest = input;
        if syntax.leading_v {
            rest = rest.strip_prefix('v').unwrap_or(rest);
        }
        let (rest, build) = match rest.split_once('+') {
            Some((rest, build)) => (rest, identifiers(build, "build metadata")?),
            None => (rest, Vec::new()),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((core, pre)) => (core, identifiers(pre, "pre-release")?),
            None => (rest, Vec::new()),
        };
        let core: Vec<String> = core.split('.').map(str::to_owned).collect();
        if !core.iter().all(|n| is_decimal(n)) {
            return Err("expected numbers separated by `.` before any `-` or `+`".to_owned());
        }
        if core.len() > syntax.max_core {
            return Err(format!("more than {} numbers", syntax.max_core));
        }
        Ok(Self { core, pre, build })
    }

    /// SemVer precedence; `fold_case` compares word identifiers without ASCII case (NuGet).
    pub(super) fn cmp_precedence(&self, other: &Self, fold_case: bool) -> Ordering {
        cmp_numbers_zero_padded(&self.core, &other.core).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                // A pre-release sorts before its release.
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => cmp_identifiers(&self.pre, &other.pre, fold_case),
            }
        })
    }

    pub(super) fn build(&self) -> &[String] {
        &self.build
    }
}

/// Splits dot-separated identifiers and checks SemVer's character set.
fn identifiers(text: &str, what: &str) -> Result<Vec<String>, String> {
    text.split('.')
        .map(|id| {
            if id.is_empty() {
                Err(format!("empty identifier in {what}"))
            } else if let Some(c) = id.chars().find(|&c| !c.is_ascii_alphanumeric() && c != '-') {
                Err(format!("invalid character {c:?} in {what}"))
            } else {
                Ok(id.to_owned())
            }
        })
        .collect()
}

/// SemVer §11.4: identifier by identifier, numbers by value and before words, words in ASCII
/// order (or without case when `fold_case`), and a longer list wins when one is a prefix.
pub(super) fn cmp_identifiers(a: &[String], b: &[String], fold_case: bool) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = match (is_decimal(x), is_decimal(y)) {
            (true, true) => cmp_decimal(x, y),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) if fold_case => x
                .bytes()
                .map(|c| c.to_ascii_lowercase())
                .cmp(y.bytes().map(|c| c.to_ascii_lowercase())),
            (false, false) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// A version of [`super::Scheme::Semver`] or [`super::Scheme::Go`].
#[derive(Debug, Clone)]
pub(super) struct SemverVersion(SemverLike);

impl SemverVersion {
    const SYNTAX: Syntax = Syntax {
        leading_v: true,
        max_core: usize::MAX,
    };

    pub(super) fn parse(input: &str) -> Result<Self, String> {
        SemverLike::parse(input, Self::SYNTAX).map(Self)
    }

    /// Like [`Self::parse`], and also accepts Go toolchain names (see [`go_toolchain_semver`]).
    pub(super) fn parse_go(input: &str) -> Result<Self, String> {
        match go_toolchain_semver(input) {
            Some(semver) => Self::parse(&semver),
            None => Self::parse(input),
        }
    }

    pub(super) fn compare(&self, other: &Self) -> Ordering {
        self.0.cmp_precedence(&other.0, false)
    }
}

/// Go binaries report their standard library as a toolchain name (`go1.22.3`, `go1.21rc2`,
/// `go1.9beta1`) while OSV's Go advisories for `stdlib` use SemVer (`1.22.3`, `1.21.0-rc.2`,
/// `1.9.0-beta.1`): this gives the SemVer for a toolchain name, `None` for anything else.
fn go_toolchain_semver(input: &str) -> Option<String> {
    let rest = input.strip_prefix("go")?;
    let core_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let (core, pre) = rest.split_at(core_len);
    if !core.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if pre.is_empty() {
        return Some(core.to_owned());
    }
    ["rc", "beta"].iter().find_map(|kind| {
        let number = pre.strip_prefix(kind)?;
        is_decimal(number).then(|| format!("{core}-{kind}.{number}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        let (a, b) = (SemverVersion::parse(a), SemverVersion::parse(b));
        a.unwrap().compare(&b.unwrap())
    }

    #[test]
    fn semver_spec_example_order() {
        let ordered = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
        ];
        for pair in ordered.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
        }
    }

    #[test]
    fn build_metadata_and_leading_v_are_ignored() {
        assert_eq!(cmp("1.2.3+build", "1.2.3+other"), Ordering::Equal);
        assert_eq!(cmp("v1.2.3", "1.2.3"), Ordering::Equal);
        assert_eq!(cmp("v2.0.0+incompatible", "v2.0.0"), Ordering::Equal);
    }

    #[test]
    fn go_pseudo_versions_order_between_releases() {
        assert_eq!(
            cmp("v0.0.0-20210101000000-abcdef123456", "v0.0.1"),
            Ordering::Less
        );
        assert_eq!(
            cmp(
                "v0.0.0-20210101000000-abcdef123456",
                "v0.0.0-20220101000000-000000000000"
            ),
            Ordering::Less
        );
        assert_eq!(
            cmp("v1.2.3", "v1.2.4-0.20210101000000-abcdef123456"),
            Ordering::Less
        );
        assert_eq!(
            cmp("v1.2.4-0.20210101000000-abcdef123456", "v1.2.4"),
            Ordering::Less
        );
        assert_eq!(
            cmp("v1.2.4-pre.0.20210101000000-abcdef123456", "v1.2.4-pre.1"),
            Ordering::Less
        );
    }

    #[test]
    fn go_toolchain_names() {
        let go = |a: &str, b: &str| {
            let (a, b) = (SemverVersion::parse_go(a), SemverVersion::parse_go(b));
            a.unwrap().compare(&b.unwrap())
        };
        assert_eq!(go("go1.22.3", "1.22.3"), Ordering::Equal);
        assert_eq!(go("go1.20", "1.20.0"), Ordering::Equal);
        assert_eq!(go("go1.21rc2", "1.21.0-rc.2"), Ordering::Equal);
        assert_eq!(go("go1.9beta1", "go1.9rc1"), Ordering::Less);
        assert_eq!(go("go1.21rc2", "v1.21.0"), Ordering::Less);
        for bad in ["go", "gox", "go1.21alpha1", "go1.21rc", "golang1.2"] {
            assert!(SemverVersion::parse_go(bad).is_err(), "{bad}");
        }
        // Plain SemVer does not read toolchain names.
        assert!(SemverVersion::parse("go1.22.3").is_err());
    }

    #[test]
    fn lenient_core() {
        assert_eq!(cmp("1.21", "1.21.0"), Ordering::Equal);
        assert_eq!(cmp("1.21.0", "1.21.1"), Ordering::Less);
        assert_eq!(cmp("1.1.3.4", "1.1.3"), Ordering::Greater);
        assert_eq!(cmp("01.2.3", "1.2.3"), Ordering::Equal);
        assert_eq!(
            cmp("99999999999999999999.0.0", "100000000000000000000.0.0"),
            Ordering::Less
        );
    }

    #[test]
    fn identifiers() {
        assert_eq!(cmp("1.2.3-r2", "1.2.3-r100"), Ordering::Greater);
        assert_eq!(cmp("1.2.3-R2", "1.2.3-r100"), Ordering::Less);
        assert_eq!(cmp("1.2.3-5", "1.2.3-5-foo"), Ordering::Less);
        assert_eq!(cmp("1.2.3-a.5", "1.2.3-a.b"), Ordering::Less);
    }

    #[test]
    fn rejects_non_semver_shapes() {
        for bad in [
            "latest",
            "v",
            "1.",
            ".1",
            "1..2",
            "1.2.3beta",
            "1.2.3-",
            "1.2.3-a..b",
            "1.2.3+",
            "1.2.3-a_b",
            "vv1.0.0",
            "V1.0.0",
            "*",
        ] {
            assert!(SemverVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
