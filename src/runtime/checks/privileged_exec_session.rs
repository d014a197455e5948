//! PC1010 privileged-exec-session: a process started in the container with `--privileged` or
//! as root (CIS 5.23, 5.24).
//!
//! Live containers list their exec sessions; a Compose file's `post_start`/`pre_stop` hooks are
//! the declared equivalent. A session without a user runs as the container's user, so it only
//! counts as root when the container is known to run as root.

use super::root_user::{is_root_user, runs_as_root};
use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, SubjectKind, Violation};

/// How much of a command a message quotes.
const COMMAND_CHARS: usize = 60;

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let subject = &spec.subject;
    let live = subject.kind == SubjectKind::LiveContainer;
    spec.exec_sessions
        .iter()
        .filter_map(|session| {
            let as_root = if session.user.trim().is_empty() {
                runs_as_root(spec) == Some(true)
            } else {
                is_root_user(&session.user)
            };
            let privileged = if live {
                "with --privileged"
            } else {
                "privileged"
            };
            let how = match (session.privileged, as_root) {
                (false, false) => return None,
                (true, false) => privileged.to_string(),
                (false, true) => "as root".to_string(),
                (true, true) => format!("{privileged}, as root"),
            };
            let command = quote(&session.command);
            let message = if live {
                // Engine ids are 64 hex digits; `docker ps` shows the first 12.
                let id = session.id.get(..12).unwrap_or(&session.id);
                format!("{subject} has exec session {id} ({command}) running {how}")
            } else {
                format!("{subject} runs its {} hook ({command}) {how}", session.id)
            };
            Some(Violation::new(
                &rules::PRIVILEGED_EXEC_SESSION,
                message,
                &session.at,
            ))
        })
        .collect()
}

/// The command in backticks, shortened to [`COMMAND_CHARS`] characters.
fn quote(command: &str) -> String {
    let command = command.trim();
    match command.char_indices().nth(COMMAND_CHARS) {
        Some((end, _)) => format!("`{}…`", &command[..end]),
        None => format!("`{command}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, line, run, set};
    use crate::runtime::spec::Evidence;
    use crate::runtime::spec::{ExecSession, Platform};

    const ID: &str = "4f2a9c1b7d3e4f2a9c1b7d3e4f2a9c1b7d3e4f2a9c1b7d3e4f2a9c1b7d3e4f2a";

    fn session(privileged: bool, user: &str) -> ExecSession {
        ExecSession {
            id: ID.into(),
            privileged,
            user: user.into(),
            command: "sh".into(),
            at: Evidence::Field("ExecIDs".to_owned()),
        }
    }

    fn live(platform: Platform, user: Option<&str>, sessions: Vec<ExecSession>) -> ContainerSpec {
        let mut spec = bare(platform);
        spec.subject.kind = SubjectKind::LiveContainer;
        spec.user = user.map(|u| set(u.to_string(), 2));
        spec.exec_sessions = sessions;
        spec
    }

    #[test]
    fn privileged_or_root_sessions_of_live_containers_are_reported() {
        for platform in [Platform::Docker, Platform::Podman] {
            let spec = live(
                platform,
                Some("1000"),
                vec![
                    session(true, ""),
                    session(false, "root"),
                    session(false, "0:0"),
                    session(true, "root"),
                ],
            );
            let violations = check(&spec, &EngineDefaults::default());
            assert_eq!(violations.len(), 4);
            assert_eq!(
                violations[0].message,
                "container `app` has exec session 4f2a9c1b7d3e (`sh`) running with --privileged"
            );
            assert!(violations[1].message.ends_with("running as root"));
            assert!(violations[3]
                .message
                .ends_with("running with --privileged, as root"));
            assert_eq!(violations[0].at, Evidence::Field("ExecIDs".to_owned()));
        }
    }

    #[test]
    fn a_session_without_a_user_is_root_only_when_the_container_is() {
        for platform in [Platform::Docker, Platform::Podman] {
            let spec = live(platform, Some("1000"), vec![session(false, "")]);
            assert!(run(check, &spec).is_empty());
            let spec = live(platform, Some("app"), vec![session(false, "app")]);
            assert!(run(check, &spec).is_empty());
            // `Config.User` empty: the container and its default sessions run as root.
            let spec = live(platform, None, vec![session(false, "")]);
            assert_eq!(run(check, &spec), [("PC1010", 0)]);
            let spec = live(platform, Some("0"), vec![session(false, " ")]);
            assert_eq!(run(check, &spec), [("PC1010", 0)]);
        }
    }

    #[test]
    fn compose_hooks_point_at_the_hook() {
        let mut spec = bare(Platform::Docker);
        spec.user = Some(set("10001".to_string(), 3));
        spec.exec_sessions = vec![
            ExecSession {
                id: "post_start[0]".into(),
                privileged: false,
                user: "root".into(),
                command: "chown -R 10001 /data".into(),
                at: line(7),
            },
            ExecSession {
                id: "pre_stop[0]".into(),
                privileged: false,
                user: String::new(),
                command: "/app/drain".into(),
                at: line(9),
            },
        ];
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(run(check, &spec), [("PC1010", 7)]);
        assert_eq!(
            violations[0].message,
            "service `app` runs its post_start[0] hook (`chown -R 10001 /data`) as root"
        );
        // Without `user`, the image decides: a hook without a user is not known to be root.
        spec.user = None;
        spec.exec_sessions.remove(0);
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_and_containers_without_sessions_have_nothing_to_report() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            assert!(run(check, &bare(platform)).is_empty());
        }
        assert!(run(check, &live(Platform::Docker, None, Vec::new())).is_empty());
    }

    #[test]
    fn long_commands_are_shortened() {
        let long = "x".repeat(100);
        assert_eq!(quote(&long), format!("`{}…`", "x".repeat(COMMAND_CHARS)));
        assert_eq!(quote(" ls -l "), "`ls -l`");
    }
}
