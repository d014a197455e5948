//! PC8040 runtime-command-in-build.

use super::Context;
use crate::dockerfile::shell::basename;
use crate::dockerfile::Span;
use crate::rules::RUNTIME_COMMAND_IN_BUILD;

/// Commands that act on a running system, with why they do nothing useful in a build and what
/// to do instead.
const COMMANDS: &[(&str, &str)] = &[
    (
        "free",
        "it describes the memory of the build container, not of the image; remove it",
    ),
    (
        "ifconfig",
        "it describes the network of the build container, not of the image; remove it",
    ),
    (
        "kill",
        "it stops processes that end with this build step anyway; remove it",
    ),
    (
        "mount",
        "mounts vanish when the step ends, and builds lack the privilege for most; use `RUN --mount` instead",
    ),
    (
        "ps",
        "it lists the processes of the build container, not of the image; remove it",
    ),
    (
        "service",
        "it starts or stops services only until this step ends, and nothing keeps running in the image; start the service from CMD or ENTRYPOINT instead",
    ),
    (
        "shutdown",
        "there is no system to shut down in a build step; remove it",
    ),
    (
        "ssh",
        "interactive logins hang a build; fetch files with COPY, ADD or a build secret instead",
    ),
    (
        "top",
        "it is interactive and waits for a terminal the build does not have; remove it",
    ),
    (
        "vim",
        "it is interactive and waits for a terminal the build does not have; edit files with `sed` or COPY them in instead",
    ),
];

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            let Some(index) = command.program_index() else {
                continue;
            };
            let program = basename(&command.words[index].text);
            if let Some((name, why)) = COMMANDS.iter().find(|(name, _)| *name == program) {
                reports.push((
                    script.span(command.words[index].range.clone()),
                    format!("`{name}` in a build step: {why}"),
                ));
            }
        }
    }
    for (span, message) in reports {
        ctx.report(&RUNTIME_COMMAND_IN_BUILD, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::RUNTIME_COMMAND_IN_BUILD;

    #[test]
    fn flags_runtime_commands_at_their_name() {
        assert_eq!(
            flagged(
                &RUNTIME_COMMAND_IN_BUILD,
                "FROM a:1\nRUN apt-get install -y nginx && service nginx start\n"
            ),
            ["service"]
        );
        assert_eq!(
            flagged(
                &RUNTIME_COMMAND_IN_BUILD,
                "FROM a:1\nRUN sudo /sbin/ifconfig && ps aux | grep x && vim /etc/x\n"
            ),
            ["/sbin/ifconfig", "ps", "vim"]
        );
        assert_eq!(
            positions(
                &RUNTIME_COMMAND_IN_BUILD,
                "FROM a:1\nRUN make && \\\n    kill 1\n"
            ),
            [(3, 5)]
        );
        assert_eq!(
            positions(
                &RUNTIME_COMMAND_IN_BUILD,
                "FROM a:1\nRUN <<EOF\nset -e\n  top -b\nEOF\n"
            ),
            [(4, 3)]
        );
        assert_eq!(
            positions(&RUNTIME_COMMAND_IN_BUILD, "FROM a:1\nONBUILD RUN free -m\n"),
            [(2, 13)]
        );
        assert_eq!(
            positions(
                &RUNTIME_COMMAND_IN_BUILD,
                "FROM a:1\nRUN sh -c 'mount -a'\n"
            ),
            [(2, 12)]
        );
        let found = findings(&RUNTIME_COMMAND_IN_BUILD, "FROM a:1\nRUN ssh host\n");
        assert!(found[0].is_named_by("DL3001"));
        assert_eq!(
            found[0].message,
            "`ssh` in a build step: interactive logins hang a build; fetch files with COPY, ADD or a build secret instead"
        );
        let found = findings(&RUNTIME_COMMAND_IN_BUILD, "FROM a:1\nRUN kill 1\n");
        assert_eq!(
            found[0].message,
            "`kill` in a build step: it stops processes that end with this build step anyway; remove it"
        );
    }

    #[test]
    fn names_as_arguments_or_packages_are_fine() {
        for run in [
            "apt-get install -y procps vim openssh-client",
            "echo service top",
            "systemctl enable nginx",
            "cat <<EOF > /etc/motd\nkill the lights\nEOF",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(
                positions(&RUNTIME_COMMAND_IN_BUILD, &source).is_empty(),
                "{run}"
            );
        }
        assert!(positions(&RUNTIME_COMMAND_IN_BUILD, "FROM a:1\nONBUILD RUN make\n").is_empty());
    }
}
