//! PC5011 `mount-propagation-shared`: mounts propagate from the container to the host.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

/// Propagation modes that carry mounts made in the container back out: Docker/Podman
/// `shared` and `rshared`, Kubernetes `Bidirectional`.
const TWO_WAY: &[&str] = &["shared", "rshared", "bidirectional"];

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    spec.mounts
        .iter()
        .filter_map(|mount| {
            let propagation = mount.value.propagation.as_deref()?.trim();
            if !TWO_WAY.contains(&propagation.to_ascii_lowercase().as_str()) {
                return None;
            }
            Some(Violation::new(
                &rules::MOUNT_PROPAGATION_SHARED,
                format!(
                    "{} mounts `{}` at `{}` with `{propagation}` propagation",
                    spec.subject, mount.value.source, mount.value.target
                ),
                &mount.at,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::{Mount, Platform, Setting};

    fn mount(propagation: Option<&str>, line: u32) -> Setting<Mount> {
        set(
            Mount {
                source: "/srv/exports".into(),
                target: "/exports".into(),
                from_host: true,
                read_only: false,
                propagation: propagation.map(str::to_owned),
            },
            line,
        )
    }

    #[test]
    fn compose_shared_and_rshared_are_reported() {
        let mut spec = bare(Platform::Docker);
        spec.mounts = vec![mount(Some("rshared"), 5), mount(Some("shared"), 6)];
        assert_eq!(run(check, &spec), [("PC5011", 5), ("PC5011", 6)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` mounts `/srv/exports` at `/exports` with `rshared` propagation"
        );
    }

    #[test]
    fn private_and_one_way_propagation_pass() {
        let mut spec = bare(Platform::Docker);
        spec.mounts = vec![
            mount(None, 5),
            mount(Some("rprivate"), 6),
            mount(Some("rslave"), 7),
        ];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_bidirectional_is_reported_and_host_to_container_passes() {
        let mut spec = bare(Platform::Kubernetes);
        spec.mounts = vec![
            mount(Some("Bidirectional"), 15),
            mount(Some("HostToContainer"), 16),
        ];
        assert_eq!(run(check, &spec), [("PC5011", 15)]);
    }

    #[test]
    fn podman_live_shared_is_reported() {
        let mut spec = bare(Platform::Podman);
        spec.mounts = vec![mount(Some("shared"), 0)];
        assert_eq!(run(check, &spec), [("PC5011", 0)]);
        spec.mounts = vec![mount(Some(""), 0)];
        assert!(run(check, &spec).is_empty());
    }
}
