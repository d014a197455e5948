//! The lines a change touched, from a unified diff: what `--new-only-since REF` keeps and
//! where pull-request annotations may go (GitHub and GitLab only show them on changed lines).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// Why the changed lines could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("cannot run git in {dir}: {source} (is git installed?)")]
    Spawn {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "git {args} in {dir} failed: {stderr} (a shallow CI checkout may lack the ref: fetch it \
         first, e.g. `git fetch origin <ref>`)"
    )]
    Git {
        dir: PathBuf,
        args: String,
        stderr: String,
    },
}

/// Changed line ranges per file, with paths relative to the repository root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedLines {
    /// Inclusive, 1-based line ranges of the new side, per file; a new file is `1..=u32::MAX`.
    files: HashMap<PathBuf, Vec<(u32, u32)>>,
}

impl ChangedLines {
    /// Reads a unified diff (`git diff` output, or hunks under `+++ b/PATH` headers as the
    /// GitHub and GitLab APIs give them). Only added lines count: a deleted line has nowhere to
    /// be annotated, and a context line did not change.
    pub fn parse(diff: &str) -> ChangedLines {
        let mut changed = ChangedLines::default();
        let mut current: Option<PathBuf> = None;
        // The new-side number of the next line, and the hunk's lines still to come (old side,
        // new side): inside a hunk, an added line `++ x` reads `+++ x` and is no header.
        let mut next_line = 0u32;
        let mut remaining = (0u32, 0u32);
        let mut previous = "";
        for line in diff.lines() {
            let after_old_header = previous.starts_with("--- ");
            previous = line;
            let header = line.starts_with("@@ ")
                || line.starts_with("diff --git ")
                || (line.starts_with("+++ ") && (after_old_header || remaining == (0, 0)));
            if !header {
                if remaining == (0, 0) {
                    continue;
                }
                match line.as_bytes().first() {
                    Some(b'+') => {
                        if let Some(path) = &current {
                            changed.add_line(path, next_line);
                        }
                        next_line += 1;
                        remaining.1 = remaining.1.saturating_sub(1);
                    }
                    Some(b'-') => remaining.0 = remaining.0.saturating_sub(1),
                    Some(b'\\') => {}
                    _ => {
                        next_line += 1;
                        remaining.0 = remaining.0.saturating_sub(1);
                        remaining.1 = remaining.1.saturating_sub(1);
                    }
                }
                continue;
            }
            remaining = (0, 0);
            if let Some(path) = line.strip_prefix("+++ ") {
                current = new_side_path(path);
                if let Some(path) = &current {
                    changed.files.entry(path.clone()).or_default();
                }
            } else if let Some(hunk) = line.strip_prefix("@@ ") {
                remaining = old_and_new_counts(hunk);
                next_line = new_range(hunk).map_or(0, |(start, _)| start);
            }
        }
        changed
    }

    /// Records one added line, extending the last range when it follows it.
    fn add_line(&mut self, path: &Path, line: u32) {
        let ranges = self.files.entry(path.to_path_buf()).or_default();
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == line => *end = line,
            _ => ranges.push((line, line)),
        }
    }

    /// The lines changed in the working tree of the repository at `dir` since `since` (a
    /// commit, branch or tag), untracked files counting as wholly new.
    pub fn since(dir: &Path, since: &str) -> Result<ChangedLines, DiffError> {
        let diff = git(
            dir,
            &[
                "diff",
                "--unified=0",
                "--no-color",
                "--no-ext-diff",
                "--no-renames",
                "--relative",
                since,
                "--",
            ],
        )?;
        let mut changed = ChangedLines::parse(&diff);
        let untracked = git(dir, &["ls-files", "--others", "--exclude-standard"])?;
        for path in untracked.lines().filter(|l| !l.is_empty()) {
            changed.add_file(Path::new(path));
        }
        Ok(changed)
    }

    /// Marks every line of `path` as changed (a file the change adds).
    pub fn add_file(&mut self, path: &Path) {
        self.files.insert(normalise(path), vec![(1, u32::MAX)]);
    }

    /// Whether any line of `start..=end` of `path` changed.
    pub fn touches(&self, path: &Path, start: u32, end: u32) -> bool {
        self.files.get(&normalise(path)).is_some_and(|ranges| {
            ranges
                .iter()
                .any(|&(from, to)| from <= end.max(start) && start <= to)
        })
    }

    /// Whether the change touched `path` at all.
    pub fn has_file(&self, path: &Path) -> bool {
        self.files.contains_key(&normalise(path))
    }
}

/// `b/src/x` → `src/x`; `/dev/null` (a deleted file) → nothing.
fn new_side_path(header: &str) -> Option<PathBuf> {
    let path = header.trim_end_matches('\t').split('\t').next()?.trim();
    if path == "/dev/null" {
        return None;
    }
    let path = path.strip_prefix("b/").unwrap_or(path);
    Some(normalise(Path::new(path)))
}

