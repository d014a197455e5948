//! OSV's evaluation rules: is a version inside an `affected` entry, and which fix closes it.
//!
//! Follows the schema's "Evaluation" section: a version is affected when `versions[]` lists it
//! or any `SEMVER`/`ECOSYSTEM` range contains it. Within a range the events are sorted by
//! version; `introduced` (with `"0"` before everything) opens, `fixed` closes at that version,
//! `last_affected` closes just after it, and `limit` bounds the whole range (`"*"` = none).
//! `GIT` ranges need the repository's history; their releases are in `versions[]` anyway.

use std::cell::RefCell;
use std::cmp::Ordering;

use crate::vuln::osv::{base_ecosystem, Affected, Event, Range, RangeType, VersionList};
use crate::vuln::version::{Scheme, Version};

/// A fixed version, parsed (to compare) and as the record wrote it (to report).
type FixedAt = (Version, String);

/// Why a version is affected, and what fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The lowest `fixed` event above the version in a range that contains it, when any.
    pub fixed: Option<String>,
}

/// An installed version, parsed at most once per scheme: one package is evaluated against
/// every advisory of its source, thousands for a distribution's kernel.
pub struct Installed<'a> {
    text: &'a str,
    parsed: RefCell<Vec<(Scheme, Option<Version>)>>,
}

impl<'a> Installed<'a> {
    pub fn new(text: &'a str) -> Self {
        Installed {
            text,
            parsed: RefCell::new(Vec::new()),
        }
    }

    /// Calls `f` with the version parsed in `scheme` (`None` when it does not parse).
    fn with<R>(&self, scheme: Scheme, f: impl FnOnce(Option<&Version>) -> R) -> R {
        let mut parsed = self.parsed.borrow_mut();
        let at = match parsed.iter().position(|(s, _)| *s == scheme) {
            Some(at) => at,
            None => {
                parsed.push((scheme, scheme.parse(self.text).ok()));
                parsed.len() - 1
            }
        };
        f(parsed[at].1.as_ref())
    }
}

/// Evaluates the installed version against one affected entry of ecosystem `ecosystem`;
/// `None` when it is not affected. A version that does not parse in a range's scheme does not
/// match that range: an unparsable version says nothing, rather than "affected by everything".
pub fn evaluate(
    affected: &Affected,
    ecosystem: &str,
    installed: &Installed<'_>,
) -> Option<Verdict> {
    let ecosystem_scheme = Scheme::for_ecosystem(ecosystem);
    let listed = is_listed(ecosystem_scheme, &affected.versions, installed);
    let mut in_range = false;
    let mut fixed: Option<FixedAt> = None;
    for range in &affected.ranges {
        let Some(scheme) = range_scheme(range, ecosystem, ecosystem_scheme) else {
            continue;
        };
        let contained = installed.with(scheme, |v| v.and_then(|v| contains(range, scheme, v)));
        if let Some(range_fix) = contained {
            in_range = true;
            if let Some((candidate, text)) = range_fix {
                if fixed.as_ref().is_none_or(|(best, _)| candidate < *best) {
                    fixed = Some((candidate, text));
                }
            }
        }
    }
    if !in_range && !listed {
        return None;
    }
    if fixed.is_none() && listed {
        // Listed explicitly: a range's fix above the version still tells users where to go.
        fixed = lowest_fix_above(affected, ecosystem, ecosystem_scheme, installed);
    }
    Some(Verdict {
        fixed: fixed.map(|(_, text)| text),
    })
}

/// The scheme a range's events are ordered by: SemVer for `SEMVER` (Go's flavour for Go, whose
/// installed versions carry a `v`), the ecosystem's own for `ECOSYSTEM`.
fn range_scheme(range: &Range, ecosystem: &str, own: Option<Scheme>) -> Option<Scheme> {
    match range.kind {
        RangeType::Semver if base_ecosystem(ecosystem) == "Go" => Some(Scheme::Go),
        RangeType::Semver => Some(Scheme::Semver),
        RangeType::Ecosystem => own,
        RangeType::Git => None,
    }
}

