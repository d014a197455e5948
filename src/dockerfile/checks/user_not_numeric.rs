//! PC8025 user-not-numeric.

use super::undefined_arg_in_from::global_arg_names;
use super::{root_user, Context};
use crate::dockerfile::expand::Lexer;
use crate::dockerfile::stages::{arg_declarations, env_pairs};
use crate::dockerfile::{Instruction, Keyword, Span};
use crate::rules::USER_NOT_NUMERIC;

pub(crate) fn check(ctx: &mut Context) {
    let lexer = Lexer::new(ctx.file.escape);
    let mut reports = Vec::new();
    // The instruction of the image's own USER, worked out at the first literal USER.
    let mut image_user: Option<Option<usize>> = None;
    for (index, instruction, onbuild) in ctx.instructions() {
        if instruction.keyword != Keyword::User {
            continue;
        }
        let Some(arg) = instruction.args.first() else {
            continue;
        };
        let raw = user_part(&arg.value);
        let Ok(expansion) = lexer.process_word(raw, &()) else {
            continue;
        };
        let span = user_span(instruction, raw, arg);
        if expansion.references.is_empty() {
            let user = expansion.value.as_str();
            // The image's own `USER root` is a `root-user` finding already.
            let image_user = !onbuild
                && user == "root"
                && *image_user.get_or_insert_with(|| root_user::image_user(ctx).map(|(_, n)| n))
                    == Some(index);
            if user.is_empty() || is_numeric(user) || image_user {
                continue;
            }
            reports.push((span, literal_message(user)));
            continue;
        }
        // ONBUILD steps run in another build, whose ARG and ENV are not known here.
        if onbuild {
            continue;
        }
        let Some(stage) = ctx.build.stage_of(index).map(|s| s.index) else {
            continue;
        };
        // A build argument is chosen by whoever runs the build: nothing to judge here.
        let (args, envs) = declared_names(ctx, stage, index);
        if expansion
            .references
            .iter()
            .any(|r| args.contains(&r.name) && !envs.contains(&r.name))
        {
            continue;
        }
        let resolved = ctx.build.resolve(stage, index, raw);
        let message = if !resolved.complete {
            let names: Vec<String> = expansion
                .references
                .iter()
                .map(|r| format!("`${}`", r.name))
                .collect();
            format!(
                "USER takes the user from {}, which no ARG of this stage declares, so it comes from the environment (ENV here or in the base image) and cannot be seen to be numeric: write the numeric UID (as in `USER 10001`) so that Kubernetes' runAsNonRoot and other tools outside the image can tell it is not root",
                names.join(", ")
            )
        } else if resolved.value.is_empty() || is_numeric(&resolved.value) {
            continue;
        } else if resolved.value == "root" {
            format!(
                "USER `{raw}` is `root`, a name: write `USER 0` so that tools outside the image see the UID without reading its /etc/passwd"
            )
        } else {
            format!(
                "USER `{raw}` is the name `{}`: write the numeric UID (as in `USER 10001`) so that Kubernetes' runAsNonRoot and other tools outside the image can tell it is not root",
                resolved.value
            )
        };
        reports.push((span, message));
    }
    for (span, message) in reports {
        ctx.report(&USER_NOT_NUMERIC, message, span);
    }
}

fn is_numeric(user: &str) -> bool {
    !user.is_empty() && user.bytes().all(|b| b.is_ascii_digit())
}

fn literal_message(user: &str) -> String {
    if user == "root" {
        "USER `root` is a name: write `USER 0`, the same user as a number, so that tools outside the image see the UID without reading its /etc/passwd".to_owned()
    } else {
        format!(
            "USER `{user}` is a name: give the numeric UID (as in `USER 10001`) so that Kubernetes' runAsNonRoot and other tools outside the image can tell it is not root"
        )
    }
}

/// The user part of a `USER user[:group]` value as written: up to the first `:` that is not
/// inside `${…}` (whose modifiers also use `:`).
fn user_part(value: &str) -> &str {
    let bytes = value.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => return &value[..i],
            _ => {}
        }
        i += 1;
    }
    value
}

/// The user part's span when the argument is written plainly (no quotes or escapes), else the
/// whole argument.
fn user_span(instruction: &Instruction, raw: &str, arg: &crate::dockerfile::Arg) -> Span {
    let plain = !raw.is_empty() && !raw.contains(['"', '\'', '\\', '`']);
    if plain && instruction.line.text.get(arg.logical.clone()) == Some(arg.value.as_str()) {
        instruction
            .line
            .span(arg.logical.start..arg.logical.start + raw.len())
    } else {
        arg.span
    }
}

