//! The policy options a hadolint user reaches for, end to end through the binary: `--rule`
//! and `--ignore`, time-boxed suppressions, the label schema, `--shellcheck` and
//! `portcullis init --from-hadolint`.

mod common;

use common::{codes, exit_code, findings, portcullis, stderr, Project};

/// apt without pinning or `-y`, sudo, and no USER: several rules from one file.
const BUSY: &str = "FROM debian:12\nRUN sudo apt-get install curl\nHEALTHCHECK CMD [\"true\"]\n";

#[test]
fn rule_runs_only_the_named_rules_and_ignore_is_disable() {
    let project = Project::new();
    project.file("Dockerfile", BUSY);
    let (all, _) = project.lint_json(&["--shellcheck", "off"]);
    assert!(
        codes(&all).contains(&"PC1002".to_owned()),
        "{:?}",
        codes(&all)
    );
    assert!(codes(&all).contains(&"PC1001".to_owned()));

    let (only, code) = project.lint_json(&["--shellcheck", "off", "--rule", "DL3004"]);
    assert_eq!(codes(&only), ["PC1002"]);
    assert_eq!(code, 1);

    let (ignored, _) = project.lint_json(&["--shellcheck", "off", "--ignore", "sudo-usage"]);
    assert!(!codes(&ignored).contains(&"PC1002".to_owned()));
    assert!(codes(&ignored).contains(&"PC1001".to_owned()));

    let output = project
        .lint()
        .args(["-f", "json", "--rule", "DL9999"])
        .output()
        .unwrap();
    assert_eq!(exit_code(&output), 2);
    assert!(stderr(&output).contains("--rule"), "{}", stderr(&output));
}

#[test]
fn an_expired_suppression_reports_its_findings_again() {
    let project = Project::new();
    project.file(
        "Dockerfile",
        "FROM debian:12\nUSER 10001\n# portcullis ignore=sudo-usage until=2021-06-30 reason=\"base image migration\"\nRUN sudo true\nHEALTHCHECK CMD [\"true\"]\n",
    );
    let (report, _) = project.lint_json(&["--shellcheck", "off"]);
    let found = findings(&report);
    let lines: Vec<(&str, u64)> = found.iter().map(|f| (f.code.as_str(), f.line)).collect();
    assert_eq!(lines, [("PC0006", 3), ("PC1002", 4)]);
    assert!(found[0].message.contains("2021-06-30"));
    assert!(found[0].message.contains("base image migration"));
}

#[test]
fn the_label_schema_comes_from_the_command_line_or_a_hadolint_file() {
    let project = Project::new();
    project.file(
        "Dockerfile",
        "FROM debian:12\nUSER 10001\nLABEL version=v1 maintainer=ops@example.com\nHEALTHCHECK CMD [\"true\"]\n",
    );
    let (report, _) = project.lint_json(&[
        "--shellcheck",
        "off",
        "--require-label",
        "version:semver",
        "--require-label",
        "org.opencontainers.image.source:url",
        "--strict-labels",
    ]);
    let found: Vec<(String, u64, u64)> = findings(&report)
        .into_iter()
        .map(|f| (f.code, f.line, f.column))
        .collect();
    assert_eq!(
        found,
        [
            ("PC9030".to_owned(), 1, 6),
            ("PC9032".to_owned(), 3, 15),
            ("PC9031".to_owned(), 3, 18)
        ]
    );

    project.file(
        ".hadolint.yaml",
        "label-schema:\n  version: semver\n  maintainer: email\n",
    );
    let (report, _) = project.lint_json(&["--shellcheck", "off"]);
    assert_eq!(codes(&report), ["PC9032"]);
}

#[test]
fn shellcheck_required_without_shellcheck_is_an_incomplete_run_with_reports() {
    let project = Project::new();
    project.file("Dockerfile", BUSY);
    let empty = tempfile::tempdir().unwrap();
    let output = project
        .lint()
        .env("PATH", empty.path())
        .args(["-f", "json", "--shellcheck", "required"])
        .output()
        .unwrap();
    assert_eq!(exit_code(&output), 2);
    assert!(
        stderr(&output).contains("shellcheck"),
        "{}",
        stderr(&output)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(codes(&report).contains(&"PC1002".to_owned()));

    // `auto` quietly does without it.
    let output = project
        .lint()
        .env("PATH", empty.path())
        .args(["-f", "json", "--shellcheck", "auto"])
        .output()
        .unwrap();
    assert_eq!(exit_code(&output), 1, "{}", stderr(&output));
}

#[test]
fn init_from_hadolint_writes_an_equivalent_configuration() {
    let project = Project::new();
    project
        .file(
            ".hadolint.yaml",
            "ignored: [DL3004, SC2086]\noverride:\n  error: [DL3002]\ntrustedRegistries: [docker.io]\nfailure-threshold: warning\n",
        )
        .file("Dockerfile", &format!("{BUSY}USER root\n"));
    let output = portcullis()
        .current_dir(project.path())
        .args(["init", "--from-hadolint"])
        .output()
        .unwrap();
    assert_eq!(exit_code(&output), 0, "{}", stderr(&output));
    let toml = project.read(".portcullis.toml");
    assert!(
        toml.contains("disable = [\"DL3004\", \"SC2086\"]"),
        "{toml}"
    );
    assert!(
        toml.contains("trusted-registries = [\"docker.io\"]"),
        "{toml}"
    );

    // The same policy without the hadolint file.
    std::fs::remove_file(project.join(".hadolint.yaml")).unwrap();
    let (report, _) = project.lint_json(&["--shellcheck", "off"]);
    let found = findings(&report);
    assert!(!found.iter().any(|f| f.code == "PC1002"));
    let root = found.iter().find(|f| f.code == "PC1001").unwrap();
    assert_eq!(root.severity, "error");

    // An existing file is not overwritten without --force.
    let again = portcullis()
        .current_dir(project.path())
        .args(["init", "--from-hadolint", "missing.yaml"])
        .output()
        .unwrap();
    assert_eq!(exit_code(&again), 2);
    assert!(
        stderr(&again).contains("missing.yaml"),
        "{}",
        stderr(&again)
    );
    let refused = portcullis()
        .current_dir(project.path())
        .args(["init"])
        .output()
        .unwrap();
    assert_eq!(exit_code(&refused), 2);
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
}
