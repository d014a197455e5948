//! PC5006 `root-filesystem-writable`: the root filesystem is not mounted read-only.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let subject = &spec.subject;
    let violation = match &spec.read_only_rootfs {
        Some(read_only) if read_only.value => return Vec::new(),
        Some(read_only) => Violation::new(
            &rules::ROOT_FILESYSTEM_WRITABLE,
            format!("{subject} has a writable root filesystem (read-only is false)"),
            &read_only.at,
        ),
        // Every platform mounts the root filesystem writable unless told otherwise.
        None => Violation::new(
            &rules::ROOT_FILESYSTEM_WRITABLE,
            format!("{subject} does not make its root filesystem read-only"),
            spec.declared_at(),
        ),
    };
    // Upstream ids come from manifest scanners only.
    vec![violation.kubernetes_aliases_only(spec.platform)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::Platform;

    #[test]
    fn unset_is_reported_at_the_declaration_on_every_platform() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            assert_eq!(run(check, &bare(platform)), [("PC5006", 1)]);
        }
        assert_eq!(
            check(&bare(Platform::Docker), &EngineDefaults::default())[0].message,
            "service `app` does not make its root filesystem read-only"
        );
    }

    #[test]
    fn explicit_false_is_reported_at_the_setting() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            let mut spec = bare(platform);
            spec.read_only_rootfs = Some(set(false, 8));
            assert_eq!(run(check, &spec), [("PC5006", 8)]);
        }
    }

    #[test]
    fn read_only_passes_on_every_platform() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            let mut spec = bare(platform);
            spec.read_only_rootfs = Some(set(true, 8));
            assert!(run(check, &spec).is_empty());
        }
    }
}
