//! Our own machine interface, described in `docs/json-format.md` and
//! `docs/schemas/portcullis-report.schema.json`.
//!
//! The shape is declared here rather than derived from the data model, so that refactoring
//! `finding.rs` cannot silently change a versioned format. Within one `version`, fields are
//! only ever added.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use super::summary::{self, Counts};
use super::{RenderOptions, TOOL_NAME};
use crate::finding::{EngineRun, Finding, LiveObject, Position, Report, Severity, Target};
use crate::image::catalog::Distro;
use crate::image::scanned::{DockerfileLine, ScannedImage};
use crate::vuln::severity::Rating;
use crate::vuln::triage::Suppression;
use crate::vuln::vulnerability::{Fix, Vulnerability};

/// Bumped only for changes that can break a consumer (removing or retyping a field).
pub(crate) const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool<'a>,
    exit_code: i32,
    failure_threshold: Option<Severity>,
    errors: &'a [String],
    runs: Vec<Run<'a>>,
    /// Scanned images and their inventories; absent when nothing was scanned (`lint`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    images: Vec<JsonImage<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonImage<'a> {
    reference: &'a str,
    manifest_digest: Option<&'a str>,
    config_digest: Option<&'a str>,
    os: &'a str,
    architecture: &'a str,
    distro: Option<&'a Distro>,
    layers: Vec<JsonLayer<'a>>,
    packages: Vec<JsonPackage<'a>>,
    problems: &'a [String],
    /// Absent when vulnerability matching did not run (`--no-vulns`, or no database).
    #[serde(skip_serializing_if = "Option::is_none")]
    vulnerabilities: Option<Vec<JsonVulnerability<'a>>>,
    /// Suppressed vulnerabilities not listed (see `--show-suppressed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<usize>,
}

#[derive(Serialize)]
struct JsonVulnerability<'a> {
    id: &'a str,
    aliases: &'a [String],
    advisories: &'a [String],
    /// Index into `packages`.
    package: usize,
    package_name: &'a str,
    package_version: &'a str,
    purl: &'a str,
    ecosystem: &'a str,
    matched_name: &'a str,
    matched_version: &'a str,
    severity: &'a Rating,
    fix: &'a Fix,
    summary: Option<&'a str>,
    references: &'a [String],
    published: Option<&'a str>,
    layer: Option<usize>,
    layer_digest: Option<&'a str>,
    dockerfile: Option<&'a DockerfileLine>,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<&'a Suppression>,
}

#[derive(Serialize)]
struct JsonLayer<'a> {
    index: usize,
    digest: &'a str,
    diff_id: Option<&'a str>,
    media_type: &'a str,
    size: u64,
    created_by: Option<&'a str>,
    dockerfile: Option<&'a DockerfileLine>,
}

#[derive(Serialize)]
struct JsonPackage<'a> {
    name: &'a str,
    version: &'a str,
    source_name: Option<&'a str>,
    source_version: Option<&'a str>,
    ecosystem: &'static str,
    purl: &'a str,
    arch: Option<&'a str>,
    layer: Option<usize>,
    layer_digest: Option<&'a str>,
    dockerfile: Option<&'a DockerfileLine>,
    evidence: &'a [String],
    cataloger: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Run<'a> {
    engine: &'static str,
    targets: Vec<JsonTarget<'a>>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    path: Cow<'a, str>,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: RuleRef,
    severity: Severity,
    message: &'a str,
    path: Cow<'a, str>,
    region: Option<JsonRegion>,
    aliases: &'a [&'static str],
    tags: &'static [&'static str],
    fingerprint: &'a str,
    /// The live container or engine the finding is about (runtime checks of an engine).
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a LiveObject>,
}

#[derive(Serialize)]
struct RuleRef {
    code: &'static str,
    name: &'static str,
    help_uri: String,
}

