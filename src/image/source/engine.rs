//! `docker:NAME` and `podman:NAME`: images held by a local container engine, exported through
//! its Docker-compatible Engine API (dockerd, or podman's `system service`).
//!
//! The engine is asked `GET /images/{name}/json` first, so a missing image is a clear
//! [`ImageError::NotFound`], then `GET /images/{name}/get`, which streams a docker-archive tar
//! (`docker save`). The HTTP/1.1 client is hyper's, over a unix socket (or plain TCP for
//! `tcp://` hosts), so chunked transfer encoding is decoded by hyper, not by hand.
//!
//! **Why the export is spooled to a temporary file.** A docker-archive cannot be read as a
//! single forward stream: `docker save` writes `manifest.json` (which says which tar member is
//! which layer, in what order) at the *end* of the archive, after the layer tars, and the
//! layer walk wants to open layers by index, in parallel, each through its own file handle.
//! So the export is copied once into a temporary file (private to the user, mode 0600) and
//! opened with the docker-archive source ([`super::archive`]) like any `docker save` output;
//! the file is deleted when the returned image (its layer reader) is dropped. It is the
//! engine's export kept as one opaque file, not an extraction of the image: no layer is ever
//! unpacked to disk. It needs free space in `$TMPDIR` the size of the uncompressed image.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use super::{LayerReader, OpenedImage, Platform};
use crate::http::chain;
use crate::image::error::ImageError;

/// Which engine a `docker:`/`podman:` reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Docker,
    Podman,
}

impl EngineKind {
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Docker => "docker",
            EngineKind::Podman => "podman",
        }
    }
}

/// How to reach the engine.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// `unix:///path/to.sock`, a bare socket path, or `tcp://host:port` (plain HTTP). `None`:
    /// Docker uses `$DOCKER_HOST`, else `/var/run/docker.sock`; podman uses
    /// `$CONTAINER_HOST`, else `$XDG_RUNTIME_DIR/podman/podman.sock` when it exists, else
    /// `/run/podman/podman.sock`.
    pub host: Option<String>,
    /// The longest silence tolerated from the engine. Generous: podman writes the whole
    /// archive before it sends the first byte.
    pub idle_timeout: Duration,
    /// `--platform`: when given, an image whose config names another platform is refused.
    pub platform: Option<Platform>,
    /// Hash the exported layers against their digests (see `archive::open_docker_archive`).
    pub verify_layers: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            host: None,
            idle_timeout: Duration::from_secs(600),
            platform: None,
            verify_layers: false,
        }
    }
}

/// Where the engine listens.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Endpoint {
    Unix(PathBuf),
    Tcp(String),
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Unix(path) => write!(f, "unix://{}", path.display()),
            Endpoint::Tcp(address) => write!(f, "tcp://{address}"),
        }
    }
}

/// Exports `name` from the engine and opens it as a docker-archive.
///
/// Must not be called from inside an async runtime (it runs its own).
pub fn open_engine(
    kind: EngineKind,
    name: &str,
    options: &EngineOptions,
) -> Result<OpenedImage, ImageError> {
    let image = format!("{}:{name}", kind.name());
    let remote = |message: String| ImageError::Remote {
        image: image.clone(),
        message,
    };
    if name.trim().is_empty() {
        return Err(ImageError::BadReference {
            reference: image.clone(),
            message: format!("`{}:` needs an image name or ID", kind.name()),
        });
    }
    let endpoint = endpoint(kind, options).map_err(|message| ImageError::BadReference {
        reference: image.clone(),
        message,
    })?;
    let engine = Engine {
        kind,
        endpoint,
        image: image.clone(),
        idle: options.idle_timeout,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| remote(format!("cannot start the I/O runtime: {e}")))?;
    let spool = tempfile::Builder::new()
        .prefix("portcullis-export-")
        .suffix(".tar")
        .tempfile()
        .map_err(|e| ImageError::Io {
            path: std::env::temp_dir(),
            source: e,
        })?;
    let (mut file, path) = spool.into_parts();
    runtime.block_on(engine.export(name, &mut file))?;
    drop(file);
    let mut opened = super::archive::open_docker_archive(
        &path,
        None,
        &image,
        options.platform.as_ref(),
        options.verify_layers,
    )?;
    opened.reader = Box::new(SpooledLayers {
        inner: opened.reader,
        _spool: path,
    });
    Ok(opened)
}

