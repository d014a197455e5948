//! PC0001–PC0004: problems the parser found, reported where it found them.

use super::Context;
use crate::dockerfile::{Keyword, ParseErrorKind};
use crate::rules;

pub(crate) fn check(ctx: &mut Context) {
    // Triggers BuildKit refuses after ONBUILD: hadolint lints these (DL3043) rather than
    // failing to parse (DL1000).
    let bad_triggers: Vec<_> = ctx
        .file
        .instructions
        .iter()
        .filter_map(|i| i.onbuild.as_deref())
        .filter(|t| {
            matches!(
                t.keyword,
                Keyword::Onbuild | Keyword::From | Keyword::Maintainer
            )
        })
        .map(|t| t.keyword_span)
        .collect();
    for diagnostic in &ctx.file.diagnostics {
        let rule = match diagnostic.kind {
            ParseErrorKind::Syntax => &rules::SYNTAX_ERROR,
            ParseErrorKind::UnknownInstruction { .. } => &rules::INVALID_INSTRUCTION,
            ParseErrorKind::UnknownFlag => &rules::UNKNOWN_FLAG,
            ParseErrorKind::EmptyContinuation => &rules::EMPTY_CONTINUATION,
        };
        let finding = ctx.report(rule, diagnostic.message.clone(), diagnostic.span);
        if diagnostic.kind == ParseErrorKind::Syntax {
            finding.aliases = if bad_triggers.contains(&diagnostic.span) {
                vec!["DL3043"]
            } else {
                vec!["DL1000"]
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, positions};
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
    fn refused_onbuild_triggers_answer_to_hadolints_dl3043_only() {
        let source =
            "FROM a:1\nONBUILD ONBUILD RUN x\nONBUILD  from b:1\nONBUILD MAINTAINER me\nENV X\n";
        let found = findings(&rules::SYNTAX_ERROR, source);
        let at: Vec<_> = found
            .iter()
            .map(|f| (f.line(), f.is_named_by("DL3043"), f.is_named_by("DL1000")))
            .collect();
        assert_eq!(
            at,
            [
                (Some(2), true, false),
                (Some(3), true, false),
                (Some(4), true, false),
                (Some(5), false, true),
            ]
        );
        assert_eq!(positions(&rules::SYNTAX_ERROR, source)[1], (3, 10));
        assert!(positions(&rules::SYNTAX_ERROR, "FROM a:1\nONBUILD RUN x\n").is_empty());
    }

    #[test]
    fn parsing_goes_on_after_an_error() {
        let source = "FROM a:1\nRUNN x\nCOPY --bogus a b\nRUN sudo id\n";
        assert_eq!(positions(&rules::SUDO_USAGE, source), [(4, 5)]);
    }
}
