//! The HTTP side of a registry pull: one client per image, owning a small tokio runtime so
//! the rest of the engine stays synchronous. Every request goes through two loops:
//!
//! - [`RegistryClient::send_retrying`] retries transient failures (connection errors,
//!   timeouts, 408/429/5xx) with exponential backoff and jitter, honouring `Retry-After`
//!   (seconds or an HTTP date), bounded in attempts and in total time ([`crate::http`]);
//! - [`RegistryClient::get`] answers `401` challenges once (basic credentials, or a bearer
//!   token fetched from the realm and cached per scope) and turns the remaining failures into
//!   [`ImageError`]s that say which registry, what was asked and what to do.
//!
//! Layer blobs are streamed by [`BlobStream`], a blocking [`Read`] that pulls chunks from the
//! async response with `Runtime::block_on`. It can be used from any thread that is not itself
//! a runtime worker (rayon threads are fine); a connection that breaks mid-blob is resumed
//! with a `Range` request.

use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_RANGE, RANGE};
use reqwest::{Response, StatusCode, Url};

use super::auth::{self, AuthState, Scheme};
use super::credentials::{self, Credentials, Found, Lookup};
use super::{RetryPolicy, Timeouts};
use crate::http::{self, content_range_start, seconds};
use crate::image::error::ImageError;

/// Docker Hub's API host: `docker.io` is only a name.
const DOCKER_HUB_API_HOST: &str = "registry-1.docker.io";
/// Error bodies are read up to this size for their message.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

pub(crate) struct RegistryClient {
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
    /// `https://host[:port]` or `http://host[:port]`.
    base: String,
    /// The registry as written in the reference (`docker.io`, `127.0.0.1:5000`).
    registry: String,
    pub(crate) repository: String,
    /// The image as shown in messages.
    pub(crate) image: String,
    plain_http: bool,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeouts: Timeouts,
    explicit: Option<Credentials>,
    config_dir: Option<PathBuf>,
    /// Looked up on the first challenge only.
    lookup: OnceLock<Lookup>,
    auth: tokio::sync::Mutex<AuthState>,
}

/// The `Authorization` a request was sent with, to judge the `401` that may come back.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sent {
    Anonymous,
    Basic,
    /// `fresh`: the token was fetched for this very request, so refusing it is final.
    Bearer {
        fresh: bool,
    },
}

impl RegistryClient {
    pub(crate) fn new(
        registry: &str,
        repository: &str,
        image: String,
        options: &super::RegistryOptions,
    ) -> Result<RegistryClient, ImageError> {
        let remote = |message: String| ImageError::Remote {
            image: image.clone(),
            message,
        };
        let runtime = http::runtime("portcullis-registry")
            .map_err(|e| remote(format!("cannot start the HTTP runtime: {e}")))?;
        let http = http::client(&options.timeouts)
            .map_err(|e| remote(format!("cannot set up the HTTP client: {e}")))?;
        let plain_http = is_insecure(registry, &options.insecure_registries);
        let host = if is_docker_hub(registry) {
            DOCKER_HUB_API_HOST
        } else {
            registry
        };
        let scheme = if plain_http { "http" } else { "https" };
        Ok(RegistryClient {
            runtime,
            http,
            base: format!("{scheme}://{host}"),
            registry: registry.to_owned(),
            repository: repository.to_owned(),
            image,
            plain_http,
            retry: options.retry.clone(),
            timeouts: options.timeouts.clone(),
            explicit: options.credentials.clone(),
            config_dir: options.docker_config_dir.clone(),
            lookup: OnceLock::new(),
            auth: tokio::sync::Mutex::new(AuthState::default()),
        })
    }

    /// Runs a future to completion on the client's runtime. Must not be called from inside
    /// an async context.
    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    pub(crate) fn manifest_url(&self, reference: &str) -> String {
        format!("{}/v2/{}/manifests/{reference}", self.base, self.repository)
    }

    pub(crate) fn blob_url(&self, digest: &str) -> String {
        format!("{}/v2/{}/blobs/{digest}", self.base, self.repository)
    }

    fn scope(&self) -> String {
        format!("repository:{}:pull", self.repository)
    }

    fn remote(&self, message: String) -> ImageError {
        ImageError::Remote {
            image: self.image.clone(),
            message,
        }
    }

    fn auth_error(&self, message: String) -> ImageError {
        ImageError::Auth {
            image: self.image.clone(),
            message,
        }
    }

