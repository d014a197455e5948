//! `portcullis runtime` against real engines: a dockerd (Debian `docker.io`) and podman's
//! Docker-compatible API. Each test plants misconfigured containers and their secure twins
//! through the Engine API (created, not started, where this sandbox refuses to start them), runs
//! the real binary on them, and asserts the findings: the same rule ids for both engines where
//! the problem is the same, none where an engine's own defaults are safe (Podman's capability
//! set and PIDs limit).
//!
//! On dockerd, a container started from the Debian test-bed root (`PORTCULLIS_TEST_DEBIAN_ROOTFS`,
//! built by scripts/testbed.sh) runs a process named `/usr/sbin/sshd` and has a root exec
//! session, and a container carrying `docker compose`'s labels is traced back to its Compose
//! file: its findings land on the Compose lines.

mod common;
#[path = "common/image_services.rs"]
mod services;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{findings, portcullis, read_json, Found};
use portcullis::runtime::engine::{ConnectOptions, EngineClient};
use serde_json::{json, Value};
use services::{file, Created, LayerSpec};

const LABEL: &str = "io.portcullis.test.runtime";

/// What one run of the binary produced.
struct Checked {
    code: i32,
    json: Value,
    sarif: Value,
    stderr: String,
}

fn check_engine(host: &str, run: &str, dir: &Path, extra: &[&str]) -> Checked {
    let json = dir.join(format!("{run}.json"));
    let sarif = dir.join(format!("{run}.sarif"));
    let output = portcullis()
        .args(["runtime", "--host", host, "--all", "--filter"])
        .arg(format!("label={LABEL}={run}"))
        .args(extra)
        .arg("-f")
        .arg(format!("json={}", json.display()))
        .arg("-f")
        .arg(format!("sarif={}", sarif.display()))
        .current_dir(dir)
        .output()
        .unwrap();
    Checked {
        code: common::exit_code(&output),
        json: read_json(&json),
        sarif: read_json(&sarif),
        stderr: common::stderr(&output),
    }
}

