//! The container-engine client for runtime-configuration checks: what a running Docker (or
//! podman's Docker-compatible API) says about its containers and itself.
//!
//! [`EngineClient::connect`] finds the engine like the Docker CLI does (an explicit host, an
//! explicit context, `DOCKER_HOST`, `DOCKER_CONTEXT`, the config's `currentContext`, then
//! `/var/run/docker.sock`), asks `GET /_ping` for the server's API version and then prefixes
//! every request with `/v{min(1.47, server)}`. TLS follows the CLI too: a `tcp://` host with
//! `DOCKER_TLS_VERIFY` set uses `DOCKER_CERT_PATH` (else the config directory), an `https://`
//! host always uses TLS, and a context's `tcp://` host uses the context's own TLS material
//! (`contexts/tls/<id>/docker/{ca,cert,key}.pem`) when it has some; the engine is verified
//! against that `ca.pem` only. A context with `SkipTLSVerify` is refused: portcullis does not
//! talk to an engine it cannot verify. See [`crate::engine`] for the TLS details.
//!
//! Requests go through the shared [`crate::engine`] transport, one fresh connection each, on a
//! private tokio runtime so callers stay synchronous; [`EngineClient::inspect_all`] inspects up
//! to 16 containers at once.
//!
//! The typed views ([`ContainerInspect`], [`Info`], …) hold the fields the CIS 5.x and 2.x
//! checks read, with `null` lists and maps read as empty; each keeps the engine's whole answer
//! in `raw` for rules that need more. Podman's compat answers differ from dockerd's in places
//! (default caps, `PidsLimit` 2048, `Ulimits` names `RLIMIT_*`, `IpcMode`): the views report
//! what the engine said and leave normalising to the rules.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hyper::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::engine::{
    encode_path, parse_host_tls, tls_requested_by_env, unverified_tls_requested_by_env, Connection,
    Endpoint, HostError, TlsMaterial, TlsSettings, TransportError,
};

/// The newest Engine API version this client speaks.
pub const MAX_API_VERSION: ApiVersion = ApiVersion {
    major: 1,
    minor: 47,
};

/// Used when the engine does not say its version (very old daemons): Docker 20.10's.
pub const FALLBACK_API_VERSION: ApiVersion = ApiVersion {
    major: 1,
    minor: 41,
};

/// Containers inspected at once by [`EngineClient::inspect_all`].
pub const INSPECT_CONCURRENCY: usize = 16;

const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// Largest JSON answer read (a `/containers/json` of a busy host is a few MB).
const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// An Engine API version, `1.41`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ApiVersion {
    pub major: u32,
    pub minor: u32,
}

impl ApiVersion {
    pub fn parse(text: &str) -> Option<ApiVersion> {
        let (major, minor) = text.trim().split_once('.')?;
        Some(ApiVersion {
            major: major.parse().ok()?,
            minor: minor.split('.').next()?.parse().ok()?,
        })
    }
}

impl std::fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// What went wrong talking to the engine, naming the endpoint and what to do.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    Host(#[from] HostError),
    #[error("Docker context `{name}`: {problem}")]
    Context { name: String, problem: String },
    #[error(
        "no engine socket at {endpoint} (from {origin}): is the engine running? set DOCKER_HOST \
         or --host to its socket"
    )]
    SocketMissing { endpoint: Endpoint, origin: String },
    #[error(
        "permission denied on {endpoint} (from {origin}): run as a user in the `docker` group, \
         or point DOCKER_HOST or --host at a rootless engine's socket \
         (unix://$XDG_RUNTIME_DIR/docker.sock or unix://$XDG_RUNTIME_DIR/podman/podman.sock)"
    )]
    PermissionDenied { endpoint: Endpoint, origin: String },
    #[error(
        "cannot reach the engine at {endpoint} (from {origin}): {source}; is the engine \
         running? set DOCKER_HOST or --host"
    )]
    Unreachable {
        endpoint: Endpoint,
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Transport(TransportError),
    #[error("{what}: the engine at {endpoint} has no such object ({message})")]
    NotFound {
        endpoint: Endpoint,
        what: String,
        message: String,
    },
    #[error("{what}: the engine at {endpoint} answered {status}: {message}")]
    Api {
        endpoint: Endpoint,
        what: String,
        status: StatusCode,
        message: String,
    },
    #[error(
        "{what}: the engine at {endpoint} sent an answer that is not the expected JSON: {message}"
    )]
    Decode {
        endpoint: Endpoint,
        what: String,
        message: String,
    },
    #[error("cannot start the I/O runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

/// How to find the engine. The defaults read the environment like the Docker CLI.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// `--host`: wins over everything else.
    pub host: Option<String>,
    /// `--context`: a Docker context name.
    pub context: Option<String>,
    /// The longest wait for an answer.
    pub timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            host: None,
            context: None,
            timeout: Duration::from_secs(60),
        }
    }
}

/// What host resolution reads, so it can be tested without touching the process environment.
#[derive(Debug, Clone, Default)]
pub struct HostSources {
    pub host: Option<String>,
    pub context: Option<String>,
    /// `$DOCKER_HOST`.
    pub docker_host: Option<String>,
    /// `$DOCKER_CONTEXT`.
    pub docker_context: Option<String>,
    /// `$DOCKER_CONFIG`, else `$HOME/.docker`.
    pub config_dir: Option<PathBuf>,
    /// Why TLS is asked for (`DOCKER_TLS_VERIFY`), if it is. It applies to `--host`,
    /// `DOCKER_HOST` and the default socket, not to contexts (they carry their own TLS).
    pub tls: Option<String>,
    /// Why TLS without verification is asked for (`DOCKER_TLS`), if it is: refused for
    /// `tcp://` hosts unless `tls` is set too.
    pub tls_unverified: Option<String>,
    /// `$DOCKER_CERT_PATH`: the directory of `ca.pem`, `cert.pem` and `key.pem` for TLS hosts.
    /// `None`: `config_dir`, as the Docker CLI does.
    pub cert_path: Option<PathBuf>,
}

