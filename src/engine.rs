//! The connection to a Docker-compatible Engine API (dockerd, or podman's `system service`),
//! shared by the image source (`image::source::engine`: `docker:`/`podman:` exports) and the
//! runtime client (`runtime::engine`: containers, daemon settings).
//!
//! What lives here is only the transport: parsing an engine host (`unix:///path.sock`, a bare
//! socket path, `tcp://host:port`, `https://host:port`), one HTTP/1.1 request per fresh
//! connection with hyper (no pooling), reading bounded bodies and the engine's
//! `{"message": …}` errors. Each caller words failures for its own users ([`TransportError`]
//! names the endpoint; the callers add what to do).
//!
//! **TLS**, as the Docker CLI does it: a `tcp://` host uses TLS when `DOCKER_TLS_VERIFY` is set
//! and non-empty, an `https://` host always does, and a Docker context's `tcp://` host does when
//! the context has TLS material. The material is a directory ([`TlsMaterial`]) holding
//! `ca.pem`, `cert.pem` and `key.pem`: `DOCKER_CERT_PATH`, else the Docker config directory
//! (`DOCKER_CONFIG`, else `$HOME/.docker`), or the context's `contexts/tls/<id>/docker`. The
//! engine's certificate is verified against `ca.pem` alone (no system roots) and must name the
//! host it is reached by (a DNS name or an IP address SAN); `cert.pem` + `key.pem` are presented
//! as the client certificate (both or neither: without them an engine started with
//! `--tlsverify` refuses the connection, and the error says so). The default port is 2376 with
//! TLS, 2375 without. TLS is rustls (TLS 1.2 and 1.3) with the *ring* provider, the same build
//! reqwest uses for registries. Unverified TLS is never spoken: a `tcp://` host with
//! `DOCKER_TLS` set but not `DOCKER_TLS_VERIFY` (the CLI's TLS without verification) is refused
//! rather than spoken to in clear or unverified, and so is a context with `SkipTLSVerify` (in
//! the runtime client).
//!
//! Material problems (a missing `ca.pem`, half a client pair, a file that holds no PEM
//! certificate or key) are [`TlsError`]s naming the file and what to do; they are found when
//! the [`Connection`] is made and reported by its first request (or by
//! [`Connection::tls_ready`]). Handshake failures ([`TransportError::Tls`]) name the endpoint
//! and say which side is wrong: the engine's certificate and `ca.pem`, the host name, or the
//! client certificate the engine refused.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};

use crate::http::chain;

/// Where an engine listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Unix(PathBuf),
    /// `host:port`, plain HTTP.
    Tcp(String),
    /// `host:port`, HTTP over TLS: the engine is verified against the material's `ca.pem`, and
    /// the material's client certificate is presented when it has one.
    Tls {
        address: String,
        material: Arc<TlsMaterial>,
    },
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Unix(path) => write!(f, "unix://{}", path.display()),
            Endpoint::Tcp(address) => write!(f, "tcp://{address}"),
            Endpoint::Tls { address, .. } => write!(f, "tcp://{address} (TLS)"),
        }
    }
}

/// Why a host string cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    #[error("engine host `{host}` {problem}")]
    Invalid { host: String, problem: String },
    #[error(
        "engine host `{host}` asks for TLS ({why}) but there is no TLS material to use: set \
         DOCKER_CERT_PATH to the directory holding ca.pem, cert.pem and key.pem (neither \
         DOCKER_CERT_PATH, DOCKER_CONFIG nor HOME is set)"
    )]
    NoTlsMaterial { host: String, why: String },
}

// ---------------------------------------------------------------------------------------------
// TLS material

/// A directory of PEM TLS material laid out as the Docker CLI expects it: `ca.pem`, the CA that
/// signed the engine's certificate (the only one trusted), and the client's `cert.pem` and
/// `key.pem` (both or neither).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsMaterial {
    pub dir: PathBuf,
    /// Where `dir` came from, for messages: `DOCKER_CERT_PATH`, `context \`remote\``, …
    pub origin: String,
    /// How to point portcullis at other material, for messages.
    pub remedy: String,
}

/// A usable TLS client set-up, made from a [`TlsMaterial`].
#[derive(Debug, Clone)]
pub struct TlsClient {
    pub config: Arc<rustls::ClientConfig>,
    /// Whether a client certificate is presented (`cert.pem` and `key.pem` exist).
    pub client_cert: bool,
}

