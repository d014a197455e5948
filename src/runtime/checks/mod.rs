//! The runtime checks: one file per rule, each a function from a [`ContainerSpec`] to the
//! [`Violation`]s it sees, with its tests.
//!
//! A check reads only the neutral spec, so it fires the same way for a Compose service, a
//! Kubernetes container and a live container; where the platforms' defaults differ (Docker's
//! and Podman's capability sets, Kubernetes applying no seccomp profile unless asked) it asks
//! [`ContainerSpec::platform`] and the engine's [`EngineDefaults`]. Checks never decide
//! severity or suppression: that is the policy layer's job.

use crate::rules;
use crate::rules::Rule;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

#[cfg(test)]
pub(crate) mod testing;

// Identity and privilege (PC1…).
// (container checks of the PC1 family go here)
mod capabilities_not_dropped;
mod capability_added;
mod dangerous_capability;
mod privilege_escalation_allowed;
mod privileged_container;
mod privileged_exec_session;
mod root_group;
mod root_user;
mod service_account_token_mounted;

// Isolation (PC5…).
// (container checks of the PC5 family go here)
mod apparmor_disabled;
mod engine_socket_mounted;
mod host_devices_exposed;
mod host_namespace_shared;
mod host_path_volume;
mod mount_propagation_shared;
mod proc_mask_disabled;
mod root_filesystem_writable;
mod seccomp_disabled;
mod seccomp_profile_unset;
mod selinux_disabled;
mod sensitive_host_path_mounted;
mod unsafe_sysctl;
mod volume_type_restricted;
mod windows_host_process;

// Resources, ports and availability (PC6…), and the shared image rules.
// (container checks of the PC6 family go here)
mod cgroup_parent_custom;
mod cpu_unlimited;
mod host_port;
mod image_tag_mutable;
mod memory_unlimited;
mod missing_healthcheck;
mod oom_killer_disabled;
mod pids_unlimited;
mod port_all_interfaces;
mod privileged_port;
mod restart_policy_unbounded;
mod secret_in_env;
mod sshd_running;
mod ulimits_unset;

/// A runtime check and the rules it can report; `F` is its function.
pub struct Check<F> {
    pub rules: &'static [&'static Rule],
    pub run: F,
}

/// A container check.
pub type ContainerCheck = Check<fn(&ContainerSpec, &EngineDefaults) -> Vec<Violation>>;

/// The rules `checks` can report, in catalogue order.
pub fn rules_of<F>(checks: &[Check<F>]) -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = checks
        .iter()
        .flat_map(|check| check.rules.iter().copied())
        .collect();
    rules.sort_by_key(|rule| rule.code);
    rules.dedup_by_key(|rule| rule.code);
    rules
}

