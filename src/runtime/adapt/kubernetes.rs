//! Kubernetes containers as container specs: one per container of every workload of a
//! manifest file (init and ephemeral containers included).
//!
//! A container's effective settings come from two places: its own `securityContext` wins
//! over the pod's for `runAsNonRoot`, `runAsUser`, `runAsGroup`, `seccompProfile`,
//! `appArmorProfile`, `seLinuxOptions` and `windowsOptions`; when the pod's decides, the
//! evidence points at the pod-level key. Older manifests set AppArmor and seccomp with pod
//! annotations, read after the fields as the kubelet does. What belongs to the pod alone (host
//! namespaces, groups, sysctls, volume types, service-account token, `hostUsers`) is copied
//! into every container's spec with the same evidence, so the caller reports it once per
//! rule and place.
//!
//! Values keep the manifest's spelling (`Unconfined`, `RuntimeDefault`, `localhost/profile`);
//! booleans are read as the API server's YAML decoder reads them (YAML 1.1: `yes`, `on`…).
//! The file is walked in place (no owned copy of the tree), with hashed key look-ups.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode};
use marked_yaml::Node;

use crate::runtime::kubernetes::{Container, ContainerKind, Manifest, Workload};
use crate::runtime::spec::{
    capability, ContainerSpec, EnvVar, Evidence, Healthcheck, Mount, Namespace, Platform, PodFacts,
    PublishedPort, Setting, Subject, SubjectKind, RESTRICTED_VOLUME_TYPES,
};
use crate::runtime::tree::Converter;
use crate::runtime::yaml::{text, YamlError};
use crate::source::LineIndex;

use crate::runtime::spec::positive_amount;

/// The container specs of a manifest file, and the documents that did not parse.
#[derive(Debug)]
pub struct ManifestSpecs {
    pub specs: Vec<ContainerSpec>,
    pub errors: Vec<YamlError>,
}

/// The specs of every container of every workload in `text`, read from `path`.
pub fn manifest_specs(path: &Path, text: &str) -> ManifestSpecs {
    let manifest = Manifest::parse(text);
    let index = LineIndex::new(text);
    let mut specs = Vec::new();
    for workload in manifest.workloads() {
        let at = Converter {
            file: path,
            text,
            index: &index,
            document: workload.document,
        };
        pod_specs(&at, &workload, &mut specs);
    }
    ManifestSpecs {
        specs,
        errors: manifest.errors,
    }
}

/// A volume of the pod spec.
struct Volume<'d> {
    name: &'d str,
    /// `hostPath.path` and where it is written.
    host_path: Option<(&'d str, Evidence)>,
}

/// What every container of one pod shares.
struct Pod<'d> {
    workload: String,
    security: Option<&'d MarkedMappingNode>,
    annotations: Option<&'d MarkedMappingNode>,
    facts: PodFacts,
    groups: Vec<Setting<String>>,
    host_namespaces: Vec<Setting<Namespace>>,
    sysctls: Vec<Setting<String>>,
    volumes: Vec<Volume<'d>>,
    by_name: HashMap<&'d str, usize>,
}