impl HostSources {
    /// The options plus the environment.
    pub fn from_env(options: &ConnectOptions) -> HostSources {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        HostSources {
            host: options.host.clone().filter(|h| !h.trim().is_empty()),
            context: options.context.clone().filter(|c| !c.trim().is_empty()),
            docker_host: var("DOCKER_HOST"),
            docker_context: var("DOCKER_CONTEXT"),
            config_dir: var("DOCKER_CONFIG")
                .map(PathBuf::from)
                .or_else(|| var("HOME").map(|home| Path::new(&home).join(".docker"))),
            tls: tls_requested_by_env(),
            tls_unverified: unverified_tls_requested_by_env(),
            cert_path: var("DOCKER_CERT_PATH").map(PathBuf::from),
        }
    }

    /// How `--host` and `DOCKER_HOST` use TLS: `tls`, with the material in `cert_path`, else
    /// in `config_dir`.
    pub fn tls_settings(&self) -> TlsSettings {
        let material = match (&self.cert_path, &self.config_dir) {
            (Some(dir), _) => Some(TlsMaterial::cert_path(dir.clone(), true)),
            (None, Some(dir)) => Some(TlsMaterial::cert_path(dir.clone(), false)),
            (None, None) => None,
        };
        TlsSettings {
            verify: self.tls.clone(),
            unverified: self.tls_unverified.clone(),
            material,
        }
    }
}

/// A resolved engine address and where it came from (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedHost {
    pub endpoint: Endpoint,
    /// `--host`, `DOCKER_HOST`, `context NAME`, `the default socket`.
    pub origin: String,
}

/// Picks the engine host as the Docker CLI does: `--host`; `--context`; `DOCKER_HOST`;
/// `DOCKER_CONTEXT`; `currentContext` in `config.json`; the default socket. The context named
/// `default` is `DOCKER_HOST` or the default socket.
///
/// TLS: `--host`, `DOCKER_HOST` and the default socket use [`HostSources::tls_settings`]; a
/// context's `tcp://` host uses TLS with the context's material when it has some, and a
/// context with `SkipTLSVerify` is refused.
pub fn resolve_host(sources: &HostSources) -> Result<ResolvedHost, EngineError> {
    let tls = sources.tls_settings();
    let resolved = |host: &str, origin: String| -> Result<ResolvedHost, EngineError> {
        Ok(ResolvedHost {
            endpoint: parse_host_tls(host, &tls)?,
            origin,
        })
    };
    if let Some(host) = &sources.host {
        return resolved(host, "--host".into());
    }
    let context = match &sources.context {
        Some(name) => Some((name.clone(), "--context")),
        None if sources.docker_host.is_some() => None,
        None => match &sources.docker_context {
            Some(name) => Some((name.clone(), "DOCKER_CONTEXT")),
            None => current_context(sources.config_dir.as_deref())?
                .map(|name| (name, "currentContext in config.json")),
        },
    };
    if let Some((name, how)) = context.filter(|(name, _)| name != "default") {
        let Some(dir) = &sources.config_dir else {
            return Err(EngineError::Context {
                name,
                problem: "neither DOCKER_CONFIG nor HOME is set, so contexts cannot be read".into(),
            });
        };
        let context = context_host(dir, &name)?;
        let origin = format!("context `{name}` ({how})");
        let tcp = ["tcp://", "https://", "http://"]
            .iter()
            .any(|scheme| context.host.starts_with(scheme));
        if tcp && context.skip_tls_verify {
            let host = &context.host;
            return Err(EngineError::Context {
                name: name.clone(),
                problem: format!(
                    "sets SkipTLSVerify for {host}: portcullis does not talk to an engine whose \
                     certificate it cannot verify; give the context the engine's CA with \
                     `docker context update {name} --docker \"host={host},ca=CA.pem,\
                     cert=CERT.pem,key=KEY.pem\"`"
                ),
            });
        }
        // The context's own TLS, never the environment's.
        let tls = TlsSettings {
            verify: context
                .tls_dir
                .is_some()
                .then(|| format!("context `{name}` has TLS material")),
            unverified: None,
            material: context.tls_dir.map(|dir| TlsMaterial::context(dir, &name)),
        };
        return Ok(ResolvedHost {
            endpoint: parse_host_tls(&context.host, &tls)?,
            origin,
        });
    }
    if let Some(host) = &sources.docker_host {
        return resolved(host, "DOCKER_HOST".into());
    }
    resolved(DEFAULT_HOST, "the default socket".into())
}

/// `currentContext` of `config.json`, when the file exists and names one.
fn current_context(config_dir: Option<&Path>) -> Result<Option<String>, EngineError> {
    let Some(dir) = config_dir else {
        return Ok(None);
    };
    let path = dir.join("config.json");
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(EngineError::Context {
                name: "(current)".into(),
                problem: format!("cannot read {}: {e}", path.display()),
            })
        }
    };
    #[derive(Deserialize)]
    struct Config {
        #[serde(rename = "currentContext", default)]
        current_context: Option<String>,
    }
    let config: Config = serde_json::from_slice(&text).map_err(|e| EngineError::Context {
        name: "(current)".into(),
        problem: format!("{} is not valid JSON: {e}", path.display()),
    })?;
    Ok(config.current_context.filter(|c| !c.trim().is_empty()))
}

/// The docker endpoint of a context.
#[derive(Debug)]
struct ContextEndpoint {
    /// `Endpoints.docker.Host`.
    host: String,
    /// `Endpoints.docker.SkipTLSVerify`.
    skip_tls_verify: bool,
    /// `contexts/tls/<id>/docker`, when it holds any file.
    tls_dir: Option<PathBuf>,
}

/// The docker endpoint of context `name`.
fn context_host(config_dir: &Path, name: &str) -> Result<ContextEndpoint, EngineError> {
    let id = format!("{:x}", Sha256::digest(name.as_bytes()));
    let meta = config_dir.join("contexts/meta").join(&id).join("meta.json");
    let problem = |problem: String| EngineError::Context {
        name: name.to_owned(),
        problem,
    };
    let text = std::fs::read(&meta).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            problem(format!(
                "not found ({} does not exist); list contexts with `docker context ls`",
                meta.display()
            ))
        } else {
            problem(format!("cannot read {}: {e}", meta.display()))
        }
    })?;
    let value: Value = serde_json::from_slice(&text)
        .map_err(|e| problem(format!("{} is not valid JSON: {e}", meta.display())))?;
    let host = value["Endpoints"]["docker"]["Host"]
        .as_str()
        .filter(|h| !h.trim().is_empty())
        .ok_or_else(|| problem(format!("{} has no Endpoints.docker.Host", meta.display())))?;
    let skip_tls_verify = value["Endpoints"]["docker"]["SkipTLSVerify"]
        .as_bool()
        .unwrap_or(false);
    let tls_dir = config_dir.join("contexts/tls").join(&id).join("docker");
    let tls_material = tls_dir.is_dir()
        && std::fs::read_dir(&tls_dir).is_ok_and(|mut entries| entries.next().is_some());
    Ok(ContextEndpoint {
        host: host.to_owned(),
        skip_tls_verify,
        tls_dir: tls_material.then_some(tls_dir),
    })
}

