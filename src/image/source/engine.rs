//! `docker:NAME` and `podman:NAME`: images held by a local container engine, exported through
//! its Docker-compatible Engine API (dockerd, or podman's `system service`).
//!
//! The engine is asked `GET /images/{name}/json` first, so a missing image is a clear
//! [`ImageError::NotFound`], then `GET /images/{name}/get`, which streams a docker-archive tar
//! (`docker save`). The transport is the shared [`crate::engine`] one: hyper's HTTP/1.1 client
//! over a unix socket (or plain TCP for `tcp://` hosts), so chunked transfer encoding is
//! decoded by hyper, not by hand.
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

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Method, Response, StatusCode};

use super::{LayerReader, OpenedImage, Platform};
use crate::engine::{
    encode_path, parse_host, tls_requested_by_env, Connection, Endpoint, TransportError,
};
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
        connection: Connection::new(endpoint, options.idle_timeout),
        image: image.clone(),
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
    parse_host(&host, tls_requested_by_env().as_deref()).map_err(|e| e.to_string())
}

struct Engine {
    kind: EngineKind,
    connection: Connection,
    image: String,
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
        let encoded = encode_path(name);
        let response = self.get(&format!("/images/{encoded}/json")).await?;
        if response.status() == StatusCode::NOT_FOUND {
            let said = self.connection.error_message(response).await;
            return Err(ImageError::NotFound {
                image: self.image.clone(),
                message: format!(
                    "the {} engine at {} has no image `{name}` ({said}); pull or build it first",
                    self.kind.name(),
                    self.connection.endpoint
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
            let said = self.connection.error_message(response).await;
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
            let frame = tokio::time::timeout(self.connection.idle, body.frame())
                .await
                .map_err(|_| {
                    self.remote(format!(
                        "the export stalled: no data for {} s after {written} bytes",
                        self.connection.idle.as_secs()
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

    /// One GET on a fresh connection.
    async fn get(&self, path: &str) -> Result<Response<Incoming>, ImageError> {
        self.connection
            .send(Method::GET, path, None)
            .await
            .map_err(|e| self.transport(e))
    }

    /// A transport failure in this source's words: what to do when the engine is not there.
    fn transport(&self, error: TransportError) -> ImageError {
        let TransportError::Connect { endpoint, source } = &error else {
            return self.remote(error.to_string());
        };
        let advice = match (source.kind(), self.kind) {
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
            "cannot reach the {} engine at {endpoint}: {source}{advice}",
            self.kind.name(),
        ))
    }

    async fn collect(
        &self,
        response: Response<Incoming>,
        limit: usize,
    ) -> Result<Vec<u8>, ImageError> {
        self.connection
            .collect(response, limit)
            .await
            .map_err(|e| self.transport(e))
    }

    async fn failure(&self, doing: &str, response: Response<Incoming>) -> ImageError {
        let status = response.status();
        let said = self.connection.error_message(response).await;
        self.remote(format!(
            "{doing}: the {} engine at {} answered {status}: {said}",
            self.kind.name(),
            self.connection.endpoint
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn empty_names_are_refused() {
        let err = open_engine(EngineKind::Docker, " ", &EngineOptions::default()).unwrap_err();
        assert!(matches!(err, ImageError::BadReference { .. }), "{err}");
    }
}
