//! PC7014: published ports go through docker-proxy (CIS 2.16).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Only a daemon.json shows this (default true). Rootless engines need the proxy, and Podman
/// has none.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if daemon.is_podman() || daemon.is_rootless() {
        return Vec::new();
    }
    match daemon.effective(&daemon.userland_proxy, true) {
        Some(proxy) if proxy.value => {
            let why = if proxy.defaulted {
                "`userland-proxy` is not set and defaults to true"
            } else {
                "`userland-proxy` is true"
            };
            vec![Violation::new(
                &rules::USERLAND_PROXY_ON,
                format!(
                    "{} forwards published ports through docker-proxy ({why})",
                    daemon.name
                ),
                proxy.at,
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
    fn a_daemon_json_must_turn_it_off() {
        assert_eq!(
            run(check, &config("{}")),
            [("PC7014", "daemon.json:1:1".into())]
        );
        assert_eq!(
            run(check, &config("{\n  \"userland-proxy\": true\n}")),
            [("PC7014", "daemon.json:2:3".into())]
        );
        assert!(run(check, &config("{\"userland-proxy\": false}")).is_empty());
    }

    #[test]
    fn engines_alone_rootless_and_podman_are_not_reported() {
        assert!(run(check, &docker(docker_info())).is_empty());
        assert!(run(check, &podman(podman_info())).is_empty());
        let rootless = with(docker_info(), json!({"SecurityOptions": ["name=rootless"]}));
        assert!(run(check, &docker_and_config(rootless, "{}")).is_empty());
    }
}
