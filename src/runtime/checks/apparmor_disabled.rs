//! PC5001 `apparmor-disabled`: the container runs unconfined by AppArmor.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, SubjectKind, Violation};

use super::seccomp_disabled::is_unconfined;

/// Whether the engine itself lifted the container's confinement because it is privileged.
///
/// A live privileged container shows AppArmor, seccomp, SELinux and the /proc masks as
/// off whether or not anyone asked: `privileged-container` already says so, and reporting
/// each consequence again would only be noise. Declared sources keep their findings, since
/// those options stay in effect once `privileged` is removed.
pub(crate) fn confinement_lifted_by_privilege(spec: &ContainerSpec) -> bool {
    spec.subject.kind == SubjectKind::LiveContainer && spec.is_privileged()
}

pub fn check(spec: &ContainerSpec, engine: &EngineDefaults) -> Vec<Violation> {
    if confinement_lifted_by_privilege(spec) {
        return Vec::new();
    }
    let subject = &spec.subject;
    let violation = match &spec.apparmor {
        Some(profile) if is_unconfined(&profile.value) => Violation::new(
            &rules::APPARMOR_DISABLED,
            format!("{subject} runs with AppArmor profile `unconfined`"),
            &profile.at,
        ),
        // An inspected container on an AppArmor host always shows the profile it got; an
        // empty one (which the live adapter leaves out) means it got none.
        profile
            if subject.kind == SubjectKind::LiveContainer
                && engine.apparmor
                && profile.as_ref().is_none_or(|p| p.value.trim().is_empty()) =>
        {
            Violation::new(
                &rules::APPARMOR_DISABLED,
                format!(
                    "{subject} runs without an AppArmor profile although the host has AppArmor"
                ),
                profile.as_ref().map_or(spec.declared_at(), |p| &p.at),
            )
        }
        _ => return Vec::new(),
    };
    // Upstream ids come from manifest scanners only.
    vec![violation.kubernetes_aliases_only(spec.platform)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, found, run, set};
    use crate::runtime::spec::Platform;

    fn apparmor_host() -> EngineDefaults {
        EngineDefaults {
            apparmor: true,
            ..EngineDefaults::default()
        }
    }

    #[test]
    fn compose_unconfined_is_reported_at_the_option() {
        let mut spec = bare(Platform::Docker);
        spec.apparmor = Some(set("unconfined".into(), 7));
        assert_eq!(run(check, &spec), [("PC5001", 7)]);
        let message = &check(&spec, &EngineDefaults::default())[0].message;
        assert_eq!(
            message,
            "service `app` runs with AppArmor profile `unconfined`"
        );
    }

    #[test]
    fn compose_default_or_named_profile_passes() {
        let mut spec = bare(Platform::Docker);
        assert!(run(check, &spec).is_empty());
        spec.apparmor = Some(set("my-profile".into(), 7));
        assert!(found(&check(&spec, &apparmor_host())).is_empty());
    }

    #[test]
    fn kubernetes_unconfined_type_or_annotation_is_reported() {
        let mut spec = bare(Platform::Kubernetes);
        spec.apparmor = Some(set("Unconfined".into(), 12));
        assert_eq!(run(check, &spec), [("PC5001", 12)]);
        spec.apparmor = Some(set("unconfined".into(), 4));
        assert_eq!(run(check, &spec), [("PC5001", 4)]);
    }

    #[test]
    fn kubernetes_runtime_default_or_unset_passes() {
        let mut spec = bare(Platform::Kubernetes);
        assert!(found(&check(&spec, &apparmor_host())).is_empty());
        spec.apparmor = Some(set("RuntimeDefault".into(), 12));
        assert!(run(check, &spec).is_empty());
        spec.apparmor = Some(set("localhost/k8s-nginx".into(), 12));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn live_empty_profile_counts_only_on_an_apparmor_host() {
        let mut spec = bare(Platform::Podman);
        spec.apparmor = Some(set(String::new(), 3));
        assert_eq!(found(&check(&spec, &apparmor_host())), [("PC5001", 3)]);
        assert!(run(check, &spec).is_empty(), "no AppArmor on the host");
        spec.apparmor = None;
        assert_eq!(found(&check(&spec, &apparmor_host())), [("PC5001", 1)]);
        spec.apparmor = Some(set("containers-default-0.62.2".into(), 3));
        assert!(found(&check(&spec, &apparmor_host())).is_empty());
    }

    #[test]
    fn live_docker_unconfined_is_reported_unless_privileged() {
        let mut spec = bare(Platform::Docker);
        spec.subject.kind = SubjectKind::LiveContainer;
        spec.apparmor = Some(set("unconfined".into(), 2));
        assert_eq!(run(check, &spec), [("PC5001", 2)]);
        spec.privileged = Some(set(true, 5));
        assert!(found(&check(&spec, &apparmor_host())).is_empty());
    }

    #[test]
    fn declared_privileged_container_still_reports_its_option() {
        let mut spec = bare(Platform::Docker);
        spec.privileged = Some(set(true, 5));
        spec.apparmor = Some(set("unconfined".into(), 6));
        assert_eq!(run(check, &spec), [("PC5001", 6)]);
    }
}
