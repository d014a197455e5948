//! PC6011 `sshd-running`: the container runs an SSH daemon.

use crate::dockerfile::shell::{self, basename};
use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

/// Whether a `ps` command line is an sshd process: the listener (`/usr/sbin/sshd -D`) or a
/// session (`sshd: user@pts/0`), judged by the executable, so `grep sshd` is not one.
fn is_sshd_process(command_line: &str) -> bool {
    command_line
        .split_whitespace()
        .next()
        .is_some_and(|program| basename(program.trim_end_matches(':')) == "sshd")
}

/// Whether a declared command (entrypoint and command joined) starts sshd, directly, through
/// wrappers and `sh -c`, or through the init script (`service ssh start`).
fn starts_sshd(command: &str) -> bool {
    shell::commands(command).iter().any(|cmd| {
        let Some(index) = cmd.program_index() else {
            return false;
        };
        let word = cmd.words[index].text.as_str();
        let init_script = matches!(word, "/etc/init.d/ssh" | "/etc/init.d/sshd");
        let service = matches!(basename(word), "service" | "rc-service")
            && cmd
                .subcommand()
                .is_some_and(|w| matches!(w.text.as_str(), "ssh" | "sshd"));
        basename(word) == "sshd" || init_script || service
    })
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    // A running container's process list is the truth; the declared command is the only
    // hint for Compose and Kubernetes.
    if !spec.processes.is_empty() {
        let sshd: Vec<&String> = spec
            .processes
            .iter()
            .filter(|p| is_sshd_process(p))
            .collect();
        let Some(first) = sshd.first() else {
            return Vec::new();
        };
        let more = match sshd.len() - 1 {
            0 => String::new(),
            1 => " and 1 more sshd process".to_owned(),
            n => format!(" and {n} more sshd processes"),
        };
        return vec![Violation::new(
            &rules::SSHD_RUNNING,
            format!("{} runs sshd (`{first}`{more})", spec.subject),
            spec.declared_at(),
        )];
    }
    spec.command
        .iter()
        .filter(|command| starts_sshd(&command.value))
        .map(|command| {
            Violation::new(
                &rules::SSHD_RUNNING,
                format!(
                    "{} starts sshd in its command `{}`",
                    spec.subject, command.value
                ),
                &command.at,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::Platform;

    #[test]
    fn sshd_processes_are_recognised_by_their_executable() {
        for line in [
            "/usr/sbin/sshd -D",
            "sshd: user@pts/0",
            "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
            "sshd",
        ] {
            assert!(is_sshd_process(line), "{line}");
        }
        for line in ["grep sshd", "/bin/sh -c sshd-keygen", "ssh user@host", ""] {
            assert!(!is_sshd_process(line), "{line}");
        }
    }

    #[test]
    fn declared_commands_that_start_sshd() {
        for command in [
            "/usr/sbin/sshd -D",
            "sh -c /usr/sbin/sshd && exec nginx -g 'daemon off;'",
            "sh -c \"service ssh start && exec app\"",
            "exec sshd -D -e",
            "/etc/init.d/ssh start; app",
        ] {
            assert!(starts_sshd(command), "{command}");
        }
        for command in [
            "nginx -g daemon off;",
            "ssh -N -L 5432:db:5432 bastion",
            "sh -c 'pgrep sshd || echo none'",
            "service nginx start",
        ] {
            assert!(!starts_sshd(command), "{command}");
        }
    }

    #[test]
    fn compose_command_running_sshd_is_reported_at_the_command() {
        let mut spec = bare(Platform::Docker);
        assert!(run(check, &spec).is_empty());
        spec.command = Some(set("/usr/sbin/sshd -D".into(), 6));
        assert_eq!(run(check, &spec), [("PC6011", 6)]);
        spec.command = Some(set("app --port 8080".into(), 6));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_command_and_args_are_read_the_same_way() {
        let mut spec = bare(Platform::Kubernetes);
        spec.command = Some(set("/bin/sh -c /usr/sbin/sshd -D".into(), 15));
        assert_eq!(run(check, &spec), [("PC6011", 15)]);
        spec.command = Some(set("/bin/sh -c exec app".into(), 15));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn live_podman_container_is_judged_by_its_processes() {
        let mut spec = bare(Platform::Podman);
        spec.command = Some(set("/entrypoint.sh".into(), 0));
        spec.processes = vec![
            "/bin/sh /entrypoint.sh".into(),
            "/usr/sbin/sshd -D".into(),
            "sshd: admin@pts/0".into(),
            "grep sshd".into(),
        ];
        assert_eq!(run(check, &spec), [("PC6011", 1)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "container `app` runs sshd (`/usr/sbin/sshd -D` and 1 more sshd process)"
        );
        spec.processes = vec!["/bin/sh /entrypoint.sh".into(), "grep sshd".into()];
        assert!(run(check, &spec).is_empty());
    }
}