/// How many old and new lines a hunk holds: `-12,3 +14,5 @@` → (3, 5).
fn old_and_new_counts(hunk: &str) -> (u32, u32) {
    let count = |sign: char| {
        hunk.split_whitespace()
            .find(|part| part.starts_with(sign))
            .and_then(|part| match part[1..].split_once(',') {
                Some((_, count)) => count.parse().ok(),
                None => Some(1),
            })
            .unwrap_or(0)
    };
    (count('-'), count('+'))
}

/// `-12,3 +14,5 @@ context` → (14, 5); `+14` alone means one line.
fn new_range(hunk: &str) -> Option<(u32, u32)> {
    let new = hunk.split_whitespace().find(|part| part.starts_with('+'))?;
    let new = &new[1..];
    let (start, count) = match new.split_once(',') {
        Some((start, count)) => (start.parse().ok()?, count.parse().ok()?),
        None => (new.parse().ok()?, 1),
    };
    Some((start, count))
}

/// A relative path without `.` components, so `./Dockerfile` and `Dockerfile` are one file.
fn normalise(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

fn git(dir: &Path, args: &[&str]) -> Result<String, DiffError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|source| DiffError::Spawn {
            dir: dir.to_path_buf(),
            source,
        })?;
    if !output.status.success() {
        return Err(DiffError::Git {
            dir: dir.to_path_buf(),
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "\
diff --git a/Dockerfile b/Dockerfile
index 1111111..2222222 100644
--- a/Dockerfile
+++ b/Dockerfile
@@ -2,2 +2,3 @@ FROM debian:12
 FROM debian:12
-RUN apt-get update
+RUN apt-get update && \\
+    apt-get install -y curl
@@ -10,2 +11,0 @@
-USER root
-CMD [\"x\"]
@@ -20 +20 @@
-x
+++ not a header
diff --git a/deploy/app.yaml b/deploy/app.yaml
new file mode 100644
--- /dev/null
+++ b/deploy/app.yaml
@@ -0,0 +1,4 @@
+kind: Pod
+metadata:
+  name: x
+spec: {}
diff --git a/old.yaml b/old.yaml
deleted file mode 100644
--- a/old.yaml
+++ /dev/null
@@ -1,2 +0,0 @@
-kind: Pod
";

    #[test]
    fn only_the_new_side_of_hunks_counts() {
        let changed = ChangedLines::parse(DIFF);
        assert!(changed.touches(Path::new("Dockerfile"), 3, 3));
        assert!(changed.touches(Path::new("./Dockerfile"), 4, 4));
        assert!(
            !changed.touches(Path::new("Dockerfile"), 5, 10),
            "deletions only"
        );
        assert!(
            changed.touches(Path::new("Dockerfile"), 1, 3),
            "a range reaching in"
        );
        assert!(changed.touches(Path::new("deploy/app.yaml"), 4, 4));
        assert!(!changed.touches(Path::new("deploy/app.yaml"), 5, 5));
        assert!(!changed.has_file(Path::new("old.yaml")));
        assert!(changed.has_file(Path::new("Dockerfile")));
        assert!(changed.touches(Path::new("Dockerfile"), 20, 20));
        assert!(!changed.has_file(Path::new("not a header")));
    }

    #[test]
    fn a_real_repository_with_commits_and_untracked_files() {
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let status = Command::new("git")
                .arg("-C")
                .arg(dir.path())
                .args(args)
                .env("GIT_AUTHOR_NAME", "t")
                .env("GIT_AUTHOR_EMAIL", "t@example.com")
                .env("GIT_COMMITTER_NAME", "t")
                .env("GIT_COMMITTER_EMAIL", "t@example.com")
                .status();
            status.is_ok_and(|s| s.success())
        };
        if !run(&["init", "-q"]) {
            crate::test_support::unavailable::<()>("git is not available".into());
            return;
        }
        std::fs::write(dir.path().join("Dockerfile"), "FROM a\nRUN b\nUSER c\n").unwrap();
        assert!(run(&["add", "."]) && run(&["commit", "-q", "-m", "one"]));
        std::fs::write(
            dir.path().join("Dockerfile"),
            "FROM a\nRUN changed\nUSER c\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("compose.yaml"), "services: {}\n").unwrap();
        let changed = ChangedLines::since(dir.path(), "HEAD").unwrap();
        assert!(changed.touches(Path::new("Dockerfile"), 2, 2));
        assert!(!changed.touches(Path::new("Dockerfile"), 1, 1));
        assert!(
            changed.touches(Path::new("compose.yaml"), 1, 1),
            "untracked is new"
        );
        let err = ChangedLines::since(dir.path(), "no-such-ref").unwrap_err();
        assert!(err.to_string().contains("no-such-ref"), "{err}");
    }
}
