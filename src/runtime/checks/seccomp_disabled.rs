//! PC5003 `seccomp-disabled`: the container runs with seccomp unconfined.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

use super::apparmor_disabled::confinement_lifted_by_privilege;

/// Whether a profile value (AppArmor or seccomp, any source's spelling) means "no profile":
/// Compose `unconfined`, Kubernetes `Unconfined`.
pub(crate) fn is_unconfined(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("unconfined")
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    if confinement_lifted_by_privilege(spec) {
        return Vec::new();
    }
    spec.seccomp
        .iter()
        .filter(|profile| is_unconfined(&profile.value))
        .map(|profile| {
            Violation::new(
                &rules::SECCOMP_DISABLED,
                format!("{} runs with seccomp `unconfined`", spec.subject),
                &profile.at,
            )
        })
        // Upstream ids come from manifest scanners only.
        .map(|violation| violation.kubernetes_aliases_only(spec.platform))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::{Platform, SubjectKind};

    #[test]
    fn compose_unconfined_is_reported_at_the_option() {
        let mut spec = bare(Platform::Docker);
        spec.seccomp = Some(set("unconfined".into(), 9));
        assert_eq!(run(check, &spec), [("PC5003", 9)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` runs with seccomp `unconfined`"
        );
    }

    #[test]
    fn docker_default_or_custom_profile_passes() {
        let mut spec = bare(Platform::Docker);
        assert!(run(check, &spec).is_empty());
        spec.seccomp = Some(set("./seccomp/strict.json".into(), 9));
        assert!(run(check, &spec).is_empty());
        spec.seccomp = Some(set(r#"{"defaultAction":"SCMP_ACT_ERRNO"}"#.into(), 9));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_unconfined_type_is_reported() {
        let mut spec = bare(Platform::Kubernetes);
        spec.seccomp = Some(set("Unconfined".into(), 8));
        assert_eq!(run(check, &spec), [("PC5003", 8)]);
    }

    #[test]
    fn kubernetes_runtime_default_or_unset_passes_here() {
        let mut spec = bare(Platform::Kubernetes);
        assert!(run(check, &spec).is_empty(), "unset is PC5004's concern");
        spec.seccomp = Some(set("RuntimeDefault".into(), 8));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn podman_live_unconfined_is_reported_unless_privileged() {
        let mut spec = bare(Platform::Podman);
        spec.seccomp = Some(set("unconfined".into(), 0));
        assert_eq!(run(check, &spec), [("PC5003", 0)]);
        spec.privileged = Some(set(true, 0));
        assert!(run(check, &spec).is_empty());
        spec.subject.kind = SubjectKind::ComposeService;
        assert_eq!(run(check, &spec).len(), 1);
    }
}
