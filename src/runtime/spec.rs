//! The neutral description of how one container runs, whatever declared it.
//!
//! A Compose service, a container of a Kubernetes pod spec and a live container seen through
//! the Engine API all become a [`ContainerSpec`]; the runtime checks read only this, so one
//! rule fires the same way for the three sources. Every setting keeps its [`Evidence`]: the
//! key in a file, or the inspect field of a live object. A setting that is absent is `None` (or
//! an empty list): the check decides what the platform's default means.

use std::fmt;

use crate::runtime::tree::Located;

/// Where a setting was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// A key or value in a Compose file or manifest.
    File(Located),
    /// A field of a live object, as `docker inspect` names it (`HostConfig.Privileged`).
    Field(String),
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::File(located) => located.fmt(f),
            Evidence::Field(field) => f.write_str(field),
        }
    }
}

impl From<Located> for Evidence {
    fn from(located: Located) -> Self {
        Evidence::File(located)
    }
}

/// A value and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub at: Evidence,
}

impl<T> Setting<T> {
    pub fn new(value: T, at: impl Into<Evidence>) -> Self {
        Setting {
            value,
            at: at.into(),
        }
    }
}

/// What runs the container: its defaults differ (capabilities, PIDs limit, seccomp).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    /// A Docker engine, live or the target of a Compose file.
    Docker,
    Podman,
    Kubernetes,
}

impl Platform {
    /// The capabilities a container gets when it adds and drops none.
    pub fn default_capabilities(self) -> &'static [&'static str] {
        match self {
            // moby's default set.
            Platform::Docker => &[
                "AUDIT_WRITE",
                "CHOWN",
                "DAC_OVERRIDE",
                "FOWNER",
                "FSETID",
                "KILL",
                "MKNOD",
                "NET_BIND_SERVICE",
                "NET_RAW",
                "SETFCAP",
                "SETGID",
                "SETPCAP",
                "SETUID",
                "SYS_CHROOT",
            ],
            // containers.conf's default: no NET_RAW, MKNOD or AUDIT_WRITE.
            Platform::Podman => &[
                "CHOWN",
                "DAC_OVERRIDE",
                "FOWNER",
                "FSETID",
                "KILL",
                "NET_BIND_SERVICE",
                "SETFCAP",
                "SETGID",
                "SETPCAP",
                "SETUID",
                "SYS_CHROOT",
            ],
            // The Pod Security Standards' baseline list: the container runtimes' defaults
            // without NET_RAW.
            Platform::Kubernetes => &[
                "AUDIT_WRITE",
                "CHOWN",
                "DAC_OVERRIDE",
                "FOWNER",
                "FSETID",
                "KILL",
                "MKNOD",
                "NET_BIND_SERVICE",
                "SETFCAP",
                "SETGID",
                "SETPCAP",
                "SETUID",
                "SYS_CHROOT",
            ],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Docker => "Docker",
            Platform::Podman => "Podman",
            Platform::Kubernetes => "Kubernetes",
        }
    }
}

/// What kind of object a spec describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectKind {
    ComposeService,
    /// A container of a workload's pod spec; `workload` is `Deployment/api`.
    KubernetesContainer {
        workload: String,
    },
    LiveContainer,
}

/// The object a spec describes, for messages and locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: SubjectKind,
    /// The service, container or pod-container name.
    pub name: String,
    /// Where findings about missing settings point: the service key, the container's `name`,
    /// the container itself.
    pub declared_at: Evidence,
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SubjectKind::ComposeService => write!(f, "service `{}`", self.name),
            SubjectKind::KubernetesContainer { workload } => {
                write!(f, "container `{}` of {workload}", self.name)
            }
            SubjectKind::LiveContainer => write!(f, "container `{}`", self.name),
        }
    }
}

/// A namespace of the host a container can join.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Namespace {
    Network,
    Pid,
    Ipc,
    Uts,
    User,
    Cgroup,
}

impl Namespace {
    pub fn as_str(self) -> &'static str {
        match self {
            Namespace::Network => "network",
            Namespace::Pid => "PID",
            Namespace::Ipc => "IPC",
            Namespace::Uts => "UTS",
            Namespace::User => "user",
            Namespace::Cgroup => "cgroup",
        }
    }
}

/// A filesystem the container mounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// A host path for bind mounts and `hostPath` volumes; the volume name otherwise.
    pub source: String,
    pub target: String,
    /// Whether `source` is a path of the host (bind mount, `hostPath`).
    pub from_host: bool,
    pub read_only: bool,
    /// `shared`, `rshared`, `Bidirectional`…, when set.
    pub propagation: Option<String>,
}

