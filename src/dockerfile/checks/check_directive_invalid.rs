//! PC8055 check-directive-invalid: `# check=` values BuildKit refuses, and check names it does
//! not know. The directive itself is applied as policy by `config::check_directive`.

use std::collections::BTreeSet;

use super::undefined_variable::closest;
use super::Context;
use crate::config::check_directive::{comment_value, CheckOptions, BUILDKIT_CHECKS};
use crate::dockerfile::ast::Span;
use crate::finding::Severity;
use crate::rules::CHECK_DIRECTIVE_INVALID;

pub(crate) fn check(ctx: &mut Context) {
    let source = &ctx.file.source;
    // Each `check=` comment once: (span of its whole line, its value).
    let mut directives: Vec<(Span, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    for directive in ctx.file.directives.iter().filter(|d| d.name == "check") {
        if seen.insert(directive.span) {
            directives.push((directive.span, directive.value.clone()));
        }
    }
    for instruction in &ctx.file.instructions {
        for comment in &instruction.prev_comments {
            if let Some(value) = comment_value(&comment.text) {
                if seen.insert(comment.span) {
                    directives.push((comment.span, value.to_owned()));
                }
            }
        }
    }
    let mut reports: Vec<(Span, String, Severity)> = Vec::new();
    for (span, value) in directives {
        let line = source.get(span.start..span.end).unwrap_or_default();
        let value_start = line
            .rfind(value.as_str())
            .map_or(span.start, |i| span.start + i);
        let value_span = Span::new(value_start, value_start + value.len());
        match CheckOptions::parse(&value) {
            Err(problem) => reports.push((
                value_span,
                format!("BuildKit cannot read this check directive and stops the build: {problem}"),
                Severity::Error,
            )),
            Ok(options) => {
                for name in options.skip.iter().chain(&options.experimental) {
                    if BUILDKIT_CHECKS.contains(&name.as_str()) {
                        continue;
                    }
                    let at = line[value_start - span.start..]
                        .find(name.as_str())
                        .map_or(value_span, |i| {
                            Span::new(value_start + i, value_start + i + name.len())
                        });
                    let hint = closest(name, BUILDKIT_CHECKS)
                        .or_else(|| {
                            BUILDKIT_CHECKS
                                .iter()
                                .copied()
                                .find(|c| c.eq_ignore_ascii_case(name))
                        })
                        .map_or_else(
                            || ": remove it, or write the name of a BuildKit check".to_owned(),
                            |c| format!("; did you mean `{c}`?"),
                        );
                    reports.push((
                        at,
                        format!(
                            "`{name}` names no BuildKit check, so the directive does nothing for it{hint}"
                        ),
                        Severity::Warning,
                    ));
                }
            }
        }
    }
    for (span, message, severity) in reports {
        ctx.report(&CHECK_DIRECTIVE_INVALID, message, span).severity = severity;
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::finding::Severity;
    use crate::rules::CHECK_DIRECTIVE_INVALID;

    #[test]
    fn an_unreadable_directive_is_an_error_at_its_value() {
        let source = "# check=skip=StageNameCasing;error=yes\nFROM a:1\n";
        let found = findings(&CHECK_DIRECTIVE_INVALID, source);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(
            found[0].message,
            "BuildKit cannot read this check directive and stops the build: `error=yes` is not a boolean: write `error=true` or `error=false`"
        );
        assert_eq!(
            flagged(&CHECK_DIRECTIVE_INVALID, source),
            ["skip=StageNameCasing;error=yes"]
        );
    }

    #[test]
    fn unknown_check_names_are_warnings_with_a_suggestion() {
        let source = "# check=skip=JSONArgsRecomended,undefinedvar\nFROM a:1\n";
        let found = findings(&CHECK_DIRECTIVE_INVALID, source);
        let got: Vec<_> = found
            .iter()
            .map(|f| (f.severity, f.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (Severity::Warning, "`JSONArgsRecomended` names no BuildKit check, so the directive does nothing for it; did you mean `JSONArgsRecommended`?"),
                (Severity::Warning, "`undefinedvar` names no BuildKit check, so the directive does nothing for it; did you mean `UndefinedVar`?"),
            ]
        );
        assert_eq!(
            positions(&CHECK_DIRECTIVE_INVALID, source),
            [(1, 14), (1, 33)]
        );
    }

    #[test]
    fn comments_above_instructions_are_checked_too() {
        let source = "FROM a:1\n# check=skip=UndefinedVar;bad=1\nCOPY $X /x\n";
        assert_eq!(positions(&CHECK_DIRECTIVE_INVALID, source), [(2, 9)]);
    }

    #[test]
    fn valid_directives_are_fine() {
        for source in [
            "# check=skip=all;error=true\nFROM a:1\n",
            "# check=experimental=InvalidDefinitionDescription\nFROM a:1\n",
            "FROM a:1\n# check=skip=UndefinedVar\nCOPY $X /x\n",
            "# a comment about checks\nFROM a:1\n",
        ] {
            assert!(
                findings(&CHECK_DIRECTIVE_INVALID, source).is_empty(),
                "{source}"
            );
        }
    }
}
