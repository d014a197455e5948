//! The lines a pull request changes, from `GET /repos/{o}/{r}/pulls/{n}/files`: each file's
//! `patch` is the hunks of a unified diff without its headers, so one `+++ b/PATH` header per
//! file makes the whole list a diff [`ChangedLines`] reads.

use std::path::Path;

use serde::Deserialize;

use super::api::{Api, ApiError};
use crate::diff::ChangedLines;

/// The fields of GitHub's pull-request file object we read.
#[derive(Debug, Deserialize)]
pub struct PullFile {
    pub filename: String,
    pub status: String,
    /// Missing for binary files and diffs too large for the API.
    #[serde(default)]
    pub patch: Option<String>,
}

pub async fn changed_lines(
    api: &Api,
    repository: &str,
    number: u64,
) -> Result<ChangedLines, ApiError> {
    let files: Vec<PullFile> = api
        .all_pages(&format!("/repos/{repository}/pulls/{number}/files"))
        .await?;
    Ok(changed_lines_of(&files))
}

pub fn changed_lines_of(files: &[PullFile]) -> ChangedLines {
    let mut diff = String::new();
    for file in files {
        if let Some(patch) = &file.patch {
            diff.push_str("+++ b/");
            diff.push_str(&file.filename);
            diff.push('\n');
            diff.push_str(patch);
            diff.push('\n');
        }
    }
    let mut changed = ChangedLines::parse(&diff);
    // An added file whose diff GitHub leaves out (too large) is new on every line.
    for file in files
        .iter()
        .filter(|f| f.patch.is_none() && f.status == "added")
    {
        changed.add_file(Path::new(&file.filename));
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(filename: &str, status: &str, patch: Option<&str>) -> PullFile {
        PullFile {
            filename: filename.into(),
            status: status.into(),
            patch: patch.map(str::to_owned),
        }
    }

    #[test]
    fn patches_of_the_files_api_become_changed_lines() {
        let changed = changed_lines_of(&[
            file(
                "Dockerfile",
                "modified",
                Some("@@ -1,3 +1,4 @@\n FROM debian\n-RUN a\n+RUN b\n+RUN c\n USER x"),
            ),
            file(
                "deploy/pod.yaml",
                "added",
                Some("@@ -0,0 +1,2 @@\n+kind: Pod\n+metadata: {}"),
            ),
            file("big/Dockerfile", "added", None),
            file("gone/Dockerfile", "removed", Some("@@ -1 +0,0 @@\n-FROM x")),
            file("image.png", "modified", None),
        ]);
        // The hunk's new side is lines 1-4: context lines count, which is where GitHub shows
        // annotations too.
        assert!(changed.touches(Path::new("Dockerfile"), 2, 2));
        assert!(!changed.touches(Path::new("Dockerfile"), 5, 9));
        assert!(changed.touches(Path::new("deploy/pod.yaml"), 2, 2));
        assert!(changed.touches(Path::new("big/Dockerfile"), 400, 400));
        assert!(!changed.touches(Path::new("gone/Dockerfile"), 1, 1));
        assert!(!changed.has_file(Path::new("image.png")));
    }
}