fn pod_specs(at: &Converter<'_>, workload: &Workload<'_>, out: &mut Vec<ContainerSpec>) {
    let spec = workload.pod_spec;
    let security = spec.get_mapping("securityContext");
    let workload_name = match (&workload.namespace, workload.name.as_str()) {
        (_, "") => workload.kind.clone(),
        (Some(namespace), name) => format!("{namespace}/{}/{name}", workload.kind),
        (None, name) => format!("{}/{name}", workload.kind),
    };
    let mut pod = Pod {
        workload: workload_name,
        security,
        annotations: workload
            .pod_metadata
            .and_then(|metadata| metadata.get_mapping("annotations")),
        facts: PodFacts {
            declared_at: Some(Evidence::File(at.key_located(workload.pod_spec_key))),
            automount_service_account_token: flag(at, Some(spec), "automountServiceAccountToken"),
            host_users: flag(at, Some(spec), "hostUsers"),
            ..PodFacts::default()
        },
        groups: groups(at, security),
        host_namespaces: [
            ("hostNetwork", Namespace::Network),
            ("hostPID", Namespace::Pid),
            ("hostIPC", Namespace::Ipc),
        ]
        .into_iter()
        .filter_map(|(key, namespace)| {
            let shared = flag(at, Some(spec), key)?;
            shared.value.then(|| Setting::new(namespace, shared.at))
        })
        .collect(),
        sysctls: sequence(security, "sysctls")
            .filter_map(Node::as_mapping)
            .filter_map(|sysctl| {
                let (name_node, name) = scalar(sysctl, "name")?;
                let value = sysctl.get_node("value").and_then(text).unwrap_or_default();
                Some(Setting::new(
                    format!("{name}={value}"),
                    at.located(name_node),
                ))
            })
            .collect(),
        volumes: Vec::new(),
        by_name: HashMap::new(),
    };
    read_volumes(at, spec, &mut pod);

    // A hostPath volume no container mounts still exposes the host path to the pod (and the
    // standards forbid the volume itself): it is reported on the first regular container.
    let mounted: HashSet<&str> = workload
        .containers
        .iter()
        .flat_map(|container| volume_mounts(container.spec))
        .filter_map(|mount| mount.get_node("name").and_then(text))
        .collect();
    let first = workload
        .containers
        .iter()
        .position(|c| c.kind == ContainerKind::Regular)
        .unwrap_or(0);
    for (i, container) in workload.containers.iter().enumerate() {
        let mut spec = container_spec(at, &pod, container);
        if i == first {
            for volume in pod.volumes.iter().filter(|v| !mounted.contains(v.name)) {
                if let Some((path, place)) = &volume.host_path {
                    let mount = Mount {
                        source: (*path).to_owned(),
                        target: String::new(),
                        from_host: true,
                        read_only: false,
                        propagation: None,
                    };
                    spec.mounts.push(Setting::new(mount, place.clone()));
                }
            }
        }
        out.push(spec);
    }
}

/// `spec.volumes`: their names, host paths, and the types the restricted profile forbids.
fn read_volumes<'d>(at: &Converter<'_>, spec: &'d MarkedMappingNode, pod: &mut Pod<'d>) {
    for volume in sequence(Some(spec), "volumes").filter_map(Node::as_mapping) {
        let name = volume.get_node("name").and_then(text).unwrap_or_default();
        // The volume's source is its one key besides `name`.
        let Some((kind, source)) = volume.iter().find(|(key, _)| key.as_str() != "name") else {
            continue;
        };
        if !RESTRICTED_VOLUME_TYPES.contains(&kind.as_str()) {
            pod.facts.volume_types.push(Setting::new(
                format!("{} volume `{name}`", kind.as_str()),
                at.key_located(kind),
            ));
        }
        let host_path = (kind.as_str() == "hostPath")
            .then(|| source.as_mapping().and_then(|m| scalar(m, "path")))
            .flatten()
            .map(|(node, path)| (path, Evidence::File(at.located(node))));
        pod.by_name.insert(name, pod.volumes.len());
        pod.volumes.push(Volume { name, host_path });
    }
}

