//! `runtime::engine::EngineClient` against real engines: a private dockerd (Debian `docker.io`,
//! 20.10, API 1.41) and podman's Docker-compatible API (`podman system service`, compat API
//! 1.41). Each test loads a tiny image, creates (without starting: `--privileged` containers
//! cannot start under this sandbox's dockerd) a risky container, a hardened twin and a
//! bystander through the Engine API itself, and checks what the typed inspect says.
//!
//! The engines are the shared helpers of `tests/common/image_services.rs` (dockerd at
//! `PORTCULLIS_TEST_DOCKER_HOST`, else a private one; podman on private vfs storage). Missing
//! tools skip the tests, or fail them under `CI=true`.
//!
//! TLS: a private dockerd listening on `tcp://127.0.0.1:<free port>` with `--tlsverify`, its CA,
//! server and client certificates made by the `openssl` CLI, reached with `DOCKER_CERT_PATH`-
//! style material and through a context (passed in `HostSources`, never the process
//! environment), and refused for a client without a certificate, a wrong CA and a wrong name.

#[path = "common/image_services.rs"]
mod services;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use portcullis::engine::{Endpoint, TransportError};
use portcullis::runtime::engine::{
    resolve_host, ApiVersion, ConnectOptions, ContainerInspect, EngineClient, EngineError,
    HostSources,
};
use serde_json::{json, Value};
use services::{file, Created, LayerSpec};

const TIMEOUT: Duration = Duration::from_secs(60);
const LABEL: &str = "io.portcullis.test.run";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Docker,
    Podman,
}

/// A one-layer image; the containers are only created, so nothing in it needs to run.
fn image_archive(dir: &Path, tag: &str) -> Option<services::BuiltImage> {
    let layers = [LayerSpec {
        files: vec![file("bin/tool", "#!/bin/sh\nexit 0\n")],
        gzip: true,
    }];
    services::docker_archive(dir, tag, &layers)
}

/// Privileged, SYS_ADMIN, host PID, no seccomp, `/etc` bind-mounted, sshd's port on every
/// interface, a secret in the environment.
fn risky(image: &str, run: &str) -> Value {
    json!({
        "Image": image,
        "Cmd": ["/bin/tool"],
        "Env": ["AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG", "GREETING=hello"],
        "Labels": {LABEL: run, "role": "risky"},
        "ExposedPorts": {"22/tcp": {}},
        "HostConfig": {
            "Privileged": true,
            "CapAdd": ["SYS_ADMIN"],
            "PidMode": "host",
            "SecurityOpt": ["seccomp=unconfined"],
            "Binds": ["/etc:/host/etc"],
            "PortBindings": {"22/tcp": [{"HostIp": "0.0.0.0", "HostPort": "22"}]},
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 10}
        }
    })
}

/// Read-only rootfs, every capability dropped, no-new-privileges, an unprivileged user,
/// memory/pids/CPU limits, no network, a health check.
fn hardened(image: &str, run: &str) -> Value {
    json!({
        "Image": image,
        "Cmd": ["/bin/tool"],
        "User": "1000:1000",
        "Labels": {LABEL: run, "role": "hardened"},
        "Healthcheck": {"Test": ["CMD", "/bin/tool"], "Interval": 30_000_000_000u64},
        "HostConfig": {
            "ReadonlyRootfs": true,
            "CapDrop": ["ALL"],
            "SecurityOpt": ["no-new-privileges"],
            "Memory": 64 * 1024 * 1024,
            "PidsLimit": 100,
            "NanoCpus": 500_000_000,
            "NetworkMode": "none",
            "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 1024}],
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3}
        }
    })
}

fn caps(list: &[String]) -> Vec<String> {
    let mut caps: Vec<String> = list
        .iter()
        .map(|c| {
            let upper = c.to_ascii_uppercase();
            upper.strip_prefix("CAP_").unwrap_or(&upper).to_owned()
        })
        .collect();
    caps.sort();
    caps
}

