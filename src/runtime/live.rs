//! Live containers as [`ContainerSpec`]s: what `docker inspect` (or podman's compatible
//! answer) says about a container, its running processes and its exec sessions.
//!
//! Inspect data is the effective configuration: Docker has already merged the image's `USER`,
//! `ENV` and `HEALTHCHECK` into `Config`, and podman writes the security options it actually
//! applied into `HostConfig.SecurityOpt`. Evidence names the inspect field, so a message can
//! say where to look.

use std::path::PathBuf;

use serde_json::Value;

use crate::runtime::adapt::{device_request, DeviceCount};
use crate::runtime::engine::{ContainerInspect, ExecInspect, Top};
use crate::runtime::spec::{
    apply_security_option, capability, ContainerSpec, EnvVar, Evidence, ExecSession, Healthcheck,
    Mount, Namespace, Platform, PublishedPort, RestartPolicy, Setting, Subject, SubjectKind,
};

/// The Compose project and service a container was started for, from the labels
/// `docker compose` puts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeOrigin {
    pub project: String,
    pub service: String,
    /// `com.docker.compose.project.config_files`, in `-f` order (absolute on the host that ran
    /// Compose).
    pub files: Vec<PathBuf>,
    pub working_dir: Option<PathBuf>,
}

/// Where `container` came from, when Compose started it.
pub fn compose_origin(container: &ContainerInspect) -> Option<ComposeOrigin> {
    let labels = &container.config.labels;
    let label = |key: &str| labels.get(key).filter(|v| !v.is_empty());
    let project = label("com.docker.compose.project")?;
    let service = label("com.docker.compose.service")?;
    let files = label("com.docker.compose.project.config_files")
        .map(|files| {
            files
                .split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(PathBuf::from)
                .collect()
        })
        .unwrap_or_default();
    Some(ComposeOrigin {
        project: project.clone(),
        service: service.clone(),
        files,
        working_dir: label("com.docker.compose.project.working_dir").map(PathBuf::from),
    })
}

/// What is known about one live container.
#[derive(Debug, Clone, Copy)]
pub struct LiveContainer<'a> {
    pub inspect: &'a ContainerInspect,
    /// `GET /containers/{id}/top`, for running containers.
    pub top: Option<&'a Top>,
    /// The container's exec sessions.
    pub execs: &'a [ExecInspect],
}

fn field(name: &str) -> Evidence {
    Evidence::Field(name.to_owned())
}

fn setting<T>(value: T, name: &str) -> Setting<T> {
    Setting::new(value, field(name))
}