fn container_spec(at: &Converter<'_>, pod: &Pod<'_>, container: &Container<'_>) -> ContainerSpec {
    let c = container.spec;
    let name = if container.name.is_empty() {
        format!("{}[{}]", container.kind.field(), container.index)
    } else {
        container.name.clone()
    };
    // An unnamed container is declared at its first key.
    let declared_at = match (c.get_node("name"), c.keys().next()) {
        (Some(node), _) => at.located(node),
        (None, Some(first)) => at.key_located(first),
        (None, None) => at.span_located(c.span()),
    };
    let mut spec = ContainerSpec::new(
        Subject {
            kind: SubjectKind::KubernetesContainer {
                workload: pod.workload.clone(),
            },
            name,
            declared_at: Evidence::File(declared_at),
        },
        Platform::Kubernetes,
    );
    let security = c.get_mapping("securityContext");
    // The container's key if it sets it, else the pod's.
    let effective = |key: &str| {
        security
            .and_then(|s| s.get_key_value(key))
            .or_else(|| pod.security.and_then(|s| s.get_key_value(key)))
    };
    spec.privileged = flag(at, security, "privileged");
    let capabilities = security.and_then(|s| s.get_mapping("capabilities"));
    spec.cap_add = capability_list(at, capabilities, "add");
    spec.cap_drop = capability_list(at, capabilities, "drop");
    spec.no_new_privileges = flag(at, security, "allowPrivilegeEscalation")
        .map(|allowed| Setting::new(!allowed.value, allowed.at));
    spec.read_only_rootfs = flag(at, security, "readOnlyRootFilesystem");
    spec.unmasked_proc = security
        .and_then(|s| s.get_node("procMount"))
        .and_then(|node| {
            let unmasked = text(node)? == "Unmasked";
            Some(Setting::new(unmasked, at.located(node)))
        });
    spec.run_as_non_root = effective("runAsNonRoot")
        .and_then(|(key, node)| Some(Setting::new(boolean(node)?, at.key_located(key))));
    let integer = |key: &str| {
        let (_, node) = effective(key)?;
        Some(Setting::new(
            text(node)?.trim().parse().ok()?,
            at.located(node),
        ))
    };
    spec.run_as_user = integer("runAsUser");
    spec.run_as_group = integer("runAsGroup");
    let annotation = |key: &str| {
        let (_, node) = pod.annotations?.get_key_value(key)?;
        Some(Setting::new(text(node)?.to_owned(), at.located(node)))
    };
    // A profile is named by its `type`, where the evidence points.
    let profile = |context: Option<&MarkedMappingNode>, field: &str| {
        let kind = context?.get_mapping(field)?.get_node("type")?;
        Some(Setting::new(text(kind)?.to_owned(), at.located(kind)))
    };
    let name = container.name.as_str();
    spec.seccomp = profile(security, "seccompProfile")
        .or_else(|| {
            annotation(&format!(
                "container.seccomp.security.alpha.kubernetes.io/{name}"
            ))
        })
        .or_else(|| profile(pod.security, "seccompProfile"))
        .or_else(|| annotation("seccomp.security.alpha.kubernetes.io/pod"));
    spec.apparmor = profile(security, "appArmorProfile")
        .or_else(|| {
            annotation(&format!(
                "container.apparmor.security.beta.kubernetes.io/{name}"
            ))
        })
        .or_else(|| profile(pod.security, "appArmorProfile"));
    spec.selinux = effective("seLinuxOptions").and_then(|(key, options)| {
        let options = options.as_mapping()?;
        let label: Vec<String> = ["user", "role", "type", "level"]
            .into_iter()
            .filter_map(|field| {
                let value = options.get_node(field).and_then(text)?;
                (!value.is_empty()).then(|| format!("{field}:{value}"))
            })
            .collect();
        (!label.is_empty()).then(|| Setting::new(label.join(","), at.key_located(key)))
    });
    let windows = security
        .and_then(|s| s.get_mapping("windowsOptions"))
        .filter(|w| w.contains_key("hostProcess"))
        .or_else(|| pod.security.and_then(|s| s.get_mapping("windowsOptions")));
    let mut facts = pod.facts.clone();
    facts.windows_host_process = flag(at, windows, "hostProcess");
    spec.pod = Some(facts);
    spec.groups = pod.groups.clone();
    spec.host_namespaces = pod.host_namespaces.clone();
    spec.sysctls = pod.sysctls.clone();

    let limits = c
        .get_mapping("resources")
        .and_then(|r| r.get_mapping("limits"));
    let limit = |key: &str| {
        let (node, amount) = scalar(limits?, key)?;
        positive_amount(amount).then(|| Setting::new(amount.trim().to_owned(), at.located(node)))
    };
    spec.memory_limit = limit("memory");
    spec.cpu_limit = limit("cpu").map(|cpu| Setting::new(cpus(&cpu.value), cpu.at));
    spec.healthcheck = ["livenessProbe", "readinessProbe"]
        .into_iter()
        .find_map(|probe| c.get_key_value(probe))
        .map(|(key, _)| Setting::new(Healthcheck::Defined, at.key_located(key)));
    spec.env = sequence(Some(c), "env")
        .filter_map(Node::as_mapping)
        .filter_map(|var| {
            let (node, value) = scalar(var, "value")?;
            let name = var.get_node("name").and_then(text).unwrap_or_default();
            let var = EnvVar {
                name: name.to_owned(),
                value: value.to_owned(),
            };
            Some(Setting::new(var, at.located(node)))
        })
        .collect();
    spec.image =
        scalar(c, "image").map(|(node, image)| Setting::new(image.to_owned(), at.located(node)));
    spec.command = command(at, c);
    spec.ports = sequence(Some(c), "ports")
        .filter_map(Node::as_mapping)
        .filter_map(|port| {
            let (node, host_port) = scalar(port, "hostPort")?;
            let host_port: u32 = host_port.trim().parse().ok().filter(|p| *p > 0)?;
            let protocol = port.get_node("protocol").and_then(text).unwrap_or("TCP");
            let published = PublishedPort {
                host_ip: port
                    .get_node("hostIP")
                    .and_then(text)
                    .filter(|ip| !ip.is_empty())
                    .map(str::to_owned),
                host_port: Some(host_port),
                container_port: format!(
                    "{}/{}",
                    port.get_node("containerPort")
                        .and_then(text)
                        .unwrap_or_default(),
                    protocol.to_ascii_lowercase()
                ),
            };
            Some(Setting::new(published, at.located(node)))
        })
        .collect();
    spec.mounts = volume_mounts(c)
        .filter_map(|mount| mount_spec(at, pod, mount))
        .collect();
    spec
}

