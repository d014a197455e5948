//! Engines for the daemon checks' unit tests: `/info`, `/version` and `/networks` answers
//! shaped like those of a real dockerd 20.10 and podman 4.3, trimmed to the fields the checks
//! read, and a daemon.json reader.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::engine::Endpoint;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::engine::{Network, Version};
use crate::runtime::spec::Violation;

/// The default socket.
pub fn unix() -> Endpoint {
    Endpoint::Unix(PathBuf::from("/var/run/docker.sock"))
}

/// `/info` of a rootful dockerd 20.10 with nothing configured.
pub fn docker_info() -> Value {
    json!({
        "Driver": "overlay2",
        "Plugins": {
            "Volume": ["local"],
            "Network": ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"],
            "Authorization": null,
            "Log": ["awslogs", "fluentd", "gelf", "journald", "json-file", "local", "syslog"]
        },
        "MemoryLimit": true,
        "CpuCfsQuota": true,
        "PidsLimit": true,
        "Debug": false,
        "LoggingDriver": "json-file",
        "CgroupDriver": "cgroupfs",
        "CgroupVersion": "1",
        "RegistryConfig": {
            "AllowNondistributableArtifactsCIDRs": [],
            "AllowNondistributableArtifactsHostnames": [],
            "InsecureRegistryCIDRs": ["127.0.0.0/8"],
            "IndexConfigs": {
                "docker.io": {"Name": "docker.io", "Mirrors": [], "Secure": true, "Official": true}
            },
            "Mirrors": []
        },
        "ExperimentalBuild": false,
        "ServerVersion": "20.10.24+dfsg1",
        "Swarm": {
            "NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive",
            "ControlAvailable": false, "Error": "", "RemoteManagers": null
        },
        "LiveRestoreEnabled": false,
        "SecurityOptions": ["name=seccomp,profile=default"],
        "Warnings": null
    })
}

/// `/info` of podman 4.3's compat API, run as root: its constant answers included.
pub fn podman_info() -> Value {
    json!({
        "Driver": "overlay",
        "DriverStatus": [],
        "Plugins": {
            "Volume": ["local"],
            "Network": ["bridge", "macvlan", "ipvlan"],
            "Authorization": null,
            "Log": ["k8s-file", "none", "passthrough", "journald"]
        },
        "MemoryLimit": true,
        "CpuCfsQuota": true,
        "PidsLimit": true,
        "Debug": false,
        "LoggingDriver": "",
        "CgroupDriver": "cgroupfs",
        "RegistryConfig": {
            "AllowNondistributableArtifactsCIDRs": [],
            "AllowNondistributableArtifactsHostnames": [],
            "InsecureRegistryCIDRs": [],
            "IndexConfigs": {},
            "Mirrors": []
        },
        "ExperimentalBuild": true,
        "ServerVersion": "4.3.1",
        "Swarm": {
            "NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive",
            "ControlAvailable": false, "Error": "", "RemoteManagers": null
        },
        "LiveRestoreEnabled": false,
        "SecurityOptions": ["name=seccomp,profile=default"],
        "ProductLicense": "Apache-2.0",
        "Warnings": [],
        "BuildahVersion": "1.28.2",
        "CgroupVersion": "1",
        "Rootless": false
    })
}

/// `base` with the top-level fields of `changes` replaced.
pub fn with(mut base: Value, changes: Value) -> Value {
    let (Some(base_fields), Value::Object(changes)) = (base.as_object_mut(), changes) else {
        panic!("objects expected");
    };
    base_fields.extend(changes);
    base
}

/// `/version` of a dockerd.
pub fn docker_version(version: &str) -> Version {
    serde_json::from_value(json!({
        "Components": [{"Name": "Engine", "Version": version}],
        "Version": version,
        "ApiVersion": "1.41"
    }))
    .unwrap()
}

/// `/version` of podman 4.3.1.
pub fn podman_version() -> Version {
    serde_json::from_value(json!({
        "Components": [{"Name": "Podman Engine", "Version": "4.3.1"}],
        "Version": "4.3.1",
        "ApiVersion": "1.41"
    }))
    .unwrap()
}

/// dockerd's default bridge network, with its `icc` and `ip` options.
pub fn bridge(icc: &str, ip: &str) -> Value {
    json!({
        "Name": "bridge",
        "Scope": "local",
        "Driver": "bridge",
        "Options": {
            "com.docker.network.bridge.default_bridge": "true",
            "com.docker.network.bridge.enable_icc": icc,
            "com.docker.network.bridge.enable_ip_masquerade": "true",
            "com.docker.network.bridge.host_binding_ipv4": ip,
            "com.docker.network.bridge.name": "docker0",
            "com.docker.network.driver.mtu": "1500"
        },
        "Labels": {}
    })
}

/// A live dockerd answering `info` (its version from `ServerVersion`), with a default bridge.
pub fn docker(info: Value) -> DaemonSpec {
    docker_on(info, json!([bridge("true", "0.0.0.0")]), &unix())
}

/// A live dockerd with these networks, reached at `endpoint`.
pub fn docker_on(info: Value, networks: Value, endpoint: &Endpoint) -> DaemonSpec {
    let version = docker_version(info["ServerVersion"].as_str().unwrap_or_default());
    let networks: Vec<Network> = serde_json::from_value(networks).unwrap();
    DaemonSpec::from_engine(
        &serde_json::from_value(info).unwrap(),
        &version,
        &networks,
        endpoint,
    )
}

/// A live podman answering `info`, with its compat `bridge` network (no options).
pub fn podman(info: Value) -> DaemonSpec {
    let networks: Vec<Network> =
        serde_json::from_value(json!([{"Name": "bridge", "Driver": "bridge", "Options": {}}]))
            .unwrap();
    DaemonSpec::from_engine(
        &serde_json::from_value(info).unwrap(),
        &podman_version(),
        &networks,
        &unix(),
    )
}

/// The daemon.json `daemon.json` alone.
pub fn config(text: &str) -> DaemonSpec {
    DaemonSpec::from_config(Path::new("daemon.json"), text).unwrap()
}

/// A live dockerd answering `info`, plus the daemon.json `daemon.json`.
pub fn docker_and_config(info: Value, text: &str) -> DaemonSpec {
    docker(info)
        .with_config(Path::new("daemon.json"), text)
        .unwrap()
}

/// The (rule code, evidence) of each violation: `daemon.json:2:3` or `/info Debug`.
pub fn run(
    check: fn(&DaemonSpec) -> Vec<Violation>,
    daemon: &DaemonSpec,
) -> Vec<(&'static str, String)> {
    check(daemon)
        .iter()
        .map(|v| (v.rule.code, v.at.to_string()))
        .collect()
}
