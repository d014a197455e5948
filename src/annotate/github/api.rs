//! GitHub REST calls through octocrab's client (token, `--api-url` base, rustls), with the
//! waiting GitHub asks for: rate-limit answers (403/429 with `retry-after`, or an exhausted
//! `x-ratelimit-remaining` with its reset time) and server errors are retried within one time
//! budget for the whole run, so annotating can never hold a job up for long.
//!
//! Requests go through octocrab's raw `_get/_post/_patch`: its typed builders turn every error
//! into a message without the response headers a rate-limit wait needs.

use std::cell::Cell;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::BodyExt;
use octocrab::Octocrab;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::http::{chain, retry_after, seconds, RetryPolicy, Timeouts};

/// A failed call: what GitHub answered (or why nothing was answered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// `POST /repos/o/r/check-runs`.
    pub request: String,
    /// The HTTP status, when GitHub answered.
    pub status: Option<u16>,
    /// GitHub's `message`, or the transport problem.
    pub message: String,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(
                f,
                "{} answered HTTP {status}: {}",
                self.request, self.message
            ),
            None => write!(f, "{} failed: {}", self.request, self.message),
        }
    }
}

impl ApiError {
    /// What to do about it; `permission` names the permission the call needs, for when GitHub
    /// refused the token.
    pub fn advice(&self, permission: &str) -> String {
        let rate_limited = self.message.to_ascii_lowercase().contains("rate limit");
        match self.status {
            Some(429) | Some(500..) => "GitHub is unavailable: re-run the job later".into(),
            Some(403) if rate_limited => {
                "GitHub's rate limit is used up: re-run the job later".into()
            }
            Some(401) => "the token was refused: check that it is valid and has not expired".into(),
            // GitHub answers 404 for what a token may not see.
            Some(403 | 404) => permission.to_owned(),
            Some(_) => "check --repository, --sha and --pull-request".into(),
            None => "check --api-url (GITHUB_API_URL) and that it can be reached from here".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
        }
    }
}

/// How long and how often to retry.
#[derive(Debug, Clone)]
pub struct Patience {
    /// Attempts and backoff of one request.
    pub retry: RetryPolicy,
    /// All waiting of a run together, rate limits included.
    pub budget: Duration,
}

impl Default for Patience {
    fn default() -> Self {
        Patience {
            retry: RetryPolicy {
                max_attempts: 4,
                initial_backoff: Duration::from_millis(500),
                max_backoff: Duration::from_secs(8),
                // Not read here: `budget` bounds the waits of all requests together.
                max_total: Duration::from_secs(60),
            },
            budget: Duration::from_secs(60),
        }
    }
}

pub struct Api {
    client: Octocrab,
    patience: Patience,
    waited: Cell<Duration>,
}

type Response =
    ::http::Response<http_body_util::combinators::BoxBody<bytes::Bytes, octocrab::Error>>;

/// GitHub's error body.
#[derive(Deserialize)]
struct ErrorBody {
    message: Option<String>,
}

impl Api {
    /// A client for `api_url` (`https://api.github.com`, or `https://HOST/api/v3` for GitHub
    /// Enterprise Server). Must be called inside the tokio runtime that will drive it.
    pub fn new(api_url: &str, token: Option<&str>, patience: Patience) -> Result<Api, String> {
        let timeouts = Timeouts::default();
        let mut builder = Octocrab::builder()
            .base_uri(api_url)
            .map_err(|e| format!("--api-url {api_url:?} is not a URL: {}", chain(&e)))?
            .set_connect_timeout(Some(timeouts.connect))
            .set_read_timeout(Some(timeouts.response));
        if let Some(token) = token {
            builder = builder.personal_token(token.to_owned());
        }
        let client = builder
            .build()
            .map_err(|e| format!("cannot set up the GitHub client: {}", chain(&e)))?;
        Ok(Api {
            client,
            patience,
            waited: Cell::new(Duration::ZERO),
        })
    }