/// Whether `versions[]` names `version`. Distribution versions are written one way (dpkg and
/// rpm may leave out a zero epoch), so they are compared as text: parsing every entry of every
/// record would dominate matching, as a kernel has thousands of advisories each listing dozens
/// of versions. Language ecosystems spell one version several ways (`1.0` and `1.0.0` in PyPI,
/// `v1.2.3` and `1.2.3` in Go), so there entries are parsed when the text differs.
fn is_listed(scheme: Option<Scheme>, versions: &VersionList, installed: &Installed<'_>) -> bool {
    let version = installed.text;
    if versions.iter().any(|listed| listed == version) {
        return true;
    }
    match scheme {
        None | Some(Scheme::Alpine) => false,
        Some(Scheme::Debian | Scheme::Rpm) => {
            let bare = without_zero_epoch(version);
            versions
                .iter()
                .any(|listed| without_zero_epoch(listed) == bare)
        }
        Some(scheme) => installed.with(scheme, |installed| {
            installed.is_some_and(|installed| {
                versions.iter().any(|listed| {
                    scheme
                        .parse(listed)
                        .is_ok_and(|listed| listed.cmp_same_scheme(installed) == Ordering::Equal)
                })
            })
        }),
    }
}

fn without_zero_epoch(version: &str) -> &str {
    version.strip_prefix("0:").unwrap_or(version)
}

/// `Some` when the range contains `installed`, carrying the fix that closes the interval
/// `installed` is in (`None` inside when the interval is open-ended).
fn contains(range: &Range, scheme: Scheme, installed: &Version) -> Option<Option<FixedAt>> {
    let mut events: Vec<(Option<Version>, &Event)> = Vec::with_capacity(range.events.len());
    let mut limits: Vec<Option<Version>> = Vec::new();
    for event in &range.events {
        match event {
            Event::Limit(text) if text == "*" => limits.push(None),
            Event::Limit(text) => limits.push(Some(scheme.parse(text).ok()?)),
            Event::Introduced(text) if text == "0" => events.push((None, event)),
            Event::Introduced(text) | Event::Fixed(text) | Event::LastAffected(text) => {
                // An event that does not parse makes the whole range unusable rather than
                // silently wider or narrower.
                events.push((Some(scheme.parse(text).ok()?), event));
            }
        }
    }
    let below_a_limit = limits.is_empty()
        || limits
            .iter()
            .any(|limit| limit.as_ref().is_none_or(|limit| installed < limit));
    if !below_a_limit {
        return None;
    }
    // The sorted walk of the schema, without sorting: some ecosystems' orders are not total
    // (Maven's is not even transitive on real data), and sorting by such an order may panic.
    // The state after the walk is set by the greatest event that acts on `installed`
    // (`introduced` or `fixed` at or below it, `last_affected` below it); equal versions keep
    // the record's order, so the later one acts last.
    let acts = |(at, event): &(Option<Version>, &Event)| match event {
        Event::Introduced(_) | Event::Fixed(_) => at.as_ref().is_none_or(|at| installed >= at),
        Event::LastAffected(_) => at.as_ref().is_some_and(|at| installed > at),
        Event::Limit(_) => false,
    };
    let last_acting = events.iter().filter(|e| acts(e)).reduce(|best, next| {
        if at_or_after(&next.0, &best.0) {
            next
        } else {
            best
        }
    });
    let affected = matches!(last_acting, Some((_, Event::Introduced(_))));
    if !affected {
        return None;
    }
    // The first event above the version closes its interval: with a fix, or without one
    // (`last_affected`, or a later `introduced` that re-opens nothing).
    let first_above = events
        .iter()
        .filter(|(at, _)| at.as_ref().is_some_and(|at| at > installed))
        .reduce(|best, next| match (&next.0, &best.0) {
            (Some(n), Some(b)) if n < b => next,
            _ => best,
        });
    let fix = match first_above {
        Some((Some(at), Event::Fixed(text))) => Some((at.clone(), text.clone())),
        _ => None,
    };
    Some(fix)
}

