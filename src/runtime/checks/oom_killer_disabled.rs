//! PC6006 `oom-killer-disabled`: the kernel may not kill the container's processes when
//! memory runs out.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

use super::memory_unlimited::effective_memory_limit;

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let Some(setting) = spec.oom_kill_disable.as_ref().filter(|s| s.value) else {
        return Vec::new();
    };
    let message = match effective_memory_limit(spec) {
        Some(limit) => format!(
            "{} disables the OOM killer: at its memory limit of {} its processes hang instead of being killed",
            spec.subject, limit.value
        ),
        None => format!(
            "{} disables the OOM killer and has no memory limit: it can exhaust the host's memory",
            spec.subject
        ),
    };
    vec![Violation::new(
        &rules::OOM_KILLER_DISABLED,
        message,
        &setting.at,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::Platform;

    #[test]
    fn compose_disabled_oom_killer_is_reported_and_worse_without_memory_limit() {
        let mut spec = bare(Platform::Docker);
        spec.oom_kill_disable = Some(set(true, 8));
        assert_eq!(run(check, &spec), [("PC6006", 8)]);
        let engine = EngineDefaults::default();
        assert!(check(&spec, &engine)[0]
            .message
            .contains("has no memory limit: it can exhaust the host's memory"));
        spec.memory_limit = Some(set("0".into(), 7));
        assert!(check(&spec, &engine)[0]
            .message
            .contains("has no memory limit"));
        spec.memory_limit = Some(set("1g".into(), 7));
        assert_eq!(
            check(&spec, &engine)[0].message,
            "service `app` disables the OOM killer: at its memory limit of 1g its processes hang instead of being killed"
        );
    }

    #[test]
    fn compose_default_or_false_passes() {
        let mut spec = bare(Platform::Docker);
        assert!(run(check, &spec).is_empty());
        spec.oom_kill_disable = Some(set(false, 8));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn live_podman_container_is_judged_the_same_way() {
        let mut spec = bare(Platform::Podman);
        assert!(run(check, &spec).is_empty());
        spec.oom_kill_disable = Some(set(true, 0));
        assert_eq!(run(check, &spec), [("PC6006", 0)]);
    }

    #[test]
    fn kubernetes_has_no_such_setting() {
        assert!(run(check, &bare(Platform::Kubernetes)).is_empty());
    }
}
