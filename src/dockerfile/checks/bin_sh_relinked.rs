//! PC8041 bin-sh-relinked.

use super::Context;
use crate::dockerfile::Span;
use crate::rules::BIN_SH_RELINKED;

pub(crate) fn check(ctx: &mut Context) {
    let mut spans: Vec<Span> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            if command.program() != Some("ln") {
                continue;
            }
            // The link name is the last operand (`ln -sf /bin/bash /bin/sh`).
            let last = command
                .args()
                .iter()
                .rfind(|w| !w.text.starts_with('-') || w.text == "-");
            if let Some(word) = last.filter(|w| w.text == "/bin/sh") {
                spans.push(script.span(word.range.clone()));
            }
        }
    }
    for span in spans {
        ctx.report(
            &BIN_SH_RELINKED,
            "relinking /bin/sh changes the shell for everything in the image: use SHELL to pick the shell of build steps",
            span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::BIN_SH_RELINKED;

    #[test]
    fn flags_links_named_bin_sh() {
        assert_eq!(
            flagged(&BIN_SH_RELINKED, "FROM a:1\nRUN ln -sf /bin/bash /bin/sh\n"),
            ["/bin/sh"]
        );
        assert_eq!(
            positions(
                &BIN_SH_RELINKED,
                "FROM a:1\nRUN apt-get install -y bash && \\\n    rm /bin/sh && ln -s bash /bin/sh\n"
            ),
            [(3, 30)]
        );
        assert_eq!(
            positions(
                &BIN_SH_RELINKED,
                "FROM a:1\nRUN <<EOF\nln -sf /bin/bash /bin/sh\nEOF\n"
            ),
            [(3, 18)]
        );
        assert_eq!(
            positions(
                &BIN_SH_RELINKED,
                "FROM a:1\nONBUILD RUN ln -sf /bin/bash /bin/sh\n"
            ),
            [(2, 30)]
        );
        let found = findings(&BIN_SH_RELINKED, "FROM a:1\nRUN sudo ln -sf bash /bin/sh\n");
        assert!(found[0].is_named_by("DL4005"));
    }

    #[test]
    fn other_links_are_fine() {
        for run in [
            "ln -s /bin/sh /usr/local/bin/sh",
            "ln -sf /usr/bin/python3 /usr/bin/python",
            "echo ln -s bash /bin/sh",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(positions(&BIN_SH_RELINKED, &source).is_empty(), "{run}");
        }
        assert!(positions(&BIN_SH_RELINKED, "FROM a:1\nONBUILD RUN ln -s a b\n").is_empty());
    }
}
