//! PC6002 `cpu-unlimited`: the container's CPU use is neither capped nor weighted.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

use super::memory_unlimited::unlimited;

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    unlimited(
        spec,
        spec.cpu_limit.as_ref(),
        &rules::CPU_UNLIMITED,
        ("CPU limit or CPU share", "CPU limit"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::Platform;

    #[test]
    fn compose_service_without_cpus_is_reported_at_the_service() {
        let spec = bare(Platform::Docker);
        assert_eq!(run(check, &spec), [("PC6002", 1)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` has no CPU limit or CPU share"
        );
    }

    #[test]
    fn compose_zero_cpus_is_reported_at_the_value_and_a_real_one_passes() {
        let mut spec = bare(Platform::Docker);
        spec.cpu_limit = Some(set("0.0".into(), 6));
        assert_eq!(run(check, &spec), [("PC6002", 6)]);
        spec.cpu_limit = Some(set("0.5".into(), 6));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_container_needs_limits_cpu() {
        let mut spec = bare(Platform::Kubernetes);
        assert_eq!(run(check, &spec), [("PC6002", 1)]);
        spec.cpu_limit = Some(set("500m".into(), 14));
        assert!(run(check, &spec).is_empty());
        spec.cpu_limit = Some(set("0m".into(), 14));
        assert_eq!(run(check, &spec), [("PC6002", 14)]);
    }

    #[test]
    fn live_podman_container_with_shares_passes() {
        let mut spec = bare(Platform::Podman);
        assert_eq!(run(check, &spec), [("PC6002", 1)]);
        spec.cpu_limit = Some(set("512 shares".into(), 0));
        assert!(run(check, &spec).is_empty());
    }
}
