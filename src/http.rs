//! HTTP plumbing shared by everything that downloads: registry pulls (`image::source::registry`)
//! and vulnerability-database updates (`vuln::db`).
//!
//! Both run reqwest (rustls, system and webpki roots) on a small private tokio runtime so the
//! rest of the program stays synchronous, and both retry the same transient failures the same
//! way: connection errors, timeouts, 408/429/5xx, with exponential backoff and jitter, honouring
//! `Retry-After`, bounded in attempts and in total time. Callers turn the plain-text problems
//! returned here into their own typed errors, which know what was being fetched and what the
//! user can do about it.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Response, StatusCode};

/// Retries of transient failures (connection errors, timeouts, 408, 429, 5xx).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// The wait before the second attempt; doubled for each further one.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// No retry is started once waiting would pass this much time since the first attempt.
    /// A `Retry-After` beyond it fails at once.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            max_total: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt `attempt` (1-based): exponential, capped, with "equal
    /// jitter" (half fixed, half random) so parallel downloads do not retry in step.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(20);
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        let half = base / 2;
        half + half.mul_f64(random_fraction())
    }
}

/// A number in `[0, 1)` from the standard library's randomly keyed hasher.
fn random_fraction() -> f64 {
    use std::hash::BuildHasher;
    let value = std::collections::hash_map::RandomState::new().hash_one(Instant::now());
    (value >> 11) as f64 / (1u64 << 53) as f64
}

/// Network timeouts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeouts {
    /// TCP (and TLS) connection set-up.
    pub connect: Duration,
    /// From sending a request to its response headers.
    pub response: Duration,
    /// The longest silence while a body is streaming.
    pub read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(15),
            response: Duration::from_secs(60),
            read: Duration::from_secs(60),
        }
    }
}

/// The private runtime a blocking caller drives its requests with: two workers are plenty for
/// network waits, and keep the CPU for parsing.
pub(crate) fn runtime(thread_name: &str) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(thread_name)
        .enable_all()
        .build()
}

/// The reqwest client every download uses: our user agent, the connect timeout, and pooled
/// connections kept briefly so consecutive requests to one host reuse them. No transparent
/// decompression: byte ranges and digests are about the bytes as served.
pub(crate) fn client(timeouts: &Timeouts) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(concat!("portcullis/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(timeouts.connect)
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
}

/// Sends the request `make` builds, retrying transient failures. Any response that is not
/// retryable is returned as is, whatever its status. On failure, the problem as text (without
/// what was fetched: the caller adds that): `describe` words a reqwest error.
pub(crate) async fn send_retrying(
    retry: &RetryPolicy,
    timeouts: &Timeouts,
    make: impl Fn() -> reqwest::RequestBuilder,
    describe: impl Fn(&reqwest::Error) -> String,
) -> Result<Response, String> {
    let started = Instant::now();
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let outcome = tokio::time::timeout(timeouts.response, make().send()).await;
        let (problem, retry_after) = match outcome {
            Err(_) => (
                format!("no response within {}", seconds(timeouts.response)),
                None,
            ),
            Ok(Err(error)) => {
                let problem = describe(&error);
                if !is_transient(&error) {
                    return Err(problem);
                }
                (problem, None)
            }
            Ok(Ok(response)) if is_retryable_status(response.status()) => {
                let retry_after = retry_after(response.headers(), SystemTime::now());
                (format!("HTTP {}", response.status()), retry_after)
            }
            Ok(Ok(response)) => return Ok(response),
        };
        let elapsed = started.elapsed();
        if attempt >= retry.max_attempts.max(1) {
            return Err(format!(
                "gave up after {attempt} attempt{} over {}: {problem}",
                plural(attempt),
                seconds(elapsed)
            ));
        }
        let wait = retry_after.unwrap_or_else(|| retry.backoff(attempt));
        if elapsed + wait > retry.max_total {
            let asked = match retry_after {
                Some(after) => format!(" and asked to retry after {}", seconds(after)),
                None => String::new(),
            };
            return Err(format!(
                "{problem}{asked}; giving up after {attempt} attempt{} because waiting would \
                 exceed the {} retry budget",
                plural(attempt),
                seconds(retry.max_total)
            ));
        }
        tokio::time::sleep(wait).await;
    }
}

fn plural(count: u32) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// An error with its causes, each once: `a: b: c`.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

/// A reqwest error with its causes, without the URL (callers name what they fetched once).
pub(crate) fn error_chain(error: &reqwest::Error) -> String {
    let text = chain(error);
    match error.url() {
        Some(url) => text.replacen(&format!(" for url ({url})"), "", 1),
        None => text,
    }
}

/// Whether trying again may help: connection problems and timeouts do, certificate problems and
/// TLS/plain-HTTP mix-ups do not fix themselves.
pub(crate) fn is_transient(error: &reqwest::Error) -> bool {
    if error.is_builder() || error.is_redirect() || error.is_status() {
        return false;
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string().to_ascii_lowercase();
        if text.contains("certificate")
            || text.contains("invalidcontenttype")
            || text.contains("corrupt message")
        {
            return false;
        }
        source = cause.source();
    }
    error.is_connect() || error.is_timeout() || error.is_request() || error.is_body()
}

pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// `Retry-After` as a delay: whole seconds or an HTTP date (a date in the past is zero).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `1.5 s` below ten seconds, whole seconds above.
pub(crate) fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 10.0 && duration.subsec_millis() != 0 {
        format!("{secs:.1} s")
    } else {
        format!("{} s", duration.as_secs())
    }
}

/// `bytes 100-199/200` → 100.
pub(crate) fn content_range_start(value: &str) -> Option<u64> {
    let range = value.trim().strip_prefix("bytes")?.trim_start();
    range.split('-').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let policy = RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            max_total: Duration::from_secs(60),
        };
        for attempt in 1..=10 {
            let base =
                Duration::from_millis(100 * (1 << (attempt - 1))).min(Duration::from_secs(1));
            let wait = policy.backoff(attempt);
            assert!(
                wait >= base / 2 && wait <= base,
                "attempt {attempt}: {wait:?}"
            );
        }
        let waits: std::collections::HashSet<Duration> =
            (0..20).map(|_| policy.backoff(5)).collect();
        assert!(waits.len() > 1, "jitter varies the waits");
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = SystemTime::now();
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, now), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(3)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&headers, now).unwrap();
        assert!(
            wait <= Duration::from_secs(30) && wait >= Duration::from_secs(28),
            "{wait:?}"
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&past).unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn content_ranges() {
        assert_eq!(content_range_start("bytes 100-199/200"), Some(100));
        assert_eq!(content_range_start("bytes */200"), None);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(seconds(Duration::from_secs(120)), "120 s");
    }
}
