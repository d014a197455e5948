//! PC7016: experimental features are on (CIS 2.18).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Not Podman, whose compat `/info` always says `ExperimentalBuild: true`.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if daemon.is_podman() {
        return Vec::new();
    }
    match &daemon.experimental {
        Some(experimental) if experimental.value => vec![Violation::new(
            &rules::EXPERIMENTAL_ENABLED,
            format!("{} has experimental features enabled", daemon.name),
            &experimental.at,
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
    fn docker_experimental_build() {
        assert!(run(check, &docker(docker_info())).is_empty());
        let on = with(docker_info(), json!({"ExperimentalBuild": true}));
        assert_eq!(
            run(check, &docker(on)),
            [("PC7016", "/info ExperimentalBuild".into())]
        );
    }

    #[test]
    fn podman_constant_true_is_not_reported() {
        assert!(run(check, &podman(podman_info())).is_empty());
    }

    #[test]
    fn a_daemon_json_setting() {
        assert_eq!(
            run(check, &config("{\n  \"experimental\": true\n}")),
            [("PC7016", "daemon.json:2:3".into())]
        );
        assert!(run(check, &config("{}")).is_empty());
    }
}