/// One `volumeMounts` entry. A hostPath mount is located at the volume's path (the host path
/// the checks judge) and its source includes the `subPath`; other volumes are named by the
/// volume and located at the mount path.
fn mount_spec(
    at: &Converter<'_>,
    pod: &Pod<'_>,
    mount: &MarkedMappingNode,
) -> Option<Setting<Mount>> {
    let (name_node, name) = scalar(mount, "name")?;
    let target = mount.get_node("mountPath");
    let volume = pod.by_name.get(name).map(|&i| &pod.volumes[i]);
    let sub_path = mount
        .get_node("subPath")
        .and_then(text)
        .filter(|s| !s.is_empty());
    let (source, from_host, place) = match volume.and_then(|v| v.host_path.as_ref()) {
        Some((path, place)) => {
            let source = match sub_path {
                Some(sub) => format!(
                    "{}/{}",
                    path.trim_end_matches('/'),
                    sub.trim_start_matches('/')
                ),
                None => (*path).to_owned(),
            };
            (source, true, place.clone())
        }
        None => {
            let place = target.map_or_else(|| at.located(name_node), |t| at.located(t));
            (name.to_owned(), false, Evidence::File(place))
        }
    };
    let mount = Mount {
        source,
        target: target.and_then(text).unwrap_or_default().to_owned(),
        from_host,
        read_only: mount.get_node("readOnly").and_then(boolean) == Some(true),
        propagation: mount
            .get_node("mountPropagation")
            .and_then(text)
            .map(str::to_owned),
    };
    Some(Setting::new(mount, place))
}

/// A CPU quantity as a count of CPUs, like the live adapter's: `500m` reads `0.5 CPUs`.
fn cpus(quantity: &str) -> String {
    let count = quantity
        .strip_suffix('m')
        .and_then(|milli| milli.parse::<f64>().ok())
        .map_or_else(|| quantity.to_owned(), |milli| (milli / 1000.0).to_string());
    format!("{count} CPUs")
}