/// Every container check.
pub static CONTAINER_CHECKS: &[ContainerCheck] = &[
    // PC1 checks
    ContainerCheck {
        rules: &[&rules::ROOT_USER],
        run: root_user::check,
    },
    ContainerCheck {
        rules: &[&rules::PRIVILEGED_CONTAINER],
        run: privileged_container::check,
    },
    ContainerCheck {
        rules: &[&rules::CAPABILITY_ADDED],
        run: capability_added::check,
    },
    ContainerCheck {
        rules: &[&rules::DANGEROUS_CAPABILITY],
        run: dangerous_capability::check,
    },
    ContainerCheck {
        rules: &[&rules::CAPABILITIES_NOT_DROPPED],
        run: capabilities_not_dropped::check,
    },
    ContainerCheck {
        rules: &[&rules::PRIVILEGE_ESCALATION_ALLOWED],
        run: privilege_escalation_allowed::check,
    },
    ContainerCheck {
        rules: &[&rules::ROOT_GROUP],
        run: root_group::check,
    },
    ContainerCheck {
        rules: &[&rules::PRIVILEGED_EXEC_SESSION],
        run: privileged_exec_session::check,
    },
    ContainerCheck {
        rules: &[&rules::SERVICE_ACCOUNT_TOKEN_MOUNTED],
        run: service_account_token_mounted::check,
    },
    // PC5 checks
    ContainerCheck {
        rules: &[&rules::APPARMOR_DISABLED],
        run: apparmor_disabled::check,
    },
    ContainerCheck {
        rules: &[&rules::SELINUX_DISABLED],
        run: selinux_disabled::check,
    },
    ContainerCheck {
        rules: &[&rules::SECCOMP_DISABLED],
        run: seccomp_disabled::check,
    },
    ContainerCheck {
        rules: &[&rules::SECCOMP_PROFILE_UNSET],
        run: seccomp_profile_unset::check,
    },
    ContainerCheck {
        rules: &[&rules::PROC_MASK_DISABLED],
        run: proc_mask_disabled::check,
    },
    ContainerCheck {
        rules: &[&rules::ROOT_FILESYSTEM_WRITABLE],
        run: root_filesystem_writable::check,
    },
    ContainerCheck {
        rules: &[&rules::HOST_NAMESPACE_SHARED],
        run: host_namespace_shared::check,
    },
    ContainerCheck {
        rules: &[&rules::HOST_DEVICES_EXPOSED],
        run: host_devices_exposed::check,
    },
    ContainerCheck {
        rules: &[&rules::SENSITIVE_HOST_PATH_MOUNTED],
        run: sensitive_host_path_mounted::check,
    },
    ContainerCheck {
        rules: &[&rules::ENGINE_SOCKET_MOUNTED],
        run: engine_socket_mounted::check,
    },
    ContainerCheck {
        rules: &[&rules::MOUNT_PROPAGATION_SHARED],
        run: mount_propagation_shared::check,
    },
    ContainerCheck {
        rules: &[&rules::HOST_PATH_VOLUME],
        run: host_path_volume::check,
    },
    ContainerCheck {
        rules: &[&rules::VOLUME_TYPE_RESTRICTED],
        run: volume_type_restricted::check,
    },
    ContainerCheck {
        rules: &[&rules::UNSAFE_SYSCTL],
        run: unsafe_sysctl::check,
    },
    ContainerCheck {
        rules: &[&rules::WINDOWS_HOST_PROCESS],
        run: windows_host_process::check,
    },
    // PC6 checks
    ContainerCheck {
        rules: &[&rules::MEMORY_UNLIMITED],
        run: memory_unlimited::check,
    },
    ContainerCheck {
        rules: &[&rules::CPU_UNLIMITED],
        run: cpu_unlimited::check,
    },
    ContainerCheck {
        rules: &[&rules::PIDS_UNLIMITED],
        run: pids_unlimited::check,
    },
    ContainerCheck {
        rules: &[&rules::RESTART_POLICY_UNBOUNDED],
        run: restart_policy_unbounded::check,
    },
    ContainerCheck {
        rules: &[&rules::ULIMITS_UNSET],
        run: ulimits_unset::check,
    },
    ContainerCheck {
        rules: &[&rules::OOM_KILLER_DISABLED],
        run: oom_killer_disabled::check,
    },
    ContainerCheck {
        rules: &[&rules::CGROUP_PARENT_CUSTOM],
        run: cgroup_parent_custom::check,
    },
    ContainerCheck {
        rules: &[&rules::PRIVILEGED_PORT],
        run: privileged_port::check,
    },
    ContainerCheck {
        rules: &[&rules::PORT_ALL_INTERFACES],
        run: port_all_interfaces::check,
    },
    ContainerCheck {
        rules: &[&rules::HOST_PORT],
        run: host_port::check,
    },
    ContainerCheck {
        rules: &[&rules::SSHD_RUNNING],
        run: sshd_running::check,
    },
    ContainerCheck {
        rules: &[&rules::IMAGE_TAG_MUTABLE],
        run: image_tag_mutable::check,
    },
    ContainerCheck {
        rules: &[&rules::MISSING_HEALTHCHECK],
        run: missing_healthcheck::check,
    },
    ContainerCheck {
        rules: &[&rules::SECRET_NAME_IN_ARG_ENV],
        run: secret_in_env::check,
    },
];

/// Runs every container check on `spec`.
pub fn check_container(spec: &ContainerSpec, engine: &EngineDefaults) -> Vec<Violation> {
    CONTAINER_CHECKS
        .iter()
        .flat_map(|check| (check.run)(spec, engine))
        .collect()
}

/// The rules the container checks can report, in catalogue order.
pub fn container_rules() -> Vec<&'static Rule> {
    rules_of(CONTAINER_CHECKS)
}
