//! The `vulnerabilities` of a CycloneDX BOM: one entry per vulnerability id, which `affects`
//! the components (by bom-ref) of every package it was found in. Suppressed ones
//! (with `--show-suppressed`) carry an `analysis`, as VEX-aware consumers expect.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::image::scanned::ScannedImage;
use crate::vuln::severity::Level;
use crate::vuln::triage::Suppression;
use crate::vuln::vulnerability::Vulnerability;

/// One entry per vulnerability id across `images` (each with its packages' bom-refs, in
/// package order), affecting every component it was found in.
pub(super) fn entries<'a>(
    images: impl Iterator<Item = (&'a ScannedImage, &'a [String])>,
) -> Vec<Value> {
    let mut by_id: BTreeMap<&str, Vec<(&Vulnerability, &ScannedImage, &str)>> = BTreeMap::new();
    for (image, refs) in images {
        for vulnerability in image.vulnerabilities.iter().flatten() {
            by_id.entry(&vulnerability.id).or_default().push((
                vulnerability,
                image,
                refs[vulnerability.package].as_str(),
            ));
        }
    }
    by_id.into_values().map(|found| entry(&found)).collect()
}

fn entry(found: &[(&Vulnerability, &ScannedImage, &str)]) -> Value {
    let first = found[0].0;
    let mut affects: Vec<Value> = Vec::new();
    for (vulnerability, image, bom_ref) in found {
        let affected = json!({
            "ref": bom_ref,
            "versions": [{"version": image.packages[vulnerability.package].version, "status": "affected"}],
        });
        // The same package in several scanned images is one component reference.
        if !affects.contains(&affected) {
            affects.push(affected);
        }
    }
    let mut rating = json!({
        "source": {"name": if first.severity.source.is_empty() { "OSV" } else { first.severity.source.as_str() }},
        "severity": severity(first.severity.level),
    });
    if let Some(score) = first.severity.score {
        rating["score"] = json!(score);
    }
    if let Some(vector) = &first.severity.vector {
        rating["vector"] = json!(vector);
        rating["method"] = json!(method(vector));
    }
    let mut entry = json!({
        "id": first.id,
        "source": {"name": "OSV", "url": format!("https://osv.dev/vulnerability/{}", first.advisories[0])},
        "references": first.aliases.iter()
            .map(|id| json!({"id": id, "source": {"name": "OSV", "url": format!("https://osv.dev/vulnerability/{id}")}}))
            .collect::<Vec<_>>(),
        "ratings": [rating],
        "advisories": first.references.iter().map(|url| json!({"url": url})).collect::<Vec<_>>(),
        "affects": affects,
    });
    if let Some(summary) = &first.summary {
        entry["description"] = json!(summary);
    }
    if let Some(version) = first.fix.version() {
        entry["recommendation"] = json!(format!("Upgrade to {version} or later."));
    }
    if let Some(published) = &first.published {
        entry["published"] = json!(published);
    }
    if let Some(suppression) = &first.suppression {
        entry["analysis"] = analysis(suppression);
    }
    entry
}

fn severity(level: Level) -> &'static str {
    match level {
        Level::Critical => "critical",
        Level::High => "high",
        Level::Medium => "medium",
        Level::Low => "low",
        Level::Negligible => "info",
        Level::Unknown => "unknown",
    }
}

/// CycloneDX's name for the scoring method of a vector.
fn method(vector: &str) -> &'static str {
    if vector.starts_with("CVSS:4.") {
        "CVSSv4"
    } else if vector.starts_with("CVSS:3.1") {
        "CVSSv31"
    } else if vector.starts_with("CVSS:3.") {
        "CVSSv3"
    } else if vector.starts_with("AV:") {
        "CVSSv2"
    } else {
        "other"
    }
}

fn analysis(suppression: &Suppression) -> Value {
    match suppression {
        Suppression::Unfixed => {
            json!({"state": "exploitable", "detail": "no fixed version yet (--ignore-unfixed)"})
        }
        Suppression::Ignored { source, reason } => json!({
            "state": "not_affected",
            "detail": match reason {
                Some(reason) => format!("{source}: {reason}"),
                None => source.clone(),
            },
        }),
        Suppression::Vex {
            source,
            status,
            justification,
        } => {
            let state = if status == "fixed" {
                "resolved"
            } else {
                "not_affected"
            };
            let mut value = json!({"state": state, "detail": format!("VEX {status} in {source}")});
            if let Some(why) = justification.as_deref().and_then(cyclonedx_justification) {
                value["justification"] = json!(why);
            }
            value
        }
    }
}

/// OpenVEX justifications that have a CycloneDX counterpart.
fn cyclonedx_justification(openvex: &str) -> Option<&'static str> {
    Some(match openvex {
        "component_not_present" => "requires_dependency",
        "vulnerable_code_not_present" => "code_not_present",
        "vulnerable_code_not_in_execute_path" => "code_not_reachable",
        "vulnerable_code_cannot_be_controlled_by_adversary" => "requires_environment",
        "inline_mitigations_already_exist" => "protected_by_mitigating_control",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::report::fixture::{image_fixture, options};
    use crate::report::{render_to_string, Format};
    use crate::test_support::{json_schema_errors, shared_file};
    use serde_json::Value;

    fn bom(report: &crate::finding::Report) -> Value {
        serde_json::from_str(&render_to_string(Format::SbomCyclonedx, report, &options())).unwrap()
    }

    #[test]
    fn vulnerabilities_affect_components_and_validate() {
        let document = bom(&image_fixture());
        if let Some(schema) = shared_file("schemas/cyclonedx/bom-1.5.schema.json") {
            let errors = json_schema_errors(&schema, &document);
            assert!(errors.is_empty(), "{errors:#?}");
        }
        let refs: Vec<&str> = document["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["bom-ref"].as_str().unwrap())
            .collect();
        let vulnerabilities = document["vulnerabilities"].as_array().unwrap();
        let ids: Vec<&str> = vulnerabilities
            .iter()
            .map(|v| v["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["CVE-2024-0001", "CVE-2024-0002", "CVE-2024-0003"]);
        for v in vulnerabilities {
            let target = v["affects"][0]["ref"].as_str().unwrap();
            assert!(refs.contains(&target), "{target} is not a component");
        }
        let critical = &vulnerabilities[0];
        assert_eq!(critical["ratings"][0]["severity"], "critical");
        assert_eq!(critical["ratings"][0]["method"], "CVSSv31");
        assert_eq!(critical["ratings"][0]["score"], 9.8);
        assert_eq!(
            critical["recommendation"],
            "Upgrade to 3.0.13-1~deb12u1 or later."
        );
        assert_eq!(vulnerabilities[2]["analysis"]["state"], "not_affected");
        assert!(critical.get("analysis").is_none());
        // Without matching there is no vulnerabilities array at all.
        let mut unmatched = image_fixture();
        unmatched.images[0].vulnerabilities = None;
        assert!(bom(&unmatched).get("vulnerabilities").is_none());
    }
}