    /// Credentials: the explicit ones, else the Docker config's (looked up once).
    fn credentials(&self) -> Option<Found> {
        if let Some(credentials) = &self.explicit {
            return Some(Found {
                credentials: credentials.clone(),
                origin: "--username/--password-stdin".into(),
            });
        }
        self.lookup
            .get_or_init(|| credentials::lookup(&self.registry, self.config_dir.as_deref()))
            .found
            .clone()
    }

    /// Why no credentials were found, when there is something to say.
    fn lookup_note(&self) -> String {
        match self.lookup.get().and_then(|l| l.note.as_deref()) {
            Some(note) => format!(" ({note})"),
            None => String::new(),
        }
    }

    fn login_advice(&self) -> String {
        let host = if is_docker_hub(&self.registry) {
            String::new()
        } else {
            format!(" {}", self.registry)
        };
        format!("run `docker login{host}` or pass --username with --password-stdin")
    }

    /// A GET with authentication and retries. Returns a 2xx (or 206) response; everything
    /// else becomes an error naming `what` was fetched.
    pub(crate) async fn get(
        &self,
        what: &str,
        url: &str,
        accept: Option<&str>,
        range_from: Option<u64>,
    ) -> Result<Response, ImageError> {
        // At most: anonymous → challenge → authorised → (stale token) → fresh token.
        for _ in 0..4 {
            let (authorization, sent) = self.authorization().await?;
            let response = self
                .send_retrying(what, || {
                    let mut request = self.http.get(url);
                    if let Some(accept) = accept {
                        request = request.header(ACCEPT, accept);
                    }
                    if let Some(from) = range_from.filter(|&from| from > 0) {
                        request = request.header(RANGE, format!("bytes={from}-"));
                    }
                    if let Some(value) = &authorization {
                        request = request.header(AUTHORIZATION, value);
                    }
                    request
                })
                .await?;
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            if status != StatusCode::UNAUTHORIZED {
                return Err(self.failure(what, response).await);
            }
            self.challenged(what, response, sent).await?;
        }
        Err(self.auth_error(format!(
            "{} kept answering 401 Unauthorized to {what}; {}",
            self.registry,
            self.login_advice()
        )))
    }

    /// The `Authorization` value for the next request, fetching a bearer token when the
    /// registry wants one and the cached one is missing or expired.
    async fn authorization(&self) -> Result<(Option<String>, Sent), ImageError> {
        let mut state = self.auth.lock().await;
        match state.scheme.clone() {
            None => Ok((None, Sent::Anonymous)),
            Some(Scheme::Basic) => {
                let found = self.credentials().ok_or_else(|| self.needs_credentials())?;
                let pair = format!(
                    "{}:{}",
                    found.credentials.username, found.credentials.password
                );
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                Ok((Some(format!("Basic {encoded}")), Sent::Basic))
            }
            Some(Scheme::Bearer { realm, service }) => {
                let scope = self.scope();
                if let Some(token) = state.token(&scope, Instant::now()) {
                    return Ok((
                        Some(format!("Bearer {}", token.value)),
                        Sent::Bearer { fresh: false },
                    ));
                }
                let token = self.fetch_token(&realm, service.as_deref(), &scope).await?;
                let value = format!("Bearer {}", token.value);
                state.tokens.insert(scope, token);
                Ok((Some(value), Sent::Bearer { fresh: true }))
            }
        }
    }

    fn needs_credentials(&self) -> ImageError {
        self.auth_error(format!(
            "{} requires a user name and password and none were found{}; {}",
            self.registry,
            self.lookup_note(),
            self.login_advice()
        ))
    }

