//! The Dockerfile corpus under `tests/corpus/`: about 150 Dockerfiles written for this project
//! (multi-stage builds, heredocs, `RUN --mount`, the escape directive and Windows images,
//! ARG-in-FROM, distroless and scratch, every package manager the rules know, clean files, bad
//! practice and deliberately malformed files). Each one is linted by the real binary, one process
//! per file, and the findings are kept as an insta snapshot per file:
//!
//! ```text
//! exit 1
//! 4:5 PC4004 (DL3009) `apt-get` leaves its cache in the layer: …
//! -:- PC1234 a finding about the whole file
//! target error: unterminated heredoc starting at line 3
//! ```
//!
//! Besides the snapshots, a second test checks every report: it validates against our JSON
//! schema, its exit code is the process's, and every region lies inside the file (line and column
//! within the text), so a broken span mapping fails even before anyone reads a snapshot.
//!
//! Review changed snapshots with `cargo insta review` (`INSTA_GLOB_FILTER=name*` narrows the run).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// `portcullis lint` for one corpus file, from the corpus directory (so paths read
/// `name.Dockerfile`), with an empty configuration file so no `.portcullis.toml` or
/// `.hadolint.yaml` above the checkout can change the result.
fn lint(corpus: &Path, config: &Path, file: &str) -> (Value, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portcullis"));
    cmd.current_dir(corpus)
        .env_remove("NO_COLOR")
        .args(["lint", "--color", "never", "-f", "json", "-c"])
        .arg(config)
        .args(shellcheck_off())
        .arg(file);
    let output = cmd.output().expect("run portcullis");
    let code = output.status.code().expect("portcullis exited, not killed");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{file}: stdout is not JSON ({e})\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (report, code)
}

/// `--shellcheck off` once the binary has the option: ShellCheck findings depend on whether (and
/// which) `shellcheck` is installed, and the snapshots must not.
fn shellcheck_off() -> &'static [&'static str] {
    static ARGS: std::sync::OnceLock<&'static [&'static str]> = std::sync::OnceLock::new();
    ARGS.get_or_init(|| {
        let help = Command::new(env!("CARGO_BIN_EXE_portcullis"))
            .args(["lint", "--help"])
            .output()
            .expect("run portcullis lint --help");
        if String::from_utf8_lossy(&help.stdout).contains("--shellcheck") {
            &["--shellcheck", "off"]
        } else {
            &[]
        }
    })
}

/// The compact listing kept in the snapshot.
fn listing(report: &Value, code: i32) -> String {
    let mut out = format!("exit {code}\n");
    for error in report["errors"].as_array().expect("errors is an array") {
        out += &format!("error: {}\n", one_line(error.as_str().unwrap_or_default()));
    }
    for run in report["runs"].as_array().expect("runs is an array") {
        for finding in run["findings"].as_array().expect("findings is an array") {
            let start = &finding["region"]["start"];
            let position = match (start["line"].as_u64(), start["column"].as_u64()) {
                (Some(line), Some(column)) => format!("{line}:{column}"),
                _ => "-:-".to_owned(),
            };
            let aliases: Vec<&str> = finding["aliases"]
                .as_array()
                .expect("aliases is an array")
                .iter()
                .map(|a| a.as_str().expect("alias is a string"))
                .collect();
            let aliases = if aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", aliases.join(", "))
            };
            out += &format!(
                "{position} {}{aliases} {}\n",
                finding["rule"]["code"].as_str().expect("rule.code"),
                one_line(finding["message"].as_str().expect("message")),
            );
        }
        for target in run["targets"].as_array().expect("targets is an array") {
            if let Some(error) = target["error"].as_str() {
                out += &format!("target error: {}\n", one_line(error));
            }
        }
    }
    out
}

fn one_line(text: &str) -> String {
    text.replace('\n', "\\n")
}

/// Every region lies inside `text` and ends after it starts; problems are returned. Columns
/// count code points, a byte order mark included.
fn region_problems(text: &str, report: &Value) -> Vec<String> {
    let lines: Vec<usize> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).chars().count())
        .collect();
    let mut problems = Vec::new();
    for run in report["runs"].as_array().expect("runs is an array") {
        for finding in run["findings"].as_array().expect("findings is an array") {
            let region = &finding["region"];
            if region.is_null() {
                continue;
            }
            let point = |key: &str| {
                (
                    region[key]["line"].as_u64().unwrap_or(0) as usize,
                    region[key]["column"].as_u64().unwrap_or(0) as usize,
                )
            };
            let (start, end) = (point("start"), point("end"));
            let code = finding["rule"]["code"].as_str().unwrap_or("?");
            let inside = |(line, column): (usize, usize)| {
                line >= 1 && column >= 1 && line <= lines.len() && column <= lines[line - 1] + 1
            };
            if !inside(start) || !inside(end) || end < start {
                problems.push(format!(
                    "{code}: region {}:{}..{}:{} is not inside the file",
                    start.0, start.1, end.0, end.1
                ));
            }
        }
    }
    problems
}

/// An empty configuration file in a scratch directory (kept alive by the returned guard).
fn empty_config() -> (tempfile::TempDir, PathBuf) {
    let scratch = tempfile::tempdir().expect("temporary directory");
    let config = scratch.path().join(".portcullis.toml");
    std::fs::write(&config, "").expect("write the empty configuration");
    (scratch, config)
}

fn corpus_dir() -> PathBuf {
    common::manifest_dir().join("tests/corpus")
}

/// Every report is valid: schema, exit code, one target, paths, regions inside the file. All
/// problems of all files are collected and reported together.
#[test]
fn corpus_reports_are_valid() {
    let schema = common::manifest_dir().join("docs/schemas/portcullis-report.schema.json");
    let (_scratch, config) = empty_config();
    let corpus = corpus_dir();
    let mut names: Vec<String> = std::fs::read_dir(&corpus)
        .expect("read tests/corpus")
        .filter_map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .into_string()
                .ok()
        })
        .filter(|name| name.ends_with(".Dockerfile"))
        .collect();
    names.sort();
    assert!(names.len() >= 100, "the corpus holds {} files", names.len());

    let mut problems = Vec::new();
    for name in &names {
        let bytes = std::fs::read(corpus.join(name)).expect("read the corpus file");
        let text = String::from_utf8_lossy(&bytes);
        let (report, code) = lint(&corpus, &config, name);
        let mut problem = |what: String| problems.push(format!("{name}: {what}"));
        if !matches!(code, 0..=2) {
            problem(format!("exit code {code}"));
        }
        if report["exit_code"] != code {
            problem(format!(
                "exit_code {} in the report, {code} from the process",
                report["exit_code"]
            ));
        }
        for error in common::json_schema_errors(&schema, &report) {
            problem(format!("schema: {error}"));
        }
        let targets = common::target_paths(&report);
        if targets != [name.as_str()] {
            problem(format!("targets {targets:?}"));
        }
        for found in common::findings(&report) {
            if found.path != *name {
                problem(format!("{} has the path {}", found.code, found.path));
            }
        }
        for region in region_problems(&text, &report) {
            problem(region);
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The findings of every corpus file, one snapshot each.
#[test]
fn corpus_findings() {
    let (_scratch, config) = empty_config();
    insta::glob!("corpus/*.Dockerfile", |path| {
        let corpus = path.parent().expect("corpus directory");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file name");
        let (report, code) = lint(corpus, &config, name);
        insta::assert_snapshot!(listing(&report, code));
    });
}