/// The archive source's layer reader, plus the spooled export it reads from: the file is
/// deleted when this is dropped.
struct SpooledLayers {
    inner: Box<dyn LayerReader>,
    _spool: tempfile::TempPath,
}

impl LayerReader for SpooledLayers {
    fn open(&self, index: usize) -> Result<Box<dyn std::io::Read + Send>, ImageError> {
        self.inner.open(index)
    }
}

fn endpoint(kind: EngineKind, options: &EngineOptions) -> Result<Endpoint, String> {
    let from_env = |var: &str| std::env::var(var).ok().filter(|v| !v.trim().is_empty());
    let host = match kind {
        EngineKind::Docker => options
            .host
            .clone()
            .or_else(|| from_env("DOCKER_HOST"))
            .unwrap_or_else(|| "unix:///var/run/docker.sock".into()),
        EngineKind::Podman => options
            .host
            .clone()
            .or_else(|| from_env("CONTAINER_HOST"))
            .or_else(|| {
                let runtime_dir = from_env("XDG_RUNTIME_DIR")?;
                let socket = PathBuf::from(runtime_dir).join("podman/podman.sock");
                socket
                    .exists()
                    .then(|| format!("unix://{}", socket.display()))
            })
            .unwrap_or_else(|| "unix:///run/podman/podman.sock".into()),
    };
    parse_host(&host)
}

fn parse_host(host: &str) -> Result<Endpoint, String> {
    let host = host.trim();
    if let Some(path) = host.strip_prefix("unix://") {
        if path.is_empty() {
            return Err(format!("`{host}` names no socket path"));
        }
        return Ok(Endpoint::Unix(PathBuf::from(path)));
    }
    if host.starts_with('/') {
        return Ok(Endpoint::Unix(PathBuf::from(host)));
    }
    if let Some(address) = host
        .strip_prefix("tcp://")
        .or_else(|| host.strip_prefix("http://"))
    {
        let address = address.trim_end_matches('/');
        if address.is_empty() {
            return Err(format!("`{host}` names no address"));
        }
        if std::env::var_os("DOCKER_TLS_VERIFY").is_some_and(|v| !v.is_empty()) {
            return Err(format!(
                "`{host}` with DOCKER_TLS_VERIFY: TLS connections to an engine are not \
                 supported; use its unix socket"
            ));
        }
        return Ok(Endpoint::Tcp(address.to_owned()));
    }
    Err(format!(
        "engine host `{host}` is not supported: use unix:///path/to.sock or tcp://host:port"
    ))
}

/// Percent-encodes what may not appear raw in a path segment sequence. Image names keep
/// their `/`, `:` and `@` (the Engine API routes `/images/{name:.*}/…`).
fn encode_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

struct Engine {
    kind: EngineKind,
    endpoint: Endpoint,
    image: String,
    idle: Duration,
}

impl Engine {
    fn remote(&self, message: String) -> ImageError {
        ImageError::Remote {
            image: self.image.clone(),
            message,
        }
    }