/// Names declared before instruction `at` of `stage`: by ARG (in the stage, or globally before
/// the first FROM) and by ENV (in the stage or a stage it is built from).
fn declared_names(ctx: &Context, stage: usize, at: usize) -> (Vec<String>, Vec<String>) {
    let file = ctx.file;
    let mut args = global_arg_names(ctx);
    let own = &ctx.build.stages[stage];
    args.extend(
        file.instructions[own.body.start..at.min(own.body.end)]
            .iter()
            .filter(|i| i.keyword == Keyword::Arg)
            .flat_map(|i| arg_declarations(i).into_iter().map(|(name, _)| name)),
    );
    let mut envs = Vec::new();
    for s in ctx.build.lineage(stage) {
        let end = if s.index == stage {
            at.min(s.body.end)
        } else {
            s.body.end
        };
        envs.extend(
            file.instructions[s.body.start..end]
                .iter()
                .filter(|i| i.keyword == Keyword::Env)
                .flat_map(|i| env_pairs(i).into_iter().map(|(name, _)| name)),
        );
    }
    (args, envs)
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::USER_NOT_NUMERIC;

    #[test]
    fn user_names_are_flagged_at_the_user_part() {
        assert_eq!(
            positions(&USER_NOT_NUMERIC, "FROM a:1\nUSER   app\n"),
            [(2, 8)]
        );
        assert_eq!(
            flagged(&USER_NOT_NUMERIC, "FROM a:1\nUSER app:1000\n"),
            ["app"]
        );
        assert_eq!(
            flagged(&USER_NOT_NUMERIC, "FROM a:1\nUSER \"nobody\"\n"),
            ["\"nobody\""]
        );
        assert_eq!(
            positions(&USER_NOT_NUMERIC, "FROM a:1\nONBUILD USER web\n"),
            [(2, 14)]
        );
        assert_eq!(
            positions(&USER_NOT_NUMERIC, "FROM a:1\nUSER \\\n   web\n"),
            [(3, 4)]
        );
        assert!(findings(&USER_NOT_NUMERIC, "FROM a:1\nUSER www-data\n")[0].is_named_by("DL3066"));
    }

    #[test]
    fn root_is_a_name_too_and_the_message_says_to_use_0() {
        // The build stage's `USER root` is reported; the image's own is a root-user finding.
        let source = "FROM a:1 AS build\nUSER root:root\nRUN make\nFROM b:1\nUSER root\n";
        let found = findings(&USER_NOT_NUMERIC, source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("`USER 0`"), "{found:?}");
        assert!(found[0].is_named_by("DL3066"));
        assert_eq!(positions(&USER_NOT_NUMERIC, source), [(2, 6)]);
        assert_eq!(flagged(&USER_NOT_NUMERIC, source), ["root"]);
        let switched_back = "FROM a:1\nUSER root\nRUN make\nUSER app\n";
        assert_eq!(
            positions(&USER_NOT_NUMERIC, switched_back),
            [(2, 6), (4, 6)]
        );
        assert!(positions(&USER_NOT_NUMERIC, "FROM a:1\nUSER 0:root\n").is_empty());
    }

    #[test]
    fn variables_not_declared_by_arg_are_flagged() {
        // Set by the base image (as the .NET images set APP_UID): unknown here.
        let found = findings(&USER_NOT_NUMERIC, "FROM a:1\nUSER $APP_UID\n");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("`$APP_UID`"),
            "{}",
            found[0].message
        );
        assert_eq!(
            flagged(&USER_NOT_NUMERIC, "FROM a:1\nUSER ${APP_UID:-app}:1000\n"),
            ["${APP_UID:-app}"]
        );
        // Set by ENV to a name, also when an ARG of the same name came first (ENV wins).
        for source in [
            "FROM a:1\nENV RUN_AS=app\nUSER $RUN_AS\n",
            "FROM a:1\nARG RUN_AS\nENV RUN_AS=app\nUSER $RUN_AS\n",
            "FROM a:1 AS base\nENV RUN_AS=app\nFROM base\nUSER ${RUN_AS}\n",
        ] {
            let found = findings(&USER_NOT_NUMERIC, source);
            assert_eq!(found.len(), 1, "{source}");
            assert!(found[0].message.contains("`app`"), "{}", found[0].message);
        }
        assert_eq!(
            positions(&USER_NOT_NUMERIC, "FROM a:1\nENV U=root\nUSER   $U:1\n"),
            [(3, 8)]
        );
        assert!(
            findings(&USER_NOT_NUMERIC, "FROM a:1\nENV U=root\nUSER $U\n")[0]
                .message
                .contains("`USER 0`")
        );
        // An ARG of another stage does not reach this one.
        assert_eq!(
            positions(&USER_NOT_NUMERIC, "FROM a:1\nARG U\nFROM b:1\nUSER $U\n"),
            [(4, 6)]
        );
    }

    #[test]
    fn numeric_ids_and_build_arguments_are_fine() {
        for user in [
            "10001",
            "0",
            "1000:1000",
            "1000:app",
            "$APP_USER",
            "${UID}:${GID}",
            "${APP_USER}",
            "$NUMERIC",
            "1000:$GID",
        ] {
            let source =
                format!("FROM a:1\nARG APP_USER=app\nARG UID\nENV NUMERIC=1000\nUSER {user}\n");
            assert!(positions(&USER_NOT_NUMERIC, &source).is_empty(), "{user}");
        }
        // A global ARG, and ENV copied from an ARG whose value is numeric.
        for source in [
            "ARG U\nFROM a:1\nUSER $U\n",
            "FROM a:1\nARG U=1000\nENV U=$U\nUSER $U\n",
            "FROM a:1\nONBUILD USER $U\n",
        ] {
            assert!(positions(&USER_NOT_NUMERIC, source).is_empty(), "{source}");
        }
    }
}
