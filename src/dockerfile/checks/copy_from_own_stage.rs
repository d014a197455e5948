//! PC8002 copy-from-own-stage.

use super::copy_from_unknown_stage::copy_froms;
use super::Context;
use crate::dockerfile::stages::CopySource;
use crate::rules::COPY_FROM_OWN_STAGE;

pub(crate) fn check(ctx: &mut Context) {
    let build = ctx.build;
    for copy in copy_froms(ctx) {
        let Some(value) = copy.value else {
            continue;
        };
        // A number naming the current stage is copy-from-unknown-stage's.
        if value.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if build.copy_source(&value) == CopySource::Stage(copy.stage) {
            ctx.report(
                &COPY_FROM_OWN_STAGE,
                format!("`--from={value}` names the stage this COPY is in: a stage cannot copy from itself; name an earlier stage, or drop `--from` to copy from the build context"),
                copy.flag.span,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::COPY_FROM_OWN_STAGE as RULE;

    #[test]
    fn copying_from_the_current_stage_is_flagged_in_any_case() {
        let source = "FROM a:1 AS assets\nRUN make\nCOPY --from=assets /src /dst\n";
        assert_eq!(positions(&RULE, source), [(3, 6)]);
        assert_eq!(flagged(&RULE, source), ["--from=assets"]);
        let found = findings(&RULE, "FROM a:1 AS Assets\nCOPY --from=ASSETS /src /dst\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].is_named_by("DL3023") && found[0].is_named_by("DS-0006"));
    }

    #[test]
    fn through_a_variable_and_on_a_continued_line() {
        let source = "FROM a:1 AS app\nARG ME=app\nCOPY \\\n  --from=$ME /src /dst\n";
        assert_eq!(positions(&RULE, source), [(4, 3)]);
    }

    #[test]
    fn other_stages_numbers_and_images_are_fine() {
        for source in [
            "FROM a:1 AS build\nFROM b:1 AS app\nCOPY --from=build /x /y\n",
            "FROM a:1 AS build\nCOPY --from=0 /x /y\n",
            "FROM a:1 AS build\nCOPY --from=build:1 /x /y\n",
            "FROM a:1 AS build\nONBUILD COPY --from=build /x /y\n",
            "FROM a:1\nCOPY /x /y\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }
}
