//! The SARIF portcullis writes, checked by Microsoft's SARIF Multitool with GitHub's ingestion
//! rules (`validate --rule-kind "Ghas;Sarif"`), the validator GitHub's documentation sends users
//! to when an upload is rejected. The logs come from the real binary: `lint` over the examples,
//! `runtime` over Kubernetes manifests and a Compose project, and `scan` of a hand-made image
//! with a known vulnerability (a result located on the image reference, not on a file).
//!
//! The multitool is the one `tests/ci-tools/package.json` pins; `scripts/test.sh` installs it
//! under `target/ci-tools`, and `PORTCULLIS_CI_TOOLS` names another `node_modules`. It exits 0
//! even when it finds errors, so the tests read the log it writes. Without it the tests are
//! skipped, and fail under `CI=true`.

mod common;
#[path = "common/image_services.rs"]
mod services;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{manifest_dir, portcullis, read_json, unavailable};
use serde_json::Value;
use services::{file, oci_layout, LayerSpec};

fn multitool() -> Option<PathBuf> {
    let tool = common::ci_tools_dir().join(".bin/sarif-multitool");
    if tool.is_file() {
        Some(tool)
    } else {
        unavailable(format!(
            "{} not found: run scripts/test.sh (it installs tests/ci-tools/package.json), \
             or set PORTCULLIS_CI_TOOLS to a node_modules directory that has it",
            tool.display()
        ))
    }
}

/// One thing the multitool reported.
#[derive(Debug)]
struct Problem {
    rule: String,
    level: String,
    result: Value,
}

