//! The container engine's own configuration (the CIS Docker Benchmark's section 2): how a
//! Docker or Podman daemon is set up, whatever it was read from.
//!
//! A [`DaemonSpec`] comes from a live engine's answers ([`DaemonSpec::from_engine`]), from a
//! `daemon.json` alone ([`DaemonSpec::from_config`]) or from both ([`DaemonSpec::with_config`]).
//! Every setting keeps its [`Evidence`]: the `/info` field or the located daemon.json key. A
//! setting that is `None` is one neither source shows: when a daemon.json was read, the file
//! leaves the key out and dockerd's default applies ([`DaemonSpec::effective`]); without a file
//! nothing can tell, and the checks do not guess.
//!
//! Podman's compat `/info` fills some fields with constants (live restore always off,
//! experimental always on, no logging driver, swarm inactive, no userns or no-new-privileges
//! entries in `SecurityOptions`): those fields are left `None` for Podman so that no rule reads
//! a constant as a setting.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::engine::Endpoint;
use crate::finding::{Position, Region};
use crate::runtime::engine::{Info, Network, Version};
use crate::runtime::spec::{EngineDefaults, Evidence, Platform, Setting};
use crate::runtime::tree::Located;

pub mod checks;
mod config;

/// The default bridge network's options that carry daemon settings.
const ENABLE_ICC: &str = "com.docker.network.bridge.enable_icc";
const HOST_BINDING_IPV4: &str = "com.docker.network.bridge.host_binding_ipv4";
const DEFAULT_BRIDGE: &str = "com.docker.network.bridge.default_bridge";

/// The insecure registries dockerd always lists (loopback), which are not a setting.
const BUILT_IN_INSECURE: &[&str] = &["127.0.0.0/8", "::1/128"];

/// The first Docker release whose `/info SecurityOptions` shows `name=no-new-privileges`.
const NO_NEW_PRIVILEGES_SHOWN_SINCE: u32 = 24;

/// Why a daemon.json cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DaemonConfigError {
    #[error("{}:{line}:{column}: not valid JSON: {message}", file.display())]
    Syntax {
        file: PathBuf,
        line: u32,
        column: u32,
        message: String,
    },
    #[error("{at}: a daemon.json holds one JSON object")]
    NotObject { at: Located },
    /// dockerd refuses to start with such a file, so it is not read either.
    #[error("{at}: `{key}` must be {expected}")]
    WrongType {
        key: String,
        expected: &'static str,
        at: Located,
    },
    /// A daemon.json configures dockerd; merging it into a Podman engine's settings would
    /// report values Podman never reads.
    #[error("{}: a daemon.json configures dockerd, not {engine}", file.display())]
    NotDocker { file: PathBuf, engine: String },
}

