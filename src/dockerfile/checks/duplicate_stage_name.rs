//! PC8003 duplicate-stage-name.

use super::Context;
use crate::rules::DUPLICATE_STAGE_NAME;

pub(crate) fn check(ctx: &mut Context) {
    let (file, build) = (ctx.file, ctx.build);
    for stage in &build.stages {
        let Some(name) = stage.name.as_deref() else {
            continue;
        };
        let Some(first) = build.stages[..stage.index]
            .iter()
            .find(|s| s.name.as_deref() == Some(name))
        else {
            continue;
        };
        let from = &file.instructions[stage.from];
        let Some(arg) = from.args.get(2) else {
            continue;
        };
        let line = file.instructions[first.from].start_line;
        ctx.report(
            &DUPLICATE_STAGE_NAME,
            format!(
                "stage name `{}` is already taken by the stage at line {line}: rename one of them",
                arg.value
            ),
            arg.span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::DUPLICATE_STAGE_NAME as RULE;

    #[test]
    fn the_second_name_is_flagged_and_the_first_named() {
        let source = "FROM a:1 AS build\nRUN x\nFROM b:1 AS build\n";
        assert_eq!(positions(&RULE, source), [(3, 13)]);
        let found = findings(&RULE, source);
        assert!(found[0].message.contains("line 1"), "{}", found[0].message);
        for id in ["DL3024", "DuplicateStageName", "DS-0012", "CKV_DOCKER_11"] {
            assert!(found[0].is_named_by(id), "{id}");
        }
    }

    #[test]
    fn names_compare_without_case_and_every_repeat_is_reported() {
        let source = "FROM a:1 AS build\nFROM b:1 AS Build\nFROM c:1 AS BUILD\n";
        assert_eq!(flagged(&RULE, source), ["Build", "BUILD"]);
        let continued = "FROM a:1 AS x\nFROM b:1 \\\n  AS x\n";
        assert_eq!(positions(&RULE, continued), [(3, 6)]);
    }

    #[test]
    fn distinct_or_missing_names_are_fine() {
        assert!(positions(
            &RULE,
            "FROM a:1 AS build\nFROM b:1 AS test\nFROM c:1\nFROM d:1\n"
        )
        .is_empty());
        assert!(positions(&RULE, "FROM a:1 AS build\nFROM build\n").is_empty());
    }
}