/// The spec of a live container on `platform` (Docker or Podman).
pub fn container_spec(live: LiveContainer<'_>, platform: Platform) -> ContainerSpec {
    let container = live.inspect;
    let host = &container.host_config;
    let config = &container.config;
    let raw_host = &container.raw["HostConfig"];
    let mut spec = ContainerSpec::new(
        Subject {
            kind: SubjectKind::LiveContainer,
            name: container.short_name().to_owned(),
            declared_at: field("Name"),
        },
        platform,
    );
    spec.privileged = Some(setting(host.privileged, "HostConfig.Privileged"));
    spec.cap_add = host
        .cap_add
        .iter()
        .map(|c| setting(capability(c), "HostConfig.CapAdd"))
        .collect();
    spec.cap_drop = host
        .cap_drop
        .iter()
        .map(|c| setting(capability(c), "HostConfig.CapDrop"))
        .collect();
    for option in &host.security_opt {
        apply_security_option(&mut spec, option, field("HostConfig.SecurityOpt"));
    }
    if spec.apparmor.is_none() && !container.app_armor_profile.is_empty() {
        spec.apparmor = Some(setting(
            container.app_armor_profile.clone(),
            "AppArmorProfile",
        ));
    }
    // `--security-opt systempaths=unconfined` is turned into empty mask lists by the client.
    if host.masked_paths.as_ref().is_some_and(Vec::is_empty)
        && host.readonly_paths.as_ref().is_some_and(Vec::is_empty)
    {
        spec.unmasked_proc = Some(setting(true, "HostConfig.MaskedPaths"));
    }
    spec.read_only_rootfs = Some(setting(host.readonly_rootfs, "HostConfig.ReadonlyRootfs"));
    spec.user = Some(setting(config.user.clone(), "Config.User"));
    spec.groups = strings(&raw_host["GroupAdd"])
        .map(|group| setting(group, "HostConfig.GroupAdd"))
        .collect();
    let modes = [
        (
            Namespace::Network,
            &host.network_mode,
            "HostConfig.NetworkMode",
        ),
        (Namespace::Pid, &host.pid_mode, "HostConfig.PidMode"),
        (Namespace::Ipc, &host.ipc_mode, "HostConfig.IpcMode"),
        (Namespace::Uts, &host.uts_mode, "HostConfig.UTSMode"),
        (Namespace::User, &host.userns_mode, "HostConfig.UsernsMode"),
        (
            Namespace::Cgroup,
            &host.cgroupns_mode,
            "HostConfig.CgroupnsMode",
        ),
    ];
    spec.host_namespaces = modes
        .into_iter()
        .filter(|(_, mode, _)| mode.as_str() == "host")
        .map(|(namespace, _, name)| setting(namespace, name))
        .collect();
    spec.devices = host
        .devices
        .iter()
        .map(|d| setting(d.path_on_host.clone(), "HostConfig.Devices"))
        .chain(strings(&raw_host["DeviceCgroupRules"]).map(|rule| {
            setting(
                format!("cgroup rule {rule}"),
                "HostConfig.DeviceCgroupRules",
            )
        }))
        .chain(device_requests(&raw_host["DeviceRequests"]))
        .collect();
    spec.mounts = container
        .mounts
        .iter()
        .map(|m| {
            setting(
                Mount {
                    // A volume's name says more than its path under the data root.
                    source: if m.r#type == "volume" && !m.name.is_empty() {
                        m.name.clone()
                    } else {
                        m.source.clone()
                    },
                    target: m.destination.clone(),
                    from_host: m.r#type == "bind",
                    read_only: !m.rw,
                    propagation: Some(m.propagation.clone()).filter(|p| !p.is_empty()),
                },
                "Mounts",
            )
        })
        .collect();
    if host.memory > 0 {
        spec.memory_limit = Some(setting(host.memory.to_string(), "HostConfig.Memory"));
    }
    spec.cpu_limit = cpu_limit(host);
    spec.pids_limit = host
        .pids_limit
        .map(|limit| setting(limit, "HostConfig.PidsLimit"));
    if raw_host["OomKillDisable"].as_bool() == Some(true) {
        spec.oom_kill_disable = Some(setting(true, "HostConfig.OomKillDisable"));
    }
    let policy = &host.restart_policy;
    spec.restart = Some(setting(
        RestartPolicy {
            name: if policy.name.is_empty() {
                "no".to_owned()
            } else {
                policy.name.clone()
            },
            max_retries: Some(policy.maximum_retry_count).filter(|n| *n > 0),
        },
        "HostConfig.RestartPolicy",
    ));
    spec.ulimits = host
        .ulimits
        .iter()
        .map(|u| setting(u.name.clone(), "HostConfig.Ulimits"))
        .collect();
    if !host.cgroup_parent.is_empty() {
        spec.cgroup_parent = Some(setting(
            host.cgroup_parent.clone(),
            "HostConfig.CgroupParent",
        ));
    }
    spec.ports = published_ports(container);
    spec.publish_all_ports = Some(setting(
        host.publish_all_ports,
        "HostConfig.PublishAllPorts",
    ));
    spec.healthcheck = config.healthcheck.as_ref().map(|check| {
        let disabled = check.test.first().map(String::as_str) == Some("NONE");
        setting(
            if disabled {
                Healthcheck::Disabled
            } else {
                Healthcheck::Defined
            },
            "Config.Healthcheck",
        )
    });
    spec.env = config
        .env
        .iter()
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| {
            setting(
                EnvVar {
                    name: name.to_owned(),
                    value: value.to_owned(),
                },
                "Config.Env",
            )
        })
        .collect();
    if !config.image.is_empty() {
        spec.image = Some(setting(config.image.clone(), "Config.Image"));
    }
    spec.sysctls = host
        .sysctls
        .iter()
        .map(|(name, value)| setting(format!("{name}={value}"), "HostConfig.Sysctls"))
        .collect();
    let command: Vec<String> = strings(&container.raw["Config"]["Entrypoint"])
        .chain(strings(&container.raw["Config"]["Cmd"]))
        .collect();
    if !command.is_empty() {
        spec.command = Some(setting(command.join(" "), "Config.Cmd"));
    }
    spec.processes = live.top.map(process_commands).unwrap_or_default();
    spec.exec_sessions = live
        .execs
        .iter()
        .map(|exec| ExecSession {
            id: exec.id.clone(),
            at: field("ExecIDs"),
            privileged: exec.process_config.privileged,
            user: exec.process_config.user.clone(),
            command: std::iter::once(exec.process_config.entrypoint.as_str())
                .chain(exec.process_config.arguments.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect();
    spec
}

/// The strings of a JSON array (or one string), nothing for `null`.
fn strings(value: &Value) -> impl Iterator<Item = String> + '_ {
    let items: Box<dyn Iterator<Item = &Value>> = match value {
        Value::Array(items) => Box::new(items.iter()),
        Value::String(_) => Box::new(std::iter::once(value)),
        _ => Box::new(std::iter::empty()),
    };
    items.filter_map(Value::as_str).map(str::to_owned)
}

/// `--gpus` and other device requests, worded like the declared ones.
fn device_requests(value: &Value) -> impl Iterator<Item = Setting<String>> + '_ {
    value.as_array().into_iter().flatten().map(|request| {
        let kind = request["Driver"].as_str().filter(|d| !d.is_empty());
        let ids: Vec<&str> = request["DeviceIDs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let count = if !ids.is_empty() {
            Some(DeviceCount::Ids(ids.join(",")))
        } else {
            match request["Count"].as_i64() {
                Some(-1) => Some(DeviceCount::All),
                Some(n) => Some(DeviceCount::Count(n)),
                None => None,
            }
        };
        setting(device_request(kind, count), "HostConfig.DeviceRequests")
    })
}

