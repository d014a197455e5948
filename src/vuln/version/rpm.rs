//! RPM versions (Red Hat, Rocky, Alma, SUSE, openSUSE, Mageia, openEuler, Azure Linux):
//! `[epoch:]version[-release]`, each part ordered by `rpmvercmp` as in rpm ≥ 4.15, which knows
//! `~` (sorts before anything, for pre-releases) and `^` (sorts after the version it extends but
//! before anything longer, for snapshots).
//!
//! Like rpm's `parseEVR`, an epoch is the digits before a `:` at the start (a `:` after
//! anything else is part of the version, as in module streams `…noarch.rpm-nginx:1`), and the
//! release is what follows the last `-`. A present release, even an empty one, sorts after a
//! missing one (`1 < 1-`), which rpm leaves undefined and the conformance vectors pin down.
//! Every non-empty string parses: rpm orders any string, ignoring characters that are neither
//! ASCII letters, digits, `~` nor `^`.

use std::cmp::Ordering;

use super::numeric::cmp_decimal;

#[derive(Debug, Clone)]
pub(super) struct RpmVersion {
    /// Decimal digits, possibly empty (epoch 0).
    epoch: String,
    version: String,
    release: Option<String>,
}

impl RpmVersion {
    pub(super) fn parse(input: &str) -> Self {
        let digits = input.bytes().take_while(u8::is_ascii_digit).count();
        let (epoch, rest) = match input[digits..].strip_prefix(':') {
            Some(rest) => (&input[..digits], rest),
            None => ("", input),
        };
        let (version, release) = match rest.rsplit_once('-') {
            Some((version, release)) => (version, Some(release.to_owned())),
            None => (rest, None),
        };
        Self {
            epoch: epoch.to_owned(),
            version: version.to_owned(),
            release,
        }
    }

    pub(super) fn compare(&self, other: &Self) -> Ordering {
        cmp_decimal(&self.epoch, &other.epoch)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (Some(a), Some(b)) => rpmvercmp(a, b),
                (a, b) => a.is_some().cmp(&b.is_some()),
            })
    }
}

/// Bytes that only separate segments: anything but ASCII letters, digits, `~` and `^`.
fn is_separator(b: u8) -> bool {
    !b.is_ascii_alphanumeric() && b != b'~' && b != b'^'
}

/// rpm's segment-wise comparison of one version or release string.
pub(super) fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        a = trim_separators(a);
        b = trim_separators(b);
        match (a.first(), b.first()) {
            (Some(b'~'), Some(b'~')) | (Some(b'^'), Some(b'^')) => {
                a = &a[1..];
                b = &b[1..];
                continue;
            }
            // A tilde sorts before anything, even the end of the other string.
            (Some(b'~'), _) => return Ordering::Less,
            (_, Some(b'~')) => return Ordering::Greater,
            // A caret sorts after the end of the other string but before anything else.
            (Some(b'^'), None) => return Ordering::Greater,
            (Some(b'^'), _) => return Ordering::Less,
            (None, Some(b'^')) => return Ordering::Less,
            (_, Some(b'^')) => return Ordering::Greater,
            (None, _) | (_, None) => break,
            (Some(first), Some(_)) => {
                let numeric = first.is_ascii_digit();
                let same_kind = |c: &u8| {
                    if numeric {
                        c.is_ascii_digit()
                    } else {
                        c.is_ascii_alphabetic()
                    }
                };
                let len_a = a.iter().take_while(|c| same_kind(c)).count();
                let len_b = b.iter().take_while(|c| same_kind(c)).count();
                if len_b == 0 {
                    // A number is newer than letters.
                    return if numeric {
                        Ordering::Greater
                    } else {
                        Ordering::Less
                    };
                }
                let (seg_a, seg_b) = (&a[..len_a], &b[..len_b]);
                let order = if numeric {
                    // ASCII digits, so valid UTF-8.
                    cmp_decimal(
                        std::str::from_utf8(seg_a).unwrap_or_default(),
                        std::str::from_utf8(seg_b).unwrap_or_default(),
                    )
                } else {
                    seg_a.cmp(seg_b)
                };
                if order != Ordering::Equal {
                    return order;
                }
                a = &a[len_a..];
                b = &b[len_b..];
            }
        }
    }
    // Whichever string still has characters left is newer.
    (!a.is_empty()).cmp(&!b.is_empty())
}

fn trim_separators(s: &[u8]) -> &[u8] {
    let skip = s.iter().take_while(|&&c| is_separator(c)).count();
    &s[skip..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        RpmVersion::parse(a).compare(&RpmVersion::parse(b))
    }

    #[test]
    fn tilde_and_caret() {
        assert_eq!(cmp("1.0~rc1", "1.0"), Ordering::Less);
        assert_eq!(cmp("1.0~rc1~git1", "1.0~rc1"), Ordering::Less);
        assert_eq!(cmp("1.0^git1", "1.0"), Ordering::Greater);
        assert_eq!(cmp("1.0^git1", "1.0.1"), Ordering::Less);
        assert_eq!(cmp("1.0^git1~pre", "1.0^git1"), Ordering::Less);
    }

    #[test]
    fn segments_numbers_and_letters() {
        assert_eq!(cmp("10.0001", "10.1"), Ordering::Equal);
        assert_eq!(cmp("2.0.1a", "2.0.1"), Ordering::Greater);
        assert_eq!(cmp("6.0.rc1", "6.0"), Ordering::Greater);
        assert_eq!(cmp("xyz.4", "8"), Ordering::Less);
        assert_eq!(cmp("1.0a", "1.0aa"), Ordering::Less);
        assert_eq!(cmp("2_0", "2.0"), Ordering::Equal);
        assert_eq!(cmp("1.1.α", "1.1.β"), Ordering::Equal);
    }

    #[test]
    fn epochs_and_releases() {
        assert_eq!(cmp("1:1.0", "2.0"), Ordering::Greater);
        assert_eq!(cmp("01:2", "1:2"), Ordering::Equal);
        assert_eq!(cmp("0:2.4.21-9.EL", "0:2.4.21-9.0.1.EL"), Ordering::Less);
        assert_eq!(cmp("1", "1-0"), Ordering::Less);
        assert_eq!(cmp("1-1.", "1-1"), Ordering::Equal);
        // A colon after a non-digit is not an epoch.
        assert_eq!(cmp("a:1", "a:2"), Ordering::Less);
        assert_eq!(cmp("1.m+e2:1", "4.m+e1:1"), Ordering::Less);
    }
}
