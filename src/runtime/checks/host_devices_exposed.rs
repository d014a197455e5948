//! PC5008 `host-devices-exposed`: host devices passed into the container.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

/// Reads only `spec.devices`: Kubernetes has no such field, and its `hostPath` volumes under
/// `/dev` are reported by the mount rules, not here.
pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    spec.devices
        .iter()
        .map(|device| {
            Violation::new(
                &rules::HOST_DEVICES_EXPOSED,
                format!("{} is given host devices: `{}`", spec.subject, device.value),
                &device.at,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::{Mount, Platform};

    #[test]
    fn compose_reports_each_device_rule_and_gpu_request() {
        let mut spec = bare(Platform::Docker);
        spec.devices = vec![
            set("/dev/fuse:/dev/fuse".into(), 3),
            set("c *:* rmw".into(), 4),
            set("gpus: all".into(), 5),
        ];
        assert_eq!(
            run(check, &spec),
            [("PC5008", 3), ("PC5008", 4), ("PC5008", 5)]
        );
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` is given host devices: `/dev/fuse:/dev/fuse`"
        );
    }

    #[test]
    fn no_devices_passes_everywhere() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            assert!(run(check, &bare(platform)).is_empty());
        }
    }

    #[test]
    fn podman_live_device_is_reported() {
        let mut spec = bare(Platform::Podman);
        spec.devices = vec![set("/dev/kvm".into(), 2)];
        assert_eq!(run(check, &spec), [("PC5008", 2)]);
    }

    #[test]
    fn kubernetes_host_path_under_dev_is_not_a_device_finding() {
        let mut spec = bare(Platform::Kubernetes);
        spec.mounts = vec![set(
            Mount {
                source: "/dev/kvm".into(),
                target: "/dev/kvm".into(),
                from_host: true,
                read_only: false,
                propagation: None,
            },
            9,
        )];
        assert!(run(check, &spec).is_empty());
    }
}
