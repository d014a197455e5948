//! SARIF 2.1.0 for GitHub code scanning, Jenkins Warnings NG and other SARIF viewers.
//!
//! One SARIF run per engine run, each with its own `automationDetails.id`: GitHub rejects
//! uploads with two runs of the same tool and category. Every result has a physical location
//! with a region (GitHub drops the whole file otherwise), and every run has a `results` array,
//! even an empty one (upload-sarif refuses a run without).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path};

use serde_json::json;
use serde_sarif::sarif as s;

use super::sarif_vulnerabilities;
use super::source::SourceLines;
use super::summary;
use super::{RenderOptions, INFORMATION_URI, TOOL_NAME};
use crate::finding::{Engine, EngineRun, Finding, Report, Severity};
use crate::rules::Rule;

/// The errata01 schema, the one the OASIS standard points at.
pub(crate) const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// Relative paths are resolved against this base, which is where portcullis was run.
const SRCROOT: &str = "%SRCROOT%";
/// Key of our own fingerprint in `partialFingerprints`. GitHub computes its own
/// `primaryLocationLineHash` for files in the checkout.
const FINGERPRINT_KEY: &str = "portcullisFingerprint/v1";
/// GitHub shows at most this many characters of a rule description.
const DESCRIPTION_LIMIT: usize = 1024;

pub(crate) fn render(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let log = s::Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(
            report
                .runs
                .iter()
                .map(|run| sarif_run(report, run, options))
                .collect::<Vec<_>>(),
        )
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn sarif_run(report: &Report, run: &EngineRun, options: &RenderOptions) -> s::Run {
    let rules = run.rules();
    let mut results: Vec<s::Result> = summary::sorted(&run.findings)
        .into_iter()
        .map(|finding| result(run, &rules, finding))
        .collect();
    let mut descriptors: Vec<s::ReportingDescriptor> =
        rules.iter().map(|rule| descriptor(rule)).collect();
    if run.engine == Engine::Image {
        let (vulnerability_rules, vulnerability_results) = sarif_vulnerabilities::rules_and_results(
            &report.images,
            descriptors.len(),
            |path| artifact_location(path, None),
            FINGERPRINT_KEY,
        );
        descriptors.extend(vulnerability_rules);
        results.extend(vulnerability_results);
    }
    let artifacts: Vec<s::Artifact> = run
        .targets
        .iter()
        .map(|target| {
            s::Artifact::builder()
                .location(artifact_location(&target.path, None))
                .roles(vec![json!("analysisTarget")])
                .build()
        })
        .collect();
    let driver = s::ToolComponent::builder()
        .name(TOOL_NAME)
        .version(options.tool_version)
        .semantic_version(options.tool_version)
        .information_uri(INFORMATION_URI)
        .rules(descriptors)
        .build();
    let src_root = s::ArtifactLocation::builder()
        .description(text_message(
            "The directory portcullis was run in; relative paths are resolved against it.",
        ))
        .build();
    s::Run::builder()
        .tool(s::Tool::builder().driver(driver).build())
        .automation_details(
            s::RunAutomationDetails::builder()
                .id(run.engine.automation_id())
                .build(),
        )
        .column_kind(json!("unicodeCodePoints"))
        .original_uri_base_ids(BTreeMap::from([(SRCROOT.to_owned(), src_root)]))
        .artifacts(artifacts)
        .invocations(vec![invocation(report, run)])
        .results(results)
        .build()
}

/// A rule as GitHub and other viewers show it.
fn descriptor(rule: &Rule) -> s::ReportingDescriptor {
    let mut properties = BTreeMap::new();
    if !rule.aliases.is_empty() {
        properties.insert("aliases".to_owned(), json!(rule.aliases));
    }
    if let Some(score) = rule.security_severity() {
        properties.insert("security-severity".to_owned(), json!(score));
    }
    // GitHub's severity for non-security alerts (CodeQL writes it for every rule).
    let problem_severity = match rule.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "recommendation",
    };
    properties.insert("problem.severity".to_owned(), json!(problem_severity));
    let mut bag = s::PropertyBag::builder()
        .additional_properties(properties)
        .build();
    if !rule.tags.is_empty() {
        bag.tags = Some(rule.tags.iter().map(|t| t.to_string()).collect());
    }
    let full = full_description(rule);
    s::ReportingDescriptor::builder()
        .id(rule.code)
        .name(pascal_case(rule.name))
        .short_description(
            s::MultiformatMessageString::builder()
                .text(rule.summary)
                .build(),
        )
        .full_description(
            s::MultiformatMessageString::builder()
                .text(full.clone())
                .markdown(full)
                .build(),
        )
        .help(
            s::MultiformatMessageString::builder()
                .text(rule.help)
                .markdown(rule.help)
                .build(),
        )
        .help_uri(rule.help_uri())
        .default_configuration(
            s::ReportingConfiguration::builder()
                .level(json!(level(rule.severity)))
                .build(),
        )
        .properties(bag)
        .build()
}

