//! PC4024 consecutive-runs.

use super::Context;
use crate::dockerfile::{Instruction, Keyword, Span};
use crate::rules::CONSECUTIVE_RUNS;

pub(crate) fn check(ctx: &mut Context) {
    let runs = ctx.runs();
    // Commands per top-level RUN that may be joined with another; `None` if it may not.
    let joinable = |index: usize| -> Option<usize> {
        let instruction = &ctx.file.instructions[index];
        if instruction.keyword != Keyword::Run || instruction.json_form {
            return None;
        }
        let scripts = runs
            .iter()
            .find(|r| r.first().is_some_and(|s| s.index == index))?;
        if scripts.len() > 1 || !instruction.heredocs.is_empty() {
            return None;
        }
        // Commands the script runs itself (not those inside `sh -c '…'` or `$(…)`). A script
        // the shell cannot parse, or one for PowerShell or cmd, has no count to go by: like
        // hadolint, treat it as a short one.
        Some(
            scripts
                .iter()
                .map(|s| {
                    if s.syntax_error.is_some() || !s.is_posix_shell() {
                        1
                    } else {
                        s.commands.iter().filter(|c| !c.nested).count()
                    }
                })
                .sum(),
        )
    };
    let mut reports: Vec<(Span, String)> = Vec::new();
    let instructions = &ctx.file.instructions;
    for (index, pair) in instructions.windows(2).enumerate() {
        let [previous, current] = pair else { continue };
        let (Some(before), Some(now)) = (joinable(index), joinable(index + 1)) else {
            continue;
        };
        if before <= 2 && now <= 2 && same_flags(previous, current) {
            reports.push((
                current.keyword_span,
                format!(
                    "this RUN follows the RUN on line {} with the same flags: join them with `&&` to make one layer",
                    previous.start_line
                ),
            ));
        }
    }
    for (span, message) in reports {
        ctx.report(&CONSECUTIVE_RUNS, message, span);
    }
}

fn same_flags(a: &Instruction, b: &Instruction) -> bool {
    a.flags.len() == b.flags.len() && a.flags.iter().zip(&b.flags).all(|(x, y)| x.raw == y.raw)
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, positions};
    use crate::rules::CONSECUTIVE_RUNS;

    #[test]
    fn only_the_commands_a_script_runs_itself_count() {
        // `sh -c '…'` is one command, whatever it runs inside.
        let wrapped = "FROM a:1\nRUN sh -c 'a && b && c'\nRUN d\n";
        assert_eq!(positions(&CONSECUTIVE_RUNS, wrapped), [(3, 1)]);
        let long = "FROM a:1\nRUN a && b && c\nRUN d\n";
        assert!(positions(&CONSECUTIVE_RUNS, long).is_empty());
        // Scripts without a command count: unparsable, or PowerShell.
        let broken = "FROM a:1\nRUN if a; then b; fi fi\nRUN d\n";
        assert_eq!(positions(&CONSECUTIVE_RUNS, broken), [(3, 1)]);
        let pwsh = "FROM a:1\nSHELL [\"pwsh\", \"-Command\"]\nRUN a; b; c\nRUN d\n";
        assert_eq!(positions(&CONSECUTIVE_RUNS, pwsh), [(4, 1)]);
    }

    #[test]
    fn flags_short_runs_in_a_row() {
        assert_eq!(
            positions(
                &CONSECUTIVE_RUNS,
                "FROM a:1\nRUN mkdir /x\nRUN chown app /x\n"
            ),
            [(3, 1)]
        );
        // Comments do not break the sequence; each further RUN is reported.
        assert_eq!(
            positions(
                &CONSECUTIVE_RUNS,
                "FROM a:1\nRUN a\n# why\nRUN b && c\n\nrun d\n"
            ),
            [(4, 1), (6, 1)]
        );
        assert_eq!(
            positions(
                &CONSECUTIVE_RUNS,
                "FROM a:1\nRUN --mount=type=cache,target=/c a \\\n  && b\nRUN --mount=type=cache,target=/c c\n"
            ),
            [(4, 1)]
        );
        let found = findings(&CONSECUTIVE_RUNS, "FROM a:1\nRUN a\nRUN b\n");
        assert!(found[0].is_named_by("DL3059"));
        assert!(found[0].message.contains("line 2"), "{}", found[0].message);
    }

    #[test]
    fn long_scripts_other_flags_and_interruptions_are_fine() {
        for source in [
            "FROM a:1\nRUN a && b && c\nRUN d\n",
            "FROM a:1\nRUN a\nRUN b && c && d\n",
            "FROM a:1\nRUN a\nWORKDIR /x\nRUN b\n",
            "FROM a:1\nRUN a\nRUN --network=none b\n",
            "FROM a:1\nRUN a\nRUN [\"b\"]\n",
            "FROM a:1\nRUN a\nRUN <<EOF\nb\nEOF\n",
            "FROM a:1\nRUN a\nFROM b:1\nRUN b\n",
            "FROM a:1\nONBUILD RUN a\nONBUILD RUN b\n",
        ] {
            assert!(positions(&CONSECUTIVE_RUNS, source).is_empty(), "{source}");
        }
    }
}
