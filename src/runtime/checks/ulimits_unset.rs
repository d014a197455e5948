//! PC6005 `ulimits-unset`: the container overrides none of the engine's ulimits.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, Violation};

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    // Pods have no ulimit setting (yet).
    if spec.platform == Platform::Kubernetes || !spec.ulimits.is_empty() {
        return Vec::new();
    }
    vec![Violation::new(
        &rules::ULIMITS_UNSET,
        format!(
            "{} overrides no ulimit (nofile, nproc…): it gets the engine's defaults",
            spec.subject
        ),
        spec.declared_at(),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};

    #[test]
    fn compose_service_without_ulimits_is_reported_and_with_them_passes() {
        let mut spec = bare(Platform::Docker);
        assert_eq!(run(check, &spec), [("PC6005", 1)]);
        spec.ulimits = vec![set("nofile".into(), 9)];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn live_podman_container_lists_its_effective_ulimits() {
        let mut spec = bare(Platform::Podman);
        assert_eq!(run(check, &spec), [("PC6005", 1)]);
        spec.ulimits = vec![set("RLIMIT_NOFILE".into(), 0)];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_never_fires() {
        assert!(run(check, &bare(Platform::Kubernetes)).is_empty());
    }
}
