//! The GitLab CI files under `gitlab/`: valid for GitLab's CI schema (check-jsonschema's
//! vendored copy), and run for real by gitlab-ci-local with its shell executor in a scratch git
//! repository, with the freshly built binary on PATH in place of the portcullis image. The
//! reports the job leaves are checked against GitLab's schemas, and in a merge-request pipeline
//! the job annotates a stand-in for GitLab's API.
//!
//! Tools: `check-jsonschema` and `shellcheck` on PATH; gitlab-ci-local in
//! `$PORTCULLIS_CI_TOOLS` (default `target/ci-tools/node_modules`, installed by
//! scripts/test.sh), which needs `node`, `rsync` and `git`. Missing tools skip the tests, or
//! fail them under `CI=true`.

mod common;
#[path = "common/gitlab_api.rs"]
mod gitlab_api;
#[path = "common/image_services.rs"]
mod services;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{
    assert_contains, git, manifest_dir, output_text as text, read_json, unavailable, Project,
};
use gitlab_api::{file_diff, FakeGitlab, MR_IID, PROJECT_ID, TOKEN};
use serde_json::Value;
use services::{file, LayerSpec};

/// Node 20 (Debian's) lacks the `Set` methods of ES2025 that gitlab-ci-local's bundle calls;
/// these are the specified behaviours, defined only where missing (newer Node has them).
const SET_METHODS: &str = r#"
const keys = (other) => [...other.keys()];
const define = (name, fn) => {
  if (!Set.prototype[name]) {
    Object.defineProperty(Set.prototype, name, { value: fn, writable: true, configurable: true });
  }
};
define("union", function (o) { return new Set([...this, ...keys(o)]); });
define("intersection", function (o) { return new Set([...this].filter((x) => o.has(x))); });
define("difference", function (o) { return new Set([...this].filter((x) => !o.has(x))); });
define("symmetricDifference", function (o) {
  return new Set([...[...this].filter((x) => !o.has(x)), ...keys(o).filter((x) => !this.has(x))]);
});
define("isSubsetOf", function (o) { return [...this].every((x) => o.has(x)); });
define("isSupersetOf", function (o) { return keys(o).every((x) => this.has(x)); });
define("isDisjointFrom", function (o) { return [...this].every((x) => !o.has(x)); });
"#;

fn gitlab_dir() -> PathBuf {
    manifest_dir().join("gitlab")
}

fn check_jsonschema() -> Option<()> {
    let found = Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        Some(())
    } else {
        unavailable("check-jsonschema not found (PyPI check-jsonschema; scripts/test.sh)".into())
    }
}

/// Validates one YAML document against GitLab's CI schema; `Err` carries the complaints.
fn validate_gitlab_ci(yaml: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.yml");
    std::fs::write(&path, yaml).unwrap();
    let output = Command::new("check-jsonschema")
        .args(["--builtin-schema", "vendor.gitlab-ci"])
        .arg(&path)
        .output()
        .expect("run check-jsonschema");
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The YAML documents of a file: a component is its `spec:` header, `---`, then the jobs
/// (check-jsonschema reads one document per file).
fn documents(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.lines() {
        if line.trim_end() == "---" {
            docs.push(String::new());
        } else {
            let doc = docs.last_mut().unwrap();
            doc.push_str(line);
            doc.push('\n');
        }
    }
    docs.retain(|d| {
        d.lines()
            .any(|l| !l.trim().is_empty() && !l.starts_with('#'))
    });
    docs
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(yaml_files(&path));
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn every_gitlab_file_is_valid_for_gitlab_ci() {
    let Some(()) = check_jsonschema() else { return };
    let files = yaml_files(&gitlab_dir());
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(gitlab_dir()).unwrap().display().to_string())
        .collect();
    assert!(
        names.contains(&"Portcullis.gitlab-ci.yml".to_owned()),
        "{names:?}"
    );
    assert!(
        names.contains(&"templates/portcullis.yml".to_owned()),
        "{names:?}"
    );
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let docs = documents(&text);
        if path.starts_with(gitlab_dir().join("templates")) {
            assert_eq!(docs.len(), 2, "{}: spec header, ---, jobs", path.display());
            assert!(docs[0].starts_with("spec:"), "{}", path.display());
        }
        for doc in docs {
            if let Err(errors) = validate_gitlab_ci(&doc) {
                panic!("{}:\n{errors}", path.display());
            }
        }
    }
}

