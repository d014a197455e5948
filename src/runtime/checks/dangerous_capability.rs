//! PC1006 dangerous-capability: an added capability that amounts to control of the host.
//!
//! This file owns the list; `capability_added` asks [`is_dangerous`] so that no capability is
//! reported by both rules.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

/// The capabilities that hand over the host, and what each one allows. None is in any
/// platform's default set.
const DANGEROUS: &[(&str, &str)] = &[
    ("ALL", "every privilege the kernel grants root"),
    (
        "SYS_ADMIN",
        "mounting filesystems and escaping through cgroups",
    ),
    ("SYS_MODULE", "loading kernel modules"),
    (
        "SYS_PTRACE",
        "reading and rewriting other processes' memory",
    ),
    ("SYS_RAWIO", "raw access to devices and kernel memory"),
    (
        "DAC_READ_SEARCH",
        "opening host files by handle past every permission check",
    ),
    (
        "NET_ADMIN",
        "reconfiguring interfaces, routes and firewall rules",
    ),
    ("BPF", "loading BPF programs into the kernel"),
    ("PERFMON", "observing the kernel and other processes"),
    ("SYS_BOOT", "rebooting the host"),
];

/// Trivy KSV-0005 and Checkov CKV_K8S_39 look for `SYS_ADMIN` only.
const SYS_ADMIN_ALIASES: &[&str] = &["KSV-0005", "CKV_K8S_39"];

/// Whether `capability` (normalised, see `spec::capability`) is one that PC1006 reports.
pub(crate) fn is_dangerous(capability: &str) -> bool {
    DANGEROUS.iter().any(|(name, _)| *name == capability)
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let subject = &spec.subject;
    spec.cap_add
        .iter()
        .filter_map(|cap| {
            let (name, allows) = DANGEROUS.iter().find(|(name, _)| *name == cap.value)?;
            let message = if *name == "ALL" {
                format!("{subject} adds ALL capabilities: {allows}")
            } else {
                format!("{subject} adds capability {name}, which allows {allows}")
            };
            let violation = Violation::new(&rules::DANGEROUS_CAPABILITY, message, &cap.at);
            Some(if *name == "SYS_ADMIN" {
                violation
                    .with_aliases(SYS_ADMIN_ALIASES)
                    .kubernetes_aliases_only(spec.platform)
            } else {
                violation.with_aliases(&[])
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{adding, bare, run, set};
    use crate::runtime::spec::Platform;

    #[test]
    fn each_dangerous_capability_is_reported_where_it_is_added() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            let spec = adding(platform, &["CHOWN", "SYS_ADMIN", "NET_RAW", "ALL"]);
            assert_eq!(run(check, &spec), [("PC1006", 11), ("PC1006", 13)]);
        }
    }

    #[test]
    fn messages_name_the_capability_and_what_it_allows() {
        let spec = adding(Platform::Kubernetes, &["SYS_PTRACE", "ALL"]);
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(
            violations[0].message,
            "container `app` of Deployment/app adds capability SYS_PTRACE, which allows \
             reading and rewriting other processes' memory"
        );
        assert!(violations[1].message.contains("adds ALL capabilities"));
    }

    #[test]
    fn upstream_ids_only_for_sys_admin_on_kubernetes() {
        let spec = adding(Platform::Kubernetes, &["SYS_ADMIN", "SYS_MODULE"]);
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(violations[0].aliases, Some(SYS_ADMIN_ALIASES));
        assert_eq!(violations[1].aliases, Some(&[][..]));
        let spec = adding(Platform::Docker, &["SYS_ADMIN"]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].aliases,
            Some(&[][..])
        );
    }

    #[test]
    fn default_and_harmless_capabilities_are_not_reported() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            assert!(run(check, &bare(platform)).is_empty());
            let spec = adding(platform, &["NET_BIND_SERVICE", "NET_RAW", "SYS_TIME"]);
            assert!(run(check, &spec).is_empty());
        }
        // Dropping a dangerous capability is fine.
        let mut spec = bare(Platform::Docker);
        spec.cap_drop = vec![set("SYS_ADMIN".to_string(), 5)];
        assert!(run(check, &spec).is_empty());
    }
}