#[derive(Serialize)]
struct JsonRegion {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct Summary {
    total: usize,
    by_severity: BySeverity,
    targets: usize,
}

#[derive(Serialize)]
struct BySeverity {
    error: usize,
    warning: usize,
    info: usize,
    style: usize,
}

pub(crate) fn render(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let document = JsonReport {
        version: FORMAT_VERSION,
        tool: Tool {
            name: TOOL_NAME,
            version: options.tool_version,
        },
        exit_code: report.exit_code,
        failure_threshold: report.failure_threshold,
        errors: &report.errors,
        runs: report.runs.iter().map(run).collect(),
        images: report.images.iter().map(image).collect(),
        summary: summarize(report),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn image(image: &ScannedImage) -> JsonImage<'_> {
    JsonImage {
        reference: &image.reference,
        manifest_digest: image.manifest_digest.as_deref(),
        config_digest: image.config_digest.as_deref(),
        os: &image.os,
        architecture: &image.architecture,
        distro: image.distro.as_ref(),
        layers: image
            .layers
            .iter()
            .zip(&image.layer_origins)
            .map(|(layer, origin)| JsonLayer {
                index: layer.index,
                digest: &layer.digest,
                diff_id: layer.diff_id.as_deref(),
                media_type: &layer.media_type,
                size: layer.size,
                created_by: layer.created_by.as_deref(),
                dockerfile: origin.as_ref(),
            })
            .collect(),
        packages: image
            .packages
            .iter()
            .map(|p| JsonPackage {
                name: &p.name,
                version: &p.version,
                source_name: p.source_name.as_deref(),
                source_version: p.source_version.as_deref(),
                ecosystem: p.ecosystem.as_str(),
                purl: &p.purl,
                arch: p.arch.as_deref(),
                layer: p.layer,
                layer_digest: image.layer(p.layer).map(|l| l.digest.as_str()),
                dockerfile: image.origin(p),
                evidence: &p.evidence,
                cataloger: p.cataloger,
            })
            .collect(),
        problems: &image.problems,
        vulnerabilities: image
            .vulnerabilities
            .as_ref()
            .map(|all| all.iter().map(|v| vulnerability(image, v)).collect()),
        suppressed: image
            .vulnerabilities
            .as_ref()
            .map(|_| image.suppressed_hidden),
    }
}

fn vulnerability<'a>(image: &'a ScannedImage, v: &'a Vulnerability) -> JsonVulnerability<'a> {
    let package = &image.packages[v.package];
    JsonVulnerability {
        id: &v.id,
        aliases: &v.aliases,
        advisories: &v.advisories,
        package: v.package,
        package_name: &package.name,
        package_version: &package.version,
        purl: &package.purl,
        ecosystem: &v.ecosystem,
        matched_name: &v.matched_name,
        matched_version: &v.matched_version,
        severity: &v.severity,
        fix: &v.fix,
        summary: v.summary.as_deref(),
        references: &v.references,
        published: v.published.as_deref(),
        layer: package.layer,
        layer_digest: image.layer(package.layer).map(|l| l.digest.as_str()),
        dockerfile: image.origin(package),
        fingerprint: image.fingerprint(v),
        suppression: v.suppression.as_ref(),
    }
}

fn run(run: &EngineRun) -> Run<'_> {
    Run {
        engine: run.engine.as_str(),
        targets: run.targets.iter().map(target).collect(),
        findings: summary::sorted(&run.findings)
            .into_iter()
            .map(finding)
            .collect(),
    }
}

fn target(target: &Target) -> JsonTarget<'_> {
    JsonTarget {
        path: target.path.to_string_lossy(),
        error: target.error.as_deref(),
    }
}

fn finding(finding: &Finding) -> JsonFinding<'_> {
    let position = |p: Position| JsonPosition {
        line: p.line,
        column: p.column,
    };
    JsonFinding {
        rule: RuleRef {
            code: finding.rule.code,
            name: finding.rule.name,
            help_uri: finding.rule.help_uri(),
        },
        severity: finding.severity,
        message: &finding.message,
        path: finding.location.path.to_string_lossy(),
        region: finding.location.region.map(|r| JsonRegion {
            start: position(r.start),
            end: position(r.end),
        }),
        aliases: finding.effective_aliases(),
        tags: finding.rule.tags,
        fingerprint: &finding.fingerprint,
        object: finding.object.as_ref(),
    }
}

