//! PC2006 secret-build-arg-in-run.
//!
//! `secret-name-in-arg-env` reports the `ARG` itself; this check reports the `RUN` that exposes
//! the value, so the two never point at the same place.

use std::ops::Range;

use super::{Context, RunScript};
use crate::dockerfile::stages::{arg_declarations, env_pairs};
use crate::dockerfile::{Instruction, Keyword, Span};
use crate::rules::{is_secret_name, SECRET_BUILD_ARG_IN_RUN};

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    let runs = ctx.runs();
    for stage in &ctx.build.stages {
        let instructions = &ctx.file.instructions;
        let secret_args: Vec<(usize, String)> = stage
            .body
            .clone()
            .filter(|&n| instructions[n].keyword == Keyword::Arg)
            .flat_map(|n| {
                arg_declarations(&instructions[n])
                    .into_iter()
                    .map(move |(name, _)| (n, name))
            })
            .filter(|(_, name)| is_secret_name(name))
            .collect();
        for (declared, name) in secret_args {
            // RUNs of this stage after the ARG, until an ENV of the same name takes over.
            let overridden = |at: usize| {
                let ancestors = ctx.build.lineage(stage.index).into_iter().skip(1);
                let mut earlier = ancestors
                    .flat_map(|s| s.body.clone())
                    .chain(stage.body.start..at);
                earlier.any(|n| {
                    instructions[n].keyword == Keyword::Env
                        && env_pairs(&instructions[n]).iter().any(|(k, _)| *k == name)
                })
            };
            let steps: Vec<&Vec<RunScript>> = runs
                .iter()
                .filter(|r| {
                    r.first().is_some_and(|s| {
                        !s.onbuild
                            && s.index > declared
                            && stage.body.contains(&s.index)
                            && !overridden(s.index)
                            && !secret_mount(s.instruction, &name, false)
                    })
                })
                .collect();
            let mut explicit = false;
            for run in &steps {
                if let Some(span) = first_reference(ctx, run, &name) {
                    explicit = true;
                    reports.push((
                        span,
                        format!(
                            "this RUN reads build argument {name}, which looks like a secret: BuildKit records its value in the image history; use `RUN --mount=type=secret,id={name},env={name}`"
                        ),
                    ));
                }
            }
            let implicit = steps
                .iter()
                .find(|r| !secret_mount(r[0].instruction, &name, true));
            if let (false, Some(run)) = (explicit, implicit) {
                reports.push((
                    run[0].instruction.keyword_span,
                    format!(
                        "build argument {name} looks like a secret and is in the environment of this RUN, so BuildKit records its value in the image history: pass it with `RUN --mount=type=secret,id={name},env={name}` instead"
                    ),
                ));
            }
        }
    }
    for (span, message) in reports {
        ctx.report(&SECRET_BUILD_ARG_IN_RUN, message, span);
    }
}

/// Whether the RUN mounts a secret into `$name` (or, with `any_id`, mounts a secret with that id
/// at all, which shows the ARG is a leftover).
fn secret_mount(instruction: &Instruction, name: &str, any_id: bool) -> bool {
    instruction
        .flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_deref())
        .any(|value| {
            let fields: Vec<(&str, &str)> = value
                .split(',')
                .map(|field| field.split_once('=').unwrap_or((field, "")))
                .map(|(k, v)| (k.trim(), v.trim()))
                .collect();
            let has = |key: &str, val: &str| fields.iter().any(|(k, v)| *k == key && *v == val);
            has("type", "secret") && (has("env", name) || (any_id && has("id", name)))
        })
}

/// The first `$name`/`${name…}` in the RUN's text: its line, heredoc bodies that the shell
/// expands, or its exec-form arguments.
fn first_reference(ctx: &Context, run: &[RunScript], name: &str) -> Option<Span> {
    let instruction = run.first()?.instruction;
    if instruction.json_form {
        return instruction
            .args
            .iter()
            .find(|a| reference(&a.value, name).is_some())
            .map(|a| a.span);
    }
    let rest = instruction.rest.clone();
    if let Some(found) = reference(instruction.rest(), name) {
        return Some(
            instruction
                .line
                .span(rest.start + found.start..rest.start + found.end),
        );
    }
    for (n, heredoc) in instruction.heredocs.iter().enumerate() {
        // A quoted delimiter stops expansion, unless the body is the script itself.
        let is_script = n == 0 && run.len() > 1;
        if heredoc.quoted && !is_script {
            continue;
        }
        let body = &ctx.file.source[heredoc.body_span.start..heredoc.body_span.end];
        if let Some(found) = reference(body, name) {
            let base = heredoc.body_span.start;
            return Some(Span::new(base + found.start, base + found.end));
        }
    }
    None
}