/// Why TLS material cannot be used; each names the file and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsError {
    #[error("{} does not exist (TLS material from {origin}): {remedy}", file.display())]
    Missing {
        file: PathBuf,
        origin: String,
        remedy: String,
    },
    #[error(
        "cannot read {} (TLS material from {origin}): {message}; check that it is a file this \
         user may read",
        file.display()
    )]
    Unreadable {
        file: PathBuf,
        origin: String,
        message: String,
    },
    #[error("{} (TLS material from {origin}) {problem}", file.display())]
    Invalid {
        file: PathBuf,
        origin: String,
        problem: String,
    },
    #[error(
        "{} exists but {} does not (TLS material from {origin}): a client certificate needs \
         its key; add the missing file, or remove both to connect without a client certificate",
        present.display(),
        missing.display()
    )]
    HalfPair {
        present: PathBuf,
        missing: PathBuf,
        origin: String,
    },
}

impl TlsMaterial {
    /// `DOCKER_CERT_PATH`-style material in `dir`; `explicit` when `DOCKER_CERT_PATH` named it
    /// (else `dir` is the Docker config directory, the CLI's default).
    pub fn cert_path(dir: PathBuf, explicit: bool) -> TlsMaterial {
        let (origin, remedy) = if explicit {
            (
                "DOCKER_CERT_PATH".to_owned(),
                "point DOCKER_CERT_PATH at the directory holding ca.pem, cert.pem and key.pem"
                    .to_owned(),
            )
        } else {
            (
                "the Docker config directory, as DOCKER_CERT_PATH is not set".to_owned(),
                format!(
                    "put ca.pem, cert.pem and key.pem in {}, or set DOCKER_CERT_PATH to the \
                     directory holding them",
                    dir.display()
                ),
            )
        };
        TlsMaterial {
            dir,
            origin,
            remedy,
        }
    }

    /// The TLS material of Docker context `name`, in `dir` (`contexts/tls/<id>/docker`).
    pub fn context(dir: PathBuf, name: &str) -> TlsMaterial {
        TlsMaterial {
            dir,
            origin: format!("context `{name}`"),
            remedy: format!(
                "give the context its TLS material with `docker context update {name} --docker \
                 \"host=…,ca=CA.pem,cert=CERT.pem,key=KEY.pem\"`"
            ),
        }
    }

    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    pub fn cert(&self) -> PathBuf {
        self.dir.join("cert.pem")
    }

    pub fn key(&self) -> PathBuf {
        self.dir.join("key.pem")
    }