#[test]
fn the_examples_in_the_gitlab_guide_are_valid_for_gitlab_ci() {
    let Some(()) = check_jsonschema() else { return };
    let guide = std::fs::read_to_string(manifest_dir().join("docs/ci/gitlab.md")).unwrap();
    let examples: Vec<&str> = guide
        .split("```yaml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(examples.len() >= 5, "{} examples", examples.len());
    for example in examples {
        if let Err(errors) = validate_gitlab_ci(example) {
            panic!("docs/ci/gitlab.md:\n{example}\n{errors}");
        }
    }
}

#[test]
fn the_schema_check_catches_a_broken_job_and_a_broken_input() {
    let Some(()) = check_jsonschema() else { return };
    let classic = std::fs::read_to_string(gitlab_dir().join("Portcullis.gitlab-ci.yml")).unwrap();
    let broken = classic.replacen("  script:\n", "  scripts:\n", 1);
    assert_ne!(broken, classic);
    let errors = validate_gitlab_ci(&broken).unwrap_err();
    assert!(errors.contains("scripts"), "{errors}");

    let component = std::fs::read_to_string(gitlab_dir().join("templates/portcullis.yml")).unwrap();
    let header = &documents(&component)[0];
    let broken = header.replacen("type: boolean", "type: bool", 1);
    assert_ne!(&broken, header);
    let errors = validate_gitlab_ci(&broken).unwrap_err();
    assert!(errors.contains("bool"), "{errors}");
}

/// gitlab-ci-local, run with node (and the `Set` methods it needs on older Node).
struct GitlabCiLocal {
    bin: PathBuf,
    support: tempfile::TempDir,
    needs_set_methods: bool,
}

impl GitlabCiLocal {
    fn find() -> Option<GitlabCiLocal> {
        let bin = common::ci_tools_dir().join(".bin/gitlab-ci-local");
        if !bin.exists() {
            return unavailable(format!(
                "{} not found (npm gitlab-ci-local; scripts/test.sh installs it)",
                bin.display()
            ));
        }
        for (tool, package) in [("node", "nodejs"), ("rsync", "rsync"), ("git", "git")] {
            services::require(tool, package)?;
        }
        let native = Command::new("node")
            .args([
                "-e",
                "process.exit(typeof new Set().union === 'function' ? 0 : 1)",
            ])
            .status()
            .is_ok_and(|s| s.success());
        let support = tempfile::tempdir().unwrap();
        std::fs::write(support.path().join("set-methods.mjs"), SET_METHODS).unwrap();
        Some(GitlabCiLocal {
            bin,
            support,
            needs_set_methods: !native,
        })
    }

    /// Runs `gitlab-ci-local ARGS` in `repo` with the shell executor, the built portcullis
    /// first on PATH.
    fn run(&self, repo: &Path, args: &[&str]) -> Output {
        let bin_dir = self.support.path().join("bin");
        std::fs::create_dir_all(&bin_dir).unwrap();
        let link = bin_dir.join("portcullis");
        if !link.exists() {
            std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_portcullis"), &link).unwrap();
        }
        self.run_with_path(repo, args, &bin_dir)
    }

    /// Runs `gitlab-ci-local ARGS` in `repo` with the shell executor and `first` first on
    /// PATH.
    fn run_with_path(&self, repo: &Path, args: &[&str], first: &Path) -> Output {
        let path = std::env::join_paths(std::iter::once(first.to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ))
        .unwrap();
        let home = self.support.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let mut command = Command::new(&self.bin);
        command
            .current_dir(repo)
            .args(["--force-shell-executor", "--no-color", "--home"])
            .arg(&home)
            .args(args)
            .env("PATH", path)
            .env_remove("CI_MERGE_REQUEST_IID")
            .env_remove("PORTCULLIS_GITLAB_TOKEN")
            .env_remove("GITLAB_TOKEN");
        if self.needs_set_methods {
            let module = self.support.path().join("set-methods.mjs");
            command.env("NODE_OPTIONS", format!("--import={}", module.display()));
        }
        command.output().expect("run gitlab-ci-local")
    }
}

/// How the job ended, from gitlab-ci-local's `JOB finished in … FAIL 1` line (its own exit
/// code does not follow the jobs'): `("FAIL", 1)`, `("WARN", 3)` or `("PASS", 0)`.
fn job_result(log: &str, job: &str) -> (String, i32) {
    let line = log
        .lines()
        .find(|l| l.starts_with(&format!("{job} finished in")))
        .unwrap_or_else(|| panic!("{job} did not finish: {log}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [.., status, code] if *status == "FAIL" || *status == "WARN" => {
            (status.to_string(), code.parse().unwrap())
        }
        _ => ("PASS".to_owned(), 0),
    }
}

/// A project repository on "gitlab.com/acme/app" with a Dockerfile, a Compose file and a
/// manifest with findings, the GitLab files laid out as the component project publishes them
/// (`templates/portcullis.yml` next to `Portcullis.gitlab-ci.yml`). Each test writes the
/// `.gitlab-ci.yml` after the commit, whose SHA a component include names.
struct Repo {
    project: Project,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            project: Project::new(),
        };
        repo.project
            .file("Dockerfile", common::RISKY_DOCKERFILE)
            .file("compose.yaml", common::PRIVILEGED_COMPOSE)
            .file(
                "deploy/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: example/api:1.0\n",
            );
        for relative in ["Portcullis.gitlab-ci.yml", "templates/portcullis.yml"] {
            let text = std::fs::read_to_string(gitlab_dir().join(relative)).unwrap();
            repo.write(relative, &text);
        }
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["remote", "add", "origin", "git@gitlab.com:acme/app.git"]);
        repo.git(&[
            "symbolic-ref",
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/main",
        ]);
        repo.git(&["add", "."]);
        repo.git(&["commit", "-q", "-m", "start"]);
        repo
    }

    fn path(&self) -> &Path {
        self.project.path()
    }

    fn write(&self, relative: &str, text: &str) {
        self.project.file(relative, text);
    }

    fn git(&self, args: &[&str]) -> String {
        git(self.path(), args)
    }

    /// A report the job left, as gitlab-ci-local exported it from the job's artifacts.
    fn artifact(&self, job: &str, relative: &str) -> PathBuf {
        let path = self
            .path()
            .join(".gitlab-ci-local/artifacts")
            .join(job)
            .join(relative);
        assert!(path.is_file(), "{} was not exported", path.display());
        path
    }
}

