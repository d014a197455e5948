//! PC9001 stage-name-casing.

use super::Context;
use crate::rules::STAGE_NAME_CASING;

pub(crate) fn check(ctx: &mut Context) {
    let (file, build) = (ctx.file, ctx.build);
    for stage in &build.stages {
        let Some(arg) = file.instructions[stage.from].args.get(2) else {
            continue;
        };
        if stage.name.is_none() || arg.value == arg.value.to_lowercase() {
            continue;
        }
        ctx.report(
            &STAGE_NAME_CASING,
            format!(
                "stage name `{}` is not lower case: stage names are case-insensitive, write `{}`",
                arg.value,
                arg.value.to_lowercase()
            ),
            arg.span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::STAGE_NAME_CASING as RULE;

    #[test]
    fn names_with_capitals_are_flagged() {
        assert_eq!(positions(&RULE, "FROM a:1 AS BuildEnv\n"), [(1, 13)]);
        assert_eq!(
            flagged(&RULE, "FROM a:1 as BUILD\nFROM b:1 AS app\n"),
            ["BUILD"]
        );
        assert_eq!(positions(&RULE, "FROM a:1 \\\n   AS Build\n"), [(2, 7)]);
        assert!(findings(&RULE, "FROM a:1 AS Build\n")[0]
            .message
            .contains("`build`"));
    }

    #[test]
    fn lower_case_and_unnamed_stages_are_fine() {
        for source in ["FROM a:1 AS build-env_2.x\n", "FROM A:1\n", "FROM Build\n"] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }
}
