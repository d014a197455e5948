//! Running an installed ShellCheck on RUN scripts, hadolint-style, but keeping positions.
//!
//! Each script becomes a temporary file: a shebang naming the stage's shell, one `export` line
//! declaring the ARG/ENV names in scope (so ShellCheck does not call them unassigned), then the
//! script itself. All scripts of one Dockerfile go to one `shellcheck` process; its `json1`
//! comments (1-based lines, columns counted in characters with a tab as one) are shifted past
//! the two prelude lines and turned into byte offsets in the script, which the caller maps to
//! Dockerfile lines and columns.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use serde::Deserialize;

use super::stages::PROXY_ARGS;
use crate::finding::Severity;

/// `--shellcheck`: whether ShellCheck runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Mode {
    /// Run it when `shellcheck` is on PATH.
    #[default]
    Auto,
    /// Never run it.
    Off,
    /// Run it, and fail the run (exit 2) when it is missing or fails.
    Required,
}

/// ShellCheck codes hadolint leaves out: sourced files are not there at lint time, and SC2187
/// only says ash is not supported.
const EXCLUDED: &str = "SC1090,SC1091,SC2187";

/// An installed `shellcheck`, plus the failures met while running it (they make the run
/// incomplete without stopping it).
#[derive(Debug)]
pub struct ShellCheck {
    program: PathBuf,
    /// (Dockerfile, problem).
    failures: Mutex<Vec<(PathBuf, String)>>,
}

/// One script to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The interpreter for the shebang (`/bin/sh`, `/bin/bash`).
    pub shell: String,
    /// Variable names the build defines at this point.
    pub defined: Vec<String>,
    pub text: String,
}

/// One ShellCheck comment, positioned in [`Script::text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Byte range in the script text.
    pub range: std::ops::Range<usize>,
    pub code: u32,
    pub severity: Severity,
    pub message: String,
}

impl ShellCheck {
    /// Looks for `shellcheck` as `mode` says: `Ok(None)` when it is off, or missing under
    /// `auto`; an error when it is missing under `required`.
    pub fn locate(mode: Mode) -> Result<Option<ShellCheck>, String> {
        if mode == Mode::Off {
            return Ok(None);
        }
        match find_on_path("shellcheck") {
            Some(program) => Ok(Some(ShellCheck::at(program))),
            None if mode == Mode::Required => Err(
                "--shellcheck required: no `shellcheck` on PATH (install the shellcheck package, or use --shellcheck auto)"
                    .to_owned(),
            ),
            None => Ok(None),
        }
    }

    pub fn at(program: PathBuf) -> ShellCheck {
        ShellCheck {
            program,
            failures: Mutex::new(Vec::new()),
        }
    }

    /// Problems met while running ShellCheck on `path`'s scripts, for the file's error.
    pub fn take_failures(&self, path: &Path) -> Vec<String> {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let (mine, others) = std::mem::take(&mut *failures)
            .into_iter()
            .partition(|(p, _)| p == path);
        *failures = others;
        mine.into_iter().map(|(_, problem)| problem).collect()
    }

    /// Checks `scripts` in one process; the comments of each script, in order. On failure the
    /// problem is recorded (see [`ShellCheck::take_failures`]) and no comments are returned.
    pub fn check(&self, path: &Path, scripts: &[Script]) -> Vec<Vec<Comment>> {
        if scripts.is_empty() {
            return Vec::new();
        }
        match self.run(scripts) {
            Ok(comments) => comments,
            Err(err) => {
                self.failures
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((
                        path.to_path_buf(),
                        format!(
                            "{}: shellcheck: {err} (the other checks ran; use --shellcheck off to skip it)",
                            path.display()
                        ),
                    ));
                vec![Vec::new(); scripts.len()]
            }
        }
    }

    fn run(&self, scripts: &[Script]) -> Result<Vec<Vec<Comment>>, String> {
        let dir =
            tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        let mut files = Vec::with_capacity(scripts.len());
        for (n, script) in scripts.iter().enumerate() {
            let file = dir.path().join(format!("{n}.sh"));
            std::fs::write(&file, with_prelude(script))
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            files.push(file);
        }
        let output = Command::new(&self.program)
            .args(["--norc", "--format=json1", "--exclude", EXCLUDED])
            .args(&files)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.program.display()))?;
        // 0: nothing found, 1: comments; anything else is ShellCheck failing.
        if !matches!(output.status.code(), Some(0 | 1)) {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(format!("exited with {}: {}", output.status, stderr.trim()));
        }
        let report: Report = serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("unreadable output: {e}"))?;
        let index: HashMap<&Path, usize> = files
            .iter()
            .enumerate()
            .map(|(n, f)| (f.as_path(), n))
            .collect();
        let mut comments = vec![Vec::new(); scripts.len()];
        for raw in report.comments {
            let Some(&n) = index.get(Path::new(&raw.file)) else {
                continue;
            };
            if let Some(comment) = raw.into_comment(&scripts[n].text) {
                comments[n].push(comment);
            }
        }
        Ok(comments)
    }
}

/// Lines the prelude adds in front of every script.
const PRELUDE_LINES: u32 = 2;

