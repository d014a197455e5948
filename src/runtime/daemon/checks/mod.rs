//! The daemon checks (PC7…): one file per rule, each a function from a [`DaemonSpec`] to the
//! [`Violation`]s it sees, with its tests.
//!
//! A check reads only the spec, so it fires the same way for a live engine, a daemon.json and
//! both. Where a setting is unknown (`None` and no daemon.json read) it reports nothing; where
//! Podman's compat answers are constants it skips Podman. Checks never decide severity or
//! suppression: that is the policy layer's job.

use crate::rules::{self, Rule};
use crate::runtime::checks::{rules_of, Check};
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

#[cfg(test)]
pub(crate) mod testing;

mod authorization_plugin_missing;
mod daemon_rootful;
mod debug_logging;
mod default_ulimits_unset;
mod experimental_enabled;
mod insecure_registry;
mod inter_container_communication;
mod iptables_disabled;
mod legacy_storage_driver;
mod live_restore_off;
mod logging_local_only;
mod new_privileges_by_default;
mod resource_limits_unenforced;
mod seccomp_default_weakened;
mod swarm_mode_enabled;
mod tcp_socket_without_tls;
mod userland_proxy_on;
mod userns_remap_off;

/// A daemon check and the rules it can report.
pub type DaemonCheck = Check<fn(&DaemonSpec) -> Vec<Violation>>;

/// Every daemon check, in rule order.
pub static DAEMON_CHECKS: &[DaemonCheck] = &[
    DaemonCheck {
        rules: &[&rules::DAEMON_ROOTFUL],
        run: daemon_rootful::check,
    },
    DaemonCheck {
        rules: &[&rules::INTER_CONTAINER_COMMUNICATION],
        run: inter_container_communication::check,
    },
    DaemonCheck {
        rules: &[&rules::DEBUG_LOGGING],
        run: debug_logging::check,
    },
    DaemonCheck {
        rules: &[&rules::IPTABLES_DISABLED],
        run: iptables_disabled::check,
    },
    DaemonCheck {
        rules: &[&rules::INSECURE_REGISTRY],
        run: insecure_registry::check,
    },
    DaemonCheck {
        rules: &[&rules::LEGACY_STORAGE_DRIVER],
        run: legacy_storage_driver::check,
    },
    DaemonCheck {
        rules: &[&rules::TCP_SOCKET_WITHOUT_TLS],
        run: tcp_socket_without_tls::check,
    },
    DaemonCheck {
        rules: &[&rules::DEFAULT_ULIMITS_UNSET],
        run: default_ulimits_unset::check,
    },
    DaemonCheck {
        rules: &[&rules::USERNS_REMAP_OFF],
        run: userns_remap_off::check,
    },
    DaemonCheck {
        rules: &[&rules::AUTHORIZATION_PLUGIN_MISSING],
        run: authorization_plugin_missing::check,
    },
    DaemonCheck {
        rules: &[&rules::LOGGING_LOCAL_ONLY],
        run: logging_local_only::check,
    },
    DaemonCheck {
        rules: &[&rules::NEW_PRIVILEGES_BY_DEFAULT],
        run: new_privileges_by_default::check,
    },
    DaemonCheck {
        rules: &[&rules::LIVE_RESTORE_OFF],
        run: live_restore_off::check,
    },
    DaemonCheck {
        rules: &[&rules::USERLAND_PROXY_ON],
        run: userland_proxy_on::check,
    },
    DaemonCheck {
        rules: &[&rules::SECCOMP_DEFAULT_WEAKENED],
        run: seccomp_default_weakened::check,
    },
    DaemonCheck {
        rules: &[&rules::EXPERIMENTAL_ENABLED],
        run: experimental_enabled::check,
    },
    DaemonCheck {
        rules: &[&rules::SWARM_MODE_ENABLED],
        run: swarm_mode_enabled::check,
    },
    DaemonCheck {
        rules: &[&rules::RESOURCE_LIMITS_UNENFORCED],
        run: resource_limits_unenforced::check,
    },
];

/// Runs every daemon check on `daemon`.
pub fn check_daemon(daemon: &DaemonSpec) -> Vec<Violation> {
    DAEMON_CHECKS
        .iter()
        .flat_map(|check| (check.run)(daemon))
        .collect()
}

/// The rules the daemon checks can report, in catalogue order.
pub fn daemon_rules() -> Vec<&'static Rule> {
    rules_of(DAEMON_CHECKS)
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    fn codes(daemon: &DaemonSpec) -> Vec<&'static str> {
        check_daemon(daemon).iter().map(|v| v.rule.code).collect()
    }

    #[test]
    fn every_pc7_rule_has_a_check() {
        let catalogued: Vec<_> = rules::CATALOGUE
            .iter()
            .filter(|rule| rule.code.starts_with("PC7"))
            .map(|rule| rule.code)
            .collect();
        let checked: Vec<_> = daemon_rules().iter().map(|rule| rule.code).collect();
        assert_eq!(checked, catalogued);
        assert_eq!(checked.len(), 18);
    }

    #[test]
    fn a_default_docker_20_10_engine() {
        // What CIS section 2 says about a stock rootful dockerd reached on its socket.
        assert_eq!(
            codes(&docker(docker_info())),
            ["PC7001", "PC7002", "PC7009", "PC7010", "PC7011", "PC7013"]
        );
    }

    #[test]
    fn a_default_daemon_json_adds_what_only_the_file_shows() {
        assert_eq!(
            codes(&docker_and_config(docker_info(), "{}")),
            [
                "PC7001", "PC7002", "PC7008", "PC7009", "PC7010", "PC7011", "PC7012", "PC7013",
                "PC7014"
            ]
        );
    }

    #[test]
    fn a_default_podman_engine_is_only_rootful() {
        assert_eq!(codes(&podman(podman_info())), ["PC7001"]);
    }

    #[test]
    fn a_hardened_daemon_json_passes() {
        let text = r#"{
  "icc": false,
  "log-level": "info",
  "userns-remap": "default",
  "authorization-plugins": ["opa-docker-authz"],
  "log-driver": "fluentd",
  "no-new-privileges": true,
  "live-restore": true,
  "userland-proxy": false,
  "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 4096, "Soft": 1024}},
  "hosts": ["unix:///var/run/docker.sock"]
}"#;
        assert!(
            codes(&config(text)).is_empty(),
            "{:?}",
            codes(&config(text))
        );
    }
}