/// Where `text` expands `$name` or `${name…}`.
fn reference(text: &str, name: &str) -> Option<Range<usize>> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices('$').find_map(|(at, _)| {
        if text[..at].ends_with('\\') {
            return None;
        }
        let after = &text[at + 1..];
        if let Some(rest) = after.strip_prefix(name) {
            if !rest.starts_with(is_ident) {
                return Some(at..at + 1 + name.len());
            }
        }
        let rest = after.strip_prefix('{')?.strip_prefix(name)?;
        if rest.starts_with(is_ident) {
            return None;
        }
        let close = rest.find('}').map_or(0, |i| i + 1);
        Some(at..at + 2 + name.len() + close)
    })
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::{SECRET_BUILD_ARG_IN_RUN, SECRET_NAME_IN_ARG_ENV};

    #[test]
    fn flags_references_to_secret_build_args_in_run() {
        assert_eq!(
            flagged(
                &SECRET_BUILD_ARG_IN_RUN,
                "FROM a:1\nARG NPM_TOKEN\nRUN echo \"//r/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci\n"
            ),
            ["${NPM_TOKEN}"]
        );
        assert_eq!(
            positions(
                &SECRET_BUILD_ARG_IN_RUN,
                "FROM a:1\nARG DB_PASSWORD=x\nRUN setup \\\n  --password=$DB_PASSWORD\n"
            ),
            [(4, 14)]
        );
        assert_eq!(
            positions(
                &SECRET_BUILD_ARG_IN_RUN,
                "FROM a:1\nARG GITHUB_TOKEN\nRUN <<EOF\nset -e\ngit clone https://$GITHUB_TOKEN@x/y\nEOF\n"
            ),
            [(5, 19)]
        );
        assert_eq!(
            flagged(
                &SECRET_BUILD_ARG_IN_RUN,
                "FROM a:1\nARG API_KEY\nRUN [\"sh\", \"-c\", \"curl -H $API_KEY x\"]\n"
            ),
            ["\"curl -H $API_KEY x\""]
        );
        // The ARG declaration itself is the other rule's finding, not this one's.
        let source = "FROM a:1\nARG NPM_TOKEN\nRUN npm ci --token $NPM_TOKEN\n";
        assert_eq!(positions(&SECRET_BUILD_ARG_IN_RUN, source), [(3, 20)]);
        assert_eq!(positions(&SECRET_NAME_IN_ARG_ENV, source), [(2, 5)]);
    }

    #[test]
    fn a_secret_arg_in_the_environment_of_a_run_is_reported_once() {
        let source = "FROM a:1\nARG NPM_TOKEN\nCOPY . .\nRUN npm ci\nRUN npm run build\n";
        assert_eq!(positions(&SECRET_BUILD_ARG_IN_RUN, source), [(4, 1)]);
        let found = findings(&SECRET_BUILD_ARG_IN_RUN, source);
        assert!(
            found[0].message.contains("environment"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn secret_mounts_env_other_stages_and_public_names_are_fine() {
        for source in [
            "FROM a:1\nRUN --mount=type=secret,id=NPM_TOKEN,env=NPM_TOKEN npm ci\n",
            "FROM a:1\nARG NPM_TOKEN\nRUN --mount=type=secret,id=NPM_TOKEN,env=NPM_TOKEN npm ci --t $NPM_TOKEN\n",
            "FROM a:1\nARG NPM_TOKEN\nRUN --mount=type=secret,id=NPM_TOKEN npm ci\n",
            "FROM a:1\nENV API_TOKEN=x\nRUN echo $API_TOKEN\n",
            "FROM a:1\nARG API_TOKEN\nENV API_TOKEN=$API_TOKEN\nRUN echo $API_TOKEN\n",
            "ARG NPM_TOKEN\nFROM a:1\nRUN echo $NPM_TOKEN\n",
            "FROM a:1\nARG NPM_TOKEN\nFROM b:1\nRUN echo $NPM_TOKEN\n",
            "FROM a:1\nARG NODE_VERSION\nRUN echo $NODE_VERSION\n",
            "FROM a:1\nARG GPG_KEY\nRUN gpg --recv-keys $GPG_KEY\n",
            "FROM a:1\nARG NPM_TOKEN\nONBUILD RUN echo $NPM_TOKEN\n",
            "FROM a:1\nRUN echo $NPM_TOKEN\nARG NPM_TOKEN\n",
        ] {
            assert!(positions(&SECRET_BUILD_ARG_IN_RUN, source).is_empty(), "{source}");
        }
        // `$NPM_TOKENS` is another variable; the ARG is still in the environment.
        assert_eq!(
            positions(
                &SECRET_BUILD_ARG_IN_RUN,
                "FROM a:1\nARG NPM_TOKEN\nRUN echo $NPM_TOKENS \\$NPM_TOKEN\n"
            ),
            [(3, 1)]
        );
    }
}
