//! Image metadata: the image configuration JSON (OCI and Docker agree on its shape), the
//! mapping of history entries to layers, and `os-release`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::catalog::Distro;

/// The paths `os-release` may live at, in the order they are tried (the layer walk always
/// keeps both).
pub const OS_RELEASE_PATHS: [&str; 2] = ["/etc/os-release", "/usr/lib/os-release"];

/// What the image configuration says about the image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImageMetadata {
    pub architecture: String,
    pub os: String,
    pub variant: Option<String>,
    pub os_version: Option<String>,
    pub created: Option<String>,
    pub author: Option<String>,
    /// The `config` object: how a container of this image runs.
    pub config: RunConfig,
    /// `rootfs.diff_ids`: digest of each layer's uncompressed tar, base first.
    pub diff_ids: Vec<String>,
    pub history: Vec<HistoryEntry>,
    /// Whether the non-empty history entries are exactly as many as the layers, so
    /// [`HistoryEntry::layer`] can be trusted. Squashed or hand-made images break this.
    pub history_matches_layers: bool,
}

/// The runtime defaults of the image (`config` in the configuration JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunConfig {
    /// `User`: `""`/absent means root.
    pub user: Option<String>,
    /// `Env`: `KEY=value` strings, in order.
    pub env: Vec<String>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub healthcheck: Option<Healthcheck>,
    /// `ExposedPorts` keys (`80/tcp`), sorted.
    pub exposed_ports: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub working_dir: Option<String>,
    /// `Volumes` keys, sorted.
    pub volumes: Vec<String>,
    pub stop_signal: Option<String>,
    pub shell: Option<Vec<String>>,
    pub on_build: Vec<String>,
}

/// `Healthcheck`: durations are nanoseconds, as in the JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Healthcheck {
    /// `["NONE"]` disables a health check inherited from the base image;
    /// `["CMD", …]` / `["CMD-SHELL", "…"]` set one.
    pub test: Vec<String>,
    pub interval: Option<i64>,
    pub timeout: Option<i64>,
    pub start_period: Option<i64>,
    pub start_interval: Option<i64>,
    pub retries: Option<i64>,
}

impl Healthcheck {
    /// Whether this health check turns checking off (`HEALTHCHECK NONE`).
    pub fn is_disabled(&self) -> bool {
        self.test.first().map(String::as_str) == Some("NONE")
    }
}

/// One `history` entry: a build step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub created: Option<String>,
    /// The instruction, as the builder recorded it (`/bin/sh -c #(nop)  CMD …`, `RUN …`).
    pub created_by: Option<String>,
    pub author: Option<String>,
    pub comment: Option<String>,
    /// `true` for steps that made no layer (ENV, CMD, LABEL…).
    pub empty_layer: bool,
    /// Index of the layer this step made, when it made one and the history is consistent.
    pub layer: Option<usize>,
}

impl ImageMetadata {
    /// The history entry that made layer `layer`, when the mapping is known.
    pub fn layer_history(&self, layer: usize) -> Option<&HistoryEntry> {
        self.history.iter().find(|h| h.layer == Some(layer))
    }
}

/// Parses the image configuration JSON. `layers` is the number of layers in the manifest,
/// used to map history entries to layers (`None` when unknown).
pub fn parse_config(bytes: &[u8], layers: Option<usize>) -> Result<ImageMetadata, String> {
    let raw: RawConfig = serde_json::from_slice(bytes)
        .map_err(|e| format!("the image configuration is not valid JSON: {e}"))?;
    let c = raw.config.unwrap_or_default();
    let healthcheck = c.healthcheck.map(|h| Healthcheck {
        test: h.test.map(StringOrList::into_vec).unwrap_or_default(),
        interval: h.interval,
        timeout: h.timeout,
        start_period: h.start_period,
        start_interval: h.start_interval,
        retries: h.retries,
    });
    let config = RunConfig {
        user: c.user,
        env: c.env.unwrap_or_default(),
        cmd: c.cmd.map(StringOrList::into_vec),
        entrypoint: c.entrypoint.map(StringOrList::into_vec),
        healthcheck,
        exposed_ports: c.exposed_ports.unwrap_or_default().into_keys().collect(),
        labels: c.labels.unwrap_or_default(),
        working_dir: c.working_dir.filter(|w| !w.is_empty()),
        volumes: c.volumes.unwrap_or_default().into_keys().collect(),
        stop_signal: c.stop_signal.filter(|s| !s.is_empty()),
        shell: c.shell,
        on_build: c.on_build.unwrap_or_default(),
    };
    let mut history: Vec<HistoryEntry> = raw
        .history
        .unwrap_or_default()
        .into_iter()
        .map(|h| HistoryEntry {
            created: h.created,
            created_by: h.created_by,
            author: h.author,
            comment: h.comment,
            empty_layer: h.empty_layer.unwrap_or(false),
            layer: None,
        })
        .collect();
    let diff_ids = raw.rootfs.map(|r| r.diff_ids).unwrap_or_default();
    let layer_count = layers.unwrap_or(diff_ids.len());
    let non_empty = history.iter().filter(|h| !h.empty_layer).count();
    let history_matches_layers = non_empty == layer_count && layer_count > 0;
    if history_matches_layers {
        for (index, entry) in history.iter_mut().filter(|h| !h.empty_layer).enumerate() {
            entry.layer = Some(index);
        }
    }
    Ok(ImageMetadata {
        architecture: raw.architecture.unwrap_or_default(),
        os: raw.os.unwrap_or_default(),
        variant: raw.variant.filter(|v| !v.is_empty()),
        os_version: raw.os_version,
        created: raw.created,
        author: raw.author,
        config,
        diff_ids,
        history,
        history_matches_layers,
    })
}

