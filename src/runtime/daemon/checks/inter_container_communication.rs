//! PC7002: containers on the default bridge can reach each other (CIS 2.2).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Docker only: Podman has no `icc` switch, and an engine without a default bridge
/// (`--bridge=none`) has nothing to restrict.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if daemon.is_podman() || daemon.default_bridge == Some(false) {
        return Vec::new();
    }
    let Some(icc) = daemon.effective(&daemon.icc, true) else {
        return Vec::new();
    };
    if !icc.value {
        return Vec::new();
    }
    let why = if icc.defaulted {
        "`icc` is not set and defaults to true"
    } else {
        "`icc` is true"
    };
    vec![Violation::new(
        &rules::INTER_CONTAINER_COMMUNICATION,
        format!(
            "{} lets containers on the default bridge network reach each other ({why})",
            daemon.name
        ),
        icc.at,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;
    use serde_json::json;

    #[test]
    fn the_live_bridge_option_decides() {
        assert_eq!(
            run(check, &docker(docker_info())),
            [(
                "PC7002",
                "/networks/bridge Options.com.docker.network.bridge.enable_icc".into()
            )]
        );
        let off = docker_on(docker_info(), json!([bridge("false", "0.0.0.0")]), &unix());
        assert!(run(check, &off).is_empty());
        let no_bridge = docker_on(docker_info(), json!([]), &unix());
        assert!(run(check, &no_bridge).is_empty(), "--bridge=none");
    }

    #[test]
    fn a_daemon_json_without_icc_false_is_reported() {
        assert_eq!(
            run(check, &config("{}")),
            [("PC7002", "daemon.json:1:1".into())]
        );
        assert_eq!(
            run(check, &config("{\n  \"icc\": true\n}")),
            [("PC7002", "daemon.json:2:3".into())]
        );
        assert!(run(check, &config("{\"icc\": false}")).is_empty());
        // The engine's value, the file's line.
        assert_eq!(
            run(
                check,
                &docker_and_config(docker_info(), "{\n  \"icc\": true\n}")
            ),
            [("PC7002", "daemon.json:2:3".into())]
        );
    }

    #[test]
    fn podman_is_never_reported() {
        assert!(run(check, &podman(podman_info())).is_empty());
    }
}
