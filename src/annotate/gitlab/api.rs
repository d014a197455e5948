//! The few GitLab REST v4 routes of one merge request that `annotate gitlab` uses, over the
//! shared HTTP plumbing (`crate::http`): the same retries of 429 (honouring `Retry-After`) and
//! 5xx, `PRIVATE-TOKEN` authentication, `x-next-page` pagination.

use std::time::Duration;

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::http::{self, RetryPolicy, Timeouts};

/// Where to post: an API root, a project (numeric id or `group/project` path) and a merge
/// request's project-scoped iid, with a token allowed to write notes there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `https://gitlab.com/api/v4` or `$CI_API_V4_URL`.
    pub api_url: String,
    pub project: String,
    pub merge_request: u64,
    pub token: String,
}

/// A request that failed, with what GitLab said and what the user can do.
#[derive(Debug, thiserror::Error)]
#[error("{method} {route}: {problem}{advice}")]
pub struct ApiError {
    method: Method,
    /// The route below the merge request, e.g. `notes`; no token, no host.
    route: String,
    problem: String,
    advice: &'static str,
}

/// A merge-request note, as the notes and discussions routes return it.
#[derive(Debug, Clone, Deserialize)]
pub struct Note {
    pub id: u64,
    pub body: String,
    #[serde(default)]
    pub system: bool,
}

/// One diff version of a merge request (`GET …/versions`), newest first.
#[derive(Debug, Clone, Deserialize)]
pub struct Version {
    pub base_commit_sha: String,
    pub start_commit_sha: String,
    pub head_commit_sha: String,
}

/// One changed file of a merge request (`GET …/diffs`): the hunks without the file headers.
#[derive(Debug, Clone, Deserialize)]
pub struct FileDiff {
    pub old_path: String,
    pub new_path: String,
    #[serde(default)]
    pub diff: String,
    #[serde(default)]
    pub deleted_file: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Discussion {
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// Pages are capped so a server that always names a next page cannot keep us forever: 100
/// pages of 100 are more notes, discussions or files than a merge request shows.
const MAX_PAGES: u32 = 100;

pub struct Api {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
    retry: RetryPolicy,
    timeouts: Timeouts,
    /// `…/projects/<encoded id>/merge_requests/<iid>`.
    base: String,
    token: String,
}

impl Api {
    pub fn new(target: &Target, retry: RetryPolicy) -> Result<Api, String> {
        let timeouts = Timeouts {
            connect: Duration::from_secs(15),
            response: Duration::from_secs(30),
            read: Duration::from_secs(30),
        };
        let runtime = http::runtime("portcullis-gitlab")
            .map_err(|e| format!("cannot start the HTTP runtime: {e}"))?;
        let client = http::client(&timeouts).map_err(|e| http::error_chain(&e))?;
        let base = format!(
            "{}/projects/{}/merge_requests/{}",
            target.api_url.trim_end_matches('/'),
            // A `group/project` path is one URL segment with its slashes encoded.
            utf8_percent_encode(&target.project, NON_ALPHANUMERIC),
            target.merge_request
        );
        Ok(Api {
            runtime,
            client,
            retry,
            timeouts,
            base,
            token: target.token.clone(),
        })
    }

    /// Every item of a paginated list route, following `x-next-page` until it is empty.
    pub fn list<T: DeserializeOwned>(&self, route: &str) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        let mut page = String::from("1");
        for _ in 0..MAX_PAGES {
            let query = [("per_page", "100"), ("page", page.as_str())];
            let (body, next) = self.send(Method::GET, route, &query, &[])?;
            let mut batch: Vec<T> = parse(Method::GET, route, &body)?;
            items.append(&mut batch);
            match next {
                Some(next) if !next.is_empty() && next != page => page = next,
                _ => return Ok(items),
            }
        }
        Ok(items)
    }

    /// A request whose JSON answer is one object; `form` is sent `x-www-form-urlencoded`,
    /// the encoding GitLab documents for nested `position[…]` parameters.
    pub fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        route: &str,
        form: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        let (body, _) = self.send(method.clone(), route, &[], form)?;
        parse(method, route, &body)
    }