/// Parses `os-release` (systemd's format: `KEY=value`, values optionally quoted with `"` or
/// `'`, backslash escapes inside double quotes, `#` comments). `None` without an `ID`.
pub fn parse_os_release(bytes: &[u8]) -> Option<Distro> {
    let text = String::from_utf8_lossy(bytes);
    let mut fields: BTreeMap<&str, String> = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        fields.insert(key.trim(), unquote(value.trim()));
    }
    let get = |key: &str| fields.get(key).filter(|v| !v.is_empty()).cloned();
    let id = get("ID")?.to_ascii_lowercase();
    Some(Distro {
        id,
        version_id: get("VERSION_ID"),
        codename: get("VERSION_CODENAME").or_else(|| get("UBUNTU_CODENAME")),
        pretty_name: get("PRETTY_NAME"),
    })
}

fn unquote(value: &str) -> String {
    let bytes = value.as_bytes();
    if bytes.len() >= 2 && bytes[0] == b'\'' && bytes[bytes.len() - 1] == b'\'' {
        return value[1..value.len() - 1].to_owned();
    }
    if bytes.len() >= 2 && bytes[0] == b'"' && bytes[bytes.len() - 1] == b'"' {
        let mut out = String::with_capacity(value.len());
        let mut chars = value[1..value.len() - 1].chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            } else {
                out.push(c);
            }
        }
        return out;
    }
    value.to_owned()
}

// The JSON as written. Docker and OCI share it; Docker's keys are PascalCase inside `config`.

