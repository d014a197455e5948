//! PC4012 apt-in-script.

use super::Context;
use crate::dockerfile::shell::basename;
use crate::dockerfile::Span;
use crate::rules::APT_IN_SCRIPT;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            let Some(index) = command.program_index() else {
                continue;
            };
            let word = &command.words[index];
            if basename(&word.text) != "apt" {
                continue;
            }
            let replacement = match command.words.get(index + 1).map(|w| w.text.as_str()) {
                Some("search" | "show" | "policy" | "depends" | "rdepends" | "showsrc") => {
                    "apt-cache"
                }
                _ => "apt-get",
            };
            reports.push((
                script.span(word.range.clone()),
                format!(
                    "`apt` is meant for interactive use and its command line may change: use `{replacement}` in scripts"
                ),
            ));
        }
    }
    for (span, message) in reports {
        ctx.report(&APT_IN_SCRIPT, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::APT_IN_SCRIPT;

    #[test]
    fn apt_is_flagged_wherever_it_runs() {
        assert_eq!(
            flagged(
                &APT_IN_SCRIPT,
                "FROM a:1\nRUN apt update && sudo /usr/bin/apt install -y curl\n"
            ),
            ["apt", "/usr/bin/apt"]
        );
        let found = findings(&APT_IN_SCRIPT, "FROM a:1\nRUN apt search curl\n");
        assert!(found[0].message.contains("apt-cache"));
        assert!(found[0].is_named_by("DL3027") && found[0].is_named_by("CKV_DOCKER_9"));
        assert_eq!(
            positions(
                &APT_IN_SCRIPT,
                "FROM a:1\nRUN set -e; \\\n    apt install -y curl\n"
            ),
            [(3, 5)]
        );
        assert_eq!(
            positions(
                &APT_IN_SCRIPT,
                "FROM a:1\nRUN <<EOF\nset -e\napt upgrade -y\nEOF\n"
            ),
            [(4, 1)]
        );
        assert_eq!(
            positions(&APT_IN_SCRIPT, "FROM a:1\nONBUILD RUN apt install -y x\n"),
            [(2, 13)]
        );
        assert_eq!(
            positions(&APT_IN_SCRIPT, "FROM a:1\nRUN bash -c 'apt install -y x'\n"),
            [(2, 14)]
        );
    }

    #[test]
    fn apt_get_apt_cache_and_apt_as_an_argument_are_fine() {
        for run in [
            "apt-get update && apt-get install -y curl",
            "apt-cache policy curl",
            "echo apt",
            "apt-get install -y apt",
            "cat /etc/apt/sources.list",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(flagged(&APT_IN_SCRIPT, &source).is_empty(), "{run}");
        }
    }
}