/// `command` then `args`, joined, at `command` (else `args`).
fn command(at: &Converter<'_>, c: &MarkedMappingNode) -> Option<Setting<String>> {
    let words: Vec<&str> = ["command", "args"]
        .into_iter()
        .flat_map(|key| sequence(Some(c), key))
        .filter_map(text)
        .collect();
    if words.is_empty() {
        return None;
    }
    let node = c.get_node("command").or_else(|| c.get_node("args"))?;
    Some(Setting::new(words.join(" "), at.located(node)))
}

/// Pod-level `fsGroup` and `supplementalGroups`, each at its value.
fn groups(at: &Converter<'_>, security: Option<&MarkedMappingNode>) -> Vec<Setting<String>> {
    let fs_group = security.and_then(|s| s.get_node("fsGroup"));
    fs_group
        .into_iter()
        .chain(sequence(security, "supplementalGroups"))
        .filter_map(|node| Some(Setting::new(text(node)?.to_owned(), at.located(node))))
        .collect()
}

fn capability_list(
    at: &Converter<'_>,
    capabilities: Option<&MarkedMappingNode>,
    key: &str,
) -> Vec<Setting<String>> {
    sequence(capabilities, key)
        .filter_map(|node| Some(Setting::new(capability(text(node)?), at.located(node))))
        .collect()
}

/// The `volumeMounts` of a container.
fn volume_mounts(container: &MarkedMappingNode) -> impl Iterator<Item = &MarkedMappingNode> {
    sequence(Some(container), "volumeMounts").filter_map(Node::as_mapping)
}

/// The items of sequence `key` of `mapping` (none when absent or not a sequence).
fn sequence<'d>(
    mapping: Option<&'d MarkedMappingNode>,
    key: &str,
) -> impl Iterator<Item = &'d Node> {
    mapping
        .and_then(|m| m.get_sequence(key))
        .into_iter()
        .flat_map(|s| s.iter())
}

/// A scalar entry: its node and text.
fn scalar<'d>(mapping: &'d MarkedMappingNode, key: &str) -> Option<(&'d Node, &'d str)> {
    let node = mapping.get_node(key)?;
    Some((node, text(node)?))
}

/// A boolean entry, located at its key.
fn flag(
    at: &Converter<'_>,
    mapping: Option<&MarkedMappingNode>,
    key: &str,
) -> Option<Setting<bool>> {
    let (key, node): (&MarkedScalarNode, &Node) = mapping?.get_key_value(key)?;
    Some(Setting::new(boolean(node)?, at.key_located(key)))
}

