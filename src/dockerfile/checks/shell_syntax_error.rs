//! PC0010 shell-syntax-error.

use super::Context;
use crate::dockerfile::ParseErrorKind;
use crate::rules::SHELL_SYNTAX_ERROR;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for script in ctx.run_scripts() {
        let Some(error) = &script.syntax_error else {
            continue;
        };
        if !script.is_posix_shell() {
            continue;
        }
        // A heredoc the Dockerfile parser already reported as broken is not reported twice.
        let instruction = script.instruction.span;
        let reported = ctx.file.diagnostics.iter().any(|d| {
            d.kind == ParseErrorKind::Syntax
                && d.span.start < instruction.end.max(instruction.start + 1)
                && instruction.start < d.span.end.max(d.span.start + 1)
        });
        if reported {
            continue;
        }
        reports.push((
            script.span(error.range.clone()),
            format!(
                "the shell cannot parse this script: {}; the build fails at this step",
                error.message
            ),
        ));
    }
    for (span, message) in reports {
        ctx.report(&SHELL_SYNTAX_ERROR, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::{self, SHELL_SYNTAX_ERROR};

    #[test]
    fn points_at_the_problem_on_its_own_line_and_column() {
        // An `if` closed by `done`: the stray word, on the third line of the RUN.
        assert_eq!(
            positions(
                &SHELL_SYNTAX_ERROR,
                "FROM a:1\nRUN if true; then \\\n      make; \\\n    done\n"
            ),
            [(4, 5)]
        );
        // An `if` never closed: the `if`.
        assert_eq!(
            positions(
                &SHELL_SYNTAX_ERROR,
                "FROM a:1\nRUN set -e && \\\n    if true; then make; \\\n    echo done\n"
            ),
            [(3, 5)]
        );
        // An unterminated quote: the quote itself.
        assert_eq!(
            flagged(&SHELL_SYNTAX_ERROR, "FROM a:1\nRUN echo 'hi && make\n"),
            ["'"]
        );
        assert_eq!(
            positions(
                &SHELL_SYNTAX_ERROR,
                "FROM a:1\nRUN make && \\\n  echo \"x\n"
            ),
            [(3, 8)]
        );
        // A dangling `&&`.
        assert_eq!(
            flagged(&SHELL_SYNTAX_ERROR, "FROM a:1\nRUN make &&\n"),
            ["&&"]
        );
        // An unclosed `$(`.
        assert_eq!(
            flagged(&SHELL_SYNTAX_ERROR, "FROM a:1\nRUN echo $(id\n"),
            ["$("]
        );
        // Inside a command substitution.
        assert_eq!(
            flagged(
                &SHELL_SYNTAX_ERROR,
                "FROM a:1\nRUN echo \"$(if x; then y; done)\"\n"
            ),
            ["done"]
        );
        let found = findings(&SHELL_SYNTAX_ERROR, "FROM a:1\nRUN make &&\n");
        assert!(found[0].message.contains("`&&`"), "{}", found[0].message);
        assert!(found[0].is_named_by("SC1073"));
    }

    #[test]
    fn heredoc_bodies_onbuild_and_exec_form_are_checked() {
        assert_eq!(
            positions(
                &SHELL_SYNTAX_ERROR,
                "FROM a:1\nRUN <<EOF\nset -e\nfor f in a b; do\n  echo $f\nEOF\n"
            ),
            [(4, 1)]
        );
        assert_eq!(
            positions(
                &SHELL_SYNTAX_ERROR,
                "FROM a:1\nRUN bash <<EOF\n  echo ok\n  case $x in a) b;;\nEOF\n"
            ),
            [(4, 3)]
        );
        assert_eq!(
            positions(&SHELL_SYNTAX_ERROR, "FROM a:1\nONBUILD RUN echo )\n"),
            [(2, 18)]
        );
        assert_eq!(
            flagged(
                &SHELL_SYNTAX_ERROR,
                "FROM a:1\nRUN [\"sh\", \"-c\", \"if x\"]\n"
            ),
            ["\"if x\""]
        );
    }

    #[test]
    fn valid_scripts_and_foreign_shells_are_fine() {
        for source in [
            "FROM a:1\nRUN if [ -f x ]; then a; elif b; then c; else d; fi\n",
            "FROM a:1\nRUN for f in *.txt; do echo \"$f\"; done && while read l; do :; done < x\n",
            "FROM a:1\nRUN case \"$(uname -m)\" in x86_64) a=amd64;; *) a=arm64;; esac\n",
            "FROM a:1\nRUN f() { echo hi; }; f && (cd /x && make) | tee log\n",
            "FROM a:1\nRUN [[ -n \"${A:-}\" ]] && echo $((1 + 2)) `date` $'a\\tb'\n",
            "FROM a:1\nRUN cat <<EOF > /etc/x\nunbalanced ' quote ( here\nEOF\n",
            "FROM a:1\nRUN <<EOF\n#!/usr/bin/env python3\nprint('x'\nEOF\n",
            "FROM a:1\nRUN python3 <<EOF\nif x:\n  print('y'\nEOF\n",
            "FROM a:1\nRUN echo ok # it's a comment\n",
            "FROM a:1\nRUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y --no-install-recommends ca-certificates; \\\n    rm -rf /var/lib/apt/lists/*\n",
            // Not POSIX: PowerShell, cmd, Windows images, the hadolint shell pragma.
            "FROM a:1\nSHELL [\"pwsh\", \"-Command\"]\nRUN if ($x) { Write-Host 'a' } else { 'b\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo 'a\n",
            "# hadolint shell=powershell\nFROM a:1\nRUN echo 'a\n",
        ] {
            assert!(positions(&SHELL_SYNTAX_ERROR, source).is_empty(), "{source}");
        }
    }

    #[test]
    fn other_rules_still_see_the_commands_of_a_broken_script() {
        let source = "FROM a:1\nRUN echo 'unclosed && sudo make install\n";
        assert_eq!(positions(&SHELL_SYNTAX_ERROR, source), [(2, 10)]);
        let source = "FROM a:1\nRUN sudo make install && if true; then echo\n";
        assert_eq!(positions(&SHELL_SYNTAX_ERROR, source), [(2, 26)]);
        assert_eq!(positions(&rules::SUDO_USAGE, source), [(2, 5)]);
    }

    #[test]
    fn a_heredoc_the_file_parser_reported_is_not_reported_again() {
        let source = "FROM a:1\nRUN <<EOF\necho 'never terminated\n";
        assert!(positions(&SHELL_SYNTAX_ERROR, source).is_empty());
        assert!(!positions(&rules::SYNTAX_ERROR, source).is_empty());
    }

    #[test]
    fn words_point_at_their_line_and_column_wherever_they_are() {
        // Inside `bash -c "…"` with escaped quotes, on a continuation line.
        assert_eq!(
            positions(
                &rules::SUDO_USAGE,
                "FROM a:1\nRUN set -e; \\\n  bash -c \"echo \\\"a b\\\" && sudo id\"\n"
            ),
            [(3, 28)]
        );
        // In a heredoc body, as the command of `find -exec` on a continued line.
        assert_eq!(
            positions(
                &rules::SUDO_USAGE,
                "FROM a:1\nRUN <<EOF\nset -e\nfind / -perm /4000 -exec \\\n  sudo chmod u-s {} \\;\nEOF\n"
            ),
            [(5, 3)]
        );
        // In a command substitution on a continuation line, and after `xargs` in ONBUILD.
        assert_eq!(
            positions(
                &rules::SUDO_USAGE,
                "FROM a:1\nRUN echo \\\n  \"$(sudo id)\"\n"
            ),
            [(3, 6)]
        );
        assert_eq!(
            positions(
                &rules::SUDO_USAGE,
                "FROM a:1\nONBUILD RUN ls | xargs -r sudo rm\n"
            ),
            [(2, 27)]
        );
    }

    fn with_scripts(source: &str, inspect: impl Fn(&[&super::super::RunScript])) {
        let file = crate::dockerfile::parse(source);
        let args = std::collections::BTreeMap::new();
        let build = crate::dockerfile::stages::Build::new(&file, &args);
        let options = super::super::Options::default();
        let ctx =
            super::super::Context::new(&file, &build, &options, std::path::Path::new("Dockerfile"));
        let scripts: Vec<_> = ctx.run_scripts().collect();
        inspect(&scripts);
    }

    #[test]
    fn build_values_expand_in_run_scripts_but_not_in_onbuild() {
        let source = "FROM a:1\nARG DEPS=\"gcc make\"\nENV V=1.2\n\
                      RUN apt-get install -y $DEPS pkg=$V $NOPE\nONBUILD RUN echo $V\n";
        with_scripts(source, |scripts| {
            let words: Vec<&str> = scripts[0].commands[0]
                .words
                .iter()
                .map(|w| w.text.as_str())
                .collect();
            assert_eq!(
                words,
                ["apt-get", "install", "-y", "gcc", "make", "pkg=1.2", "$NOPE"]
            );
            let make = &scripts[0].commands[0].words[4];
            let span = scripts[0].span(make.range.clone());
            assert_eq!(&source[span.start..span.end], "$DEPS");
            assert_eq!(scripts[1].commands[0].words[1].text, "$V");
        });
    }

    #[test]
    fn each_script_knows_its_interpreter() {
        let source = "FROM a:1\nRUN a\nSHELL [\"pwsh\", \"-Command\"]\nRUN b\n\
                      RUN <<EOF\n#!/bin/bash -e\nc\nEOF\nRUN sh -e <<EOF\nd\nEOF\n\
                      FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN e\n";
        with_scripts(source, |scripts| {
            let shells: Vec<(String, bool)> = scripts
                .iter()
                .map(|s| (s.shell.join(" "), s.is_posix_shell()))
                .collect();
            assert_eq!(
                shells,
                [
                    ("/bin/sh -c".to_owned(), true),
                    ("pwsh -Command".to_owned(), false),
                    ("pwsh -Command".to_owned(), false),
                    ("/bin/bash -e".to_owned(), true),
                    ("pwsh -Command".to_owned(), false),
                    ("sh -e".to_owned(), true),
                    ("cmd /S /C".to_owned(), false),
                ]
            );
        });
    }
}
