//! SARIF for known vulnerabilities: one rule per vulnerability id, one result per
//! (vulnerability, package, image).
//!
//! A result sits on the Dockerfile line whose layer installed the package when the Dockerfile
//! is known — so the alert lands on a line of the pull request — and otherwise on the image
//! reference, with our fingerprint so that alerts survive rebuilds and retags.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::json;
use serde_sarif::sarif as s;

use crate::image::scanned::ScannedImage;
use crate::vuln::severity::{security_severity, Level};
use crate::vuln::triage::Suppression;
use crate::vuln::vulnerability::Vulnerability;

/// Rules and results for the vulnerabilities of `images`; rule indices start at `first_index`.
pub(super) fn rules_and_results(
    images: &[ScannedImage],
    first_index: usize,
    artifact_location: impl Fn(&Path) -> s::ArtifactLocation,
    fingerprint_key: &str,
) -> (Vec<s::ReportingDescriptor>, Vec<s::Result>) {
    // Rule per id, rated by the most severe package it affects.
    let mut rules: BTreeMap<&str, &Vulnerability> = BTreeMap::new();
    for vulnerability in images
        .iter()
        .flat_map(|i| i.vulnerabilities.iter().flatten())
    {
        let entry = rules
            .entry(vulnerability.id.as_str())
            .or_insert(vulnerability);
        if vulnerability.severity.level > entry.severity.level {
            *entry = vulnerability;
        }
    }
    let index_of: BTreeMap<&str, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, id)| (*id, first_index + i))
        .collect();
    let descriptors = rules.values().map(|v| descriptor(v)).collect();

    let mut results = Vec::new();
    for image in images {
        for vulnerability in image.vulnerabilities.iter().flatten() {
            results.push(result(
                image,
                vulnerability,
                index_of[vulnerability.id.as_str()],
                &artifact_location,
                fingerprint_key,
            ));
        }
    }
    (descriptors, results)
}

pub(super) fn level(level: Level) -> &'static str {
    match level {
        Level::Critical | Level::High => "error",
        Level::Medium => "warning",
        Level::Low | Level::Negligible | Level::Unknown => "note",
    }
}

fn descriptor(vulnerability: &Vulnerability) -> s::ReportingDescriptor {
    let summary = vulnerability
        .summary
        .clone()
        .unwrap_or_else(|| format!("Known vulnerability {}", vulnerability.id));
    let mut help = format!("**{}**", vulnerability.id);
    if !vulnerability.aliases.is_empty() {
        help.push_str(&format!(" (also {})", vulnerability.aliases.join(", ")));
    }
    help.push_str(&format!(
        ": {summary}\n\nSeverity: {}",
        vulnerability.severity.level
    ));
    if let Some(vector) = &vulnerability.severity.vector {
        help.push_str(&format!(" ({vector})"));
    }
    help.push_str(
        "\n\nUpgrade the package to the fixed version named in the result, or rebuild on a \
         base image that has it. To accept the risk, list the id in `.portcullis-ignore.toml` \
         with a reason, or publish a VEX statement.",
    );
    if !vulnerability.references.is_empty() {
        help.push_str("\n\nReferences:\n");
        for url in &vulnerability.references {
            help.push_str(&format!("- {url}\n"));
        }
    }
    let mut properties = BTreeMap::from([
        ("aliases".to_owned(), json!(vulnerability.aliases)),
        (
            "problem.severity".to_owned(),
            json!(level(vulnerability.severity.level)),
        ),
    ]);
    if let Some(score) = security_severity(&vulnerability.severity) {
        properties.insert("security-severity".to_owned(), json!(score));
    }
    let mut bag = s::PropertyBag::builder()
        .additional_properties(properties)
        .build();
    bag.tags = Some(vec![
        "security".to_owned(),
        "vulnerability".to_owned(),
        vulnerability.severity.level.to_string(),
    ]);
    let builder = s::ReportingDescriptor::builder()
        .id(vulnerability.id.clone())
        .short_description(
            s::MultiformatMessageString::builder()
                .text(summary.chars().take(1024).collect::<String>())
                .build(),
        )
        .full_description(
            s::MultiformatMessageString::builder()
                .text(summary.chars().take(1024).collect::<String>())
                .build(),
        )
        .help(
            s::MultiformatMessageString::builder()
                .text(help.clone())
                .markdown(help)
                .build(),
        )
        .default_configuration(
            s::ReportingConfiguration::builder()
                .level(json!(level(vulnerability.severity.level)))
                .build(),
        )
        .properties(bag);
    match vulnerability.references.first() {
        Some(uri) => builder.help_uri(uri.clone()).build(),
        None => builder.build(),
    }
}