/// Whether event version `a` is at or after `b` (`None` is introduced "0", before everything).
fn at_or_after(a: &Option<Version>, b: &Option<Version>) -> bool {
    match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a >= b,
    }
}

/// The lowest `fixed` of any parsable range above `version`.
fn lowest_fix_above(
    affected: &Affected,
    ecosystem: &str,
    own: Option<Scheme>,
    installed: &Installed<'_>,
) -> Option<FixedAt> {
    let mut best: Option<FixedAt> = None;
    for range in &affected.ranges {
        let Some(scheme) = range_scheme(range, ecosystem, own) else {
            continue;
        };
        installed.with(scheme, |installed| {
            let Some(installed) = installed else { return };
            for event in &range.events {
                let Event::Fixed(text) = event else { continue };
                let Ok(fix) = scheme.parse(text) else {
                    continue;
                };
                if fix > *installed && best.as_ref().is_none_or(|(b, _)| fix < *b) {
                    best = Some((fix, text.clone()));
                }
            }
        });
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vuln::osv::Affected;

    fn affected(json: serde_json::Value) -> Affected {
        serde_json::from_value(json).expect("an affected entry")
    }

    fn fixed_in(entry: &Affected, ecosystem: &str, version: &str) -> Option<Option<String>> {
        evaluate(entry, ecosystem, &Installed::new(version)).map(|verdict| verdict.fixed)
    }

    #[test]
    fn introduced_and_fixed_bound_the_range() {
        let entry = affected(
            serde_json::json!({"ranges": [{"type": "ECOSYSTEM", "events": [
            {"introduced": "0"}, {"fixed": "1.5.2-6+deb12u3"}]}]}),
        );
        let fix = Some(Some("1.5.2-6+deb12u3".to_owned()));
        assert_eq!(fixed_in(&entry, "Debian:12", "1.5.2-6+deb12u2"), fix);
        assert_eq!(fixed_in(&entry, "Debian:12", "1.5.2-6+deb12u3"), None);
        assert_eq!(fixed_in(&entry, "Debian:12", "1.5.2-6+deb12u3~bpo1"), fix);
        assert_eq!(
            fixed_in(&entry, "Debian:12", "1:1.0"),
            None,
            "the epoch wins"
        );
    }

    #[test]
    fn several_intervals_report_the_fix_of_their_own_interval() {
        let entry = affected(serde_json::json!({"ranges": [{"type": "SEMVER", "events": [
            {"introduced": "2.0.0"}, {"fixed": "2.5.1"}, {"introduced": "1.0.0"}, {"fixed": "1.9.3"}]}]}));
        assert_eq!(fixed_in(&entry, "npm", "0.9.0"), None);
        assert_eq!(fixed_in(&entry, "npm", "1.2.0"), Some(Some("1.9.3".into())));
        assert_eq!(fixed_in(&entry, "npm", "1.9.3"), None);
        assert_eq!(fixed_in(&entry, "npm", "2.5.0"), Some(Some("2.5.1".into())));
        assert_eq!(
            fixed_in(&entry, "npm", "2.5.1-rc.1"),
            Some(Some("2.5.1".into()))
        );
        assert_eq!(fixed_in(&entry, "npm", "3.0.0"), None);
    }

    #[test]
    fn last_affected_includes_its_version_and_has_no_fix() {
        let entry = affected(
            serde_json::json!({"ranges": [{"type": "ECOSYSTEM", "events": [
            {"introduced": "1.0"}, {"last_affected": "2.0"}]}]}),
        );
        assert_eq!(fixed_in(&entry, "PyPI", "2.0"), Some(None));
        assert_eq!(
            fixed_in(&entry, "PyPI", "2.0.0"),
            Some(None),
            "PEP 440 equal"
        );
        assert_eq!(fixed_in(&entry, "PyPI", "2.0.post1"), None);
        assert_eq!(fixed_in(&entry, "PyPI", "0.9"), None);
    }

    #[test]
    fn limits_bound_the_whole_range() {
        let entry = affected(serde_json::json!({"ranges": [{"type": "SEMVER", "events": [
            {"introduced": "0"}, {"limit": "1.5.0"}]}]}));
        assert_eq!(fixed_in(&entry, "crates.io", "1.4.9"), Some(None));
        assert_eq!(fixed_in(&entry, "crates.io", "1.5.0"), None);
        let star = affected(serde_json::json!({"ranges": [{"type": "SEMVER", "events": [
            {"introduced": "0"}, {"limit": "*"}]}]}));
        assert_eq!(fixed_in(&star, "crates.io", "99.0.0"), Some(None));
    }

    #[test]
    fn listed_versions_match_and_point_at_a_fix_above() {
        let entry = affected(serde_json::json!({
            "versions": ["1.0", "1.1"],
            "ranges": [{"type": "GIT", "repo": "https://example.invalid/r", "events": [
                {"introduced": "abc"}, {"fixed": "def"}]},
                {"type": "ECOSYSTEM", "events": [{"introduced": "3.0"}, {"fixed": "3.2"}]}]}));
        assert_eq!(fixed_in(&entry, "PyPI", "1.1"), Some(Some("3.2".into())));
        assert_eq!(fixed_in(&entry, "PyPI", "1.1.0"), Some(Some("3.2".into())));
        assert_eq!(fixed_in(&entry, "PyPI", "1.2"), None);
    }

    #[test]
    fn distro_version_lists_compare_as_text_up_to_a_zero_epoch() {
        let entry = affected(serde_json::json!({"versions": ["2.0-1", "1:3.0-1"]}));
        assert_eq!(fixed_in(&entry, "Debian:12", "2.0-1"), Some(None));
        assert_eq!(fixed_in(&entry, "Debian:12", "0:2.0-1"), Some(None));
        assert_eq!(
            fixed_in(&entry, "Debian:12", "3.0-1"),
            None,
            "epoch 1 is not epoch 0"
        );
        assert_eq!(fixed_in(&entry, "Debian:12", "2.0-2"), None);
    }

    #[test]
    fn go_ranges_accept_v_prefixed_installed_versions() {
        let entry = affected(serde_json::json!({"ranges": [{"type": "SEMVER", "events": [
            {"introduced": "0"}, {"fixed": "1.6.0"}]}]}));
        assert_eq!(fixed_in(&entry, "Go", "v1.5.0"), Some(Some("1.6.0".into())));
        assert_eq!(fixed_in(&entry, "Go", "v1.6.0"), None);
        let listed = affected(serde_json::json!({"versions": ["1.5.0"]}));
        assert_eq!(fixed_in(&listed, "Go", "v1.5.0"), Some(None));
        assert_eq!(
            fixed_in(&entry, "Go", "v0.0.0-20190101000000-abcdefabcdef"),
            Some(Some("1.6.0".into()))
        );
    }

    #[test]
    fn unparsable_versions_and_events_match_nothing() {
        let entry = affected(
            serde_json::json!({"ranges": [{"type": "ECOSYSTEM", "events": [
            {"introduced": "0"}, {"fixed": "2.0"}]}]}),
        );
        assert_eq!(fixed_in(&entry, "Debian:12", "not a version!@#"), None);
        let broken = affected(
            serde_json::json!({"ranges": [{"type": "ECOSYSTEM", "events": [
            {"introduced": "0"}, {"fixed": "!!"}]}]}),
        );
        assert_eq!(fixed_in(&broken, "Debian:12", "1.0"), None);
        let unordered = affected(
            serde_json::json!({"ranges": [{"type": "ECOSYSTEM", "events": [
            {"introduced": "0"}]}]}),
        );
        assert_eq!(
            fixed_in(&unordered, "Android", "1.0"),
            None,
            "no ordering, no versions[]"
        );
    }
}