/// A port published on the host (for Kubernetes, a container port with a `hostPort`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedPort {
    /// `None` when no address is given (all interfaces unless the engine says otherwise).
    pub host_ip: Option<String>,
    /// `None` when the engine picks one (ephemeral, above 1023).
    pub host_port: Option<u32>,
    pub container_port: String,
}

/// The container's restart policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestartPolicy {
    /// `no`, `always`, `unless-stopped`, `on-failure`.
    pub name: String,
    /// The retry limit of `on-failure`; `None` when unbounded.
    pub max_retries: Option<i64>,
}

/// How the container's health is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Healthcheck {
    Defined,
    /// `disable: true`, `test: ["NONE"]`.
    Disabled,
}

/// An environment variable with a literal value (references to secrets are left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
}

/// An exec session of a live container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecSession {
    pub id: String,
    /// The hook's entry in a Compose file, or the live container's `ExecIDs`.
    pub at: Evidence,
    pub privileged: bool,
    pub user: String,
    pub command: String,
}

/// Everything the runtime checks read about one container.
#[derive(Debug, Clone)]
pub struct ContainerSpec {
    pub subject: Subject,
    pub platform: Platform,
    pub privileged: Option<Setting<bool>>,
    /// Upper-case, without `CAP_`; `ALL` stays `ALL`.
    pub cap_add: Vec<Setting<String>>,
    pub cap_drop: Vec<Setting<String>>,
    /// AppArmor profile: `unconfined`, `runtime/default`, a profile name.
    pub apparmor: Option<Setting<String>>,
    /// Seccomp profile: `unconfined`, `RuntimeDefault`, `Localhost`, a path or inline JSON.
    pub seccomp: Option<Setting<String>>,
    /// SELinux: `disable`, or the label options (`type:spc_t`).
    pub selinux: Option<Setting<String>>,
    /// `no-new-privileges` (true) / `allowPrivilegeEscalation` (false) as set.
    pub no_new_privileges: Option<Setting<bool>>,
    /// `/proc` masks turned off (`systempaths=unconfined`, `procMount: Unmasked`).
    pub unmasked_proc: Option<Setting<bool>>,
    pub read_only_rootfs: Option<Setting<bool>>,
    /// `user:` / `Config.User`: `name`, `uid`, `uid:gid`.
    pub user: Option<Setting<String>>,
    /// Kubernetes `runAsNonRoot`, effective for the container.
    pub run_as_non_root: Option<Setting<bool>>,
    /// Kubernetes `runAsUser` / `runAsGroup`, effective for the container.
    pub run_as_user: Option<Setting<i64>>,
    pub run_as_group: Option<Setting<i64>>,
    /// Extra groups: `group_add`, `supplementalGroups`, `fsGroup`.
    pub groups: Vec<Setting<String>>,
    pub host_namespaces: Vec<Setting<Namespace>>,
    /// Device paths (`/dev/fuse`), cgroup rules and device requests (`gpus`).
    pub devices: Vec<Setting<String>>,
    pub mounts: Vec<Setting<Mount>>,
    /// Compose `use_api_socket: true`.
    pub api_socket: Option<Setting<bool>>,
    pub memory_limit: Option<Setting<String>>,
    pub cpu_limit: Option<Setting<String>>,
    /// Positive when limited; `0` or `-1` mean unlimited.
    pub pids_limit: Option<Setting<i64>>,
    pub oom_kill_disable: Option<Setting<bool>>,
    pub restart: Option<Setting<RestartPolicy>>,
    pub ulimits: Vec<Setting<String>>,
    pub cgroup_parent: Option<Setting<String>>,
    pub ports: Vec<Setting<PublishedPort>>,
    pub publish_all_ports: Option<Setting<bool>>,
    /// `None`: nothing declared (a live container's image may still define one).
    pub healthcheck: Option<Setting<Healthcheck>>,
    pub env: Vec<Setting<EnvVar>>,
    pub image: Option<Setting<String>>,
    pub sysctls: Vec<Setting<String>>,
    /// The command and entrypoint, joined (sshd heuristics on declared containers).
    pub command: Option<Setting<String>>,
    /// Processes of a running container (`ps` command lines).
    pub processes: Vec<String>,
    pub exec_sessions: Vec<ExecSession>,
    /// Kubernetes pod-level facts. Pod-level evidence is shared by the pod's containers; the
    /// caller reports one finding per rule and place.
    pub pod: Option<PodFacts>,
}

