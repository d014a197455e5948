//! One finding per vulnerability: advisories that share an id become one [`Vulnerability`].
//!
//! A PYSEC and a GHSA record of the same CVE, or a distro record and the upstream one, name each
//! other (or the same CVE) in `aliases`. Groups are the connected sets of shared ids. An
//! advisory whose aliases name several CVEs (a distro bulletin covering many fixes) is an
//! umbrella: it is split into one claim per CVE, so it joins each CVE's finding (adding its id)
//! rather than gluing unrelated CVEs together.

use std::collections::{BTreeSet, HashMap};

use super::{Hit, Query};
use crate::vuln::version::Scheme;
use crate::vuln::vulnerability::{Fix, Vulnerability};

/// One advisory's say about one vulnerability.
struct Claim<'h> {
    hit: &'h Hit,
    /// Ids that connect claims into one vulnerability.
    links: BTreeSet<&'h str>,
}

/// The vulnerabilities of the package at `index`, sorted by id.
pub(super) fn merge(index: usize, query: &Query, hits: &[Hit]) -> Vec<Vulnerability> {
    let mut out: Vec<Vulnerability> = groups(claims(hits))
        .into_iter()
        .map(|members| vulnerability(index, query, &members))
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn claims<'h>(hits: &'h [Hit]) -> Vec<Claim<'h>> {
    let mut claims = Vec::new();
    for hit in hits {
        let ids: BTreeSet<&str> = hit.advisory.ids().collect();
        let cves: Vec<&str> = ids.iter().copied().filter(|id| is_cve(id)).collect();
        if cves.len() > 1 {
            claims.extend(cves.into_iter().map(|cve| Claim {
                hit,
                links: BTreeSet::from([cve]),
            }));
        } else {
            claims.push(Claim { hit, links: ids });
        }
    }
    claims
}

/// Connected components of claims over shared ids: union-find over claims, with each id
/// pointing at the first claim that named it (linear in the number of ids; a kernel has
/// thousands of advisories).
fn groups<'h>(claims: Vec<Claim<'h>>) -> Vec<Vec<Claim<'h>>> {
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut parent: Vec<usize> = (0..claims.len()).collect();
    let mut first_with: HashMap<&str, usize> = HashMap::new();
    for (i, claim) in claims.iter().enumerate() {
        for id in &claim.links {
            let other = *first_with.entry(id).or_insert(i);
            let (a, b) = (root(&mut parent, i), root(&mut parent, other));
            parent[a.max(b)] = a.min(b);
        }
    }
    // Groups in the order of their first claim.
    let mut slot: HashMap<usize, usize> = HashMap::new();
    let mut groups: Vec<Vec<Claim<'h>>> = Vec::new();
    for (i, claim) in claims.into_iter().enumerate() {
        let r = root(&mut parent, i);
        let g = *slot.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(claim);
    }
    groups
}

fn is_cve(id: &str) -> bool {
    id.starts_with("CVE-")
}

fn vulnerability(index: usize, query: &Query, claims: &[Claim<'_>]) -> Vulnerability {
    let linked: BTreeSet<&str> = claims
        .iter()
        .flat_map(|c| c.links.iter().copied())
        .collect();
    let advisories: BTreeSet<&str> = claims.iter().map(|c| c.hit.advisory.id.as_str()).collect();
    let id = linked
        .iter()
        .find(|id| is_cve(id))
        .or_else(|| advisories.iter().next())
        .map(|id| id.to_string())
        .unwrap_or_default();
    let aliases = linked
        .union(&advisories)
        .filter(|other| **other != id)
        .map(|s| s.to_string())
        .collect();
    let mut members: Vec<&Hit> = claims.iter().map(|c| c.hit).collect();
    members.sort_by_key(|hit| hit.advisory.id.as_str());
    members.dedup_by_key(|hit| hit.advisory.id.as_str());
    let members = &members[..];
    let severity = members
        .iter()
        .map(|hit| &hit.rating)
        .max_by(|a, b| {
            a.level
                .cmp(&b.level)
                .then_with(|| a.score.is_some().cmp(&b.score.is_some()))
        })
        .cloned()
        .unwrap_or_else(crate::vuln::severity::Rating::unknown);
    Vulnerability {
        id,
        aliases,
        advisories: advisories.iter().map(|s| s.to_string()).collect(),
        package: index,
        ecosystem: query.ecosystem.clone(),
        matched_name: query.name.clone(),
        matched_version: query.version.clone(),
        summary: members.iter().find_map(|hit| {
            hit.advisory
                .summary
                .clone()
                .filter(|s| !s.trim().is_empty())
        }),
        severity,
        fix: fix(query, members),
        references: references(members),
        published: members
            .iter()
            .filter_map(|hit| hit.advisory.published.clone())
            .min(),
        suppression: None,
    }
}

/// The version to move to: the highest of the fixes the merged advisories name (each must be
/// satisfied); no fix when none names one.
fn fix(query: &Query, members: &[&Hit]) -> Fix {
    let scheme = Scheme::for_ecosystem(&query.ecosystem);
    let highest = members
        .iter()
        .filter_map(|hit| hit.fixed.as_deref())
        .max_by(|a, b| {
            scheme
                .and_then(|scheme| scheme.compare(a, b).ok())
                .unwrap_or_else(|| a.cmp(b))
        });
    match highest {
        Some(version) => Fix::Fixed {
            version: version.to_string(),
        },
        None if members.iter().any(|hit| hit.wont_fix) => Fix::WontFix,
        None => Fix::NotFixed,
    }
}

/// Advisory pages first, then fixes, then the rest; no duplicates, at most ten.
fn references(members: &[&Hit]) -> Vec<String> {
    let rank = |kind: &str| match kind {
        "ADVISORY" => 0,
        "FIX" => 1,
        "WEB" => 2,
        _ => 3,
    };
    let mut all: Vec<(usize, &str)> = members
        .iter()
        .flat_map(|hit| hit.advisory.references.iter())
        .map(|r| (rank(&r.kind), r.url.as_str()))
        .collect();
    all.sort_by_key(|(rank, _)| *rank);
    let mut seen = BTreeSet::new();
    all.into_iter()
        .filter(|(_, url)| seen.insert(*url))
        .take(10)
        .map(|(_, url)| url.to_string())
        .collect()
}