fn exercise(engine: Engine, client: &EngineClient, image: &str) {
    // Negotiation: both engines here speak 1.41, below our maximum.
    let version = client.api_version();
    assert!(
        version
            <= ApiVersion {
                major: 1,
                minor: 41
            },
        "{engine:?}: negotiated {version}"
    );
    let about = client.version().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        about.is_podman(),
        engine == Engine::Podman,
        "{:?}",
        about.raw
    );
    assert_eq!(
        ApiVersion::parse(&about.api_version),
        Some(version),
        "{engine:?}: the server's own version is the one picked"
    );
    let info = client.info().unwrap_or_else(|e| panic!("{e}"));
    assert!(!info.server_version.is_empty(), "{:?}", info.raw);
    assert!(
        info.security_options.iter().any(|o| o.starts_with("name=")),
        "{:?}",
        info.security_options
    );
    // Podman only: `Rootless` (and `LiveRestoreEnabled` is always false there).
    assert_eq!(info.rootless.is_some(), engine == Engine::Podman);
    client.networks().unwrap_or_else(|e| panic!("{e}"));

    let run = format!("{engine:?}-{}", std::process::id()).to_lowercase();
    let mut created = Created::new(client);
    let mut create =
        |role: &str, body: &Value| created.create(&format!("portcullis-{run}-{role}"), body);
    let risky_id = create("risky", &risky(image, &run));
    let hardened_id = create("hardened", &hardened(image, &run));
    let bystander_id = create(
        "bystander",
        &json!({"Image": image, "Cmd": ["/bin/tool"], "Labels": {LABEL: "someone-else"}}),
    );

    // The label filter finds exactly ours, stopped or not.
    let filter = [format!("{LABEL}={run}")];
    let mut listed: Vec<String> = client
        .containers(true, &filter)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|c| c.id)
        .collect();
    listed.sort();
    let mut expected = vec![risky_id.clone(), hardened_id.clone()];
    expected.sort();
    assert_eq!(listed, expected, "{engine:?}");
    let running = client
        .containers(false, &filter)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(running.is_empty(), "nothing was started: {running:?}");
    let all = client
        .containers(true, &[LABEL.to_owned()])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(all.iter().any(|c| c.id == bystander_id));

    // Inspected concurrently, in order; a missing container fails alone.
    let results = client.inspect_all(&[
        risky_id.clone(),
        "portcullis-no-such-container".to_owned(),
        hardened_id.clone(),
    ]);
    assert_eq!(results.len(), 3);
    let mut results = results.into_iter();
    let risky = results.next().unwrap().unwrap_or_else(|e| panic!("{e}"));
    let missing = results.next().unwrap().unwrap_err();
    assert!(matches!(missing, EngineError::NotFound { .. }), "{missing}");
    let hardened = results.next().unwrap().unwrap_or_else(|e| panic!("{e}"));
    assert_risky(engine, &risky, &risky_id, &run);
    assert_hardened(engine, &hardened, &hardened_id);

    let err = client.exec_inspect("portcullis-no-such-exec").unwrap_err();
    assert!(matches!(err, EngineError::NotFound { .. }), "{err}");
    // `top` needs a running container; a created one is refused by both engines.
    assert!(client.top(&risky_id).is_err());
}

