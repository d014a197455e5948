//! PC7015: the daemon's default seccomp profile is unconfined (CIS 2.17).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// The built-in profile (`builtin`, `default` before Docker 23) and custom files pass: only
/// `unconfined` is known to be weaker. An engine that shows no seccomp entry has no seccomp
/// support to configure, and is not reported either.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    match &daemon.seccomp_profile {
        Some(profile) if profile.value.trim().eq_ignore_ascii_case("unconfined") => {
            vec![Violation::new(
                &rules::SECCOMP_DEFAULT_WEAKENED,
                format!(
                    "{} runs containers without seccomp by default (profile `unconfined`)",
                    daemon.name
                ),
                &profile.at,
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

    fn security(options: serde_json::Value) -> serde_json::Value {
        json!({"SecurityOptions": options})
    }

    #[test]
    fn docker_and_podman_show_the_profile() {
        assert!(run(check, &docker(docker_info())).is_empty());
        let builtin = with(
            docker_info(),
            security(json!(["name=seccomp,profile=builtin"])),
        );
        assert!(run(check, &docker(builtin)).is_empty());
        let off = with(
            docker_info(),
            security(json!(["name=seccomp,profile=unconfined"])),
        );
        assert_eq!(
            run(check, &docker(off)),
            [("PC7015", "/info SecurityOptions".into())]
        );
        assert!(run(check, &podman(podman_info())).is_empty());
        let off = with(
            podman_info(),
            security(json!(["name=seccomp,profile=unconfined"])),
        );
        assert_eq!(run(check, &podman(off)).len(), 1);
    }

    #[test]
    fn a_daemon_json_profile() {
        assert_eq!(
            run(
                check,
                &config("{\n  \"seccomp-profile\": \"unconfined\"\n}")
            ),
            [("PC7015", "daemon.json:2:3".into())]
        );
        let custom = config("{\"seccomp-profile\": \"/etc/docker/seccomp.json\"}");
        assert!(run(check, &custom).is_empty());
        assert!(run(check, &config("{}")).is_empty());
    }
}
