//! PC9012 instruction-casing-inconsistent.

use super::Context;
use crate::dockerfile::Keyword;
use crate::rules::INSTRUCTION_CASING_INCONSISTENT;

pub(crate) fn check(ctx: &mut Context) {
    // Every keyword as written, ONBUILD triggers included; unknown instructions are another
    // rule's business.
    let keywords: Vec<_> = ctx
        .file
        .instructions
        .iter()
        .flat_map(|i| std::iter::once(i).chain(i.onbuild.as_deref()))
        .filter(|i| i.keyword != Keyword::Unknown && !i.keyword_text.is_empty())
        .map(|i| (i.keyword_text.as_str(), i.keyword_span))
        .collect();
    let lower = keywords
        .iter()
        .filter(|(text, _)| *text == text.to_ascii_lowercase())
        .count();
    let upper = keywords
        .iter()
        .filter(|(text, _)| *text == text.to_ascii_uppercase())
        .count();
    // Ties go to upper case, as in BuildKit.
    let majority_lower = lower > upper;
    let mut reports = Vec::new();
    for (text, span) in keywords {
        let (wanted, casing) = if majority_lower {
            (text.to_ascii_lowercase(), "lower")
        } else {
            (text.to_ascii_uppercase(), "upper")
        };
        if text == wanted {
            continue;
        }
        let message = if text == text.to_ascii_lowercase() || text == text.to_ascii_uppercase() {
            format!("`{text}` is not in {casing} case like most instructions of this file: write `{wanted}`")
        } else {
            format!("`{text}` mixes upper and lower case: write `{wanted}`, the casing of most instructions of this file")
        };
        reports.push((span, message));
    }
    for (span, message) in reports {
        ctx.report(&INSTRUCTION_CASING_INCONSISTENT, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::INSTRUCTION_CASING_INCONSISTENT;

    #[test]
    fn mixed_case_and_minority_keywords_are_flagged() {
        let source = "FROM a:1\nRun x\nrun y\nCOPY a b\n";
        assert_eq!(
            positions(&INSTRUCTION_CASING_INCONSISTENT, source),
            [(2, 1), (3, 1)]
        );
        let found = findings(&INSTRUCTION_CASING_INCONSISTENT, source);
        assert!(found[0].message.contains("`RUN`") && found[0].message.contains("mixes"));
        assert!(found[1].is_named_by("ConsistentInstructionCasing"));
        assert_eq!(
            flagged(
                &INSTRUCTION_CASING_INCONSISTENT,
                "from a:1\nrun x\nCMD y\n  onbuild Run z\n"
            ),
            ["CMD", "Run"]
        );
    }

    #[test]
    fn ties_go_to_upper_case() {
        assert_eq!(
            flagged(&INSTRUCTION_CASING_INCONSISTENT, "from a:1\nRUN x\n"),
            ["from"]
        );
    }

    #[test]
    fn consistent_files_are_fine() {
        for source in [
            "FROM a:1\nRUN x \\\n  && y\nONBUILD RUN z\n",
            "from a:1\nrun x\nonbuild copy a b\n",
            "FROM a:1\nRUNN x\n",
        ] {
            assert!(
                positions(&INSTRUCTION_CASING_INCONSISTENT, source).is_empty(),
                "{source}"
            );
        }
    }
}
