//! PC5009 `sensitive-host-path-mounted`: a sensitive directory of the host is mounted.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Mount, Violation};

use super::engine_socket_mounted::is_engine_socket;

/// Host paths that are sensitive themselves: the root, system directories, the container
/// engines' and kubelet's state, and the directories that hold sockets and runtime state.
const SENSITIVE: &[&str] = &[
    "/",
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib64",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
    "/var/run",
    "/var/lib/docker",
    "/var/lib/containers",
    "/var/lib/containerd",
    "/var/lib/kubelet",
];

/// Directories whose every descendant is sensitive too: kernel interfaces, device nodes, boot
/// files, host configuration and root's home. (`/run` and `/var/run` are not here: most of
/// what they hold is harmless, and the engine sockets in them have their own rule.)
const SENSITIVE_TREES: &[&str] = &["/boot", "/dev", "/etc", "/proc", "/root", "/sys"];

/// Paths under those trees (and below them) that hold only public data and are routinely
/// mounted read-only (the time zone, the trust store); a writable mount is still reported.
const HARMLESS_READ_ONLY: &[&str] = &[
    "/etc/localtime",
    "/etc/timezone",
    "/etc/machine-id",
    "/etc/ssl/certs",
];

/// The absolute host path `path` names, with repeated slashes, `.`, `..` and a trailing slash
/// resolved lexically (`//etc/./ssl/../` is `/etc`); `None` for relative paths.
pub(crate) fn normalise_host_path(path: &str) -> Option<String> {
    path.starts_with('/')
        .then(|| crate::dockerfile::checks::dockerignore::clean(path))
}

/// Whether mounting host path `path` (normalised) exposes the host, given the mount mode.
pub(crate) fn is_sensitive_host_path(path: &str, read_only: bool) -> bool {
    let within = |tree: &str| {
        path.strip_prefix(tree)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if read_only && HARMLESS_READ_ONLY.iter().any(|harmless| within(harmless)) {
        return false;
    }
    SENSITIVE.contains(&path) || SENSITIVE_TREES.iter().any(|tree| within(tree))
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    spec.mounts
        .iter()
        .filter(|mount| mount.value.from_host && !is_engine_socket(&mount.value.source))
        .filter_map(|mount| {
            let Mount {
                source,
                target,
                read_only,
                ..
            } = &mount.value;
            let path = normalise_host_path(source)?;
            if !is_sensitive_host_path(&path, *read_only) {
                return None;
            }
            let mode = if *read_only { "read-only" } else { "writable" };
            let at_target = if target.is_empty() {
                String::new()
            } else {
                format!(" at `{target}`")
            };
            Some(Violation::new(
                &rules::SENSITIVE_HOST_PATH_MOUNTED,
                format!(
                    "{} mounts the host's `{path}` {mode}{at_target}",
                    spec.subject
                ),
                &mount.at,
            ))
        })
        // Upstream ids come from manifest scanners only.
        .map(|violation| violation.kubernetes_aliases_only(spec.platform))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::{Platform, Setting};

    fn bind(source: &str, target: &str, read_only: bool, line: u32) -> Setting<Mount> {
        set(
            Mount {
                source: source.into(),
                target: target.into(),
                from_host: true,
                read_only,
                propagation: None,
            },
            line,
        )
    }

    #[test]
    fn paths_are_normalised_lexically() {
        assert_eq!(normalise_host_path("/etc/").as_deref(), Some("/etc"));
        assert_eq!(
            normalise_host_path("//etc/./ssl/..").as_deref(),
            Some("/etc")
        );
        assert_eq!(normalise_host_path("/..").as_deref(), Some("/"));
        assert_eq!(normalise_host_path("/").as_deref(), Some("/"));
        assert_eq!(normalise_host_path("./etc"), None);
        assert_eq!(normalise_host_path("~/data"), None);
    }

    #[test]
    fn exact_paths_and_trees_are_sensitive() {
        for path in [
            "/",
            "/etc",
            "/var/lib/docker",
            "/home",
            "/var/run",
            "/proc/1/root",
        ] {
            assert!(is_sensitive_host_path(path, true), "{path}");
        }
        for path in [
            "/etc/kubernetes/pki",
            "/dev/sda",
            "/sys/fs/cgroup",
            "/root/.ssh",
        ] {
            assert!(is_sensitive_host_path(path, true), "{path}");
        }
        for path in [
            "/srv/data",
            "/home2",
            "/etcetera",
            "/var/log",
            "/run/xtables.lock",
        ] {
            assert!(!is_sensitive_host_path(path, false), "{path}");
        }
        assert!(!is_sensitive_host_path("/etc/localtime", true));
        assert!(!is_sensitive_host_path(
            "/etc/ssl/certs/ca-certificates.crt",
            true
        ));
        assert!(is_sensitive_host_path("/etc/ssl/private", true));
        assert!(is_sensitive_host_path("/etc/localtime", false));
    }

    #[test]
    fn compose_bind_mounts_say_whether_they_are_writable() {
        let mut spec = bare(Platform::Docker);
        spec.mounts = vec![
            bind("/etc/", "/host/etc", false, 4),
            bind("/proc", "/host/proc", true, 5),
            bind("./config", "/config", false, 6),
            bind("/etc/localtime", "/etc/localtime", true, 7),
        ];
        assert_eq!(run(check, &spec), [("PC5009", 4), ("PC5009", 5)]);
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(
            violations[0].message,
            "service `app` mounts the host's `/etc` writable at `/host/etc`"
        );
        assert_eq!(
            violations[1].message,
            "service `app` mounts the host's `/proc` read-only at `/host/proc`"
        );
    }

    #[test]
    fn named_volumes_and_engine_sockets_are_not_this_rules() {
        let mut spec = bare(Platform::Docker);
        let mut volume = bind("etc", "/etc", false, 4);
        volume.value.from_host = false;
        spec.mounts = vec![
            volume,
            bind("/var/run/docker.sock", "/var/run/docker.sock", false, 5),
        ];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_host_path_under_dev_is_reported() {
        let mut spec = bare(Platform::Kubernetes);
        spec.mounts = vec![bind("/dev/kvm", "/dev/kvm", false, 12)];
        assert_eq!(run(check, &spec), [("PC5009", 12)]);
        spec.mounts = vec![bind("/mnt/cache", "/cache", false, 12)];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn podman_live_mount_of_container_storage_is_reported() {
        let mut spec = bare(Platform::Podman);
        spec.mounts = vec![bind("/var/lib/containers", "/var/lib/containers", false, 2)];
        assert_eq!(run(check, &spec), [("PC5009", 2)]);
        spec.mounts = vec![bind("/srv/www", "/usr/share/nginx/html", true, 2)];
        assert!(run(check, &spec).is_empty());
    }
}