    /// Handles a `401`: learns the scheme on the first one, drops a stale token, or gives up
    /// with an error that says whose credentials were refused.
    async fn challenged(
        &self,
        what: &str,
        response: Response,
        sent: Sent,
    ) -> Result<(), ImageError> {
        let header_text: Vec<String> = response
            .headers()
            .get_all(reqwest::header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let challenges: Vec<auth::Challenge> = header_text
            .iter()
            .flat_map(|h| auth::parse_challenges(h))
            .collect();
        let Some(scheme) = auth::choose(&challenges) else {
            return Err(self.auth_error(format!(
                "{} answered 401 Unauthorized to {what} without a Basic or Bearer challenge{}",
                self.registry,
                if header_text.is_empty() {
                    String::new()
                } else {
                    format!(" (WWW-Authenticate: {})", header_text.join(", "))
                }
            )));
        };
        let mut state = self.auth.lock().await;
        match (sent, &scheme) {
            (Sent::Anonymous, _) => {
                if scheme == Scheme::Basic && self.credentials().is_none() {
                    return Err(self.needs_credentials());
                }
                state.scheme = Some(scheme);
                Ok(())
            }
            (Sent::Basic, Scheme::Basic) => {
                let who = self.credentials().map(describe_found).unwrap_or_default();
                Err(self.auth_error(format!(
                    "{} refused the password of {who} for {what}: check it, or {}",
                    self.registry,
                    self.login_advice()
                )))
            }
            (Sent::Bearer { fresh: false }, Scheme::Bearer { .. }) => {
                // A cached token that expired or was revoked: fetch a new one once.
                state.tokens.remove(&self.scope());
                state.scheme = Some(scheme);
                Ok(())
            }
            (Sent::Bearer { fresh: true }, Scheme::Bearer { realm, .. }) => {
                let error = challenges
                    .iter()
                    .find_map(|c| c.param("error").map(str::to_owned))
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default();
                Err(self.auth_error(match self.credentials() {
                    None => format!(
                        "{} refused anonymous access to {}{error}: the repository is private or \
                         does not exist{}; {}",
                        self.registry,
                        self.repository,
                        self.lookup_note(),
                        self.login_advice()
                    ),
                    Some(found) => format!(
                        "{} refused the token issued by {realm} for {what}{error}: the token is \
                         invalid or expired, or {} has no pull access to {}; check the \
                         credentials and the token service, or {}",
                        self.registry,
                        describe_found(found),
                        self.repository,
                        self.login_advice()
                    ),
                }))
            }
            // The registry switched schemes between two requests: follow it once.
            (_, _) => {
                state.tokens.clear();
                state.scheme = Some(scheme);
                Ok(())
            }
        }
    }

    /// The Docker token flow: `GET realm?service=…&scope=…` with basic credentials when there
    /// are some, or the OAuth2 refresh-token grant for an identity token.
    async fn fetch_token(
        &self,
        realm: &str,
        service: Option<&str>,
        scope: &str,
    ) -> Result<auth::CachedToken, ImageError> {
        let mut url = Url::parse(realm).map_err(|e| {
            self.auth_error(format!(
                "{} sent an invalid token realm `{realm}`: {e}",
                self.registry
            ))
        })?;
        let found = self.credentials();
        let what = format!("a token from {realm}");
        let response = match found
            .as_ref()
            .and_then(|f| f.credentials.identity_token.clone())
        {
            Some(refresh_token) => {
                let mut form = Url::parse("http://form.invalid/").expect("static URL");
                form.query_pairs_mut()
                    .append_pair("grant_type", "refresh_token")
                    .append_pair("service", service.unwrap_or_default())
                    .append_pair("scope", scope)
                    .append_pair("client_id", "portcullis")
                    .append_pair("refresh_token", &refresh_token);
                let body = form.query().unwrap_or_default().to_owned();
                self.send_retrying(&what, || {
                    self.http
                        .post(url.clone())
                        .header(
                            reqwest::header::CONTENT_TYPE,
                            "application/x-www-form-urlencoded",
                        )
                        .body(body.clone())
                })
                .await?
            }
            None => {
                {
                    let mut pairs = url.query_pairs_mut();
                    if let Some(service) = service {
                        pairs.append_pair("service", service);
                    }
                    pairs.append_pair("scope", scope);
                }
                self.send_retrying(&what, || {
                    let request = self.http.get(url.clone());
                    match &found {
                        Some(f) => request
                            .basic_auth(&f.credentials.username, Some(&f.credentials.password)),
                        None => request,
                    }
                })
                .await?
            }
        };
        let status = response.status();
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            let who = found
                .map(describe_found)
                .unwrap_or_else(|| "anonymous".into());
            return Err(self.auth_error(format!(
                "the token service {realm} refused the credentials of {who} ({status}); check them, \
                 or {}",
                self.login_advice()
            )));
        }
        if !status.is_success() {
            return Err(self.failure(&what, response).await);
        }
        let body = self.read_body(&what, response, 1024 * 1024).await?;
        let parsed: auth::TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            self.auth_error(format!(
                "the token service {realm} answered with invalid JSON: {e}"
            ))
        })?;
        parsed.into_token(Instant::now()).ok_or_else(|| {
            self.auth_error(format!(
                "the token service {realm} answered without a token"
            ))
        })
    }

    /// Sends the request `make` builds, retrying transient failures. Any response that is
    /// not retryable is returned as is, whatever its status.
    pub(crate) async fn send_retrying(
        &self,
        what: &str,
        make: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Response, ImageError> {
        http::send_retrying(&self.retry, &self.timeouts, make, |e| {
            self.describe_error(e)
        })
        .await
        .map_err(|problem| self.remote(format!("{what}: {problem}")))
    }

    /// An error for a non-2xx, non-401 answer, with the registry's own error codes.
    async fn failure(&self, what: &str, response: Response) -> ImageError {
        let status = response.status();
        let body = self
            .read_body(what, response, ERROR_BODY_LIMIT)
            .await
            .unwrap_or_default();
        let detail = registry_errors(&body);
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(" ({detail})")
        };
        match status {
            StatusCode::NOT_FOUND => ImageError::NotFound {
                image: self.image.clone(),
                message: format!(
                    "{what} not found in repository {} on {}{detail}",
                    self.repository, self.registry
                ),
            },
            StatusCode::FORBIDDEN => self.auth_error(format!(
                "{} denied access to {what} ({status}){detail}; check that the user has pull \
                 access to {}",
                self.registry, self.repository
            )),
            _ => self.remote(format!(
                "{what}: {} answered {status}{detail}",
                self.registry
            )),
        }
    }

    /// Reads a whole (small) body, refusing more than `limit` bytes.
    pub(crate) async fn read_body(
        &self,
        what: &str,
        mut response: Response,
        limit: usize,
    ) -> Result<Vec<u8>, ImageError> {
        let mut body = Vec::new();
        loop {
            let chunk = tokio::time::timeout(self.timeouts.read, response.chunk())
                .await
                .map_err(|_| {
                    self.remote(format!(
                        "{what}: no data for {}",
                        seconds(self.timeouts.read)
                    ))
                })?
                .map_err(|e| self.remote(format!("{what}: {}", self.describe_error(&e))))?;
            let Some(chunk) = chunk else {
                return Ok(body);
            };
            if body.len() + chunk.len() > limit {
                return Err(self.remote(format!("{what} is larger than the {limit} bytes allowed")));
            }
            body.extend_from_slice(&chunk);
        }
    }

    /// A reqwest error with its causes, and advice when the cause is a TLS/plain-HTTP mix-up
    /// or an unreachable loopback registry.
    pub(crate) fn describe_error(&self, error: &reqwest::Error) -> String {
        let mut message = format!("{} ({})", http::error_chain(error), self.base);
        let chain = message.to_ascii_lowercase();
        if !self.plain_http {
            let tls_mixup = chain.contains("invalidcontenttype")
                || chain.contains("corrupt message")
                || chain.contains("wrong version number");
            let loopback_down = error.is_connect() && is_loopback(&self.registry);
            if tls_mixup || loopback_down {
                message.push_str(&format!(
                    "; if {} serves plain HTTP, pass --insecure-registry {}",
                    self.registry, self.registry
                ));
            }
        }
        message
    }
}