/// Validates `sarif` and returns everything the multitool reported.
fn validate(tool: &Path, sarif: &Path) -> Vec<Problem> {
    // A fresh directory: a log left by an earlier run must never pass for this one.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("validation.sarif");
    // The npm launcher runs the tool through a shell (`spawnSync` with `shell: true`), so
    // every argument is quoted for it: unquoted, `Ghas;Sarif` would end the command at `;`.
    let output = Command::new(tool)
        .arg("validate")
        .arg(shell_quote(&sarif.to_string_lossy()))
        .arg("--output")
        .arg(shell_quote(&out.to_string_lossy()))
        .args(["--rule-kind", &shell_quote("Ghas;Sarif")])
        .args(["--log", "ForceOverwrite"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e} (is node installed?)", tool.display()));
    assert!(
        output.status.success() && out.is_file(),
        "the multitool did not run:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let log = read_json(&out);
    let run = &log["runs"][0];
    assert_eq!(
        run["invocations"][0]["executionSuccessful"], true,
        "the multitool failed: {run}"
    );
    run["results"]
        .as_array()
        .expect("the validation log has a results array")
        .iter()
        .map(|result| Problem {
            rule: result["ruleId"].as_str().unwrap_or_default().to_owned(),
            // SARIF's default level.
            level: result["level"].as_str().unwrap_or("warning").to_owned(),
            result: result.clone(),
        })
        .collect()
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn errors(problems: &[Problem]) -> Vec<&Problem> {
    problems.iter().filter(|p| p.level == "error").collect()
}

/// Runs `portcullis ARGS -f sarif=…` from the crate root and returns the log's path (in
/// `dir`) and the log.
fn sarif_of(dir: &Path, args: &[&str]) -> (PathBuf, Value) {
    let path = dir.join("portcullis.sarif");
    let output = portcullis()
        .current_dir(manifest_dir())
        .args(args)
        .arg("-f")
        .arg(format!("sarif={}", path.display()))
        .output()
        .unwrap();
    let code = output.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "portcullis {args:?} exited with {code:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let log = read_json(&path);
    (path, log)
}

fn results(log: &Value) -> usize {
    log["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["results"].as_array().unwrap().len())
        .sum()
}

fn assert_passes(tool: &Path, sarif: &Path) {
    let problems = validate(tool, sarif);
    let errors = errors(&problems);
    assert!(
        errors.is_empty(),
        "{} has errors for GitHub:\n{errors:#?}",
        sarif.display()
    );
    // Warnings and notes do not stop GitHub; they are shown for whoever reads the log.
    for problem in &problems {
        eprintln!(
            "{}: {} {}: {}",
            sarif.display(),
            problem.level,
            problem.rule,
            problem.result["message"]
        );
    }
}

#[test]
fn lint_sarif_passes_githubs_ingestion_rules() {
    let Some(tool) = multitool() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (path, log) = sarif_of(dir.path(), &["lint", "examples"]);
    assert!(results(&log) > 10, "the examples have findings");
    assert_passes(&tool, &path);
}

#[test]
fn runtime_sarif_passes_githubs_ingestion_rules() {
    let Some(tool) = multitool() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (path, log) = sarif_of(
        dir.path(),
        &[
            "runtime",
            "--k8s",
            "tests/fixtures/runtime/k8s/workloads.yaml",
            "--compose",
            "tests/fixtures/runtime/compose/compose.yaml",
        ],
    );
    assert!(results(&log) > 10, "the fixtures have findings");
    assert_passes(&tool, &path);
}

/// An image with one Debian package that a local advisory says is vulnerable. Without a
/// Dockerfile the result sits on the image reference: the location shape GitHub is strictest
/// about.
#[test]
fn scan_sarif_with_a_vulnerability_passes_githubs_ingestion_rules() {
    let Some(tool) = multitool() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("layout");
    let status = "Package: libssl3\nStatus: install ok installed\nPriority: optional\n\
                  Architecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u1\n\
                  Description: Secure Sockets Layer toolkit - shared libraries\n";
    oci_layout(
        &layout,
        "test",
        "amd64",
        &[LayerSpec {
            files: vec![
                file(
                    "etc/os-release",
                    "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
                ),
                file("var/lib/dpkg/status", status),
            ],
            gzip: false,
        }],
    );
    let advisories = dir.path().join("advisories");
    std::fs::create_dir(&advisories).unwrap();
    let advisory = serde_json::json!({
        "schema_version": "1.7.5",
        "id": "x_test-openssl",
        "modified": "2026-11-29T00:00:00Z",
        "aliases": ["CVE-2099-0001"],
        "affected": [{
            "package": {"ecosystem": "Debian:12", "name": "openssl"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}]}],
        }],
    });
    std::fs::write(advisories.join("x_test-openssl.json"), advisory.to_string()).unwrap();
    let reference = format!("oci:{}:test", layout.display());
    let advisories = advisories.display().to_string();
    let (path, log) = sarif_of(
        dir.path(),
        &["scan", &reference, "--offline", "--db", &advisories],
    );
    let run = &log["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "portcullis/image/");
    let ids: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    // The vulnerability, plus the image's hygiene findings (no USER, no HEALTHCHECK in the
    // test image's config), located on the image reference too.
    assert!(ids.contains(&"CVE-2099-0001"), "{log:#}");
    let mut hygiene: Vec<&str> = ids.into_iter().filter(|id| id.starts_with("PC")).collect();
    hygiene.sort_unstable();
    assert_eq!(hygiene, ["PC1001", "PC4002"], "{log:#}");
    assert_passes(&tool, &path);
}

/// The check bites, on each kind of rule it applies: GitHub's (a result without a location
/// makes GitHub drop the whole file), SARIF's own (a region that ends before it starts), and
/// the schema (a result without a message).
#[test]
fn the_check_fails_on_broken_logs() {
    let Some(tool) = multitool() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_, log) = sarif_of(dir.path(), &["lint", "examples"]);
    let broken = |name: &str, edit: &dyn Fn(&mut Value)| -> Vec<String> {
        let mut log = log.clone();
        edit(&mut log["runs"][0]["results"][0]);
        let path = dir.path().join(name);
        std::fs::write(&path, serde_json::to_string(&log).unwrap()).unwrap();
        errors(&validate(&tool, &path))
            .iter()
            .map(|p| p.rule.clone())
            .collect()
    };

    let unlocated = broken("unlocated.sarif", &|result| {
        result.as_object_mut().unwrap().remove("locations");
    });
    assert!(unlocated.contains(&"GH1015".to_owned()), "{unlocated:?}");

    let backwards = broken("backwards.sarif", &|result| {
        let region = &mut result["locations"][0]["physicalLocation"]["region"];
        region["startLine"] = 5.into();
        region["endLine"] = 2.into();
    });
    assert!(backwards.contains(&"SARIF1007".to_owned()), "{backwards:?}");

    let silent = broken("silent.sarif", &|result| {
        result.as_object_mut().unwrap().remove("message");
    });
    assert!(
        silent.iter().any(|rule| rule.starts_with("JSON")),
        "{silent:?}"
    );
}