/// The effective settings of one engine.
#[derive(Debug, Clone)]
pub struct DaemonSpec {
    /// [`Platform::Docker`] or [`Platform::Podman`].
    pub platform: Platform,
    /// The engine in messages: `Docker 20.10.24`, `Podman 4.3.1`, `dockerd` for a file alone.
    pub name: String,
    /// Where findings about missing settings point: the daemon.json's first line when a file
    /// was read, else `/info`.
    pub declared_at: Evidence,
    /// The daemon.json read, if any.
    pub config_file: Option<PathBuf>,
    /// Whether a live engine answered.
    pub live: bool,
    /// How the engine was reached, when live.
    pub endpoint: Option<Endpoint>,
    pub rootless: Option<Setting<bool>>,
    /// `icc`: containers on the default bridge may talk to each other.
    pub icc: Option<Setting<bool>>,
    /// Whether a live Docker engine has a default bridge network (`--bridge=none` removes it).
    pub default_bridge: Option<bool>,
    /// `ip`: the address ports are published on when a binding names none.
    pub bind_ip: Option<Setting<String>>,
    pub log_level: Option<Setting<String>>,
    pub debug: Option<Setting<bool>>,
    pub iptables: Option<Setting<bool>>,
    /// Registries (names or CIDRs) reached without TLS verification, loopback left out.
    pub insecure_registries: Vec<Setting<String>>,
    pub storage_driver: Option<Setting<String>>,
    /// `storage-opts` entries, `dm.basesize=20G`.
    pub storage_opts: Vec<Setting<String>>,
    /// `hosts`: where the API listens (`unix://…`, `fd://`, `tcp://…`).
    pub hosts: Vec<Setting<String>>,
    pub tls: Option<Setting<bool>>,
    pub tls_verify: Option<Setting<bool>>,
    /// The names of the `default-ulimits` (`nofile`, `nproc`).
    pub default_ulimits: Option<Setting<Vec<String>>>,
    /// Whether user-namespace remapping is on (`userns-remap`, `/info` `name=userns`).
    pub userns_remap: Option<Setting<bool>>,
    pub cgroup_parent: Option<Setting<String>>,
    pub authorization_plugins: Option<Setting<Vec<String>>>,
    pub log_driver: Option<Setting<String>>,
    pub no_new_privileges: Option<Setting<bool>>,
    pub live_restore: Option<Setting<bool>>,
    pub userland_proxy: Option<Setting<bool>>,
    /// `builtin`, `default`, `unconfined` or a profile path.
    pub seccomp_profile: Option<Setting<String>>,
    pub experimental: Option<Setting<bool>>,
    /// Whether the host has AppArmor (`/info` `name=apparmor`).
    pub apparmor: Option<Setting<bool>>,
    /// `Swarm.LocalNodeState`: `inactive`, `pending`, `active`, `error`, `locked`.
    pub swarm: Option<Setting<String>>,
    /// Whether the engine can enforce memory, CPU quota and PIDs limits.
    pub memory_limit: Option<Setting<bool>>,
    pub cpu_quota: Option<Setting<bool>>,
    pub pids_limit: Option<Setting<bool>>,
    /// `cgroupfs`, `systemd`, `none`.
    pub cgroup_driver: Option<Setting<String>>,
    /// `/info CgroupVersion`: on cgroup v1 hosts dockerd gives containers the host's cgroup
    /// namespace unless they ask for a private one.
    pub cgroup_version: Option<Setting<String>>,
}

/// A setting's value as the daemon runs with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective<'a, T> {
    pub value: T,
    pub at: &'a Evidence,
    /// The daemon.json leaves the key out: `value` is dockerd's default.
    pub defaulted: bool,
}

impl DaemonSpec {
    /// A spec with nothing known.
    fn empty(platform: Platform, name: String, declared_at: Evidence) -> DaemonSpec {
        DaemonSpec {
            platform,
            name,
            declared_at,
            config_file: None,
            live: false,
            endpoint: None,
            rootless: None,
            icc: None,
            default_bridge: None,
            bind_ip: None,
            log_level: None,
            debug: None,
            iptables: None,
            insecure_registries: Vec::new(),
            storage_driver: None,
            storage_opts: Vec::new(),
            hosts: Vec::new(),
            tls: None,
            tls_verify: None,
            default_ulimits: None,
            userns_remap: None,
            cgroup_parent: None,
            authorization_plugins: None,
            log_driver: None,
            no_new_privileges: None,
            live_restore: None,
            userland_proxy: None,
            seccomp_profile: None,
            experimental: None,
            apparmor: None,
            swarm: None,
            memory_limit: None,
            cpu_quota: None,
            pids_limit: None,
            cgroup_driver: None,
            cgroup_version: None,
        }
    }

