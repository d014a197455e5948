//! Which advisories affect which installed packages.
//!
//! For every package: the OSV ecosystem and name to look it up by ([`query`]), the advisories
//! of that name from the database, OSV range evaluation against the installed version
//! ([`evaluate`]), then one [`Vulnerability`] per CVE ([`merge`]): advisories that are aliases
//! of each other (a PYSEC and a GHSA record of one CVE) become one finding with all their ids.

mod evaluate;
mod merge;
mod query;
#[cfg(test)]
mod testing;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

pub use evaluate::{evaluate, Installed, Verdict};
pub use query::{query_for, Query};

use super::db::normalize_name;
use super::osv::{Advisory, Affected};
use super::severity::{rate, Rating};
use super::vulnerability::Vulnerability;
use crate::image::catalog::{Distro, Package};

/// Where advisories come from: the local database, or anything else keyed the same way.
pub trait AdvisorySource: Sync {
    /// Every advisory with an affected entry for `name` in base ecosystem `base` (`Debian`,
    /// `PyPI`…), withdrawn ones included.
    fn advisories(&self, base: &str, name: &str) -> anyhow::Result<Vec<Advisory>>;
}

/// One advisory that affects one queried (name, version).
#[derive(Debug, Clone)]
struct Hit {
    /// Shared by the binaries of one source package that it affects.
    advisory: Arc<Advisory>,
    /// The version that fixes it, when the data names one.
    fixed: Option<String>,
    wont_fix: bool,
    rating: Rating,
}