// ---------------------------------------------------------------------------------------------
// Typed answers

/// `null` as the type's default (the Engine API sends `null` for many empty lists and maps).
fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// `GET /containers/{id}/json`, the fields the runtime rules read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerInspect {
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// With the engine's leading `/` (Docker) or without it (podman).
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub config: ContainerConfig,
    #[serde(default, deserialize_with = "nullable")]
    pub host_config: HostConfig,
    /// The effective mounts (prefer them over `HostConfig.Binds`).
    #[serde(default, deserialize_with = "nullable")]
    pub mounts: Vec<Mount>,
    /// `""` when the host has no AppArmor, `unconfined`, `docker-default`, …
    #[serde(default, deserialize_with = "nullable")]
    pub app_armor_profile: String,
    #[serde(rename = "ExecIDs", default, deserialize_with = "nullable")]
    pub exec_ids: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub state: ContainerState,
    /// The whole answer.
    #[serde(skip)]
    pub raw: Value,
}

impl ContainerInspect {
    /// The name without Docker's leading `/`.
    pub fn short_name(&self) -> &str {
        self.name.strip_prefix('/').unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerConfig {
    #[serde(default, deserialize_with = "nullable")]
    pub user: String,
    /// `KEY=value` entries.
    #[serde(default, deserialize_with = "nullable")]
    pub env: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub image: String,
    #[serde(default, deserialize_with = "nullable")]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub healthcheck: Option<Healthcheck>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct Healthcheck {
    /// `["NONE"]` disables the image's check; `["CMD", …]`, `["CMD-SHELL", "…"]`.
    #[serde(default, deserialize_with = "nullable")]
    pub test: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostConfig {
    #[serde(default, deserialize_with = "nullable")]
    pub privileged: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub cap_add: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub cap_drop: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub security_opt: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub readonly_rootfs: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub network_mode: String,
    #[serde(default, deserialize_with = "nullable")]
    pub pid_mode: String,
    #[serde(default, deserialize_with = "nullable")]
    pub ipc_mode: String,
    #[serde(rename = "UTSMode", default, deserialize_with = "nullable")]
    pub uts_mode: String,
    #[serde(default, deserialize_with = "nullable")]
    pub userns_mode: String,
    #[serde(default, deserialize_with = "nullable")]
    pub cgroupns_mode: String,
    #[serde(default, deserialize_with = "nullable")]
    pub devices: Vec<DeviceMapping>,
    /// Bytes; 0 = unlimited.
    #[serde(default, deserialize_with = "nullable")]
    pub memory: i64,
    #[serde(default, deserialize_with = "nullable")]
    pub nano_cpus: i64,
    #[serde(default, deserialize_with = "nullable")]
    pub cpu_quota: i64,
    #[serde(default, deserialize_with = "nullable")]
    pub cpu_shares: i64,
    /// `None`, 0 or -1: unlimited (podman defaults to 2048).
    #[serde(default)]
    pub pids_limit: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    pub restart_policy: RestartPolicy,
    /// `"22/tcp"` → the host bindings asked for.
    #[serde(default, deserialize_with = "nullable")]
    pub port_bindings: BTreeMap<String, Option<Vec<PortBinding>>>,
    #[serde(default, deserialize_with = "nullable")]
    pub publish_all_ports: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub ulimits: Vec<Ulimit>,
    #[serde(default, deserialize_with = "nullable")]
    pub cgroup_parent: String,
    #[serde(default, deserialize_with = "nullable")]
    pub sysctls: BTreeMap<String, String>,
    /// `None` when the engine did not say; `Some([])` means `systempaths=unconfined`.
    #[serde(default)]
    pub masked_paths: Option<Vec<String>>,
    #[serde(default)]
    pub readonly_paths: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceMapping {
    #[serde(default, deserialize_with = "nullable")]
    pub path_on_host: String,
    #[serde(default, deserialize_with = "nullable")]
    pub path_in_container: String,
    #[serde(default, deserialize_with = "nullable")]
    pub cgroup_permissions: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct RestartPolicy {
    /// `""`, `no`, `always`, `unless-stopped`, `on-failure`.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub maximum_retry_count: i64,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct PortBinding {
    /// `""` means every interface (unless the daemon's `ip` says otherwise).
    #[serde(default, deserialize_with = "nullable")]
    pub host_ip: String,
    #[serde(default, deserialize_with = "nullable")]
    pub host_port: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct Ulimit {
    /// `nofile` (Docker) or `RLIMIT_NOFILE` (podman).
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub soft: i64,
    #[serde(default, deserialize_with = "nullable")]
    pub hard: i64,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct Mount {
    /// `bind`, `volume`, `tmpfs`, …
    #[serde(default, deserialize_with = "nullable")]
    pub r#type: String,
    /// The volume's name (empty for bind mounts).
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub source: String,
    #[serde(default, deserialize_with = "nullable")]
    pub destination: String,
    #[serde(rename = "RW", default, deserialize_with = "nullable")]
    pub rw: bool,
    /// `rprivate`, `shared`, `rshared`, … (`""` for volumes).
    #[serde(default, deserialize_with = "nullable")]
    pub propagation: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerState {
    #[serde(default, deserialize_with = "nullable")]
    pub running: bool,
    /// `created`, `running`, `exited`, …
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// Present only for containers with a health check.
    #[serde(default)]
    pub health: Option<Health>,
}

impl ContainerState {
    /// The health status, `None` without a health check (podman sends an empty `Health`
    /// object then, dockerd none).
    pub fn health_status(&self) -> Option<&str> {
        self.health
            .as_ref()
            .map(|h| h.status.as_str())
            .filter(|s| !s.is_empty())
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct Health {
    /// `none`, `starting`, `healthy`, `unhealthy`.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    #[serde(default, deserialize_with = "nullable")]
    pub failing_streak: i64,
}

/// One entry of `GET /containers/json`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerSummary {
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub names: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub image: String,
    #[serde(default, deserialize_with = "nullable")]
    pub state: String,
    #[serde(default, deserialize_with = "nullable")]
    pub labels: BTreeMap<String, String>,
    #[serde(skip)]
    pub raw: Value,
}

/// `GET /info`, the daemon settings the CIS 2.x checks read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Info {
    #[serde(default, deserialize_with = "nullable")]
    pub server_version: String,
    /// `name=seccomp,profile=builtin`, `name=rootless`, `name=userns`, …
    #[serde(default, deserialize_with = "nullable")]
    pub security_options: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub live_restore_enabled: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub logging_driver: String,
    #[serde(default, deserialize_with = "nullable")]
    pub debug: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub driver: String,
    #[serde(default, deserialize_with = "nullable")]
    pub experimental_build: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub docker_root_dir: String,
    #[serde(default, deserialize_with = "nullable")]
    pub cgroup_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub warnings: Vec<String>,
    /// podman's compat API only.
    #[serde(default)]
    pub rootless: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub registry_config: RegistryConfig,
    #[serde(default, deserialize_with = "nullable")]
    pub plugins: Plugins,
    #[serde(default, deserialize_with = "nullable")]
    pub swarm: SwarmInfo,
    /// Whether the kernel and cgroup setup let the engine enforce these limits; `None` when
    /// the engine does not say (an unknown is not a missing feature).
    #[serde(default)]
    pub memory_limit: Option<bool>,
    #[serde(default)]
    pub pids_limit: Option<bool>,
    #[serde(default)]
    pub cpu_cfs_quota: Option<bool>,
    /// `cgroupfs`, `systemd`, or `none` (rootless without cgroups: limits are ignored).
    #[serde(default, deserialize_with = "nullable")]
    pub cgroup_driver: String,
    #[serde(skip)]
    pub raw: Value,
}

/// `/info RegistryConfig`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegistryConfig {
    /// Always includes dockerd's built-in `127.0.0.0/8` (and `::1/128` on newer engines).
    #[serde(
        rename = "InsecureRegistryCIDRs",
        default,
        deserialize_with = "nullable"
    )]
    pub insecure_registry_cidrs: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub index_configs: BTreeMap<String, IndexInfo>,
}

/// One registry of `RegistryConfig.IndexConfigs`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IndexInfo {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// `Some(false)` for an insecure (plain HTTP or unverified TLS) registry.
    #[serde(default)]
    pub secure: Option<bool>,
}

/// `/info Plugins`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Plugins {
    #[serde(default, deserialize_with = "nullable")]
    pub authorization: Vec<String>,
}

/// `/info Swarm`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SwarmInfo {
    /// `inactive`, `pending`, `active`, `error`, `locked` (podman: always `inactive`).
    #[serde(default, deserialize_with = "nullable")]
    pub local_node_state: String,
    #[serde(default, deserialize_with = "nullable")]
    pub control_available: bool,
}

/// `GET /version`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Version {
    #[serde(default, deserialize_with = "nullable")]
    pub version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub api_version: String,
    #[serde(rename = "MinAPIVersion", default, deserialize_with = "nullable")]
    pub min_api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub os: String,
    #[serde(default, deserialize_with = "nullable")]
    pub arch: String,
    #[serde(default, deserialize_with = "nullable")]
    pub kernel_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub components: Vec<Component>,
    #[serde(skip)]
    pub raw: Value,
}

impl Version {
    /// Whether the engine is podman (a `Podman Engine` component).
    pub fn is_podman(&self) -> bool {
        self.components.iter().any(|c| c.name == "Podman Engine")
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct Component {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub version: String,
}

/// One entry of `GET /networks`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Network {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub driver: String,
    /// `com.docker.network.bridge.enable_icc`, `…host_binding_ipv4`, `encrypted`, …
    #[serde(default, deserialize_with = "nullable")]
    pub options: BTreeMap<String, String>,
    #[serde(skip)]
    pub raw: Value,
}

/// `GET /exec/{id}/json`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExecInspect {
    #[serde(rename = "ID", default, deserialize_with = "nullable")]
    pub id: String,
    #[serde(rename = "ContainerID", default, deserialize_with = "nullable")]
    pub container_id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub running: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub process_config: ProcessConfig,
    #[serde(skip)]
    pub raw: Value,
}

/// An exec's process (lower-case keys in the API).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProcessConfig {
    #[serde(default, deserialize_with = "nullable")]
    pub privileged: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub user: String,
    #[serde(default, deserialize_with = "nullable")]
    pub entrypoint: String,
    #[serde(default, deserialize_with = "nullable")]
    pub arguments: Vec<String>,
}

