//! PC7013: containers stop when dockerd does (CIS 2.15).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Not Podman (no daemon to restart; its `/info` always says false) and not swarm nodes
/// (dockerd refuses live restore in swarm mode).
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if daemon.is_podman() || daemon.in_swarm() {
        return Vec::new();
    }
    match daemon.effective(&daemon.live_restore, false) {
        Some(live_restore) if !live_restore.value => vec![Violation::new(
            &rules::LIVE_RESTORE_OFF,
            format!(
                "{} stops every container when it stops or restarts (live restore is off)",
                daemon.name
            ),
            live_restore.at,
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
    fn docker_says_it_in_info() {
        assert_eq!(
            run(check, &docker(docker_info())),
            [("PC7013", "/info LiveRestoreEnabled".into())]
        );
        let on = with(docker_info(), json!({"LiveRestoreEnabled": true}));
        assert!(run(check, &docker(on)).is_empty());
    }

    #[test]
    fn swarm_nodes_and_podman_are_not_reported() {
        let swarm = with(
            docker_info(),
            json!({"Swarm": {"NodeID": "x1", "LocalNodeState": "active", "ControlAvailable": true}}),
        );
        assert!(run(check, &docker(swarm)).is_empty());
        assert!(run(check, &podman(podman_info())).is_empty());
    }

    #[test]
    fn a_daemon_json_defaults_to_off() {
        assert_eq!(
            run(check, &config("{}")),
            [("PC7013", "daemon.json:1:1".into())]
        );
        assert!(run(check, &config("{\"live-restore\": true}")).is_empty());
    }
}
