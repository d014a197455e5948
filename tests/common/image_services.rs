//! Real services for the image-source tests: a CNCF distribution registry (Debian
//! `docker-registry`), the shared bearer-token server, a private dockerd or podman API, plus a
//! hand-made OCI layout builder and a small fault-injecting HTTP proxy.
//!
//! Included with `#[path = "common/image_services.rs"] mod services;` by the tests that need an
//! image or a service (not through `common/mod.rs`: most tests need none of it). Every process
//! started here is killed (by its own PID) when its guard drops. Under `CI=true` a missing tool
//! is a failure; elsewhere the test prints `skipped: …` and returns.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portcullis::image::source::digest::sha256_digest;

// ---------------------------------------------------------------------------------------------
// Skipping and tools

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
}

/// Panics under CI, otherwise prints why the test is skipped and returns `None`.
pub fn unavailable<T>(what: String) -> Option<T> {
    assert!(!in_ci(), "{what} (required when CI=true)");
    eprintln!("skipped: {what}");
    None
}

/// The path of `program` on `PATH`.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// `which`, or skip (fail under CI) naming the package that provides it.
pub fn require(program: &str, package: &str) -> Option<PathBuf> {
    which(program).or_else(|| {
        unavailable(format!(
            "`{program}` not found (install the {package} package)"
        ))
    })
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The shared data directory (`PORTCULLIS_SHARED_DIR`, default `../shared`).
pub fn shared_dir() -> PathBuf {
    std::env::var_os("PORTCULLIS_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// Runs a command, panicking with its output when it fails.
pub fn run(command: &mut Command) -> String {
    let output = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind an ephemeral port")
}

/// A started child process, killed and reaped on drop.
pub struct Process {
    pub child: Child,
    pub name: String,
    pub log: PathBuf,
}

impl Process {
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM, wait up to `grace`, then SIGKILL.
    pub fn stop(&mut self, grace: Duration) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stop(Duration::from_secs(10));
    }
}

fn spawn_logged(mut command: Command, name: &str, log: PathBuf) -> Process {
    let file = std::fs::File::create(&log).expect("create a log file");
    let child = command
        .stdin(Stdio::null())
        .stdout(file.try_clone().expect("clone the log handle"))
        .stderr(file)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
    Process {
        child,
        name: name.to_owned(),
        log,
    }
}

/// A raw `GET path` on 127.0.0.1:port; the status code, or `None` when nothing answers.
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut stream =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(500))
            .ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).ok()?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn wait_until(what: &str, process: &mut Process, timeout: Duration, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if ready() {
            return;
        }
        if let Ok(Some(status)) = process.child.try_wait() {
            panic!(
                "{what} exited ({status}) before it was ready:\n{}",
                process.log_text()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!(
        "{what} not ready after {timeout:?}:\n{}",
        process.log_text()
    );
}

// ---------------------------------------------------------------------------------------------
// A hand-made OCI image layout

/// One file of a layer.
pub struct File {
    pub path: String,
    pub data: Vec<u8>,
}

pub fn file(path: &str, data: impl Into<Vec<u8>>) -> File {
    File {
        path: path.to_owned(),
        data: data.into(),
    }
}

/// Deterministic incompressible bytes.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// A ustar archive of regular files (and their parent directories), sorted, mtime 0.
pub fn tar(files: &[File]) -> Vec<u8> {
    fn header(name: &str, size: usize, kind: u8, mode: u32) -> [u8; 512] {
        assert!(name.len() < 100, "test paths stay short: {name}");
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        let octal = |h: &mut [u8; 512], at: usize, len: usize, value: u64| {
            let text = format!("{value:0width$o}", width = len - 1);
            h[at..at + len - 1].copy_from_slice(text.as_bytes());
        };
        octal(&mut h, 100, 8, u64::from(mode));
        octal(&mut h, 108, 8, 0);
        octal(&mut h, 116, 8, 0);
        octal(&mut h, 124, 12, size as u64);
        octal(&mut h, 136, 12, 0);
        h[156] = kind;
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        let text = format!("{sum:06o}\0 ");
        h[148..156].copy_from_slice(text.as_bytes());
        h
    }
    let mut out = Vec::new();
    let mut dirs = std::collections::BTreeSet::new();
    for f in files {
        let mut parent = Path::new(&f.path).parent();
        while let Some(dir) = parent.filter(|d| !d.as_os_str().is_empty()) {
            dirs.insert(format!("{}/", dir.display()));
            parent = dir.parent();
        }
    }
    for dir in &dirs {
        out.extend_from_slice(&header(dir, 0, b'5', 0o755));
    }
    let mut sorted: Vec<&File> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for f in sorted {
        out.extend_from_slice(&header(&f.path, f.data.len(), b'0', 0o644));
        out.extend_from_slice(&f.data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

/// `gzip -n` (the system gzip, so the test does not depend on the crate's own codecs).
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut child = Command::new("gzip")
        .args(["-n", "-6", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run gzip");
    let mut stdin = child.stdin.take().expect("gzip stdin");
    let input = data.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().expect("gzip output");
    writer.join().expect("gzip writer").expect("feed gzip");
    assert!(output.status.success(), "gzip failed");
    output.stdout
}

pub struct LayerSpec {
    pub files: Vec<File>,
    pub gzip: bool,
}

#[derive(Debug, Clone)]
pub struct BuiltLayer {
    pub media_type: String,
    pub digest: String,
    pub blob: Vec<u8>,
    /// Digest of the uncompressed tar.
    pub diff_id: String,
}

#[derive(Debug, Clone)]
pub struct BuiltImage {
    pub manifest: Vec<u8>,
    pub manifest_digest: String,
    pub config: Vec<u8>,
    pub config_digest: String,
    pub layers: Vec<BuiltLayer>,
    pub architecture: String,
}

fn put_blob(layout: &Path, data: &[u8]) -> String {
    let digest = sha256_digest(data);
    let dir = layout.join("blobs/sha256");
    std::fs::create_dir_all(&dir).expect("create blobs/sha256");
    std::fs::write(dir.join(&digest["sha256:".len()..]), data).expect("write a blob");
    digest
}

/// Writes a layer's blob into `layout`: the tar as it is, or gzipped.
pub fn put_layer(layout: &Path, tar: Vec<u8>, gzip_it: bool) -> BuiltLayer {
    let diff_id = sha256_digest(&tar);
    let (blob, media_type) = if gzip_it {
        (gzip(&tar), "application/vnd.oci.image.layer.v1.tar+gzip")
    } else {
        (tar, "application/vnd.oci.image.layer.v1.tar")
    };
    let digest = put_blob(layout, &blob);
    BuiltLayer {
        media_type: media_type.into(),
        digest,
        blob,
        diff_id,
    }
}

/// Writes `config` (its `rootfs` filled in from `layers`) and the manifest into `layout`.
pub fn put_manifest(
    layout: &Path,
    layers: Vec<BuiltLayer>,
    mut config: serde_json::Value,
) -> BuiltImage {
    let diff_ids: Vec<&str> = layers.iter().map(|l| l.diff_id.as_str()).collect();
    config["rootfs"] = serde_json::json!({"type": "layers", "diff_ids": diff_ids});
    let architecture = config["architecture"]
        .as_str()
        .unwrap_or("amd64")
        .to_owned();
    let config = serde_json::to_vec(&config).expect("serialise the config");
    let config_digest = put_blob(layout, &config);
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": layers.iter().map(|l| serde_json::json!({"mediaType": l.media_type, "digest": l.digest, "size": l.blob.len()})).collect::<Vec<_>>(),
    }))
    .expect("serialise the manifest");
    let manifest_digest = put_blob(layout, &manifest);
    BuiltImage {
        manifest,
        manifest_digest,
        config,
        config_digest,
        layers,
        architecture,
    }
}

/// Writes one image's blobs into `layout` (which need not have an index yet).
pub fn put_image(layout: &Path, architecture: &str, layers: &[LayerSpec]) -> BuiltImage {
    let built: Vec<BuiltLayer> = layers
        .iter()
        .map(|spec| put_layer(layout, tar(&spec.files), spec.gzip))
        .collect();
    let history: Vec<serde_json::Value> = built
        .iter()
        .enumerate()
        .map(|(i, _)| serde_json::json!({"created": "1970-01-01T00:00:00Z", "created_by": format!("layer {i}")}))
        .collect();
    let config = serde_json::json!({
        "created": "1970-01-01T00:00:00Z",
        "architecture": architecture,
        "os": "linux",
        "config": {"Env": ["PATH=/usr/bin:/bin"], "Cmd": ["/bin/sh"], "User": "0"},
        "history": history,
    });
    put_manifest(layout, built, config)
}

/// An OCI layout holding `image` under each of `tags`.
pub fn tag_image(layout: &Path, image: &BuiltImage, tags: &[&str]) {
    let entries: Vec<serde_json::Value> = tags
        .iter()
        .map(|tag| {
            serde_json::json!({
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": image.manifest_digest,
                "size": image.manifest.len(),
                "annotations": {"org.opencontainers.image.ref.name": tag},
            })
        })
        .collect();
    write_index(layout, &entries);
}

fn write_index(layout: &Path, entries: &[serde_json::Value]) {
    std::fs::write(
        layout.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .expect("write oci-layout");
    let index = serde_json::json!({"schemaVersion": 2, "manifests": entries});
    std::fs::write(
        layout.join("index.json"),
        serde_json::to_vec(&index).expect("serialise index.json"),
    )
    .expect("write index.json");
}

/// An OCI layout with one image tagged `tag`.
pub fn oci_layout(
    layout: &Path,
    tag: &str,
    architecture: &str,
    layers: &[LayerSpec],
) -> BuiltImage {
    let image = put_image(layout, architecture, layers);
    tag_image(layout, &image, &[tag]);
    image
}

/// An OCI layout whose `tag` is an image index with one image per architecture (the layers
/// are shared, the configs differ), like `scripts/mk-oci-index.py` of the test bed.
pub fn oci_index_layout(
    layout: &Path,
    tag: &str,
    architectures: &[&str],
    layers: impl Fn() -> Vec<LayerSpec>,
) -> (String, Vec<BuiltImage>) {
    let images: Vec<BuiltImage> = architectures
        .iter()
        .map(|arch| put_image(layout, arch, &layers()))
        .collect();
    let index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": images.iter().map(|i| serde_json::json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": i.manifest_digest,
            "size": i.manifest.len(),
            "platform": {"architecture": i.architecture, "os": "linux"},
        })).collect::<Vec<_>>(),
    }))
    .expect("serialise the index");
    let index_digest = put_blob(layout, &index);
    write_index(
        layout,
        &[serde_json::json!({
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": index_digest,
            "size": index.len(),
            "annotations": {"org.opencontainers.image.ref.name": tag},
        })],
    );
    (index_digest, images)
}