/// The rule codes of findings about container `name`, sorted and de-duplicated.
fn codes_of(all: &[Found], report: &Value, name: &str) -> Vec<String> {
    let objects = objects(report);
    let mut codes: Vec<String> = all
        .iter()
        .zip(objects)
        .filter(|(_, object)| object.as_deref() == Some(name))
        .map(|(f, _)| f.code.clone())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// The `object.name` of every finding, in `findings` order.
fn objects(report: &Value) -> Vec<Option<String>> {
    report["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|run| run["findings"].as_array().unwrap())
        .map(|f| f["object"]["name"].as_str().map(str::to_owned))
        .collect()
}

fn validate(checked: &Checked) {
    let schema = common::manifest_dir().join("docs/schemas/portcullis-report.schema.json");
    let errors = common::json_schema_errors(&schema, &checked.json);
    assert!(errors.is_empty(), "{errors:#?}");
    if let Some(schema) = common::shared_file("schemas/sarif/sarif-schema-2.1.0.json") {
        let errors = common::json_schema_errors(&schema, &checked.sarif);
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

/// A one-layer image; the planted containers are only created, so nothing in it runs.
fn tiny_image(dir: &Path, tag: &str) -> Option<services::BuiltImage> {
    let layers = [LayerSpec {
        files: vec![file("bin/tool", "#!/bin/sh\nexit 0\n")],
        gzip: true,
    }];
    services::docker_archive(dir, tag, &layers)
}

/// Privileged, SYS_ADMIN, host PID, `/etc` writable, the engine socket, port 22 on every
/// interface, a secret in the environment, unbounded restarts, no limits.
fn risky(image: &str, run: &str, socket: &Path) -> Value {
    json!({
        "Image": image,
        "Cmd": ["/bin/tool"],
        "Env": ["AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG", "GREETING=hello"],
        "Labels": {LABEL: run},
        "ExposedPorts": {"22/tcp": {}},
        "HostConfig": {
            "Privileged": true,
            "CapAdd": ["SYS_ADMIN"],
            "PidMode": "host",
            "Binds": ["/etc:/host/etc", format!("{}:/var/run/docker.sock", socket.display())],
            "PortBindings": {"22/tcp": [{"HostIp": "0.0.0.0", "HostPort": "22"}]},
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 10}
        }
    })
}

/// Not privileged, but with its confinement lifted one piece at a time: seccomp and AppArmor
/// off, `/proc` unmasked, NET_ADMIN added, shared mount propagation. (A privileged container
/// loses all of these anyway, so they are reported on this one.)
fn unconfined(image: &str, run: &str, dir: &Path) -> Value {
    json!({
        "Image": image,
        "Cmd": ["/bin/tool"],
        "User": "10001",
        "Labels": {LABEL: run},
        "HostConfig": {
            "CapAdd": ["NET_ADMIN"],
            "SecurityOpt": ["seccomp=unconfined", "apparmor=unconfined"],
            // What `--security-opt systempaths=unconfined` sends: the CLI empties the lists.
            "MaskedPaths": [],
            "ReadonlyPaths": [],
            "Mounts": [{"Type": "bind", "Source": dir.display().to_string(), "Target": "/shared",
                        "BindOptions": {"Propagation": "rshared"}}]
        }
    })
}

const UNCONFINED_EVERYWHERE: &[&str] = &["PC1006", "PC5003", "PC5011"];

/// The same container done right: every rule the risky one breaks is satisfied.
fn hardened(image: &str, run: &str) -> Value {
    json!({
        "Image": image,
        "Cmd": ["/bin/tool"],
        "User": "10001:10001",
        "Labels": {LABEL: run},
        "Healthcheck": {"Test": ["CMD", "/bin/tool"], "Interval": 30_000_000_000u64},
        "HostConfig": {
            "ReadonlyRootfs": true,
            "CapDrop": ["ALL"],
            "SecurityOpt": ["no-new-privileges"],
            "Memory": 67108864,
            "PidsLimit": 100,
            "NanoCpus": 500000000,
            "NetworkMode": "none",
            "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 1024}],
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3}
        }
    })
}

/// Rules both engines must report for the risky container.
const RISKY_EVERYWHERE: &[&str] = &[
    "PC1001", // root user
    "PC1004", // privileged
    "PC2001", // secret in the environment
    "PC4002", // no health check
    "PC5007", // host PID
    "PC5009", // /etc writable
    "PC5010", // engine socket
    "PC6001", // no memory limit
    "PC6004", // on-failure:10
    "PC6008", // host port 22
    "PC6009", // 0.0.0.0
];

fn assert_includes(found: &[String], expected: &[&str], what: &str) {
    let missing: Vec<&&str> = expected
        .iter()
        .filter(|code| !found.iter().any(|f| f == *code))
        .collect();
    assert!(
        missing.is_empty(),
        "{what}: missing {missing:?} in {found:?}"
    );
}

#[test]
fn dockerd_containers_and_daemon() {
    let dir = tempfile::tempdir().unwrap();
    let tag = format!("portcullis-test/runtime-live:{}", std::process::id());
    if tiny_image(dir.path(), &tag).is_none() {
        return;
    }
    let Some(docker) = services::DockerHost::get() else {
        return;
    };
    docker.load(&dir.path().join("image.tar"));
    let host = docker.host();
    let client = EngineClient::connect(&ConnectOptions {
        host: Some(host.clone()),
        ..ConnectOptions::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let run = format!("docker-{}", std::process::id());
    let mut created = Created::new(&client);
    let socket = engine_socket_stand_in(dir.path());
    created.create(&format!("{run}-risky"), &risky(&tag, &run, &socket));
    created.create(&format!("{run}-hardened"), &hardened(&tag, &run));
    created.create(
        &format!("{run}-unconfined"),
        &unconfined(&tag, &run, dir.path()),
    );

    // A container `docker compose` started: its labels name the project, service and files.
    let project = dir.path().join("shop");
    std::fs::create_dir_all(&project).unwrap();
    let compose = project.join("compose.yaml");
    std::fs::write(
        &compose,
        "services:\n  web:\n    image: busybox\n    privileged: true\n    cap_add:\n      - SYS_ADMIN\n",
    )
    .unwrap();
    created.create(
        &format!("{run}-web-1"),
        &json!({
            "Image": tag, "Cmd": ["/bin/tool"],
            "Labels": {
                LABEL: run,
                "com.docker.compose.project": "shop",
                "com.docker.compose.service": "web",
                "com.docker.compose.project.config_files": compose.display().to_string(),
                "com.docker.compose.project.working_dir": project.display().to_string()
            },
            "HostConfig": {"Privileged": true, "CapAdd": ["SYS_ADMIN"]}
        }),
    );

    // A running container from the Debian root: a process named sshd, a root exec session.
    let running = start_sshd_lookalike(&host, &run, &mut created);

    let checked = check_engine(&host, &run, dir.path(), &[]);
    validate(&checked);
    assert_eq!(checked.code, 1, "{}", checked.stderr);
    let all = findings(&checked.json);

    let risky = codes_of(&all, &checked.json, &format!("{run}-risky"));
    assert_includes(&risky, RISKY_EVERYWHERE, "docker risky");
    // Docker-specific: SYS_ADMIN is reported as dangerous; the capability set is not dropped
    // (skipped: privileged); dockerd has no PIDs limit by default.
    assert_includes(&risky, &["PC1006", "PC6003"], "docker risky");
    let unconfined = codes_of(&all, &checked.json, &format!("{run}-unconfined"));
    assert_includes(&unconfined, UNCONFINED_EVERYWHERE, "docker unconfined");
    // Unmasked /proc: Docker's inspect shows the empty mask lists. (Podman 4.3's compatible
    // API neither takes `unmask=ALL` nor reports it, so it is not planted there.)
    assert_includes(&unconfined, &["PC5001", "PC5005"], "docker unconfined");
    let hardened = codes_of(&all, &checked.json, &format!("{run}-hardened"));
    assert!(
        hardened
            .iter()
            .all(|code| code == "PC3005" || code == "PC5001"),
        "the hardened twin should be clean (but for its test image's tag): {hardened:?}"
    );

    // The Compose-started container's findings point at its Compose file.
    let web: Vec<&Found> = all
        .iter()
        .zip(objects(&checked.json))
        .filter(|(_, o)| o.as_deref() == Some(&format!("{run}-web-1")))
        .map(|(f, _)| f)
        .collect();
    let at = |code: &str| {
        web.iter()
            .find(|f| f.code == code)
            .map(|f| (f.path.clone(), f.line))
            .unwrap_or_else(|| panic!("no {code} for the Compose container: {web:#?}"))
    };
    let compose_path = compose.display().to_string();
    assert_eq!(at("PC1004"), (compose_path.clone(), 4));
    assert_eq!(at("PC1006"), (compose_path.clone(), 6));
    // A missing setting points at the service's key.
    assert_eq!(at("PC6001"), (compose_path, 2));

    if let Some((name, _)) = &running {
        let found = codes_of(&all, &checked.json, name);
        assert_includes(&found, &["PC6011", "PC1010"], "running container");
    }

    // The daemon: a default dockerd is rootful, without user namespaces or authorization.
    let engine: Vec<&Found> = all
        .iter()
        .zip(objects(&checked.json))
        .filter(|(f, _)| f.code.starts_with("PC7"))
        .map(|(f, _)| f)
        .collect();
    let engine_codes: Vec<&str> = engine.iter().map(|f| f.code.as_str()).collect();
    assert_includes(
        &engine_codes
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>(),
        &["PC7001", "PC7009", "PC7010"],
        "daemon",
    );
    assert!(engine.iter().all(|f| f.path.starts_with("docker://")));

    // SARIF: live objects are logical locations.
    let result = checked.sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "PC1004")
        .unwrap();
    let logical = &result["locations"][0]["logicalLocations"][0];
    assert_eq!(logical["kind"], "resource");
    assert!(logical["fullyQualifiedName"]
        .as_str()
        .unwrap()
        .starts_with("docker://"));

    // `--container` narrows to one; an unknown name is an error, and the report is still written.
    let one = check_engine(
        &host,
        &run,
        dir.path(),
        &["--container", &format!("{run}-hardened")],
    );
    assert!(objects(&one.json)
        .iter()
        .flatten()
        .all(|o| o == &format!("{run}-hardened") || !o.starts_with(&run)));
    let unknown = check_engine(
        &host,
        &run,
        dir.path(),
        &["--container", "no-such-container"],
    );
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(unknown.json["errors"]
        .to_string()
        .contains("no-such-container"));

    // `--benchmark` labels: every finding's rule implements a CIS 1.6.0 recommendation.
    let cis = check_engine(&host, &run, dir.path(), &["--benchmark", "cis-1.6"]);
    assert!(findings(&cis.json).iter().all(|f| f.code != "PC1011"));

    drop(created);
    docker.remove_image(&tag);
    if let Some((_, image)) = running {
        docker.remove_image(&image);
    }
}

/// A file named like the engine's socket to bind-mount: the rule reads the mount's source, and
/// a test must not hand a planted container the real socket.
fn engine_socket_stand_in(dir: &Path) -> PathBuf {
    let socket = dir.join("run/docker.sock");
    std::fs::create_dir_all(socket.parent().unwrap()).unwrap();
    std::fs::write(&socket, "").unwrap();
    socket
}

/// Starts a container from the Debian test-bed root whose main process is named
/// `/usr/sbin/sshd`, and opens an exec session as root in it; its name and image, or `None`
/// (with a note) without the root.
fn start_sshd_lookalike(
    host: &str,
    run: &str,
    created: &mut Created<'_>,
) -> Option<(String, String)> {
    let Some(rootfs) = std::env::var_os("PORTCULLIS_TEST_DEBIAN_ROOTFS").map(PathBuf::from) else {
        return services::unavailable(
            "PORTCULLIS_TEST_DEBIAN_ROOTFS is not set: run scripts/testbed.sh".into(),
        );
    };
    if !rootfs.join("usr/bin/sleep").exists() {
        return services::unavailable("PORTCULLIS_TEST_DEBIAN_ROOTFS has no usr/bin/sleep".into());
    }
    let image = format!("portcullis-test/debian-runtime:{}", std::process::id());
    let mut tar = Command::new("tar")
        .arg("-C")
        .arg(&rootfs)
        .args(["-c", "."])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let status = Command::new("docker")
        .args(["-H", host, "import", "-", &image])
        .stdin(tar.stdout.take().unwrap())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(tar.wait().unwrap().success(), "tar of the Debian root");
    assert!(status.success(), "docker import");
    let name = format!("{run}-sshd");
    let id = created.create(
        &name,
        &json!({
            "Image": image,
            "Cmd": ["/bin/bash", "-c", "exec -a /usr/sbin/sshd /usr/bin/sleep 300"],
            "User": "10001",
            "Labels": {LABEL: run},
            "HostConfig": {"NetworkMode": "none"}
        }),
    );
    services::run(Command::new("docker").args(["-H", host, "start", &id]));
    services::run(Command::new("docker").args([
        "-H",
        host,
        "exec",
        "-d",
        "-u",
        "0",
        &id,
        "/usr/bin/sleep",
        "300",
    ]));
    Some((name, image))
}

#[test]
fn podman_defaults_are_not_findings() {
    let dir = tempfile::tempdir().unwrap();
    let tag = "localhost/portcullis-test/runtime-live:podman";
    if tiny_image(dir.path(), tag).is_none() {
        return;
    }
    let Some(service) = services::PodmanService::start_with(&dir.path().join("image.tar")) else {
        return;
    };
    let host = service.host();
    let client = EngineClient::connect(&ConnectOptions {
        host: Some(host.clone()),
        ..ConnectOptions::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let run = "podman";
    let mut created = Created::new(&client);
    let socket = engine_socket_stand_in(dir.path());
    created.create("podman-risky", &risky(tag, run, &socket));
    created.create("podman-hardened", &hardened(tag, run));
    created.create("podman-unconfined", &unconfined(tag, run, dir.path()));
    // Podman's defaults: no added capability, no NET_RAW, a PIDs limit of 2048.
    created.create(
        "podman-plain",
        &json!({"Image": tag, "Cmd": ["/bin/tool"], "User": "10001", "Labels": {LABEL: run}}),
    );

    let checked = check_engine(&host, run, dir.path(), &[]);
    validate(&checked);
    assert_eq!(checked.code, 1, "{}", checked.stderr);
    let all = findings(&checked.json);
    let risky = codes_of(&all, &checked.json, "podman-risky");
    assert_includes(&risky, RISKY_EVERYWHERE, "podman risky");
    let unconfined = codes_of(&all, &checked.json, "podman-unconfined");
    assert_includes(&unconfined, UNCONFINED_EVERYWHERE, "podman unconfined");
    let hardened = codes_of(&all, &checked.json, "podman-hardened");
    assert!(
        hardened
            .iter()
            .all(|code| code == "PC3005" || code == "PC5001"),
        "{hardened:?}"
    );
    let plain = codes_of(&all, &checked.json, "podman-plain");
    for code in ["PC1005", "PC6003"] {
        assert!(
            !plain.iter().any(|c| c == code),
            "{code} must not fire on Podman's defaults: {plain:?}"
        );
    }
    // Daemon rules Podman cannot answer (live restore, experimental, swarm) stay silent.
    for code in ["PC7013", "PC7016", "PC7017"] {
        assert!(all.iter().all(|f| f.code != code), "{code} on Podman");
    }
    assert!(all
        .iter()
        .filter(|f| f.code.starts_with("PC7"))
        .all(|f| f.path.starts_with("podman://")));
}

#[test]
fn an_unreachable_engine_is_an_error_and_the_files_are_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = common::manifest_dir().join("tests/fixtures/runtime/k8s/workloads.yaml");
    let json = dir.path().join("out.json");
    let output = portcullis()
        .args(["runtime", "--engine", "--host"])
        .arg(format!("unix://{}", dir.path().join("none.sock").display()))
        .arg("--k8s")
        .arg(&manifest)
        .arg("-f")
        .arg(format!("json={}", json.display()))
        .output()
        .unwrap();
    assert_eq!(common::exit_code(&output), 2);
    let report = read_json(&json);
    assert!(!findings(&report).is_empty());
    let errors = report["errors"].to_string();
    assert!(errors.contains("none.sock"), "{errors}");
}
