//! PC7004: dockerd may not manage iptables (CIS 2.4).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Only a daemon.json shows this (its default is true); Podman's networking is not dockerd's.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if daemon.is_podman() {
        return Vec::new();
    }
    match &daemon.iptables {
        Some(iptables) if !iptables.value => vec![Violation::new(
            &rules::IPTABLES_DISABLED,
            format!(
                "{} may not manage the host firewall (`iptables` is false)",
                daemon.name
            ),
            &iptables.at,
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;

    #[test]
    fn only_an_explicit_false_counts() {
        assert_eq!(
            run(check, &config("{\n  \"iptables\": false\n}")),
            [("PC7004", "daemon.json:2:3".into())]
        );
        assert!(run(check, &config("{}")).is_empty());
        assert!(run(check, &config("{\"iptables\": true}")).is_empty());
    }

    #[test]
    fn the_engine_alone_cannot_tell() {
        assert!(run(check, &docker(docker_info())).is_empty());
        assert!(run(check, &podman(podman_info())).is_empty());
        let merged = docker_and_config(docker_info(), "{\"iptables\": false}");
        assert_eq!(run(check, &merged), [("PC7004", "daemon.json:1:2".into())]);
    }
}
