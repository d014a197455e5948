//! PC4002 missing-healthcheck.

use super::Context;
use crate::dockerfile::Keyword;
use crate::rules::MISSING_HEALTHCHECK;

pub(crate) fn check(ctx: &mut Context) {
    let Some(last) = ctx.build.final_stage() else {
        return;
    };
    let has_healthcheck = ctx.build.lineage(last.index).iter().any(|stage| {
        ctx.file.instructions[stage.body.clone()]
            .iter()
            .any(|i| i.keyword == Keyword::Healthcheck)
    });
    if !has_healthcheck {
        let from = &ctx.file.instructions[last.from];
        let span = from.args.first().map_or(from.keyword_span, |a| a.span);
        ctx.report(
            &MISSING_HEALTHCHECK,
            "the final image defines no HEALTHCHECK: add one so the engine can tell a hung service from a healthy one",
            span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::positions;
    use crate::rules::MISSING_HEALTHCHECK;

    #[test]
    fn flags_a_final_stage_without_healthcheck() {
        assert_eq!(
            positions(&MISSING_HEALTHCHECK, "FROM a:1\nCMD x\n"),
            [(1, 6)]
        );
        assert_eq!(
            positions(
                &MISSING_HEALTHCHECK,
                "FROM a:1 AS b\nHEALTHCHECK CMD x\nFROM c:1\n"
            ),
            [(3, 6)]
        );
    }

    #[test]
    fn own_inherited_and_explicitly_disabled_healthchecks_are_fine() {
        for source in [
            "FROM a:1\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/\n",
            "FROM a:1 AS base\nHEALTHCHECK CMD x\nFROM base\nCMD y\n",
            "FROM a:1\nHEALTHCHECK NONE\n",
        ] {
            assert!(
                positions(&MISSING_HEALTHCHECK, source).is_empty(),
                "{source}"
            );
        }
    }
}
