//! PC8022 overridden-instruction.

use super::Context;
use crate::dockerfile::Keyword;
use crate::rules::OVERRIDDEN_INSTRUCTION;

/// The instructions a stage keeps only one of, with the upstream ids of each.
const SINGLE: [(Keyword, &[&str]); 3] = [
    (
        Keyword::Cmd,
        &["DL4003", "DS-0016", "MultipleInstructionsDisallowed"],
    ),
    (
        Keyword::Entrypoint,
        &["DL4004", "DS-0007", "MultipleInstructionsDisallowed"],
    ),
    (
        Keyword::Healthcheck,
        &["DL3012", "DS-0023", "MultipleInstructionsDisallowed"],
    ),
];

pub(crate) fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for stage in &ctx.build.stages {
        for (keyword, aliases) in SINGLE {
            // ONBUILD triggers have the keyword `ONBUILD` here, so they do not count.
            let found: Vec<_> = stage
                .body
                .clone()
                .map(|n| &ctx.file.instructions[n])
                .filter(|i| i.keyword == keyword)
                .collect();
            let Some((last, earlier)) = found.split_last() else {
                continue;
            };
            for instruction in earlier {
                reports.push((
                    instruction.keyword_span,
                    format!(
                        "this {name} has no effect: the {name} on line {} replaces it, since a stage keeps only its last {name}; remove this one",
                        last.start_line,
                        name = keyword.as_str()
                    ),
                    aliases,
                ));
            }
        }
    }
    reports.sort_by_key(|(span, _, _)| span.start);
    for (span, message, aliases) in reports {
        ctx.report(&OVERRIDDEN_INSTRUCTION, message, span).aliases = aliases.to_vec();
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, positions};
    use crate::rules::OVERRIDDEN_INSTRUCTION;

    #[test]
    fn every_cmd_but_the_last_is_reported_with_the_winning_line() {
        let source = "FROM a:1\nCMD [\"a\"]\nRUN x\ncmd b\nCMD c\n";
        assert_eq!(positions(&OVERRIDDEN_INSTRUCTION, source), [(2, 1), (4, 1)]);
        let found = findings(&OVERRIDDEN_INSTRUCTION, source);
        assert!(found[0].message.contains("line 5"));
        assert!(found[0].is_named_by("DL4003") && found[0].is_named_by("DS-0016"));
        assert!(found[0].is_named_by("MultipleInstructionsDisallowed"));
        assert!(!found[0].is_named_by("DL4004") && !found[0].is_named_by("DL3012"));
    }

    #[test]
    fn entrypoint_and_healthcheck_have_their_own_ids() {
        let source = "FROM a:1\nENTRYPOINT [\"a\"]\n  ENTRYPOINT [\"b\"]\n";
        let found = findings(&OVERRIDDEN_INSTRUCTION, source);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line(), Some(2));
        assert!(found[0].is_named_by("DL4004") && found[0].is_named_by("DS-0007"));
        assert!(!found[0].is_named_by("DL4003"));

        let source =
            "FROM a:1\nHEALTHCHECK \\\n  CMD curl -f http://localhost/\nHEALTHCHECK NONE\n";
        let found = findings(&OVERRIDDEN_INSTRUCTION, source);
        assert_eq!(positions(&OVERRIDDEN_INSTRUCTION, source), [(2, 1)]);
        assert!(found[0].message.contains("line 4"));
        assert!(found[0].is_named_by("DL3012") && found[0].is_named_by("DS-0023"));
        assert!(!found[0].is_named_by("DS-0016"));
    }

    #[test]
    fn one_per_stage_and_onbuild_triggers_are_fine() {
        for source in [
            "FROM a:1 AS base\nCMD a\nFROM base\nCMD b\n",
            "FROM a:1\nENTRYPOINT [\"x\"]\nCMD [\"y\"]\nHEALTHCHECK CMD true\n",
            "FROM a:1\nONBUILD CMD a\nCMD b\n",
            "FROM a:1\nHEALTHCHECK CMD true\nFROM b:1\nHEALTHCHECK NONE\n",
        ] {
            assert!(
                positions(&OVERRIDDEN_INSTRUCTION, source).is_empty(),
                "{source}"
            );
        }
    }
}
