//! PC4002 `missing-healthcheck` at runtime: nothing checks that the container works.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Healthcheck, SubjectKind, Violation};

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let subject = &spec.subject;
    let (message, at) = match (&spec.healthcheck, &subject.kind) {
        (Some(check), _) if check.value == Healthcheck::Defined => return Vec::new(),
        (Some(check), _) => (
            format!("{subject} disables its health check"),
            &check.at,
        ),
        // Docker falls back to the image's HEALTHCHECK, which the file cannot show.
        (None, SubjectKind::ComposeService) => (
            format!("{subject} defines no healthcheck (its image may define one, which Docker would use)"),
            spec.declared_at(),
        ),
        // Kubernetes ignores the image's HEALTHCHECK: only probes count.
        (None, SubjectKind::KubernetesContainer { .. }) => (
            format!("{subject} has neither a livenessProbe nor a readinessProbe"),
            spec.declared_at(),
        ),
        // Inspect data already merges the image's check: there is none at all.
        (None, SubjectKind::LiveContainer) => (
            format!("{subject} has no health check (neither its image nor its run options define one)"),
            spec.declared_at(),
        ),
    };
    vec![Violation::new(&rules::MISSING_HEALTHCHECK, message, at)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::Platform;

    fn message(spec: &ContainerSpec) -> String {
        check(spec, &EngineDefaults::default())[0].message.clone()
    }

    #[test]
    fn compose_without_healthcheck_mentions_the_image() {
        let spec = bare(Platform::Docker);
        assert_eq!(run(check, &spec), [("PC4002", 1)]);
        assert_eq!(
            message(&spec),
            "service `app` defines no healthcheck (its image may define one, which Docker would use)"
        );
    }

    #[test]
    fn compose_disabled_healthcheck_is_reported_at_the_setting_and_defined_passes() {
        let mut spec = bare(Platform::Docker);
        spec.healthcheck = Some(set(Healthcheck::Disabled, 10));
        assert_eq!(run(check, &spec), [("PC4002", 10)]);
        assert_eq!(message(&spec), "service `app` disables its health check");
        spec.healthcheck = Some(set(Healthcheck::Defined, 10));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_needs_a_probe() {
        let mut spec = bare(Platform::Kubernetes);
        assert_eq!(run(check, &spec), [("PC4002", 1)]);
        assert_eq!(
            message(&spec),
            "container `app` of Deployment/app has neither a livenessProbe nor a readinessProbe"
        );
        spec.healthcheck = Some(set(Healthcheck::Defined, 18));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn live_podman_container_without_or_with_none_healthcheck_is_reported() {
        let mut spec = bare(Platform::Podman);
        assert_eq!(run(check, &spec), [("PC4002", 1)]);
        assert!(message(&spec).contains("neither its image nor its run options"));
        spec.healthcheck = Some(set(Healthcheck::Disabled, 0));
        assert_eq!(run(check, &spec), [("PC4002", 0)]);
        spec.healthcheck = Some(set(Healthcheck::Defined, 0));
        assert!(run(check, &spec).is_empty());
    }
}