    /// The settings a live engine shows through `/info`, `/version` and `/networks`.
    pub fn from_engine(
        info: &Info,
        version: &Version,
        networks: &[Network],
        endpoint: &Endpoint,
    ) -> DaemonSpec {
        // Only podman's compat `/info` has `Rootless`.
        let podman = version.is_podman() || info.rootless.is_some();
        let platform = if podman {
            Platform::Podman
        } else {
            Platform::Docker
        };
        let server = if version.version.trim().is_empty() {
            &info.server_version
        } else {
            &version.version
        };
        let release = release(server);
        let name = if release.is_empty() {
            platform.as_str().to_owned()
        } else {
            format!("{} {release}", platform.as_str())
        };
        let mut spec = DaemonSpec::empty(platform, name, field("/info"));
        spec.live = true;
        spec.endpoint = Some(endpoint.clone());

        let options = &info.security_options;
        let security = || field("/info SecurityOptions");
        spec.rootless = Some(match info.rootless {
            Some(rootless) => Setting::new(rootless, field("/info Rootless")),
            None => Setting::new(has_security_option(options, "rootless"), security()),
        });
        spec.apparmor = Some(Setting::new(
            has_security_option(options, "apparmor"),
            security(),
        ));
        spec.seccomp_profile = security_option_value(options, "seccomp", "profile")
            .map(|profile| Setting::new(profile.to_owned(), security()));
        spec.debug = Some(Setting::new(info.debug, field("/info Debug")));
        spec.storage_driver = known(&info.driver, "/info Driver");
        spec.cgroup_driver = known(&info.cgroup_driver, "/info CgroupDriver");
        spec.cgroup_version = known(&info.cgroup_version, "/info CgroupVersion");
        spec.insecure_registries = insecure_registries(info);
        let support = |value: Option<bool>, name: &str| {
            value.map(|supported| Setting::new(supported, field(&format!("/info {name}"))))
        };
        spec.memory_limit = support(info.memory_limit, "MemoryLimit");
        spec.cpu_quota = support(info.cpu_cfs_quota, "CpuCfsQuota");
        spec.pids_limit = support(info.pids_limit, "PidsLimit");
        if podman {
            return spec;
        }

        spec.userns_remap = Some(Setting::new(
            has_security_option(options, "userns"),
            security(),
        ));
        // Older engines apply `no-new-privileges` without showing it: unknown, not off.
        if major(release).is_some_and(|major| major >= NO_NEW_PRIVILEGES_SHOWN_SINCE) {
            spec.no_new_privileges = Some(Setting::new(
                has_security_option(options, "no-new-privileges"),
                security(),
            ));
        }
        spec.live_restore = Some(Setting::new(
            info.live_restore_enabled,
            field("/info LiveRestoreEnabled"),
        ));
        spec.experimental = Some(Setting::new(
            info.experimental_build,
            field("/info ExperimentalBuild"),
        ));
        spec.log_driver = known(&info.logging_driver, "/info LoggingDriver");
        spec.swarm = known(&info.swarm.local_node_state, "/info Swarm.LocalNodeState");
        spec.authorization_plugins = Some(Setting::new(
            info.plugins.authorization.clone(),
            field("/info Plugins.Authorization"),
        ));
        let bridge = networks.iter().find(|network| is_default_bridge(network));
        spec.default_bridge = Some(bridge.is_some());
        if let Some(bridge) = bridge {
            let option = |key: &str| {
                let at = field(&format!("/networks/{} Options.{key}", bridge.name));
                bridge.options.get(key).map(|value| (value.trim(), at))
            };
            spec.icc = option(ENABLE_ICC).map(|(value, at)| {
                let enabled = value.eq_ignore_ascii_case("true") || value == "1";
                Setting::new(enabled, at)
            });
            spec.bind_ip = option(HOST_BINDING_IPV4)
                .filter(|(value, _)| !value.is_empty())
                .map(|(value, at)| Setting::new(value.to_owned(), at));
        }
        spec
    }

    /// The settings of a daemon.json alone (`--daemon-config` without an engine): a Docker
    /// daemon whose unset keys have dockerd's defaults.
    pub fn from_config(path: &Path, text: &str) -> Result<DaemonSpec, DaemonConfigError> {
        config::read(path, text)
    }

    /// Adds what a daemon.json says to a live engine's settings: the engine's value wherever
    /// the API shows one (it is what runs), the file's where it does not. When both know a
    /// setting, the finding points at the file's key, so it lands on a line.
    pub fn with_config(self, path: &Path, text: &str) -> Result<DaemonSpec, DaemonConfigError> {
        if self.platform == Platform::Podman {
            return Err(DaemonConfigError::NotDocker {
                file: path.to_path_buf(),
                engine: self.name,
            });
        }
        let file = DaemonSpec::from_config(path, text)?;
        Ok(self.merge(file))
    }