    fn send(
        &self,
        method: Method,
        route: &str,
        query: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> Result<(Vec<u8>, Option<String>), ApiError> {
        let url = if route.is_empty() {
            self.base.clone()
        } else {
            format!("{}/{route}", self.base)
        };
        let fail = |problem: String, advice: &'static str| ApiError {
            method: method.clone(),
            route: route.to_owned(),
            problem,
            advice,
        };
        self.runtime.block_on(async {
            let response = http::send_retrying(
                &self.retry,
                &self.timeouts,
                || {
                    let mut request = self
                        .client
                        .request(method.clone(), &url)
                        .header("PRIVATE-TOKEN", &self.token)
                        .query(query);
                    if !form.is_empty() {
                        request = request.form(form);
                    }
                    request
                },
                http::error_chain,
            )
            .await
            .map_err(|problem| fail(problem, CHECK_API_URL))?;
            let status = response.status();
            let next = response
                .headers()
                .get("x-next-page")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned());
            let body = tokio::time::timeout(self.timeouts.read, response.bytes())
                .await
                .map_err(|_| fail("the answer stopped arriving".into(), CHECK_API_URL))?
                .map_err(|e| fail(http::error_chain(&e), CHECK_API_URL))?;
            if !status.is_success() {
                return Err(fail(
                    format!("HTTP {status}{}", gitlab_message(&body)),
                    advice(status),
                ));
            }
            Ok((body.to_vec(), next))
        })
    }
}

const CHECK_API_URL: &str = "; check --api-url (CI_API_V4_URL) and that the job can reach GitLab";

/// What to do about a refused request.
fn advice(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => {
            "; the token is invalid or expired (a CI_JOB_TOKEN cannot write notes): set \
             PORTCULLIS_GITLAB_TOKEN to a project or group access token with the `api` scope"
        }
        403 => {
            "; the token may read but not write: give it the `api` scope and at least the \
             Developer role on the project"
        }
        404 => {
            "; the project or merge request was not found, or the token cannot see it: check \
             --project (CI_PROJECT_ID), --merge-request (CI_MERGE_REQUEST_IID) and that the \
             token's user is a member of the project"
        }
        _ => "",
    }
}

/// GitLab's own explanation (`{"message": …}` or `{"error": …}`), shortened.
fn gitlab_message(body: &[u8]) -> String {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return String::new();
    };
    let said = value.get("message").or_else(|| value.get("error"));
    let text = match said {
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => return String::new(),
    };
    let text: String = text.chars().take(300).collect();
    format!(" ({text})")
}

fn parse<T: DeserializeOwned>(method: Method, route: &str, body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError {
        method,
        route: route.to_owned(),
        problem: format!("the answer is not what GitLab's API returns ({e})"),
        advice: CHECK_API_URL,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitlab_explanations_are_quoted_and_shortened() {
        assert_eq!(
            gitlab_message(br#"{"message":"403 Forbidden"}"#),
            " (403 Forbidden)"
        );
        assert_eq!(
            gitlab_message(br#"{"message":{"base":["Note is invalid"]}}"#),
            r#" ({"base":["Note is invalid"]})"#
        );
        assert_eq!(
            gitlab_message(br#"{"error":"insufficient_scope"}"#),
            " (insufficient_scope)"
        );
        assert_eq!(gitlab_message(b"<html>"), "");
        assert_eq!(gitlab_message(&[b'x'; 1000]), "");
    }

    #[test]
    fn refusals_say_what_to_fix() {
        assert!(advice(StatusCode::FORBIDDEN).contains("Developer role"));
        assert!(advice(StatusCode::UNAUTHORIZED).contains("CI_JOB_TOKEN"));
        assert!(advice(StatusCode::NOT_FOUND).contains("--project"));
    }

    #[test]
    fn project_paths_are_one_encoded_segment() {
        let target = Target {
            api_url: "https://gitlab.example.com/api/v4/".into(),
            project: "group/sub group/app".into(),
            merge_request: 7,
            token: "t".into(),
        };
        let api = Api::new(&target, RetryPolicy::default()).unwrap();
        assert_eq!(
            api.base,
            "https://gitlab.example.com/api/v4/projects/group%2Fsub%20group%2Fapp/merge_requests/7"
        );
    }
}
