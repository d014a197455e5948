//! PC8051 undefined-arg-in-from (BuildKit's UndefinedArgInFrom).

use super::undefined_variable::{closest, AllSet};
use super::Context;
use crate::dockerfile::ast::{Instruction, Keyword, Span};
use crate::dockerfile::expand::Lexer;
use crate::dockerfile::stages::arg_declarations;
use crate::dockerfile::stages::PLATFORM_ARGS;
use crate::rules::UNDEFINED_ARG_IN_FROM;

pub(crate) fn check(ctx: &mut Context) {
    let globals = global_arg_names(ctx);
    // Declared inside a stage: only looked at for the message of a finding.
    let declared_in_stage = |name: &str| {
        ctx.build
            .stages
            .iter()
            .flat_map(|s| ctx.file.instructions[s.body.clone()].iter())
            .filter(|i| i.keyword == Keyword::Arg)
            .any(|i| arg_declarations(i).iter().any(|(n, _)| n == name))
    };
    let lexer = Lexer::new(ctx.file.escape);
    let mut reports = Vec::new();
    for stage in &ctx.build.stages {
        let from = &ctx.file.instructions[stage.from];
        for (word, logical) in from_words(from) {
            if !word.contains('$') {
                continue;
            }
            let Ok(expansion) = lexer.process_word(&word, &AllSet) else {
                continue;
            };
            for reference in expansion.references {
                let name = reference.name.as_str();
                if reference.is_special()
                    || globals.iter().any(|g| g == name)
                    || PLATFORM_ARGS.contains(&name)
                {
                    continue;
                }
                let span = from.line.span(
                    logical.start + reference.range.start..logical.start + reference.range.end,
                );
                let message = if declared_in_stage(name) {
                    format!(
                        "`${name}` is declared by an ARG inside a stage, which FROM cannot see: declare `ARG {name}` before the first FROM"
                    )
                } else {
                    let mut options: Vec<&str> = globals.iter().map(String::as_str).collect();
                    options.extend(PLATFORM_ARGS);
                    let hint = closest(name, &options).map_or_else(
                        || ": declare it with `ARG` before the first FROM".to_owned(),
                        |s| format!("; did you mean `${s}`?"),
                    );
                    format!(
                        "`${name}` is not declared by an ARG before the first FROM, so it expands to an empty string{hint}"
                    )
                };
                reports.push((span, message));
            }
        }
    }
    for (span, message) in reports {
        ctx.report(&UNDEFINED_ARG_IN_FROM, message, span);
    }
}

/// Names the ARGs before the first `FROM` declare, in order.
pub(super) fn global_arg_names(ctx: &Context) -> Vec<String> {
    global_args(ctx).into_iter().map(|(n, _)| n).collect()
}

/// The ARGs before the first `FROM`: name and default as written.
pub(crate) fn global_args(ctx: &Context) -> Vec<(String, Option<String>)> {
    ctx.file
        .instructions
        .iter()
        .take_while(|i| i.keyword != Keyword::From)
        .filter(|i| i.keyword == Keyword::Arg)
        .flat_map(arg_declarations)
        .collect()
}

/// The words of a `FROM` the builder expands: the image and the `--platform` value, with the
/// logical range each was written at.
fn from_words(from: &Instruction) -> Vec<(String, std::ops::Range<usize>)> {
    let text = &from.line.text;
    let mut out = Vec::new();
    for flag in from.flags.iter().filter(|f| f.name == "platform") {
        let written = text.get(flag.logical.clone()).unwrap_or_default();
        if let Some(eq) = written.find('=') {
            out.push((
                written[eq + 1..].to_owned(),
                flag.logical.start + eq + 1..flag.logical.end,
            ));
        }
    }
    if let Some(image) = from.args.first() {
        if text.get(image.logical.clone()) == Some(image.value.as_str()) {
            out.push((image.value.clone(), image.logical.clone()));
        }
    }
    out
}

/// The span of the image word of a `FROM`.
pub(crate) fn image_span(from: &Instruction) -> Span {
    from.args.first().map_or(from.keyword_span, |a| a.span)
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::UNDEFINED_ARG_IN_FROM;

    fn messages(source: &str) -> Vec<String> {
        findings(&UNDEFINED_ARG_IN_FROM, source)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn flags_undeclared_args_with_a_suggestion() {
        let source = "ARG NODE_VERSION=20\nFROM node:${NODE_VERSON}-slim\n";
        assert_eq!(flagged(&UNDEFINED_ARG_IN_FROM, source), ["${NODE_VERSON}"]);
        assert_eq!(positions(&UNDEFINED_ARG_IN_FROM, source), [(2, 11)]);
        assert_eq!(
            messages(source),
            ["`$NODE_VERSON` is not declared by an ARG before the first FROM, so it expands to an empty string; did you mean `$NODE_VERSION`?"]
        );
    }

    #[test]
    fn declared_and_platform_args_are_fine() {
        let source = "ARG BASE\nARG TAG=1\nFROM --platform=$BUILDPLATFORM ${BASE}:$TAG AS b\n\
                      FROM --platform=${TARGETPLATFORM} b\n";
        assert!(messages(source).is_empty(), "{:?}", messages(source));
    }

    #[test]
    fn stage_args_are_invisible_to_from() {
        let source = "FROM a:1\nARG IMG=b\nFROM $IMG\n";
        let found = messages(source);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("inside a stage"), "{found:?}");
    }

    #[test]
    fn platform_flag_values_are_checked() {
        let source = "FROM --platform=$PLATFROM a:1\n";
        assert_eq!(flagged(&UNDEFINED_ARG_IN_FROM, source), ["$PLATFROM"]);
        let typo = "ARG ARCH=amd64\nFROM --platform=linux/$ARHC a:1\n";
        assert!(messages(typo)[0].ends_with("did you mean `$ARCH`?"));
    }

    #[test]
    fn continuation_lines_keep_exact_positions() {
        let source = "ARG V=1\nFROM \\\n  img:$VV\n";
        assert_eq!(positions(&UNDEFINED_ARG_IN_FROM, source), [(3, 7)]);
    }
}
