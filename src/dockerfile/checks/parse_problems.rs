//! PC0001–PC0004: problems the parser found, reported where it found them.

use super::Context;
use crate::dockerfile::ParseErrorKind;
use crate::rules;

pub(crate) fn check(ctx: &mut Context) {
    for diagnostic in &ctx.file.diagnostics {
        let rule = match diagnostic.kind {
            ParseErrorKind::Syntax => &rules::SYNTAX_ERROR,
            ParseErrorKind::UnknownInstruction { .. } => &rules::INVALID_INSTRUCTION,
            ParseErrorKind::UnknownFlag => &rules::UNKNOWN_FLAG,
            ParseErrorKind::EmptyContinuation => &rules::EMPTY_CONTINUATION,
        };
        ctx.report(rule, diagnostic.message.clone(), diagnostic.span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::positions;
    use crate::rules;

    #[test]
    fn each_kind_of_parse_problem_is_its_own_rule() {
        assert_eq!(
            positions(&rules::SYNTAX_ERROR, "FROM a:1\nENV PATH\n"),
            [(2, 1)]
        );
        assert_eq!(
            positions(&rules::INVALID_INSTRUCTION, "FROM a:1\nRUNN x\n"),
            [(2, 1)]
        );
        assert_eq!(
            positions(&rules::UNKNOWN_FLAG, "FROM a:1\nCOPY --chmown=1 a b\n"),
            [(2, 6)]
        );
        assert_eq!(
            positions(&rules::EMPTY_CONTINUATION, "FROM a:1\nRUN a \\\n\n  b\n"),
            [(3, 1)]
        );
    }

    #[test]
    fn a_clean_file_has_no_parse_findings() {
        let source = "# syntax=docker/dockerfile:1\nFROM a:1\nRUN <<EOF\necho hi\nEOF\n";
        for rule in [
            &rules::SYNTAX_ERROR,
            &rules::INVALID_INSTRUCTION,
            &rules::UNKNOWN_FLAG,
            &rules::EMPTY_CONTINUATION,
        ] {
            assert!(positions(rule, source).is_empty(), "{}", rule.code);
        }
    }

    #[test]
    fn parsing_goes_on_after_an_error() {
        let source = "FROM a:1\nRUNN x\nCOPY --bogus a b\nRUN sudo id\n";
        assert_eq!(positions(&rules::SUDO_USAGE, source), [(4, 5)]);
    }
}