    fn merge(self, file: DaemonSpec) -> DaemonSpec {
        let engine_lists_registries = self.live;
        DaemonSpec {
            platform: self.platform,
            name: self.name,
            declared_at: file.declared_at,
            config_file: file.config_file,
            live: self.live,
            endpoint: self.endpoint,
            rootless: merged(self.rootless, file.rootless),
            icc: merged(self.icc, file.icc),
            default_bridge: self.default_bridge,
            bind_ip: merged(self.bind_ip, file.bind_ip),
            log_level: merged(self.log_level, file.log_level),
            debug: merged(self.debug, file.debug),
            iptables: merged(self.iptables, file.iptables),
            insecure_registries: merged_items(
                self.insecure_registries,
                engine_lists_registries,
                file.insecure_registries,
            ),
            storage_driver: merged(self.storage_driver, file.storage_driver),
            storage_opts: merged_items(self.storage_opts, false, file.storage_opts),
            hosts: merged_items(self.hosts, false, file.hosts),
            tls: merged(self.tls, file.tls),
            tls_verify: merged(self.tls_verify, file.tls_verify),
            default_ulimits: merged(self.default_ulimits, file.default_ulimits),
            userns_remap: merged(self.userns_remap, file.userns_remap),
            cgroup_parent: merged(self.cgroup_parent, file.cgroup_parent),
            authorization_plugins: merged(self.authorization_plugins, file.authorization_plugins),
            log_driver: merged(self.log_driver, file.log_driver),
            no_new_privileges: merged(self.no_new_privileges, file.no_new_privileges),
            live_restore: merged(self.live_restore, file.live_restore),
            userland_proxy: merged(self.userland_proxy, file.userland_proxy),
            seccomp_profile: merged(self.seccomp_profile, file.seccomp_profile),
            experimental: merged(self.experimental, file.experimental),
            apparmor: merged(self.apparmor, file.apparmor),
            swarm: merged(self.swarm, file.swarm),
            memory_limit: merged(self.memory_limit, file.memory_limit),
            cpu_quota: merged(self.cpu_quota, file.cpu_quota),
            pids_limit: merged(self.pids_limit, file.pids_limit),
            cgroup_driver: merged(self.cgroup_driver, file.cgroup_driver),
            cgroup_version: merged(self.cgroup_version, file.cgroup_version),
        }
    }

    /// The facts of this engine that decide the container checks' effective values.
    pub fn engine_defaults(&self) -> EngineDefaults {
        let yes = |setting: &Option<Setting<bool>>| setting.as_ref().is_some_and(|s| s.value);
        EngineDefaults {
            no_new_privileges: yes(&self.no_new_privileges),
            rootless: yes(&self.rootless),
            apparmor: yes(&self.apparmor),
            default_bind_ip: self
                .bind_ip
                .as_ref()
                .map(|ip| ip.value.trim())
                .filter(|ip| !matches!(*ip, "" | "0.0.0.0" | "::" | "[::]"))
                .map(str::to_owned),
            host_cgroupns_by_default: self
                .cgroup_version
                .as_ref()
                .is_some_and(|v| v.value.trim() == "1"),
        }
    }

    pub fn is_podman(&self) -> bool {
        self.platform == Platform::Podman
    }

    /// Whether the engine runs rootless, as far as anything tells.
    pub fn is_rootless(&self) -> bool {
        self.rootless.as_ref().is_some_and(|s| s.value)
    }

    /// Whether a daemon.json was read, so that keys it leaves out have dockerd's defaults.
    pub fn config_read(&self) -> bool {
        self.config_file.is_some()
    }

    /// The value the daemon runs with: `setting` when known, else dockerd's `default` when a
    /// daemon.json was read (pointing at the file), else `None`: nothing can tell.
    pub fn effective<'a, T: Clone>(
        &'a self,
        setting: &'a Option<Setting<T>>,
        default: T,
    ) -> Option<Effective<'a, T>> {
        match setting {
            Some(setting) => Some(Effective {
                value: setting.value.clone(),
                at: &setting.at,
                defaulted: false,
            }),
            None if self.config_read() => Some(Effective {
                value: default,
                at: &self.declared_at,
                defaulted: true,
            }),
            None => None,
        }
    }

    /// Whether the engine is a node of a swarm (joining or joined).
    pub fn in_swarm(&self) -> bool {
        self.swarm
            .as_ref()
            .is_some_and(|state| matches!(state.value.as_str(), "active" | "pending" | "locked"))
    }
}

/// Where dockerd reads its daemon.json: `/etc/docker/daemon.json`, or for a rootless daemon
/// `$XDG_CONFIG_HOME/docker/daemon.json` (`~/.config/docker/daemon.json`).
pub fn default_config_paths(rootless: bool) -> Vec<PathBuf> {
    config_paths(
        rootless,
        std::env::var_os("XDG_CONFIG_HOME"),
        std::env::var_os("HOME"),
    )
}

