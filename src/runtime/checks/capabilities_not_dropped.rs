//! PC1007 capabilities-not-dropped: the container keeps its platform's default capabilities.
//!
//! Docker and Podman: reported while any capability of the platform's default set is left
//! (dropping them one by one is as good as `ALL`). Kubernetes: the restricted profile wants
//! `ALL` itself in the drop list, and after it only `NET_BIND_SERVICE` added back; adding back
//! a capability beyond the default set is left to PC1005 and PC1006.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, Violation};

/// Kubernetes: every upstream check fires when `NET_RAW` is kept too…
const KEEPS_NET_RAW: &[&str] = &["KSV-0003", "KSV-0106", "CKV_K8S_37", "CKV_K8S_28"];
/// …and all but Checkov's `NET_RAW` check when it is dropped by name.
const DROPS_NET_RAW: &[&str] = &["KSV-0003", "KSV-0106", "CKV_K8S_37"];
/// Only Trivy's restricted check looks at what is added back after `drop: [ALL]`.
const ADDS_BACK: &[&str] = &["KSV-0106"];

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    // A privileged container has every capability whatever it drops: PC1004 reports it.
    if spec.is_privileged() {
        return Vec::new();
    }
    let subject = &spec.subject;
    let drops_all = spec.cap_drop.iter().any(|cap| cap.value == "ALL");
    let at = spec
        .cap_drop
        .first()
        .map_or(spec.declared_at(), |cap| &cap.at);
    match spec.platform {
        Platform::Kubernetes if drops_all => {
            let defaults = spec.platform.default_capabilities();
            spec.cap_add
                .iter()
                .filter(|cap| {
                    cap.value != "NET_BIND_SERVICE" && defaults.contains(&cap.value.as_str())
                })
                .map(|cap| {
                    Violation::new(
                        &rules::CAPABILITIES_NOT_DROPPED,
                        format!(
                            "{subject} adds {} back after dropping ALL capabilities; the \
                             restricted Pod Security Standard allows only NET_BIND_SERVICE",
                            cap.value
                        ),
                        &cap.at,
                    )
                    .with_aliases(ADDS_BACK)
                })
                .collect()
        }
        Platform::Kubernetes => {
            let keeps_net_raw = !spec.drops("NET_RAW");
            let message =
                format!(
                "{subject} does not drop ALL capabilities, so it keeps its container runtime's \
                 defaults{}; the restricted Pod Security Standard requires `drop: [ALL]`",
                if keeps_net_raw { ", NET_RAW among them" } else { "" }
            );
            let aliases = if keeps_net_raw {
                KEEPS_NET_RAW
            } else {
                DROPS_NET_RAW
            };
            vec![
                Violation::new(&rules::CAPABILITIES_NOT_DROPPED, message, at).with_aliases(aliases),
            ]
        }
        Platform::Docker | Platform::Podman if drops_all => Vec::new(),
        Platform::Docker | Platform::Podman => {
            let defaults = spec.platform.default_capabilities();
            let kept: Vec<&str> = defaults
                .iter()
                .copied()
                .filter(|cap| !spec.drops(cap))
                .collect();
            if kept.is_empty() {
                return Vec::new();
            }
            let engine = spec.platform.as_str();
            let how_many = if kept.len() == defaults.len() {
                format!("all {} of {engine}'s default capabilities", defaults.len())
            } else {
                format!(
                    "{} of {engine}'s {} default capabilities",
                    kept.len(),
                    defaults.len()
                )
            };
            let net_raw = if kept.contains(&"NET_RAW") {
                ", NET_RAW among them"
            } else {
                ""
            };
            let message = format!(
                "{subject} keeps {how_many}{net_raw}: drop ALL and add back only what it needs"
            );
            vec![Violation::new(&rules::CAPABILITIES_NOT_DROPPED, message, at).with_aliases(&[])]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};

    fn caps(names: &[&str], first_line: u32) -> Vec<crate::runtime::spec::Setting<String>> {
        names
            .iter()
            .zip(first_line..)
            .map(|(name, line)| set(name.to_string(), line))
            .collect()
    }

    fn message(spec: &ContainerSpec) -> String {
        check(spec, &EngineDefaults::default())
            .into_iter()
            .map(|v| v.message)
            .collect()
    }

    #[test]
    fn docker_without_drops_keeps_all_fourteen_with_net_raw() {
        let spec = bare(Platform::Docker);
        assert_eq!(run(check, &spec), [("PC1007", 1)]);
        assert_eq!(
            message(&spec),
            "service `app` keeps all 14 of Docker's default capabilities, NET_RAW among them: \
             drop ALL and add back only what it needs"
        );
        let mut spec = bare(Platform::Docker);
        spec.cap_drop = caps(&["NET_RAW", "MKNOD"], 5);
        assert_eq!(run(check, &spec), [("PC1007", 5)]);
        assert!(message(&spec).contains("keeps 12 of Docker's 14 default capabilities:"));
    }

    #[test]
    fn podman_counts_its_own_smaller_set_without_net_raw() {
        let mut spec = bare(Platform::Podman);
        spec.subject.kind = crate::runtime::spec::SubjectKind::LiveContainer;
        assert_eq!(run(check, &spec), [("PC1007", 1)]);
        assert_eq!(
            message(&spec),
            "container `app` keeps all 11 of Podman's default capabilities: drop ALL and add \
             back only what it needs"
        );
    }

    #[test]
    fn dropping_all_or_every_default_is_enough_on_docker_and_podman() {
        for platform in [Platform::Docker, Platform::Podman] {
            let mut spec = bare(platform);
            spec.cap_drop = caps(&["ALL"], 5);
            spec.cap_add = caps(&["CHOWN", "SETUID"], 6);
            assert!(run(check, &spec).is_empty());
            // Podman's inspect lists the dropped defaults one by one.
            let mut spec = bare(platform);
            spec.cap_drop = caps(platform.default_capabilities(), 5);
            assert!(run(check, &spec).is_empty());
        }
    }

    #[test]
    fn kubernetes_needs_all_in_the_drop_list() {
        let spec = bare(Platform::Kubernetes);
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(run(check, &spec), [("PC1007", 1)]);
        assert!(violations[0].message.contains("NET_RAW among them"));
        assert_eq!(violations[0].aliases, Some(KEEPS_NET_RAW));

        let mut spec = bare(Platform::Kubernetes);
        spec.cap_drop = caps(&["NET_RAW"], 8);
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(run(check, &spec), [("PC1007", 8)]);
        assert!(!violations[0].message.contains("NET_RAW"));
        assert_eq!(violations[0].aliases, Some(DROPS_NET_RAW));

        // Naming every default is not what the restricted profile asks for.
        let mut spec = bare(Platform::Kubernetes);
        spec.cap_drop = caps(Platform::Docker.default_capabilities(), 8);
        assert_eq!(run(check, &spec), [("PC1007", 8)]);
    }

    #[test]
    fn kubernetes_drop_all_allows_adding_back_only_net_bind_service() {
        let mut spec = bare(Platform::Kubernetes);
        spec.cap_drop = caps(&["ALL"], 5);
        spec.cap_add = caps(&["NET_BIND_SERVICE"], 6);
        assert!(run(check, &spec).is_empty());

        // CHOWN is in the baseline set: only this rule sees it. SYS_TIME and SYS_ADMIN are
        // PC1005's and PC1006's.
        spec.cap_add = caps(&["NET_BIND_SERVICE", "CHOWN", "SYS_TIME", "SYS_ADMIN"], 6);
        assert_eq!(run(check, &spec), [("PC1007", 7)]);
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(violations[0].aliases, Some(ADDS_BACK));
        assert!(violations[0].message.contains("adds CHOWN back"));
    }

    #[test]
    fn privileged_containers_are_left_to_pc1004() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            let mut spec = bare(platform);
            spec.privileged = Some(set(true, 2));
            assert!(run(check, &spec).is_empty());
        }
    }
}
