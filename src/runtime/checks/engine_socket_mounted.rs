//! PC5010 `engine-socket-mounted`: the container can reach a container engine's API.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

/// File names of container engine API sockets (and Docker's Windows named pipe).
const ENGINE_SOCKETS: &[&str] = &[
    "docker.sock",
    "podman.sock",
    "containerd.sock",
    "crio.sock",
    "cri-dockerd.sock",
    "dockershim.sock",
    "docker_engine",
];

/// Whether host path `path` is an engine socket, judged by its file name so that rootless
/// (`/run/user/1000/podman/podman.sock`) and Docker Desktop (`~/.docker/run/docker.sock`)
/// sockets count too.
pub(crate) fn is_engine_socket(path: &str) -> bool {
    let path = path.trim_end_matches(['/', '\\']);
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    ENGINE_SOCKETS.contains(&name)
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let subject = &spec.subject;
    let mounts = spec
        .mounts
        .iter()
        .filter(|mount| mount.value.from_host && is_engine_socket(&mount.value.source))
        .map(|mount| {
            Violation::new(
                &rules::ENGINE_SOCKET_MOUNTED,
                format!(
                    "{subject} mounts the engine socket `{}`{}",
                    mount.value.source,
                    if mount.value.target.is_empty() {
                        String::new()
                    } else {
                        format!(" at `{}`", mount.value.target)
                    }
                ),
                &mount.at,
            )
        });
    let api_socket = spec
        .api_socket
        .iter()
        .filter(|api_socket| api_socket.value)
        .map(|api_socket| {
            Violation::new(
                &rules::ENGINE_SOCKET_MOUNTED,
                format!(
                    "{subject} sets `use_api_socket`, which mounts the Docker socket and the \
                     registry credentials"
                ),
                &api_socket.at,
            )
        });
    mounts
        .chain(api_socket)
        // Upstream ids come from manifest scanners only.
        .map(|violation| violation.kubernetes_aliases_only(spec.platform))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::{Mount, Platform, Setting};

    fn mount(source: &str, from_host: bool, read_only: bool, line: u32) -> Setting<Mount> {
        set(
            Mount {
                source: source.into(),
                target: "/var/run/docker.sock".into(),
                from_host,
                read_only,
                propagation: None,
            },
            line,
        )
    }

    #[test]
    fn socket_names_are_matched_by_file_name() {
        for path in [
            "/var/run/docker.sock",
            "/run/containerd/containerd.sock",
            "/run/user/1000/podman/podman.sock",
            "~/.docker/run/docker.sock",
            "/var/run/crio/crio.sock/",
            "//./pipe/docker_engine",
        ] {
            assert!(is_engine_socket(path), "{path}");
        }
        for path in [
            "/var/run",
            "/run",
            "/srv/docker.sockets",
            "/var/run/docker.pid",
        ] {
            assert!(!is_engine_socket(path), "{path}");
        }
    }

    #[test]
    fn compose_socket_mount_is_reported_even_read_only() {
        let mut spec = bare(Platform::Docker);
        spec.mounts = vec![mount("/var/run/docker.sock", true, true, 6)];
        assert_eq!(run(check, &spec), [("PC5010", 6)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` mounts the engine socket `/var/run/docker.sock` at \
             `/var/run/docker.sock`"
        );
    }

    #[test]
    fn compose_use_api_socket_is_reported_and_false_passes() {
        let mut spec = bare(Platform::Docker);
        spec.api_socket = Some(set(true, 3));
        assert_eq!(run(check, &spec), [("PC5010", 3)]);
        spec.api_socket = Some(set(false, 3));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn named_volumes_and_other_paths_pass() {
        let mut spec = bare(Platform::Docker);
        spec.mounts = vec![
            mount("docker.sock", false, false, 4),
            mount("/var/run", true, true, 5),
        ];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_host_path_socket_is_reported() {
        let mut spec = bare(Platform::Kubernetes);
        spec.mounts = vec![mount("/run/containerd/containerd.sock", true, false, 20)];
        assert_eq!(run(check, &spec), [("PC5010", 20)]);
        assert!(run(check, &bare(Platform::Kubernetes)).is_empty());
    }

    #[test]
    fn podman_live_rootless_socket_is_reported() {
        let mut spec = bare(Platform::Podman);
        spec.mounts = vec![mount("/run/user/1000/podman/podman.sock", true, false, 0)];
        assert_eq!(run(check, &spec), [("PC5010", 0)]);
        assert!(run(check, &bare(Platform::Podman)).is_empty());
    }
}
