//! Line discussions: one per finding on a line the merge request added, placed with the
//! latest diff version's SHAs, never repeated across runs, capped per run.

use std::collections::HashSet;

use reqwest::Method;

use super::api::{Api, ApiError, Discussion, FileDiff, Version};
use crate::annotate::report::Annotation;
use crate::diff::ChangedLines;

/// Starts the first note of every discussion we open; the fingerprint after it is how a later
/// run knows the finding was already posted.
const FINDING_MARKER: &str = "<!-- portcullis-finding ";

/// What became of the findings on changed lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Posted {
    /// Findings on lines the merge request added (each fingerprint once).
    pub on_changed_lines: usize,
    /// Discussions opened by this run.
    pub posted: usize,
    /// Found in a discussion an earlier run opened.
    pub already_posted: usize,
    /// Left out by `--max-discussions`.
    pub beyond_cap: usize,
}

/// A file of the merge request with the lines it added.
struct ChangedFile {
    old_path: String,
    new_path: String,
    added: ChangedLines,
}

/// Opens a discussion for each annotation on an added line that no earlier run posted, most
/// severe first, at most `max`. On failure, what was done so far comes with the error.
pub fn post(api: &Api, annotations: &[Annotation], max: usize) -> (Posted, Option<ApiError>) {
    let mut done = Posted::default();
    let error = post_each(api, annotations, max, &mut done).err();
    (done, error)
}

fn post_each(
    api: &Api,
    annotations: &[Annotation],
    max: usize,
    done: &mut Posted,
) -> Result<(), ApiError> {
    let versions: Vec<Version> = api.list("versions")?;
    // An empty list: GitLab has not computed the diff yet, so there is nothing to place on.
    let Some(shas) = versions.into_iter().next() else {
        return Ok(());
    };
    let files: Vec<ChangedFile> = api
        .list::<FileDiff>("diffs")?
        .into_iter()
        .filter(|d| !d.deleted_file)
        .map(|d| ChangedFile {
            added: added_lines(&d.new_path, &d.diff),
            old_path: d.old_path,
            new_path: d.new_path,
        })
        .collect();
    let earlier: HashSet<String> = api
        .list::<Discussion>("discussions")?
        .iter()
        .filter_map(|d| d.notes.first())
        .filter_map(|note| fingerprint_in(&note.body))
        .collect();
    let mut seen = HashSet::new();
    for annotation in annotations {
        let Some((file, line)) = locate(&files, annotation) else {
            continue;
        };
        if !seen.insert(annotation.fingerprint.as_str()) {
            continue;
        }
        done.on_changed_lines += 1;
        if earlier.contains(&annotation.fingerprint) {
            done.already_posted += 1;
        } else if done.posted >= max {
            done.beyond_cap += 1;
        } else {
            let body = body(annotation);
            let line = line.to_string();
            let form = [
                ("body", body.as_str()),
                ("position[position_type]", "text"),
                ("position[base_sha]", &shas.base_commit_sha),
                ("position[start_sha]", &shas.start_commit_sha),
                ("position[head_sha]", &shas.head_commit_sha),
                ("position[old_path]", &file.old_path),
                ("position[new_path]", &file.new_path),
                ("position[new_line]", &line),
            ];
            api.call::<Discussion>(Method::POST, "discussions", &form)?;
            done.posted += 1;
        }
    }
    Ok(())
}

/// The changed file an annotation is in and the first line of its range the merge request
/// added: a discussion on an added line needs only `new_line`.
fn locate<'a>(files: &'a [ChangedFile], a: &Annotation) -> Option<(&'a ChangedFile, u32)> {
    let file = files.iter().find(|f| f.added.has_file(&a.path))?;
    let line = (a.start_line..=a.end_line.max(a.start_line))
        .find(|&line| file.added.touches(&a.path, line, line))?;
    Some((file, line))
}

/// GitLab's diffs are hunks without the file header; `ChangedLines` counts their added lines
/// only (a context line cannot carry a discussion by its new line alone).
fn added_lines(new_path: &str, diff: &str) -> ChangedLines {
    ChangedLines::parse(&format!("+++ b/{new_path}\n{diff}"))
}

fn fingerprint_in(body: &str) -> Option<String> {
    let rest = &body[body.find(FINDING_MARKER)? + FINDING_MARKER.len()..];
    let end = rest.find("-->")?;
    Some(rest[..end].trim().to_owned()).filter(|f| !f.is_empty())
}

/// The first note of a discussion: the rule, its severity, the message and where to read more.
fn body(a: &Annotation) -> String {
    let help = a
        .help_uri
        .as_deref()
        .map(|uri| format!("\n\n[How to fix it]({uri})"))
        .unwrap_or_default();
    format!(
        "{FINDING_MARKER}{} -->\n**portcullis {}:** {}\n\n{}{help}",
        a.fingerprint,
        a.severity,
        a.title,
        a.message.trim()
    )
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::finding::Severity;

    /// A GitLab `diff` field: context around a replaced line, two added ones, a deletion, and
    /// an added line that reads like a file header, without the file's own headers.
    const DIFF: &str = "@@ -1,5 +1,6 @@\n FROM debian:12\n-RUN apt-get update\n+RUN apt-get update && \\\n+    apt-get install -y curl\n \n USER app\n@@ -20,3 +21,4 @@ CMD\n one\n-two\n three\n+four\n+++ not a header\n\\ No newline at end of file\n";

    fn annotation(path: &str, start: u32, end: u32, fingerprint: &str) -> Annotation {
        Annotation {
            path: PathBuf::from(path),
            start_line: start,
            end_line: end,
            columns: None,
            severity: Severity::Warning,
            title: "PC1005 missing-pin".into(),
            message: "pin it".into(),
            help_uri: Some("https://example.com/rules#pc1005".into()),
            fingerprint: fingerprint.into(),
        }
    }

    #[test]
    fn only_added_lines_count_not_context() {
        let added = added_lines("Dockerfile", DIFF);
        let p = Path::new("Dockerfile");
        let lines: Vec<u32> = (1..30).filter(|&l| added.touches(p, l, l)).collect();
        assert_eq!(lines, [2, 3, 23, 24]);
        assert!(!added.has_file(Path::new("not a header")));
    }

    #[test]
    fn a_range_lands_on_its_first_added_line() {
        let files = [ChangedFile {
            old_path: "Dockerfile".into(),
            new_path: "Dockerfile".into(),
            added: added_lines("Dockerfile", DIFF),
        }];
        let at = |a: &Annotation| locate(&files, a).map(|(_, line)| line);
        assert_eq!(at(&annotation("./Dockerfile", 1, 4, "f")), Some(2));
        assert_eq!(at(&annotation("Dockerfile", 5, 5, "f")), None, "context");
        assert_eq!(at(&annotation("other", 2, 2, "f")), None);
    }

    #[test]
    fn our_marker_round_trips_through_a_body() {
        let a = annotation("Dockerfile", 2, 2, "71b41c9f63352194");
        let text = body(&a);
        assert_eq!(fingerprint_in(&text).as_deref(), Some("71b41c9f63352194"));
        assert!(text.contains("**portcullis warning:** PC1005 missing-pin"));
        assert!(text.contains("(https://example.com/rules#pc1005)"));
        assert_eq!(fingerprint_in("a reviewer's note"), None);
        assert_eq!(fingerprint_in("<!-- portcullis-finding  -->"), None);
    }
}