/// The Code Quality report against the schema of the fields GitLab reads, JUnit against the
/// JUnit XSD GitLab's parser accepts, the container-scanning report against GitLab's 15.2.1
/// schema.
fn assert_reports_valid(repo: &Repo, dir: &str, images: bool) {
    let quality =
        read_json(&repo.artifact("portcullis", &format!("{dir}/gl-code-quality-report.json")));
    let issues = quality.as_array().expect("an array of issues");
    assert!(
        issues.iter().any(|i| i["location"]["path"] == "Dockerfile"),
        "{quality:#}"
    );
    if let Some(schema) =
        common::shared_file("schemas/gitlab/code-quality/gl-code-quality.local.schema.json")
    {
        let errors = common::json_schema_errors(&schema, &quality);
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let junit = std::fs::read_to_string(
        repo.artifact("portcullis", &format!("{dir}/portcullis-junit.xml")),
    )
    .unwrap();
    if let Some(xsd) = common::shared_file("schemas/junit/junit-10.xsd") {
        if let Some(result) = common::xmllint_validate(&xsd, &junit) {
            result.unwrap_or_else(|e| panic!("JUnit report: {e}"));
        }
    }
    for name in ["portcullis.sarif", "portcullis.json"] {
        read_json(&repo.artifact("portcullis", &format!("{dir}/{name}")));
    }
    let summary = std::fs::read_to_string(
        repo.artifact("portcullis", &format!("{dir}/portcullis-summary.md")),
    )
    .unwrap();
    assert!(
        summary.starts_with("<!-- portcullis-summary -->"),
        "{summary}"
    );
    let scanning = repo
        .path()
        .join(".gitlab-ci-local/artifacts/portcullis")
        .join(dir)
        .join("gl-container-scanning-report.json");
    assert_eq!(
        scanning.is_file(),
        images,
        "container scanning only with images"
    );
    if images {
        let report = read_json(&scanning);
        if let Some(schema) = common::shared_file(
            "schemas/gitlab/security-report-schemas-15.2.1/container-scanning-report-format.json",
        ) {
            let errors = common::json_schema_errors(&schema, &report);
            assert!(errors.is_empty(), "{errors:#?}");
        }
        assert!(
            !report["vulnerabilities"].as_array().unwrap().is_empty(),
            "{report:#}"
        );
    }
}

#[test]
fn the_classic_template_runs_check_and_publishes_every_report() {
    let Some(tool) = GitlabCiLocal::find() else {
        return;
    };
    let repo = Repo::new();
    repo.write(
        ".gitlab-ci.yml",
        "include:\n  - local: /Portcullis.gitlab-ci.yml\n",
    );
    let output = tool.run(repo.path(), &["portcullis"]);
    let log = text(&output);
    // Findings at or above the default threshold fail the job.
    assert_eq!(job_result(&log, "portcullis"), ("FAIL".into(), 1), "{log}");
    assert_contains(
        &log,
        &[
            // The binary on PATH ran.
            "portcullis 0.1.0",
            "findings at or above the threshold fail this job",
        ],
    );
    assert!(
        !log.contains("not annotating"),
        "not a merge-request pipeline: {log}"
    );
    assert_reports_valid(&repo, "portcullis-reports", false);
}

/// `cargo install … --root DIR …` as far as the job can tell: the arguments are written next
/// to this script, and `DIR/bin/portcullis` runs the built binary, saying where it came from.
const CARGO_SHIM: &str = r#"#!/bin/sh
printf '%s\n' "$@" > "$(dirname "$0")/cargo-args"
while [ "$1" != --root ]; do shift; done
mkdir -p "$2/bin"
printf '#!/bin/sh\necho built-from-source >&2\nexec %s "$@"\n' '@BIN@' > "$2/bin/portcullis"
chmod +x "$2/bin/portcullis"
"#;

#[test]
fn building_from_source_installs_with_cargo_from_the_release_tag() {
    let Some(tool) = GitlabCiLocal::find() else {
        return;
    };
    let repo = Repo::new();
    repo.write(
        ".gitlab-ci.yml",
        "include:\n  - local: /Portcullis.gitlab-ci.yml\nportcullis:\n  variables:\n    \
         PORTCULLIS_BUILD_FROM_SOURCE: \"true\"\n    PORTCULLIS_SEVERITY_THRESHOLD: none\n",
    );
    // A stand-in for cargo (building the project again would take minutes): it records its
    // arguments and installs a wrapper of the built binary under `--root`. portcullis itself
    // is not on PATH, so the job can only run the one it installed.
    let shims = tempfile::tempdir().unwrap();
    let log = shims.path().join("cargo-args");
    let cargo = CARGO_SHIM.replace("@BIN@", env!("CARGO_BIN_EXE_portcullis"));
    common::write_script(&shims.path().join("cargo"), &cargo);
    let output = tool.run_with_path(repo.path(), &["portcullis"], shims.path());
    let log_text = text(&output);
    assert_eq!(
        job_result(&log_text, "portcullis"),
        ("PASS".into(), 0),
        "{log_text}"
    );
    assert!(log_text.contains("built-from-source"), "{log_text}");
    let args = std::fs::read_to_string(&log).expect("cargo ran");
    let args: Vec<&str> = args.lines().collect();
    let root = repo.path().join(".portcullis-bin");
    assert_eq!(
        args,
        [
            "install",
            "--locked",
            "--quiet",
            "--root",
            root.to_str().unwrap(),
            "--git",
            "https://github.com/portcullis-security/portcullis.git",
            "--tag=v0.1.0",
            "portcullis",
        ]
    );
    assert_reports_valid(&repo, "portcullis-reports", false);
}

#[test]
fn the_job_script_passes_shellcheck() {
    let Some(shellcheck) = services::require("shellcheck", "shellcheck") else {
        return;
    };
    let template = std::fs::read_to_string(gitlab_dir().join("Portcullis.gitlab-ci.yml")).unwrap();
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&template).unwrap();
    let script: Vec<&str> = yaml["portcullis"]["script"]
        .as_sequence()
        .expect("a script list")
        .iter()
        .map(|line| line.as_str().unwrap())
        .collect();
    let lint = |script: &str| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.sh");
        std::fs::write(&path, format!("#!/bin/sh\n{script}")).unwrap();
        Command::new(&shellcheck)
            .args(["--shell=sh", "--severity=style"])
            .arg(&path)
            .output()
            .expect("run shellcheck")
    };
    let output = lint(&script.join("\n"));
    assert!(output.status.success(), "{}", text(&output));
    let broken = lint(&format!(
        "{}\nrm -rf $PORTCULLIS_REPORTS_DIR/*\n",
        script.join("\n")
    ));
    assert!(
        !broken.status.success(),
        "shellcheck catches an unquoted expansion"
    );
}