fn summarize(report: &Report) -> Summary {
    let counts = Counts::of(report.findings());
    Summary {
        total: counts.total(),
        by_severity: BySeverity {
            error: counts.get(Severity::Error),
            warning: counts.get(Severity::Warning),
            info: counts.get(Severity::Info),
            style: counts.get(Severity::Style),
        },
        targets: summary::target_paths(report).len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{all_fixtures, image_fixture, options, runtime_fixture};
    use crate::report::{render_to_string, test_fixture, Format};
    use crate::test_support::json_schema_errors;
    use serde_json::Value;
    use std::path::Path;

    fn json(report: &Report) -> Value {
        serde_json::from_str(&render_to_string(Format::Json, report, &options()))
            .expect("valid JSON")
    }

    fn schema_path() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schemas/portcullis-report.schema.json")
    }

    #[test]
    fn snapshot_of_the_fixture() {
        insta::assert_snapshot!(render_to_string(Format::Json, &test_fixture(), &options()));
    }

    #[test]
    fn snapshot_of_a_runtime_run() {
        insta::assert_snapshot!(render_to_string(
            Format::Json,
            &runtime_fixture(),
            &options()
        ));
    }

    #[test]
    fn output_validates_against_our_schema() {
        for report in all_fixtures() {
            let errors = json_schema_errors(&schema_path(), &json(&report));
            assert!(errors.is_empty(), "{errors:#?}");
        }
    }

    #[test]
    fn the_schema_rejects_what_it_should() {
        let mut document = json(&test_fixture());
        document["runs"][0]["findings"][0]["severity"] = "fatal".into();
        document["surprise"] = true.into();
        document["runs"][0]["findings"][1]
            .as_object_mut()
            .unwrap()
            .remove("fingerprint");
        let errors = json_schema_errors(&schema_path(), &document);
        assert_eq!(errors.len(), 3, "{errors:#?}");
    }

    #[test]
    fn the_schema_version_matches_the_format_version() {
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(schema_path()).unwrap()).unwrap();
        assert_eq!(schema["properties"]["version"]["const"], FORMAT_VERSION);
    }

    #[test]
    fn summary_counts_the_findings() {
        let document = json(&test_fixture());
        assert_eq!(document["summary"]["total"], 4);
        assert_eq!(document["summary"]["by_severity"]["warning"], 2);
        assert_eq!(document["summary"]["targets"], 3);
        let findings = document["runs"][0]["findings"].as_array().unwrap();
        assert!(findings.iter().any(|f| f["region"].is_null()));
        // A finding that names one upstream id reports only that one.
        let cache = findings
            .iter()
            .find(|f| f["rule"]["code"] == "PC4001")
            .unwrap();
        assert_eq!(cache["aliases"], serde_json::json!(["DL3009"]));
    }

    #[test]
    fn vulnerabilities_carry_package_layer_and_dockerfile_line() {
        let document = json(&image_fixture());
        let image = &document["images"][0];
        assert_eq!(image["suppressed"], 0);
        let vulnerabilities = image["vulnerabilities"].as_array().unwrap();
        assert_eq!(vulnerabilities.len(), 3);
        let critical = &vulnerabilities[0];
        assert_eq!(critical["id"], "CVE-2024-0001");
        assert_eq!(critical["package_name"], "libssl3");
        assert_eq!(
            critical["fix"],
            serde_json::json!({"state": "fixed", "version": "3.0.13-1~deb12u1"})
        );
        assert_eq!(critical["severity"]["score"], 9.8);
        assert_eq!(critical["dockerfile"]["line"], 3);
        assert_eq!(
            critical["layer_digest"],
            format!("sha256:{}", "b".repeat(64))
        );
        assert_eq!(
            vulnerabilities[1]["fix"],
            serde_json::json!({"state": "not_fixed"})
        );
        assert_eq!(vulnerabilities[2]["suppression"]["kind"], "ignored");
        // Without matching, the section is absent rather than empty.
        let mut unmatched = image_fixture();
        unmatched.images[0].vulnerabilities = None;
        assert!(json(&unmatched)["images"][0]
            .get("vulnerabilities")
            .is_none());
    }
}