/// `GET /containers/{id}/top`: `ps` columns and rows.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct Top {
    #[serde(default, deserialize_with = "nullable")]
    pub titles: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub processes: Vec<Vec<String>>,
}

/// Typed views that keep the raw answer.
trait WithRaw: DeserializeOwned {
    fn set_raw(&mut self, raw: Value);
}

macro_rules! with_raw {
    ($($t:ty),*) => {$(
        impl WithRaw for $t {
            fn set_raw(&mut self, raw: Value) {
                self.raw = raw;
            }
        }
    )*};
}
with_raw!(
    ContainerInspect,
    ContainerSummary,
    Info,
    Version,
    Network,
    ExecInspect
);

fn typed<T: WithRaw>(raw: Value) -> Result<T, serde_json::Error> {
    let mut typed: T = serde_json::from_value(raw.clone())?;
    typed.set_raw(raw);
    Ok(typed)
}

// ---------------------------------------------------------------------------------------------
// The client

/// A connected engine: blocking calls, each a request on a fresh connection.
pub struct EngineClient {
    inner: Arc<Inner>,
    runtime: tokio::runtime::Runtime,
}

struct Inner {
    connection: Connection,
    origin: String,
    /// `/v1.41`.
    prefix: String,
    version: ApiVersion,
}

impl std::fmt::Debug for EngineClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineClient")
            .field("endpoint", &self.inner.connection.endpoint)
            .field("api_version", &self.inner.version)
            .finish()
    }
}