/// Any CPU control counts: a CPU count, a CFS quota, or relative shares other than the
/// default 1024.
fn cpu_limit(host: &crate::runtime::engine::HostConfig) -> Option<Setting<String>> {
    if host.nano_cpus > 0 {
        let cpus = host.nano_cpus as f64 / 1e9;
        return Some(setting(format!("{cpus} CPUs"), "HostConfig.NanoCpus"));
    }
    if host.cpu_quota > 0 {
        return Some(setting(
            format!("quota {}", host.cpu_quota),
            "HostConfig.CpuQuota",
        ));
    }
    if host.cpu_shares > 0 && host.cpu_shares != 1024 {
        return Some(setting(
            format!("{} shares", host.cpu_shares),
            "HostConfig.CpuShares",
        ));
    }
    None
}

/// Ports bound on the host: the requested bindings (`HostConfig.PortBindings`), which keep an
/// empty `HostIp` where the user gave none — the engine then binds all interfaces.
fn published_ports(container: &ContainerInspect) -> Vec<Setting<PublishedPort>> {
    let mut ports = Vec::new();
    for (container_port, bindings) in &container.host_config.port_bindings {
        for binding in bindings.iter().flatten() {
            ports.push(setting(
                PublishedPort {
                    host_ip: Some(binding.host_ip.clone()).filter(|ip| !ip.is_empty()),
                    host_port: binding.host_port.parse().ok().filter(|p| *p > 0),
                    container_port: container_port.clone(),
                },
                "HostConfig.PortBindings",
            ));
        }
    }
    ports
}

