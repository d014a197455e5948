//! `portcullis runtime` over declared configuration: a Compose project (override file,
//! `extends` from another file, `.env` interpolation, a profile), Kubernetes manifests (a risky
//! Deployment, a Pod that meets the restricted Pod Security Standard, a broken document next to
//! a good one) and a `daemon.json` — the real binary, its JSON, SARIF and JUnit reports.

mod common;

use std::path::PathBuf;

use common::{findings, portcullis, read_json, Found};
use serde_json::Value;

fn fixtures() -> PathBuf {
    common::manifest_dir().join("tests/fixtures/runtime")
}

/// Runs `portcullis runtime ARGS` in a scratch directory with JSON, SARIF and JUnit reports;
/// the exit code and the three reports.
struct Run {
    code: i32,
    json: Value,
    sarif: Value,
    junit: String,
    stderr: String,
}

fn runtime(args: &[&str]) -> Run {
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("report.json");
    let sarif = out.path().join("report.sarif");
    let junit = out.path().join("report.xml");
    let output = portcullis()
        .arg("runtime")
        .args(args)
        .arg("-f")
        .arg(format!("json={}", json.display()))
        .arg("-f")
        .arg(format!("sarif={}", sarif.display()))
        .arg("-f")
        .arg(format!("junit={}", junit.display()))
        .current_dir(fixtures())
        // The project's variables come from its .env file, not from whoever runs the tests.
        .env_remove("WEB_TAG")
        .env_remove("DB_PASSWORD")
        .env_remove("COMPOSE_PROFILES")
        .output()
        .unwrap();
    Run {
        code: common::exit_code(&output),
        json: read_json(&json),
        sarif: read_json(&sarif),
        junit: std::fs::read_to_string(&junit).unwrap(),
        stderr: common::stderr(&output),
    }
}

/// The findings whose message names `object` (`service \`web\``, `container \`api\``).
fn about<'a>(all: &'a [Found], object: &str) -> Vec<&'a Found> {
    all.iter().filter(|f| f.message.contains(object)).collect()
}

fn codes_lines(found: &[&Found]) -> Vec<(String, u64)> {
    let mut pairs: Vec<(String, u64)> = found.iter().map(|f| (f.code.clone(), f.line)).collect();
    pairs.sort();
    pairs
}

fn line(file: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(fixtures().join(file)).unwrap();
    common::line_of(&text, needle)
}

fn assert_has(found: &[&Found], code: &str, at: u64) {
    assert!(
        found.iter().any(|f| f.code == code && f.line == at),
        "expected {code} at line {at} in {:#?}",
        codes_lines(found)
    );
}

fn validate(run: &Run) {
    let schema = common::manifest_dir().join("docs/schemas/portcullis-report.schema.json");
    let errors = common::json_schema_errors(&schema, &run.json);
    assert!(errors.is_empty(), "{errors:#?}");
    if let Some(schema) = common::shared_file("schemas/sarif/sarif-schema-2.1.0.json") {
        let errors = common::json_schema_errors(&schema, &run.sarif);
        assert!(errors.is_empty(), "{errors:#?}");
    }
    assert_eq!(
        run.sarif["runs"][0]["automationDetails"]["id"],
        "portcullis/runtime/"
    );
}

