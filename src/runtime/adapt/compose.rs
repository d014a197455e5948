//! Compose services as container specs.
//!
//! The service is the merged one ([`crate::runtime::compose::load`]): override files,
//! `extends` and interpolation already applied, so each value keeps the file and position of
//! the text that set it. Settings point at the value that decides them (`network_mode: host`
//! at `host`, a port at its entry), booleans and mappings at their key. Compose targets a Docker
//! engine, so the platform is Docker.
//!
//! Where Compose has two spellings of one setting, the one `docker compose` applies wins:
//! `deploy.resources.limits` over `mem_limit`/`cpus`/`pids_limit` (when non-zero),
//! `deploy.restart_policy` over `restart`.

use crate::runtime::compose::syntax::{is_host_path, parse_port, parse_volume, port_range};
use crate::runtime::compose::{ComposeProject, Key, Service, Value, ValueKind};
use crate::runtime::spec::{
    apply_security_option, capability, ContainerSpec, EnvVar, Evidence, ExecSession, Healthcheck,
    Mount, Namespace, Platform, PublishedPort, RestartPolicy, Setting, Subject, SubjectKind,
};

use super::{device_request, DeviceCount};
use crate::runtime::spec::positive_amount;

/// The specs of every active service of `project`, in declaration order.
pub fn project_specs(project: &ComposeProject) -> Vec<ContainerSpec> {
    project.services.iter().map(service_spec).collect()
}

/// The spec of one merged service.
pub fn service_spec(service: &Service) -> ContainerSpec {
    let mut spec = ContainerSpec::new(
        Subject {
            kind: SubjectKind::ComposeService,
            name: service.name.clone(),
            declared_at: Evidence::File(service.declared_at.clone()),
        },
        Platform::Docker,
    );
    let config = &service.config;
    spec.privileged = flag(config, "privileged");
    spec.cap_add = capabilities(config, "cap_add");
    spec.cap_drop = capabilities(config, "cap_drop");
    security_options(&mut spec, config);
    spec.read_only_rootfs = flag(config, "read_only");
    spec.user = text(config, "user");
    spec.groups = texts(config, "group_add");
    spec.host_namespaces = host_namespaces(config);
    spec.devices = devices(config);
    spec.mounts = mounts(config);
    spec.api_socket = flag(config, "use_api_socket");
    let limits = config.path(&["deploy", "resources", "limits"]);
    spec.memory_limit = limits
        .and_then(|limits| amount(limits, "memory", |v| v.to_owned()))
        .or_else(|| amount(config, "mem_limit", |v| v.to_owned()));
    spec.cpu_limit = cpu_limit(config, limits);
    spec.pids_limit = pids_limit(config, limits);
    spec.oom_kill_disable = flag(config, "oom_kill_disable");
    spec.restart = restart(config);
    spec.ulimits = config
        .get("ulimits")
        .and_then(|(_, ulimits)| ulimits.entries())
        .into_iter()
        .flatten()
        .map(|(key, _)| Setting::new(key.name.clone(), key.at.clone()))
        .collect();
    spec.cgroup_parent = text(config, "cgroup_parent").filter(|s| !s.value.is_empty());
    spec.ports = ports(config);
    spec.healthcheck = healthcheck(config);
    spec.env = environment(config);
    spec.image = text(config, "image");
    spec.sysctls = sysctls(config);
    spec.command = command(config);
    spec.exec_sessions = hooks(config);
    spec
}

fn at(value: &Value) -> Evidence {
    Evidence::File(value.at.clone())
}

fn key_at(key: &Key) -> Evidence {
    Evidence::File(key.at.clone())
}

/// Where a list item starts: a mapping at its first key (the parser marks a block mapping
/// where its first value begins), anything else where it is.
fn start(item: &Value) -> Evidence {
    match item.entries().and_then(<[_]>::first) {
        Some((key, _)) => key_at(key),
        None => at(item),
    }
}

/// A list value's items; a lone scalar is a one-item list (`cap_add: SYS_ADMIN`).
fn list(value: &Value) -> &[Value] {
    match &value.kind {
        ValueKind::Seq(items) => items,
        ValueKind::Scalar(_) => std::slice::from_ref(value),
        _ => &[],
    }
}

/// The items of list `key`.
fn items<'v>(config: &'v Value, key: &str) -> &'v [Value] {
    config.get(key).map_or(&[], |(_, value)| list(value))
}

/// A boolean key, located at the key.
fn flag(config: &Value, key: &str) -> Option<Setting<bool>> {
    let (key, value) = config.get(key)?;
    Some(Setting::new(value.as_bool()?, key_at(key)))
}

/// A text value, located at the value.
fn text(config: &Value, key: &str) -> Option<Setting<String>> {
    let (_, value) = config.get(key)?;
    Some(Setting::new(value.as_str()?.to_owned(), at(value)))
}

