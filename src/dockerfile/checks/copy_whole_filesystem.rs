//! PC8007 copy-whole-filesystem.

use super::copy_from_unknown_stage::copy_froms;
use super::Context;
use crate::rules::COPY_WHOLE_FILESYSTEM;

fn is_root(word: &str) -> bool {
    word.trim_matches(['"', '\'']) == "/"
}

pub(crate) fn check(ctx: &mut Context) {
    for copy in copy_froms(ctx) {
        let Some((dest, sources)) = copy.instruction.args.split_last() else {
            continue;
        };
        if !is_root(&dest.value) {
            continue;
        }
        if let Some(source) = sources.iter().find(|a| is_root(&a.value)) {
            let from = copy
                .value
                .as_deref()
                .unwrap_or(copy.flag.value.as_deref().unwrap_or(""));
            ctx.report(
                &COPY_WHOLE_FILESYSTEM,
                format!(
                    "this copies the whole filesystem of `{from}` over the image's own: copy only \
                     the directories it needs"
                ),
                source.span,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, positions};
    use crate::rules::COPY_WHOLE_FILESYSTEM as RULE;

    #[test]
    fn root_to_root_from_a_stage_or_image_is_flagged_at_the_source() {
        let source = "FROM a:1 AS build\nFROM b:1\nCOPY --from=build / /\n";
        assert_eq!(positions(&RULE, source), [(3, 19)]);
        assert!(findings(&RULE, source)[0].message.contains("`build`"));
        assert_eq!(
            positions(&RULE, "FROM b:1\nCOPY --from=busybox:1 \\\n    \"/\" /\n"),
            [(3, 5)]
        );
        assert_eq!(
            positions(
                &RULE,
                "FROM a:1 AS x\nFROM b:1\nCOPY --from=x [\"/etc\", \"/\", \"/\"]\n"
            ),
            [(3, 24)]
        );
    }

    #[test]
    fn directories_the_context_and_other_destinations_are_fine() {
        for source in [
            "FROM a:1 AS x\nFROM b:1\nCOPY --from=x /out/ /\n",
            "FROM a:1 AS x\nFROM b:1\nCOPY --from=x / /rootfs/\n",
            "FROM b:1\nCOPY / /\n",
            "FROM a:1 AS x\nFROM b:1\nONBUILD COPY --from=x / /\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }
}
