//! PC1004 privileged-container: the container runs in privileged mode.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    // Every platform defaults to unprivileged: only an explicit `true` counts.
    match &spec.privileged {
        Some(privileged) if privileged.value => vec![Violation::new(
            &rules::PRIVILEGED_CONTAINER,
            format!("{} is privileged", spec.subject),
            &privileged.at,
        )
        .kubernetes_aliases_only(spec.platform)],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::Platform;

    #[test]
    fn privileged_is_reported_at_the_setting_on_every_platform() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            let mut spec = bare(platform);
            spec.privileged = Some(set(true, 3));
            assert_eq!(run(check, &spec), [("PC1004", 3)]);
        }
    }

    #[test]
    fn messages_name_the_object_and_upstream_ids_stay_with_kubernetes() {
        let mut spec = bare(Platform::Kubernetes);
        spec.privileged = Some(set(true, 3));
        let violation = &check(&spec, &EngineDefaults::default())[0];
        assert_eq!(
            violation.message,
            "container `app` of Deployment/app is privileged"
        );
        assert_eq!(violation.aliases, None);

        let mut spec = bare(Platform::Docker);
        spec.privileged = Some(set(true, 3));
        let violation = &check(&spec, &EngineDefaults::default())[0];
        assert_eq!(violation.message, "service `app` is privileged");
        assert_eq!(violation.aliases, Some(&[][..]));
    }

    #[test]
    fn absent_or_false_is_unprivileged() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            assert!(run(check, &bare(platform)).is_empty());
            let mut spec = bare(platform);
            spec.privileged = Some(set(false, 3));
            assert!(run(check, &spec).is_empty());
        }
    }
}
