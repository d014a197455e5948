//! PC7017: the engine is a swarm node (CIS 5.1).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Only a live Docker engine tells; Podman has no swarm mode.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if daemon.is_podman() || !daemon.in_swarm() {
        return Vec::new();
    }
    let Some(state) = &daemon.swarm else {
        return Vec::new();
    };
    vec![Violation::new(
        &rules::SWARM_MODE_ENABLED,
        format!("{} is a swarm node (state `{}`)", daemon.name, state.value),
        &state.at,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;
    use serde_json::json;

    #[test]
    fn active_pending_and_locked_nodes() {
        assert!(run(check, &docker(docker_info())).is_empty());
        for state in ["active", "pending", "locked"] {
            let info = with(
                docker_info(),
                json!({"Swarm": {"NodeID": "n1", "LocalNodeState": state, "ControlAvailable": false}}),
            );
            assert_eq!(
                run(check, &docker(info)),
                [("PC7017", "/info Swarm.LocalNodeState".into())]
            );
        }
    }

    #[test]
    fn podman_and_files_are_not_reported() {
        assert!(run(check, &podman(podman_info())).is_empty());
        assert!(run(check, &config("{}")).is_empty());
    }
}