// ---------------------------------------------------------------------------------------------
// The registry

/// How the registry authenticates.
pub enum RegistryAuth<'a> {
    None,
    Basic {
        user: &'a str,
        password: &'a str,
    },
    /// Bearer tokens from the token server at `realm_port`, signed by the key of `cert`.
    Token {
        realm_port: u16,
        cert: &'a Path,
    },
}

/// A `docker-registry serve` on 127.0.0.1 with its storage in a temporary directory.
pub struct Registry {
    pub port: u16,
    pub dir: tempfile::TempDir,
    process: Process,
}

impl Registry {
    /// `None` (skip) when `docker-registry` is not installed and not under CI.
    pub fn start(auth: RegistryAuth<'_>) -> Option<Registry> {
        let binary = require("docker-registry", "Debian docker-registry")?;
        if matches!(auth, RegistryAuth::Basic { .. }) {
            require("htpasswd", "Debian apache2-utils")?;
        }
        let dir = tempfile::tempdir().expect("registry directory");
        let auth_yaml = match auth {
            RegistryAuth::None => String::new(),
            RegistryAuth::Basic { user, password } => {
                let line = run(Command::new("htpasswd").args(["-Bbn", user, password]));
                let htpasswd = dir.path().join("htpasswd");
                std::fs::write(&htpasswd, line.trim_end().to_owned() + "\n").expect("write htpasswd");
                format!(
                    "auth:\n  htpasswd:\n    realm: portcullis-test\n    path: {}\n",
                    htpasswd.display()
                )
            }
            RegistryAuth::Token { realm_port, cert } => format!(
                "auth:\n  token:\n    realm: http://127.0.0.1:{realm_port}/token\n    service: testbed-registry\n    issuer: testbed-issuer\n    rootcertbundle: {}\n",
                cert.display()
            ),
        };
        // A port picked just before the registry binds it can be taken meanwhile: retry.
        for _ in 0..5 {
            let port = free_port();
            let config = dir.path().join("config.yml");
            std::fs::write(
                &config,
                format!(
                    "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n{auth_yaml}",
                    dir.path().join("data").display()
                ),
            )
            .expect("write the registry config");
            let mut command = Command::new(&binary);
            command.arg("serve").arg(&config);
            let mut process =
                spawn_logged(command, "docker-registry", dir.path().join("registry.log"));
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if http_status(port, "/v2/").is_some() {
                    return Some(Registry { port, dir, process });
                }
                if let Ok(Some(_)) = process.child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let log = process.log_text();
            process.stop(Duration::from_secs(2));
            assert!(
                log.contains("address already in use"),
                "docker-registry did not start:\n{log}"
            );
        }
        panic!("docker-registry could not bind a port");
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Path of a blob in the registry's filesystem storage.
    pub fn blob_path(&self, digest: &str) -> PathBuf {
        let hex = digest.strip_prefix("sha256:").expect("a sha256 digest");
        self.dir
            .path()
            .join("data/docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }

    pub fn log(&self) -> String {
        self.process.log_text()
    }
}

/// `skopeo copy` from an OCI layout into a registry over plain HTTP.
pub fn push(layout: &Path, tag: &str, destination: &str, creds: Option<&str>, extra: &[&str]) {
    let mut command = Command::new("skopeo");
    command
        .args([
            "--insecure-policy",
            "copy",
            "--quiet",
            "--dest-tls-verify=false",
        ])
        .args(extra);
    if let Some(creds) = creds {
        command.args(["--dest-creds", creds]);
    }
    // Without this skopeo compresses uncompressed layers on the way; a format conversion
    // changes the manifest anyway.
    if !extra.contains(&"--format") {
        command.arg("--preserve-digests");
    }
    command
        .arg(format!("oci:{}:{tag}", layout.display()))
        .arg(format!("docker://{destination}"));
    run(&mut command);
}

/// `skopeo inspect --raw` of a registry image: the manifest bytes as served.
pub fn raw_manifest(reference: &str, creds: Option<&str>) -> Vec<u8> {
    let mut command = Command::new("skopeo");
    command.args(["inspect", "--raw", "--tls-verify=false"]);
    if let Some(creds) = creds {
        command.args(["--creds", creds]);
    }
    command.arg(format!("docker://{reference}"));
    let output = command.output().expect("run skopeo inspect");
    assert!(
        output.status.success(),
        "skopeo inspect failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

// ---------------------------------------------------------------------------------------------
// The bearer-token server (../shared/testbed/scripts/token_server.py)

pub struct TokenServer {
    pub port: u16,
    pub cert: PathBuf,
    _dir: tempfile::TempDir,
    process: Process,
}

impl TokenServer {
    /// How many token requests it has answered (its access log is on stderr).
    pub fn token_requests(&self) -> usize {
        self.process
            .log_text()
            .lines()
            .filter(|l| l.contains("GET /token"))
            .count()
    }
}

impl TokenServer {
    /// Starts the shared token server with a fresh ES256 key; `None` (skip) when python3 with
    /// pyjwt + cryptography, openssl or the shared script is missing.
    pub fn start(user: &str, password: &str) -> Option<TokenServer> {
        let script = shared_dir().join("testbed/scripts/token_server.py");
        if !script.is_file() {
            return unavailable(format!(
                "{} not found (set PORTCULLIS_SHARED_DIR)",
                script.display()
            ));
        }
        require("openssl", "Debian openssl")?;
        require("python3", "python3")?;
        let modules = Command::new("python3")
            .args(["-c", "import jwt, cryptography"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !modules {
            return unavailable(
                "python3 modules jwt and cryptography not found (pip install pyjwt cryptography)"
                    .into(),
            );
        }
        let dir = tempfile::tempdir().expect("token server directory");
        let key = dir.path().join("token.key");
        let cert = dir.path().join("token.crt");
        run(Command::new("openssl")
            .args([
                "ecparam",
                "-name",
                "prime256v1",
                "-genkey",
                "-noout",
                "-out",
            ])
            .arg(&key));
        run(Command::new("openssl")
            .args(["req", "-x509", "-new", "-key"])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .args(["-days", "2", "-subj", "/CN=portcullis-test-token-issuer"]));
        for _ in 0..5 {
            let port = free_port();
            let mut command = Command::new("python3");
            command
                .arg(&script)
                .arg(port.to_string())
                .arg(&key)
                .arg(&cert)
                .args([user, password]);
            let mut process =
                spawn_logged(command, "token_server.py", dir.path().join("token.log"));
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if http_status(port, "/nothing").is_some() {
                    return Some(TokenServer {
                        port,
                        cert,
                        _dir: dir,
                        process,
                    });
                }
                if let Ok(Some(_)) = process.child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let log = process.log_text();
            process.stop(Duration::from_secs(2));
            assert!(
                log.contains("Address already in use"),
                "token server did not start:\n{log}"
            );
        }
        panic!("token server could not bind a port");
    }
}

// ---------------------------------------------------------------------------------------------
// A fault-injecting proxy in front of the registry

/// What the proxy does with the next request it matches.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answers with this status and `Retry-After` value (if any) instead of forwarding.
    Status {
        code: u16,
        retry_after: Option<String>,
    },
    /// Forwards the next blob request (path containing `/blobs/`, no `Range`), but sends only
    /// the response headers and the first `bytes` of the body, then closes the connection.
    TruncateBlob { bytes: usize },
}

/// A minimal HTTP/1.1 proxy on 127.0.0.1 that injects `faults` in order, then forwards every
/// request to the upstream port (one request per connection). It records each request line
/// with its `Range` header, if any.
pub struct FaultProxy {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<String>>>,
    pub injected: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FaultProxy {
    pub fn start(upstream: u16, faults: Vec<Fault>) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let injected = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let faults = Arc::new(Mutex::new(std::collections::VecDeque::from(faults)));
        let thread = {
            let (requests, injected, stop) = (requests.clone(), injected.clone(), stop.clone());
            std::thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(120);
                while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                    match listener.accept() {
                        Ok((client, _)) => {
                            let (requests, injected, faults) =
                                (requests.clone(), injected.clone(), faults.clone());
                            std::thread::spawn(move || {
                                let _ = serve(client, upstream, &faults, &requests, &injected);
                            });
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        FaultProxy {
            port,
            requests,
            injected,
            stop,
            thread: Some(thread),
        }
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("requests lock").clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn read_head(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        head.push(byte[0]);
        if head.len() > 64 * 1024 {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
    }
    Ok(head)
}

fn serve(
    mut client: TcpStream,
    upstream: u16,
    faults: &Mutex<std::collections::VecDeque<Fault>>,
    requests: &Mutex<Vec<String>>,
    injected: &AtomicUsize,
) -> std::io::Result<()> {
    client.set_nonblocking(false)?;
    client.set_read_timeout(Some(Duration::from_secs(30)))?;
    let head = read_head(&mut client)?;
    let text = String::from_utf8_lossy(&head).into_owned();
    let request_line = text.lines().next().unwrap_or_default().to_owned();
    let range = text
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("range:"))
        .map(|l| l.trim().to_owned());
    requests.lock().expect("requests lock").push(match &range {
        Some(range) => format!("{request_line} [{range}]"),
        None => request_line.clone(),
    });
    let fault = {
        let mut faults = faults.lock().expect("faults lock");
        let applies = match faults.front() {
            Some(Fault::Status { .. }) => true,
            Some(Fault::TruncateBlob { .. }) => request_line.contains("/blobs/") && range.is_none(),
            None => false,
        };
        if applies {
            faults.pop_front()
        } else {
            None
        }
    };
    if let Some(Fault::Status { code, retry_after }) = &fault {
        injected.fetch_add(1, Ordering::SeqCst);
        let retry = retry_after
            .as_ref()
            .map(|r| format!("Retry-After: {r}\r\n"))
            .unwrap_or_default();
        let body = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected by the test\"}]}";
        write!(
            client,
            "HTTP/1.1 {code} Injected\r\n{retry}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )?;
        client.flush()?;
        return Ok(());
    }
    // Forward, asking the upstream to close after its answer.
    let mut forwarded = String::new();
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            forwarded.push_str(line);
            forwarded.push_str("\r\n");
        }
    }
    forwarded.push_str("Connection: close\r\n\r\n");
    let mut server = TcpStream::connect(("127.0.0.1", upstream))?;
    server.write_all(forwarded.as_bytes())?;
    let mut response = Vec::new();
    server.read_to_end(&mut response)?;
    match fault {
        Some(Fault::TruncateBlob { bytes }) => {
            injected.fetch_add(1, Ordering::SeqCst);
            let body_start = response
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map_or(response.len(), |p| p + 4);
            let end = body_start.saturating_add(bytes).min(response.len());
            client.write_all(&response[..end])?;
        }
        _ => client.write_all(&response)?,
    }
    client.flush()?;
    let _ = client.shutdown(Shutdown::Both);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Engines: a private dockerd and podman's Docker-compatible API

/// Containers a test created through the Engine API, removed when this drops whatever happens
/// (a shared dockerd stays as it was).
pub struct Created<'a> {
    client: &'a portcullis::runtime::engine::EngineClient,
    ids: Vec<String>,
}

impl<'a> Created<'a> {
    pub fn new(client: &'a portcullis::runtime::engine::EngineClient) -> Self {
        Created {
            client,
            ids: Vec::new(),
        }
    }

    /// `POST /containers/create?name=NAME`; the new container's ID.
    pub fn create(&mut self, name: &str, body: &serde_json::Value) -> String {
        let id = self
            .client
            .create_container(name, body)
            .unwrap_or_else(|e| panic!("creating {name}: {e}"));
        self.ids.push(id.clone());
        id
    }
}

impl Drop for Created<'_> {
    fn drop(&mut self) {
        for id in &self.ids {
            let _ = self.client.remove_container(id);
        }
    }
}

/// A dockerd of our own (no bridge, no iptables), like `scripts/dockerd-testbed.sh`.
pub struct Dockerd {
    pub socket: PathBuf,
    pub dir: tempfile::TempDir,
    process: Process,
}

impl Dockerd {
    /// `None` (skip) without root or dockerd.
    pub fn start() -> Option<Dockerd> {
        Self::start_with(&[])
    }

    /// [`Dockerd::start`] with more dockerd arguments, e.g. a TLS `-H tcp://…` listener (the
    /// unix socket stays, and readiness is checked on it).
    pub fn start_with(extra: &[std::ffi::OsString]) -> Option<Dockerd> {
        let dockerd = require("dockerd", "Debian docker.io")?;
        require("docker", "Debian docker.io")?;
        if !is_root() {
            return unavailable("dockerd needs root".into());
        }
        // Short paths: containerd's sockets live under the exec root.
        let dir = tempfile::Builder::new()
            .prefix("pcd")
            .tempdir_in("/tmp")
            .expect("dockerd directory");
        let socket = dir.path().join("d.sock");
        let exec_root = dir.path().join("x");
        let mut command = Command::new(dockerd);
        command
            .arg("-H")
            .arg(format!("unix://{}", socket.display()))
            .arg("--data-root")
            .arg(dir.path().join("data"))
            .arg("--exec-root")
            .arg(&exec_root)
            .arg("--pidfile")
            .arg(dir.path().join("dockerd.pid"))
            .args([
                "--bridge=none",
                "--iptables=false",
                "--ip6tables=false",
                "--ip-masq=false",
                "--containerd-namespace",
                "portcullis-test",
                "--containerd-plugins-namespace",
                "portcullis-test-plugins",
            ])
            .args(extra);
        let mut process = spawn_logged(command, "dockerd", dir.path().join("dockerd.log"));
        let host = format!("unix://{}", socket.display());
        wait_until("dockerd", &mut process, Duration::from_secs(60), || {
            Command::new("docker")
                .args(["-H", &host, "version"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
        Some(Dockerd {
            socket,
            dir,
            process,
        })
    }

    pub fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }
}

impl Drop for Dockerd {
    fn drop(&mut self) {
        // dockerd stops its containerd and unmounts on SIGTERM; give it time.
        self.process.stop(Duration::from_secs(20));
    }
}

/// The dockerd a test uses: the one at `PORTCULLIS_TEST_DOCKER_HOST` (`unix:///path.sock`)
/// when that is set, else a private one started for the test (stopped when this drops).
pub struct DockerHost {
    host: String,
    _own: Option<Dockerd>,
}

impl DockerHost {
    /// `None` (skip) when no external daemon is named and none can be started.
    pub fn get() -> Option<DockerHost> {
        let external = std::env::var("PORTCULLIS_TEST_DOCKER_HOST")
            .ok()
            .filter(|h| !h.is_empty());
        if let Some(host) = external {
            require("docker", "Debian docker.io")?;
            return Some(DockerHost { host, _own: None });
        }
        let own = Dockerd::start()?;
        Some(DockerHost {
            host: own.host(),
            _own: Some(own),
        })
    }

    pub fn host(&self) -> String {
        self.host.clone()
    }

    /// `docker load` of a docker-archive.
    pub fn load(&self, archive: &Path) {
        run(Command::new("docker")
            .args(["-H", &self.host, "load", "-q", "-i"])
            .arg(archive));
    }

    /// `docker rmi -f`, ignoring failures (leaves a shared daemon as it was).
    pub fn remove_image(&self, tag: &str) {
        let _ = Command::new("docker")
            .args(["-H", &self.host, "rmi", "-f", tag])
            .output();
    }
}

/// An OCI layout of `layers` converted with skopeo to the docker-archive `dir/image.tar`
/// tagged `name`. `None` (skip) without skopeo or gzip.
pub fn docker_archive(dir: &Path, name: &str, layers: &[LayerSpec]) -> Option<BuiltImage> {
    require("skopeo", "Debian skopeo")?;
    require("gzip", "Debian gzip")?;
    let layout = dir.join("layout");
    let built = oci_layout(&layout, "v1", "amd64", layers);
    run(Command::new("skopeo")
        .args(["--insecure-policy", "copy", "--quiet"])
        .arg(format!("oci:{}:v1", layout.display()))
        .arg(format!(
            "docker-archive:{}:{name}",
            dir.join("image.tar").display()
        )));
    Some(built)
}

/// `podman system service` over private storage (vfs: no mounts left behind).
pub struct PodmanService {
    pub socket: PathBuf,
    pub dir: tempfile::TempDir,
    process: Process,
}

impl PodmanService {
    pub fn podman(dir: &Path) -> Command {
        let mut command = Command::new("podman");
        command
            .env("CONTAINERS_CONF", dir.join("containers.conf"))
            .arg("--root")
            .arg(dir.join("root"))
            .arg("--runroot")
            .arg(dir.join("run"))
            .arg("--tmpdir")
            .arg(dir.join("tmp"))
            .arg("--network-config-dir")
            .arg(dir.join("networks"))
            .args([
                "--storage-driver",
                "vfs",
                "--cgroup-manager",
                "cgroupfs",
                "--events-backend",
                "file",
            ]);
        command
    }

    /// Loads `archive` (a docker-archive) into fresh storage, then serves the API. `None`
    /// (skip) without podman or root.
    pub fn start_with(archive: &Path) -> Option<PodmanService> {
        require("podman", "Debian podman")?;
        if !is_root() {
            return unavailable("the podman test runs podman as root".into());
        }
        let dir = tempfile::Builder::new()
            .prefix("pcp")
            .tempdir_in("/tmp")
            .expect("podman directory");
        for sub in ["networks", "tmp"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("podman directories");
        }
        std::fs::write(
            dir.path().join("containers.conf"),
            "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\nnetns = \"none\"\n[engine]\nruntime = \"runc\"\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n",
        )
        .expect("write containers.conf");
        run(Self::podman(dir.path())
            .arg("load")
            .arg("-q")
            .arg("-i")
            .arg(archive));
        let socket = dir.path().join("p.sock");
        let mut command = Self::podman(dir.path());
        command
            .args(["system", "service", "--time=0"])
            .arg(format!("unix://{}", socket.display()));
        let mut process = spawn_logged(
            command,
            "podman system service",
            dir.path().join("service.log"),
        );
        let probe = socket.clone();
        wait_until(
            "podman system service",
            &mut process,
            Duration::from_secs(30),
            || std::os::unix::net::UnixStream::connect(&probe).is_ok(),
        );
        Some(PodmanService {
            socket,
            dir,
            process,
        })
    }

    pub fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }
}

impl Drop for PodmanService {
    fn drop(&mut self) {
        self.process.stop(Duration::from_secs(10));
    }
}