    /// Reads and checks the material: the CA as the only trust root, and the client
    /// certificate and key when both exist.
    pub fn client_config(&self) -> Result<TlsClient, TlsError> {
        let ca_path = self.ca();
        let ca = self.read(&ca_path)?.ok_or_else(|| TlsError::Missing {
            file: ca_path.clone(),
            origin: self.origin.clone(),
            remedy: format!(
                "it must hold the CA certificate that signed the engine's certificate (dockerd \
                 --tlscacert); {}",
                self.remedy
            ),
        })?;
        const CA_ROLE: &str =
            "it must be the PEM CA certificate that signed the engine's certificate (dockerd \
             --tlscacert)";
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(&ca) {
            let cert = cert.map_err(|e| {
                self.invalid(&ca_path, format!("is not valid PEM ({e}): {CA_ROLE}"))
            })?;
            roots.add(cert).map_err(|e| {
                self.invalid(
                    &ca_path,
                    format!("holds a certificate that cannot be a trust root ({e}): {CA_ROLE}"),
                )
            })?;
        }
        if roots.is_empty() {
            return Err(self.invalid(
                &ca_path,
                format!("holds no PEM certificate (-----BEGIN CERTIFICATE-----): {CA_ROLE}"),
            ));
        }
        let builder = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports the default TLS versions")
        .with_root_certificates(roots);

        let (cert_path, key_path) = (self.cert(), self.key());
        let (cert, key) = (self.read(&cert_path)?, self.read(&key_path)?);
        let half = |present: &Path, missing: &Path| TlsError::HalfPair {
            present: present.to_owned(),
            missing: missing.to_owned(),
            origin: self.origin.clone(),
        };
        let (cert, key) = match (cert, key) {
            (None, None) => {
                return Ok(TlsClient {
                    config: Arc::new(builder.with_no_client_auth()),
                    client_cert: false,
                })
            }
            (Some(_), None) => return Err(half(&cert_path, &key_path)),
            (None, Some(_)) => return Err(half(&key_path, &cert_path)),
            (Some(cert), Some(key)) => (cert, key),
        };
        const CERT_ROLE: &str =
            "it must be the PEM client certificate, signed by a CA the engine trusts";
        let chain = CertificateDer::pem_slice_iter(&cert)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                self.invalid(&cert_path, format!("is not valid PEM ({e}): {CERT_ROLE}"))
            })?;
        if chain.is_empty() {
            return Err(self.invalid(
                &cert_path,
                format!("holds no PEM certificate (-----BEGIN CERTIFICATE-----): {CERT_ROLE}"),
            ));
        }
        let private_key = PrivateKeyDer::from_pem_slice(&key).map_err(|e| {
            let encrypted = String::from_utf8_lossy(&key).contains("ENCRYPTED");
            let why = match e {
                rustls::pki_types::pem::Error::NoItemsFound if encrypted => {
                    "holds an encrypted private key, which cannot be used: decrypt it with \
                     `openssl pkey -in key.pem -out key.pem`"
                        .to_owned()
                }
                rustls::pki_types::pem::Error::NoItemsFound => format!(
                    "holds no PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC): it must be the \
                     key of {}",
                    cert_path.display()
                ),
                e => format!(
                    "is not valid PEM ({e}): it must be the private key of {}",
                    cert_path.display()
                ),
            };
            self.invalid(&key_path, why)
        })?;
        let config = builder
            .with_client_auth_cert(chain, private_key)
            .map_err(|e| {
                self.invalid(
                    &key_path,
                    format!(
                        "cannot be used with {} ({e}): check that the key belongs to that \
                         certificate",
                        cert_path.display()
                    ),
                )
            })?;
        Ok(TlsClient {
            config: Arc::new(config),
            client_cert: true,
        })
    }

    /// The file's bytes, `None` when it does not exist.
    fn read(&self, file: &Path) -> Result<Option<Vec<u8>>, TlsError> {
        match std::fs::read(file) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(TlsError::Unreadable {
                file: file.to_owned(),
                origin: self.origin.clone(),
                message: e.to_string(),
            }),
        }
    }

    fn invalid(&self, file: &Path, problem: String) -> TlsError {
        TlsError::Invalid {
            file: file.to_owned(),
            origin: self.origin.clone(),
            problem,
        }
    }
}

/// How hosts use TLS: what the Docker CLI reads from `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsSettings {
    /// Why `tcp://` hosts must use TLS (`DOCKER_TLS_VERIFY is set`), if they must; `https://`
    /// hosts always do.
    pub verify: Option<String>,
    /// Why TLS *without verification* is asked for (`DOCKER_TLS is set`), if it is: `tcp://`
    /// hosts are then refused, unless `verify` is set too.
    pub unverified: Option<String>,
    /// The material TLS hosts use; `None` when no directory is known.
    pub material: Option<TlsMaterial>,
}

impl TlsSettings {
    /// `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH` (see [`cert_path_from_env`]).
    pub fn from_env() -> TlsSettings {
        TlsSettings {
            verify: tls_requested_by_env(),
            unverified: unverified_tls_requested_by_env(),
            material: cert_path_from_env(),
        }
    }
}

/// Whether the environment asks for TLS to a tcp:// engine (`DOCKER_TLS_VERIFY` set and
/// non-empty, as the Docker CLI reads it). `DOCKER_CERT_PATH` alone does not turn TLS on.
pub fn tls_requested_by_env() -> Option<String> {
    std::env::var_os("DOCKER_TLS_VERIFY")
        .filter(|v| !v.is_empty())
        .map(|_| "DOCKER_TLS_VERIFY is set".to_owned())
}

/// Whether the environment asks for TLS without verifying the engine (`DOCKER_TLS` set and
/// non-empty: the CLI's `--tls`), which portcullis refuses for `tcp://` hosts.
pub fn unverified_tls_requested_by_env() -> Option<String> {
    std::env::var_os("DOCKER_TLS")
        .filter(|v| !v.is_empty())
        .map(|_| "DOCKER_TLS is set".to_owned())
}

/// The TLS material directory as the Docker CLI finds it: `DOCKER_CERT_PATH`, else the config
/// directory (`DOCKER_CONFIG`, else `$HOME/.docker`).
pub fn cert_path_from_env() -> Option<TlsMaterial> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("DOCKER_CERT_PATH") {
        return Some(TlsMaterial::cert_path(dir, true));
    }
    let dir = var("DOCKER_CONFIG").or_else(|| var("HOME").map(|home| home.join(".docker")))?;
    Some(TlsMaterial::cert_path(dir, false))
}