fn config_paths(rootless: bool, xdg: Option<OsString>, home: Option<OsString>) -> Vec<PathBuf> {
    if !rootless {
        return vec![PathBuf::from("/etc/docker/daemon.json")];
    }
    // Like the XDG spec (and dockerd), a relative XDG_CONFIG_HOME is ignored.
    let base = xdg
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| {
            home.filter(|home| !home.is_empty())
                .map(|home| PathBuf::from(home).join(".config"))
        });
    base.map(|base| base.join("docker").join("daemon.json"))
        .into_iter()
        .collect()
}

fn field(name: &str) -> Evidence {
    Evidence::Field(name.to_owned())
}

/// A non-empty text field as a setting.
fn known(value: &str, name: &str) -> Option<Setting<String>> {
    let value = value.trim();
    (!value.is_empty()).then(|| Setting::new(value.to_owned(), field(name)))
}

/// The start of a file, where findings about what it leaves out point.
fn first_line(path: &Path) -> Located {
    located_at(path, Position { line: 1, column: 1 })
}

/// A point of a file.
fn located_at(path: &Path, start: Position) -> Located {
    Located {
        file: path.to_path_buf(),
        region: Some(Region {
            start,
            end: start,
            bytes: (0, 0),
        }),
    }
}

/// `20.10.24` of `20.10.24+dfsg1` (the distribution's build suffix says nothing here).
fn release(server: &str) -> &str {
    let server = server.trim();
    server.split('+').next().unwrap_or(server)
}

fn major(release: &str) -> Option<u32> {
    release
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// Whether `SecurityOptions` has the entry `name=<name>` (or the bare `<name>` of engines
/// before the `name=` form).
fn has_security_option(options: &[String], name: &str) -> bool {
    options.iter().any(|option| {
        option == name
            || option
                .split(',')
                .any(|pair| pair.strip_prefix("name=") == Some(name))
    })
}

/// `profile` of `name=seccomp,profile=builtin`.
fn security_option_value<'a>(options: &'a [String], name: &str, key: &str) -> Option<&'a str> {
    options.iter().find_map(|option| {
        let pairs: Vec<(&str, &str)> = option
            .split(',')
            .filter_map(|pair| pair.split_once('='))
            .collect();
        if !pairs.contains(&("name", name)) {
            return None;
        }
        pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    })
}

/// The insecure registries of `/info RegistryConfig`: CIDRs other than dockerd's loopback
/// defaults, and registries marked `Secure: false` (podman lists its insecure registries only
/// there).
fn insecure_registries(info: &Info) -> Vec<Setting<String>> {
    let registries = &info.registry_config;
    let mut found: Vec<Setting<String>> = registries
        .insecure_registry_cidrs
        .iter()
        .filter(|cidr| !BUILT_IN_INSECURE.contains(&cidr.trim()))
        .map(|cidr| {
            Setting::new(
                cidr.trim().to_owned(),
                field("/info RegistryConfig.InsecureRegistryCIDRs"),
            )
        })
        .collect();
    for (key, index) in &registries.index_configs {
        if index.secure != Some(false) {
            continue;
        }
        let name = if index.name.is_empty() {
            key
        } else {
            &index.name
        };
        if found.iter().all(|known| known.value != *name) {
            let at = field(&format!("/info RegistryConfig.IndexConfigs.{key}.Secure"));
            found.push(Setting::new(name.clone(), at));
        }
    }
    found
}

/// Docker's default bridge: marked by its option, or (older engines) named `bridge`.
fn is_default_bridge(network: &Network) -> bool {
    match network.options.get(DEFAULT_BRIDGE) {
        Some(flag) => flag.eq_ignore_ascii_case("true"),
        None => network.name == "bridge" && network.driver == "bridge",
    }
}

/// The engine's value, at the file's key when the file sets it too.
fn merged<T>(engine: Option<Setting<T>>, file: Option<Setting<T>>) -> Option<Setting<T>> {
    match (engine, file) {
        (Some(engine), Some(file)) => Some(Setting {
            value: engine.value,
            at: file.at,
        }),
        (engine, file) => engine.or(file),
    }
}

