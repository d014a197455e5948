//! PC5004 `seccomp-profile-unset`: a Kubernetes container asks for no seccomp profile.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, Violation};

use super::seccomp_disabled::is_unconfined;

/// Whether a Kubernetes seccomp value names a profile the restricted standard accepts: the
/// `RuntimeDefault` / `Localhost` types, or the old annotations' `runtime/default`,
/// `docker/default` and `localhost/<file>`.
fn is_confining(value: &str) -> bool {
    let value = value.trim();
    [
        "RuntimeDefault",
        "Localhost",
        "runtime/default",
        "docker/default",
    ]
    .iter()
    .any(|accepted| value.eq_ignore_ascii_case(accepted))
        || value
            .get(..10)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("localhost/"))
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    // Docker and Podman apply their default profile to every container that names none.
    if spec.platform != Platform::Kubernetes {
        return Vec::new();
    }
    let subject = &spec.subject;
    match &spec.seccomp {
        None => vec![Violation::new(
            &rules::SECCOMP_PROFILE_UNSET,
            format!(
                "{subject} sets no seccomp profile, so Kubernetes applies none; set \
                 `seccompProfile.type: RuntimeDefault`"
            ),
            spec.declared_at(),
        )],
        // `Unconfined` is `seccomp-disabled`'s finding.
        Some(profile) if is_unconfined(&profile.value) || is_confining(&profile.value) => {
            Vec::new()
        }
        Some(profile) => vec![Violation::new(
            &rules::SECCOMP_PROFILE_UNSET,
            format!(
                "{subject} sets seccomp profile `{}`, which is neither RuntimeDefault nor \
                 Localhost",
                profile.value
            ),
            &profile.at,
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};

    #[test]
    fn kubernetes_without_a_profile_is_reported_at_the_container() {
        let spec = bare(Platform::Kubernetes);
        assert_eq!(run(check, &spec), [("PC5004", 1)]);
        assert!(check(&spec, &EngineDefaults::default())[0]
            .message
            .starts_with("container `app` of Deployment/app sets no seccomp profile"));
    }

    #[test]
    fn kubernetes_runtime_default_localhost_and_annotations_pass() {
        let mut spec = bare(Platform::Kubernetes);
        for value in [
            "RuntimeDefault",
            "Localhost",
            "runtime/default",
            "docker/default",
            "localhost/profiles/audit.json",
        ] {
            spec.seccomp = Some(set(value.into(), 6));
            assert!(run(check, &spec).is_empty(), "{value}");
        }
    }

    #[test]
    fn kubernetes_unconfined_is_left_to_seccomp_disabled() {
        let mut spec = bare(Platform::Kubernetes);
        spec.seccomp = Some(set("Unconfined".into(), 6));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_unknown_value_is_reported_at_the_value() {
        let mut spec = bare(Platform::Kubernetes);
        spec.seccomp = Some(set("Custom".into(), 6));
        assert_eq!(run(check, &spec), [("PC5004", 6)]);
    }

    #[test]
    fn docker_and_podman_never_fire() {
        assert!(run(check, &bare(Platform::Docker)).is_empty());
        assert!(run(check, &bare(Platform::Podman)).is_empty());
        let mut spec = bare(Platform::Docker);
        spec.seccomp = Some(set("./custom.json".into(), 3));
        assert!(run(check, &spec).is_empty());
    }
}
