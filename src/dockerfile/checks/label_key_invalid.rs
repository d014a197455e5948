//! PC9011 label-key-invalid.

use super::Context;
use crate::dockerfile::expand::Lexer;
use crate::dockerfile::Keyword;
use crate::rules::LABEL_KEY_INVALID;

/// Namespaces Docker keeps for itself.
const RESERVED: [&str; 3] = ["com.docker.", "io.docker.", "org.dockerproject."];

pub(crate) fn check(ctx: &mut Context) {
    let lexer = Lexer::new(ctx.file.escape);
    let mut reports = Vec::new();
    for (index, instruction, onbuild) in ctx.instructions() {
        if instruction.keyword != Keyword::Label {
            continue;
        }
        // An ONBUILD trigger is expanded in the child build: only literal keys are known.
        let stage = ctx.build.stage_of(index).filter(|_| !onbuild);
        for key in instruction.args.chunks(3).map(|c| &c[0]) {
            let value = match stage {
                Some(stage) => {
                    let resolved = ctx.build.resolve(stage.index, index, &key.value);
                    if !resolved.complete {
                        continue;
                    }
                    resolved.value
                }
                _ => match lexer.process_word(&key.value, &()) {
                    Ok(expansion) if expansion.references.is_empty() => expansion.value,
                    _ => continue,
                },
            };
            if let Some(problem) = key_problem(&value) {
                reports.push((key.span, format!("label key `{value}` {problem}")));
            }
        }
    }
    for (span, message) in reports {
        ctx.report(&LABEL_KEY_INVALID, message, span);
    }
}

/// What is wrong with a label key, if anything.
fn key_problem(key: &str) -> Option<String> {
    let first = key.chars().next()?;
    let last = key.chars().next_back()?;
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_/".contains(c);
    let lower = key.to_ascii_lowercase();
    if lower != key && lower.chars().all(allowed) && key_problem(&lower).is_none() {
        return Some(format!("has upper-case letters: write `{lower}`"));
    }
    if let Some(bad) = key.chars().find(|c| !allowed(*c)) {
        return Some(format!(
            "contains `{bad}`: use only lower-case letters, digits, `.`, `-`, `_` and `/`"
        ));
    }
    if !first.is_ascii_lowercase() {
        return Some(
            "must start with a lower-case letter: rename it, such as `com.example.name`".into(),
        );
    }
    if !(last.is_ascii_lowercase() || last.is_ascii_digit()) {
        return Some(
            "must end with a lower-case letter or a digit: rename it, such as `com.example.name`"
                .into(),
        );
    }
    if key.contains("..") || key.contains("--") {
        return Some("must not repeat `.` or `-`: rename it, such as `com.example.name`".into());
    }
    RESERVED
        .iter()
        .find(|ns| key.starts_with(*ns))
        .map(|ns| format!("is in the namespace `{ns}` that Docker reserves: use a prefix of your own, such as `com.example.`"))
}

#[cfg(test)]
mod tests {
    use super::key_problem;
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::LABEL_KEY_INVALID;

    #[test]
    fn invalid_keys_are_flagged_at_the_key() {
        assert_eq!(
            flagged(
                &LABEL_KEY_INVALID,
                "FROM a:1\nLABEL Maintainer=me ok=1 \"com.docker.x\"=2 a..b=3\n"
            ),
            ["Maintainer", "\"com.docker.x\"", "a..b"]
        );
        assert_eq!(
            positions(&LABEL_KEY_INVALID, "FROM a:1\nLABEL a=1 \\\n   9lives=2\n"),
            [(3, 4)]
        );
        assert_eq!(
            positions(
                &LABEL_KEY_INVALID,
                "FROM a:1\nLABEL Description some text\n"
            ),
            [(2, 7)]
        );
        assert_eq!(
            positions(&LABEL_KEY_INVALID, "FROM a:1\nONBUILD LABEL X=1\n"),
            [(2, 15)]
        );
        assert_eq!(
            positions(&LABEL_KEY_INVALID, "FROM a:1\nARG NS=IO\nLABEL $NS.x=1\n"),
            [(3, 7)]
        );
        let found = findings(&LABEL_KEY_INVALID, "FROM a:1\nLABEL Vendor=1\n");
        assert!(found[0].is_named_by("DL3048"));
        assert!(found[0].message.contains("write `vendor`"));
    }

    #[test]
    fn well_formed_keys_and_unknown_ones_are_fine() {
        let source =
            "FROM a:1\nLABEL org.opencontainers.image.source=x com.example/team_name=y v2=z\n";
        assert!(positions(&LABEL_KEY_INVALID, source).is_empty());
        assert!(positions(&LABEL_KEY_INVALID, "FROM a:1\nLABEL $UNKNOWN=1\n").is_empty());
    }

    #[test]
    fn each_key_rule() {
        assert!(key_problem("a.b-c_d/e9").is_none());
        for bad in [
            "1a",
            "a.",
            "a-",
            "A",
            "a b",
            "a--b",
            "io.docker.x",
            "org.dockerproject.y",
            "a:b",
        ] {
            assert!(key_problem(bad).is_some(), "{bad}");
        }
    }
}