/// The text items of list `key`, each at its item.
fn texts(config: &Value, key: &str) -> Vec<Setting<String>> {
    items(config, key)
        .iter()
        .filter_map(|item| Some(Setting::new(item.as_str()?.to_owned(), at(item))))
        .collect()
}

fn capabilities(config: &Value, key: &str) -> Vec<Setting<String>> {
    items(config, key)
        .iter()
        .filter_map(|item| Some(Setting::new(capability(item.as_str()?), at(item))))
        .collect()
}

/// `security_opt`, read by the parser live containers use too. moby collects every `label`
/// option (`label=type:…`, `label=level:…`) before applying them, so several are joined with
/// commas, and a `disable` among them wins.
fn security_options(spec: &mut ContainerSpec, config: &Value) {
    let mut labels: Vec<Setting<String>> = Vec::new();
    for item in items(config, "security_opt") {
        let Some(option) = item.as_str() else {
            continue;
        };
        apply_security_option(spec, option, at(item));
        labels.extend(spec.selinux.take());
    }
    spec.selinux = match labels.iter().position(|label| label.value == "disable") {
        Some(disable) => Some(labels.swap_remove(disable)),
        None if labels.len() > 1 => {
            let joined = labels
                .iter()
                .map(|label| label.value.as_str())
                .collect::<Vec<_>>()
                .join(",");
            Some(Setting::new(joined, labels.swap_remove(0).at))
        }
        None => labels.pop(),
    };
}

/// `network_mode`, `pid`, `ipc`, `uts`, `userns_mode` and `cgroup` set to `host`, each at
/// its value.
fn host_namespaces(config: &Value) -> Vec<Setting<Namespace>> {
    [
        ("network_mode", Namespace::Network),
        ("pid", Namespace::Pid),
        ("ipc", Namespace::Ipc),
        ("uts", Namespace::Uts),
        ("userns_mode", Namespace::User),
        ("cgroup", Namespace::Cgroup),
    ]
    .into_iter()
    .filter_map(|(key, namespace)| {
        let (_, value) = config.get(key)?;
        (value.as_str()? == "host").then(|| Setting::new(namespace, at(value)))
    })
    .collect()
}

/// Host devices (`devices`, short `SRC[:DST[:PERMS]]` or long syntax), cgroup rules, GPUs
/// (`gpus`) and `deploy.resources.reservations.devices` requests.
fn devices(config: &Value) -> Vec<Setting<String>> {
    let mut found = Vec::new();
    for item in items(config, "devices") {
        // Long syntax: at the `source` value.
        let (source, place) = match item.get("source") {
            Some((_, source)) => (source.as_str(), source),
            None => (
                item.as_str()
                    .and_then(|text| text.split(':').next())
                    .filter(|source| !source.is_empty()),
                item,
            ),
        };
        if let Some(source) = source {
            found.push(Setting::new(source.to_owned(), at(place)));
        }
    }
    for rule in items(config, "device_cgroup_rules") {
        if let Some(text) = rule.as_str() {
            found.push(Setting::new(format!("cgroup rule {text}"), at(rule)));
        }
    }
    if let Some((_, gpus)) = config.get("gpus") {
        match gpus.as_str() {
            Some(all) if all.eq_ignore_ascii_case("all") => found.push(Setting::new(
                device_request(Some("GPU"), Some(DeviceCount::All)),
                at(gpus),
            )),
            Some(count) => found.push(Setting::new(
                device_request(Some("GPU"), count.parse().ok().map(DeviceCount::Count)),
                at(gpus),
            )),
            None => found.extend(list(gpus).iter().map(|request| requested(request, "GPU"))),
        }
    }
    let reserved = config
        .path(&["deploy", "resources", "reservations", "devices"])
        .map_or(&[][..], list);
    found.extend(reserved.iter().map(|request| requested(request, "")));
    found
}

/// One device request (`{driver, count, device_ids, capabilities}`), named by its driver, or
/// by `default_kind` / a `gpu` capability when it names none.
fn requested(request: &Value, default_kind: &str) -> Setting<String> {
    let field = |key: &str| request.get(key).map(|(_, v)| v);
    let gpu = field("capabilities")
        .map_or(&[][..], list)
        .iter()
        .flat_map(list)
        .any(|c| c.as_str() == Some("gpu"));
    let kind = field("driver")
        .and_then(Value::as_str)
        .or(gpu.then_some("GPU"))
        .or(Some(default_kind).filter(|k| !k.is_empty()));
    let ids: Vec<&str> = field("device_ids")
        .map_or(&[][..], list)
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let count = match field("count").and_then(Value::as_str) {
        Some(all) if all.eq_ignore_ascii_case("all") => Some(DeviceCount::All),
        Some(n) => n.trim().parse().ok().map(DeviceCount::Count),
        None if !ids.is_empty() => Some(DeviceCount::Ids(ids.join(","))),
        None => None,
    };
    Setting::new(device_request(kind, count), start(request))
}

