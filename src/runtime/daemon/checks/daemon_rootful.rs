//! PC7001: the engine runs as root (CIS 2.1).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Reads only what is known: a daemon.json alone cannot tell how dockerd was started, so it
/// counts only when it says `"rootless": false`.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    match &daemon.rootless {
        Some(rootless) if !rootless.value => vec![Violation::new(
            &rules::DAEMON_ROOTFUL,
            format!("{} runs as root, not rootless", daemon.name),
            &rootless.at,
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;
    use serde_json::json;

    #[test]
    fn a_rootful_docker_engine_is_reported_a_rootless_one_not() {
        assert_eq!(
            run(check, &docker(docker_info())),
            [("PC7001", "/info SecurityOptions".into())]
        );
        let rootless = with(
            docker_info(),
            json!({"SecurityOptions": ["name=seccomp,profile=builtin", "name=rootless", "name=cgroupns"]}),
        );
        assert!(run(check, &docker(rootless)).is_empty());
    }

    #[test]
    fn podman_says_it_in_its_rootless_field() {
        assert_eq!(
            run(check, &podman(podman_info())),
            [("PC7001", "/info Rootless".into())]
        );
        let rootless = with(
            podman_info(),
            json!({"Rootless": true, "SecurityOptions": ["name=rootless", "name=seccomp,profile=default"]}),
        );
        assert!(run(check, &podman(rootless)).is_empty());
    }

    #[test]
    fn a_daemon_json_counts_only_when_it_says_so() {
        assert!(run(check, &config("{}")).is_empty());
        assert_eq!(
            run(check, &config("{\n  \"rootless\": false\n}")),
            [("PC7001", "daemon.json:2:3".into())]
        );
        let message = &check(&docker(docker_info()))[0].message;
        assert_eq!(message, "Docker 20.10.24 runs as root, not rootless");
    }
}
