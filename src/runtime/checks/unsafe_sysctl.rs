//! PC5014 `unsafe-sysctl`: a sysctl outside the Kubernetes safe set.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

/// The sysctls Kubernetes considers safe (namespaced, isolated between pods), as of 1.32.
const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ping_group_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

/// The sysctl name of a setting (`name=value` as Compose and live containers give it, or a
/// bare name as Kubernetes does), in dotted form: like the kubelet, a name whose first
/// separator is `/` has its `/` and `.` swapped (`net/ipv4/conf/eth0.1/rp_filter`).
fn sysctl_name(setting: &str) -> String {
    let name = setting
        .split_once('=')
        .map_or(setting, |(name, _)| name)
        .trim();
    match name.find(['.', '/']) {
        Some(i) if name.as_bytes()[i] == b'/' => name
            .chars()
            .map(|c| match c {
                '/' => '.',
                '.' => '/',
                c => c,
            })
            .collect(),
        _ => name.to_owned(),
    }
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    spec.sysctls
        .iter()
        .filter_map(|sysctl| {
            let name = sysctl_name(&sysctl.value);
            if name.is_empty() || SAFE.contains(&name.as_str()) {
                return None;
            }
            Some(Violation::new(
                &rules::UNSAFE_SYSCTL,
                format!(
                    "{} sets sysctl `{name}`, outside the safe set",
                    spec.subject
                ),
                &sysctl.at,
            ))
        })
        // Upstream ids come from manifest scanners only.
        .map(|violation| violation.kubernetes_aliases_only(spec.platform))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::Platform;

    #[test]
    fn names_are_taken_before_the_value_and_slashes_are_dots() {
        assert_eq!(sysctl_name("net.core.somaxconn=1024"), "net.core.somaxconn");
        assert_eq!(
            sysctl_name(" kernel.shm_rmid_forced "),
            "kernel.shm_rmid_forced"
        );
        assert_eq!(
            sysctl_name("net/ipv4/tcp_syncookies=1"),
            "net.ipv4.tcp_syncookies"
        );
        assert_eq!(
            sysctl_name("net/ipv4/conf/eth0.100/rp_filter"),
            "net.ipv4.conf.eth0/100.rp_filter"
        );
    }

    #[test]
    fn compose_unsafe_sysctl_is_reported_and_safe_one_passes() {
        let mut spec = bare(Platform::Docker);
        spec.sysctls = vec![
            set("net.ipv4.ip_forward=1".into(), 6),
            set("net.ipv4.ip_unprivileged_port_start=0".into(), 7),
        ];
        assert_eq!(run(check, &spec), [("PC5014", 6)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` sets sysctl `net.ipv4.ip_forward`, outside the safe set"
        );
    }

    #[test]
    fn kubernetes_names_are_checked() {
        let mut spec = bare(Platform::Kubernetes);
        assert!(run(check, &spec).is_empty());
        spec.sysctls = vec![
            set("kernel.msgmax".into(), 10),
            set("net.ipv4.tcp_keepalive_time".into(), 11),
            set("net/ipv4/tcp_wmem".into(), 12),
        ];
        assert_eq!(run(check, &spec), [("PC5014", 10)]);
    }

    #[test]
    fn podman_live_sysctls_are_checked() {
        let mut spec = bare(Platform::Podman);
        assert!(run(check, &spec).is_empty());
        spec.sysctls = vec![
            set("net.core.somaxconn=4096".into(), 0),
            set("net.ipv4.ping_group_range=0 2147483647".into(), 0),
        ];
        assert_eq!(run(check, &spec), [("PC5014", 0)]);
    }
}
