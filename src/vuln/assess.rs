//! From an image's inventory to the vulnerabilities a report shows: match, filter by
//! severity, apply triage.

use std::collections::BTreeSet;

use super::matcher::{match_packages, query_for, AdvisorySource};
use super::severity::Level;
use super::triage::{Candidate, Triage};
use crate::image::scanned::ScannedImage;

/// What the user asked to see.
#[derive(Debug, Default)]
pub struct Policy {
    /// Report only these levels (`--severity`); `None` reports all.
    pub severities: Option<Vec<Level>>,
    pub triage: Triage,
    /// Keep suppressed vulnerabilities in the report, marked (`--show-suppressed`).
    pub show_suppressed: bool,
}

/// The OSV base ecosystems the images' packages are looked up in: what a first scan downloads.
pub fn needed_ecosystems(images: &[ScannedImage]) -> Vec<String> {
    let needed: BTreeSet<&'static str> = images
        .iter()
        .flat_map(|image| {
            image
                .packages
                .iter()
                .filter_map(|package| query_for(package, image.distro.as_ref()))
                .map(|query| query.base)
        })
        .collect();
    needed.into_iter().map(str::to_owned).collect()
}

/// Matches the image's packages and stores what `policy` lets through in
/// `image.vulnerabilities`.
pub fn assess(
    image: &mut ScannedImage,
    source: &dyn AdvisorySource,
    policy: &Policy,
) -> anyhow::Result<()> {
    let matched = match_packages(&image.packages, image.distro.as_ref(), source)?;
    let image_ids = image_ids(image);
    let mut kept = Vec::new();
    let mut hidden = 0;
    for mut vulnerability in matched {
        if let Some(levels) = &policy.severities {
            if !levels.contains(&vulnerability.severity.level) {
                continue;
            }
        }
        let package = &image.packages[vulnerability.package];
        let ids: Vec<String> = std::iter::once(vulnerability.id.clone())
            .chain(vulnerability.aliases.iter().cloned())
            .collect();
        let candidate = Candidate {
            ids: &ids,
            package_name: &package.name,
            package_version: &package.version,
            purl: &package.purl,
            paths: &package.evidence,
            has_fix: vulnerability.fix.version().is_some(),
            image_ids: &image_ids,
        };
        vulnerability.suppression = policy.triage.verdict(&candidate);
        if vulnerability.suppression.is_some() && !policy.show_suppressed {
            hidden += 1;
            continue;
        }
        kept.push(vulnerability);
    }
    image.vulnerabilities = Some(kept);
    image.suppressed_hidden = hidden;
    Ok(())
}

/// Whether any reported vulnerability is at or above `threshold` (`--fail-on`).
pub fn fails(images: &[ScannedImage], threshold: Level) -> bool {
    images
        .iter()
        .flat_map(ScannedImage::reported_vulnerabilities)
        .any(|v| v.severity.level >= threshold)
}

/// How VEX documents may name the image: as given, by digest, and as a `pkg:oci` purl.
fn image_ids(image: &ScannedImage) -> Vec<String> {
    let mut ids = vec![image.reference.clone()];
    if let Some(digest) = &image.manifest_digest {
        ids.push(digest.clone());
        let name = image
            .reference
            .rsplit('/')
            .next()
            .unwrap_or(&image.reference)
            .split([':', '@'])
            .next()
            .unwrap_or_default();
        ids.push(format!(
            "pkg:oci/{name}@{}",
            crate::image::catalog::purl_encode(digest)
        ));
    }
    ids
}

impl AdvisorySource for super::db::Database {
    fn advisories(&self, base: &str, name: &str) -> anyhow::Result<Vec<super::osv::Advisory>> {
        Ok(super::db::Database::advisories(self, base, name)?)
    }
}