/// `volumes` in short (`SRC:DST[:MODE]`) and long syntax. A bind mount is located at its
/// source, where the host path is written.
fn mounts(config: &Value) -> Vec<Setting<Mount>> {
    items(config, "volumes")
        .iter()
        .filter_map(|item| match &item.kind {
            ValueKind::Scalar(text) => {
                let volume = parse_volume(text)?;
                let mount = Mount {
                    source: volume.source.unwrap_or_default().to_owned(),
                    target: volume.target.to_owned(),
                    from_host: volume.is_bind(),
                    read_only: volume.read_only,
                    propagation: volume.propagation.map(str::to_owned),
                };
                Some(Setting::new(mount, at(item)))
            }
            ValueKind::Map(_) => {
                let field = |key: &str| item.get(key).map(|(_, v)| v);
                let source = field("source");
                let source_text = source.and_then(Value::as_str).unwrap_or_default();
                let kind =
                    field("type")
                        .and_then(Value::as_str)
                        .unwrap_or(if is_host_path(source_text) {
                            "bind"
                        } else {
                            "volume"
                        });
                let mount = Mount {
                    source: source_text.to_owned(),
                    target: field("target")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    from_host: matches!(kind, "bind" | "npipe"),
                    read_only: field("read_only").and_then(Value::as_bool).unwrap_or(false),
                    propagation: item
                        .path(&["bind", "propagation"])
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                };
                let place = source
                    .filter(|s| s.as_str().is_some())
                    .map_or_else(|| start(item), at);
                Some(Setting::new(mount, place))
            }
            _ => None,
        })
        .collect()
}

/// A non-zero amount at `key` of `mapping`, rendered by `render`.
fn amount(mapping: &Value, key: &str, render: impl Fn(&str) -> String) -> Option<Setting<String>> {
    let (_, value) = mapping.get(key)?;
    let text = value.as_str()?;
    positive_amount(text).then(|| Setting::new(render(text.trim()), at(value)))
}

/// The first CPU control that limits: `deploy.resources.limits.cpus`, `cpus`, `cpu_quota`,
/// then `cpu_shares` other than the default 1024 (`cpu_period` alone limits nothing).
fn cpu_limit(config: &Value, limits: Option<&Value>) -> Option<Setting<String>> {
    let cpus = |n: &str| format!("{n} CPUs");
    limits
        .and_then(|limits| amount(limits, "cpus", cpus))
        .or_else(|| amount(config, "cpus", cpus))
        .or_else(|| amount(config, "cpu_quota", |n| format!("quota {n}")))
        .or_else(|| {
            amount(config, "cpu_shares", |n| format!("{n} shares"))
                .filter(|s| s.value != "1024 shares")
        })
}

/// `deploy.resources.limits.pids` when positive (Compose applies it over `pids_limit`),
/// else `pids_limit` as written (`-1` and `0` mean unlimited), else the deploy value.
fn pids_limit(config: &Value, limits: Option<&Value>) -> Option<Setting<i64>> {
    let read = |mapping: &Value, key: &str| {
        let (_, value) = mapping.get(key)?;
        Some(Setting::new(value.as_i64()?, at(value)))
    };
    let deploy = limits.and_then(|limits| read(limits, "pids"));
    match deploy {
        Some(pids) if pids.value > 0 => Some(pids),
        deploy => read(config, "pids_limit").or(deploy),
    }
}

/// `deploy.restart_policy` (condition `none`/`on-failure`/`any`, `any` by default) wins over
/// `restart` (`no`, `always`, `unless-stopped`, `on-failure[:N]`), as in `docker compose`.
/// Names are the engine's: `none` reads `no`, `any` reads `always`.
fn restart(config: &Value) -> Option<Setting<RestartPolicy>> {
    let engine_name = |name: &str| match name {
        "none" | "no" => "no".to_owned(),
        "any" | "always" => "always".to_owned(),
        other => other.to_owned(),
    };
    if let Some((key, policy)) = config
        .get("deploy")
        .and_then(|(_, deploy)| deploy.get("restart_policy"))
        .filter(|(_, policy)| policy.entries().is_some())
    {
        let condition = policy.get("condition").map(|(_, v)| v);
        let name = condition.and_then(Value::as_str).unwrap_or("any");
        let max_retries = policy
            .get("max_attempts")
            .and_then(|(_, v)| v.as_i64())
            .filter(|n| *n > 0);
        let place = condition.map_or_else(|| key_at(key), at);
        return Some(Setting::new(
            RestartPolicy {
                name: engine_name(name),
                max_retries,
            },
            place,
        ));
    }
    let (_, value) = config.get("restart")?;
    let text = value.as_str()?.trim();
    let (name, count) = match text.split_once(':') {
        Some((name, count)) => (name, count.trim().parse::<i64>().ok()),
        None => (text, None),
    };
    let name = engine_name(name);
    let max_retries = count.filter(|n| *n > 0 && name == "on-failure");
    Some(Setting::new(RestartPolicy { name, max_retries }, at(value)))
}

