//! Helpers for the end-to-end tests: run the real binary in a scratch directory, read its JSON
//! report, find the shared schemas and external tools.
//!
//! Each file under `tests/` is its own crate and may use only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

// The schema and xmllint helpers are the lib's own test helper, compiled a second time here:
// the lib's unit tests (sarif, json, junit) need it too, and `#[cfg(test)]` code of the lib is
// not visible from `tests/`, so one file serves both instead of two copies drifting apart.
#[path = "../../src/test_support.rs"]
mod shared_data;

// Each test crate uses some of these.
#[allow(unused_imports)]
pub(crate) use shared_data::{
    json_schema_errors, shared_file, shared_subdir, unavailable, xmllint_validate,
};

/// The conformance data directory (`PORTCULLIS_CONFORMANCE_DIR`, else `../shared/conformance`)
/// when it holds `required`; `None` (the test is skipped) when not, a failure under `CI=true`.
pub fn conformance_dir(required: &str) -> Option<PathBuf> {
    let base = std::env::var_os("PORTCULLIS_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../shared/conformance"));
    if base.join(required).is_dir() {
        return Some(base);
    }
    unavailable(format!(
        "conformance data not found at {} (set PORTCULLIS_CONFORMANCE_DIR)",
        base.join(required).display()
    ))
}

/// A Dockerfile that no rule flags.
pub const CLEAN: &str = "FROM alpine:3.20\nUSER 10001\nHEALTHCHECK CMD [\"true\"]\n";

/// A Dockerfile with findings, among them PC1001 (`USER root`).
pub const RISKY_DOCKERFILE: &str = "FROM debian:12\nRUN apt-get update\nUSER root\n";

/// A Compose file with findings, among them PC1004 (a privileged service).
pub const PRIVILEGED_COMPOSE: &str =
    "services:\n  web:\n    image: example/web:1.0\n    privileged: true\n";

/// The binary under test, with the environment that changes its output removed.
pub fn portcullis() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_portcullis"));
    cmd.env_remove("NO_COLOR");
    cmd
}

/// The crate root; `examples/` lives here.
pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `portcullis lint` run from the crate root, so reported paths read `examples/...`.
pub fn lint_in_repo() -> assert_cmd::Command {
    let mut cmd = portcullis();
    cmd.current_dir(manifest_dir()).arg("lint");
    cmd
}

/// A scratch directory holding the files a test lints.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Self {
        Project {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Writes `contents` to `relative`, creating parent directories.
    pub fn file(&self, relative: &str, contents: &str) -> &Self {
        let path = self.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent directories");
        }
        std::fs::write(&path, contents).expect("write test file");
        self
    }

    pub fn read(&self, relative: &str) -> String {
        let path = self.join(relative);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} was not written: {e}", path.display()))
    }

    /// `portcullis lint` with this directory as the working directory.
    pub fn lint(&self) -> assert_cmd::Command {
        let mut cmd = portcullis();
        cmd.current_dir(self.path()).arg("lint");
        cmd
    }

    /// Runs `portcullis lint -f json ARGS…` here and returns the report and the exit code.
    pub fn lint_json(&self, args: &[&str]) -> (Value, i32) {
        let output = self
            .lint()
            .args(["-f", "json"])
            .args(args)
            .output()
            .unwrap();
        (json_stdout(&output), exit_code(&output))
    }
}

pub fn exit_code(output: &Output) -> i32 {
    output.status.code().expect("exited, not killed")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// Both streams, lossily decoded: for assertion messages.
pub fn output_text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `git ARGS` in `dir` with a fixed author and committer; its trimmed standard output. Fails
/// the test when git does.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        output_text(&output)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Standard output parsed as JSON, with both streams in the panic message if it is not.
pub fn json_stdout(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e})\nstdout: {}\nstderr: {}",
            stdout(output),
            stderr(output)
        )
    })
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} was not written: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// One finding of a JSON report, flattened for assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: String,
    pub code: String,
    pub severity: String,
    /// 0 for findings about a whole file.
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// Every finding of every run of a JSON report.
pub fn findings(report: &Value) -> Vec<Found> {
    let runs = report["runs"].as_array().expect("runs is an array");
    runs.iter()
        .flat_map(|run| run["findings"].as_array().expect("findings is an array"))
        .map(|f| Found {
            path: f["path"].as_str().expect("path").to_owned(),
            code: f["rule"]["code"].as_str().expect("rule.code").to_owned(),
            severity: f["severity"].as_str().expect("severity").to_owned(),
            line: f["region"]["start"]["line"].as_u64().unwrap_or(0),
            column: f["region"]["start"]["column"].as_u64().unwrap_or(0),
            message: f["message"].as_str().expect("message").to_owned(),
        })
        .collect()
}

/// The rule codes found, in report order.
pub fn codes(report: &Value) -> Vec<String> {
    findings(report).into_iter().map(|f| f.code).collect()
}

/// The paths of every target of every run.
pub fn target_paths(report: &Value) -> Vec<String> {
    report["runs"]
        .as_array()
        .expect("runs is an array")
        .iter()
        .flat_map(|run| run["targets"].as_array().expect("targets is an array"))
        .map(|t| t["path"].as_str().expect("target path").to_owned())
        .collect()
}

/// Where scripts/test.sh installs the npm CI tools (tests/ci-tools/package.json):
/// `PORTCULLIS_CI_TOOLS`, else `target/ci-tools/node_modules`.
pub fn ci_tools_dir() -> PathBuf {
    std::env::var_os("PORTCULLIS_CI_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("target/ci-tools/node_modules"))
}

/// Writes `text` to `path` as a program anyone may run (a stand-in for a tool).
pub fn write_script(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, text).expect("write the script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .expect("make the script executable");
}

/// Asserts that `text` contains each of `needles`, showing `text` when one is missing.
pub fn assert_contains(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "no `{needle}` in:\n{text}");
    }
}

/// The 1-based line of the only line of `text` that contains `needle`.
pub fn line_of(text: &str, needle: &str) -> u64 {
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle))
        .map(|(n, _)| n + 1)
        .collect();
    assert_eq!(lines.len(), 1, "`{needle}` should be on exactly one line");
    lines[0] as u64
}
