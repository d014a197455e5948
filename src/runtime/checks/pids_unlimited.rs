//! PC6003 `pids-unlimited`: the container can create any number of processes.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, Violation};

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let violation = match (&spec.pids_limit, spec.platform) {
        // No per-container field: the limit is the kubelet's `podPidsLimit`.
        (_, Platform::Kubernetes) => return Vec::new(),
        (Some(limit), _) if limit.value <= 0 => Violation::new(
            &rules::PIDS_UNLIMITED,
            format!(
                "{} sets PIDs limit `{}`, which means no limit",
                spec.subject, limit.value
            ),
            &limit.at,
        ),
        // Podman limits every container to 2048 processes unless told otherwise.
        (Some(_), _) | (None, Platform::Podman) => return Vec::new(),
        (None, Platform::Docker) => Violation::new(
            &rules::PIDS_UNLIMITED,
            format!("{} has no PIDs limit", spec.subject),
            spec.declared_at(),
        ),
    };
    vec![violation]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};

    #[test]
    fn docker_without_limit_is_reported_at_the_service() {
        let spec = bare(Platform::Docker);
        assert_eq!(run(check, &spec), [("PC6003", 1)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` has no PIDs limit"
        );
    }

    #[test]
    fn docker_unlimited_values_are_reported_at_the_value_and_a_limit_passes() {
        let mut spec = bare(Platform::Docker);
        for unlimited in [0, -1] {
            spec.pids_limit = Some(set(unlimited, 5));
            assert_eq!(run(check, &spec), [("PC6003", 5)], "{unlimited}");
        }
        spec.pids_limit = Some(set(200, 5));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn podman_default_is_limited_but_an_explicit_minus_one_is_not() {
        let mut spec = bare(Platform::Podman);
        assert!(run(check, &spec).is_empty());
        spec.pids_limit = Some(set(-1, 0));
        assert_eq!(run(check, &spec), [("PC6003", 0)]);
    }

    #[test]
    fn kubernetes_never_fires() {
        let mut spec = bare(Platform::Kubernetes);
        assert!(run(check, &spec).is_empty());
        spec.pids_limit = Some(set(-1, 3));
        assert!(run(check, &spec).is_empty());
    }
}