impl EngineClient {
    /// Finds the engine from the options and the environment, then negotiates the API version.
    ///
    /// Must not be called from inside an async runtime (it runs its own).
    pub fn connect(options: &ConnectOptions) -> Result<EngineClient, EngineError> {
        let resolved = resolve_host(&HostSources::from_env(options))?;
        Self::connect_to(resolved, options.timeout)
    }

    /// Connects to an explicit host (`unix:///…`, `tcp://…`, `https://…`), ignoring the
    /// environment but for `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH` (else `DOCKER_CONFIG`,
    /// else `$HOME/.docker`).
    pub fn connect_host(host: &str, timeout: Duration) -> Result<EngineClient, EngineError> {
        let endpoint = parse_host_tls(host, &TlsSettings::from_env())?;
        Self::connect_to(
            ResolvedHost {
                endpoint,
                origin: "--host".into(),
            },
            timeout,
        )
    }

    /// Negotiates with an already resolved host. TLS material problems are reported before
    /// anything is sent.
    pub fn connect_to(
        resolved: ResolvedHost,
        timeout: Duration,
    ) -> Result<EngineClient, EngineError> {
        let connection = Connection::new(resolved.endpoint, timeout);
        connection.tls_ready().map_err(EngineError::Transport)?;
        let runtime = crate::http::runtime("portcullis-engine").map_err(EngineError::Runtime)?;
        let mut inner = Inner {
            connection,
            origin: resolved.origin,
            prefix: String::new(),
            version: FALLBACK_API_VERSION,
        };
        let server = runtime.block_on(inner.server_api_version())?;
        inner.version = server.map_or(FALLBACK_API_VERSION, |v| v.min(MAX_API_VERSION));
        inner.prefix = format!("/v{}", inner.version);
        Ok(EngineClient {
            inner: Arc::new(inner),
            runtime,
        })
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.connection.endpoint
    }

    /// The API version every request uses: `min(MAX_API_VERSION, server)`.
    pub fn api_version(&self) -> ApiVersion {
        self.inner.version
    }

    pub fn info(&self) -> Result<Info, EngineError> {
        self.get_typed("/info", "reading the daemon info")
    }

    pub fn version(&self) -> Result<Version, EngineError> {
        self.get_typed("/version", "reading the engine version")
    }

    pub fn networks(&self) -> Result<Vec<Network>, EngineError> {
        self.get_list("/networks", "listing networks")
    }

    /// `GET /containers/json`: running containers, or all with `all`; `label_filters` are
    /// `key` or `key=value`, all of which must match.
    pub fn containers(
        &self,
        all: bool,
        label_filters: &[String],
    ) -> Result<Vec<ContainerSummary>, EngineError> {
        let mut path = format!("/containers/json?all={}", if all { "1" } else { "0" });
        if !label_filters.is_empty() {
            let filters = serde_json::json!({ "label": label_filters }).to_string();
            path.push_str("&filters=");
            path.push_str(
                &percent_encoding::utf8_percent_encode(
                    &filters,
                    percent_encoding::NON_ALPHANUMERIC,
                )
                .to_string(),
            );
        }
        self.get_list(&path, "listing containers")
    }

    /// `GET /containers/{id}/json`.
    pub fn inspect(&self, id: &str) -> Result<ContainerInspect, EngineError> {
        let inner = Arc::clone(&self.inner);
        let id = id.to_owned();
        self.runtime
            .block_on(async move { inner.inspect(&id).await })
    }

    /// Inspects every container of `ids`, [`INSPECT_CONCURRENCY`] at a time, in the order
    /// given. A container removed meanwhile is an [`EngineError::NotFound`] in its slot.
    pub fn inspect_all(&self, ids: &[String]) -> Vec<Result<ContainerInspect, EngineError>> {
        self.concurrently(ids, |inner, id| async move { inner.inspect(&id).await })
    }

    /// `GET /exec/{id}/json`.
    pub fn exec_inspect(&self, id: &str) -> Result<ExecInspect, EngineError> {
        let inner = Arc::clone(&self.inner);
        self.runtime
            .block_on(async move { inner.exec_inspect(id).await })
    }

    /// [`exec_inspect`](Self::exec_inspect) for every id, concurrently, in the order given.
    pub fn exec_inspect_all(&self, ids: &[String]) -> Vec<Result<ExecInspect, EngineError>> {
        self.concurrently(
            ids,
            |inner, id| async move { inner.exec_inspect(&id).await },
        )
    }

    /// `GET /containers/{id}/top` (the container must be running).
    pub fn top(&self, id: &str) -> Result<Top, EngineError> {
        let inner = Arc::clone(&self.inner);
        self.runtime.block_on(async move { inner.top(id).await })
    }

    /// [`top`](Self::top) for every container of `ids`, concurrently, in the order given.
    pub fn top_all(&self, ids: &[String]) -> Vec<Result<Top, EngineError>> {
        self.concurrently(ids, |inner, id| async move { inner.top(&id).await })
    }