fn assert_risky(engine: Engine, c: &ContainerInspect, id: &str, run: &str) {
    let raw = &c.raw;
    assert_eq!(c.id, id);
    assert_eq!(c.short_name(), format!("portcullis-{run}-risky"));
    assert_eq!(c.config.labels["role"], "risky");
    assert!(
        c.config
            .env
            .iter()
            .any(|e| e.starts_with("AWS_SECRET_ACCESS_KEY=")),
        "{:?}",
        c.config.env
    );
    // Root: the test image's config says `User: "0"`, and nothing overrides it.
    assert!(
        ["", "0", "root", "0:0"].contains(&c.config.user.as_str()),
        "{}",
        c.config.user
    );
    assert!(c.config.image.contains("portcullis-test/runtime"));
    let h = &c.host_config;
    assert!(h.privileged);
    match engine {
        Engine::Docker => {
            assert_eq!(caps(&h.cap_add), ["SYS_ADMIN"]);
            // dockerd adds `label=disable` to a privileged container's options.
            assert!(
                h.security_opt.contains(&"label=disable".to_owned()),
                "{raw}"
            );
        }
        // Podman: a privileged container reports no added caps (it has them all).
        Engine::Podman => assert!(h.cap_add.is_empty(), "{:?}", h.cap_add),
    }
    assert!(
        h.security_opt.contains(&"seccomp=unconfined".to_owned()),
        "{:?}",
        h.security_opt
    );
    assert_eq!(h.pid_mode, "host");
    assert!(!h.readonly_rootfs);
    assert_eq!(h.memory, 0);
    match engine {
        Engine::Docker => assert!(h.pids_limit.unwrap_or(0) <= 0, "{:?}", h.pids_limit),
        // Podman's default pids limit.
        Engine::Podman => assert_eq!(h.pids_limit, Some(2048)),
    }
    let bindings = h.port_bindings["22/tcp"].as_ref().expect("22/tcp bound");
    assert_eq!(bindings[0].host_ip, "0.0.0.0");
    assert_eq!(bindings[0].host_port, "22");
    assert_eq!(h.restart_policy.name, "on-failure");
    assert_eq!(h.restart_policy.maximum_retry_count, 10);
    let etc = c
        .mounts
        .iter()
        .find(|m| m.destination == "/host/etc")
        .unwrap_or_else(|| panic!("no /etc mount: {:?}", c.mounts));
    assert_eq!(etc.r#type, "bind");
    assert_eq!(etc.source, "/etc");
    assert!(etc.rw);
    assert!(c.exec_ids.is_empty());
    assert!(!c.state.running);
    // No health check. Podman still sends `State.Health` (an empty status), dockerd does not.
    assert!(c.config.healthcheck.is_none(), "{:?}", c.config.healthcheck);
    assert_eq!(c.state.health.is_some(), engine == Engine::Podman);
    assert_eq!(c.state.health_status(), None);
}

fn assert_hardened(engine: Engine, c: &ContainerInspect, id: &str) {
    let raw = &c.raw;
    assert_eq!(c.id, id);
    assert_eq!(c.config.user, "1000:1000");
    assert_eq!(
        c.config.healthcheck.as_ref().map(|h| h.test.clone()),
        Some(vec!["CMD".to_owned(), "/bin/tool".to_owned()]),
        "{raw}"
    );
    let h = &c.host_config;
    assert!(!h.privileged);
    assert!(h.readonly_rootfs);
    assert!(h.cap_add.is_empty());
    match engine {
        Engine::Docker => assert_eq!(caps(&h.cap_drop), ["ALL"]),
        // Podman expands `ALL` into the caps it would otherwise grant.
        Engine::Podman => {
            let dropped = caps(&h.cap_drop);
            assert!(
                dropped.len() >= 11 && dropped.contains(&"CHOWN".to_owned()),
                "{dropped:?}"
            );
        }
    }
    assert!(
        h.security_opt
            .iter()
            .any(|o| o.starts_with("no-new-privileges")),
        "{:?}",
        h.security_opt
    );
    assert_eq!(h.memory, 64 * 1024 * 1024);
    assert_eq!(h.pids_limit, Some(100));
    assert_eq!(h.nano_cpus, 500_000_000);
    assert_eq!(h.network_mode, "none");
    assert_eq!(h.restart_policy.maximum_retry_count, 3);
    let nofile = match engine {
        Engine::Docker => "nofile",
        // Podman names ulimits after the kernel's constants.
        Engine::Podman => "RLIMIT_NOFILE",
    };
    assert!(
        h.ulimits
            .iter()
            .any(|u| u.name == nofile && u.soft == 1024 && u.hard == 1024),
        "{:?}",
        h.ulimits
    );
    assert!(h
        .port_bindings
        .values()
        .all(|b| b.as_ref().is_none_or(|b| b.is_empty())));
    assert!(!c.state.running);
}

#[test]
fn dockerd_containers_read_back_typed() {
    let dir = tempfile::tempdir().unwrap();
    let tag = format!("portcullis-test/runtime:{}", std::process::id());
    if image_archive(dir.path(), &tag).is_none() {
        return;
    }
    let Some(docker) = services::DockerHost::get() else {
        return;
    };
    docker.load(&dir.path().join("image.tar"));
    let host = docker.host();

    // Through a Docker context named by `--context`, in a config dir of our own.
    let config = dir.path().join("docker-config");
    let name = "portcullis-test";
    let id = {
        use sha2::Digest;
        format!("{:x}", sha2::Sha256::digest(name))
    };
    let meta = config.join("contexts/meta").join(id);
    std::fs::create_dir_all(&meta).unwrap();
    std::fs::write(
        meta.join("meta.json"),
        json!({"Name": name, "Metadata": {}, "Endpoints": {"docker": {"Host": host}}}).to_string(),
    )
    .unwrap();
    let resolved = resolve_host(&HostSources {
        context: Some(name.to_owned()),
        docker_host: Some("unix:///nonexistent/ignored.sock".into()),
        config_dir: Some(config),
        ..HostSources::default()
    })
    .unwrap();
    assert!(matches!(resolved.endpoint, Endpoint::Unix(_)));
    let client = EngineClient::connect_to(resolved, TIMEOUT).unwrap_or_else(|e| panic!("{e}"));

    exercise(Engine::Docker, &client, &tag);
    docker.remove_image(&tag);
}

#[test]
fn podman_compat_containers_read_back_typed() {
    let dir = tempfile::tempdir().unwrap();
    let tag = "localhost/portcullis-test/runtime:podman";
    if image_archive(dir.path(), tag).is_none() {
        return;
    }
    let Some(service) = services::PodmanService::start_with(&dir.path().join("image.tar")) else {
        return;
    };
    let client = EngineClient::connect(&ConnectOptions {
        host: Some(service.host()),
        ..ConnectOptions::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    exercise(Engine::Podman, &client, tag);
}

#[test]
fn a_missing_socket_is_a_friendly_error() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("nothing.sock");
    let host = format!("unix://{}", socket.display());
    let err = EngineClient::connect_host(&host, TIMEOUT).unwrap_err();
    assert!(matches!(err, EngineError::SocketMissing { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains(&host), "{text}");
    assert!(text.contains("is the engine running"), "{text}");
    assert!(
        text.contains("DOCKER_HOST") && text.contains("--host"),
        "{text}"
    );

    // A socket nobody serves HTTP on: a transport error naming it, not a hang.
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let silent = std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            drop(stream);
        }
    });
    let err = EngineClient::connect_host(&host, TIMEOUT).unwrap_err();
    assert!(matches!(err, EngineError::Transport(_)), "{err}");
    assert!(err.to_string().contains(&host), "{err}");
    silent.join().unwrap();
}

// ---------------------------------------------------------------------------------------------
// TLS

/// `openssl` with `args`, in `dir`.
fn openssl(dir: &Path, args: &[&str]) {
    services::run(Command::new("openssl").current_dir(dir).args(args));
}

/// A CA (`NAME-ca.pem`, `NAME-ca-key.pem`) in `dir`.
fn make_ca(dir: &Path, name: &str) {
    std::fs::write(
        dir.join("openssl.cnf"),
        "[req]\ndistinguished_name = dn\n[dn]\n[ca]\nbasicConstraints = critical,CA:TRUE\n\
         keyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\n",
    )
    .unwrap();
    let (key, cert) = (format!("{name}-ca-key.pem"), format!("{name}-ca.pem"));
    openssl(
        dir,
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            &key,
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            &key,
            "-out",
            &cert,
            "-days",
            "2",
            "-subj",
            &format!("/CN=portcullis test CA {name}"),
            "-config",
            "openssl.cnf",
            "-extensions",
            "ca",
        ],
    );
}

