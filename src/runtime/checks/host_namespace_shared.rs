//! PC5007 `host-namespace-shared`: the container joins a namespace of the host.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Namespace, SubjectKind, Violation};

/// The upstream ids of one namespace, so a finding answers to those and not to the other
/// namespaces' (a `# KSV-0010` suppression must not hide host networking).
fn aliases(namespace: Namespace) -> &'static [&'static str] {
    match namespace {
        Namespace::Network => &["KSV-0009", "CKV_K8S_19"],
        Namespace::Pid => &["KSV-0010", "CKV_K8S_17"],
        Namespace::Ipc => &["KSV-0008", "CKV_K8S_18"],
        Namespace::Uts | Namespace::User | Namespace::Cgroup => &[],
    }
}

pub fn check(spec: &ContainerSpec, engine: &EngineDefaults) -> Vec<Violation> {
    let live = spec.subject.kind == SubjectKind::LiveContainer;
    spec.host_namespaces
        .iter()
        // On cgroup v1 hosts every live container is in the host's cgroup namespace unless it
        // asked for its own: that is the engine's default, not this container's choice.
        .filter(|namespace| {
            !(live && namespace.value == Namespace::Cgroup && engine.host_cgroupns_by_default)
        })
        .map(|namespace| {
            Violation::new(
                &rules::HOST_NAMESPACE_SHARED,
                format!(
                    "{} shares the host's {} namespace",
                    spec.subject,
                    namespace.value.as_str()
                ),
                &namespace.at,
            )
            .with_aliases(aliases(namespace.value))
            // Upstream ids come from manifest scanners only.
            .kubernetes_aliases_only(spec.platform)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::Platform;

    #[test]
    fn every_aliased_id_belongs_to_the_rule() {
        for namespace in [
            Namespace::Network,
            Namespace::Pid,
            Namespace::Ipc,
            Namespace::Uts,
            Namespace::User,
            Namespace::Cgroup,
        ] {
            for alias in aliases(namespace) {
                assert!(rules::HOST_NAMESPACE_SHARED.aliases.contains(alias));
            }
        }
    }

    #[test]
    fn each_namespace_is_reported_with_its_own_aliases_on_kubernetes() {
        let mut spec = bare(Platform::Docker);
        spec.host_namespaces = vec![
            set(Namespace::Pid, 4),
            set(Namespace::Network, 5),
            set(Namespace::Uts, 6),
        ];
        assert_eq!(
            run(check, &spec),
            [("PC5007", 4), ("PC5007", 5), ("PC5007", 6)]
        );
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(
            violations[0].message,
            "service `app` shares the host's PID namespace"
        );
        // Trivy and Checkov do not read Compose files: none of their ids apply.
        assert!(violations.iter().all(|v| v.aliases == Some(&[][..])));
        spec.platform = Platform::Kubernetes;
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(violations[0].aliases, Some(&["KSV-0010", "CKV_K8S_17"][..]));
        assert_eq!(violations[1].aliases, Some(&["KSV-0009", "CKV_K8S_19"][..]));
        assert_eq!(violations[2].aliases, Some(&[][..]));
    }

    #[test]
    fn private_namespaces_pass_everywhere() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            assert!(run(check, &bare(platform)).is_empty());
        }
    }

    #[test]
    fn kubernetes_host_ipc_is_reported() {
        let mut spec = bare(Platform::Kubernetes);
        spec.host_namespaces = vec![set(Namespace::Ipc, 7)];
        assert_eq!(run(check, &spec), [("PC5007", 7)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].aliases,
            Some(&["KSV-0008", "CKV_K8S_18"][..])
        );
    }

    #[test]
    fn podman_live_host_network_and_user_namespace_are_reported() {
        let mut spec = bare(Platform::Podman);
        spec.host_namespaces = vec![set(Namespace::Network, 2), set(Namespace::User, 3)];
        assert_eq!(run(check, &spec), [("PC5007", 2), ("PC5007", 3)]);
        assert!(check(&spec, &EngineDefaults::default())[1]
            .message
            .ends_with("shares the host's user namespace"));
    }

    #[test]
    fn a_host_cgroup_namespace_that_is_the_engines_default_is_not_the_containers() {
        let mut spec = bare(Platform::Docker);
        spec.subject.kind = SubjectKind::LiveContainer;
        spec.host_namespaces = vec![set(Namespace::Cgroup, 3)];
        let v1 = EngineDefaults {
            host_cgroupns_by_default: true,
            ..EngineDefaults::default()
        };
        assert!(check(&spec, &v1).is_empty());
        assert_eq!(run(check, &spec), [("PC5007", 3)], "cgroup v2: asked for");
        spec.subject.kind = SubjectKind::ComposeService;
        assert_eq!(check(&spec, &v1).len(), 1, "declared explicitly");
    }
}