/// "`user` (from ORIGIN)", or "the identity token from ORIGIN".
fn describe_found(found: Found) -> String {
    if found.credentials.username.is_empty() {
        format!("the identity token from {}", found.origin)
    } else {
        format!("`{}` (from {})", found.credentials.username, found.origin)
    }
}

/// `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"…"}]}` → `MANIFEST_UNKNOWN: …`.
fn registry_errors(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Errors {
        #[serde(default)]
        errors: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    match serde_json::from_slice::<Errors>(body) {
        Ok(parsed) => parsed
            .errors
            .iter()
            .map(|e| match (e.code.is_empty(), e.message.is_empty()) {
                (false, false) => format!("{}: {}", e.code, e.message),
                (false, true) => e.code.clone(),
                _ => e.message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            if text.len() > 200 || text.starts_with('<') {
                String::new()
            } else {
                text.to_owned()
            }
        }
    }
}

fn is_docker_hub(registry: &str) -> bool {
    matches!(
        registry,
        "docker.io" | "index.docker.io" | "registry-1.docker.io"
    )
}

fn host_of(registry: &str) -> &str {
    if let Some(rest) = registry.strip_prefix('[') {
        // [::1]:5000
        return rest.split(']').next().unwrap_or(rest);
    }
    registry.rsplit_once(':').map_or(registry, |(host, _)| host)
}

fn is_loopback(registry: &str) -> bool {
    let host = host_of(registry);
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether `--insecure-registry` names this registry: `host:port` exactly, or `host` alone
/// for every port of that host. A scheme or path in the option is ignored.
fn is_insecure(registry: &str, insecure: &[String]) -> bool {
    insecure.iter().any(|entry| {
        let entry = entry.trim();
        let entry = entry
            .strip_prefix("http://")
            .or_else(|| entry.strip_prefix("https://"))
            .unwrap_or(entry);
        let entry = entry
            .split('/')
            .next()
            .unwrap_or(entry)
            .to_ascii_lowercase();
        entry == registry || (!entry.contains(':') && entry == host_of(registry))
    })
}

/// A layer blob as a blocking stream. Chunks come from the async response through the
/// client's runtime; a broken connection is resumed from the current offset with `Range`
/// (or by skipping, when the registry ignores ranges), within the retry policy.
pub(crate) struct BlobStream {
    client: Arc<RegistryClient>,
    digest: String,
    what: String,
    response: Option<Response>,
    pending: Bytes,
    /// Bytes handed to the reader so far.
    offset: u64,
    /// Bytes still to drop from a restarted response that sent the blob from the start.
    skip: u64,
    resumes: u32,
}

impl BlobStream {
    /// Starts the download (so a missing blob is an error here, not at the first read).
    pub(crate) fn open(
        client: Arc<RegistryClient>,
        digest: &str,
        what: String,
    ) -> Result<BlobStream, ImageError> {
        let url = client.blob_url(digest);
        let response = client.block_on(client.get(&what, &url, None, None))?;
        Ok(BlobStream {
            client,
            digest: digest.to_owned(),
            what,
            response: Some(response),
            pending: Bytes::new(),
            offset: 0,
            skip: 0,
            resumes: 0,
        })
    }

    fn resume(&mut self, problem: String) -> io::Result<()> {
        self.response = None;
        let client = Arc::clone(&self.client);
        if self.resumes + 1 >= client.retry.max_attempts.max(1) {
            return Err(io::Error::other(client.remote(format!(
                "{}: the download broke off after {} bytes and {} resumption{}: {problem}",
                self.what,
                self.offset,
                self.resumes,
                if self.resumes == 1 { "" } else { "s" }
            ))));
        }
        self.resumes += 1;
        let url = client.blob_url(&self.digest);
        let response = client
            .block_on(async {
                tokio::time::sleep(client.retry.backoff(self.resumes)).await;
                client.get(&self.what, &url, None, Some(self.offset)).await
            })
            .map_err(io::Error::other)?;
        self.skip = if response.status() == StatusCode::PARTIAL_CONTENT {
            let start = response
                .headers()
                .get(CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(content_range_start);
            if start != Some(self.offset) {
                return Err(io::Error::other(client.remote(format!(
                    "{}: asked to resume at byte {} but the registry sent another range",
                    self.what, self.offset
                ))));
            }
            0
        } else {
            self.offset
        };
        self.response = Some(response);
        Ok(())
    }
}

impl Read for BlobStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.pending.is_empty() {
                let n = buf.len().min(self.pending.len());
                buf[..n].copy_from_slice(&self.pending.split_to(n));
                self.offset += n as u64;
                return Ok(n);
            }
            let Some(response) = self.response.as_mut() else {
                return Ok(0);
            };
            let read_timeout = self.client.timeouts.read;
            let next = self
                .client
                .block_on(async { tokio::time::timeout(read_timeout, response.chunk()).await });
            match next {
                Ok(Ok(Some(mut chunk))) => {
                    if self.skip > 0 {
                        let drop = self.skip.min(chunk.len() as u64);
                        self.skip -= drop;
                        let _ = chunk.split_to(drop as usize);
                    }
                    self.pending = chunk;
                }
                Ok(Ok(None)) => {
                    self.response = None;
                    return Ok(0);
                }
                Ok(Err(error)) => {
                    let problem = self.client.describe_error(&error);
                    self.resume(problem)?;
                }
                Err(_) => self.resume(format!("no data for {}", seconds(read_timeout)))?,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_error_bodies_become_messages() {
        let body = br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}"#;
        assert_eq!(registry_errors(body), "MANIFEST_UNKNOWN: manifest unknown");
        assert_eq!(registry_errors(b"<html>nope</html>"), "");
        assert_eq!(registry_errors(b"plain words\n"), "plain words");
    }

    #[test]
    fn insecure_and_loopback_hosts() {
        let list = vec!["127.0.0.1:5000".to_owned(), "http://reg.local".to_owned()];
        assert!(is_insecure("127.0.0.1:5000", &list));
        assert!(!is_insecure("127.0.0.1:5001", &list));
        assert!(is_insecure("reg.local:8443", &list));
        assert!(is_insecure("reg.local", &list));
        assert!(!is_insecure("docker.io", &list));
        assert!(is_loopback("localhost:5000"));
        assert!(is_loopback("127.0.0.2"));
        assert!(is_loopback("[::1]:5000"));
        assert!(!is_loopback("ghcr.io"));
    }
}
