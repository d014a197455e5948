//! GitLab's container-scanning report (schema 15.2.1): what the merge request security widget
//! and the vulnerability report read from `artifacts:reports:container_scanning`.
//!
//! One entry per reported (vulnerability, package, image). Entry ids are stable UUID-shaped
//! hashes of our fingerprint and the image, so GitLab tracks the same finding across pipelines.

use std::io::{self, Write};
use std::time::SystemTime;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{RenderOptions, INFORMATION_URI, TOOL_NAME};
use crate::finding::Report;
use crate::image::scanned::ScannedImage;
use crate::timestamp::utc_seconds;
use crate::vuln::severity::Level;
use crate::vuln::vulnerability::{Fix, Vulnerability};

/// The schema version the report declares and is validated against.
pub(crate) const SCHEMA_VERSION: &str = "15.2.1";

pub(crate) fn render(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let now = SystemTime::now();
    let tool = json!({
        "id": TOOL_NAME,
        "name": "Portcullis",
        "url": INFORMATION_URI,
        "version": options.tool_version,
        "vendor": {"name": "Portcullis"},
    });
    let messages: Vec<Value> = report
        .errors
        .iter()
        .chain(report.images.iter().flat_map(|i| i.problems.iter()))
        .map(|text| json!({"level": "warn", "value": text}))
        .collect();
    let vulnerabilities: Vec<Value> = report
        .images
        .iter()
        .flat_map(|image| {
            image
                .reported_vulnerabilities()
                .map(move |v| entry(image, v))
        })
        .collect();
    let document = json!({
        "version": SCHEMA_VERSION,
        "scan": {
            "analyzer": tool,
            "scanner": tool,
            "type": "container_scanning",
            "start_time": utc_seconds(report.started_at.unwrap_or(now)),
            "end_time": utc_seconds(now),
            "status": if report.exit_code == 2 { "failure" } else { "success" },
            "messages": messages,
        },
        "vulnerabilities": vulnerabilities,
        "remediations": [],
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn entry(image: &ScannedImage, vulnerability: &Vulnerability) -> Value {
    let package = &image.packages[vulnerability.package];
    let mut identifiers = vec![identifier(&vulnerability.id)];
    identifiers.extend(vulnerability.aliases.iter().map(|id| identifier(id)));
    let operating_system = image
        .distro
        .as_ref()
        .map(|d| match &d.version_id {
            Some(version) => format!("{} {version}", d.id),
            None => d.id.clone(),
        })
        .unwrap_or_else(|| image.os.clone());
    let name = vulnerability
        .summary
        .clone()
        .unwrap_or_else(|| vulnerability.id.clone());
    let mut description = format!(
        "{} {} is affected by {}.",
        package.name, package.version, vulnerability.id
    );
    if let Some(origin) = image.origin(package) {
        description.push_str(&format!(
            " Installed by {}:{}.",
            origin.path.display(),
            origin.line
        ));
    }
    let mut entry = json!({
        "id": entry_id(image, vulnerability),
        "name": name.chars().take(255).collect::<String>(),
        "description": description,
        "severity": severity(vulnerability.severity.level),
        "solution": solution(vulnerability, &package.name),
        "identifiers": identifiers,
        "links": vulnerability.references.iter()
            .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
            .map(|url| json!({"url": url}))
            .collect::<Vec<_>>(),
        "location": {
            "dependency": {
                "package": {"name": package.name},
                "version": package.version,
            },
            "operating_system": operating_system,
            "image": image.reference,
        },
    });
    if let Some(vector) = &vulnerability.severity.vector {
        // The schema accepts CVSS v2 and v3 vectors only.
        if vector.starts_with("CVSS:3") || vector.starts_with("AV:") {
            entry["cvss_vectors"] = json!([{"vendor": "OSV", "vector": vector}]);
        }
    }
    entry
}

fn identifier(id: &str) -> Value {
    let kind = id
        .split(['-', '_'])
        .next()
        .filter(|prefix| !prefix.is_empty())
        .unwrap_or("osv")
        .to_ascii_lowercase();
    json!({
        "type": kind,
        "name": id,
        "value": id,
        "url": format!("https://osv.dev/vulnerability/{id}"),
    })
}

fn severity(level: Level) -> &'static str {
    match level {
        Level::Critical => "Critical",
        Level::High => "High",
        Level::Medium => "Medium",
        Level::Low => "Low",
        Level::Negligible => "Info",
        Level::Unknown => "Unknown",
    }
}

fn solution(vulnerability: &Vulnerability, package: &str) -> String {
    match &vulnerability.fix {
        Fix::Fixed { version } => format!("Upgrade {package} to {version} or later."),
        Fix::NotFixed => "No fixed version is available yet.".to_owned(),
        Fix::WontFix => {
            "The distribution will not fix this; consider removing the package.".to_owned()
        }
    }
}

/// A UUID-shaped id derived from the finding's fingerprint and the image.
fn entry_id(image: &ScannedImage, vulnerability: &Vulnerability) -> String {
    let digest = Sha256::new()
        .chain_update(image.fingerprint(vulnerability))
        .chain_update([0])
        .chain_update(&image.reference)
        .finalize();
    let hex = crate::hex::encode(&digest[..16]);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use crate::report::fixture::{image_fixture, options, test_fixture};
    use crate::report::{render_to_string, Format};
    use crate::test_support::{json_schema_errors, shared_file};
    use serde_json::Value;

    const SCHEMA: &str =
        "schemas/gitlab/security-report-schemas-15.2.1/container-scanning-report-format.json";

    fn report(fixture: &crate::finding::Report) -> Value {
        serde_json::from_str(&render_to_string(
            Format::GitlabContainerScanning,
            fixture,
            &options(),
        ))
        .unwrap()
    }

    #[test]
    fn validates_against_gitlabs_schema() {
        let Some(schema) = shared_file(SCHEMA) else {
            return;
        };
        for fixture in [image_fixture(), test_fixture()] {
            let errors = json_schema_errors(&schema, &report(&fixture));
            assert!(errors.is_empty(), "{errors:#?}");
        }
        // The check bites: a severity GitLab does not know is rejected.
        let mut broken = report(&image_fixture());
        broken["vulnerabilities"][0]["severity"] = "Severe".into();
        assert!(!json_schema_errors(&schema, &broken).is_empty());
    }

    #[test]
    fn lists_reported_vulnerabilities_with_identifiers_and_solution() {
        let document = report(&image_fixture());
        assert_eq!(document["scan"]["type"], "container_scanning");
        let entries = document["vulnerabilities"].as_array().unwrap();
        assert_eq!(entries.len(), 2, "the suppressed one is left out");
        let critical = &entries[0];
        assert_eq!(critical["severity"], "Critical");
        assert_eq!(critical["identifiers"][0]["type"], "cve");
        assert_eq!(critical["identifiers"][0]["value"], "CVE-2024-0001");
        assert_eq!(critical["identifiers"][1]["value"], "DEBIAN-CVE-2024-0001");
        assert_eq!(
            critical["location"]["dependency"]["package"]["name"],
            "libssl3"
        );
        assert_eq!(critical["location"]["operating_system"], "debian 12");
        assert_eq!(
            critical["solution"],
            "Upgrade libssl3 to 3.0.13-1~deb12u1 or later."
        );
        assert!(critical["description"]
            .as_str()
            .unwrap()
            .contains("Installed by Dockerfile:3."));
        let id = critical["id"].as_str().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(
            id,
            report(&image_fixture())["vulnerabilities"][0]["id"],
            "stable ids"
        );
        assert_eq!(entries[1]["severity"], "Medium");
    }
}
