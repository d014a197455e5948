//! SARIF 2.1.0 for GitHub code scanning, Jenkins Warnings NG and other SARIF viewers.
//!
//! One SARIF run per engine run, each with its own `automationDetails.id`: GitHub rejects
//! uploads with two runs of the same tool and category. Every result has a physical location
//! with a region (GitHub drops the whole file otherwise), and every run has a `results` array,
//! even an empty one (upload-sarif refuses a run without).
//!
//! Every result also carries GitHub's `primaryLocationLineHash`, computed here as upload-sarif
//! computes it (see [`line_hashes`]): upload-sarif only fills it in for files of the checkout,
//! and uploads through the REST API get none, which duplicates alerts.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Component, Path};
use std::sync::Arc;

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
/// Key of our own fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "portcullisFingerprint/v1";
/// The only fingerprint GitHub code scanning reads.
const LINE_HASH_KEY: &str = "primaryLocationLineHash";
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
    add_line_hashes(report, &mut results);
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

/// Sets `primaryLocationLineHash` on every result. In a file whose text the report holds it is
/// the hash of the result's first line, as upload-sarif would compute it from the checkout, so
/// that the two agree (upload-sarif keeps a value that is there and warns when its own
/// differs). Anything else (an image reference, a live object, a Dockerfile the report has
/// not read) gets a value made from our fingerprint, which is stable across runs.
fn add_line_hashes(report: &Report, results: &mut [s::Result]) {
    let texts: HashMap<String, &Arc<str>> = report
        .runs
        .iter()
        .flat_map(|run| &run.targets)
        .filter_map(|t| Some((artifact_location(&t.path, None).uri?, t.source.as_ref()?)))
        .collect();
    let mut hashed: HashMap<String, Vec<String>> = HashMap::new();
    for result in results {
        let physical = result
            .locations
            .iter()
            .flatten()
            .next()
            .and_then(|l| l.physical_location.as_ref());
        let uri = physical.and_then(|p| p.artifact_location.as_ref()?.uri.clone());
        let line = physical
            .and_then(|p| p.region.as_ref()?.start_line)
            .unwrap_or(1);
        let from_text = uri.and_then(|uri| {
            let text = texts.get(&uri)?;
            let hashes = hashed.entry(uri).or_insert_with(|| line_hashes(text));
            let index = usize::try_from(line).ok()?.checked_sub(1)?;
            hashes.get(index).cloned()
        });
        let fingerprints = result
            .partial_fingerprints
            .get_or_insert_with(BTreeMap::new);
        let value = from_text.or_else(|| {
            let ours = fingerprints.get(FINGERPRINT_KEY)?;
            Some(format!("{}:1", ours.get(..16).unwrap_or(ours)))
        });
        match value {
            Some(value) => {
                fingerprints.insert(LINE_HASH_KEY.to_owned(), value);
            }
            None if fingerprints.is_empty() => result.partial_fingerprints = None,
            None => {}
        }
    }
}

