//! PC1008 privilege-escalation-allowed: no-new-privileges is not in effect.
//!
//! Docker and Podman: the container's own `no-new-privileges` wins (moby's `parseSecurityOpt`
//! overrides the daemon's default with it, `false` included); when it is absent, the daemon's
//! default decides. Podman's inspect already shows the effective option. Kubernetes has no
//! cluster default: `allowPrivilegeEscalation` must be `false` on the container.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, SubjectKind, Violation};

pub fn check(spec: &ContainerSpec, engine: &EngineDefaults) -> Vec<Violation> {
    let subject = &spec.subject;
    let (message, at) = match (spec.platform, &spec.no_new_privileges) {
        (_, Some(nnp)) if nnp.value => return Vec::new(),
        // The API rejects `allowPrivilegeEscalation: false` on a privileged container, and
        // PC1004 already reports it.
        (Platform::Kubernetes, _) if spec.is_privileged() => return Vec::new(),
        (Platform::Kubernetes, Some(nnp)) => (
            format!("{subject} sets `allowPrivilegeEscalation: true`"),
            &nnp.at,
        ),
        (Platform::Kubernetes, None) => (
            format!(
                "{subject} does not set `allowPrivilegeEscalation: false`, so its processes can \
                 gain privileges through setuid binaries (Kubernetes allows it by default)"
            ),
            spec.declared_at(),
        ),
        (_, Some(nnp)) => (
            format!(
                "{subject} turns no-new-privileges off, overriding any daemon default, so its \
                 processes can gain privileges through setuid binaries"
            ),
            &nnp.at,
        ),
        (_, None) if engine.no_new_privileges => return Vec::new(),
        (_, None) => (
            match subject.kind {
                SubjectKind::LiveContainer => format!(
                    "{subject} runs without no-new-privileges: neither its \
                     `HostConfig.SecurityOpt` nor the daemon sets it"
                ),
                _ => format!(
                    "{subject} does not set `no-new-privileges:true` in `security_opt`, so its \
                     processes can gain privileges through setuid binaries unless the daemon \
                     sets no-new-privileges for every container"
                ),
            },
            spec.declared_at(),
        ),
    };
    vec![
        Violation::new(&rules::PRIVILEGE_ESCALATION_ALLOWED, message, at)
            .kubernetes_aliases_only(spec.platform),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, found, run, set};

    fn daemon_default() -> EngineDefaults {
        EngineDefaults {
            no_new_privileges: true,
            ..EngineDefaults::default()
        }
    }

    #[test]
    fn docker_and_podman_without_the_option_or_daemon_default_are_flagged() {
        for platform in [Platform::Docker, Platform::Podman] {
            let spec = bare(platform);
            assert_eq!(run(check, &spec), [("PC1008", 1)]);
            assert_eq!(
                check(&spec, &EngineDefaults::default())[0].aliases,
                Some(&[][..])
            );
        }
        let spec = bare(Platform::Docker);
        assert!(check(&spec, &EngineDefaults::default())[0]
            .message
            .starts_with("service `app` does not set `no-new-privileges:true`"));
        let spec = bare(Platform::Podman);
        assert!(check(&spec, &EngineDefaults::default())[0]
            .message
            .contains("neither its `HostConfig.SecurityOpt` nor the daemon sets it"));
    }

    #[test]
    fn the_option_or_the_daemon_default_is_enough() {
        for platform in [Platform::Docker, Platform::Podman] {
            let mut spec = bare(platform);
            spec.no_new_privileges = Some(set(true, 4));
            assert!(run(check, &spec).is_empty());
            assert!(check(&bare(platform), &daemon_default()).is_empty());
        }
    }

    #[test]
    fn an_explicit_false_overrides_the_daemon_default() {
        let mut spec = bare(Platform::Docker);
        spec.no_new_privileges = Some(set(false, 4));
        assert_eq!(found(&check(&spec, &daemon_default())), [("PC1008", 4)]);
    }

    #[test]
    fn kubernetes_requires_allow_privilege_escalation_false() {
        let spec = bare(Platform::Kubernetes);
        let violations = check(&spec, &daemon_default());
        assert_eq!(found(&violations), [("PC1008", 1)]);
        assert_eq!(violations[0].aliases, None);
        assert!(violations[0]
            .message
            .starts_with("container `app` of Deployment/app does not set"));

        let mut spec = bare(Platform::Kubernetes);
        spec.no_new_privileges = Some(set(false, 6));
        assert_eq!(run(check, &spec), [("PC1008", 6)]);
        spec.no_new_privileges = Some(set(true, 6));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn privileged_kubernetes_containers_are_left_to_pc1004() {
        let mut spec = bare(Platform::Kubernetes);
        spec.privileged = Some(set(true, 2));
        assert!(run(check, &spec).is_empty());
        // Docker accepts both, and no-new-privileges still means something there.
        let mut spec = bare(Platform::Docker);
        spec.privileged = Some(set(true, 2));
        assert_eq!(run(check, &spec), [("PC1008", 1)]);
    }
}