/// A certificate `NAME-cert.pem` + `NAME-key.pem` signed by CA `ca`, with `extensions`.
fn make_cert(dir: &Path, ca: &str, name: &str, extensions: &str) {
    let (key, csr, cert) = (
        format!("{name}-key.pem"),
        format!("{name}.csr"),
        format!("{name}-cert.pem"),
    );
    let ext = format!("{name}.ext");
    std::fs::write(dir.join(&ext), extensions).unwrap();
    openssl(
        dir,
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            &key,
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-key",
            &key,
            "-out",
            &csr,
            "-subj",
            &format!("/CN={name}"),
            "-config",
            "openssl.cnf",
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &format!("{ca}-ca.pem"),
            "-CAkey",
            &format!("{ca}-ca-key.pem"),
            "-CAcreateserial",
            "-days",
            "2",
            "-out",
            &cert,
            "-extfile",
            &ext,
        ],
    );
}

/// A `DOCKER_CERT_PATH`-style directory `dir/name` with `ca.pem` and, when given, the
/// client's `cert.pem` and `key.pem`.
fn material_dir(pki: &Path, name: &str, ca: &str, client: Option<&str>) -> PathBuf {
    let dir = pki.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(pki.join(format!("{ca}-ca.pem")), dir.join("ca.pem")).unwrap();
    if let Some(client) = client {
        std::fs::copy(pki.join(format!("{client}-cert.pem")), dir.join("cert.pem")).unwrap();
        std::fs::copy(pki.join(format!("{client}-key.pem")), dir.join("key.pem")).unwrap();
    }
    dir
}