    /// `route` (`/repos/o/r/...`, relative to the API URL) answered with a 2xx, as JSON.
    pub async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        route: &str,
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<T, ApiError> {
        let request = format!("{} {}", method.as_str(), strip_query(route));
        let body = body
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| ApiError {
                request: request.clone(),
                status: None,
                message: format!("cannot encode the request: {e}"),
            })?;
        let response = self.send(method, route, body.as_ref(), &request).await?;
        let bytes = collect(response, &request).await?;
        decode(&bytes, &request)
    }

    /// Every item of a paginated list, following `Link: <…>; rel="next"` (at most 100 pages of
    /// 100, far more than any pull request has).
    pub async fn all_pages<T: DeserializeOwned>(&self, route: &str) -> Result<Vec<T>, ApiError> {
        let separator = if route.contains('?') { '&' } else { '?' };
        let mut next = Some(format!("{route}{separator}per_page=100"));
        let request = format!("GET {route}");
        let mut items = Vec::new();
        for _ in 0..100 {
            let Some(uri) = next.take() else { break };
            let response = self.send(Method::Get, &uri, None, &request).await?;
            let mut page = <octocrab::Page<T> as octocrab::FromResponse>::from_response(response)
                .await
                .map_err(|e| ApiError {
                    request: request.clone(),
                    status: None,
                    message: format!("unexpected answer: {}", chain(&e)),
                })?;
            items.append(&mut page.take_items());
            // The next page's URL is absolute, on the API host: octocrab sends the token to it.
            next = page.next.map(|uri| uri.to_string());
        }
        Ok(items)
    }

    async fn send(
        &self,
        method: Method,
        uri: &str,
        body: Option<&serde_json::Value>,
        request: &str,
    ) -> Result<Response, ApiError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let sent = match method {
                Method::Get => self.client._get(uri).await,
                Method::Post => self.client._post(uri, body).await,
                Method::Patch => self.client._patch(uri, body).await,
            };
            let (problem, status, wait) = match sent {
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    let bytes = collect(response, request).await.unwrap_or_default();
                    let message = error_message(status, &bytes);
                    let wait = retry_wait(
                        status,
                        &headers,
                        &message,
                        attempt,
                        &self.patience.retry,
                        SystemTime::now(),
                    );
                    (message, Some(status.as_u16()), wait)
                }
                // No answer at all (refused, reset, timed out): worth another try.
                Err(e) => (chain(&e), None, Some(self.patience.retry.backoff(attempt))),
            };
            let error = |message: String| ApiError {
                request: request.to_owned(),
                status,
                message,
            };
            let Some(wait) = wait else {
                return Err(error(problem));
            };
            if attempt >= self.patience.retry.max_attempts {
                return Err(error(format!(
                    "{problem} (gave up after {attempt} attempts)"
                )));
            }
            let waited = self.waited.get();
            if waited + wait > self.patience.budget {
                return Err(error(format!(
                    "{problem} (retrying means waiting {}, beyond the {} annotating may wait in all)",
                    seconds(wait),
                    seconds(self.patience.budget)
                )));
            }
            self.waited.set(waited + wait);
            tokio::time::sleep(wait).await;
        }
    }
}

/// How long to wait before retrying an answer, or `None` when retrying cannot help.
fn retry_wait(
    status: StatusCode,
    headers: &HeaderMap,
    message: &str,
    attempt: u32,
    retry: &RetryPolicy,
    now: SystemTime,
) -> Option<Duration> {
    match status.as_u16() {
        403 | 429 => {
            if let Some(wait) = retry_after(headers, now) {
                return Some(wait);
            }
            let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
            if header("x-ratelimit-remaining") == Some("0") {
                let reset: u64 = header("x-ratelimit-reset")?.trim().parse().ok()?;
                let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
                // The window resets at that second: one more makes sure it has.
                return Some(Duration::from_secs(reset.saturating_sub(now) + 1));
            }
            // A secondary rate limit without headers: GitHub documents waiting a minute.
            if message.to_ascii_lowercase().contains("rate limit") {
                return Some(Duration::from_secs(60));
            }
            // 403 for missing permissions: waiting changes nothing.
            (status == StatusCode::TOO_MANY_REQUESTS).then(|| retry.backoff(attempt))
        }
        500 | 502 | 503 | 504 => Some(retry.backoff(attempt)),
        _ => None,
    }
}