/// A list the engine may show: its items when it does (each at the file's item naming the
/// same thing, if any), else the file's.
fn merged_items(
    engine: Vec<Setting<String>>,
    engine_knows: bool,
    file: Vec<Setting<String>>,
) -> Vec<Setting<String>> {
    if !engine_knows && engine.is_empty() {
        return file;
    }
    let same = |a: &str, b: &str| registry_key(a) == registry_key(b);
    engine
        .into_iter()
        .map(
            |item| match file.iter().find(|f| same(&f.value, &item.value)) {
                Some(in_file) => Setting {
                    value: item.value,
                    at: in_file.at.clone(),
                },
                None => item,
            },
        )
        .collect()
}

/// A registry or address as compared across the API and the file: no scheme, no trailing `/`.
fn registry_key(text: &str) -> &str {
    let text = text.trim();
    let text = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"))
        .unwrap_or(text);
    text.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::checks::testing::{
        bridge, docker_info, docker_version, podman_info, podman_version, unix, with,
    };
    use super::*;
    use serde_json::json;

    fn docker(info: serde_json::Value, networks: serde_json::Value) -> DaemonSpec {
        let networks: Vec<Network> = serde_json::from_value(networks).unwrap();
        DaemonSpec::from_engine(
            &serde_json::from_value(info).unwrap(),
            &docker_version("20.10.24+dfsg1"),
            &networks,
            &unix(),
        )
    }

    fn at<T>(setting: &Option<Setting<T>>) -> String {
        setting.as_ref().unwrap().at.to_string()
    }

    #[test]
    fn a_default_docker_engine_reads_as_it_runs() {
        let spec = docker(docker_info(), json!([bridge("true", "0.0.0.0")]));
        assert_eq!(spec.platform, Platform::Docker);
        assert_eq!(spec.name, "Docker 20.10.24");
        assert_eq!(spec.declared_at, field("/info"));
        assert!(spec.live && !spec.config_read());
        assert!(!spec.rootless.as_ref().unwrap().value);
        assert!(spec.icc.as_ref().unwrap().value);
        assert_eq!(
            at(&spec.icc),
            "/networks/bridge Options.com.docker.network.bridge.enable_icc"
        );
        assert_eq!(spec.default_bridge, Some(true));
        assert!(!spec.userns_remap.as_ref().unwrap().value);
        assert_eq!(spec.seccomp_profile.as_ref().unwrap().value, "default");
        assert_eq!(spec.log_driver.as_ref().unwrap().value, "json-file");
        assert_eq!(spec.swarm.as_ref().unwrap().value, "inactive");
        assert!(spec.insecure_registries.is_empty(), "loopback is built in");
        assert!(spec
            .authorization_plugins
            .as_ref()
            .unwrap()
            .value
            .is_empty());
        assert!(spec.no_new_privileges.is_none(), "20.10 does not show it");
        assert!(spec.log_level.is_none() && spec.iptables.is_none());
        let defaults = spec.engine_defaults();
        assert!(!defaults.no_new_privileges && !defaults.rootless && !defaults.apparmor);
        assert_eq!(defaults.default_bind_ip, None);
    }

    #[test]
    fn docker_24_shows_no_new_privileges_and_the_bridge_its_bind_address() {
        let info = with(
            docker_info(),
            json!({"ServerVersion": "24.0.7", "SecurityOptions": [
                "name=apparmor", "name=seccomp,profile=builtin", "name=no-new-privileges"
            ]}),
        );
        let spec = DaemonSpec::from_engine(
            &serde_json::from_value(info).unwrap(),
            &docker_version("24.0.7"),
            &serde_json::from_value::<Vec<Network>>(json!([bridge("false", "127.0.0.1")])).unwrap(),
            &unix(),
        );
        assert_eq!(spec.name, "Docker 24.0.7");
        assert!(spec.no_new_privileges.as_ref().unwrap().value);
        assert_eq!(spec.seccomp_profile.as_ref().unwrap().value, "builtin");
        assert!(!spec.icc.as_ref().unwrap().value);
        let defaults = spec.engine_defaults();
        assert!(defaults.no_new_privileges && defaults.apparmor);
        assert_eq!(defaults.default_bind_ip.as_deref(), Some("127.0.0.1"));
    }

    #[test]
    fn insecure_registries_come_from_cidrs_and_index_configs() {
        let info = with(
            docker_info(),
            json!({"RegistryConfig": {
                "InsecureRegistryCIDRs": ["10.0.0.0/8", "127.0.0.0/8", "::1/128"],
                "IndexConfigs": {
                    "docker.io": {"Name": "docker.io", "Mirrors": [], "Secure": true, "Official": true},
                    "registry.local:5000": {"Name": "registry.local:5000", "Mirrors": [],
                                            "Secure": false, "Official": false}
                },
                "Mirrors": []
            }}),
        );
        let spec = docker(info, json!([]));
        let found: Vec<_> = spec
            .insecure_registries
            .iter()
            .map(|s| (s.value.as_str(), s.at.to_string()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "10.0.0.0/8",
                    "/info RegistryConfig.InsecureRegistryCIDRs".into()
                ),
                (
                    "registry.local:5000",
                    "/info RegistryConfig.IndexConfigs.registry.local:5000.Secure".to_string()
                ),
            ]
        );
        assert_eq!(spec.default_bridge, Some(false), "no bridge network listed");
        assert!(spec.icc.is_none());
    }

    #[test]
    fn podman_constants_are_not_read_as_settings() {
        let spec = DaemonSpec::from_engine(
            &serde_json::from_value(podman_info()).unwrap(),
            &podman_version(),
            &serde_json::from_value::<Vec<Network>>(json!([{
                "Name": "bridge", "Driver": "bridge", "Options": {}
            }]))
            .unwrap(),
            &unix(),
        );
        assert_eq!(spec.platform, Platform::Podman);
        assert_eq!(spec.name, "Podman 4.3.1");
        assert!(!spec.rootless.as_ref().unwrap().value);
        assert_eq!(at(&spec.rootless), "/info Rootless");
        for unknown in [
            &spec.live_restore,
            &spec.experimental,
            &spec.no_new_privileges,
        ] {
            assert!(unknown.is_none());
        }
        assert!(spec.log_driver.is_none() && spec.swarm.is_none() && spec.icc.is_none());
        assert!(spec.userns_remap.is_none() && spec.authorization_plugins.is_none());
        assert!(!spec.debug.as_ref().unwrap().value);
        assert_eq!(spec.storage_driver.as_ref().unwrap().value, "overlay");
    }

    #[test]
    fn a_daemon_json_alone_is_a_docker_daemon_with_located_keys() {
        let text = "{\n  \"icc\": false,\n  \"log-level\": \"debug\",\n  \"insecure-registries\": [\n    \"registry.local:5000\",\n    \"10.0.0.0/8\"\n  ],\n  \"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Hard\": 2048, \"Soft\": 1024}},\n  \"userns-remap\": \"default\",\n  \"unknown-key\": {\"ignored\": true}\n}\n";
        let spec = DaemonSpec::from_config(Path::new("daemon.json"), text).unwrap();
        assert_eq!(spec.platform, Platform::Docker);
        assert!(!spec.live && spec.config_read());
        assert_eq!(spec.declared_at.to_string(), "daemon.json:1:1");
        assert!(!spec.icc.as_ref().unwrap().value);
        assert_eq!(at(&spec.icc), "daemon.json:2:3");
        assert_eq!(spec.log_level.as_ref().unwrap().value, "debug");
        let registries: Vec<_> = spec
            .insecure_registries
            .iter()
            .map(|s| (s.value.as_str(), s.at.to_string()))
            .collect();
        assert_eq!(
            registries,
            [
                ("registry.local:5000", "daemon.json:5:5".to_string()),
                ("10.0.0.0/8", "daemon.json:6:5".to_string())
            ]
        );
        assert_eq!(spec.default_ulimits.as_ref().unwrap().value, ["nofile"]);
        assert!(spec.userns_remap.as_ref().unwrap().value);
        assert!(
            spec.rootless.is_none(),
            "a file cannot tell how dockerd was started"
        );
        let effective = spec.effective(&spec.live_restore, false).unwrap();
        assert!(effective.defaulted && !effective.value);
        assert_eq!(effective.at.to_string(), "daemon.json:1:1");
    }

    #[test]
    fn tabs_and_compact_json_keep_positions() {
        let spec = DaemonSpec::from_config(
            Path::new("d.json"),
            "{\n\t\"debug\":true,\"iptables\":false}",
        )
        .unwrap();
        assert_eq!(at(&spec.debug), "d.json:2:2");
        assert_eq!(at(&spec.iptables), "d.json:2:15");
        let empty = DaemonSpec::from_config(Path::new("d.json"), "  \n").unwrap();
        assert!(empty.config_read() && empty.icc.is_none());
    }

    #[test]
    fn broken_files_are_errors_naming_the_place() {
        let path = Path::new("/etc/docker/daemon.json");
        let err = DaemonSpec::from_config(path, "{\n  \"icc\": false,\n}\n").unwrap_err();
        assert!(
            matches!(
                err,
                DaemonConfigError::Syntax {
                    line: 3,
                    column: 1,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err
            .to_string()
            .starts_with("/etc/docker/daemon.json:3:1: not valid JSON"));
        let err = DaemonSpec::from_config(path, "{\n  \"icc\": \"false\"\n}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "/etc/docker/daemon.json:2:3: `icc` must be true or false"
        );
        let err = DaemonSpec::from_config(path, "{\"hosts\": \"tcp://0.0.0.0:2375\"}").unwrap_err();
        assert!(
            err.to_string()
                .contains("`hosts` must be a list of strings"),
            "{err}"
        );
        let err = DaemonSpec::from_config(path, "[]").unwrap_err();
        assert!(
            matches!(err, DaemonConfigError::NotObject { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn the_engine_value_wins_and_the_file_gives_the_line() {
        let engine = docker(
            with(
                docker_info(),
                json!({"RegistryConfig": {"InsecureRegistryCIDRs": ["10.0.0.0/8", "127.0.0.0/8"],
                        "IndexConfigs": {}}, "LiveRestoreEnabled": false}),
            ),
            json!([bridge("true", "0.0.0.0")]),
        );
        // The file was edited but the daemon not restarted: what runs is what counts.
        let text = "{\n  \"icc\": false,\n  \"insecure-registries\": [\"10.0.0.0/8\", \"old.example:5000\"],\n  \"log-level\": \"debug\"\n}\n";
        let spec = engine.with_config(Path::new("daemon.json"), text).unwrap();
        assert_eq!(spec.name, "Docker 20.10.24");
        assert_eq!(spec.declared_at.to_string(), "daemon.json:1:1");
        assert!(spec.icc.as_ref().unwrap().value);
        assert_eq!(at(&spec.icc), "daemon.json:2:3");
        let registries: Vec<_> = spec
            .insecure_registries
            .iter()
            .map(|s| (s.value.as_str(), s.at.to_string()))
            .collect();
        assert_eq!(registries, [("10.0.0.0/8", "daemon.json:3:27".to_string())]);
        assert_eq!(
            at(&spec.log_level),
            "daemon.json:4:3",
            "only the file knows"
        );
        assert_eq!(at(&spec.live_restore), "/info LiveRestoreEnabled");
    }

    #[test]
    fn a_daemon_json_does_not_configure_podman() {
        let podman = DaemonSpec::from_engine(
            &serde_json::from_value(podman_info()).unwrap(),
            &podman_version(),
            &[],
            &unix(),
        );
        let err = podman
            .with_config(Path::new("/etc/docker/daemon.json"), "{}")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "/etc/docker/daemon.json: a daemon.json configures dockerd, not Podman 4.3.1"
        );
    }

    #[test]
    fn config_paths_follow_dockerd() {
        assert_eq!(
            config_paths(false, Some("/x".into()), Some("/root".into())),
            [PathBuf::from("/etc/docker/daemon.json")]
        );
        assert_eq!(
            config_paths(true, Some("/cfg".into()), Some("/home/u".into())),
            [PathBuf::from("/cfg/docker/daemon.json")]
        );
        assert_eq!(
            config_paths(true, Some("relative".into()), Some("/home/u".into())),
            [PathBuf::from("/home/u/.config/docker/daemon.json")]
        );
        assert!(config_paths(true, None, None).is_empty());
    }

    #[test]
    fn security_options_are_parsed_by_name() {
        let options: Vec<String> = ["name=seccomp,profile=/etc/profile.json", "name=userns"]
            .map(String::from)
            .to_vec();
        assert!(has_security_option(&options, "userns"));
        assert!(!has_security_option(&options, "rootless"));
        assert_eq!(
            security_option_value(&options, "seccomp", "profile"),
            Some("/etc/profile.json")
        );
        assert_eq!(security_option_value(&options, "userns", "profile"), None);
        assert!(has_security_option(&["apparmor".into()], "apparmor"));
    }
}