#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    architecture: Option<String>,
    #[serde(default)]
    os: Option<String>,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default, rename = "os.version")]
    os_version: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    config: Option<RawRunConfig>,
    #[serde(default)]
    rootfs: Option<RawRootfs>,
    #[serde(default)]
    history: Option<Vec<RawHistory>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct RawRunConfig {
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    env: Option<Vec<String>>,
    #[serde(default)]
    cmd: Option<StringOrList>,
    #[serde(default)]
    entrypoint: Option<StringOrList>,
    #[serde(default)]
    healthcheck: Option<RawHealthcheck>,
    #[serde(default)]
    exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    working_dir: Option<String>,
    #[serde(default)]
    volumes: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    stop_signal: Option<String>,
    #[serde(default)]
    shell: Option<Vec<String>>,
    #[serde(default)]
    on_build: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawHealthcheck {
    #[serde(default)]
    test: Option<StringOrList>,
    #[serde(default)]
    interval: Option<i64>,
    #[serde(default)]
    timeout: Option<i64>,
    #[serde(default)]
    start_period: Option<i64>,
    #[serde(default)]
    start_interval: Option<i64>,
    #[serde(default)]
    retries: Option<i64>,
}

/// `Cmd`/`Entrypoint` are arrays, but some old builders wrote a plain string.
#[derive(Deserialize)]
#[serde(untagged)]
enum StringOrList {
    List(Vec<String>),
    One(String),
}

impl StringOrList {
    fn into_vec(self) -> Vec<String> {
        match self {
            StringOrList::List(list) => list,
            StringOrList::One(one) => vec![one],
        }
    }
}

#[derive(Deserialize)]
struct RawRootfs {
    #[serde(default)]
    diff_ids: Vec<String>,
}

#[derive(Deserialize)]
struct RawHistory {
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    created_by: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    empty_layer: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCKER_CONFIG: &str = r#"{
      "architecture": "arm64", "os": "linux", "variant": "v8",
      "created": "2024-01-01T00:00:00Z",
      "config": {
        "User": "app", "Env": ["PATH=/usr/bin", "A=b=c"],
        "Cmd": ["/bin/sh"], "Entrypoint": null,
        "Healthcheck": {"Test": ["CMD-SHELL", "curl -f localhost"], "Interval": 30000000000, "Retries": 3},
        "ExposedPorts": {"8080/tcp": {}, "22/tcp": {}},
        "Labels": {"org.opencontainers.image.source": "https://x"},
        "WorkingDir": "/app", "Volumes": {"/data": {}}, "OnBuild": null
      },
      "container_config": {"Cmd": ["ignored"]},
      "rootfs": {"type": "layers", "diff_ids": ["sha256:a", "sha256:b"]},
      "history": [
        {"created": "2024", "created_by": "/bin/sh -c #(nop) ADD file:x in /"},
        {"created_by": "/bin/sh -c #(nop)  CMD [\"bash\"]", "empty_layer": true},
        {"created_by": "RUN apt-get install -y curl", "comment": "buildkit.dockerfile.v0"},
        {"created_by": "USER app", "empty_layer": true}
      ]
    }"#;

    #[test]
    fn parses_a_docker_config() {
        let m = parse_config(DOCKER_CONFIG.as_bytes(), Some(2)).unwrap();
        assert_eq!((m.architecture.as_str(), m.os.as_str()), ("arm64", "linux"));
        assert_eq!(m.variant.as_deref(), Some("v8"));
        assert_eq!(m.config.user.as_deref(), Some("app"));
        assert_eq!(m.config.env[1], "A=b=c");
        assert_eq!(m.config.cmd.as_deref(), Some(&["/bin/sh".to_owned()][..]));
        assert_eq!(m.config.entrypoint, None);
        let hc = m.config.healthcheck.as_ref().unwrap();
        assert_eq!(hc.test[0], "CMD-SHELL");
        assert_eq!(
            (hc.interval, hc.retries, hc.timeout),
            (Some(30_000_000_000), Some(3), None)
        );
        assert!(!hc.is_disabled());
        assert_eq!(m.config.exposed_ports, ["22/tcp", "8080/tcp"]);
        assert_eq!(m.config.volumes, ["/data"]);
        assert_eq!(m.config.working_dir.as_deref(), Some("/app"));
        assert_eq!(m.config.labels.len(), 1);
        assert_eq!(m.diff_ids, ["sha256:a", "sha256:b"]);
        assert!(m.history_matches_layers);
        let layers: Vec<Option<usize>> = m.history.iter().map(|h| h.layer).collect();
        assert_eq!(layers, [Some(0), None, Some(1), None]);
        assert_eq!(
            m.layer_history(1).and_then(|h| h.created_by.as_deref()),
            Some("RUN apt-get install -y curl")
        );
        assert_eq!(
            m.layer_history(1).unwrap().comment.as_deref(),
            Some("buildkit.dockerfile.v0")
        );
    }

    #[test]
    fn inconsistent_history_maps_nothing() {
        let m = parse_config(DOCKER_CONFIG.as_bytes(), Some(3)).unwrap();
        assert!(!m.history_matches_layers);
        assert!(m.history.iter().all(|h| h.layer.is_none()));
    }

    #[test]
    fn minimal_and_odd_configs() {
        let m = parse_config(br#"{"architecture":"amd64","os":"linux"}"#, None).unwrap();
        assert_eq!(m.config, RunConfig::default());
        assert!(m.history.is_empty() && !m.history_matches_layers);
        let m = parse_config(
            br#"{"config":{"Cmd":"echo hi","Healthcheck":{"Test":["NONE"]}}}"#,
            None,
        )
        .unwrap();
        assert_eq!(m.config.cmd, Some(vec!["echo hi".to_owned()]));
        assert!(m.config.healthcheck.unwrap().is_disabled());
        assert!(parse_config(b"not json", None)
            .unwrap_err()
            .contains("not valid JSON"));
    }

    #[test]
    fn os_release_forms() {
        let debian = b"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n\
            VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n";
        let d = parse_os_release(debian).unwrap();
        assert_eq!(d.id, "debian");
        assert_eq!(d.version_id.as_deref(), Some("12"));
        assert_eq!(d.codename.as_deref(), Some("bookworm"));
        assert_eq!(
            d.pretty_name.as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        let alpine = b"# comment\nNAME='Alpine Linux'\nID=alpine\nVERSION_ID=3.20.1\n";
        let a = parse_os_release(alpine).unwrap();
        assert_eq!(
            (a.id.as_str(), a.version_id.as_deref()),
            ("alpine", Some("3.20.1"))
        );
        assert_eq!(a.codename, None);
        let ubuntu = b"ID=ubuntu\nUBUNTU_CODENAME=noble\nPRETTY_NAME=\"A \\\"quoted\\\" name\"";
        let u = parse_os_release(ubuntu).unwrap();
        assert_eq!(u.codename.as_deref(), Some("noble"));
        assert_eq!(u.pretty_name.as_deref(), Some("A \"quoted\" name"));
        assert_eq!(parse_os_release(b"NAME=x\n"), None);
        assert_eq!(parse_os_release(b"\xff\xfe garbage"), None);
    }
}
