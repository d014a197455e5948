//! PC9003 definition-description-invalid (BuildKit's experimental InvalidDefinitionDescription).

use super::Context;
use crate::dockerfile::stages::arg_declarations;
use crate::dockerfile::Keyword;
use crate::rules::DEFINITION_DESCRIPTION_INVALID;

pub(crate) fn check(ctx: &mut Context) {
    let file = ctx.file;
    for instruction in &file.instructions {
        let (what, names) = match instruction.keyword {
            Keyword::From => match instruction.args.as_slice() {
                [_, as_kw, name] if as_kw.value.eq_ignore_ascii_case("as") => {
                    ("stage", vec![name.value.to_lowercase()])
                }
                _ => continue,
            },
            Keyword::Arg => (
                "ARG",
                arg_declarations(instruction)
                    .into_iter()
                    .map(|(name, _)| name)
                    .collect(),
            ),
            _ => continue,
        };
        let Some(comment) = instruction.prev_comments.last() else {
            continue;
        };
        if names.is_empty() {
            continue;
        }
        let first_word = comment.text.trim().split(' ').next().unwrap_or_default();
        if names.iter().any(|n| n == first_word) {
            continue;
        }
        let example = match names.as_slice() {
            [only] => format!("`# {only} <description>`"),
            _ => format!(
                "`# <name> <description>` with one of {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        ctx.report(
            &DEFINITION_DESCRIPTION_INVALID,
            format!("the comment describing this {what} should read {example}"),
            comment.span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::DEFINITION_DESCRIPTION_INVALID as RULE;

    #[test]
    fn a_comment_not_starting_with_the_name_is_flagged() {
        let source = "# Compiles the server.\nFROM golang:1 AS build\n";
        assert_eq!(positions(&RULE, source), [(1, 1)]);
        assert_eq!(flagged(&RULE, source), ["# Compiles the server."]);
        let arg = "FROM a:1\n# first line\n  # Go version to use\nARG GO_VERSION=1.22\n";
        assert_eq!(positions(&RULE, arg), [(3, 3)]);
        assert!(findings(&RULE, arg)[0]
            .message
            .contains("`# GO_VERSION <description>`"));
    }

    #[test]
    fn several_arg_names_and_case() {
        let source = "# versions\nARG A=1 B=2\nFROM a:1\n";
        assert!(findings(&RULE, source)[0].message.contains("`A`, `B`"));
        // Stage names are lower-cased, ARG names are not.
        assert_eq!(
            positions(&RULE, "# Build it\nFROM a:1 AS Build\n"),
            [(1, 1)]
        );
        assert_eq!(
            positions(&RULE, "FROM a:1\n# version x\nARG VERSION\n"),
            [(2, 1)]
        );
    }

    #[test]
    fn matching_missing_or_detached_comments_are_fine() {
        for source in [
            "# build compiles the server.\nFROM golang:1 AS build\n",
            "# build\nFROM golang:1 AS Build\n",
            "#   GO_VERSION to use\nARG GO_VERSION=1.22\nFROM a:1\n",
            "# B is the second\nARG A B\nFROM a:1\n",
            "# just a note\n\nARG A=1\nFROM a:1\n",
            "# unnamed stage\nFROM a:1\n",
            "FROM a:1\n# something\nRUN x\n",
            "FROM a:1\nARG A\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }
}
