//! PC6001 `memory-unlimited`: the container may use all of the host's memory.

use crate::rules::{self, Rule};
use crate::runtime::spec::{positive_amount, ContainerSpec, EngineDefaults, Setting, Violation};

/// The memory limit in force, if any: absent means unlimited on every platform.
pub(crate) fn effective_memory_limit(spec: &ContainerSpec) -> Option<&Setting<String>> {
    spec.memory_limit
        .as_ref()
        .filter(|limit| positive_amount(&limit.value))
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    unlimited(
        spec,
        spec.memory_limit.as_ref(),
        &rules::MEMORY_UNLIMITED,
        ("memory limit", "memory limit"),
    )
}

/// A resource `limit` that is missing (reported at the container) or zero (at the setting):
/// both mean no limit. `names` are the missing thing and the setting, for messages.
pub(crate) fn unlimited(
    spec: &ContainerSpec,
    limit: Option<&Setting<String>>,
    rule: &'static Rule,
    names: (&str, &str),
) -> Vec<Violation> {
    let (missing, setting) = names;
    let violation = match limit {
        None => Violation::new(
            rule,
            format!("{} has no {missing}", spec.subject),
            spec.declared_at(),
        ),
        Some(limit) if !positive_amount(&limit.value) => Violation::new(
            rule,
            format!(
                "{} sets {setting} `{}`, which means no limit",
                spec.subject, limit.value
            ),
            &limit.at,
        ),
        Some(_) => return Vec::new(),
    };
    vec![violation]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::Platform;

    #[test]
    fn compose_service_without_limit_is_reported_at_the_service() {
        let spec = bare(Platform::Docker);
        assert_eq!(run(check, &spec), [("PC6001", 1)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` has no memory limit"
        );
    }

    #[test]
    fn compose_zero_limit_is_reported_at_the_value_and_a_real_one_passes() {
        let mut spec = bare(Platform::Docker);
        spec.memory_limit = Some(set("0".into(), 7));
        assert_eq!(run(check, &spec), [("PC6001", 7)]);
        spec.memory_limit = Some(set("512m".into(), 7));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_container_needs_limits_memory() {
        let mut spec = bare(Platform::Kubernetes);
        assert_eq!(run(check, &spec), [("PC6001", 1)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "container `app` of Deployment/app has no memory limit"
        );
        spec.memory_limit = Some(set("256Mi".into(), 12));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn podman_has_no_default_limit_either() {
        let mut spec = bare(Platform::Podman);
        assert_eq!(run(check, &spec), [("PC6001", 1)]);
        spec.memory_limit = Some(set("268435456".into(), 0));
        assert!(run(check, &spec).is_empty());
    }
}