/// A Debian 12 image (an OCI layout in `layout`, outside the repository) with one installed
/// package, and an advisory for it among the OSV records of the database directory the job
/// caches.
fn image_with_a_vulnerability(repo: &Repo, layout: &Path) -> String {
    services::oci_layout(
        layout,
        "v1",
        std::env::consts::ARCH
            .replace("x86_64", "amd64")
            .replace("aarch64", "arm64")
            .as_str(),
        &[LayerSpec {
            files: vec![
                file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
                file(
                    "var/lib/dpkg/status",
                    "Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\n\
                     Source: zlib\nVersion: 1:1.2.13.dfsg-1\n\n",
                ),
            ],
            gzip: false,
        }],
    );
    let record = serde_json::json!({
        "schema_version": "1.7.5",
        "id": "DEBIAN-CVE-2023-45853",
        "modified": "2026-11-29T00:00:00Z",
        "aliases": ["CVE-2023-45853"],
        "summary": "MiniZip integer overflow",
        "affected": [{
            "package": {"ecosystem": "Debian:12", "name": "zlib"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:1.2.13.dfsg-1+deb12u1"}]}],
        }],
    });
    repo.write(
        ".portcullis-db/DEBIAN-CVE-2023-45853.json",
        &record.to_string(),
    );
    format!("oci:{}:v1", layout.display())
}

#[test]
fn the_component_runs_with_its_inputs_and_annotates_the_merge_request() {
    let Some(tool) = GitlabCiLocal::find() else {
        return;
    };
    let repo = Repo::new();
    let layout = tempfile::tempdir().unwrap();
    let image = image_with_a_vulnerability(&repo, layout.path());
    let sha = repo.git(&["rev-parse", "HEAD"]);
    // The component of this very project at this commit: gitlab-ci-local reads it from the
    // working tree, as GitLab would from the component project.
    repo.write(
        ".gitlab-ci.yml",
        &format!(
            "include:\n  - component: $CI_SERVER_FQDN/acme/app/portcullis@{sha}\n    inputs:\n      \
             stage: build\n      image: {image}\n      severity-threshold: error\n      \
             allow-failure: true\n      reports-dir: out/reports\n      max-discussions: 2\n      \
             args: --offline\nstages: [build, test]\n"
        ),
    );
    // The merge request added the Dockerfile, so every finding in it is on a changed line.
    let gitlab = FakeGitlab::start(
        vec![file_diff(
            "Dockerfile",
            "Dockerfile",
            "@@ -0,0 +1,3 @@\n+FROM debian:12\n+RUN apt-get update\n+USER root\n",
        )],
        100,
    );
    let output = tool.run(
        repo.path(),
        &[
            "--variable",
            &format!("CI_MERGE_REQUEST_IID={MR_IID}"),
            "--variable",
            &format!("CI_PROJECT_ID={PROJECT_ID}"),
            "--variable",
            &format!("CI_API_V4_URL={}", gitlab.api_url()),
            "--variable",
            &format!("PORTCULLIS_GITLAB_TOKEN={TOKEN}"),
        ],
    );
    let log = text(&output);
    // Findings at `error` (the privileged Compose service) are allowed: a warning, not a
    // failed pipeline.
    assert_eq!(job_result(&log, "portcullis"), ("WARN".into(), 3), "{log}");
    assert_contains(
        &log,
        &["allowed (PORTCULLIS_ALLOW_FINDINGS)", "summary note added"],
    );
    assert_reports_valid(&repo, "out/reports", true);

    let requests = gitlab.requests();
    let lines: Vec<String> = requests.iter().map(|r| r.line()).collect();
    assert_eq!(
        lines.iter().filter(|l| *l == "POST discussions").count(),
        2,
        "max-discussions: {lines:?}"
    );
    let note = &gitlab.notes()[0];
    let body = note["body"].as_str().unwrap();
    assert!(body.starts_with("<!-- portcullis-summary -->"), "{body}");
    assert!(
        body.contains("CVE-2023-45853") || body.contains("zlib"),
        "{body}"
    );
    let report = read_json(&repo.artifact("portcullis", "out/reports/portcullis.json"));
    assert_eq!(
        report["failure_threshold"],
        Value::from("error"),
        "the input reached -t"
    );
}