/// GitHub's `primaryLocationLineHash` of every line of `text` (index 0 is line 1), the way
/// github/codeql-action's `fingerprints.ts` computes it: a base-37 polynomial hash, wrapping
/// at 64 bits, of the 100 characters (UTF-16 code units) that start at the line, counting on
/// into the following lines and past the end (an end marker, then zeros), with spaces and
/// tabs skipped and `\r\n` and `\r` read as `\n`; written in hex with `:N` when the same hash
/// came N-1 times earlier in the file. A file ending in a newline has one more, empty, line.
fn line_hashes(text: &str) -> Vec<String> {
    const WINDOW: usize = 100;
    const END: u64 = 0xFFFF;
    let base: u64 = 37;
    let outgoing = base.wrapping_pow(WINDOW as u32);
    let mut window = [0u64; WINDOW];
    // Whether the character in each slot starts a line: its hash is due when the slot is
    // about to be overwritten, with exactly the 100 characters from there in the window.
    let mut starts_line = [false; WINDOW];
    let mut slot = 0;
    let mut hash = 0u64;
    let mut line_start = true;
    let mut after_cr = false;
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut hashes = Vec::new();
    let mut emit = |hash: u64, hashes: &mut Vec<String>| {
        let n = seen.entry(hash).or_default();
        *n += 1;
        hashes.push(format!("{hash:x}:{n}"));
    };
    let mut push = |c: u64, slot: &mut usize, hash: &mut u64| {
        *hash = hash
            .wrapping_mul(base)
            .wrapping_add(c)
            .wrapping_sub(outgoing.wrapping_mul(window[*slot]));
        window[*slot] = c;
        *slot = (*slot + 1) % WINDOW;
    };
    let units = text.encode_utf16().map(u64::from).chain([END]);
    for unit in units {
        if unit == u64::from(b' ')
            || unit == u64::from(b'\t')
            || (after_cr && unit == u64::from(b'\n'))
        {
            after_cr = false;
            continue;
        }
        after_cr = unit == u64::from(b'\r');
        let c = if after_cr { u64::from(b'\n') } else { unit };
        if starts_line[slot] {
            emit(hash, &mut hashes);
            starts_line[slot] = false;
        }
        if line_start {
            starts_line[slot] = true;
        }
        line_start = c == u64::from(b'\n');
        push(c, &mut slot, &mut hash);
    }
    for _ in 0..WINDOW {
        if starts_line[slot] {
            emit(hash, &mut hashes);
            starts_line[slot] = false;
        }
        push(0, &mut slot, &mut hash);
    }
    hashes
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
        all_fixtures, clean_fixture, empty_fixture, image_fixture, options, runtime_fixture,
    };
    use crate::report::{render_to_string, test_fixture, Format};
    use crate::test_support::{json_schema_errors, shared_file};

    use serde_json::Value;

    const SCHEMA: &str = "schemas/sarif/sarif-schema-2.1.0.json";

    fn to_value(report: &Report) -> Value {
        serde_json::from_str(&render_to_string(Format::Sarif, report, &options()))
            .expect("valid JSON")
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

    /// The expected values are github/codeql-action's own, from its `fingerprints.test.ts`.
    #[test]
    fn line_hashes_match_githubs_algorithm() {
        assert_eq!(line_hashes(""), ["c129715d7a2bc9a3:1"]);
        assert_eq!(
            line_hashes(" a\nb\n  \t\tc\n d"),
            [
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1"
            ]
        );
        assert_eq!(
            line_hashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End"),
            [
                "8b7cf3e952e7aeb2:1",
                "b1ae1287ec4718d9:1",
                "bff680108adb0fcc:1",
                "c6805c5e1288b612:1",
                "b86d3392aea1be30:1",
                "e6ceba753e1a442:1"
            ]
        );
        let with_final_newline = [
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ];
        for text in [
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
            " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
            " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
        ] {
            assert_eq!(line_hashes(text), with_final_newline, "{text:?}");
        }
        // Identical windows are told apart by their occurrence.
        assert_eq!(
            line_hashes(&"Lorem ipsum dolor sit amet.\n".repeat(10)),
            [
                "a7f2ff13bc495cf2:1",
                "a7f2ff13bc495cf2:2",
                "a7f2ff13bc495cf2:3",
                "a7f2ff13bc495cf2:4",
                "a7f2ff13bc495cf2:5",
                "a7f2ff13bc495cf2:6",
                "a7f2ff1481e87703:1",
                "a9cf91f7bbf1862b:1",
                "55ec222b86bcae53:1",
                "cc97dc7b1d7d8f7b:1",
                "c129715d7a2bc9a3:1"
            ]
        );
    }

    #[test]
    fn line_hashes_count_utf16_code_units() {
        // An emoji is two code units in JavaScript's strings: the window ends one character
        // earlier than a count of code points would make it.
        let emoji = format!("{}\nx", "🐳".repeat(60));
        let letters = format!("{}\nx", "ab".repeat(60));
        assert_eq!(line_hashes(&emoji).len(), 2);
        assert_ne!(line_hashes(&emoji)[0], line_hashes(&letters)[0]);
        assert_eq!(line_hashes("\tRUN a")[0], line_hashes("RUN a")[0]);
    }

    #[test]
    fn results_in_files_carry_githubs_line_hash() {
        for report in [test_fixture(), runtime_fixture()] {
            let log = to_value(&report);
            for (run, sarif_run) in report.runs.iter().zip(log["runs"].as_array().unwrap()) {
                for result in sarif_run["results"].as_array().unwrap() {
                    let physical = &result["locations"][0]["physicalLocation"];
                    let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
                    let line = physical["region"]["startLine"].as_u64().unwrap() as usize;
                    let fingerprints = &result["partialFingerprints"];
                    let expected = match run.source_of(Path::new(uri)) {
                        Some(text) => line_hashes(&text)[line - 1].clone(),
                        // A live object: from our fingerprint.
                        None => format!(
                            "{}:1",
                            &fingerprints[FINGERPRINT_KEY].as_str().unwrap()[..16]
                        ),
                    };
                    assert_eq!(
                        fingerprints[LINE_HASH_KEY],
                        expected.as_str(),
                        "{uri}:{line}"
                    );
                }
            }
        }
    }

    #[test]
    fn vulnerabilities_on_a_dockerfile_line_hash_that_line_when_its_text_is_known() {
        let without_text = to_value(&image_fixture());
        let result = &without_text["runs"][0]["results"][0];
        let ours = result["partialFingerprints"][FINGERPRINT_KEY]
            .as_str()
            .unwrap();
        assert_eq!(
            result["partialFingerprints"][LINE_HASH_KEY],
            format!("{}:1", &ours[..16])
        );

        // `check` lints the Dockerfile it scans an image of: its text is in the report.
        let mut report = image_fixture();
        let lint = test_fixture().runs.remove(0);
        let text = lint.source_of(Path::new("Dockerfile")).unwrap();
        report.runs.insert(0, lint);
        let log = to_value(&report);
        let image_run = &log["runs"][1];
        assert_eq!(image_run["automationDetails"]["id"], "portcullis/image/");
        let result = &image_run["results"][0];
        let line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap() as usize;
        assert_eq!(
            result["partialFingerprints"][LINE_HASH_KEY],
            line_hashes(&text)[line - 1].as_str()
        );
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