    /// Runs `call` for every id, [`INSPECT_CONCURRENCY`] at a time: one engine answers many
    /// small requests far faster side by side than one after the other.
    fn concurrently<T, F, Fut>(&self, ids: &[String], call: F) -> Vec<Result<T, EngineError>>
    where
        T: Send + 'static,
        F: Fn(Arc<Inner>, String) -> Fut,
        Fut: std::future::Future<Output = Result<T, EngineError>> + Send + 'static,
    {
        let permits = Arc::new(tokio::sync::Semaphore::new(INSPECT_CONCURRENCY));
        let mut tasks = tokio::task::JoinSet::new();
        let _guard = self.runtime.enter();
        for (index, id) in ids.iter().enumerate() {
            let permits = Arc::clone(&permits);
            let call = call(Arc::clone(&self.inner), id.clone());
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                (index, call.await)
            });
        }
        self.runtime.block_on(async move {
            let mut results: Vec<Option<Result<T, EngineError>>> =
                std::iter::repeat_with(|| None).take(tasks.len()).collect();
            while let Some(joined) = tasks.join_next().await {
                match joined {
                    Ok((index, result)) => results[index] = Some(result),
                    Err(e) => std::panic::resume_unwind(e.into_panic()),
                }
            }
            results
                .into_iter()
                .map(|r| r.expect("every task answered"))
                .collect()
        })
    }

    /// `POST /containers/create?name=NAME` with `body` (a `ContainerCreateRequest`); the new
    /// ID. Tests and fixtures build containers with it.
    pub fn create_container(&self, name: &str, body: &Value) -> Result<String, EngineError> {
        let path = format!(
            "/containers/create?name={}",
            percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC)
        );
        let what = format!("creating container {name}");
        let inner = Arc::clone(&self.inner);
        let body = serde_json::to_vec(body).expect("JSON values serialise");
        let value = self
            .runtime
            .block_on(async move { inner.request(Method::POST, &path, Some(body), &what).await })?;
        value["Id"].as_str().map(str::to_owned).ok_or_else(|| {
            self.inner
                .decode("container create", "no `Id` in the answer")
        })
    }

    /// `DELETE /containers/{id}?force=1&v=1`.
    pub fn remove_container(&self, id: &str) -> Result<(), EngineError> {
        let path = format!("/containers/{}?force=1&v=1", encode_path(id));
        let what = format!("removing container {id}");
        let inner = Arc::clone(&self.inner);
        self.runtime
            .block_on(async move { inner.request(Method::DELETE, &path, None, &what).await })
            .map(drop)
    }

    fn get_value(&self, path: &str, what: &str) -> Result<Value, EngineError> {
        let inner = Arc::clone(&self.inner);
        self.runtime
            .block_on(async move { inner.request(Method::GET, path, None, what).await })
    }

    fn get_typed<T: WithRaw>(&self, path: &str, what: &str) -> Result<T, EngineError> {
        typed(self.get_value(path, what)?).map_err(|e| self.inner.decode(what, e))
    }

    fn get_list<T: WithRaw>(&self, path: &str, what: &str) -> Result<Vec<T>, EngineError> {
        match self.get_value(path, what)? {
            Value::Array(items) => items
                .into_iter()
                .map(|item| typed(item).map_err(|e| self.inner.decode(what, e)))
                .collect(),
            Value::Null => Ok(Vec::new()),
            _ => Err(self.inner.decode(what, "expected a list")),
        }
    }
}

impl Inner {
    /// `API-Version` of `GET /_ping`, else `ApiVersion` of the unversioned `GET /version`.
    async fn server_api_version(&self) -> Result<Option<ApiVersion>, EngineError> {
        let response = self
            .connection
            .send(Method::GET, "/_ping", None)
            .await
            .map_err(|e| self.transport(e))?;
        let header = response
            .headers()
            .get("api-version")
            .and_then(|v| v.to_str().ok())
            .and_then(ApiVersion::parse);
        let _ = self.connection.collect(response, 64 * 1024).await;
        if header.is_some() {
            return Ok(header);
        }
        let version: Version = typed(
            self.request(Method::GET, "/version", None, "reading the engine version")
                .await?,
        )
        .map_err(|e| self.decode("/version", e))?;
        Ok(ApiVersion::parse(&version.api_version))
    }

    async fn inspect(&self, id: &str) -> Result<ContainerInspect, EngineError> {
        let what = format!("inspecting container {id}");
        let value = self
            .request(
                Method::GET,
                &format!("/containers/{}/json", encode_path(id)),
                None,
                &what,
            )
            .await?;
        typed(value).map_err(|e| self.decode(&what, e))
    }

    async fn exec_inspect(&self, id: &str) -> Result<ExecInspect, EngineError> {
        let what = format!("inspecting exec {id}");
        let value = self
            .request(
                Method::GET,
                &format!("/exec/{}/json", encode_path(id)),
                None,
                &what,
            )
            .await?;
        typed(value).map_err(|e| self.decode(&what, e))
    }

    async fn top(&self, id: &str) -> Result<Top, EngineError> {
        let what = format!("listing the processes of container {id}");
        let value = self
            .request(
                Method::GET,
                &format!("/containers/{}/top", encode_path(id)),
                None,
                &what,
            )
            .await?;
        serde_json::from_value(value).map_err(|e| self.decode(&what, e))
    }

