//! PC1001 root-user: the final image runs as root.

use super::Context;
use crate::dockerfile::Keyword;
use crate::rules::ROOT_USER;

/// The last USER along the chain of stages the final image is built from: (stage,
/// instruction index).
pub(super) fn image_user(ctx: &Context) -> Option<(usize, usize)> {
    let last = ctx.build.final_stage()?;
    ctx.build.lineage(last.index).into_iter().find_map(|stage| {
        stage
            .body
            .clone()
            .rev()
            .find(|&n| ctx.file.instructions[n].keyword == Keyword::User)
            .map(|n| (stage.index, n))
    })
}

pub(crate) fn check(ctx: &mut Context) {
    let Some(last) = ctx.build.final_stage() else {
        return;
    };
    match image_user(ctx) {
        None => {
            let from = &ctx.file.instructions[last.from];
            let span = from.args.first().map_or(from.keyword_span, |a| a.span);
            ctx.report(
                &ROOT_USER,
                "the final stage sets no USER, so the container runs as root unless the base image sets a user",
                span,
            )
            .aliases = vec!["DS-0002", "CKV_DOCKER_3", "CIS-DI-0001"];
        }
        Some((stage, index)) => {
            let instruction = &ctx.file.instructions[index];
            let Some(arg) = instruction.args.first() else {
                return;
            };
            let resolved = ctx.build.resolve(stage, index, &arg.value);
            if !resolved.complete {
                return;
            }
            let user = resolved.value.split(':').next().unwrap_or_default();
            if user == "root" || user == "0" {
                ctx.report(
                    &ROOT_USER,
                    format!(
                        "the last USER is `{}`, so the container runs as root",
                        resolved.value
                    ),
                    arg.span,
                )
                .aliases = vec!["DL3002", "DS-0002", "CKV_DOCKER_8", "CIS-DI-0001"];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::ROOT_USER;

    #[test]
    fn no_user_in_the_final_stage_points_at_its_base_image() {
        let found = findings(&ROOT_USER, "FROM a:1 AS build\nUSER app\nFROM b:2\nCMD x\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line(), Some(3));
        assert!(found[0].is_named_by("CKV_DOCKER_3") && !found[0].is_named_by("DL3002"));
    }

    #[test]
    fn last_user_root_is_flagged_also_through_variables() {
        assert_eq!(
            flagged(&ROOT_USER, "FROM a:1\nUSER app\nUSER root\n"),
            ["root"]
        );
        assert_eq!(flagged(&ROOT_USER, "FROM a:1\nUSER 0:0\n"), ["0:0"]);
        assert_eq!(
            positions(&ROOT_USER, "FROM a:1\nARG U=root\nUSER $U\n"),
            [(3, 6)]
        );
        let found = findings(&ROOT_USER, "FROM a:1\nUSER root:staff\n");
        assert!(found[0].is_named_by("DL3002"));
    }

    #[test]
    fn a_non_root_user_is_fine_even_when_inherited() {
        assert!(positions(&ROOT_USER, "FROM a:1\nUSER root\nRUN x\nUSER 10001\n").is_empty());
        assert!(positions(&ROOT_USER, "FROM a:1 AS base\nUSER app\nFROM base\nRUN x\n").is_empty());
        assert!(positions(&ROOT_USER, "FROM a:1\nUSER root\nFROM b:1\nUSER nobody\n").is_empty());
        // Unknown at lint time: not reported.
        assert!(positions(&ROOT_USER, "FROM a:1\nUSER $APP_USER\n").is_empty());
    }
}