fn result(
    image: &ScannedImage,
    vulnerability: &Vulnerability,
    rule_index: usize,
    artifact_location: &impl Fn(&Path) -> s::ArtifactLocation,
    fingerprint_key: &str,
) -> s::Result {
    let package = &image.packages[vulnerability.package];
    let origin = image.origin(package);
    let (artifact, line) = match origin {
        Some(origin) => (artifact_location(&origin.path), origin.line),
        None => (artifact_location(Path::new(&image.reference)), 1),
    };
    let physical = s::PhysicalLocation::builder()
        .artifact_location(artifact)
        .region(s::Region::builder().start_line(line as i64).build())
        .build();
    let inside = s::LogicalLocation::builder()
        .name(package.name.clone())
        .fully_qualified_name(format!(
            "{}:{}",
            image.reference,
            package.evidence.first().map_or("", String::as_str)
        ))
        .kind("package")
        .build();
    let fix = match vulnerability.fix.version() {
        Some(version) => format!("Fixed in {version}."),
        None => format!("{}.", capitalised(vulnerability.fix.describe())),
    };
    let source = if vulnerability.matched_name != package.name
        || vulnerability.matched_version != package.version
    {
        format!(
            " (source {} {})",
            vulnerability.matched_name, vulnerability.matched_version
        )
    } else {
        String::new()
    };
    let message = format!(
        "{} {}{source} in image {} is affected by {} ({}). {fix}",
        package.name,
        package.version,
        image.reference,
        vulnerability.id,
        vulnerability.severity.level,
    );
    let layer = image.layer(package.layer);
    let mut properties = BTreeMap::from([
        ("image".to_owned(), json!(image.reference)),
        ("package".to_owned(), json!(package.name)),
        ("installedVersion".to_owned(), json!(package.version)),
        ("purl".to_owned(), json!(package.purl)),
        (
            "fixedVersion".to_owned(),
            json!(vulnerability.fix.version()),
        ),
        ("severity".to_owned(), json!(vulnerability.severity.level)),
        ("paths".to_owned(), json!(package.evidence)),
    ]);
    if let Some(layer) = layer {
        properties.insert("layerDigest".to_owned(), json!(layer.digest));
    }
    let mut result = s::Result::builder()
        .rule_id(vulnerability.id.clone())
        .rule_index(rule_index as i64)
        .level(match level(vulnerability.severity.level) {
            "error" => s::ResultLevel::Error,
            "warning" => s::ResultLevel::Warning,
            _ => s::ResultLevel::Note,
        })
        .message(s::Message::builder().text(message).build())
        .locations(vec![s::Location::builder()
            .physical_location(physical)
            .logical_locations(vec![inside])
            .build()])
        .partial_fingerprints(BTreeMap::from([(
            fingerprint_key.to_owned(),
            image.fingerprint(vulnerability),
        )]))
        .properties(
            s::PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build();
    if let Some(suppression) = &vulnerability.suppression {
        result.suppressions = Some(vec![s::Suppression::builder()
            .kind(json!("external"))
            .justification(justification(suppression))
            .build()]);
    }
    result
}

fn justification(suppression: &Suppression) -> String {
    match suppression {
        Suppression::Unfixed => "no fixed version (--ignore-unfixed)".to_owned(),
        Suppression::Ignored { source, reason } => match reason {
            Some(reason) => format!("{source}: {reason}"),
            None => source.clone(),
        },
        Suppression::Vex {
            source,
            status,
            justification,
        } => match justification {
            Some(why) => format!("VEX {status} ({why}) in {source}"),
            None => format!("VEX {status} in {source}"),
        },
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::report::fixture::{image_fixture, options};
    use crate::report::{render_to_string, Format};
    use serde_json::Value;

    fn sarif(report: &crate::finding::Report) -> Value {
        serde_json::from_str(&render_to_string(Format::Sarif, report, &options())).unwrap()
    }

    #[test]
    fn one_rule_per_id_and_one_result_per_package_on_the_dockerfile_line() {
        let log = sarif(&image_fixture());
        let run = &log["runs"][0];
        assert_eq!(run["automationDetails"]["id"], "portcullis/image/");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["CVE-2024-0001", "CVE-2024-0002", "CVE-2024-0003"]);
        assert_eq!(rules[0]["properties"]["security-severity"], "9.8");
        assert_eq!(rules[1]["properties"]["security-severity"], "5.5");
        assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");

        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        for result in results {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            assert!(result["partialFingerprints"]["portcullisFingerprint/v1"].is_string());
        }
        let critical = &results[0];
        let location = &critical["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "Dockerfile");
        assert_eq!(location["region"]["startLine"], 3);
        assert_eq!(critical["level"], "error");
        let message = critical["message"]["text"].as_str().unwrap();
        assert!(message.contains("libssl3 3.0.11-1~deb12u1"), "{message}");
        assert!(message.contains("Fixed in 3.0.13-1~deb12u1."), "{message}");
        // The base image's package sits on the FROM line.
        assert_eq!(
            results[1]["locations"][0]["physicalLocation"]["region"]["startLine"],
            1
        );
        assert_eq!(results[1]["level"], "warning");
        // Suppressed findings are shown as dismissed, with the reason.
        let suppression = &results[2]["suppressions"][0];
        assert_eq!(suppression["kind"], "external");
        assert_eq!(
            suppression["justification"],
            ".portcullis-ignore.toml:1: not reachable in this service"
        );
        assert!(results[0].get("suppressions").is_none());
    }

    #[test]
    fn without_a_dockerfile_results_sit_on_the_image_reference() {
        let mut report = image_fixture();
        report.images[0].layer_origins = vec![None, None];
        let log = sarif(&report);
        let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "registry.example.com/team/app%3A1.4"
        );
        assert_eq!(location["region"]["startLine"], 1);
        // The fingerprint does not depend on where the result is shown.
        let with_dockerfile = sarif(&image_fixture());
        assert_eq!(
            log["runs"][0]["results"][0]["partialFingerprints"],
            with_dockerfile["runs"][0]["results"][0]["partialFingerprints"]
        );
    }
}