/// GitHub's `message`, else the body, else the status's reason.
fn error_message(status: StatusCode, body: &[u8]) -> String {
    if let Ok(ErrorBody {
        message: Some(message),
    }) = serde_json::from_slice(body)
    {
        return message;
    }
    let text = String::from_utf8_lossy(body).trim().to_owned();
    if text.is_empty() {
        status.canonical_reason().unwrap_or("no reason").to_owned()
    } else {
        text.chars().take(300).collect()
    }
}

async fn collect(response: Response, request: &str) -> Result<bytes::Bytes, ApiError> {
    let status = response.status().as_u16();
    response
        .into_body()
        .collect()
        .await
        .map(|c| c.to_bytes())
        .map_err(|e| ApiError {
            request: request.to_owned(),
            status: Some(status),
            message: format!("the answer broke off: {}", chain(&e)),
        })
}

fn decode<T: DeserializeOwned>(bytes: &[u8], request: &str) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError {
        request: request.to_owned(),
        status: None,
        message: format!("unexpected answer: {e}"),
    })
}

fn strip_query(route: &str) -> &str {
    route.split('?').next().unwrap_or(route)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn rate_limits_wait_as_github_asks() {
        let retry = Patience::default().retry;
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let wait = |status: u16, h: &HeaderMap, message: &str| {
            retry_wait(
                StatusCode::from_u16(status).unwrap(),
                h,
                message,
                1,
                &retry,
                now,
            )
        };
        let none = HeaderMap::new();
        assert_eq!(
            wait(403, &headers(&[("retry-after", "7")]), "x"),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            wait(
                403,
                &headers(&[
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", "1012")
                ]),
                "API rate limit exceeded"
            ),
            Some(Duration::from_secs(13))
        );
        assert_eq!(
            wait(403, &none, "You have exceeded a secondary rate limit"),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            wait(403, &none, "Resource not accessible by integration"),
            None,
            "a permission problem is not retried"
        );
        assert!(wait(429, &none, "").is_some());
        assert!(wait(502, &none, "").is_some());
        assert_eq!(wait(422, &none, "Validation Failed"), None);
        assert_eq!(wait(404, &none, "Not Found"), None);
    }

    #[test]
    fn advice_follows_the_answer() {
        let error = |status: Option<u16>, message: &str| ApiError {
            request: "POST /x".into(),
            status,
            message: message.into(),
        };
        let permission = "give the workflow `permissions: checks: write`";
        let advice = |status, message| error(status, message).advice(permission);
        assert_eq!(
            advice(Some(403), "Resource not accessible by integration"),
            permission
        );
        assert_eq!(advice(Some(404), "Not Found"), permission);
        assert!(advice(Some(403), "API rate limit exceeded").contains("re-run"));
        assert!(advice(Some(502), "Bad Gateway").contains("re-run"));
        assert!(advice(Some(401), "Bad credentials").contains("token"));
        assert!(advice(Some(422), "No commit found for SHA: x").contains("--sha"));
        assert!(advice(None, "connection refused").contains("--api-url"));
    }

    #[test]
    fn error_messages_come_from_github_json() {
        let body = br#"{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}"#;
        assert_eq!(
            error_message(StatusCode::FORBIDDEN, body),
            "Resource not accessible by integration"
        );
        assert_eq!(error_message(StatusCode::BAD_GATEWAY, b""), "Bad Gateway");
        assert_eq!(
            error_message(StatusCode::BAD_GATEWAY, b"<html>oops</html>"),
            "<html>oops</html>"
        );
    }
}
