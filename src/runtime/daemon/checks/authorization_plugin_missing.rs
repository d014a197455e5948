//! PC7010: no authorization plugin guards the API (CIS 2.12).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Podman has no authorization plugins to configure.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if daemon.is_podman() {
        return Vec::new();
    }
    match daemon.effective(&daemon.authorization_plugins, Vec::new()) {
        Some(plugins) if plugins.value.is_empty() => vec![Violation::new(
            &rules::AUTHORIZATION_PLUGIN_MISSING,
            format!(
                "{} has no authorization plugin: every client of its API may do everything",
                daemon.name
            ),
            plugins.at,
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
    fn docker_lists_its_authorization_plugins() {
        assert_eq!(
            run(check, &docker(docker_info())),
            [("PC7010", "/info Plugins.Authorization".into())]
        );
        let guarded = with(
            docker_info(),
            json!({"Plugins": {"Volume": ["local"], "Authorization": ["opa-docker-authz"]}}),
        );
        assert!(run(check, &docker(guarded)).is_empty());
    }

    #[test]
    fn podman_is_not_reported() {
        assert!(run(check, &podman(podman_info())).is_empty());
    }

    #[test]
    fn a_daemon_json_needs_a_plugin() {
        assert_eq!(
            run(check, &config("{}")),
            [("PC7010", "daemon.json:1:1".into())]
        );
        assert_eq!(
            run(check, &config("{\n  \"authorization-plugins\": []\n}")),
            [("PC7010", "daemon.json:2:3".into())]
        );
        assert!(run(check, &config("{\"authorization-plugins\": [\"authz\"]}")).is_empty());
    }
}
