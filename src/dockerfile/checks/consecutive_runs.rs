//! PC4024 consecutive-runs.

use super::{Context, RunScript};
use crate::dockerfile::Instruction;
use crate::rules::CONSECUTIVE_RUNS;

pub(crate) fn check(ctx: &mut Context) {
    let runs = ctx.runs();
    let joinable: Vec<Option<Joinable>> = runs.iter().map(|run| joinable(run)).collect();
    for pair in joinable.windows(2) {
        let [Some(previous), Some(current)] = pair else {
            continue;
        };
        // Only a RUN right after the other: nothing (a FROM, a WORKDIR…) in between.
        if current.index == previous.index + 1
            && previous.commands <= 2
            && current.commands <= 2
            && same_flags(previous.instruction, current.instruction)
        {
            ctx.report(
                &CONSECUTIVE_RUNS,
                format!(
                    "this RUN follows the RUN on line {} with the same flags: join them with `&&` to make one layer",
                    previous.instruction.start_line
                ),
                current.instruction.keyword_span,
            );
        }
    }
}

/// A top-level shell-form RUN that may be joined with another.
struct Joinable<'a> {
    index: usize,
    instruction: &'a Instruction,
    /// The commands the script runs itself.
    commands: usize,
}

/// `None` for a RUN that may not be joined: `ONBUILD`, exec form, heredocs.
fn joinable<'a>(run: &[RunScript<'a>]) -> Option<Joinable<'a>> {
    let [script] = run else {
        return None;
    };
    let instruction = script.instruction;
    if script.onbuild || instruction.json_form || !instruction.heredocs.is_empty() {
        return None;
    }
    // Commands the script runs itself (not those inside `sh -c '…'` or `$(…)`). A script the
    // shell cannot parse, or one for PowerShell or cmd, has no count to go by: like hadolint,
    // treat it as a short one.
    let commands = if script.syntax_error.is_some() || !script.is_posix_shell() {
        1
    } else {
        script.commands.iter().filter(|c| !c.nested).count()
    };
    Some(Joinable {
        index: script.index,
        instruction,
        commands,
    })
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
            "FROM a:1\nRUN a\nONBUILD RUN b\n",
        ] {
            assert!(positions(&CONSECUTIVE_RUNS, source).is_empty(), "{source}");
        }
    }
}