fn result(run: &EngineRun, rules: &[&'static Rule], finding: &Finding) -> s::Result {
    let rule_index = rules
        .iter()
        .position(|rule| rule.code == finding.rule.code)
        .expect("EngineRun::rules includes the rules of its findings");
    let target_index = run
        .targets
        .iter()
        .position(|t| t.path == finding.location.path);

    let mut properties = BTreeMap::from([("severity".to_owned(), json!(finding.severity))]);
    let aliases = finding.effective_aliases();
    if !aliases.is_empty() {
        properties.insert("aliases".to_owned(), json!(aliases));
    }
    let physical = s::PhysicalLocation::builder()
        .artifact_location(artifact_location(&finding.location.path, target_index))
        .region(region(run, finding))
        .build();
    let mut location = s::Location::builder().physical_location(physical).build();
    if let Some(object) = &finding.object {
        // SARIF's own kind for things that are neither code nor data is `resource`; ours
        // (container, engine) travels in the properties.
        let logical = s::LogicalLocation::builder()
            .name(object.name.clone())
            .fully_qualified_name(object.uri.clone())
            .kind("resource")
            .properties(
                s::PropertyBag::builder()
                    .additional_properties(BTreeMap::from([(
                        "objectKind".to_owned(),
                        json!(object.kind),
                    )]))
                    .build(),
            )
            .build();
        location.logical_locations = Some(vec![logical]);
    }
    let mut result = s::Result::builder()
        .rule_id(finding.rule.code)
        .rule_index(rule_index as i64)
        .level(result_level(finding.severity))
        .message(text_message(&finding.message))
        .locations(vec![location])
        .properties(
            s::PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build();
    if !finding.fingerprint.is_empty() {
        result.partial_fingerprints = Some(BTreeMap::from([(
            FINGERPRINT_KEY.to_owned(),
            finding.fingerprint.clone(),
        )]));
    }
    result
}

/// The finding's region, or line 1 for findings about a whole file: GitHub needs a line to
/// show any alert.
fn region(run: &EngineRun, finding: &Finding) -> s::Region {
    let Some(r) = finding.location.region else {
        return s::Region::builder().start_line(1).build();
    };
    let mut region = s::Region::builder()
        .start_line(i64::from(r.start.line.max(1)))
        .start_column(i64::from(r.start.column.max(1)))
        .end_line(i64::from(r.end.line.max(r.start.line).max(1)))
        .end_column(i64::from(r.end.column.max(1)))
        .build();
    let source = run.source_of(&finding.location.path);
    if let Some(snippet) = source
        .as_deref()
        .and_then(|text| SourceLines::new(text).slice(&r).map(str::to_owned))
    {
        region.snippet = Some(s::ArtifactContent::builder().text(snippet).build());
    }
    region
}

fn invocation(report: &Report, run: &EngineRun) -> s::Invocation {
    let mut notifications: Vec<s::Notification> = report
        .errors
        .iter()
        .map(|error| error_notification(error, None))
        .collect();
    notifications.extend(run.targets.iter().filter_map(|target| {
        let error = target.error.as_ref()?;
        let message = format!("could not analyse {}: {error}", target.path.display());
        Some(error_notification(&message, Some(&target.path)))
    }));
    let mut invocation = s::Invocation::builder()
        .execution_successful(report.exit_code != 2)
        .exit_code(i64::from(report.exit_code))
        .build();
    if !report.command_line.is_empty() {
        invocation.command_line = Some(report.command_line.clone());
    }
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }
    invocation
}

fn error_notification(message: &str, path: Option<&Path>) -> s::Notification {
    let mut notification = s::Notification::builder()
        .level(json!("error"))
        .message(text_message(message))
        .build();
    if let Some(path) = path {
        let physical = s::PhysicalLocation::builder()
            .artifact_location(artifact_location(path, None))
            .build();
        notification.locations = Some(vec![s::Location::builder()
            .physical_location(physical)
            .build()]);
    }
    notification
}

fn text_message(text: &str) -> s::Message {
    s::Message::builder().text(text).build()
}

fn artifact_location(path: &Path, index: Option<usize>) -> s::ArtifactLocation {
    let (uri, relative) = match path.to_str().filter(|p| is_object_uri(p)) {
        // A live object (`docker://host/containers/web`) is already a URI.
        Some(uri) => (uri.to_owned(), false),
        None => path_to_uri(path),
    };
    let mut location = s::ArtifactLocation::builder().uri(uri).build();
    if relative {
        location.uri_base_id = Some(SRCROOT.to_owned());
    }
    location.index = index.map(|i| i as i64);
    location
}

/// Whether `path` is the URI of a live object rather than a file path.
fn is_object_uri(path: &str) -> bool {
    ["docker://", "podman://"]
        .iter()
        .any(|scheme| path.starts_with(scheme))
}

/// A URI reference for `path`: relative paths stay relative (and are flagged so), absolute
/// ones become `file:` URIs. Segments are percent-encoded; separators become `/`.
fn path_to_uri(path: &Path) -> (String, bool) {
    let mut segments = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::Prefix(prefix) => {
                absolute = true;
                // A Windows drive (`C:`) keeps its colon, as in `file:///C:/...`.
                segments.push(prefix.as_os_str().to_string_lossy().replace('\\', "/"));
            }
            Component::RootDir => absolute = true,
            Component::CurDir => {}
            Component::ParentDir => segments.push("..".to_owned()),
            Component::Normal(part) => segments.push(percent_encode(&part.to_string_lossy())),
        }
    }
    let joined = segments.join("/");
    if absolute {
        (format!("file:///{joined}"), false)
    } else {
        (joined, true)
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters and the sub-delimiters that
/// are safe in a path segment. `:` is encoded so that a first segment never looks like a scheme.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

fn result_level(severity: Severity) -> s::ResultLevel {
    match severity {
        Severity::Error => s::ResultLevel::Error,
        Severity::Warning => s::ResultLevel::Warning,
        Severity::Info | Severity::Style => s::ResultLevel::Note,
    }
}

/// SARIF suggests PascalCase rule names; GitHub shows them in its rule filter.
fn pascal_case(kebab: &str) -> String {
    kebab
        .split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// The help's "What it catches" section, else the summary, within GitHub's limit.
fn full_description(rule: &Rule) -> String {
    let section = rule
        .help
        .split_once("## What it catches")
        .map(|(_, rest)| rest.split("\n## ").next().unwrap_or(rest).trim())
        .filter(|text| !text.is_empty())
        .unwrap_or(rule.summary);
    section.chars().take(DESCRIPTION_LIMIT).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{
        clean_fixture, empty_fixture, image_fixture, options, runtime_fixture,
    };
    use crate::report::{render_to_string, test_fixture, Format};
    use crate::test_support::{json_schema_errors, shared_file};

    use serde_json::Value;

    const SCHEMA: &str = "schemas/sarif/sarif-schema-2.1.0.json";

    fn to_value(report: &Report) -> Value {
        serde_json::from_str(&render_to_string(Format::Sarif, report, &options()))
            .expect("valid JSON")
    }

    fn all_fixtures() -> [Report; 5] {
        [
            test_fixture(),
            clean_fixture(),
            empty_fixture(),
            image_fixture(),
            runtime_fixture(),
        ]
    }

    #[test]
    fn snapshot_of_the_fixture() {
        insta::assert_snapshot!(render_to_string(Format::Sarif, &test_fixture(), &options()));
    }

    #[test]
    fn snapshot_of_a_runtime_run() {
        insta::assert_snapshot!(render_to_string(
            Format::Sarif,
            &runtime_fixture(),
            &options()
        ));
    }

    #[test]
    fn live_objects_are_logical_locations_and_their_uris_stay_as_they_are() {
        let log = to_value(&runtime_fixture());
        let run = &log["runs"][0];
        assert_eq!(run["automationDetails"]["id"], "portcullis/runtime/");
        let results = run["results"].as_array().unwrap();
        let on_compose = &results[0]["locations"][0];
        assert_eq!(
            on_compose["physicalLocation"]["artifactLocation"]["uri"],
            "compose.yaml"
        );
        assert_eq!(
            on_compose["logicalLocations"][0]["fullyQualifiedName"],
            "docker://build-host/containers/shop-web-1"
        );
        // Sorted by path: the engine (`docker://build-host`) comes before its containers.
        let live = &results[2]["locations"][0];
        let artifact = &live["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "docker://build-host/containers/db");
        assert!(
            artifact.get("uriBaseId").is_none(),
            "not a file of the checkout"
        );
        assert_eq!(live["logicalLocations"][0]["name"], "db");
        assert_eq!(live["logicalLocations"][0]["kind"], "resource");
        assert_eq!(
            live["logicalLocations"][0]["properties"]["objectKind"],
            "container"
        );
    }

    #[test]
    fn output_validates_against_the_oasis_schema() {
        let Some(schema) = shared_file(SCHEMA) else {
            return;
        };
        for report in all_fixtures() {
            let errors = json_schema_errors(&schema, &to_value(&report));
            assert!(errors.is_empty(), "{errors:#?}");
        }
    }

    #[test]
    fn the_schema_check_catches_a_broken_log() {
        let Some(schema) = shared_file(SCHEMA) else {
            return;
        };
        let mut log = to_value(&test_fixture());
        log["runs"][0]["results"][0]
            .as_object_mut()
            .unwrap()
            .remove("message");
        assert!(!json_schema_errors(&schema, &log).is_empty());
    }

    /// What the schema cannot express but GitHub and Jenkins rely on.
    #[test]
    fn github_invariants_hold() {
        for report in all_fixtures() {
            let log = to_value(&report);
            assert_eq!(log["$schema"], SCHEMA_URI);
            assert_eq!(log["version"], "2.1.0");
            let runs = log["runs"].as_array().unwrap();
            assert_eq!(runs.len(), report.runs.len());
            let mut categories = std::collections::HashSet::new();
            for run in runs {
                assert!(categories.insert(run["automationDetails"]["id"].to_string()));
                let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
                for rule in rules {
                    for key in ["shortDescription", "fullDescription", "help"] {
                        assert!(!rule[key]["text"].as_str().unwrap().is_empty(), "{key}");
                    }
                }
                let results = run["results"]
                    .as_array()
                    .expect("every run has a results array, even when empty");
                for result in results {
                    let index = result["ruleIndex"].as_u64().unwrap() as usize;
                    assert_eq!(rules[index]["id"], result["ruleId"], "ruleIndex mismatch");
                    assert!(!result["message"]["text"].as_str().unwrap().is_empty());
                    assert!(result["level"].is_string());
                    let physical = &result["locations"][0]["physicalLocation"];
                    assert!(physical["artifactLocation"]["uri"].is_string());
                    let base = &physical["artifactLocation"]["uriBaseId"];
                    if let Some(base) = base.as_str() {
                        assert!(
                            run["originalUriBaseIds"][base].is_object(),
                            "undeclared {base}"
                        );
                    }
                    assert!(physical["region"]["startLine"].as_u64().unwrap() >= 1);
                }
            }
        }
    }

    #[test]
    fn a_clean_run_still_has_results_and_rules() {
        let log = to_value(&clean_fixture());
        assert_eq!(log["runs"][0]["results"], json!([]));
        assert_eq!(
            log["runs"][0]["tool"]["driver"]["rules"]
                .as_array()
                .unwrap()
                .len(),
            5
        );
        assert_eq!(
            log["runs"][0]["invocations"][0]["executionSuccessful"],
            true
        );
        let log = to_value(&empty_fixture());
        assert_eq!(log["runs"][0]["results"], json!([]));
    }

    #[test]
    fn results_carry_snippets_levels_and_fingerprints() {
        let log = to_value(&test_fixture());
        let results = log["runs"][0]["results"].as_array().unwrap();
        let by_rule = |code: &str| results.iter().find(|r| r["ruleId"] == code).unwrap();
        let secret = by_rule("PC2001");
        // The policy lowered this one from the rule's default `error`.
        assert_eq!(secret["level"], "warning");
        let region = &secret["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["snippet"]["text"], "API_TOKEN=s3cr3t");
        assert_eq!(region["startColumn"], 24);
        let cache = &by_rule("PC4001")["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            cache["snippet"]["text"],
            "apt-get update && \\\n    apt-get install -y curl"
        );
        let file_level = by_rule("PC4002");
        assert_eq!(file_level["level"], "note");
        assert_eq!(
            file_level["locations"][0]["physicalLocation"]["region"],
            json!({"startLine": 1})
        );
        assert!(secret["partialFingerprints"][FINGERPRINT_KEY].is_string());
    }

    #[test]
    fn security_rules_carry_a_security_severity() {
        let log = to_value(&test_fixture());
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        for rule in rules {
            let security = rule["properties"]["tags"]
                .as_array()
                .is_some_and(|tags| tags.contains(&json!("security")));
            assert_eq!(
                rule["properties"]["security-severity"].is_string(),
                security,
                "{}",
                rule["id"]
            );
        }
        assert_eq!(rules[0]["name"], "RootUser");
        assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
    }

    #[test]
    fn errors_become_notifications() {
        let log = to_value(&test_fixture());
        let invocation = &log["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert_eq!(invocation["exitCode"], 2);
        let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
        assert_eq!(notifications.len(), 2);
        assert!(notifications.iter().all(|n| n["level"] == "error"));
        assert_eq!(
            notifications[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "broken%20dir/Dockerfile.dev"
        );
    }

    #[test]
    fn paths_become_uri_references() {
        let uri = |p: &str| path_to_uri(Path::new(p));
        assert_eq!(uri("Dockerfile"), ("Dockerfile".into(), true));
        assert_eq!(
            uri("./docker/Dockerfile"),
            ("docker/Dockerfile".into(), true)
        );
        assert_eq!(
            uri("a b/#1?/Dockerfile"),
            ("a%20b/%231%3F/Dockerfile".into(), true)
        );
        assert_eq!(uri("dé/x:y"), ("d%C3%A9/x%3Ay".into(), true));
        assert_eq!(uri("../up"), ("../up".into(), true));
        assert_eq!(
            uri("/abs/Dockerfile"),
            ("file:///abs/Dockerfile".into(), false)
        );
        assert_eq!(uri("-"), ("-".into(), true));
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("root-user"), "RootUser");
        assert_eq!(
            pascal_case("secret-value-in-arg-env"),
            "SecretValueInArgEnv"
        );
    }
}