fn with_prelude(script: &Script) -> String {
    let names: Vec<&str> = script
        .defined
        .iter()
        .map(String::as_str)
        .chain(PROXY_ARGS.iter().copied())
        .filter(|name| is_identifier(name))
        .collect();
    let exports = if names.is_empty() {
        String::from(":")
    } else {
        let assignments: Vec<String> = names.iter().map(|n| format!("{n}=1")).collect();
        format!("export {}", assignments.join(" "))
    };
    format!("#!{}\n{exports}\n{}\n", script.shell, script.text)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[derive(Deserialize)]
struct Report {
    comments: Vec<RawComment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawComment {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    level: String,
    code: u32,
    message: String,
}

impl RawComment {
    fn into_comment(self, text: &str) -> Option<Comment> {
        let line = self.line.checked_sub(PRELUDE_LINES).filter(|l| *l > 0)?;
        let end_line = self.end_line.saturating_sub(PRELUDE_LINES).max(line);
        let start = offset_of(text, line, self.column);
        let end = offset_of(text, end_line, self.end_column).max(start);
        let severity = match self.level.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => Severity::Style,
        };
        Some(Comment {
            range: start..end,
            code: self.code,
            severity,
            message: self.message,
        })
    }
}

/// The byte offset of 1-based `line` and character `column` in `text`, clamped to the text.
fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>()
        .min(text.len());
    let rest = &text[line_start..];
    let line_text = rest.split('\n').next().unwrap_or_default();
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line_text.len(), |(i, _)| i);
    line_start + within
}

/// `SC2086` as a `'static` id for a finding's aliases. There are a few hundred ShellCheck
/// codes at most, so each is leaked once.
pub fn code_id(code: u32) -> &'static str {
    static IDS: OnceLock<Mutex<HashMap<u32, &'static str>>> = OnceLock::new();
    let mut ids = IDS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    ids.entry(code)
        .or_insert_with(|| Box::leak(format!("SC{code:04}").into_boxed_str()))
}

/// Whether `id` is a ShellCheck code (`SC2086`).
pub fn is_code(id: &str) -> bool {
    id.len() > 2
        && id[..2].eq_ignore_ascii_case("SC")
        && id[2..].bytes().all(|b| b.is_ascii_digit())
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters_on_the_right_line() {
        let text = "a=1\n\techo é $x\n";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 1), 4);
        // Tab counts as one column; `é` is one column but two bytes.
        assert_eq!(&text[offset_of(text, 2, 9)..offset_of(text, 2, 11)], "$x");
        assert_eq!(offset_of(text, 9, 9), text.len());
    }

    #[test]
    fn the_prelude_is_two_lines_and_declares_valid_names_only() {
        let script = Script {
            shell: "/bin/bash".into(),
            defined: vec!["APP_HOME".into(), "not-a-name".into()],
            text: "echo $APP_HOME".into(),
        };
        let text = with_prelude(&script);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len() as u32, PRELUDE_LINES + 1);
        assert_eq!(lines[0], "#!/bin/bash");
        assert!(lines[1].starts_with("export APP_HOME=1 HTTP_PROXY=1"));
        assert!(!lines[1].contains("not-a-name"));
    }

    #[test]
    fn codes_are_interned_and_recognised() {
        assert_eq!(code_id(2086), "SC2086");
        assert!(std::ptr::eq(code_id(2086), code_id(2086)));
        assert!(is_code("SC2086") && is_code("sc1000"));
        assert!(!is_code("SC") && !is_code("DL3008") && !is_code("SCX1"));
    }

    /// Runs the real ShellCheck when it is installed (CI installs it).
    #[test]
    fn real_shellcheck_comments_map_into_the_script() {
        let Some(shellcheck) = ShellCheck::locate(Mode::Auto).unwrap() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have shellcheck installed"
            );
            eprintln!("skipped: no shellcheck on PATH");
            return;
        };
        let scripts = [
            Script {
                shell: "/bin/sh".into(),
                defined: vec!["VERSION".into()],
                text: "curl -o /tmp/x $VERSION && \\\n  rm -rf $target".into(),
            },
            Script {
                shell: "/bin/sh".into(),
                defined: Vec::new(),
                text: "echo ok".into(),
            },
        ];
        let comments = shellcheck.check(Path::new("Dockerfile"), &scripts);
        assert!(shellcheck.take_failures(Path::new("Dockerfile")).is_empty());
        assert_eq!(comments.len(), 2);
        assert!(comments[1].is_empty(), "{:?}", comments[1]);
        let text = &scripts[0].text;
        let found: Vec<(u32, &str)> = comments[0]
            .iter()
            .map(|c| (c.code, &text[c.range.clone()]))
            .collect();
        // $target is unset and unquoted; $VERSION is declared by the prelude (as a plain
        // value, so ShellCheck does not ask to quote it either), as hadolint does.
        assert_eq!(found, [(2154, "$target"), (2086, "$target")]);
    }

    #[test]
    fn a_failing_shellcheck_is_recorded_not_fatal() {
        let broken = ShellCheck::at(PathBuf::from("/nonexistent/shellcheck"));
        let script = Script {
            shell: "/bin/sh".into(),
            defined: Vec::new(),
            text: "echo".into(),
        };
        let comments = broken.check(Path::new("svc/Dockerfile"), &[script]);
        assert_eq!(comments, [Vec::<Comment>::new()]);
        assert!(broken
            .take_failures(Path::new("other/Dockerfile"))
            .is_empty());
        let failures = broken.take_failures(Path::new("svc/Dockerfile"));
        assert_eq!(failures.len(), 1);
        assert!(
            failures[0].starts_with("svc/Dockerfile: shellcheck: cannot run"),
            "{failures:?}"
        );
    }
}