    /// Checks that the image exists, then streams its export into `spool`.
    async fn export(&self, name: &str, spool: &mut File) -> Result<(), ImageError> {
        let encoded = encode_name(name);
        let response = self.get(&format!("/images/{encoded}/json")).await?;
        if response.status() == StatusCode::NOT_FOUND {
            let said = self.error_message(response).await;
            return Err(ImageError::NotFound {
                image: self.image.clone(),
                message: format!(
                    "the {} engine at {} has no image `{name}` ({said}); pull or build it first",
                    self.kind.name(),
                    self.endpoint
                ),
            });
        }
        if !response.status().is_success() {
            return Err(self.failure("inspecting the image", response).await);
        }
        // Drain the small inspect body so the connection closes cleanly.
        let _ = self.collect(response, 16 * 1024 * 1024).await?;

        let response = self.get(&format!("/images/{encoded}/get")).await?;
        if response.status() == StatusCode::NOT_FOUND {
            let said = self.error_message(response).await;
            return Err(ImageError::NotFound {
                image: self.image.clone(),
                message: format!("the image disappeared before it could be exported ({said})"),
            });
        }
        if !response.status().is_success() {
            return Err(self.failure("exporting the image", response).await);
        }
        let mut body = response.into_body();
        let mut written: u64 = 0;
        loop {
            let frame = tokio::time::timeout(self.idle, body.frame())
                .await
                .map_err(|_| {
                    self.remote(format!(
                        "the export stalled: no data for {} s after {written} bytes",
                        self.idle.as_secs()
                    ))
                })?;
            let Some(frame) = frame else { break };
            let frame = frame.map_err(|e| {
                self.remote(format!(
                    "the export broke off after {written} bytes: {}",
                    chain(&e)
                ))
            })?;
            if let Ok(data) = frame.into_data() {
                spool.write_all(&data).map_err(|e| ImageError::Io {
                    path: std::env::temp_dir(),
                    source: e,
                })?;
                written += data.len() as u64;
            }
        }
        spool.flush().map_err(|e| ImageError::Io {
            path: std::env::temp_dir(),
            source: e,
        })?;
        if written == 0 {
            return Err(self.remote("the engine exported an empty archive".into()));
        }
        Ok(())
    }

    /// One GET on a fresh connection (the engine API is local; no pooling needed).
    async fn get(&self, path: &str) -> Result<Response<Incoming>, ImageError> {
        let request = Request::get(path)
            .header(hyper::header::HOST, "docker")
            .header(
                hyper::header::USER_AGENT,
                concat!("portcullis/", env!("CARGO_PKG_VERSION")),
            )
            .body(Empty::<Bytes>::new())
            .map_err(|e| self.remote(format!("cannot build the request for {path}: {e}")))?;
        let handshake_failed = |e: hyper::Error| {
            self.remote(format!(
                "HTTP handshake with {} failed: {}",
                self.endpoint,
                chain(&e)
            ))
        };
        let mut sender = match &self.endpoint {
            Endpoint::Unix(socket) => {
                let stream = tokio::net::UnixStream::connect(socket)
                    .await
                    .map_err(|e| self.unreachable(e))?;
                http1_connection(stream).await.map_err(handshake_failed)?
            }
            Endpoint::Tcp(address) => {
                let stream = tokio::time::timeout(
                    Duration::from_secs(15),
                    tokio::net::TcpStream::connect(address.as_str()),
                )
                .await
                .map_err(|_| self.unreachable(std::io::ErrorKind::TimedOut.into()))?
                .map_err(|e| self.unreachable(e))?;
                http1_connection(stream).await.map_err(handshake_failed)?
            }
        };
        tokio::time::timeout(self.idle, sender.send_request(request))
            .await
            .map_err(|_| {
                self.remote(format!(
                    "{} did not answer GET {path} within {} s",
                    self.endpoint,
                    self.idle.as_secs()
                ))
            })?
            .map_err(|e| {
                self.remote(format!(
                    "GET {path} on {} failed: {}",
                    self.endpoint,
                    chain(&e)
                ))
            })
    }

