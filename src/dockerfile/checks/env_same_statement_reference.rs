//! PC8024 env-same-statement-reference.

use super::Context;
use crate::dockerfile::ast::{Arg, Instruction, Span};
use crate::dockerfile::expand::Lexer;
use crate::dockerfile::Keyword;
use crate::rules::ENV_SAME_STATEMENT_REFERENCE;

pub(crate) fn check(ctx: &mut Context) {
    let lexer = Lexer::new(ctx.file.escape);
    let mut reports = Vec::new();
    for (index, instruction, onbuild) in ctx.instructions() {
        if instruction.keyword != Keyword::Env {
            continue;
        }
        let pairs: Vec<(&Arg, &Arg)> = instruction
            .args
            .chunks(3)
            .filter(|c| c.len() >= 2)
            .map(|c| (&c[0], &c[1]))
            .collect();
        if pairs.len() < 2 {
            continue;
        }
        // What every variable held before this ENV (an ONBUILD trigger runs in a later build,
        // whose values are unknown here; treat them as unset). Worked out only for an ENV
        // that refers to its own variables.
        let mut scope: Option<Vec<(String, Option<String>)>> = None;
        for (i, (_, value)) in pairs.iter().enumerate() {
            if !value.value.contains('$') {
                continue;
            }
            let Ok(expansion) = lexer.process_word(&value.value, &()) else {
                continue;
            };
            for reference in expansion.references {
                let name = reference.name.as_str();
                let Some(setter) = pairs
                    .iter()
                    .enumerate()
                    .find(|(j, (key, _))| *j != i && key.value == name)
                    .map(|(_, (_, v))| *v)
                else {
                    continue;
                };
                let scope = scope.get_or_insert_with(|| match ctx.build.stage_of(index) {
                    Some(stage) if !onbuild => ctx.build.scope_before(stage.index, index),
                    _ => Vec::new(),
                });
                let before = scope.iter().rev().find(|(n, _)| n == name);
                let message = match before {
                    // Nothing to compare with.
                    Some((_, None)) => continue,
                    Some((_, Some(old))) => {
                        let known: Vec<(String, String)> = scope
                            .iter()
                            .filter_map(|(n, v)| v.clone().map(|v| (n.clone(), v)))
                            .collect();
                        let new = lexer
                            .process_word(&setter.value, &known)
                            .map(|e| e.value)
                            .ok();
                        if new.as_deref() == Some(old.as_str()) {
                            continue;
                        }
                        format!(
                            "`{name}` is set by this same ENV, but the reference is expanded before that: it still gets the previous value `{old}`; set `{name}` in an earlier ENV"
                        )
                    }
                    None => format!(
                        "`{name}` is set by this same ENV, but the reference is expanded before that and comes out empty; set `{name}` in an earlier ENV"
                    ),
                };
                let span = value_span(instruction, value, reference.range);
                reports.push((span, message));
            }
        }
    }
    for (span, message) in reports {
        ctx.report(&ENV_SAME_STATEMENT_REFERENCE, message, span);
    }
}

/// The source span of `range` within the value `arg` (the whole value if it cannot be mapped).
fn value_span(instruction: &Instruction, arg: &Arg, range: std::ops::Range<usize>) -> Span {
    if instruction.line.text.get(arg.logical.clone()) == Some(arg.value.as_str()) {
        let start = arg.logical.start;
        instruction
            .line
            .span(start + range.start..start + range.end)
    } else {
        arg.span
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::ENV_SAME_STATEMENT_REFERENCE;

    #[test]
    fn a_reference_to_a_variable_of_the_same_env_is_flagged() {
        assert_eq!(
            flagged(
                &ENV_SAME_STATEMENT_REFERENCE,
                "FROM a:1\nENV DIR=/opt BIN=$DIR/bin LIB=\"${DIR}/lib\"\n"
            ),
            ["$DIR", "${DIR}"]
        );
        assert_eq!(
            positions(
                &ENV_SAME_STATEMENT_REFERENCE,
                "FROM a:1\nENV A=$B \\\n    B=1 \\\n    C=x$B\n"
            ),
            [(2, 7), (4, 8)]
        );
        let found = findings(&ENV_SAME_STATEMENT_REFERENCE, "FROM a:1\nENV A=1 B=$A\n");
        assert!(found[0].is_named_by("DL3044"));
        assert!(found[0].message.contains("empty"));
        assert_eq!(
            positions(
                &ENV_SAME_STATEMENT_REFERENCE,
                "FROM a:1\nONBUILD ENV A=1 B=$A\n"
            ),
            [(2, 19)]
        );
    }

    #[test]
    fn a_different_previous_value_is_named() {
        let found = findings(
            &ENV_SAME_STATEMENT_REFERENCE,
            "FROM a:1\nARG V=1\nENV V=2 URL=https://x/$V\n",
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`1`"));
    }

    #[test]
    fn self_references_separate_envs_and_same_or_unknown_values_are_fine() {
        for source in [
            "FROM a:1\nENV PATH=/opt/bin:$PATH\n",
            "FROM a:1\nENV A=1\nENV B=$A\n",
            "FROM a:1\nENV A=1 B=2\n",
            "FROM a:1\nENV A=1\nENV A=1 B=$A\n",
            "FROM a:1\nARG A\nENV A=1 B=$A\n",
            "FROM a:1\nENV A=1 B='$A'\n",
            "FROM a:1\nENV A 1 $A\n",
        ] {
            assert!(
                positions(&ENV_SAME_STATEMENT_REFERENCE, source).is_empty(),
                "{source}"
            );
        }
    }
}
