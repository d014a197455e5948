//! The connection to a Docker-compatible Engine API (dockerd, or podman's `system service`),
//! shared by the image source (`image::source::engine`: `docker:`/`podman:` exports) and the
//! runtime client (`runtime::engine`: containers, daemon settings).
//!
//! What lives here is only the transport: parsing an engine host (`unix:///path.sock`, a bare
//! socket path, `tcp://host:port`), one HTTP/1.1 request per fresh connection with hyper (the
//! API is local, so no pooling), reading bounded bodies and the engine's `{"message": …}`
//! errors. Each caller words failures for its own users ([`TransportError`] names the
//! endpoint; the callers add what to do).
//!
//! TLS (`DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`, a context's TLS material) is not supported:
//! such hosts are refused with [`HostError::TlsUnsupported`] rather than spoken to in clear.

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;

use crate::http::chain;

/// Where an engine listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Unix(PathBuf),
    /// `host:port`, plain HTTP.
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

/// Why a host string cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    #[error("engine host `{host}` {problem}")]
    Invalid { host: String, problem: String },
    #[error(
        "engine host `{host}` asks for TLS ({why}): TLS connections to an engine are not \
         supported yet; use its unix socket, or a plain tcp:// address on a trusted network"
    )]
    TlsUnsupported { host: String, why: String },
}

/// Whether the environment asks for TLS to a tcp:// engine (`DOCKER_TLS_VERIFY` set and
/// non-empty, as the Docker CLI reads it). `DOCKER_CERT_PATH` alone does not turn TLS on.
pub fn tls_requested_by_env() -> Option<String> {
    std::env::var_os("DOCKER_TLS_VERIFY")
        .filter(|v| !v.is_empty())
        .map(|_| "DOCKER_TLS_VERIFY is set".to_owned())
}

/// Parses an engine host. `tls` says why TLS was asked for, if it was (see
/// [`tls_requested_by_env`]); it only matters for tcp:// hosts.
pub fn parse_host(host: &str, tls: Option<&str>) -> Result<Endpoint, HostError> {
    let host = host.trim();
    let invalid = |problem: &str| HostError::Invalid {
        host: host.to_owned(),
        problem: problem.to_owned(),
    };
    if let Some(path) = host.strip_prefix("unix://") {
        if path.is_empty() {
            return Err(invalid("names no socket path"));
        }
        return Ok(Endpoint::Unix(PathBuf::from(path)));
    }
    if host.starts_with('/') {
        return Ok(Endpoint::Unix(PathBuf::from(host)));
    }
    if host.starts_with("https://") {
        return Err(HostError::TlsUnsupported {
            host: host.to_owned(),
            why: "https://".into(),
        });
    }
    if let Some(address) = host
        .strip_prefix("tcp://")
        .or_else(|| host.strip_prefix("http://"))
    {
        let address = address.trim_end_matches('/');
        if address.is_empty() {
            return Err(invalid("names no address"));
        }
        if let Some(why) = tls {
            return Err(HostError::TlsUnsupported {
                host: host.to_owned(),
                why: why.to_owned(),
            });
        }
        // The Docker CLI's default port for tcp:// without TLS.
        let address = if address
            .rsplit_once(':')
            .is_some_and(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        {
            address.to_owned()
        } else {
            format!("{address}:2375")
        };
        return Ok(Endpoint::Tcp(address));
    }
    Err(invalid(
        "is not supported: use unix:///path/to.sock or tcp://host:port",
    ))
}

/// A transport failure, naming the endpoint.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("cannot connect to {endpoint}: {source}")]
    Connect {
        endpoint: Endpoint,
        #[source]
        source: std::io::Error,
    },
    #[error("HTTP handshake with {endpoint} failed: {message}")]
    Handshake { endpoint: Endpoint, message: String },
    #[error("{endpoint} did not answer {method} {path} within {seconds} s")]
    Timeout {
        endpoint: Endpoint,
        method: Method,
        path: String,
        seconds: u64,
    },
    #[error("{method} {path} on {endpoint} failed: {message}")]
    Request {
        endpoint: Endpoint,
        method: Method,
        path: String,
        message: String,
    },
    #[error("reading the answer from {endpoint}: {message}")]
    Body { endpoint: Endpoint, message: String },
    #[error("the answer from {endpoint} is larger than {limit} bytes")]
    TooLarge { endpoint: Endpoint, limit: usize },
}

/// A way to an engine: where it is and how long a silence is tolerated.
#[derive(Debug, Clone)]
pub struct Connection {
    pub endpoint: Endpoint,
    /// The longest wait for response headers, and for each body frame.
    pub idle: Duration,
}

/// TCP connection set-up limit (unix sockets connect or fail at once).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

impl Connection {
    pub fn new(endpoint: Endpoint, idle: Duration) -> Self {
        Connection { endpoint, idle }
    }

