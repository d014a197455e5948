//! PC5012 `host-path-volume`: a Kubernetes pod uses a hostPath volume.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Evidence, Platform, Violation};

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    // Bind mounts are the ordinary way to share files with one Docker or Podman host.
    if spec.platform != Platform::Kubernetes {
        return Vec::new();
    }
    // One finding per volume: a container may mount the same volume at several paths.
    let mut seen: Vec<&Evidence> = Vec::new();
    spec.mounts
        .iter()
        .filter(|mount| mount.value.from_host)
        .filter(|mount| {
            let new = !seen.contains(&&mount.at);
            seen.push(&mount.at);
            new
        })
        .map(|mount| {
            Violation::new(
                &rules::HOST_PATH_VOLUME,
                format!(
                    "{} uses hostPath volume `{}`",
                    spec.subject, mount.value.source
                ),
                &mount.at,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::{Mount, Setting};

    fn mount(source: &str, from_host: bool, line: u32) -> Setting<Mount> {
        set(
            Mount {
                source: source.into(),
                target: "/data".into(),
                from_host,
                read_only: true,
                propagation: None,
            },
            line,
        )
    }

    #[test]
    fn kubernetes_host_path_is_reported_once_per_volume() {
        let mut spec = bare(Platform::Kubernetes);
        spec.mounts = vec![
            mount("/mnt/cache", true, 22),
            mount("/mnt/cache", true, 22),
            mount("/var/log", true, 25),
        ];
        assert_eq!(run(check, &spec), [("PC5012", 22), ("PC5012", 25)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "container `app` of Deployment/app uses hostPath volume `/mnt/cache`"
        );
    }

    #[test]
    fn kubernetes_other_volumes_pass() {
        let mut spec = bare(Platform::Kubernetes);
        assert!(run(check, &spec).is_empty());
        spec.mounts = vec![mount("data", false, 22)];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn docker_and_podman_bind_mounts_are_not_reported() {
        for platform in [Platform::Docker, Platform::Podman] {
            let mut spec = bare(platform);
            spec.mounts = vec![mount("/mnt/cache", true, 4)];
            assert!(run(check, &spec).is_empty());
        }
    }
}