/// `ports` in short and long syntax. An entry with a host port range is one published port
/// at the range's lowest port (the one the port checks care about); a bare container port is
/// published on an ephemeral port of every interface (`host_port` and `host_ip` `None`).
fn ports(config: &Value) -> Vec<Setting<PublishedPort>> {
    items(config, "ports")
        .iter()
        .filter_map(|item| match &item.kind {
            ValueKind::Scalar(text) => {
                let port = parse_port(text.trim())?;
                let published = PublishedPort {
                    host_ip: port.host_ip.map(str::to_owned),
                    host_port: port.host_ports.map(|(start, _)| start),
                    container_port: format!("{}/{}", port.container, port.protocol),
                };
                Some(Setting::new(published, at(item)))
            }
            ValueKind::Map(_) => {
                let field = |key: &str| item.get(key).map(|(_, v)| v);
                let published = field("published");
                let host_port = published
                    .and_then(Value::as_str)
                    .and_then(port_range)
                    .map(|(start, _)| start)
                    .filter(|port| *port > 0);
                let protocol = field("protocol")
                    .and_then(Value::as_str)
                    .unwrap_or("tcp")
                    .to_ascii_lowercase();
                let port = PublishedPort {
                    host_ip: field("host_ip")
                        .and_then(Value::as_str)
                        .filter(|ip| !ip.is_empty())
                        .map(str::to_owned),
                    host_port,
                    container_port: format!(
                        "{}/{protocol}",
                        field("target").and_then(Value::as_str).unwrap_or_default()
                    ),
                };
                let place = published
                    .filter(|_| host_port.is_some())
                    .map_or_else(|| start(item), at);
                Some(Setting::new(port, place))
            }
            _ => None,
        })
        .collect()
}

/// `healthcheck`: disabled by `disable: true` or a `NONE` test, defined otherwise.
fn healthcheck(config: &Value) -> Option<Setting<Healthcheck>> {
    let (key, check) = config.get("healthcheck")?;
    if check.is_null() {
        return None;
    }
    if let Some((disable, _)) = check
        .get("disable")
        .filter(|(_, value)| value.as_bool() == Some(true))
    {
        return Some(Setting::new(Healthcheck::Disabled, key_at(disable)));
    }
    if let Some((_, test)) = check.get("test") {
        if list(test).first().and_then(Value::as_str) == Some("NONE") {
            return Some(Setting::new(Healthcheck::Disabled, at(test)));
        }
    }
    Some(Setting::new(Healthcheck::Defined, key_at(key)))
}

/// Variables with a literal value, at their name. `KEY` alone (or `KEY:` with no value) takes
/// the value from the environment Compose runs in, so it is not a literal.
fn environment(config: &Value) -> Vec<Setting<EnvVar>> {
    let Some((_, environment)) = config.get("environment") else {
        return Vec::new();
    };
    let var = |name: &str, value: &str, place: Evidence| {
        let var = EnvVar {
            name: name.to_owned(),
            value: value.to_owned(),
        };
        Setting::new(var, place)
    };
    match &environment.kind {
        ValueKind::Map(entries) => entries
            .iter()
            .filter_map(|(key, value)| Some(var(&key.name, value.as_str()?, key_at(key))))
            .collect(),
        _ => list(environment)
            .iter()
            .filter_map(|item| {
                let (name, value) = item.as_str()?.split_once('=')?;
                Some(var(name, value, at(item)))
            })
            .collect(),
    }
}

/// `sysctls` as `name=value`, each at its name.
fn sysctls(config: &Value) -> Vec<Setting<String>> {
    let Some((_, sysctls)) = config.get("sysctls") else {
        return Vec::new();
    };
    match &sysctls.kind {
        ValueKind::Map(entries) => entries
            .iter()
            .map(|(key, value)| {
                let text = match value.as_str() {
                    Some(value) => format!("{}={value}", key.name),
                    None => key.name.clone(),
                };
                Setting::new(text, key_at(key))
            })
            .collect(),
        _ => texts(config, "sysctls"),
    }
}

