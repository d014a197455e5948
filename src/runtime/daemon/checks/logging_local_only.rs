//! PC7011: container logs stay on the host (CIS 2.13).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Drivers that keep logs in files next to the containers. `journald` and `syslog` hand them
/// to the host's log system, where forwarding is usually configured, so they are not counted.
const LOCAL: &[&str] = &["json-file", "local"];

/// dockerd's default driver is `json-file`; Podman's compat `/info` leaves the driver empty
/// (it is in containers.conf), which reads as unknown.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if daemon.is_podman() {
        return Vec::new();
    }
    let Some(driver) = daemon.effective(&daemon.log_driver, "json-file".to_owned()) else {
        return Vec::new();
    };
    let value = driver.value.trim();
    let message = if LOCAL.contains(&value) {
        format!(
            "{} keeps container logs on the host (logging driver `{value}`)",
            daemon.name
        )
    } else if value == "none" {
        format!(
            "{} keeps no container logs at all (logging driver `none`)",
            daemon.name
        )
    } else {
        return Vec::new();
    };
    vec![Violation::new(
        &rules::LOGGING_LOCAL_ONLY,
        message,
        driver.at,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;
    use serde_json::json;

    #[test]
    fn docker_local_drivers() {
        assert_eq!(
            run(check, &docker(docker_info())),
            [("PC7011", "/info LoggingDriver".into())]
        );
        for remote in ["fluentd", "gelf", "journald", "syslog", "awslogs"] {
            let spec = docker(with(docker_info(), json!({"LoggingDriver": remote})));
            assert!(run(check, &spec).is_empty(), "{remote}");
        }
        let none = docker(with(docker_info(), json!({"LoggingDriver": "none"})));
        assert!(check(&none)[0].message.contains("no container logs"));
    }

    #[test]
    fn podman_empty_driver_is_not_reported() {
        assert!(run(check, &podman(podman_info())).is_empty());
    }

    #[test]
    fn a_daemon_json_defaults_to_json_file() {
        assert_eq!(
            run(check, &config("{}")),
            [("PC7011", "daemon.json:1:1".into())]
        );
        assert_eq!(
            run(check, &config("{\n  \"log-driver\": \"local\"\n}")),
            [("PC7011", "daemon.json:2:3".into())]
        );
        assert!(run(check, &config("{\"log-driver\": \"gelf\"}")).is_empty());
    }
}