/// A boolean as the API server's YAML decoder reads it (YAML 1.1: `true`, `yes`, `on`, `y`
/// and their negatives, in the three usual casings).
fn boolean(node: &Node) -> Option<bool> {
    match text(node)? {
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
            Some(true)
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            Some(false)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::adapt::testing::{all, one, pos};

    fn specs(text: &str) -> Vec<ContainerSpec> {
        let read = manifest_specs(Path::new("deploy.yaml"), text);
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        read.specs
    }

    fn facts(spec: &ContainerSpec) -> &PodFacts {
        spec.pod.as_ref().expect("pod facts")
    }

    const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: prod
spec:
  template:
    metadata:
      annotations:
        container.apparmor.security.beta.kubernetes.io/app: unconfined
        seccomp.security.alpha.kubernetes.io/pod: runtime/default
    spec:
      hostNetwork: true
      hostPID: false
      hostIPC: yes
      hostUsers: false
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 0
        fsGroup: 2000
        supplementalGroups: [0, 3000]
        seccompProfile:
          type: Unconfined
        seLinuxOptions:
          type: spc_t
          level: \"s0:c1,c2\"
        sysctls:
          - name: kernel.msgmax
            value: \"65536\"
      initContainers:
      - name: init
        image: busybox:1.36
        securityContext:
          runAsUser: 0
          seccompProfile:
            type: RuntimeDefault
      containers:
      - name: app
        image: registry.example/api@sha256:abc
        command: [\"/bin/sh\", \"-c\"]
        args: [\"exec /usr/sbin/sshd -D\"]
        securityContext:
          privileged: true
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          procMount: Unmasked
          runAsNonRoot: false
          capabilities:
            add: [SYS_ADMIN, cap_net_raw]
            drop: [\"ALL\"]
          appArmorProfile:
            type: RuntimeDefault
        resources:
          limits:
            memory: 512Mi
            cpu: 500m
        livenessProbe:
          httpGet: {path: /, port: 80}
        env:
        - name: DB_PASSWORD
          value: hunter2
        - name: FROM_SECRET
          valueFrom: {secretKeyRef: {name: s, key: k}}
        ports:
        - containerPort: 80
          hostPort: 80
        - containerPort: 53
          protocol: UDP
          hostPort: 5353
          hostIP: 127.0.0.1
        - containerPort: 8080
      ephemeralContainers:
      - name: debug
        image: busybox
";

    #[test]
    fn every_container_of_a_workload_with_its_subject() {
        let specs = specs(DEPLOYMENT);
        let names: Vec<String> = specs.iter().map(|s| s.subject.to_string()).collect();
        assert_eq!(
            names,
            [
                "container `init` of prod/Deployment/api",
                "container `app` of prod/Deployment/api",
                "container `debug` of prod/Deployment/api",
            ]
        );
        assert!(specs.iter().all(|s| s.platform == Platform::Kubernetes));
        let declared: Vec<_> = specs.iter().map(|s| pos(s.declared_at())).collect();
        assert_eq!(declared, [(33, 15), (40, 15), (75, 15)]);
    }

    #[test]
    fn container_security_context() {
        let app = &specs(DEPLOYMENT)[1];
        assert_eq!(one(&app.privileged), (true, 45, 11));
        assert_eq!(
            one(&app.no_new_privileges),
            (true, 46, 11),
            "allowPrivilegeEscalation: false"
        );
        assert_eq!(one(&app.read_only_rootfs), (true, 47, 11));
        assert_eq!(one(&app.unmasked_proc), (true, 48, 22));
        assert_eq!(
            all(&app.cap_add),
            [("SYS_ADMIN".into(), 51, 19), ("NET_RAW".into(), 51, 30)]
        );
        assert_eq!(all(&app.cap_drop), [("ALL".into(), 52, 20)]);
        assert_eq!(
            one(&app.image),
            ("registry.example/api@sha256:abc".into(), 41, 16)
        );
        assert_eq!(
            one(&app.command),
            ("/bin/sh -c exec /usr/sbin/sshd -D".into(), 42, 18)
        );
        assert!(app.user.is_none(), "Kubernetes has runAsUser instead");
    }

    #[test]
    fn container_settings_win_over_the_pods_and_the_pods_apply_otherwise() {
        let specs = specs(DEPLOYMENT);
        let (init, app, debug) = (&specs[0], &specs[1], &specs[2]);
        assert_eq!(
            one(&app.run_as_non_root),
            (false, 49, 11),
            "the container's"
        );
        assert_eq!(one(&init.run_as_non_root), (true, 19, 9), "the pod's key");
        assert_eq!(one(&init.run_as_user), (0, 36, 22));
        assert_eq!(one(&app.run_as_user), (1000, 20, 20));
        assert_eq!(one(&app.run_as_group), (0, 21, 21));
        assert_eq!(one(&init.seccomp), ("RuntimeDefault".into(), 38, 19));
        assert_eq!(
            one(&app.seccomp),
            ("Unconfined".into(), 25, 17),
            "the pod field over its annotation"
        );
        assert_eq!(
            one(&app.apparmor),
            ("RuntimeDefault".into(), 54, 19),
            "the field over the annotation"
        );
        assert!(init.apparmor.is_none());
        assert_eq!(
            one(&debug.selinux),
            ("type:spc_t,level:s0:c1,c2".into(), 26, 9)
        );
        for spec in &specs {
            assert_eq!(
                all(&spec.groups),
                [
                    ("2000".into(), 22, 18),
                    ("0".into(), 23, 30),
                    ("3000".into(), 23, 33)
                ]
            );
            assert_eq!(
                all(&spec.host_namespaces),
                [(Namespace::Network, 13, 7), (Namespace::Ipc, 15, 7)],
                "hostPID: false shares nothing; YAML 1.1 `yes` is true"
            );
            assert_eq!(all(&spec.sysctls), [("kernel.msgmax=65536".into(), 30, 19)]);
            let pod = facts(spec);
            assert_eq!(one(&pod.host_users), (false, 16, 7));
            assert_eq!(one(&pod.automount_service_account_token), (false, 17, 7));
            assert!(pod.volume_types.is_empty() && pod.windows_host_process.is_none());
        }
    }

    #[test]
    fn resources_probes_env_and_ports() {
        let specs = specs(DEPLOYMENT);
        let app = &specs[1];
        assert_eq!(one(&app.memory_limit), ("512Mi".into(), 57, 21));
        assert_eq!(one(&app.cpu_limit), ("0.5 CPUs".into(), 58, 18));
        assert_eq!(one(&app.healthcheck), (Healthcheck::Defined, 59, 9));
        assert_eq!(
            all(&app.env),
            [(
                EnvVar {
                    name: "DB_PASSWORD".into(),
                    value: "hunter2".into()
                },
                63,
                18
            )],
            "valueFrom is no literal"
        );
        let port = |ip: Option<&str>, host: u32, container: &str| PublishedPort {
            host_ip: ip.map(str::to_owned),
            host_port: Some(host),
            container_port: container.into(),
        };
        assert_eq!(
            all(&app.ports),
            [
                (port(None, 80, "80/tcp"), 68, 21),
                (port(Some("127.0.0.1"), 5353, "53/udp"), 71, 21),
            ],
            "only ports with a hostPort are published"
        );
        let init = &specs[0];
        assert!(init.memory_limit.is_none() && init.healthcheck.is_none() && init.ports.is_empty());
        assert!(init.no_new_privileges.is_none() && init.privileged.is_none());
    }

    const VOLUMES: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  volumes:
  - name: sock
    hostPath:
      path: /var/run
  - name: etc
    hostPath: {path: /etc, type: Directory}
  - name: config
    configMap: {name: agent}
  - name: share
    nfs: {server: nfs, path: /export}
  - name: unused
    hostPath:
      path: /dev
  containers:
  - name: sidecar
    image: busybox
  - name: agent
    image: agent:1
    volumeMounts:
    - name: sock
      mountPath: /host/run/docker.sock
      subPath: docker.sock
    - name: etc
      mountPath: /host/etc
      readOnly: true
      mountPropagation: Bidirectional
    - name: config
      mountPath: /config
  initContainers:
  - name: setup
    volumeMounts:
    - name: etc
      mountPath: /etc-copy
";

    #[test]
    fn host_path_volumes_become_mounts_of_the_containers_that_mount_them() {
        let specs = specs(VOLUMES);
        let names: Vec<&str> = specs.iter().map(|s| s.subject.name.as_str()).collect();
        assert_eq!(names, ["setup", "sidecar", "agent"]);
        let mount =
            |source: &str, target: &str, host: bool, ro: bool, propagation: Option<&str>| Mount {
                source: source.into(),
                target: target.into(),
                from_host: host,
                read_only: ro,
                propagation: propagation.map(str::to_owned),
            };
        assert_eq!(
            all(&specs[2].mounts),
            [
                (
                    mount(
                        "/var/run/docker.sock",
                        "/host/run/docker.sock",
                        true,
                        false,
                        None
                    ),
                    9,
                    13
                ),
                (
                    mount("/etc", "/host/etc", true, true, Some("Bidirectional")),
                    11,
                    22
                ),
                (mount("config", "/config", false, false, None), 33, 18),
            ]
        );
        assert_eq!(
            all(&specs[0].mounts),
            [(mount("/etc", "/etc-copy", true, false, None), 11, 22)]
        );
        assert_eq!(
            all(&specs[1].mounts),
            [(mount("/dev", "", true, false, None), 18, 13)],
            "a hostPath nobody mounts is the first regular container's"
        );
        assert_eq!(
            all(&facts(&specs[0]).volume_types),
            [
                ("hostPath volume `sock`".into(), 8, 5),
                ("hostPath volume `etc`".into(), 11, 5),
                ("nfs volume `share`".into(), 15, 5),
                ("hostPath volume `unused`".into(), 17, 5),
            ]
        );
        assert_eq!(
            specs[0].subject.to_string(),
            "container `setup` of Pod/agent"
        );
    }

    #[test]
    fn annotations_and_windows_options() {
        let text = "\
kind: Pod
metadata:
  name: old
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: localhost/deny-write
    container.seccomp.security.alpha.kubernetes.io/app: unconfined
    seccomp.security.alpha.kubernetes.io/pod: runtime/default
spec:
  securityContext:
    windowsOptions: {hostProcess: true}
    appArmorProfile: {type: Unconfined}
  containers:
  - name: app
  - name: win
    securityContext:
      windowsOptions:
        hostProcess: false
      allowPrivilegeEscalation: true
";
        let specs = specs(text);
        let (app, win) = (&specs[0], &specs[1]);
        assert_eq!(one(&app.apparmor), ("localhost/deny-write".into(), 5, 57));
        assert_eq!(one(&app.seccomp), ("unconfined".into(), 6, 57));
        assert_eq!(
            one(&win.apparmor),
            ("Unconfined".into(), 11, 29),
            "the pod field"
        );
        assert_eq!(
            one(&win.seccomp),
            ("runtime/default".into(), 7, 47),
            "the pod annotation"
        );
        assert_eq!(one(&facts(app).windows_host_process), (true, 10, 22));
        assert_eq!(one(&facts(win).windows_host_process), (false, 17, 9));
        assert_eq!(one(&win.no_new_privileges), (false, 18, 7));
        assert!(facts(app).automount_service_account_token.is_none());
        assert!(facts(app).host_users.is_none());
    }

    #[test]
    fn broken_documents_are_errors_and_unnamed_containers_get_a_place_name() {
        let text = "kind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - image: x\n---\nkind: [broken\n---\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: job\n            image: 'job:2'\n";
        let read = manifest_specs(Path::new("deploy.yaml"), text);
        assert_eq!(read.errors.len(), 1);
        let subjects: Vec<String> = read.specs.iter().map(|s| s.subject.to_string()).collect();
        assert_eq!(
            subjects,
            [
                "container `containers[0]` of Pod/a",
                "container `job` of CronJob/nightly"
            ]
        );
        assert_eq!(pos(read.specs[0].declared_at()), (5, 5));
        let image = read.specs[1].image.as_ref().unwrap();
        assert_eq!(image.value, "job:2");
        let Evidence::File(located) = &image.at else {
            unreachable!()
        };
        let region = located.region.unwrap();
        assert_eq!(
            &text[region.bytes.0..region.bytes.1],
            "'job:2'",
            "a quoted value's region covers its quotes"
        );
    }

    #[test]
    fn positions_stay_right_deep_into_a_file_of_many_documents() {
        // (Speed is measured by benches/runtime.sh, not here.)
        let one_file = DEPLOYMENT.to_owned() + "---\n" + VOLUMES;
        let big = vec![one_file.as_str(); 500].join("---\n");
        let read = manifest_specs(Path::new("all.yaml"), &big);
        assert_eq!(read.specs.len(), 500 * 6);
        let last = read.specs.last().unwrap();
        let Evidence::File(located) = last.declared_at() else {
            unreachable!()
        };
        let agent = big.rfind("- name: agent").unwrap();
        let line = big[..agent].matches('\n').count() as u32 + 1;
        assert_eq!(located.line(), Some(line));
    }
}