/// The volume types the Pod Security Standards' restricted profile allows.
pub const RESTRICTED_VOLUME_TYPES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// What a pod spec says that is not about one container.
#[derive(Debug, Clone, Default)]
pub struct PodFacts {
    /// The pod spec's key (`spec`, `template.spec`…): where findings about a missing pod-level
    /// setting point, once for all the pod's containers.
    pub declared_at: Option<Evidence>,
    /// Volume types other than the restricted profile's (`hostPath`, `nfs`…), with their names.
    pub volume_types: Vec<Setting<String>>,
    pub automount_service_account_token: Option<Setting<bool>>,
    pub windows_host_process: Option<Setting<bool>>,
    /// `hostUsers`.
    pub host_users: Option<Setting<bool>>,
}

impl ContainerSpec {
    /// An empty spec for `subject`: nothing set.
    pub fn new(subject: Subject, platform: Platform) -> Self {
        ContainerSpec {
            subject,
            platform,
            privileged: None,
            cap_add: Vec::new(),
            cap_drop: Vec::new(),
            apparmor: None,
            seccomp: None,
            selinux: None,
            no_new_privileges: None,
            unmasked_proc: None,
            read_only_rootfs: None,
            user: None,
            run_as_non_root: None,
            run_as_user: None,
            run_as_group: None,
            groups: Vec::new(),
            host_namespaces: Vec::new(),
            devices: Vec::new(),
            mounts: Vec::new(),
            api_socket: None,
            memory_limit: None,
            cpu_limit: None,
            pids_limit: None,
            oom_kill_disable: None,
            restart: None,
            ulimits: Vec::new(),
            cgroup_parent: None,
            ports: Vec::new(),
            publish_all_ports: None,
            healthcheck: None,
            env: Vec::new(),
            image: None,
            sysctls: Vec::new(),
            command: None,
            processes: Vec::new(),
            exec_sessions: Vec::new(),
            pod: None,
        }
    }

    pub fn is_privileged(&self) -> bool {
        self.privileged.as_ref().is_some_and(|s| s.value)
    }

    /// Whether capability `name` is dropped (by name or by `ALL`).
    pub fn drops(&self, name: &str) -> bool {
        self.cap_drop
            .iter()
            .any(|c| c.value == "ALL" || c.value == name)
    }

    /// Where a finding about a missing setting points.
    pub fn declared_at(&self) -> &Evidence {
        &self.subject.declared_at
    }
}

/// Whether a resource amount (`512m`, `0.5`, `1Gi`, `50000`, `0.5 CPUs`) is above zero: every
/// source reads `0` (and a negative or empty amount) as "no limit"; text that is not a number (left by a failed
/// substitution, say) counts as set, so that a typo does not turn into a finding.
pub fn positive_amount(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() || text.starts_with('-') {
        return false;
    }
    let digits = text
        .trim_start_matches('+')
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .next()
        .unwrap_or("");
    digits.parse::<f64>().map_or(true, |n| n > 0.0)
}

/// Normalises a capability name: upper case, without the `CAP_` prefix.
pub fn capability(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map(str::to_owned)
        .unwrap_or(upper)
}

/// Applies one `security_opt` entry (`--security-opt`, Compose `security_opt`, a live
/// container's `HostConfig.SecurityOpt`) to `spec`, read the way moby's `parseSecurityOpt`
/// reads it: `key=value`, the deprecated `key:value`, a bare `no-new-privileges`, and bare
/// `disable` (an old spelling of `label=disable`). Podman writes the effective state here too
/// (`unmask=ALL`, `seccomp=unconfined`…). Unknown options are ignored.
pub fn apply_security_option(spec: &mut ContainerSpec, option: &str, at: Evidence) {
    let option = option.trim();
    let (key, value) = match option.split_once(['=', ':']) {
        Some((key, value)) => (key.trim(), Some(value.trim())),
        None => (option, None),
    };
    match (key.to_ascii_lowercase().as_str(), value) {
        ("no-new-privileges", value) => {
            let on = value.is_none_or(|v| !v.eq_ignore_ascii_case("false"));
            spec.no_new_privileges = Some(Setting::new(on, at));
        }
        ("apparmor", Some(profile)) => spec.apparmor = Some(Setting::new(profile.to_owned(), at)),
        ("seccomp", Some(profile)) => spec.seccomp = Some(Setting::new(profile.to_owned(), at)),
        ("label", Some(label)) => spec.selinux = Some(Setting::new(label.to_owned(), at)),
        ("disable", None) => spec.selinux = Some(Setting::new("disable".to_owned(), at)),
        ("systempaths", Some(paths)) if paths.eq_ignore_ascii_case("unconfined") => {
            spec.unmasked_proc = Some(Setting::new(true, at));
        }
        ("unmask", Some(paths)) if paths.eq_ignore_ascii_case("all") => {
            spec.unmasked_proc = Some(Setting::new(true, at));
        }
        _ => {}
    }
}