/// Parses an engine host with the TLS material of the environment ([`cert_path_from_env`]) and
/// its `DOCKER_TLS`.
/// `tls` says why TLS is required for `tcp://` hosts, if it is (see [`tls_requested_by_env`]).
pub fn parse_host(host: &str, tls: Option<&str>) -> Result<Endpoint, HostError> {
    parse_host_tls(
        host,
        &TlsSettings {
            verify: tls.map(str::to_owned),
            unverified: unverified_tls_requested_by_env(),
            material: cert_path_from_env(),
        },
    )
}

/// Parses an engine host: `unix:///path.sock` or a bare socket path; `tcp://host[:port]` (TLS
/// when `tls.verify` says so); `https://host[:port]` (always TLS); `http://host[:port]`
/// (plain, refused when TLS is required). Reads nothing from the environment.
pub fn parse_host_tls(host: &str, tls: &TlsSettings) -> Result<Endpoint, HostError> {
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
    let (address, why) = if let Some(address) = host.strip_prefix("https://") {
        (address, Some("https://"))
    } else if let Some(address) = host.strip_prefix("tcp://") {
        if let (None, Some(why)) = (&tls.verify, &tls.unverified) {
            return Err(invalid(&format!(
                "asks for TLS without verifying the engine ({why}), which portcullis does not \
                 do: set DOCKER_TLS_VERIFY=1 with the engine's CA as ca.pem in DOCKER_CERT_PATH, \
                 or unset DOCKER_TLS for plain HTTP"
            )));
        }
        (address, tls.verify.as_deref())
    } else if let Some(address) = host.strip_prefix("http://") {
        if let Some(why) = &tls.verify {
            return Err(invalid(&format!(
                "is plain http:// but TLS is required ({why}): use tcp:// or https:// (or, for \
                 a plain-HTTP engine, unset DOCKER_TLS_VERIFY)"
            )));
        }
        (address, None)
    } else {
        return Err(invalid(
            "is not supported: use unix:///path/to.sock, tcp://host:port or https://host:port",
        ));
    };
    let address = address.trim_end_matches('/');
    if address.is_empty() {
        return Err(invalid("names no address"));
    }
    // The Docker CLI's default ports.
    let address = if address
        .rsplit_once(':')
        .is_some_and(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
    {
        address.to_owned()
    } else if why.is_some() {
        format!("{address}:2376")
    } else {
        format!("{address}:2375")
    };
    let Some(why) = why else {
        return Ok(Endpoint::Tcp(address));
    };
    server_name(&address).map_err(|problem| invalid(&problem))?;
    let material = tls
        .material
        .clone()
        .ok_or_else(|| HostError::NoTlsMaterial {
            host: host.to_owned(),
            why: why.to_owned(),
        })?;
    Ok(Endpoint::Tls {
        address,
        material: Arc::new(material),
    })
}

/// The name the engine's certificate must carry: the host part of `host:port` (an IP address
/// or a DNS name).
fn server_name(address: &str) -> Result<ServerName<'static>, String> {
    let host = match address.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or(rest, |(ip, _)| ip),
        None => address.rsplit_once(':').map_or(address, |(host, _)| host),
    };
    ServerName::try_from(host.to_owned())
        .map_err(|_| format!("has `{host}`, which is neither an IP address nor a DNS name"))
}

// ---------------------------------------------------------------------------------------------
// Requests

/// A transport failure, naming the endpoint.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("cannot connect to {endpoint}: {source}")]
    Connect {
        endpoint: Endpoint,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot use TLS with {endpoint}: {source}")]
    TlsMaterial {
        endpoint: Endpoint,
        #[source]
        source: TlsError,
    },
    /// The TLS handshake failed, or the engine refused the connection with a TLS alert; the
    /// message says what to check.
    #[error("TLS connection to {endpoint} failed: {message}")]
    Tls { endpoint: Endpoint, message: String },
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
    /// For [`Endpoint::Tls`]: the client set-up, or why the material cannot be used.
    tls: Option<Result<TlsClient, TlsError>>,
}

/// TCP connection set-up limit, and TLS handshake limit (unix sockets connect or fail at once).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