    fn unreachable(&self, error: std::io::Error) -> ImageError {
        let advice = match (error.kind(), self.kind) {
            (std::io::ErrorKind::PermissionDenied, _) => {
                "; run as a user allowed to use the socket (e.g. in the `docker` group)".to_owned()
            }
            (_, EngineKind::Docker) => {
                "; is dockerd running? Set DOCKER_HOST to its socket".to_owned()
            }
            (_, EngineKind::Podman) => {
                "; start the API with `podman system service` or set CONTAINER_HOST".to_owned()
            }
        };
        self.remote(format!(
            "cannot reach the {} engine at {}: {error}{advice}",
            self.kind.name(),
            self.endpoint
        ))
    }

    async fn collect(
        &self,
        response: Response<Incoming>,
        limit: usize,
    ) -> Result<Vec<u8>, ImageError> {
        let mut body = response.into_body();
        let mut out = Vec::new();
        while let Some(frame) = tokio::time::timeout(self.idle, body.frame())
            .await
            .map_err(|_| self.remote("the engine stopped answering".into()))?
        {
            let frame =
                frame.map_err(|e| self.remote(format!("reading the answer: {}", chain(&e))))?;
            if let Ok(data) = frame.into_data() {
                if out.len() + data.len() > limit {
                    return Err(self.remote(format!("the answer is larger than {limit} bytes")));
                }
                out.extend_from_slice(&data);
            }
        }
        Ok(out)
    }

    /// The engine's `{"message": …}`, or the status when there is none.
    async fn error_message(&self, response: Response<Incoming>) -> String {
        let status = response.status();
        let body = self.collect(response, 64 * 1024).await.unwrap_or_default();
        #[derive(serde::Deserialize)]
        struct EngineError {
            #[serde(default)]
            message: String,
        }
        match serde_json::from_slice::<EngineError>(&body) {
            Ok(e) if !e.message.is_empty() => e.message,
            _ => {
                let text = String::from_utf8_lossy(&body).trim().to_owned();
                if text.is_empty() || text.len() > 300 {
                    status.to_string()
                } else {
                    text
                }
            }
        }
    }

    async fn failure(&self, doing: &str, response: Response<Incoming>) -> ImageError {
        let status = response.status();
        let said = self.error_message(response).await;
        self.remote(format!(
            "{doing}: the {} engine at {} answered {status}: {said}",
            self.kind.name(),
            self.endpoint
        ))
    }
}

/// An HTTP/1.1 connection over any stream; the connection task runs on the runtime.
async fn http1_connection<S>(
    stream: S,
) -> Result<hyper::client::conn::http1::SendRequest<Empty<Bytes>>, hyper::Error>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_parse() {
        assert_eq!(
            parse_host("unix:///var/run/docker.sock"),
            Ok(Endpoint::Unix("/var/run/docker.sock".into()))
        );
        assert_eq!(
            parse_host("/tmp/podman.sock"),
            Ok(Endpoint::Unix("/tmp/podman.sock".into()))
        );
        assert_eq!(
            parse_host("tcp://127.0.0.1:2375"),
            Ok(Endpoint::Tcp("127.0.0.1:2375".into()))
        );
        assert!(parse_host("ssh://me@host")
            .unwrap_err()
            .contains("not supported"));
        assert!(parse_host("unix://").is_err());
    }

    #[test]
    fn explicit_hosts_win() {
        let options = EngineOptions {
            host: Some("unix:///x.sock".into()),
            ..EngineOptions::default()
        };
        assert_eq!(
            endpoint(EngineKind::Podman, &options),
            Ok(Endpoint::Unix("/x.sock".into()))
        );
    }

    #[test]
    fn names_keep_their_separators() {
        assert_eq!(encode_name("localhost/a/b:1.0"), "localhost/a/b:1.0");
        assert_eq!(encode_name("sha256:ab"), "sha256:ab");
        assert_eq!(encode_name("a b?#"), "a%20b%3F%23");
    }

    #[test]
    fn empty_names_are_refused() {
        let err = open_engine(EngineKind::Docker, " ", &EngineOptions::default()).unwrap_err();
        assert!(matches!(err, ImageError::BadReference { .. }), "{err}");
    }
}