#[test]
fn compose_services_are_checked_as_compose_merges_them() {
    let run = runtime(&[
        "--compose",
        "compose/compose.yaml",
        "--compose",
        "compose/compose.override.yaml",
    ]);
    validate(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = findings(&run.json);
    let web = about(&all, "service `web`");
    let override_file = "compose/compose.override.yaml";
    let on = |path: &str, code: &str, at: u64| {
        let in_file: Vec<&Found> = web.iter().copied().filter(|f| f.path == path).collect();
        assert_has(&in_file, code, at);
    };
    // From the override file: privileged, host PID, the engine socket, /etc writable, seccomp.
    on(override_file, "PC1004", line(override_file, "privileged"));
    on(override_file, "PC5007", line(override_file, "pid: host"));
    on(override_file, "PC5010", line(override_file, "docker.sock"));
    on(
        override_file,
        "PC5009",
        line(override_file, "/etc:/host/etc"),
    );
    on(
        override_file,
        "PC5003",
        line(override_file, "seccomp=unconfined"),
    );
    // From the main file: NET_ADMIN, a port on every interface, the secret from .env, the
    // `latest` tag that .env put in the image.
    let main = "compose/compose.yaml";
    on(main, "PC1006", line(main, "NET_ADMIN"));
    on(main, "PC6009", line(main, "8080:8080"));
    on(main, "PC2001", line(main, "DB_PASSWORD"));
    on(main, "PC3005", line(main, "shop/web:"));
    // Missing settings point at the service's key.
    let declared = line(override_file, "  web:");
    on(override_file, "PC6001", declared);

    // The hardened service (with its `extends` base from base.yaml) has nothing to report.
    let hardened = about(&all, "service `hardened`");
    assert!(hardened.is_empty(), "{:#?}", codes_lines(&hardened));
    // `debug` is in an inactive profile.
    assert!(about(&all, "service `debug`").is_empty());

    // Every Compose file is a target, with the rules evaluated on it.
    let targets = common::target_paths(&run.json);
    assert!(targets.contains(&main.to_owned()), "{targets:?}");
    assert!(
        run.junit.contains("PC1004 privileged-container"),
        "{}",
        run.junit
    );
}

#[test]
fn a_profile_brings_its_services_in() {
    let run = runtime(&[
        "--compose",
        "compose/compose.yaml",
        "--profile",
        "debug",
        "--disable",
        "image-tag-mutable",
    ]);
    let all = findings(&run.json);
    let debug = about(&all, "service `debug`");
    assert_has(
        &debug,
        "PC1004",
        line("compose/compose.yaml", "privileged: true"),
    );
    assert!(all.iter().all(|f| f.code != "PC3005"), "disabled rule");
}

#[test]
fn kubernetes_workloads_are_checked_against_the_pod_security_standards() {
    let run = runtime(&["--k8s", "k8s/workloads.yaml"]);
    validate(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = findings(&run.json);
    let file = "k8s/workloads.yaml";
    let api = about(&all, "`api`");
    assert_has(&api, "PC1004", line(file, "privileged: true"));
    assert_has(&api, "PC1006", line(file, "SYS_ADMIN"));
    assert_has(&api, "PC5007", line(file, "hostNetwork"));
    assert_has(&api, "PC5010", line(file, "path: /var/run/docker.sock"));
    assert_has(&api, "PC6010", line(file, "hostPort: 80"));
    assert_has(&api, "PC2001", line(file, "tok-4f9a8b7c6d5e"));
    assert_has(&api, "PC3005", line(file, "shop/api:latest"));
    // Pod-level facts are reported once, not once per container.
    let host_network: Vec<_> = all.iter().filter(|f| f.code == "PC5007").collect();
    assert_eq!(host_network.len(), 1, "{host_network:#?}");
    // The Pod that meets the restricted profile has nothing to report.
    let restricted = about(&all, "restricted");
    assert!(restricted.is_empty(), "{:#?}", codes_lines(&restricted));
    // Findings point at the exact key.
    let privileged = api.iter().find(|f| f.code == "PC1004").unwrap();
    assert_eq!(privileged.column, 13);
}

#[test]
fn a_broken_document_is_an_error_and_the_others_are_still_checked() {
    let run = runtime(&["--k8s", "k8s/broken.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let errors = run.json["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap().starts_with("k8s/broken.yaml:")),
        "{errors:?}"
    );
    let all = findings(&run.json);
    assert_has(
        &about(&all, "nightly"),
        "PC5007",
        line("k8s/broken.yaml", "hostPID"),
    );
    assert_eq!(run.sarif["runs"][0]["invocations"][0]["exitCode"], 2);
}

#[test]
fn a_directory_of_manifests_is_searched() {
    let run = runtime(&["--k8s", "k8s"]);
    let targets = common::target_paths(&run.json);
    assert!(
        targets.iter().any(|t| t.ends_with("workloads.yaml"))
            && targets.iter().any(|t| t.ends_with("broken.yaml")),
        "{targets:?}"
    );
}

#[test]
fn a_daemon_json_alone_is_checked_without_an_engine() {
    let run = runtime(&["--daemon-config", "daemon.json"]);
    validate(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = findings(&run.json);
    let found: Vec<&Found> = all.iter().collect();
    for (code, needle) in [
        ("PC7002", "\"icc\""),
        ("PC7005", "registry.internal"),
        ("PC7003", "log-level"),
        ("PC7014", "userland-proxy"),
        ("PC7004", "iptables"),
        ("PC7007", "tcp://0.0.0.0:2375"),
        ("PC7016", "experimental"),
    ] {
        assert_has(&found, code, line("daemon.json", needle));
    }
}

#[test]
fn the_benchmark_option_keeps_its_rules_only() {
    let run = runtime(&["--k8s", "k8s/workloads.yaml", "--benchmark", "cis-1.7"]);
    let all = findings(&run.json);
    assert!(!all.is_empty());
    let catalogue: Value = serde_json::from_slice(
        &portcullis()
            .args(["rules", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for finding in &all {
        let rule = catalogue
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == finding.code.as_str())
            .unwrap();
        let tags = rule["tags"].as_array().unwrap();
        assert!(
            tags.iter()
                .any(|t| t.as_str().unwrap().starts_with("CIS-Docker-1.7.0:")),
            "{} has no CIS 1.7.0 section",
            finding.code
        );
    }
    // PSS-only rules are left out.
    assert!(all.iter().all(|f| f.code != "PC6010"));
}

#[test]
fn a_pod_security_profile_selects_its_controls() {
    let baseline =
        findings(&runtime(&["--k8s", "k8s/workloads.yaml", "--benchmark", "pss-baseline"]).json);
    let restricted = findings(
        &runtime(&[
            "--k8s",
            "k8s/workloads.yaml",
            "--benchmark",
            "pss-restricted",
        ])
        .json,
    );
    let codes = |found: &[Found]| {
        let mut codes: Vec<String> = found.iter().map(|f| f.code.clone()).collect();
        codes.sort();
        codes.dedup();
        codes
    };
    // Baseline: privileged, capabilities, host namespaces, hostPath, host ports.
    assert_eq!(
        codes(&baseline),
        ["PC1004", "PC1006", "PC5007", "PC5012", "PC6010"]
    );
    // Restricted adds running as root and the seccomp profile. (Drop ALL and privilege
    // escalation are restricted controls too, but a privileged container is reported as such.)
    let restricted = codes(&restricted);
    for code in ["PC1001", "PC5004"] {
        assert!(
            restricted.contains(&code.to_owned()),
            "{code}: {restricted:?}"
        );
    }
    assert!(codes(&baseline).iter().all(|c| restricted.contains(c)));
    assert!(
        !restricted.contains(&"PC6001".to_owned()),
        "not a PSS control"
    );
}

#[test]
fn a_missing_file_is_an_error_and_the_rest_is_still_reported() {
    let run = runtime(&["--k8s", "k8s/workloads.yaml", "--k8s", "k8s/missing.yaml"]);
    assert_eq!(run.code, 2);
    assert!(!findings(&run.json).is_empty());
    let errors = run.json["errors"].to_string();
    assert!(errors.contains("k8s/missing.yaml"), "{errors}");
}