/// A command as one line: a string as written, a list joined with spaces.
fn command_line(value: &Value) -> Option<String> {
    let words: Vec<&str> = list(value).iter().filter_map(Value::as_str).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// `entrypoint` then `command`, joined, at the command (what the service runs is usually
/// there), else at the entrypoint.
fn command(config: &Value) -> Option<Setting<String>> {
    let entrypoint = config.get("entrypoint").map(|(_, v)| v);
    let command = config.get("command").map(|(_, v)| v);
    let line: Vec<String> = [entrypoint, command]
        .into_iter()
        .flatten()
        .filter_map(command_line)
        .collect();
    let place = command
        .filter(|c| command_line(c).is_some())
        .or(entrypoint)?;
    (!line.is_empty()).then(|| Setting::new(line.join(" "), at(place)))
}

/// `post_start` and `pre_stop` hooks: commands Compose runs in the container like
/// `docker exec`, with their own `privileged` and `user` (empty: the container's user).
fn hooks(config: &Value) -> Vec<ExecSession> {
    ["post_start", "pre_stop"]
        .into_iter()
        .flat_map(|hook| {
            items(config, hook)
                .iter()
                .enumerate()
                .filter(|(_, item)| item.entries().is_some())
                .map(move |(i, item)| {
                    let field = |key: &str| item.get(key).map(|(_, v)| v);
                    ExecSession {
                        id: format!("{hook}[{i}]"),
                        at: Evidence::File(item.at.clone()),
                        privileged: field("privileged").and_then(Value::as_bool) == Some(true),
                        user: field("user")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        command: field("command").and_then(command_line).unwrap_or_default(),
                    }
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::adapt::testing::{all, one, pos};
    use crate::runtime::compose::{load, LoadOptions};

    /// Loads the files (name, text) of a project, the first ones as `-f` files in order.
    fn project(
        files: &[(&str, &str)],
        compose_files: &[&str],
    ) -> (tempfile::TempDir, ComposeProject) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let options = LoadOptions {
            files: compose_files.iter().map(|f| dir.path().join(f)).collect(),
            ..LoadOptions::default()
        };
        let loaded = load(&options).unwrap();
        (dir, loaded)
    }

    /// The spec of the only service of a one-file project.
    fn spec(text: &str) -> ContainerSpec {
        let (_dir, loaded) = project(&[("compose.yml", text)], &["compose.yml"]);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let specs = project_specs(&loaded);
        assert_eq!(specs.len(), 1);
        specs.into_iter().next().unwrap()
    }

    /// line:column of the evidence.
    fn file(at: &Evidence) -> String {
        match at {
            Evidence::File(located) => located.file.file_name().unwrap().to_string_lossy().into(),
            Evidence::Field(field) => panic!("not a file: {field}"),
        }
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn subject_privilege_and_capabilities() {
        let spec = spec(
            "services:\n  web:\n    image: nginx:1.25\n    privileged: true\n    cap_add: [SYS_ADMIN, cap_net_raw]\n    cap_drop:\n      - all\n    read_only: yes\n    user: \"1000:0\"\n    group_add: [wheel, 0]\n    use_api_socket: true\n",
        );
        assert_eq!(spec.subject.to_string(), "service `web`");
        assert_eq!(spec.subject.kind, SubjectKind::ComposeService);
        assert_eq!(spec.platform, Platform::Docker);
        assert_eq!(pos(spec.declared_at()), (2, 3));
        assert_eq!(file(spec.declared_at()), "compose.yml");
        assert_eq!(one(&spec.image), ("nginx:1.25".into(), 3, 12));
        assert_eq!(
            one(&spec.privileged),
            (true, 4, 5),
            "booleans point at their key"
        );
        assert_eq!(
            all(&spec.cap_add),
            [("SYS_ADMIN".into(), 5, 15), ("NET_RAW".into(), 5, 26)]
        );
        assert_eq!(all(&spec.cap_drop), [("ALL".into(), 7, 9)]);
        assert_eq!(one(&spec.read_only_rootfs), (true, 8, 5));
        assert_eq!(one(&spec.user), ("1000:0".into(), 9, 11));
        assert_eq!(
            all(&spec.groups),
            [("wheel".into(), 10, 17), ("0".into(), 10, 24)]
        );
        assert_eq!(one(&spec.api_socket), (true, 11, 5));
        assert!(spec.pod.is_none() && spec.healthcheck.is_none() && spec.restart.is_none());
    }

    #[test]
    fn security_options_follow_moby() {
        let spec = spec(
            "services:\n  app:\n    security_opt:\n      - no-new-privileges:true\n      - seccomp=unconfined\n      - apparmor:unconfined\n      - label=type:spc_t\n      - label:level:s0:c100,c200\n      - systempaths=unconfined\n",
        );
        assert_eq!(one(&spec.no_new_privileges), (true, 4, 9));
        assert_eq!(one(&spec.seccomp), ("unconfined".into(), 5, 9));
        assert_eq!(one(&spec.apparmor), ("unconfined".into(), 6, 9));
        assert_eq!(
            one(&spec.selinux),
            ("type:spc_t,level:s0:c100,c200".into(), 7, 9),
            "label options are collected, at the first"
        );
        assert_eq!(one(&spec.unmasked_proc), (true, 9, 9));

        let spec = self::spec(
            "services:\n  app:\n    security_opt: [no-new-privileges, 'label=type:x', label=disable, seccomp=./strict.json]\n",
        );
        assert_eq!(one(&spec.no_new_privileges), (true, 3, 20));
        assert_eq!(
            one(&spec.selinux),
            ("disable".into(), 3, 55),
            "disable wins"
        );
        assert_eq!(one(&spec.seccomp), ("./strict.json".into(), 3, 70));
        let spec = self::spec("services:\n  app:\n    security_opt: ['no-new-privileges=false']\n");
        assert_eq!(one(&spec.no_new_privileges), (false, 3, 20));
    }

    #[test]
    fn host_namespaces_point_at_the_value() {
        let spec = spec(
            "services:\n  app:\n    network_mode: host\n    pid: host\n    ipc: host\n    uts: host\n    userns_mode: host\n    cgroup: host\n",
        );
        assert_eq!(
            all(&spec.host_namespaces),
            [
                (Namespace::Network, 3, 19),
                (Namespace::Pid, 4, 10),
                (Namespace::Ipc, 5, 10),
                (Namespace::Uts, 6, 10),
                (Namespace::User, 7, 18),
                (Namespace::Cgroup, 8, 13),
            ]
        );
        let spec = self::spec(
            "services:\n  app:\n    network_mode: \"service:db\"\n    ipc: shareable\n    cgroup: private\n",
        );
        assert!(spec.host_namespaces.is_empty());
    }

    #[test]
    fn devices_rules_and_gpu_requests() {
        let spec = spec(
            "services:\n  app:\n    devices:\n      - /dev/fuse:/dev/fuse:rwm\n      - source: /dev/sda\n        target: /dev/xvda\n    device_cgroup_rules: ['c 1:3 mr']\n    gpus: all\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n              count: 2\n              capabilities: [gpu]\n            - capabilities: [gpu]\n              device_ids: ['0', '3']\n",
        );
        assert_eq!(
            all(&spec.devices),
            [
                ("/dev/fuse".into(), 4, 9),
                ("/dev/sda".into(), 5, 17),
                ("cgroup rule c 1:3 mr".into(), 7, 27),
                ("all GPU devices".into(), 8, 11),
                ("2 nvidia device(s)".into(), 13, 15),
                ("GPU devices 0,3".into(), 16, 15),
            ]
        );
        let spec = self::spec(
            "services:\n  app:\n    gpus:\n      - driver: nvidia\n        count: all\n",
        );
        assert_eq!(all(&spec.devices), [("all nvidia devices".into(), 4, 9)]);
    }

    fn mount(
        source: &str,
        target: &str,
        from_host: bool,
        ro: bool,
        propagation: Option<&str>,
    ) -> Mount {
        Mount {
            source: source.into(),
            target: target.into(),
            from_host,
            read_only: ro,
            propagation: propagation.map(str::to_owned),
        }
    }

    #[test]
    fn volumes_in_short_and_long_syntax() {
        let spec = spec(
            "services:\n  app:\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n      - ./data:/data:ro,rshared\n      - cache:/cache\n      - /anon\n      - 'C:\\logs:/logs:rw'\n      - type: bind\n        source: /etc\n        target: /host/etc\n        read_only: true\n        bind:\n          propagation: shared\n      - type: tmpfs\n        target: /tmp\n      - {source: /srv, target: /srv}\n",
        );
        assert_eq!(
            all(&spec.mounts),
            [
                (
                    mount(
                        "/var/run/docker.sock",
                        "/var/run/docker.sock",
                        true,
                        false,
                        None
                    ),
                    4,
                    9
                ),
                (mount("./data", "/data", true, true, Some("rshared")), 5, 9),
                (mount("cache", "/cache", false, false, None), 6, 9),
                (mount("", "/anon", false, false, None), 7, 9),
                (mount("C:\\logs", "/logs", true, false, None), 8, 9),
                (
                    mount("/etc", "/host/etc", true, true, Some("shared")),
                    10,
                    17
                ),
                (mount("", "/tmp", false, false, None), 15, 9),
                (mount("/srv", "/srv", true, false, None), 17, 18),
            ]
        );
    }

    #[test]
    fn resources_prefer_deploy_limits_when_set() {
        let spec = spec(
            "services:\n  app:\n    mem_limit: 512m\n    cpus: \"0.5\"\n    cpu_shares: 512\n    pids_limit: -1\n    oom_kill_disable: true\n    cgroup_parent: /custom\n    ulimits:\n      nproc: 65535\n      nofile: {soft: 20000, hard: 40000}\n",
        );
        assert_eq!(one(&spec.memory_limit), ("512m".into(), 3, 16));
        assert_eq!(one(&spec.cpu_limit), ("0.5 CPUs".into(), 4, 11));
        assert_eq!(one(&spec.pids_limit), (-1, 6, 17));
        assert_eq!(one(&spec.oom_kill_disable), (true, 7, 5));
        assert_eq!(one(&spec.cgroup_parent), ("/custom".into(), 8, 20));
        assert_eq!(
            all(&spec.ulimits),
            [("nproc".into(), 10, 7), ("nofile".into(), 11, 7)]
        );

        let spec = self::spec(
            "services:\n  app:\n    mem_limit: 0\n    cpus: 0\n    cpu_quota: 50000\n    pids_limit: 50\n    deploy:\n      resources:\n        limits:\n          memory: 1g\n          cpus: '0'\n          pids: 0\n",
        );
        assert_eq!(one(&spec.memory_limit), ("1g".into(), 10, 19));
        assert_eq!(one(&spec.cpu_limit), ("quota 50000".into(), 5, 16));
        assert_eq!(
            one(&spec.pids_limit),
            (50, 6, 17),
            "a zero deploy limit does not apply"
        );

        let spec = self::spec(
            "services:\n  app:\n    cpu_shares: 1024\n    cpu_period: 100000\n    pids_limit: 10\n    deploy: {resources: {limits: {cpus: '1.5', pids: 20}}}\n",
        );
        assert_eq!(one(&spec.cpu_limit), ("1.5 CPUs".into(), 6, 41));
        assert_eq!(one(&spec.pids_limit), (20, 6, 54));
        let spec = self::spec("services:\n  app:\n    cpu_shares: 1024\n    mem_limit: '0'\n");
        assert!(spec.cpu_limit.is_none(), "the default share is no limit");
        assert!(spec.memory_limit.is_none() && spec.pids_limit.is_none());
    }

    fn policy(name: &str, max: Option<i64>) -> RestartPolicy {
        RestartPolicy {
            name: name.into(),
            max_retries: max,
        }
    }

    #[test]
    fn restart_policies() {
        let cases = [
            ("restart: always", policy("always", None)),
            ("restart: \"no\"", policy("no", None)),
            ("restart: unless-stopped", policy("unless-stopped", None)),
            ("restart: on-failure", policy("on-failure", None)),
            ("restart: on-failure:3", policy("on-failure", Some(3))),
            ("restart: on-failure:0", policy("on-failure", None)),
        ];
        for (line, expected) in cases {
            let spec = spec(&format!("services:\n  app:\n    {line}\n"));
            assert_eq!(one(&spec.restart), (expected, 3, 14), "{line}");
        }
        let spec = self::spec(
            "services:\n  app:\n    restart: always\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 10\n",
        );
        assert_eq!(one(&spec.restart), (policy("on-failure", Some(10)), 6, 20));
        let spec = self::spec(
            "services:\n  app:\n    deploy:\n      restart_policy:\n        max_attempts: 3\n",
        );
        assert_eq!(
            one(&spec.restart),
            (policy("always", Some(3)), 4, 7),
            "the condition defaults to any"
        );
        let spec =
            self::spec("services:\n  app:\n    deploy: {restart_policy: {condition: none}}\n");
        assert_eq!(one(&spec.restart).0, policy("no", None));
    }

    fn port(ip: Option<&str>, host: Option<u32>, container: &str) -> PublishedPort {
        PublishedPort {
            host_ip: ip.map(str::to_owned),
            host_port: host,
            container_port: container.into(),
        }
    }

    #[test]
    fn ports_in_short_and_long_syntax() {
        let spec = spec(
            "services:\n  app:\n    ports:\n      - \"80:80\"\n      - 127.0.0.1:8080:8080/udp\n      - \"[::1]:9000-9010:9000-9010\"\n      - \"3000\"\n      - 0.0.0.0::53\n      - target: 443\n        published: \"8443\"\n        host_ip: 0.0.0.0\n      - target: 22\n        protocol: TCP\n      - not a port\n    expose: [\"9999\"]\n",
        );
        assert_eq!(
            all(&spec.ports),
            [
                (port(None, Some(80), "80/tcp"), 4, 9),
                (port(Some("127.0.0.1"), Some(8080), "8080/udp"), 5, 9),
                (port(Some("::1"), Some(9000), "9000-9010/tcp"), 6, 9),
                (port(None, None, "3000/tcp"), 7, 9),
                (port(Some("0.0.0.0"), None, "53/tcp"), 8, 9),
                (port(Some("0.0.0.0"), Some(8443), "443/tcp"), 10, 20),
                (port(None, None, "22/tcp"), 12, 9),
            ]
        );
    }

    #[test]
    fn healthchecks() {
        let cases = [
            (
                "healthcheck:\n      test: [\"CMD\", \"true\"]",
                Healthcheck::Defined,
                (3, 5),
            ),
            (
                "healthcheck:\n      interval: 10s",
                Healthcheck::Defined,
                (3, 5),
            ),
            (
                "healthcheck:\n      disable: true",
                Healthcheck::Disabled,
                (4, 7),
            ),
            (
                "healthcheck:\n      test: [\"NONE\"]",
                Healthcheck::Disabled,
                (4, 13),
            ),
            (
                "healthcheck:\n      test: NONE",
                Healthcheck::Disabled,
                (4, 13),
            ),
        ];
        for (text, expected, (line, column)) in cases {
            let spec = spec(&format!("services:\n  app:\n    {text}\n"));
            assert_eq!(one(&spec.healthcheck), (expected, line, column), "{text}");
        }
        assert!(spec("services:\n  app:\n    image: a\n")
            .healthcheck
            .is_none());
    }

    fn var(name: &str, value: &str) -> EnvVar {
        EnvVar {
            name: name.into(),
            value: value.into(),
        }
    }

    #[test]
    fn environment_literals_and_sysctls() {
        let spec = spec(
            "services:\n  app:\n    environment:\n      API_TOKEN: s3cret\n      FROM_HOST:\n      EMPTY: \"\"\n    sysctls:\n      net.core.somaxconn: 1024\n",
        );
        assert_eq!(
            all(&spec.env),
            [(var("API_TOKEN", "s3cret"), 4, 7), (var("EMPTY", ""), 6, 7)]
        );
        assert_eq!(
            all(&spec.sysctls),
            [("net.core.somaxconn=1024".into(), 8, 7)]
        );
        let spec = self::spec(
            "services:\n  app:\n    environment:\n      - PASSWORD=hunter2\n      - HOME_VALUE\n    sysctls: [net.ipv4.ip_forward=1]\n",
        );
        assert_eq!(all(&spec.env), [(var("PASSWORD", "hunter2"), 4, 9)]);
        assert_eq!(
            all(&spec.sysctls),
            [("net.ipv4.ip_forward=1".into(), 6, 15)]
        );
    }

    #[test]
    fn command_entrypoint_and_hooks() {
        let spec = spec(
            "services:\n  app:\n    entrypoint: [\"/bin/sh\", \"-c\"]\n    command: \"/usr/sbin/sshd -D\"\n    post_start:\n      - command: [\"chown\", \"-R\", \"app\", \"/data\"]\n        user: root\n        privileged: true\n    pre_stop:\n      - command: ./drain.sh\n",
        );
        assert_eq!(
            one(&spec.command),
            ("/bin/sh -c /usr/sbin/sshd -D".into(), 4, 14)
        );
        let sessions: Vec<_> = spec
            .exec_sessions
            .iter()
            .map(|s| {
                let line = match &s.at {
                    Evidence::File(located) => located.line(),
                    Evidence::Field(_) => None,
                };
                (
                    s.id.as_str(),
                    s.privileged,
                    s.user.as_str(),
                    s.command.as_str(),
                    line,
                )
            })
            .collect();
        assert_eq!(
            sessions,
            [
                ("post_start[0]", true, "root", "chown -R app /data", Some(6)),
                ("pre_stop[0]", false, "", "./drain.sh", Some(10)),
            ]
        );
        let spec = self::spec("services:\n  app:\n    entrypoint: sshd\n");
        assert_eq!(one(&spec.command), ("sshd".into(), 3, 17));
    }

    #[test]
    fn merged_files_extends_and_interpolation_keep_each_values_file() {
        let (_dir, loaded) = project(
            &[
                (
                    "base.yml",
                    "services:\n  hardened:\n    read_only: true\n    cap_drop: [ALL]\n    security_opt: [no-new-privileges]\n",
                ),
                (
                    "compose.yml",
                    "services:\n  web:\n    extends: {file: base.yml, service: hardened}\n    image: \"web:${TAG:-1}\"\n    ports: [\"${PORT}:80\"]\n  db:\n    image: postgres\n",
                ),
                (
                    "override.yml",
                    "services:\n  web:\n    cap_add: [NET_ADMIN]\n    privileged: ${PRIV}\n",
                ),
                (".env", "PORT=443\nPRIV=true\n"),
            ],
            &["compose.yml", "override.yml"],
        );
        let specs = project_specs(&loaded);
        let names: Vec<_> = specs.iter().map(|s| s.subject.name.as_str()).collect();
        assert_eq!(names, ["web", "db"]);
        let web = &specs[0];
        assert_eq!(file(web.declared_at()), "override.yml");
        assert_eq!(pos(web.declared_at()), (2, 3));
        let read_only = web.read_only_rootfs.as_ref().unwrap();
        assert_eq!(
            (file(&read_only.at), pos(&read_only.at)),
            ("base.yml".into(), (3, 5))
        );
        assert_eq!(all(&web.cap_drop), [("ALL".into(), 4, 16)]);
        assert_eq!(file(&web.cap_drop[0].at), "base.yml");
        assert_eq!(one(&web.no_new_privileges), (true, 5, 20));
        assert_eq!(one(&web.image), ("web:1".into(), 4, 12));
        assert_eq!(all(&web.ports), [(port(None, Some(443), "80/tcp"), 5, 13)]);
        assert_eq!(file(&web.ports[0].at), "compose.yml");
        assert_eq!(all(&web.cap_add), [("NET_ADMIN".into(), 3, 15)]);
        assert_eq!(file(&web.cap_add[0].at), "override.yml");
        assert_eq!(one(&web.privileged), (true, 4, 5));
        assert_eq!(file(&web.privileged.as_ref().unwrap().at), "override.yml");
        assert!(specs[1].privileged.is_none());
        assert_eq!(
            strings(&[&specs[1].image.as_ref().unwrap().value]),
            ["postgres"]
        );
    }
}
