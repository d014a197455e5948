//! PC7008: dockerd sets no default ulimits (CIS 2.8).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// Only a daemon.json shows the defaults; Podman's are in containers.conf.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if daemon.is_podman() {
        return Vec::new();
    }
    match daemon.effective(&daemon.default_ulimits, Vec::new()) {
        Some(ulimits) if ulimits.value.is_empty() => vec![Violation::new(
            &rules::DEFAULT_ULIMITS_UNSET,
            format!(
                "{} sets no `default-ulimits`: containers inherit the daemon's own limits",
                daemon.name
            ),
            ulimits.at,
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;

    #[test]
    fn a_daemon_json_needs_default_ulimits() {
        assert_eq!(
            run(check, &config("{}")),
            [("PC7008", "daemon.json:1:1".into())]
        );
        assert_eq!(
            run(check, &config("{\n  \"default-ulimits\": {}\n}")),
            [("PC7008", "daemon.json:2:3".into())]
        );
        let set = "{\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Hard\": 4096, \"Soft\": 1024}}}";
        assert!(run(check, &config(set)).is_empty());
    }

    #[test]
    fn engines_alone_are_not_reported() {
        assert!(run(check, &docker(docker_info())).is_empty());
        assert!(run(check, &podman(podman_info())).is_empty());
        assert_eq!(
            run(check, &docker_and_config(docker_info(), "{}")),
            [("PC7008", "daemon.json:1:1".into())]
        );
    }
}