/// The command line of each process, from the `CMD`/`COMMAND` column of `ps`.
fn process_commands(top: &Top) -> Vec<String> {
    let column = top
        .titles
        .iter()
        .position(|t| t == "CMD" || t == "COMMAND")
        .unwrap_or(top.titles.len().saturating_sub(1));
    top.processes
        .iter()
        .filter_map(|row| row.get(column).cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn inspect(raw: Value) -> ContainerInspect {
        let mut typed: ContainerInspect = serde_json::from_value(raw.clone()).unwrap();
        typed.raw = raw;
        typed
    }

    /// The shape `docker inspect` gives for `docker run --privileged --cap-add SYS_ADMIN
    /// --security-opt seccomp=unconfined --pid host -p 80:80 -v /:/host …`.
    fn risky() -> Value {
        json!({
            "Id": "0123", "Name": "/risky",
            "AppArmorProfile": "unconfined",
            "ExecIDs": null,
            "Config": {"User": "", "Image": "busybox", "Env": ["PATH=/bin", "DB_PASSWORD=hunter2"],
                       "Labels": {}, "Cmd": ["/usr/sbin/sshd", "-D"], "Entrypoint": null},
            "HostConfig": {"Privileged": true, "CapAdd": ["cap_sys_admin"], "CapDrop": null,
                "SecurityOpt": ["seccomp=unconfined", "label=disable"], "ReadonlyRootfs": false,
                "NetworkMode": "default", "PidMode": "host", "IpcMode": "private", "UTSMode": "",
                "UsernsMode": "", "CgroupnsMode": "private", "Devices": [{"PathOnHost": "/dev/fuse",
                "PathInContainer": "/dev/fuse", "CgroupPermissions": "rwm"}],
                "DeviceRequests": [{"Driver": "nvidia", "Count": -1}],
                "Memory": 0, "NanoCpus": 0, "CpuQuota": 0, "CpuShares": 0, "PidsLimit": null,
                "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 0},
                "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "80"}]},
                "PublishAllPorts": false, "Ulimits": null, "CgroupParent": "", "Sysctls": null,
                "MaskedPaths": [], "ReadonlyPaths": [], "GroupAdd": ["0"], "OomKillDisable": true},
            "Mounts": [{"Type": "bind", "Source": "/", "Destination": "/host", "RW": true,
                        "Propagation": "rshared"}],
            "State": {"Running": false, "Status": "created"}
        })
    }

    #[test]
    fn a_risky_container_reads_as_it_runs() {
        let container = inspect(risky());
        let top = Top {
            titles: vec!["UID".into(), "PID".into(), "CMD".into()],
            processes: vec![vec!["root".into(), "1".into(), "/usr/sbin/sshd -D".into()]],
        };
        let spec = container_spec(
            LiveContainer {
                inspect: &container,
                top: Some(&top),
                execs: &[],
            },
            Platform::Docker,
        );
        assert_eq!(spec.subject.name, "risky");
        assert!(spec.is_privileged());
        assert_eq!(spec.cap_add[0].value, "SYS_ADMIN");
        assert_eq!(spec.cap_add[0].at, field("HostConfig.CapAdd"));
        assert_eq!(spec.seccomp.as_ref().unwrap().value, "unconfined");
        assert_eq!(spec.selinux.as_ref().unwrap().value, "disable");
        assert_eq!(spec.apparmor.as_ref().unwrap().value, "unconfined");
        assert!(spec.unmasked_proc.as_ref().unwrap().value);
        assert_eq!(spec.user.as_ref().unwrap().value, "");
        assert_eq!(spec.groups[0].value, "0");
        let namespaces: Vec<_> = spec.host_namespaces.iter().map(|n| n.value).collect();
        assert_eq!(namespaces, [Namespace::Pid]);
        let devices: Vec<_> = spec.devices.iter().map(|d| d.value.as_str()).collect();
        assert_eq!(devices, ["/dev/fuse", "all nvidia devices"]);
        let mount = &spec.mounts[0].value;
        assert!(mount.from_host && !mount.read_only);
        assert_eq!(mount.propagation.as_deref(), Some("rshared"));
        assert!(spec.memory_limit.is_none() && spec.cpu_limit.is_none());
        assert!(spec.pids_limit.is_none());
        assert!(spec.oom_kill_disable.as_ref().unwrap().value);
        let restart = &spec.restart.as_ref().unwrap().value;
        assert_eq!(
            (restart.name.as_str(), restart.max_retries),
            ("on-failure", None)
        );
        let port = &spec.ports[0].value;
        assert_eq!((port.host_ip.as_deref(), port.host_port), (None, Some(80)));
        assert!(spec.healthcheck.is_none());
        assert_eq!(spec.env[1].value.name, "DB_PASSWORD");
        assert_eq!(spec.command.as_ref().unwrap().value, "/usr/sbin/sshd -D");
        assert_eq!(spec.processes, ["/usr/sbin/sshd -D"]);
    }

    #[test]
    fn a_hardened_container_reads_as_limited() {
        let mut raw = risky();
        raw["AppArmorProfile"] = json!("docker-default");
        raw["Config"]["User"] = json!("10001");
        raw["Config"]["Healthcheck"] = json!({"Test": ["CMD", "true"]});
        let host = &mut raw["HostConfig"];
        host["Privileged"] = json!(false);
        host["CapAdd"] = json!(null);
        host["CapDrop"] = json!(["ALL"]);
        host["SecurityOpt"] = json!(["no-new-privileges"]);
        host["PidMode"] = json!("");
        host["Memory"] = json!(268435456);
        host["NanoCpus"] = json!(500000000);
        host["PidsLimit"] = json!(100);
        host["MaskedPaths"] = json!(["/proc/kcore"]);
        raw["Mounts"] = json!([]);
        let container = inspect(raw);
        let spec = container_spec(
            LiveContainer {
                inspect: &container,
                top: None,
                execs: &[],
            },
            Platform::Docker,
        );
        assert!(!spec.is_privileged() && spec.drops("NET_RAW"));
        assert!(spec.no_new_privileges.as_ref().unwrap().value);
        assert!(spec.seccomp.is_none() && spec.unmasked_proc.is_none());
        assert_eq!(spec.apparmor.as_ref().unwrap().value, "docker-default");
        assert!(spec.host_namespaces.is_empty());
        assert_eq!(spec.memory_limit.as_ref().unwrap().value, "268435456");
        assert_eq!(spec.cpu_limit.as_ref().unwrap().value, "0.5 CPUs");
        assert_eq!(spec.pids_limit.as_ref().unwrap().value, 100);
        assert_eq!(
            spec.healthcheck.as_ref().unwrap().value,
            Healthcheck::Defined
        );
    }

    #[test]
    fn compose_labels_name_the_project_service_and_files() {
        let mut raw = risky();
        raw["Config"]["Labels"] = json!({
            "com.docker.compose.project": "shop",
            "com.docker.compose.service": "web",
            "com.docker.compose.project.config_files": "/srv/shop/compose.yaml,/srv/shop/compose.prod.yaml",
            "com.docker.compose.project.working_dir": "/srv/shop"
        });
        let origin = compose_origin(&inspect(raw)).unwrap();
        assert_eq!(origin.project, "shop");
        assert_eq!(origin.service, "web");
        assert_eq!(origin.files.len(), 2);
        assert_eq!(origin.working_dir, Some(PathBuf::from("/srv/shop")));
        assert!(compose_origin(&inspect(risky())).is_none());
    }
}
