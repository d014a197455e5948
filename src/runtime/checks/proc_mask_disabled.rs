//! PC5005 `proc-mask-disabled`: the masks over /proc and /sys are turned off.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

use super::apparmor_disabled::confinement_lifted_by_privilege;

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    if confinement_lifted_by_privilege(spec) {
        return Vec::new();
    }
    spec.unmasked_proc
        .iter()
        .filter(|unmasked| unmasked.value)
        .map(|unmasked| {
            Violation::new(
                &rules::PROC_MASK_DISABLED,
                format!(
                    "{} turns off the masks over sensitive /proc and /sys paths",
                    spec.subject
                ),
                &unmasked.at,
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
    fn compose_systempaths_unconfined_is_reported() {
        let mut spec = bare(Platform::Docker);
        spec.unmasked_proc = Some(set(true, 4));
        assert_eq!(run(check, &spec), [("PC5005", 4)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` turns off the masks over sensitive /proc and /sys paths"
        );
    }

    #[test]
    fn unset_or_false_passes_everywhere() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            let mut spec = bare(platform);
            assert!(run(check, &spec).is_empty());
            spec.unmasked_proc = Some(set(false, 4));
            assert!(run(check, &spec).is_empty());
        }
    }

    #[test]
    fn kubernetes_proc_mount_unmasked_is_reported() {
        let mut spec = bare(Platform::Kubernetes);
        spec.unmasked_proc = Some(set(true, 14));
        assert_eq!(run(check, &spec), [("PC5005", 14)]);
    }

    #[test]
    fn live_unmask_all_is_reported_unless_privileged() {
        let mut spec = bare(Platform::Podman);
        spec.unmasked_proc = Some(set(true, 2));
        assert_eq!(run(check, &spec), [("PC5005", 2)]);
        spec.privileged = Some(set(true, 3));
        assert!(run(check, &spec).is_empty());
        let mut docker = bare(Platform::Docker);
        docker.subject.kind = SubjectKind::LiveContainer;
        docker.unmasked_proc = Some(set(true, 2));
        assert_eq!(run(check, &docker), [("PC5005", 2)]);
    }
}
