//! `portcullis check` over a real git repository: a Dockerfile, a Compose project with an
//! override, a Kubernetes manifest, a Helm template (left out) and an image archive, all in one
//! pass; one SARIF file with a run per engine; baselines; `--new-only-since`.

mod common;
#[path = "common/image_services.rs"]
mod services;

use std::path::Path;

use common::{findings, git, portcullis, read_json, Project};
use serde_json::Value;
use services::{file, LayerSpec};

/// A git repository with one commit of risky files.
struct Repo {
    project: Project,
}

impl Repo {
    fn new() -> Option<Repo> {
        services::require("git", "git")?;
        let repo = Repo {
            project: Project::new(),
        };
        repo.project
            .file("Dockerfile", common::RISKY_DOCKERFILE)
            .file("compose.yaml", common::PRIVILEGED_COMPOSE)
            .file(
                "compose.override.yaml",
                "services:\n  web:\n    pid: host\n",
            )
            .file(
                "deploy/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  hostNetwork: true\n  containers:\n    - name: api\n      image: example/api:1.0\n",
            )
            .file(
                "chart/templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n",
            );
        git(repo.path(), &["init", "-q"]);
        git(repo.path(), &["add", "."]);
        git(repo.path(), &["commit", "-q", "-m", "start"]);
        Some(repo)
    }

    fn path(&self) -> &Path {
        self.project.path()
    }

    fn write(&self, relative: &str, text: &str) {
        self.project.file(relative, text);
    }

    /// `portcullis check . ARGS -f json=… -f sarif=…` in the repository: exit code, JSON, SARIF.
    fn check(&self, args: &[&str]) -> (i32, Value, Value) {
        let out = tempfile::tempdir().unwrap();
        let json = out.path().join("r.json");
        let sarif = out.path().join("r.sarif");
        let output = portcullis()
            .arg("check")
            .args(args)
            .arg("-f")
            .arg(format!("json={}", json.display()))
            .arg("-f")
            .arg(format!("sarif={}", sarif.display()))
            .current_dir(self.path())
            .output()
            .unwrap();
        let code = common::exit_code(&output);
        assert!(code != 2 || !args.is_empty(), "{}", common::stderr(&output));
        (code, read_json(&json), read_json(&sarif))
    }
}

fn engines(report: &Value) -> Vec<String> {
    report["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["engine"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn one_pass_runs_every_engine_and_writes_one_sarif_run_per_engine() {
    let Some(repo) = Repo::new() else { return };
    let built = services::docker_archive(
        repo.path(),
        "example/app:1.0",
        &[LayerSpec {
            files: vec![file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")],
            gzip: true,
        }],
    );
    let mut args = vec!["--no-vulns"];
    let archive = format!("docker-archive:{}", repo.path().join("image.tar").display());
    if built.is_some() {
        args.extend(["--image", archive.as_str()]);
    }
    let (code, report, sarif) = repo.check(&args);
    assert_eq!(code, 1);
    let expected: Vec<&str> = if built.is_some() {
        vec!["dockerfile", "image", "runtime"]
    } else {
        vec!["dockerfile", "runtime"]
    };
    assert_eq!(engines(&report), expected);
    let all = findings(&report);
    let codes_at = |path: &str| -> Vec<String> {
        all.iter()
            .filter(|f| f.path.ends_with(path))
            .map(|f| f.code.clone())
            .collect()
    };
    assert!(codes_at("Dockerfile").contains(&"PC1001".to_owned()));
    assert!(codes_at("compose.yaml").contains(&"PC1004".to_owned()));
    assert!(codes_at("compose.override.yaml").contains(&"PC5007".to_owned()));
    assert!(codes_at("deploy/pod.yaml").contains(&"PC5007".to_owned()));
    assert!(
        codes_at("chart/templates/pod.yaml").is_empty(),
        "templates are left out"
    );

    let ids: Vec<&str> = sarif["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["automationDetails"]["id"].as_str().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids, unique, "one run per engine, each its own category");
    assert!(ids.contains(&"portcullis/runtime/"));
    if let Some(schema) = common::shared_file("schemas/sarif/sarif-schema-2.1.0.json") {
        let errors = common::json_schema_errors(&schema, &sarif);
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let schema = common::manifest_dir().join("docs/schemas/portcullis-report.schema.json");
    let errors = common::json_schema_errors(&schema, &report);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn a_baseline_accepts_todays_findings_and_fails_on_new_ones() {
    let Some(repo) = Repo::new() else { return };
    let baseline = ".portcullis-baseline.json";
    let (code, report, _) = repo.check(&["--baseline", baseline, "--write-baseline"]);
    assert_eq!(code, 0, "everything found is accepted");
    assert!(findings(&report).is_empty());
    let written: Value = read_json(&repo.path().join(baseline));
    assert!(written["entries"].as_array().unwrap().len() >= 4);

    let (code, report, _) = repo.check(&["--baseline", baseline]);
    assert_eq!((code, findings(&report).len()), (0, 0));

    // A new problem, on a line added above the old ones: only it is reported.
    repo.write(
        "Dockerfile",
        "FROM debian:12\nRUN curl -k https://example.com/x.sh | sh\nRUN apt-get update\nUSER root\n",
    );
    let (code, report, _) = repo.check(&["--baseline", baseline]);
    assert_eq!(code, 1);
    let new: Vec<String> = findings(&report).into_iter().map(|f| f.code).collect();
    assert!(
        !new.is_empty() && !new.contains(&"PC1001".to_owned()),
        "{new:?}"
    );

    let (code, report, _) = repo.check(&["--baseline", "missing.json"]);
    assert_eq!(code, 2);
    assert!(report["errors"].to_string().contains("--write-baseline"));
}

#[test]
fn new_only_since_keeps_the_changed_lines() {
    let Some(repo) = Repo::new() else { return };
    repo.write(
        "compose.yaml",
        "services:\n  web:\n    image: example/web:1.0\n    privileged: true\n    cap_add: [SYS_ADMIN]\n",
    );
    let (_, report, _) = repo.check(&["--new-only-since", "HEAD"]);
    let all = findings(&report);
    assert!(!all.is_empty());
    assert!(
        all.iter()
            .all(|f| f.path.ends_with("compose.yaml") && f.line == 5),
        "{all:#?}"
    );
    let (code, report, _) = repo.check(&["--new-only-since", "no-such-ref"]);
    assert_eq!(code, 2);
    assert!(report["errors"].to_string().contains("no-such-ref"));
}
