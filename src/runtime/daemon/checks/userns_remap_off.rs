//! PC7009: user-namespace remapping is off (CIS 2.9).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// A rootless engine is remapped by design; Podman's `/info` never shows remapping.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if daemon.is_podman() || daemon.is_rootless() {
        return Vec::new();
    }
    match daemon.effective(&daemon.userns_remap, false) {
        Some(remap) if !remap.value => {
            let why = if remap.defaulted {
                " (`userns-remap` is not set)"
            } else {
                ""
            };
            vec![Violation::new(
                &rules::USERNS_REMAP_OFF,
                format!(
                    "{} does not remap user namespaces: root in a container is root on the \
                     host{why}",
                    daemon.name
                ),
                remap.at,
            )]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;
    use serde_json::json;

    #[test]
    fn docker_shows_userns_in_its_security_options() {
        assert_eq!(
            run(check, &docker(docker_info())),
            [("PC7009", "/info SecurityOptions".into())]
        );
        let remapped = with(
            docker_info(),
            json!({"SecurityOptions": ["name=seccomp,profile=default", "name=userns"]}),
        );
        assert!(run(check, &docker(remapped)).is_empty());
        let rootless = with(docker_info(), json!({"SecurityOptions": ["name=rootless"]}));
        assert!(run(check, &docker(rootless)).is_empty());
    }

    #[test]
    fn podman_is_not_reported() {
        assert!(run(check, &podman(podman_info())).is_empty());
    }

    #[test]
    fn a_daemon_json_needs_userns_remap() {
        assert_eq!(
            run(check, &config("{}")),
            [("PC7009", "daemon.json:1:1".into())]
        );
        assert_eq!(
            run(check, &config("{\n  \"userns-remap\": \"\"\n}")),
            [("PC7009", "daemon.json:2:3".into())]
        );
        assert!(run(check, &config("{\"userns-remap\": \"default\"}")).is_empty());
        assert!(run(check, &config("{\"rootless\": true}")).is_empty());
    }
}
