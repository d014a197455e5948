//! PC8004 reserved-stage-name.

use super::Context;
use crate::rules::RESERVED_STAGE_NAME;

const RESERVED: [&str; 2] = ["scratch", "context"];

pub(crate) fn check(ctx: &mut Context) {
    let (file, build) = (ctx.file, ctx.build);
    for stage in &build.stages {
        if !stage.name.as_deref().is_some_and(|n| RESERVED.contains(&n)) {
            continue;
        }
        let Some(arg) = file.instructions[stage.from].args.get(2) else {
            continue;
        };
        ctx.report(
            &RESERVED_STAGE_NAME,
            format!(
                "`{}` is a reserved word and should not name a stage: pick another name",
                arg.value
            ),
            arg.span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::RESERVED_STAGE_NAME as RULE;

    #[test]
    fn scratch_and_context_are_flagged_in_any_case() {
        assert_eq!(positions(&RULE, "FROM alpine:3 AS scratch\n"), [(1, 18)]);
        assert_eq!(flagged(&RULE, "FROM a:1 AS Context\n"), ["Context"]);
        assert_eq!(positions(&RULE, "FROM a:1 \\\n  AS SCRATCH\n"), [(2, 6)]);
    }

    #[test]
    fn other_names_and_the_scratch_image_are_fine() {
        for source in [
            "FROM scratch\n",
            "FROM a:1 AS scratchpad\n",
            "FROM a:1 AS build-context\n",
            "FROM a:1\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }
}