/// `DOCKER_HOST=host DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=certs`, without the environment.
fn connect_tls(host: &str, certs: &Path) -> Result<EngineClient, EngineError> {
    let resolved = resolve_host(&HostSources {
        docker_host: Some(host.to_owned()),
        tls: Some("DOCKER_TLS_VERIFY is set".into()),
        cert_path: Some(certs.to_owned()),
        ..HostSources::default()
    })?;
    assert!(
        matches!(resolved.endpoint, Endpoint::Tls { .. }),
        "{:?}",
        resolved.endpoint
    );
    EngineClient::connect_to(resolved, TIMEOUT)
}

#[test]
fn dockerd_over_tls_with_client_certificates() {
    if services::require("openssl", "Debian openssl").is_none() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let pki = work.path();
    make_ca(pki, "test");
    make_ca(pki, "other");
    let usage = "keyUsage = critical,digitalSignature\nauthorityKeyIdentifier = keyid\n";
    make_cert(
        pki,
        "test",
        "server",
        &format!("subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n{usage}"),
    );
    make_cert(
        pki,
        "test",
        "client",
        &format!("extendedKeyUsage = clientAuth\n{usage}"),
    );
    make_cert(
        pki,
        "other",
        "stranger",
        &format!("extendedKeyUsage = clientAuth\n{usage}"),
    );

    let port = services::free_port();
    let address = format!("127.0.0.1:{port}");
    let arg = |text: &str| OsString::from(text);
    let path = |name: &str| pki.join(name).into_os_string();
    let Some(dockerd) = services::Dockerd::start_with(&[
        arg("-H"),
        arg(&format!("tcp://{address}")),
        arg("--tlsverify"),
        arg("--tlscacert"),
        path("test-ca.pem"),
        arg("--tlscert"),
        path("server-cert.pem"),
        arg("--tlskey"),
        path("server-key.pem"),
    ]) else {
        return;
    };

    // DOCKER_CERT_PATH-style material: verified server, client certificate presented.
    let good = material_dir(pki, "good", "test", Some("client"));
    let client = connect_tls(&format!("tcp://{address}"), &good).unwrap_or_else(|e| {
        let log = std::fs::read_to_string(dockerd.dir.path().join("dockerd.log"));
        panic!("{e}\ndockerd log:\n{}", log.unwrap_or_default())
    });
    assert_eq!(client.api_version().to_string(), "1.41");
    let info = client.info().unwrap_or_else(|e| panic!("{e}"));
    assert!(!info.server_version.is_empty(), "{:?}", info.raw);
    assert_eq!(
        info.raw["DockerRootDir"],
        json!(dockerd.dir.path().join("data"))
    );
    // https:// is TLS too.
    let client =
        connect_tls(&format!("https://{address}"), &good).unwrap_or_else(|e| panic!("{e}"));
    client.version().unwrap_or_else(|e| panic!("{e}"));

    // A context with the same material in its TLS store.
    let config = pki.join("docker-config");
    let name = "tls-test";
    let id = {
        use sha2::Digest;
        format!("{:x}", sha2::Sha256::digest(name))
    };
    let meta = config.join("contexts/meta").join(&id);
    std::fs::create_dir_all(&meta).unwrap();
    std::fs::write(
        meta.join("meta.json"),
        json!({"Name": name, "Metadata": {}, "Endpoints": {"docker": {
            "Host": format!("tcp://{address}"), "SkipTLSVerify": false}}})
        .to_string(),
    )
    .unwrap();
    let store = config.join("contexts/tls").join(&id).join("docker");
    std::fs::create_dir_all(&store).unwrap();
    for file in ["ca.pem", "cert.pem", "key.pem"] {
        std::fs::copy(good.join(file), store.join(file)).unwrap();
    }
    let resolved = resolve_host(&HostSources {
        context: Some(name.into()),
        config_dir: Some(config),
        ..HostSources::default()
    })
    .unwrap();
    let client = EngineClient::connect_to(resolved, TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    client.info().unwrap_or_else(|e| panic!("{e}"));

    // No client certificate: the engine refuses, and the error says what is missing.
    let bare = material_dir(pki, "bare", "test", None);
    let err = connect_tls(&format!("tcp://{address}"), &bare).unwrap_err();
    assert!(
        matches!(err, EngineError::Transport(TransportError::Tls { .. })),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains(&address)
            && text.contains("requires a client certificate")
            && text.contains(&bare.display().to_string()),
        "{text}"
    );

    // A client certificate from a CA the engine does not trust.
    let stranger = material_dir(pki, "stranger", "test", Some("stranger"));
    let err = connect_tls(&format!("tcp://{address}"), &stranger).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(&address) && text.contains("refused the client certificate"),
        "{text}"
    );

    // A CA that did not sign the engine's certificate.
    let wrong_ca = material_dir(pki, "wrong-ca", "other", Some("client"));
    let err = connect_tls(&format!("tcp://{address}"), &wrong_ca).unwrap_err();
    assert!(
        matches!(err, EngineError::Transport(TransportError::Tls { .. })),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains(&address)
            && text.contains("not signed by the CA in")
            && text.contains(&wrong_ca.join("ca.pem").display().to_string()),
        "{text}"
    );

    // A name the engine's certificate does not carry.
    let err = connect_tls(&format!("tcp://localhost:{port}"), &good).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("not issued for `localhost`"), "{text}");

    // Plain HTTP to the TLS port is not mistaken for an engine answer.
    let plain = resolve_host(&HostSources {
        docker_host: Some(format!("tcp://{address}")),
        ..HostSources::default()
    })
    .unwrap();
    let err = EngineClient::connect_to(plain, TIMEOUT).unwrap_err();
    assert!(err.to_string().contains(&address), "{err}");
}
