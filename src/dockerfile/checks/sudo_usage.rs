//! PC1002 sudo-usage.

use super::Context;
use crate::dockerfile::shell::basename;
use crate::rules::SUDO_USAGE;

pub(crate) fn check(ctx: &mut Context) {
    let mut spans = Vec::new();
    for script in ctx.run_scripts() {
        for command in script.commands.iter().filter(|c| !c.words.is_empty()) {
            // `sudo` may stand anywhere in a wrapper chain: `env X=1 sudo cmd`, `sudo -u a cmd`.
            let end = command.program_index().unwrap_or(command.words.len() - 1);
            for word in &command.words[..=end] {
                if basename(&word.text) == "sudo" {
                    spans.push(script.span(word.range.clone()));
                }
            }
        }
    }
    for span in spans {
        ctx.report(
            &SUDO_USAGE,
            "`sudo` in a build step: switch users with USER, or use gosu/su-exec at runtime",
            span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::SUDO_USAGE;

    #[test]
    fn flags_sudo_wherever_it_runs() {
        assert_eq!(
            positions(&SUDO_USAGE, "FROM a:1\nRUN sudo apt-get update\n"),
            [(2, 5)]
        );
        assert_eq!(
            positions(
                &SUDO_USAGE,
                "FROM a:1\nRUN apt-get update && \\\n    sudo make install\n"
            ),
            [(3, 5)]
        );
        assert_eq!(
            flagged(&SUDO_USAGE, "FROM a:1\nRUN env A=1 /usr/bin/sudo -u x id\n"),
            ["/usr/bin/sudo"]
        );
        assert_eq!(
            positions(&SUDO_USAGE, "FROM a:1\nRUN <<EOF\nset -e\nsudo id\nEOF\n"),
            [(4, 1)]
        );
        assert_eq!(
            positions(&SUDO_USAGE, "FROM a:1\nONBUILD RUN sudo id\n"),
            [(2, 13)]
        );
        assert_eq!(
            flagged(&SUDO_USAGE, "FROM a:1\nRUN [\"sudo\", \"id\"]\n"),
            ["\"sudo\""]
        );
        assert_eq!(
            positions(&SUDO_USAGE, "FROM a:1\nRUN sh -c 'sudo id'\n"),
            [(2, 12)]
        );
    }

    #[test]
    fn sudo_as_an_argument_or_package_is_fine() {
        for run in [
            "apt-get install -y sudo",
            "echo sudo",
            "gosu app id",
            "cat <<EOF > /etc/sudoers\nroot ALL=(ALL) ALL\nEOF",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(positions(&SUDO_USAGE, &source).is_empty(), "{run}");
        }
    }
}
