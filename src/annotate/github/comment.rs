//! The one summary comment on a pull request: found again by its hidden marker and edited, so
//! every push updates it instead of adding another.

use serde::{Deserialize, Serialize};

use super::api::{Api, ApiError, Method};
use super::{truncate, SUMMARY_LIMIT};
use crate::annotate::summary::{is_summary, with_marker};

/// The fields of GitHub's issue-comment object we read.
#[derive(Debug, Deserialize)]
struct IssueComment {
    id: u64,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    html_url: Option<String>,
}

#[derive(Serialize)]
struct CommentBody<'a> {
    body: &'a str,
}

/// What happened to the comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Posted {
    Created(Option<String>),
    Updated(Option<String>),
}

/// Edits our earlier comment on pull request `number`, or creates it if there is none.
pub async fn upsert(
    api: &Api,
    repository: &str,
    number: u64,
    body: &str,
) -> Result<Posted, ApiError> {
    let body = truncate(&with_marker(body), SUMMARY_LIMIT);
    let comments: Vec<IssueComment> = api
        .all_pages(&format!("/repos/{repository}/issues/{number}/comments"))
        .await?;
    let ours = comments
        .iter()
        .find(|c| c.body.as_deref().is_some_and(is_summary));
    let body = CommentBody { body: &body };
    match ours {
        Some(comment) => {
            let updated: IssueComment = api
                .json(
                    Method::Patch,
                    &format!("/repos/{repository}/issues/comments/{}", comment.id),
                    Some(&body),
                )
                .await?;
            Ok(Posted::Updated(updated.html_url))
        }
        None => {
            let created: IssueComment = api
                .json(
                    Method::Post,
                    &format!("/repos/{repository}/issues/{number}/comments"),
                    Some(&body),
                )
                .await?;
            Ok(Posted::Created(created.html_url))
        }
    }
}