    /// One request on a fresh connection. `body` is sent as JSON when given.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<Response<Incoming>, TransportError> {
        let mut builder = Request::builder()
            .method(method.clone())
            .uri(path)
            .header(hyper::header::HOST, "docker")
            .header(
                hyper::header::USER_AGENT,
                concat!("portcullis/", env!("CARGO_PKG_VERSION")),
            );
        if body.is_some() {
            builder = builder.header(hyper::header::CONTENT_TYPE, "application/json");
        }
        let request = builder
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .map_err(|e| TransportError::Request {
                endpoint: self.endpoint.clone(),
                method: method.clone(),
                path: path.to_owned(),
                message: format!("cannot build the request: {e}"),
            })?;
        let connect_failed = |source: std::io::Error| TransportError::Connect {
            endpoint: self.endpoint.clone(),
            source,
        };
        let handshake_failed = |e: hyper::Error| TransportError::Handshake {
            endpoint: self.endpoint.clone(),
            message: chain(&e),
        };
        let mut sender = match &self.endpoint {
            Endpoint::Unix(socket) => {
                let stream = tokio::net::UnixStream::connect(socket)
                    .await
                    .map_err(connect_failed)?;
                http1_connection(stream).await.map_err(handshake_failed)?
            }
            Endpoint::Tcp(address) => {
                let stream = tokio::time::timeout(
                    CONNECT_TIMEOUT,
                    tokio::net::TcpStream::connect(address.as_str()),
                )
                .await
                .map_err(|_| connect_failed(std::io::ErrorKind::TimedOut.into()))?
                .map_err(connect_failed)?;
                http1_connection(stream).await.map_err(handshake_failed)?
            }
        };
        tokio::time::timeout(self.idle, sender.send_request(request))
            .await
            .map_err(|_| TransportError::Timeout {
                endpoint: self.endpoint.clone(),
                method: method.clone(),
                path: path.to_owned(),
                seconds: self.idle.as_secs(),
            })?
            .map_err(|e| TransportError::Request {
                endpoint: self.endpoint.clone(),
                method,
                path: path.to_owned(),
                message: chain(&e),
            })
    }

    /// The whole body, refusing more than `limit` bytes.
    pub async fn collect(
        &self,
        response: Response<Incoming>,
        limit: usize,
    ) -> Result<Vec<u8>, TransportError> {
        let mut body = response.into_body();
        let mut out = Vec::new();
        while let Some(frame) = tokio::time::timeout(self.idle, body.frame())
            .await
            .map_err(|_| TransportError::Body {
                endpoint: self.endpoint.clone(),
                message: format!("no data for {} s", self.idle.as_secs()),
            })?
        {
            let frame = frame.map_err(|e| TransportError::Body {
                endpoint: self.endpoint.clone(),
                message: chain(&e),
            })?;
            if let Ok(data) = frame.into_data() {
                if out.len() + data.len() > limit {
                    return Err(TransportError::TooLarge {
                        endpoint: self.endpoint.clone(),
                        limit,
                    });
                }
                out.extend_from_slice(&data);
            }
        }
        Ok(out)
    }

    /// The engine's `{"message": …}`, or the status when there is none.
    pub async fn error_message(&self, response: Response<Incoming>) -> String {
        let status = response.status();
        let body = self.collect(response, 64 * 1024).await.unwrap_or_default();
        error_text(status, &body)
    }
}

/// The `message` of an engine error body, else the short body, else the status.
pub fn error_text(status: hyper::StatusCode, body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct EngineError {
        #[serde(default)]
        message: String,
    }
    match serde_json::from_slice::<EngineError>(body) {
        Ok(e) if !e.message.is_empty() => e.message,
        _ => {
            let text = String::from_utf8_lossy(body).trim().to_owned();
            if text.is_empty() || text.len() > 300 {
                status.to_string()
            } else {
                text
            }
        }
    }
}

/// Percent-encodes what may not appear raw in a path. Names keep their `/`, `:` and `@` (the
/// Engine API routes `/images/{name:.*}/…`).
pub fn encode_path(name: &str) -> String {
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

/// An HTTP/1.1 connection over any stream; the connection task runs on the runtime.
async fn http1_connection<S>(
    stream: S,
) -> Result<hyper::client::conn::http1::SendRequest<Full<Bytes>>, hyper::Error>
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
            parse_host("unix:///var/run/docker.sock", None),
            Ok(Endpoint::Unix("/var/run/docker.sock".into()))
        );
        assert_eq!(
            parse_host("/tmp/podman.sock", None),
            Ok(Endpoint::Unix("/tmp/podman.sock".into()))
        );
        assert_eq!(
            parse_host("tcp://127.0.0.1:2375", None),
            Ok(Endpoint::Tcp("127.0.0.1:2375".into()))
        );
        assert_eq!(
            parse_host(" http://engine.local/ ", None),
            Ok(Endpoint::Tcp("engine.local:2375".into()))
        );
        assert_eq!(
            parse_host("tcp://[::1]:2376", None),
            Ok(Endpoint::Tcp("[::1]:2376".into()))
        );
        let err = parse_host("ssh://me@host", None).unwrap_err();
        assert!(err.to_string().contains("not supported"), "{err}");
        assert!(parse_host("unix://", None).is_err());
        assert!(parse_host("tcp://", None).is_err());
    }

    #[test]
    fn tls_is_refused_clearly() {
        let err = parse_host("tcp://10.0.0.1:2376", Some("DOCKER_TLS_VERIFY is set")).unwrap_err();
        assert!(matches!(err, HostError::TlsUnsupported { .. }), "{err}");
        assert!(err.to_string().contains("not supported"), "{err}");
        assert!(matches!(
            parse_host("https://10.0.0.1:2376", None),
            Err(HostError::TlsUnsupported { .. })
        ));
        // TLS only concerns TCP.
        assert!(parse_host("unix:///x.sock", Some("DOCKER_TLS_VERIFY is set")).is_ok());
    }

    #[test]
    fn paths_keep_their_separators() {
        assert_eq!(encode_path("localhost/a/b:1.0"), "localhost/a/b:1.0");
        assert_eq!(encode_path("sha256:ab"), "sha256:ab");
        assert_eq!(encode_path("a b?#"), "a%20b%3F%23");
    }

    #[test]
    fn engine_errors_read() {
        let status = hyper::StatusCode::NOT_FOUND;
        assert_eq!(error_text(status, br#"{"message":"no such"}"#), "no such");
        assert_eq!(error_text(status, b"plain\n"), "plain");
        assert_eq!(error_text(status, b""), "404 Not Found");
    }
}
