//! `--new-only-since REF`: keep only what sits on lines changed since a git ref.

use std::path::{Path, PathBuf};

use crate::diff::ChangedLines;
use crate::finding::Report;

/// Removes from `report` every finding and vulnerability not located on a line `changed`
/// touches; how many were removed. `root` is the directory the changed paths are relative to.
/// A finding about a whole file stays when the file changed; findings about live objects and
/// vulnerabilities without a Dockerfile line have no line in the change and go.
pub fn keep_changed(report: &mut Report, changed: &ChangedLines, root: &Path) -> usize {
    // The root is made absolute once, not for every finding.
    let root = absolute_root(root);
    let relative = |path: &Path| relative_to(root.as_deref()?, path);
    let mut removed = 0;
    for run in &mut report.runs {
        let before = run.findings.len();
        run.findings.retain(|f| {
            let Some(path) = relative(&f.location.path) else {
                return false;
            };
            match f.location.region {
                Some(region) => changed.touches(&path, region.start.line, region.end.line),
                None => changed.has_file(&path),
            }
        });
        removed += before - run.findings.len();
    }
    for image in &mut report.images {
        let lines: Vec<Option<(PathBuf, u32)>> = image
            .vulnerabilities
            .iter()
            .flatten()
            .map(|v| {
                let origin = image.origin(&image.packages[v.package])?;
                Some((relative(&origin.path)?, origin.line as u32))
            })
            .collect();
        if let Some(vulnerabilities) = &mut image.vulnerabilities {
            let before = vulnerabilities.len();
            let mut index = 0;
            vulnerabilities.retain(|_| {
                let keep = lines[index]
                    .as_ref()
                    .is_some_and(|(path, line)| changed.touches(path, *line, *line));
                index += 1;
                keep
            });
            removed += before - vulnerabilities.len();
        }
    }
    removed
}

/// `path` (as a report names it: relative to the working directory, or absolute) relative to
/// `root` (absolute, without `.` components); `None` for paths outside it and for live
/// objects' URIs.
fn relative_to(root: &Path, path: &Path) -> Option<PathBuf> {
    if path.to_str().is_some_and(|p| p.contains("://")) {
        return None;
    }
    let path = std::path::absolute(path).ok()?;
    without_cur_dir(&path)
        .strip_prefix(root)
        .ok()
        .map(Path::to_path_buf)
}

/// `root` as [`relative_to`] takes it.
fn absolute_root(root: &Path) -> Option<PathBuf> {
    std::path::absolute(root).ok().map(|r| without_cur_dir(&r))
}

fn without_cur_dir(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::test_fixture;

    #[test]
    fn only_findings_on_changed_lines_stay() {
        let mut report = test_fixture();
        // The fixture's Dockerfile findings sit on lines 2, 3-4 and 5, plus one about the whole
        // file; a change to line 4 keeps the multi-line one and the whole-file one.
        let changed =
            ChangedLines::parse("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -4 +4 @@\n-x\n+y\n");
        let removed = keep_changed(&mut report, &changed, Path::new("."));
        let kept: Vec<Option<u32>> = report.findings().map(|f| f.line()).collect();
        assert_eq!(removed, 2, "{kept:?}");
        assert_eq!(kept, [Some(3), None]);
    }

    #[test]
    fn paths_are_taken_relative_to_the_checked_directory() {
        let relative =
            |root: &str, path: &str| relative_to(&absolute_root(Path::new(root))?, Path::new(path));
        assert_eq!(
            relative("repo", "repo/./sub/Dockerfile"),
            Some(PathBuf::from("sub/Dockerfile"))
        );
        assert_eq!(relative("./repo", "repo/x"), Some(PathBuf::from("x")));
        assert_eq!(relative("repo", "other/x"), None);
        assert_eq!(relative(".", "docker://host/containers/x"), None);
    }
}
