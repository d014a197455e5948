//! PC3004 pipe-to-shell.

use super::Context;
use crate::dockerfile::shell::{is_shell, Command};
use crate::dockerfile::Span;
use crate::rules::PIPE_TO_SHELL;

const DOWNLOADERS: &[&str] = &["curl", "wget", "fetch"];
const INTERPRETERS: &[&str] = &["python", "python3", "perl", "ruby", "node", "php"];

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    for script in ctx.run_scripts() {
        let commands = &script.commands;
        for (n, command) in commands.iter().enumerate() {
            // `curl … | sh`: the pipeline runs from a downloader to an interpreter.
            if let Some(downloader) = downloader(command) {
                let sink = commands[n + 1..]
                    .iter()
                    .take_while(|c| c.piped_from_previous)
                    .find(|c| runs_stdin(c));
                if command.pipes_into_next {
                    if let Some(sink) = sink {
                        let span = script.span(command.range().start..sink.range().end);
                        reports.push((span, format!(
                            "output of `{downloader}` is piped into `{}`: download to a file and verify its checksum before running it",
                            sink.program().unwrap_or_default()
                        )));
                    }
                }
            }
            // `sh -c "$(curl …)"`.
            if command.program().is_some_and(is_shell) {
                for word in command.args() {
                    if DOWNLOADERS.iter().any(|d| {
                        word.text.contains(&format!("$({d} "))
                            || word.text.contains(&format!("`{d} "))
                    }) {
                        reports.push((script.span(command.range()), "a downloaded script is run through command substitution: download, verify, then run it".to_owned()));
                    }
                }
            }
        }
    }
    for (span, message) in reports {
        ctx.report(&PIPE_TO_SHELL, message, span);
    }
}

fn downloader(command: &Command) -> Option<&str> {
    command.program().filter(|p| DOWNLOADERS.contains(p))
}

/// A shell or interpreter that reads its program from standard input.
fn runs_stdin(command: &Command) -> bool {
    let Some(program) = command.program() else {
        return false;
    };
    if !(is_shell(program) || INTERPRETERS.contains(&program) || program.starts_with("python3.")) {
        return false;
    }
    let args = command.args();
    if args.iter().any(|w| w.text == "-" || w.text == "-s") {
        return true;
    }
    // `sh -c '…'` and `python script.py` take their program from elsewhere.
    args.iter()
        .all(|w| w.text.starts_with('-') && (w.text.starts_with("--") || !w.text.contains('c')))
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::PIPE_TO_SHELL;

    #[test]
    fn flags_downloads_piped_into_interpreters() {
        assert_eq!(
            flagged(
                &PIPE_TO_SHELL,
                "FROM a:1\nRUN curl -fsSL https://x/i.sh | sh\n"
            ),
            ["curl -fsSL https://x/i.sh | sh"]
        );
        assert_eq!(
            positions(
                &PIPE_TO_SHELL,
                "FROM a:1\nRUN apt-get update && \\\n  wget -qO- https://x | bash -s -- -y\n"
            ),
            [(3, 3)]
        );
        assert_eq!(
            positions(
                &PIPE_TO_SHELL,
                "FROM a:1\nRUN curl https://x | sudo python3 -\n"
            )
            .len(),
            1
        );
        assert_eq!(
            positions(
                &PIPE_TO_SHELL,
                "FROM a:1\nRUN sh -c \"$(curl -fsSL https://x)\"\n"
            )
            .len(),
            1
        );
    }

    #[test]
    fn downloads_to_files_and_other_pipes_are_fine() {
        for run in [
            "curl -fsSL https://x -o /tmp/i.sh && sha256sum -c sums && sh /tmp/i.sh",
            "curl -fsSL https://x | tar -xz",
            "curl https://x | gpg --dearmor -o /usr/share/keyrings/x.gpg",
            "echo hi | sh",
            "curl https://x | python3 -c 'import sys; print(sys.stdin.read())'",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(positions(&PIPE_TO_SHELL, &source).is_empty(), "{run}");
        }
    }
}
