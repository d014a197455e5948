//! PC7003: the engine logs at debug level (CIS 2.3).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Log levels more verbose than `info`.
const VERBOSE: &[&str] = &["debug", "trace"];

/// `Debug` is in `/info` for both engines; `log-level` only in the daemon.json.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    let mut found = Vec::new();
    if let Some(level) = &daemon.log_level {
        let value = level.value.trim().to_ascii_lowercase();
        if VERBOSE.contains(&value.as_str()) {
            found.push(Violation::new(
                &rules::DEBUG_LOGGING,
                format!("{} logs at level `{value}`", daemon.name),
                &level.at,
            ));
        }
    }
    if let Some(debug) = daemon.debug.as_ref().filter(|debug| debug.value) {
        found.push(Violation::new(
            &rules::DEBUG_LOGGING,
            format!("{} runs in debug mode", daemon.name),
            &debug.at,
        ));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;
    use serde_json::json;

    #[test]
    fn debug_mode_of_either_engine() {
        assert!(run(check, &docker(docker_info())).is_empty());
        let debug = with(docker_info(), json!({"Debug": true}));
        assert_eq!(
            run(check, &docker(debug)),
            [("PC7003", "/info Debug".into())]
        );
        assert!(run(check, &podman(podman_info())).is_empty());
        let debug = with(podman_info(), json!({"Debug": true}));
        assert_eq!(
            run(check, &podman(debug)),
            [("PC7003", "/info Debug".into())]
        );
    }

    #[test]
    fn log_levels_need_the_daemon_json() {
        let spec = config("{\n  \"log-level\": \"DEBUG\",\n  \"debug\": true\n}");
        assert_eq!(
            run(check, &spec),
            [
                ("PC7003", "daemon.json:2:3".into()),
                ("PC7003", "daemon.json:3:3".into())
            ]
        );
        assert_eq!(check(&spec)[0].message, "dockerd logs at level `debug`");
        assert!(run(check, &config("{\"log-level\": \"info\"}")).is_empty());
        assert!(run(check, &config("{\"log-level\": \"warn\"}")).is_empty());
        // dockerd's debug flag is not its log level: 20.10 says `Debug: false` here.
        let merged = docker_and_config(docker_info(), "{\"log-level\": \"debug\"}");
        assert_eq!(run(check, &merged), [("PC7003", "daemon.json:1:2".into())]);
    }
}
