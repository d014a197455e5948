//! PC8006 platform-redundant.

use super::Context;
use crate::rules::PLATFORM_REDUNDANT;

/// `$TARGETPLATFORM` or `${TARGETPLATFORM}`, possibly quoted.
pub(super) fn is_target_platform(value: &str) -> bool {
    let bare = value.trim().trim_matches(['"', '\'']);
    bare == "$TARGETPLATFORM" || bare == "${TARGETPLATFORM}"
}

pub(crate) fn check(ctx: &mut Context) {
    let (file, build) = (ctx.file, ctx.build);
    for stage in &build.stages {
        let Some(flag) = file.instructions[stage.from].flag("platform") else {
            continue;
        };
        if flag.value.as_deref().is_some_and(is_target_platform) {
            ctx.report(
                &PLATFORM_REDUNDANT,
                "stages are built for the target platform anyway: this --platform flag can go",
                flag.span,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::PLATFORM_REDUNDANT as RULE;

    #[test]
    fn target_platform_in_both_spellings_is_flagged() {
        assert_eq!(
            flagged(&RULE, "FROM --platform=$TARGETPLATFORM debian:12\n"),
            ["--platform=$TARGETPLATFORM"]
        );
        assert_eq!(
            positions(
                &RULE,
                "FROM a:1 AS x\nFROM --platform=${TARGETPLATFORM} debian:12\n"
            ),
            [(2, 6)]
        );
        assert_eq!(
            positions(
                &RULE,
                "FROM \\\n --platform=\"$TARGETPLATFORM\" debian:12\n"
            ),
            [(2, 2)]
        );
    }

    #[test]
    fn other_platforms_are_fine() {
        for source in [
            "FROM --platform=$BUILDPLATFORM debian:12\n",
            "FROM --platform=linux/amd64 debian:12\n",
            "FROM --platform=${TARGETPLATFORM}-x debian:12\n",
            "FROM debian:12\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }
}