/// Matches `packages` (of an image built on `distro`) against `source`. Vulnerabilities come
/// out ordered by package index, then id; `package` in each is the index into `packages`.
pub fn match_packages(
    packages: &[Package],
    distro: Option<&Distro>,
    source: &dyn AdvisorySource,
) -> anyhow::Result<Vec<Vulnerability>> {
    let queries: Vec<Option<Query>> = packages.iter().map(|p| query_for(p, distro)).collect();

    // Binaries of one source package share a query, and queries share a look-up when their
    // names normalise alike: each look-up is done once, in parallel (the database decodes
    // records outside its lock), and its advisories are dropped as soon as its queries are
    // evaluated, so memory holds the advisories that matched, not all that were read.
    let mut by_key: BTreeMap<(&'static str, String), Vec<&Query>> = BTreeMap::new();
    for query in queries.iter().flatten() {
        let key = (
            query.base,
            normalize_name(query.base, &query.name).into_owned(),
        );
        let same_key = by_key.entry(key).or_default();
        if !same_key.contains(&query) {
            same_key.push(query);
        }
    }
    let evaluated: Vec<Vec<(&Query, Vec<Hit>)>> = by_key
        .into_par_iter()
        .map(|((base, _), same_key)| {
            let advisories: Vec<Advisory> = source
                .advisories(base, &same_key[0].name)?
                .into_iter()
                .filter(|advisory| !advisory.is_withdrawn())
                .collect();
            // What reports need of a matched advisory, made once per advisory and shared.
            let mut kept: Vec<Option<Arc<Advisory>>> = vec![None; advisories.len()];
            let mut evaluated = Vec::with_capacity(same_key.len());
            for query in same_key {
                let installed = Installed::new(&query.version);
                let wanted = normalize_name(query.base, &query.name);
                let mut hits = Vec::new();
                for (advisory, kept) in advisories.iter().zip(kept.iter_mut()) {
                    if let Some(found) = hit(advisory, query, &wanted, &installed) {
                        let advisory =
                            kept.get_or_insert_with(|| Arc::new(reported_part(advisory)));
                        hits.push(Hit {
                            advisory: Arc::clone(advisory),
                            fixed: found.fixed,
                            wont_fix: found.wont_fix,
                            rating: found.rating,
                        });
                    }
                }
                evaluated.push((query, hits));
            }
            Ok(evaluated)
        })
        .collect::<anyhow::Result<_>>()?;
    let hits_by_query: HashMap<&Query, Vec<Hit>> = evaluated.into_iter().flatten().collect();

    let mut vulnerabilities = Vec::new();
    for (index, query) in queries.iter().enumerate() {
        let Some(query) = query else { continue };
        let hits = &hits_by_query[query];
        vulnerabilities.extend(merge::merge(index, query, hits));
    }
    Ok(vulnerabilities)
}

/// What one affected entry says about the queried package.
struct Found {
    fixed: Option<String>,
    wont_fix: bool,
    rating: Rating,
}

/// The first affected entry of `advisory` that is about the queried package and contains its
/// version.
fn hit(
    advisory: &Advisory,
    query: &Query,
    wanted: &str,
    installed: &Installed<'_>,
) -> Option<Found> {
    advisory.affected.iter().find_map(|affected| {
        let package = affected.package.as_ref()?;
        if !query.accepts_ecosystem(&package.ecosystem)
            || normalize_name(query.base, &package.name) != wanted
        {
            return None;
        }
        let verdict = evaluate(affected, &package.ecosystem, installed)?;
        Some(Found {
            wont_fix: verdict.fixed.is_none() && wont_fix(affected),
            fixed: verdict.fixed,
            rating: rate(advisory, affected),
        })
    })
}

/// An advisory without its affected entries (their version lists are most of its size): all
/// that merging and reports read once it matched.
fn reported_part(advisory: &Advisory) -> Advisory {
    Advisory {
        id: advisory.id.clone(),
        modified: None,
        published: advisory.published.clone(),
        withdrawn: None,
        aliases: advisory.aliases.clone(),
        summary: advisory.summary.clone(),
        severity: Vec::new(),
        affected: Vec::new(),
        references: advisory.references.clone(),
        database_specific: None,
    }
}

/// Statuses distributions use for "affected, and it stays that way", wherever a converter
/// put them (`ecosystem_specific` or `database_specific`, as `status`, `state` or `urgency`).
fn wont_fix(affected: &Affected) -> bool {
    const WONT_FIX: [&str; 7] = [
        "ignored",
        "end-of-life",
        "will_not_fix",
        "wont_fix",
        "won't fix",
        "not-planned",
        "deferred",
    ];
    [&affected.ecosystem_specific, &affected.database_specific]
        .into_iter()
        .flatten()
        .flat_map(|object| ["status", "state", "urgency", "fix_state"].map(|key| object.get(key)))
        .flatten()
        .any(|status| {
            WONT_FIX
                .iter()
                .any(|known| status.eq_ignore_ascii_case(known))
        })
}

#[cfg(test)]
mod tests {
    use super::testing::{distro, package};
    use super::*;
    use crate::image::catalog::Ecosystem;
    use crate::vuln::vulnerability::Fix;

    /// Advisories held in memory, keyed as the database keys them.
    struct Records(Vec<Advisory>);

    impl AdvisorySource for Records {
        fn advisories(&self, base: &str, name: &str) -> anyhow::Result<Vec<Advisory>> {
            let wanted = normalize_name(base, name);
            Ok(self
                .0
                .iter()
                .filter(|a| {
                    a.affected.iter().any(|entry| {
                        entry.package.as_ref().is_some_and(|p| {
                            crate::vuln::osv::base_ecosystem(&p.ecosystem) == base
                                && normalize_name(base, &p.name) == wanted
                        })
                    })
                })
                .cloned()
                .collect())
        }
    }

    fn record(
        id: &str,
        aliases: &[&str],
        ecosystem: &str,
        name: &str,
        fixed: Option<&str>,
    ) -> Advisory {
        let mut events = vec![serde_json::json!({"introduced": "0"})];
        if let Some(fixed) = fixed {
            events.push(serde_json::json!({"fixed": fixed}));
        }
        serde_json::from_value(serde_json::json!({
            "id": id, "aliases": aliases,
            "affected": [{"package": {"ecosystem": ecosystem, "name": name},
                          "ranges": [{"type": "ECOSYSTEM", "events": events}]}]
        }))
        .unwrap()
    }

    #[test]
    fn aliases_merge_into_one_finding_per_package_with_all_ids() {
        let records = Records(vec![
            record(
                "PYSEC-2024-1",
                &["CVE-2024-1", "GHSA-aaaa"],
                "PyPI",
                "Jinja2",
                Some("3.1.3"),
            ),
            record(
                "GHSA-aaaa",
                &["CVE-2024-1"],
                "PyPI",
                "jinja2",
                Some("3.1.4"),
            ),
            record("PYSEC-2024-2", &[], "PyPI", "jinja2", None),
        ]);
        let packages = [package(Ecosystem::PyPI, "jinja2", "3.1.2", None)];
        let found = match_packages(&packages, None, &records).unwrap();
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].id, "CVE-2024-1");
        assert_eq!(found[0].aliases, ["GHSA-aaaa", "PYSEC-2024-1"]);
        assert_eq!(found[0].advisories, ["GHSA-aaaa", "PYSEC-2024-1"]);
        // Both advisories must be satisfied: the higher fix.
        assert_eq!(
            found[0].fix,
            Fix::Fixed {
                version: "3.1.4".into()
            }
        );
        assert_eq!(found[1].id, "PYSEC-2024-2");
        assert_eq!(found[1].fix, Fix::NotFixed);
    }

    #[test]
    fn umbrella_advisories_do_not_glue_cves_together() {
        let records = Records(vec![
            record(
                "DSA-1",
                &["CVE-1", "CVE-2"],
                "Debian:12",
                "glibc",
                Some("2.36-9+deb12u4"),
            ),
            record(
                "DEBIAN-CVE-1",
                &["CVE-1"],
                "Debian:12",
                "glibc",
                Some("2.36-9+deb12u4"),
            ),
            record(
                "DEBIAN-CVE-2",
                &["CVE-2"],
                "Debian:12",
                "glibc",
                Some("2.36-9+deb12u4"),
            ),
        ]);
        let packages = [package(
            Ecosystem::Debian,
            "libc6",
            "2.36-9+deb12u3",
            Some(("glibc", "2.36-9+deb12u3")),
        )];
        let found = match_packages(
            &packages,
            Some(&distro("debian", Some("12"), Some("bookworm"))),
            &records,
        )
        .unwrap();
        let ids: Vec<&str> = found.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ["CVE-1", "CVE-2"], "{found:#?}");
        assert_eq!(found[0].aliases, ["DEBIAN-CVE-1", "DSA-1"]);
        assert_eq!(found[1].advisories, ["DEBIAN-CVE-2", "DSA-1"]);
        // An umbrella alone still gives one finding per CVE.
        let alone = Records(vec![record(
            "DSA-1",
            &["CVE-1", "CVE-2"],
            "Debian:12",
            "glibc",
            None,
        )]);
        let found = match_packages(
            &packages,
            Some(&distro("debian", Some("12"), Some("bookworm"))),
            &alone,
        )
        .unwrap();
        let ids: Vec<&str> = found.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ["CVE-1", "CVE-2"]);
    }

    #[test]
    fn os_packages_match_by_source_in_their_release_only() {
        let records = Records(vec![
            record(
                "x-12",
                &["CVE-9"],
                "Debian:12",
                "pam",
                Some("1.5.2-6+deb12u3"),
            ),
            record("x-11", &["CVE-8"], "Debian:11", "pam", Some("9.9")),
            record("x-bin", &["CVE-7"], "Debian:12", "libpam0g", Some("9.9")),
        ]);
        let packages = [
            package(
                Ecosystem::Debian,
                "libpam0g",
                "1.5.2-6+deb12u2",
                Some(("pam", "1.5.2-6+deb12u2")),
            ),
            package(
                Ecosystem::Debian,
                "libpam-modules",
                "1.5.2-6+deb12u3",
                Some(("pam", "1.5.2-6+deb12u3")),
            ),
        ];
        let found = match_packages(
            &packages,
            Some(&distro("debian", Some("12"), Some("bookworm"))),
            &records,
        )
        .unwrap();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].package, found[0].id.as_str()), (0, "CVE-9"));
        assert_eq!(found[0].matched_name, "pam");
    }

    #[test]
    fn withdrawn_advisories_never_match() {
        let mut withdrawn = record("GHSA-w", &[], "npm", "left-pad", None);
        withdrawn.withdrawn = Some("2024-01-01T00:00:00Z".into());
        let records = Records(vec![withdrawn]);
        let packages = [package(Ecosystem::Npm, "left-pad", "1.0.0", None)];
        assert!(match_packages(&packages, None, &records)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn distro_statuses_mark_wont_fix() {
        let mut ignored = record("DEBIAN-CVE-3", &["CVE-3"], "Debian:12", "tiff", None);
        ignored.affected[0].ecosystem_specific = Some(crate::vuln::osv::Specific::from([(
            "urgency",
            "end-of-life",
        )]));
        let records = Records(vec![ignored]);
        let packages = [package(
            Ecosystem::Debian,
            "libtiff6",
            "4.5.0-6",
            Some(("tiff", "4.5.0-6")),
        )];
        let found = match_packages(
            &packages,
            Some(&distro("debian", Some("12"), Some("bookworm"))),
            &records,
        )
        .unwrap();
        assert_eq!(found[0].fix, Fix::WontFix);
    }
}
