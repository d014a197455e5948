//! PC4003 update-without-install.

use super::package_managers::{classify, Action};
use super::Context;
use crate::dockerfile::Span;
use crate::rules::UPDATE_WITHOUT_INSTALL;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    for run in ctx.runs().iter() {
        // The line and heredoc bodies of one RUN make one layer: look at them together.
        let commands: Vec<_> = run
            .iter()
            .flat_map(|script| {
                script
                    .commands
                    .iter()
                    .filter_map(classify)
                    .map(move |p| (script, p))
            })
            .collect();
        for (script, update) in commands
            .iter()
            .filter(|(_, p)| p.action == Action::UpdateIndex)
        {
            let installs = commands
                .iter()
                .any(|(_, p)| p.action == Action::Install && p.manager.same_family(update.manager));
            if !installs {
                let words: Vec<&str> = update
                    .command
                    .words
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect();
                reports.push((
                    script.span(update.command.range()),
                    format!(
                        "`{}` refreshes the package index in a RUN that installs nothing: update and install in the same RUN",
                        words.join(" ")
                    ),
                ));
            }
        }
    }
    for (span, message) in reports {
        ctx.report(&UPDATE_WITHOUT_INSTALL, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::UPDATE_WITHOUT_INSTALL;

    #[test]
    fn flags_an_update_alone() {
        assert_eq!(
            flagged(&UPDATE_WITHOUT_INSTALL, "FROM a:1\nRUN apt-get update\n"),
            ["apt-get update"]
        );
        assert_eq!(
            positions(
                &UPDATE_WITHOUT_INSTALL,
                "FROM a:1\nRUN set -e; \\\n  apk update\nRUN apk add x\n"
            ),
            [(3, 3)]
        );
        // Options with values before the subcommand do not hide it.
        assert_eq!(
            flagged(
                &UPDATE_WITHOUT_INSTALL,
                "FROM a:1\nRUN apt-get -o Acquire::Retries=3 update\n"
            ),
            ["apt-get -o Acquire::Retries=3 update"]
        );
        // Installing with another manager does not count.
        assert_eq!(
            flagged(
                &UPDATE_WITHOUT_INSTALL,
                "FROM a:1\nRUN apt-get update && pip install x\n"
            )
            .len(),
            1
        );
    }

    #[test]
    fn update_with_install_in_the_same_run_is_fine() {
        for run in [
            "apt-get update && apt-get install -y x",
            "apk update && apk add x",
            "yum makecache && yum install -y x",
            "<<EOF\napt-get update\napt-get install -y x\nEOF",
            "apt-get install -y x",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(
                flagged(&UPDATE_WITHOUT_INSTALL, &source).is_empty(),
                "{run}"
            );
        }
    }
}
