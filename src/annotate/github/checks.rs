//! The check run: one `POST /repos/{o}/{r}/check-runs` that creates it completed, with its
//! summary and the first 50 annotations, then `PATCH /repos/{o}/{r}/check-runs/{id}` for every
//! further 50 — the API takes at most 50 per request and appends each batch.

use octocrab::params::checks::{
    CheckRunConclusion, CheckRunOutput, CheckRunOutputAnnotation, CheckRunOutputAnnotationLevel,
    CheckRunStatus,
};
use serde::{Deserialize, Serialize};

use super::api::{Api, ApiError, Method};
use super::{repo_path, truncate, SUMMARY_LIMIT};
use crate::annotate::report::Annotation;
use crate::finding::Severity;

/// Annotations per request: the Checks API's own limit.
pub const BATCH: usize = 50;

/// GitHub's size limits on annotation fields.
const TITLE_LIMIT: usize = 255;
const MESSAGE_LIMIT: usize = 64 * 1024;

/// What the check run shows.
pub struct CheckRunContent {
    pub name: String,
    pub head_sha: String,
    pub conclusion: CheckRunConclusion,
    pub title: String,
    /// Markdown, shown first on the check run's page.
    pub summary: String,
    /// Markdown below it: what was not annotated.
    pub text: Option<String>,
}

/// The created check run, and how far annotating it got.
#[derive(Debug)]
pub struct Published {
    pub html_url: Option<String>,
    pub annotated: usize,
    /// A later batch that failed: the run exists with the batches before it.
    pub incomplete: Option<ApiError>,
}

#[derive(Serialize)]
struct CreateCheckRun<'a> {
    name: &'a str,
    head_sha: &'a str,
    status: CheckRunStatus,
    conclusion: CheckRunConclusion,
    output: CheckRunOutput,
}

#[derive(Serialize)]
struct UpdateCheckRun {
    output: CheckRunOutput,
}

/// The fields of GitHub's check-run object we read.
#[derive(Deserialize)]
struct CheckRun {
    id: u64,
    html_url: Option<String>,
}

/// The run's result as a check conclusion: the report's exit code 0 passes, 1 fails, and an
/// incomplete run (2) is neutral: it neither blocks nor vouches for the change.
pub fn conclusion(exit_code: i32) -> CheckRunConclusion {
    match exit_code {
        0 => CheckRunConclusion::Success,
        1 => CheckRunConclusion::Failure,
        _ => CheckRunConclusion::Neutral,
    }
}

pub fn level(severity: Severity) -> CheckRunOutputAnnotationLevel {
    match severity {
        Severity::Error => CheckRunOutputAnnotationLevel::Failure,
        Severity::Warning => CheckRunOutputAnnotationLevel::Warning,
        Severity::Info | Severity::Style => CheckRunOutputAnnotationLevel::Notice,
    }
}

pub fn annotation(a: &Annotation) -> CheckRunOutputAnnotation {
    // Columns only on one line (GitHub rejects them otherwise) and only real ones.
    let columns = a
        .columns
        .filter(|&(start, _)| start >= 1 && a.start_line == a.end_line);
    CheckRunOutputAnnotation {
        path: repo_path(&a.path),
        start_line: a.start_line,
        end_line: a.end_line,
        start_column: columns.map(|(start, _)| start),
        end_column: columns.map(|(start, end)| end.max(start)),
        annotation_level: level(a.severity),
        message: truncate(&a.message, MESSAGE_LIMIT),
        title: Some(truncate(&a.title, TITLE_LIMIT)),
        raw_details: a.help_uri.clone(),
    }
}

/// Creates the check run with `annotations`, 50 per request. An error creating it is returned;
/// an error on a later batch leaves the run with the batches before it ([`Published::incomplete`]).
pub async fn publish(
    api: &Api,
    repository: &str,
    content: &CheckRunContent,
    annotations: &[Annotation],
) -> Result<Published, ApiError> {
    let summary = truncate(&content.summary, SUMMARY_LIMIT);
    let text = content.text.as_deref().map(|t| truncate(t, SUMMARY_LIMIT));
    let output = |batch: &[Annotation]| CheckRunOutput {
        title: content.title.clone(),
        summary: summary.clone(),
        text: text.clone(),
        annotations: batch.iter().map(annotation).collect(),
        images: Vec::new(),
    };
    let mut batches = annotations.chunks(BATCH);
    let first = batches.next().unwrap_or_default();
    let created: CheckRun = api
        .json(
            Method::Post,
            &format!("/repos/{repository}/check-runs"),
            Some(&CreateCheckRun {
                name: &content.name,
                head_sha: &content.head_sha,
                status: CheckRunStatus::Completed,
                conclusion: content.conclusion,
                output: output(first),
            }),
        )
        .await?;
    let mut published = Published {
        html_url: created.html_url,
        annotated: first.len(),
        incomplete: None,
    };
    let route = format!("/repos/{repository}/check-runs/{}", created.id);
    for batch in batches {
        let update = UpdateCheckRun {
            output: output(batch),
        };
        match api
            .json::<serde_json::Value>(Method::Patch, &route, Some(&update))
            .await
        {
            Ok(_) => published.annotated += batch.len(),
            Err(error) => {
                published.incomplete = Some(error);
                break;
            }
        }
    }
    Ok(published)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn sample(columns: Option<(u32, u32)>, lines: (u32, u32)) -> Annotation {
        Annotation {
            path: PathBuf::from("./docker/Dockerfile"),
            start_line: lines.0,
            end_line: lines.1,
            columns,
            severity: Severity::Error,
            title: "PC1001 root-user".into(),
            message: "runs as root".into(),
            help_uri: Some("https://example.org/rules#pc1001".into()),
            fingerprint: "f".into(),
        }
    }

    #[test]
    fn annotations_serialise_as_the_api_takes_them() {
        let json = serde_json::to_value(annotation(&sample(Some((6, 12)), (5, 5)))).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "path": "docker/Dockerfile",
                "start_line": 5,
                "end_line": 5,
                "start_column": 6,
                "end_column": 12,
                "annotation_level": "failure",
                "message": "runs as root",
                "title": "PC1001 root-user",
                "raw_details": "https://example.org/rules#pc1001",
            })
        );
        let multi = serde_json::to_value(annotation(&sample(Some((6, 12)), (5, 7)))).unwrap();
        assert!(multi.get("start_column").is_none(), "{multi}");
        let zero = serde_json::to_value(annotation(&sample(Some((0, 0)), (5, 5)))).unwrap();
        assert!(zero.get("start_column").is_none(), "{zero}");
    }

    #[test]
    fn severities_and_exit_codes_map_to_github_words() {
        // Serialised to compare: octocrab's enums do not implement `PartialEq`.
        fn word(value: impl Serialize) -> String {
            serde_json::to_string(&value).unwrap()
        }
        assert_eq!(word(level(Severity::Error)), "\"failure\"");
        assert_eq!(word(level(Severity::Warning)), "\"warning\"");
        assert_eq!(word(level(Severity::Info)), "\"notice\"");
        assert_eq!(word(level(Severity::Style)), "\"notice\"");
        assert_eq!(word(conclusion(0)), "\"success\"");
        assert_eq!(word(conclusion(1)), "\"failure\"");
        assert_eq!(word(conclusion(2)), "\"neutral\"");
    }
}