/// The facts of the engine a live container runs on, that decide effective values.
#[derive(Debug, Clone, Default)]
pub struct EngineDefaults {
    /// The daemon sets no-new-privileges for every container.
    pub no_new_privileges: bool,
    /// The daemon runs rootless (Docker rootless, rootless Podman).
    pub rootless: bool,
    /// The host has AppArmor (an empty profile then means none was applied).
    pub apparmor: bool,
    /// The address ports without one are published on (daemon `ip`), when not all interfaces.
    pub default_bind_ip: Option<String>,
    /// Containers share the host's cgroup namespace unless they ask otherwise (cgroup v1
    /// hosts): a live container's `CgroupnsMode: host` is then the engine's doing.
    pub host_cgroupns_by_default: bool,
}

/// One problem a check found in a spec, before it becomes a finding.
#[derive(Debug, Clone)]
pub struct Violation {
    pub rule: &'static crate::rules::Rule,
    pub message: String,
    pub at: Evidence,
    /// Narrowed upstream ids, when the rule covers several (see `Finding::aliases`).
    pub aliases: Option<&'static [&'static str]>,
}

impl Violation {
    pub fn new(
        rule: &'static crate::rules::Rule,
        message: impl Into<String>,
        at: &Evidence,
    ) -> Self {
        Violation {
            rule,
            message: message.into(),
            at: at.clone(),
            aliases: None,
        }
    }

    pub fn with_aliases(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = Some(aliases);
        self
    }

    /// Keeps the upstream ids only on a Kubernetes container's violation: for rules whose
    /// aliases all come from manifest scanners (Trivy `KSV-…`, Checkov `CKV_K8S_…`), a Compose
    /// service or live container answers to none of them.
    pub fn kubernetes_aliases_only(self, platform: Platform) -> Self {
        match platform {
            Platform::Kubernetes => self,
            Platform::Docker | Platform::Podman => self.with_aliases(&[]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_of_zero_mean_unlimited() {
        for set in [
            "512m",
            "1Gi",
            "0.5",
            "+2",
            "50000",
            "1e3",
            "${X}",
            "0.5 CPUs",
            "268435456",
        ] {
            assert!(positive_amount(set), "{set}");
        }
        for unset in ["0", "0m", "0.0", "", " ", "-1", "0Gi", " 0b "] {
            assert!(!positive_amount(unset), "{unset}");
        }
    }

    #[test]
    fn capability_names_are_normalised() {
        assert_eq!(capability("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(capability(" NET_RAW "), "NET_RAW");
        assert_eq!(capability("all"), "ALL");
    }

    #[test]
    fn security_options_are_read_like_moby_reads_them() {
        let mut spec = crate::runtime::checks::testing::bare(Platform::Docker);
        let at = |n| crate::runtime::checks::testing::line(n);
        apply_security_option(&mut spec, "no-new-privileges", at(2));
        assert_eq!(spec.no_new_privileges.as_ref().map(|s| s.value), Some(true));
        apply_security_option(&mut spec, "no-new-privileges:false", at(3));
        assert_eq!(
            spec.no_new_privileges.as_ref().map(|s| s.value),
            Some(false)
        );
        apply_security_option(&mut spec, "seccomp=unconfined", at(4));
        apply_security_option(&mut spec, "apparmor:unconfined", at(5));
        apply_security_option(&mut spec, "label=type:spc_t", at(6));
        apply_security_option(&mut spec, "systempaths=unconfined", at(7));
        assert_eq!(spec.seccomp.as_ref().unwrap().value, "unconfined");
        assert_eq!(spec.apparmor.as_ref().unwrap().value, "unconfined");
        assert_eq!(spec.selinux.as_ref().unwrap().value, "type:spc_t");
        assert!(spec.unmasked_proc.as_ref().unwrap().value);
        apply_security_option(&mut spec, "disable", at(8));
        assert_eq!(spec.selinux.unwrap().value, "disable");
        let mut podman = crate::runtime::checks::testing::bare(Platform::Podman);
        apply_security_option(&mut podman, "unmask=ALL", at(9));
        apply_security_option(&mut podman, "mask=/proc/acpi", at(10));
        assert!(podman.unmasked_proc.unwrap().value);
    }

    #[test]
    fn default_sets_differ_where_the_engines_do() {
        let docker = Platform::Docker.default_capabilities();
        let podman = Platform::Podman.default_capabilities();
        let pss = Platform::Kubernetes.default_capabilities();
        assert_eq!((docker.len(), podman.len(), pss.len()), (14, 11, 13));
        assert!(docker.contains(&"NET_RAW") && !podman.contains(&"NET_RAW"));
        assert!(!pss.contains(&"NET_RAW"));
        assert!(podman.iter().all(|c| docker.contains(c)));
    }
}
