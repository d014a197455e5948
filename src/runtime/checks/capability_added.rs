//! PC1005 capability-added: capabilities beyond the platform's default set.
//!
//! "Default" is the platform's own set (`Platform::default_capabilities`): adding `NET_RAW`
//! changes nothing on Docker but grants something new on Podman and breaks the Kubernetes
//! baseline. The dangerous ones are PC1006's alone.

use super::dangerous_capability::is_dangerous;
use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, Violation};

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let defaults = spec.platform.default_capabilities();
    let beyond = match spec.platform {
        Platform::Kubernetes => "which the baseline Pod Security Standard does not allow",
        Platform::Docker => "which is not in Docker's default set",
        Platform::Podman => "which is not in Podman's default set",
    };
    spec.cap_add
        .iter()
        .filter(|cap| !is_dangerous(&cap.value) && !defaults.contains(&cap.value.as_str()))
        .map(|cap| {
            Violation::new(
                &rules::CAPABILITY_ADDED,
                format!("{} adds capability {}, {beyond}", spec.subject, cap.value),
                &cap.at,
            )
            .kubernetes_aliases_only(spec.platform)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{adding, bare, run, set};

    #[test]
    fn net_raw_counts_as_added_where_the_default_set_lacks_it() {
        assert!(run(check, &adding(Platform::Docker, &["NET_RAW", "MKNOD"])).is_empty());
        assert_eq!(
            run(
                check,
                &adding(Platform::Podman, &["NET_RAW", "MKNOD", "CHOWN"])
            ),
            [("PC1005", 10), ("PC1005", 11)]
        );
        assert_eq!(
            run(check, &adding(Platform::Kubernetes, &["NET_RAW", "MKNOD"])),
            [("PC1005", 10)]
        );
    }

    #[test]
    fn one_violation_per_capability_beyond_the_default_set() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            let spec = adding(platform, &["SYS_TIME", "CHOWN", "SYS_NICE"]);
            assert_eq!(run(check, &spec), [("PC1005", 10), ("PC1005", 12)]);
        }
        let spec = adding(Platform::Kubernetes, &["SYS_TIME"]);
        let violation = &check(&spec, &EngineDefaults::default())[0];
        assert_eq!(
            violation.message,
            "container `app` of Deployment/app adds capability SYS_TIME, which the baseline \
             Pod Security Standard does not allow"
        );
        assert_eq!(violation.aliases, None);
        let spec = adding(Platform::Docker, &["SYS_TIME"]);
        let violation = &check(&spec, &EngineDefaults::default())[0];
        assert_eq!(
            violation.message,
            "service `app` adds capability SYS_TIME, which is not in Docker's default set"
        );
        assert_eq!(violation.aliases, Some(&[][..]));
    }

    #[test]
    fn dangerous_capabilities_are_left_to_pc1006() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            let spec = adding(platform, &["SYS_ADMIN", "ALL", "NET_ADMIN", "BPF"]);
            assert!(run(check, &spec).is_empty());
        }
    }

    #[test]
    fn nothing_added_nothing_reported() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            assert!(run(check, &bare(platform)).is_empty());
            let mut spec = bare(platform);
            spec.cap_drop = vec![set("ALL".to_string(), 4)];
            assert!(run(check, &spec).is_empty());
        }
    }
}
