//! PC8001 copy-from-unknown-stage.

use super::Context;
use crate::dockerfile::stages::CopySource;
use crate::dockerfile::{Flag, Instruction, Keyword};
use crate::rules::COPY_FROM_UNKNOWN_STAGE;

/// A `COPY --from` among a stage's own instructions (not ONBUILD ones, which run in another
/// build), with its value expanded as the builder expands it.
pub(super) struct CopyFrom<'a> {
    pub stage: usize,
    pub instruction: &'a Instruction,
    pub flag: &'a Flag,
    /// `None` when the value uses a variable whose value is not known.
    pub value: Option<String>,
}

/// Every `COPY --from=…` with a non-empty value, in file order.
pub(super) fn copy_froms<'a>(ctx: &Context<'a>) -> Vec<CopyFrom<'a>> {
    let (file, build) = (ctx.file, ctx.build);
    let mut out = Vec::new();
    for stage in &build.stages {
        for index in stage.body.clone() {
            let instruction = &file.instructions[index];
            if instruction.keyword != Keyword::Copy {
                continue;
            }
            let Some(flag) = instruction.flag("from") else {
                continue;
            };
            let Some(raw) = flag.value.as_deref().filter(|v| !v.is_empty()) else {
                continue;
            };
            let resolved = build.resolve(stage.index, index, raw);
            out.push(CopyFrom {
                stage: stage.index,
                instruction,
                flag,
                value: resolved.complete.then_some(resolved.value),
            });
        }
    }
    out
}

pub(crate) fn check(ctx: &mut Context) {
    let build = ctx.build;
    for copy in copy_froms(ctx) {
        let Some(value) = copy.value else {
            continue;
        };
        let numeric = value.bytes().all(|b| b.is_ascii_digit());
        let message = match build.copy_source(&value) {
            CopySource::Image => continue,
            CopySource::Stage(n) if n < copy.stage => continue,
            // Named by its own name: copy-from-own-stage.
            CopySource::Stage(n) if n == copy.stage && !numeric => continue,
            CopySource::Stage(n) if n == copy.stage => format!(
                "`--from={value}` is the number of this very stage: a stage can only copy from \
                 the stages before it; name one of those"
            ),
            CopySource::Stage(n) => {
                let line = ctx.file.instructions[build.stages[n].from].start_line;
                let what = if numeric {
                    format!("stage {value}")
                } else {
                    format!("stage `{value}`")
                };
                format!(
                    "{what} is only defined later, at line {line}: a stage can only copy from \
                     the stages before it; move that stage above this one"
                )
            }
            CopySource::Unknown if numeric => format!(
                "there is no stage {value}: stages are numbered from 0 in file order, and a stage \
                 can only copy from the stages before it; use the name or number of an earlier \
                 stage"
            ),
            CopySource::Unknown => format!(
                "no stage before this one is called `{value}`, so the builder will try to pull \
                 an image of that name: fix the stage name, or give a full image reference"
            ),
        };
        ctx.report(&COPY_FROM_UNKNOWN_STAGE, message, copy.flag.span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::COPY_FROM_UNKNOWN_STAGE as RULE;

    #[test]
    fn an_undefined_name_is_flagged_at_the_flag() {
        let source = "FROM a:1 AS build\nFROM b:1\nCOPY --from=bulid /out /app\n";
        assert_eq!(positions(&RULE, source), [(3, 6)]);
        assert_eq!(flagged(&RULE, source), ["--from=bulid"]);
        assert!(findings(&RULE, source)[0].message.contains("`bulid`"));
    }

    #[test]
    fn a_stage_defined_later_is_flagged_with_its_line() {
        let source = "FROM scratch\nCOPY --from=build foo .\nFROM node:20 AS build\nRUN baz\n";
        let found = findings(&RULE, source);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("line 3"), "{}", found[0].message);
    }

    #[test]
    fn numeric_indexes_must_point_before_the_current_stage() {
        assert_eq!(
            positions(&RULE, "FROM a:1\nCOPY --from=0 /x /y\n"),
            [(2, 6)]
        );
        let beyond = "FROM a:1\nFROM b:1\nFROM c:1\nCOPY --from=3 /x /y\n";
        assert_eq!(positions(&RULE, beyond), [(4, 6)]);
        assert!(findings(&RULE, beyond)[0].message.contains("no stage 3"));
        let later = "FROM a:1\nCOPY --from=1 /x /y\nFROM b:1\n";
        assert!(findings(&RULE, later)[0].message.contains("line 3"));
        assert!(positions(&RULE, "FROM a:1\nFROM b:1\nCOPY --from=0 /x /y\n").is_empty());
    }

    #[test]
    fn earlier_stages_images_and_unknown_variables_are_fine() {
        for from in [
            "build",
            "BUILD",
            "0",
            "nginx:1.27",
            "ghcr.io/org/tool",
            "alpine@sha256:0123",
            "$UNSET",
        ] {
            let source = format!("FROM a:1 AS build\nFROM b:1\nCOPY --from={from} /x /y\n");
            assert!(positions(&RULE, &source).is_empty(), "{from}");
        }
        // Without --from there is nothing to check; the own stage is another rule's.
        assert!(positions(&RULE, "FROM a:1 AS build\nCOPY x /y\n").is_empty());
        assert!(positions(&RULE, "FROM a:1 AS build\nCOPY --from=build x /y\n").is_empty());
    }

    #[test]
    fn the_value_is_expanded_from_args() {
        let source = "FROM a:1 AS build\nFROM b:1\nARG SRC=builder\nCOPY --from=$SRC /x /y\n";
        assert_eq!(positions(&RULE, source), [(4, 6)]);
        let fine = "FROM a:1 AS build\nFROM b:1\nARG SRC=build\nCOPY --from=${SRC} /x /y\n";
        assert!(positions(&RULE, fine).is_empty());
    }

    #[test]
    fn a_continued_line_points_at_the_flag_on_its_own_line() {
        let source =
            "FROM a:1 AS build\nFROM b:1\nCOPY --chown=1 \\\n    --from=other \\\n    /x /y\n";
        assert_eq!(positions(&RULE, source), [(4, 5)]);
    }

    #[test]
    fn onbuild_copies_belong_to_another_build() {
        assert!(positions(&RULE, "FROM a:1\nONBUILD COPY --from=nothere /x /y\n").is_empty());
    }
}