impl Connection {
    /// For a TLS endpoint this reads the material; a problem with it is reported by
    /// [`Connection::tls_ready`] and by every request.
    pub fn new(endpoint: Endpoint, idle: Duration) -> Self {
        let tls = match &endpoint {
            Endpoint::Tls { material, .. } => Some(material.client_config()),
            _ => None,
        };
        Connection {
            endpoint,
            idle,
            tls,
        }
    }

    /// Whether the TLS material (if the endpoint uses TLS) could be read and used.
    pub fn tls_ready(&self) -> Result<(), TransportError> {
        self.tls_client().map(drop)
    }

    fn tls_client(&self) -> Result<Option<&TlsClient>, TransportError> {
        match &self.tls {
            None => Ok(None),
            Some(Ok(client)) => Ok(Some(client)),
            Some(Err(e)) => Err(TransportError::TlsMaterial {
                endpoint: self.endpoint.clone(),
                source: e.clone(),
            }),
        }
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
        let tcp = |address: String| async move {
            tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(address))
                .await
                .unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()))
        };
        let (mut sender, connection) = match &self.endpoint {
            Endpoint::Unix(socket) => {
                let stream = tokio::net::UnixStream::connect(socket)
                    .await
                    .map_err(connect_failed)?;
                http1_connection(stream).await.map_err(handshake_failed)?
            }
            Endpoint::Tcp(address) => {
                let stream = tcp(address.clone()).await.map_err(connect_failed)?;
                http1_connection(stream).await.map_err(handshake_failed)?
            }
            Endpoint::Tls { address, .. } => {
                let client = self.tls_client()?.expect("TLS endpoints have a TLS set-up");
                let name = server_name(address).map_err(|problem| TransportError::Tls {
                    endpoint: self.endpoint.clone(),
                    message: format!("the address {problem}"),
                })?;
                let stream = tcp(address.clone()).await.map_err(connect_failed)?;
                let connector = tokio_rustls::TlsConnector::from(Arc::clone(&client.config));
                let stream = tokio::time::timeout(CONNECT_TIMEOUT, connector.connect(name, stream))
                    .await
                    .map_err(|_| TransportError::Tls {
                        endpoint: self.endpoint.clone(),
                        message: format!(
                            "no TLS handshake within {} s: is the engine serving TLS on this \
                             port (dockerd --tlsverify)?",
                            CONNECT_TIMEOUT.as_secs()
                        ),
                    })?
                    .map_err(|e| {
                        self.tls_failure(&e).unwrap_or_else(|| TransportError::Tls {
                            endpoint: self.endpoint.clone(),
                            message: e.to_string(),
                        })
                    })?;
                http1_connection(stream).await.map_err(handshake_failed)?
            }
        };
        let sent = tokio::time::timeout(self.idle, sender.send_request(request))
            .await
            .map_err(|_| TransportError::Timeout {
                endpoint: self.endpoint.clone(),
                method: method.clone(),
                path: path.to_owned(),
                seconds: self.idle.as_secs(),
            })?;
        match sent {
            Ok(response) => Ok(response),
            Err(e) => {
                // The request fails with "connection was not ready" when the connection broke
                // before it was sent; the connection task's own error says why. TLS 1.3
                // engines check the client certificate after the client's side of the
                // handshake, so their refusal arrives that way, as an alert.
                let broken = match tokio::time::timeout(Duration::from_secs(1), connection).await {
                    Ok(Ok(Err(broken))) => Some(broken),
                    _ => None,
                };
                let tls = self
                    .tls_failure(&e)
                    .or_else(|| broken.as_ref().and_then(|b| self.tls_failure(b)));
                Err(tls.unwrap_or_else(|| TransportError::Request {
                    endpoint: self.endpoint.clone(),
                    method,
                    path: path.to_owned(),
                    message: match &broken {
                        Some(broken) => format!("{}: {}", chain(&e), chain(broken)),
                        None => chain(&e),
                    },
                }))
            }
        }
    }

    /// A [`TransportError::Tls`] saying what to check, when `error` comes from rustls.
    fn tls_failure(&self, error: &(dyn std::error::Error + 'static)) -> Option<TransportError> {
        let Endpoint::Tls { address, material } = &self.endpoint else {
            return None;
        };
        let tls = rustls_error(error)?;
        let client_cert = matches!(&self.tls, Some(Ok(client)) if client.client_cert);
        Some(TransportError::Tls {
            endpoint: self.endpoint.clone(),
            message: tls_advice(tls, address, material, client_cert),
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

/// The rustls error in an error chain (tokio-rustls wraps it in an `io::Error`, hyper in its own).
fn rustls_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(tls) = error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(tls);
        }
        current = error.source();
    }
    None
}

/// A rustls failure with what to check.
fn tls_advice(
    error: &rustls::Error,
    address: &str,
    material: &TlsMaterial,
    client_cert: bool,
) -> String {
    use rustls::{AlertDescription as Alert, CertificateError as Cert};
    let host =
        server_name(address).map_or_else(|_| address.to_owned(), |n| n.to_str().into_owned());
    let advice = match error {
        rustls::Error::InvalidCertificate(
            Cert::NotValidForName | Cert::NotValidForNameContext { .. },
        ) => format!(
            "the engine's certificate is not issued for `{host}`: connect with a name or IP \
             address its certificate lists (its subject alternative names)"
        ),
        rustls::Error::InvalidCertificate(
            Cert::Expired
            | Cert::ExpiredContext { .. }
            | Cert::NotValidYet
            | Cert::NotValidYetContext { .. },
        ) => "the engine's certificate is outside its validity period: renew it, or check the \
              clocks"
            .to_owned(),
        rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented => format!(
            "the engine's certificate is not signed by the CA in {} ({}): use the CA that \
             signed the engine's certificate (dockerd --tlscacert)",
            material.ca().display(),
            material.origin
        ),
        rustls::Error::AlertReceived(
            Alert::CertificateRequired
            | Alert::BadCertificate
            | Alert::UnknownCA
            | Alert::CertificateUnknown
            | Alert::UnsupportedCertificate
            | Alert::CertificateExpired
            | Alert::CertificateRevoked
            | Alert::AccessDenied
            | Alert::HandshakeFailure,
        ) if !client_cert => format!(
            "the engine refused the connection: it requires a client certificate, and {} has \
             none; put the client's cert.pem and key.pem (signed by a CA the engine trusts, \
             dockerd --tlscacert) there",
            material.dir.display()
        ),
        rustls::Error::AlertReceived(
            Alert::BadCertificate
            | Alert::UnknownCA
            | Alert::CertificateUnknown
            | Alert::UnsupportedCertificate
            | Alert::CertificateExpired
            | Alert::CertificateRevoked
            | Alert::AccessDenied,
        ) => format!(
            "the engine refused the client certificate {}: it must be valid and signed by a CA \
             the engine trusts (dockerd --tlscacert)",
            material.cert().display()
        ),
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            "the other end does not speak TLS: is the engine serving TLS on this port (dockerd \
             --tlsverify)? a plain-HTTP engine is reached with tcp:// and DOCKER_TLS_VERIFY unset"
                .to_owned()
        }
        _ => String::new(),
    };
    if advice.is_empty() {
        error.to_string()
    } else {
        format!("{error}; {advice}")
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

/// The request half of an HTTP/1.1 connection, and its connection task (which ends with the
/// connection's error when it breaks).
type Http1 = (
    hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    tokio::task::JoinHandle<Result<(), hyper::Error>>,
);

/// An HTTP/1.1 connection over any stream; the connection task runs on the runtime.
async fn http1_connection<S>(stream: S) -> Result<Http1, hyper::Error>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    Ok((sender, tokio::spawn(connection)))
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

    fn material(dir: &Path) -> TlsMaterial {
        TlsMaterial::cert_path(dir.to_owned(), true)
    }

    fn verify(dir: &Path) -> TlsSettings {
        TlsSettings {
            verify: Some("DOCKER_TLS_VERIFY is set".into()),
            unverified: None,
            material: Some(material(dir)),
        }
    }

    #[test]
    fn tls_hosts_parse() {
        let dir = Path::new("/certs");
        let tls = |address: &str| {
            Ok(Endpoint::Tls {
                address: address.into(),
                material: Arc::new(material(dir)),
            })
        };
        // DOCKER_TLS_VERIFY turns tcp:// into TLS, on the TLS default port.
        assert_eq!(
            parse_host_tls("tcp://10.0.0.1", &verify(dir)),
            tls("10.0.0.1:2376")
        );
        assert_eq!(
            parse_host_tls("tcp://engine.example:3000/", &verify(dir)),
            tls("engine.example:3000")
        );
        assert_eq!(
            parse_host_tls("tcp://[::1]", &verify(dir)),
            tls("[::1]:2376")
        );
        // https:// is TLS with or without it; tcp:// without it is plain.
        let material_only = TlsSettings {
            verify: None,
            unverified: None,
            material: Some(material(dir)),
        };
        assert_eq!(
            parse_host_tls("https://engine.example", &material_only),
            tls("engine.example:2376")
        );
        assert_eq!(
            parse_host_tls("tcp://engine.example", &material_only),
            Ok(Endpoint::Tcp("engine.example:2375".into()))
        );
        // TLS only concerns TCP.
        assert_eq!(
            parse_host_tls("unix:///x.sock", &verify(dir)),
            Ok(Endpoint::Unix("/x.sock".into()))
        );
        // DOCKER_TLS alone (TLS without verification) is refused, not downgraded; with
        // DOCKER_TLS_VERIFY the engine is verified.
        let unverified = TlsSettings {
            unverified: Some("DOCKER_TLS is set".into()),
            ..material_only.clone()
        };
        let err = parse_host_tls("tcp://10.0.0.1", &unverified).unwrap_err();
        assert!(
            err.to_string().contains("without verifying")
                && err.to_string().contains("DOCKER_TLS_VERIFY=1"),
            "{err}"
        );
        let both = TlsSettings {
            unverified: Some("DOCKER_TLS is set".into()),
            ..verify(dir)
        };
        assert_eq!(
            parse_host_tls("tcp://10.0.0.1", &both),
            tls("10.0.0.1:2376")
        );
        // Plain http:// while TLS is required is not silently downgraded.
        let err = parse_host_tls("http://10.0.0.1:2375", &verify(dir)).unwrap_err();
        assert!(matches!(err, HostError::Invalid { .. }), "{err}");
        assert!(err.to_string().contains("DOCKER_TLS_VERIFY"), "{err}");
        // No directory to take the material from.
        let err = parse_host_tls("https://10.0.0.1", &TlsSettings::default()).unwrap_err();
        assert!(matches!(err, HostError::NoTlsMaterial { .. }), "{err}");
        assert!(err.to_string().contains("DOCKER_CERT_PATH"), "{err}");
        let err = parse_host_tls("tcp://bad_host!:2376", &verify(dir)).unwrap_err();
        assert!(err.to_string().contains("neither an IP address"), "{err}");
        // The display says TLS.
        let shown = parse_host_tls("tcp://10.0.0.1:2376", &verify(dir))
            .unwrap()
            .to_string();
        assert_eq!(shown, "tcp://10.0.0.1:2376 (TLS)");
    }

    #[test]
    fn server_names_come_from_the_address() {
        let ip =
            |text: &str| ServerName::IpAddress(text.parse::<std::net::IpAddr>().unwrap().into());
        assert_eq!(server_name("127.0.0.1:2376"), Ok(ip("127.0.0.1")));
        assert_eq!(server_name("[::1]:2376"), Ok(ip("::1")));
        assert_eq!(
            server_name("engine.example:2376").unwrap().to_str(),
            "engine.example"
        );
        assert!(server_name("under_score!:1").is_err());
    }

    #[test]
    fn missing_and_broken_material_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let m = material(dir.path());
        let err = m.client_config().unwrap_err();
        assert!(
            matches!(&err, TlsError::Missing { file, .. } if *file == m.ca()),
            "{err}"
        );
        let text = err.to_string();
        assert!(text.contains(&m.ca().display().to_string()), "{text}");
        assert!(
            text.contains("DOCKER_CERT_PATH") && text.contains("--tlscacert"),
            "{text}"
        );

        std::fs::write(m.ca(), "not a certificate\n").unwrap();
        let err = m.client_config().unwrap_err();
        assert!(
            matches!(&err, TlsError::Invalid { file, .. } if *file == m.ca()),
            "{err}"
        );
        assert!(
            err.to_string().contains("holds no PEM certificate"),
            "{err}"
        );

        // Broken base64 inside the markers.
        std::fs::write(
            m.ca(),
            "-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let err = m.client_config().unwrap_err();
        assert!(err.to_string().contains("is not valid PEM"), "{err}");

        // The default directory says how to choose another one.
        let err = TlsMaterial::cert_path(dir.path().join("none"), false)
            .client_config()
            .unwrap_err();
        assert!(err.to_string().contains("set DOCKER_CERT_PATH"), "{err}");
        let err = TlsMaterial::context(dir.path().join("none"), "remote")
            .client_config()
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("context `remote`") && text.contains("docker context update remote"),
            "{text}"
        );
    }

    /// A self-signed certificate and its key (`openssl req`), `None` without openssl.
    fn self_signed(dir: &Path, name: &str) -> Option<(PathBuf, PathBuf)> {
        let cert = dir.join(format!("{name}.crt"));
        let key = dir.join(format!("{name}.key"));
        let status = std::process::Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
            ])
            .args([
                "-nodes",
                "-days",
                "2",
                "-subj",
                &format!("/CN={name}"),
                "-keyout",
            ])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("skipped: the openssl CLI is not available (Debian openssl)");
            return None;
        }
        Some((cert, key))
    }

    #[test]
    fn real_material_loads_and_half_pairs_are_named() {
        let work = tempfile::tempdir().unwrap();
        let Some((cert, key)) = self_signed(work.path(), "one") else {
            return;
        };
        let Some((_, other_key)) = self_signed(work.path(), "two") else {
            return;
        };
        let dir = work.path().join("material");
        std::fs::create_dir(&dir).unwrap();
        let m = material(&dir);
        std::fs::copy(&cert, m.ca()).unwrap();

        // A CA alone: TLS without a client certificate.
        let client = m.client_config().unwrap();
        assert!(!client.client_cert);

        // Half a pair.
        std::fs::copy(&cert, m.cert()).unwrap();
        let err = m.client_config().unwrap_err();
        assert!(
            matches!(&err, TlsError::HalfPair { missing, .. } if *missing == m.key()),
            "{err}"
        );
        assert!(err.to_string().contains("remove both"), "{err}");

        // The whole pair.
        std::fs::copy(&key, m.key()).unwrap();
        assert!(m.client_config().unwrap().client_cert);

        // Another key than the certificate's.
        std::fs::copy(&other_key, m.key()).unwrap();
        let err = m.client_config().unwrap_err();
        assert!(
            matches!(&err, TlsError::Invalid { file, .. } if *file == m.key()),
            "{err}"
        );
        assert!(
            err.to_string().contains("belongs to that certificate"),
            "{err}"
        );

        // Not a key at all, and an encrypted one.
        std::fs::copy(&cert, m.key()).unwrap();
        let err = m.client_config().unwrap_err();
        assert!(
            err.to_string().contains("holds no PEM private key"),
            "{err}"
        );
        std::fs::write(
            m.key(),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
        )
        .unwrap();
        let err = m.client_config().unwrap_err();
        assert!(err.to_string().contains("openssl pkey"), "{err}");

        // A key that cannot be read (a directory, even for root).
        std::fs::remove_file(m.key()).unwrap();
        std::fs::create_dir(m.key()).unwrap();
        let err = m.client_config().unwrap_err();
        assert!(
            matches!(&err, TlsError::Unreadable { file, .. } if *file == m.key()),
            "{err}"
        );
    }

    #[test]
    fn material_problems_reach_the_caller_of_a_connection() {
        let dir = tempfile::tempdir().unwrap();
        let endpoint = parse_host_tls("tcp://127.0.0.1:1", &verify(dir.path())).unwrap();
        let connection = Connection::new(endpoint, Duration::from_secs(5));
        let err = connection.tls_ready().unwrap_err();
        assert!(matches!(err, TransportError::TlsMaterial { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("127.0.0.1:1") && text.contains("ca.pem"),
            "{text}"
        );
        let plain = Connection::new(Endpoint::Tcp("127.0.0.1:1".into()), Duration::from_secs(5));
        assert!(plain.tls_ready().is_ok());
    }

    #[test]
    fn tls_failures_say_what_to_check() {
        let m = material(Path::new("/certs"));
        let advice =
            |e: rustls::Error, client_cert| tls_advice(&e, "10.0.0.1:2376", &m, client_cert);
        let text = advice(
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
            true,
        );
        assert!(text.contains("/certs/ca.pem"), "{text}");
        let text = advice(
            rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName),
            true,
        );
        assert!(text.contains("`10.0.0.1`"), "{text}");
        let alert = || rustls::Error::AlertReceived(rustls::AlertDescription::CertificateRequired);
        let text = advice(alert(), false);
        assert!(text.contains("requires a client certificate"), "{text}");
        let bad = rustls::Error::AlertReceived(rustls::AlertDescription::BadCertificate);
        assert!(advice(bad, true).contains("/certs/cert.pem"));
        let text = advice(
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
            true,
        );
        assert!(text.contains("does not speak TLS"), "{text}");
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
