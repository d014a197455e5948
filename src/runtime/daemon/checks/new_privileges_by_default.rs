//! PC7012: the daemon does not set no-new-privileges for every container (CIS 2.14).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Docker 24 and later show the setting in `/info`; older engines only through a daemon.json.
/// When neither tells, nothing is reported. Podman never shows it.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if daemon.is_podman() {
        return Vec::new();
    }
    match daemon.effective(&daemon.no_new_privileges, false) {
        Some(setting) if !setting.value => vec![Violation::new(
            &rules::NEW_PRIVILEGES_BY_DEFAULT,
            format!(
                "{} does not set no-new-privileges for its containers",
                daemon.name
            ),
            setting.at,
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
    fn docker_24_shows_it() {
        let off = with(
            docker_info(),
            json!({"ServerVersion": "24.0.7", "SecurityOptions": ["name=seccomp,profile=builtin"]}),
        );
        assert_eq!(
            run(check, &docker(off)),
            [("PC7012", "/info SecurityOptions".into())]
        );
        let on = with(
            docker_info(),
            json!({"ServerVersion": "27.3.1", "SecurityOptions": [
                "name=seccomp,profile=builtin", "name=no-new-privileges"
            ]}),
        );
        assert!(run(check, &docker(on)).is_empty());
    }

    #[test]
    fn older_engines_are_not_guessed() {
        assert!(run(check, &docker(docker_info())).is_empty(), "20.10");
        assert!(run(check, &podman(podman_info())).is_empty());
        assert_eq!(
            run(check, &docker_and_config(docker_info(), "{}")),
            [("PC7012", "daemon.json:1:1".into())]
        );
        let on = docker_and_config(docker_info(), "{\"no-new-privileges\": true}");
        assert!(run(check, &on).is_empty());
    }

    #[test]
    fn a_daemon_json_alone() {
        assert_eq!(
            run(check, &config("{\n  \"no-new-privileges\": false\n}")),
            [("PC7012", "daemon.json:2:3".into())]
        );
        assert!(run(check, &config("{\"no-new-privileges\": true}")).is_empty());
    }
}
