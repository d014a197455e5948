//! PC6007 `cgroup-parent-custom`: the container picks its own cgroup parent.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    spec.cgroup_parent
        .iter()
        .filter(|parent| !parent.value.trim().is_empty())
        .map(|parent| {
            Violation::new(
                &rules::CGROUP_PARENT_CUSTOM,
                format!(
                    "{} runs under cgroup parent `{}`",
                    spec.subject, parent.value
                ),
                &parent.at,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::Platform;

    #[test]
    fn compose_cgroup_parent_is_reported_at_the_value() {
        let mut spec = bare(Platform::Docker);
        spec.cgroup_parent = Some(set("/system.slice".into(), 11));
        assert_eq!(run(check, &spec), [("PC6007", 11)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` runs under cgroup parent `/system.slice`"
        );
    }

    #[test]
    fn compose_default_or_empty_parent_passes() {
        let mut spec = bare(Platform::Docker);
        assert!(run(check, &spec).is_empty());
        spec.cgroup_parent = Some(set(String::new(), 11));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn live_podman_container_is_judged_the_same_way() {
        let mut spec = bare(Platform::Podman);
        assert!(run(check, &spec).is_empty());
        spec.cgroup_parent = Some(set("machine.slice".into(), 0));
        assert_eq!(run(check, &spec), [("PC6007", 0)]);
    }

    #[test]
    fn kubernetes_has_no_such_setting() {
        assert!(run(check, &bare(Platform::Kubernetes)).is_empty());
    }
}