    /// A versioned request whose answer is JSON (`null` when the body is empty).
    async fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        what: &str,
    ) -> Result<Value, EngineError> {
        // Empty while the version is negotiated.
        let versioned = format!("{}{path}", self.prefix);
        let response = self
            .connection
            .send(method, &versioned, body)
            .await
            .map_err(|e| self.transport(e))?;
        let status = response.status();
        let bytes = self
            .connection
            .collect(response, BODY_LIMIT)
            .await
            .map_err(|e| self.transport(e))?;
        if status == StatusCode::NOT_FOUND {
            return Err(EngineError::NotFound {
                endpoint: self.connection.endpoint.clone(),
                what: what.to_owned(),
                message: crate::engine::error_text(status, &bytes),
            });
        }
        if !status.is_success() {
            return Err(EngineError::Api {
                endpoint: self.connection.endpoint.clone(),
                what: what.to_owned(),
                status,
                message: crate::engine::error_text(status, &bytes),
            });
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|e| self.decode(what, e))
    }

    fn transport(&self, error: TransportError) -> EngineError {
        let TransportError::Connect { endpoint, source } = error else {
            return EngineError::Transport(error);
        };
        let origin = self.origin.clone();
        match source.kind() {
            std::io::ErrorKind::NotFound => EngineError::SocketMissing { endpoint, origin },
            std::io::ErrorKind::PermissionDenied => {
                EngineError::PermissionDenied { endpoint, origin }
            }
            _ => EngineError::Unreachable {
                endpoint,
                origin,
                source,
            },
        }
    }

    fn decode(&self, what: &str, error: impl std::fmt::Display) -> EngineError {
        EngineError::Decode {
            endpoint: self.connection.endpoint.clone(),
            what: what.to_owned(),
            message: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_context(config_dir: &Path, name: &str, host: &str) -> PathBuf {
        let id = format!("{:x}", Sha256::digest(name.as_bytes()));
        let dir = config_dir.join("contexts/meta").join(id);
        std::fs::create_dir_all(&dir).unwrap();
        let meta = serde_json::json!({
            "Name": name,
            "Metadata": {},
            "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": false}}
        });
        std::fs::write(dir.join("meta.json"), meta.to_string()).unwrap();
        dir
    }

    fn sources(home: &Path) -> HostSources {
        HostSources {
            config_dir: Some(home.join(".docker")),
            ..HostSources::default()
        }
    }

    fn unix(path: &str) -> Endpoint {
        Endpoint::Unix(path.into())
    }

    #[test]
    fn the_default_socket_without_anything_else() {
        let home = tempfile::tempdir().unwrap();
        let resolved = resolve_host(&sources(home.path())).unwrap();
        assert_eq!(resolved.endpoint, unix("/var/run/docker.sock"));
        assert_eq!(resolved.origin, "the default socket");
        let resolved = resolve_host(&HostSources::default()).unwrap();
        assert_eq!(resolved.endpoint, unix("/var/run/docker.sock"));
    }

    #[test]
    fn contexts_resolve_in_the_cli_order() {
        let home = tempfile::tempdir().unwrap();
        let docker = home.path().join(".docker");
        write_context(&docker, "current", "unix:///run/current.sock");
        write_context(&docker, "from-env", "unix:///run/env.sock");
        write_context(&docker, "flag", "tcp://10.1.2.3:2375");
        std::fs::write(
            docker.join("config.json"),
            r#"{"currentContext":"current"}"#,
        )
        .unwrap();

        let mut s = sources(home.path());
        let r = resolve_host(&s).unwrap();
        assert_eq!(r.endpoint, unix("/run/current.sock"));
        assert!(r.origin.contains("currentContext"), "{}", r.origin);

        s.docker_context = Some("from-env".into());
        assert_eq!(resolve_host(&s).unwrap().endpoint, unix("/run/env.sock"));

        // DOCKER_HOST beats DOCKER_CONTEXT and the config…
        s.docker_host = Some("unix:///run/host.sock".into());
        let r = resolve_host(&s).unwrap();
        assert_eq!(r.endpoint, unix("/run/host.sock"));
        assert_eq!(r.origin, "DOCKER_HOST");

        // …but not an explicit --context…
        s.context = Some("flag".into());
        let r = resolve_host(&s).unwrap();
        assert_eq!(r.endpoint, Endpoint::Tcp("10.1.2.3:2375".into()));
        assert!(r.origin.contains("--context"), "{}", r.origin);

        // …and --host beats everything.
        s.host = Some("/run/explicit.sock".into());
        assert_eq!(
            resolve_host(&s).unwrap().endpoint,
            unix("/run/explicit.sock")
        );
    }

    #[test]
    fn the_default_context_is_docker_host_or_the_socket() {
        let home = tempfile::tempdir().unwrap();
        let docker = home.path().join(".docker");
        std::fs::create_dir_all(&docker).unwrap();
        std::fs::write(
            docker.join("config.json"),
            r#"{"currentContext":"default"}"#,
        )
        .unwrap();
        let mut s = sources(home.path());
        assert_eq!(
            resolve_host(&s).unwrap().endpoint,
            unix("/var/run/docker.sock")
        );
        s.context = Some("default".into());
        s.docker_host = Some("tcp://127.0.0.1:2375".into());
        assert_eq!(
            resolve_host(&s).unwrap().endpoint,
            Endpoint::Tcp("127.0.0.1:2375".into())
        );
    }

    #[test]
    fn context_problems_are_named() {
        let home = tempfile::tempdir().unwrap();
        let mut s = sources(home.path());
        s.context = Some("nowhere".into());
        let err = resolve_host(&s).unwrap_err();
        assert!(matches!(err, EngineError::Context { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("`nowhere`") && text.contains("docker context ls"),
            "{text}"
        );

        // A broken config.json.
        let docker = home.path().join(".docker");
        std::fs::create_dir_all(&docker).unwrap();
        std::fs::write(docker.join("config.json"), "{not json").unwrap();
        let err = resolve_host(&sources(home.path())).unwrap_err();
        assert!(err.to_string().contains("not valid JSON"), "{err}");

        // A context without a docker endpoint.
        let dir = write_context(&docker, "empty", "unix:///x.sock");
        std::fs::write(dir.join("meta.json"), r#"{"Name":"empty","Endpoints":{}}"#).unwrap();
        s.context = Some("empty".into());
        let err = resolve_host(&s).unwrap_err();
        assert!(err.to_string().contains("Endpoints.docker.Host"), "{err}");
    }

    fn tls_dir(config_dir: &Path, name: &str) -> PathBuf {
        let id = format!("{:x}", Sha256::digest(name.as_bytes()));
        let dir = config_dir.join("contexts/tls").join(id).join("docker");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn tls_contexts_use_their_own_material() {
        let home = tempfile::tempdir().unwrap();
        let docker = home.path().join(".docker");
        write_context(&docker, "remote", "tcp://10.0.0.9:2376");
        let material = tls_dir(&docker, "remote");
        std::fs::write(material.join("ca.pem"), "x").unwrap();
        let mut s = sources(home.path());
        s.context = Some("remote".into());
        // DOCKER_CERT_PATH does not apply to a context.
        s.cert_path = Some("/elsewhere".into());
        let r = resolve_host(&s).unwrap();
        assert_eq!(
            r.endpoint,
            Endpoint::Tls {
                address: "10.0.0.9:2376".into(),
                material: Arc::new(TlsMaterial::context(material.clone(), "remote")),
            }
        );
        assert!(r.origin.contains("context `remote`"), "{}", r.origin);

        // Material next to a unix host is not used; DOCKER_TLS_VERIFY does not make a
        // context without material use TLS (the Docker CLI reads neither).
        write_context(&docker, "local", "unix:///run/local.sock");
        std::fs::write(tls_dir(&docker, "local").join("ca.pem"), "x").unwrap();
        write_context(&docker, "plain", "tcp://10.0.0.9:2375");
        s.tls = Some("DOCKER_TLS_VERIFY is set".into());
        s.context = Some("local".into());
        assert_eq!(resolve_host(&s).unwrap().endpoint, unix("/run/local.sock"));
        s.context = Some("plain".into());
        assert_eq!(
            resolve_host(&s).unwrap().endpoint,
            Endpoint::Tcp("10.0.0.9:2375".into())
        );
    }

    #[test]
    fn skip_tls_verify_contexts_are_refused() {
        let home = tempfile::tempdir().unwrap();
        let docker = home.path().join(".docker");
        let dir = write_context(&docker, "insecure", "tcp://10.0.0.9:2376");
        let meta = serde_json::json!({
            "Name": "insecure",
            "Endpoints": {"docker": {"Host": "tcp://10.0.0.9:2376", "SkipTLSVerify": true}}
        });
        std::fs::write(dir.join("meta.json"), meta.to_string()).unwrap();
        let mut s = sources(home.path());
        s.context = Some("insecure".into());
        let err = resolve_host(&s).unwrap_err();
        assert!(matches!(err, EngineError::Context { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("SkipTLSVerify")
                && text.contains("cannot verify")
                && text.contains("docker context update insecure"),
            "{text}"
        );
    }

    #[test]
    fn docker_tls_verify_takes_the_cert_path_or_the_config_dir() {
        let home = tempfile::tempdir().unwrap();
        let docker = home.path().join(".docker");
        let mut s = sources(home.path());
        s.docker_host = Some("tcp://10.0.0.9".into());
        s.tls = Some("DOCKER_TLS_VERIFY is set".into());
        let r = resolve_host(&s).unwrap();
        assert_eq!(
            r.endpoint,
            Endpoint::Tls {
                address: "10.0.0.9:2376".into(),
                material: Arc::new(TlsMaterial::cert_path(docker.clone(), false)),
            }
        );
        assert_eq!(r.origin, "DOCKER_HOST");

        s.cert_path = Some(home.path().join("certs"));
        let Endpoint::Tls { material, .. } = resolve_host(&s).unwrap().endpoint else {
            panic!("not TLS");
        };
        assert_eq!(material.dir, home.path().join("certs"));
        assert_eq!(material.origin, "DOCKER_CERT_PATH");

        // https:// is TLS without DOCKER_TLS_VERIFY; plain tcp:// stays plain.
        s.tls = None;
        s.host = Some("https://engine.example".into());
        assert!(matches!(
            resolve_host(&s).unwrap().endpoint,
            Endpoint::Tls { ref address, .. } if address == "engine.example:2376"
        ));
        s.host = None;
        assert_eq!(
            resolve_host(&s).unwrap().endpoint,
            Endpoint::Tcp("10.0.0.9:2375".into())
        );

        // DOCKER_TLS without DOCKER_TLS_VERIFY is refused.
        s.tls_unverified = Some("DOCKER_TLS is set".into());
        let err = resolve_host(&s).unwrap_err();
        assert!(err.to_string().contains("DOCKER_TLS is set"), "{err}");

        // Nowhere to take the material from.
        let none = HostSources {
            host: Some("https://engine.example".into()),
            ..HostSources::default()
        };
        let err = resolve_host(&none).unwrap_err();
        assert!(
            matches!(err, EngineError::Host(HostError::NoTlsMaterial { .. })),
            "{err}"
        );
    }

    #[test]
    fn missing_material_fails_before_connecting() {
        let home = tempfile::tempdir().unwrap();
        let resolved = resolve_host(&HostSources {
            docker_host: Some("tcp://127.0.0.1:1".into()),
            tls: Some("DOCKER_TLS_VERIFY is set".into()),
            cert_path: Some(home.path().to_owned()),
            ..HostSources::default()
        })
        .unwrap();
        let err = EngineClient::connect_to(resolved, Duration::from_secs(5)).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&home.path().join("ca.pem").display().to_string())
                && text.contains("DOCKER_CERT_PATH"),
            "{text}"
        );
    }

    #[test]
    fn api_versions_parse_and_order() {
        assert_eq!(
            ApiVersion::parse("1.41"),
            Some(ApiVersion {
                major: 1,
                minor: 41
            })
        );
        assert_eq!(
            ApiVersion::parse("1.44.0"),
            Some(ApiVersion {
                major: 1,
                minor: 44
            })
        );
        assert_eq!(ApiVersion::parse("nope"), None);
        let server = ApiVersion::parse("1.52").unwrap();
        assert_eq!(server.min(MAX_API_VERSION), MAX_API_VERSION);
        assert!(ApiVersion::parse("1.9").unwrap() < ApiVersion::parse("1.41").unwrap());
        assert_eq!(MAX_API_VERSION.to_string(), "1.47");
    }

    #[test]
    fn nulls_read_as_empty_and_raw_is_kept() {
        let raw = serde_json::json!({
            "Id": "abc",
            "Name": "/web",
            "Config": {"User": "", "Env": null, "Labels": null, "Healthcheck": {"Test": ["NONE"]}},
            "HostConfig": {
                "Privileged": true, "CapAdd": null, "CapDrop": ["ALL"], "SecurityOpt": null,
                "PidsLimit": null, "PortBindings": {"22/tcp": [{"HostIp": "", "HostPort": "2222"}],
                "80/tcp": null}, "Ulimits": null, "Sysctls": null, "MaskedPaths": [],
                "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 9},
                "UTSMode": "host", "Memory": 0
            },
            "Mounts": [{"Type": "bind", "Source": "/etc", "Destination": "/h", "RW": true,
                        "Propagation": "rprivate", "Mode": ""}],
            "ExecIDs": null,
            "State": {"Running": false, "Status": "created"},
            "NetworkSettings": {"Ports": {}}
        });
        let c: ContainerInspect = typed(raw.clone()).unwrap();
        assert_eq!(c.short_name(), "web");
        assert!(c.config.env.is_empty() && c.config.labels.is_empty());
        assert_eq!(c.config.healthcheck.as_ref().unwrap().test, ["NONE"]);
        assert!(c.host_config.privileged);
        assert_eq!(c.host_config.cap_drop, ["ALL"]);
        assert_eq!(c.host_config.pids_limit, None);
        assert_eq!(c.host_config.uts_mode, "host");
        assert_eq!(c.host_config.masked_paths, Some(vec![]));
        assert_eq!(c.host_config.readonly_paths, None);
        assert_eq!(c.host_config.restart_policy.maximum_retry_count, 9);
        assert_eq!(
            c.host_config.port_bindings["22/tcp"].as_ref().unwrap()[0].host_port,
            "2222"
        );
        assert_eq!(c.host_config.port_bindings["80/tcp"], None);
        assert!(c.mounts[0].rw && c.mounts[0].r#type == "bind");
        assert!(c.exec_ids.is_empty() && c.state.health.is_none());
        assert_eq!(c.raw["NetworkSettings"], raw["NetworkSettings"]);
    }
}
