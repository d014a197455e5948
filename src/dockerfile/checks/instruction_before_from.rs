//! PC8010 instruction-before-from.

use super::Context;
use crate::dockerfile::Keyword;
use crate::rules::INSTRUCTION_BEFORE_FROM;

pub(crate) fn check(ctx: &mut Context) {
    let file = ctx.file;
    let before_from = file
        .instructions
        .iter()
        .take_while(|i| i.keyword != Keyword::From)
        // Unknown instructions are invalid-instruction's.
        .filter(|i| !matches!(i.keyword, Keyword::Arg | Keyword::Unknown));
    for instruction in before_from {
        ctx.report(
            &INSTRUCTION_BEFORE_FROM,
            format!(
                "{} comes before the first FROM: only ARG may appear there",
                instruction.keyword.as_str()
            ),
            instruction.keyword_span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::INSTRUCTION_BEFORE_FROM as RULE;

    #[test]
    fn every_instruction_but_arg_before_from_is_flagged() {
        let source =
            "# syntax=docker/dockerfile:1\nARG V=1\nLABEL a=b\n# note\n  run x\nFROM a:$V\nRUN y\n";
        assert_eq!(positions(&RULE, source), [(3, 1), (5, 3)]);
        assert_eq!(flagged(&RULE, source), ["LABEL", "run"]);
        assert_eq!(positions(&RULE, "ONBUILD RUN x\n"), [(1, 1)]);
    }

    #[test]
    fn args_comments_and_directives_may_come_first() {
        for source in [
            "FROM a:1\nRUN x\n",
            "# escape=`\n# comment\nARG A\nARG B=2\nFROM a:1\nLABEL x=y\n",
            "RUNN x\nFROM a:1\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }
}
