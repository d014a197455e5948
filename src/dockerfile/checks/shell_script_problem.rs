//! PC0008 shell-script-problem: ShellCheck's comments on RUN scripts, at their real positions.

use super::Context;
use crate::dockerfile::shell::basename;
use crate::dockerfile::shellcheck::{code_id, Comment, Script};
use crate::dockerfile::Span;
use crate::rules::SHELL_SCRIPT_PROBLEM;

pub(crate) fn check(ctx: &mut Context) {
    let Some(shellcheck) = ctx.options.shellcheck.clone() else {
        return;
    };
    let mut scripts = Vec::new();
    let mut owners = Vec::new();
    for script in ctx.run_scripts() {
        // A line that only opens heredocs (`RUN <<EOF`) runs nothing itself; scripts the shell
        // cannot parse are already `shell-syntax-error` findings.
        let Some(text) = script
            .text(ctx.file)
            .filter(|_| !script.commands.is_empty() && script.syntax_error.is_none())
        else {
            continue;
        };
        let Some(stage) = ctx.build.stage_of(script.index) else {
            continue;
        };
        if !script.is_posix_shell() {
            continue;
        }
        // ShellCheck picks its dialect from the shebang's program name.
        let shell = match script.shell.first().map(|w| basename(w)) {
            Some("busybox") | None => "/bin/sh".to_owned(),
            Some(program) => format!("/bin/{program}"),
        };
        let defined = ctx
            .build
            .scope_before(stage.index, script.index)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        // The instruction line names its heredocs (`RUN <<EOF`, `cat <<A > f`): give ShellCheck
        // their bodies and terminators too, or it reports unterminated heredocs. Comments past
        // the line are dropped; bodies that are scripts are checked on their own.
        let mut full = text.to_owned();
        let is_line = std::ptr::eq(text, script.instruction.rest());
        if is_line {
            for heredoc in &script.instruction.heredocs {
                full.push('\n');
                full.push_str(&heredoc.content);
                full.push_str(&heredoc.name);
            }
        }
        scripts.push(Script {
            shell,
            defined,
            text: full,
        });
        owners.push((script, text.len()));
    }
    let comments = shellcheck.check(ctx.path, &scripts);
    let found: Vec<(Span, Comment)> = owners
        .iter()
        .zip(comments)
        .flat_map(|((script, len), comments)| {
            comments
                .into_iter()
                .filter(move |c| c.range.start < *len)
                .map(move |c| (script.span(c.range.start..c.range.end.min(*len)), c))
        })
        .collect();
    for (span, comment) in found {
        let finding = ctx.report(
            &SHELL_SCRIPT_PROBLEM,
            format!("SC{:04}: {}", comment.code, comment.message),
            span,
        );
        finding.severity = comment.severity;
        finding.aliases = vec![code_id(comment.code)];
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::dockerfile::checks::testing::findings_with;
    use crate::dockerfile::checks::Options;
    use crate::dockerfile::shellcheck::{Mode, ShellCheck};
    use crate::finding::{Finding, Severity};
    use crate::rules::SHELL_SCRIPT_PROBLEM;

    /// The real ShellCheck, or `None` (outside CI) when it is not installed.
    fn options() -> Option<Options> {
        match ShellCheck::locate(Mode::Auto).unwrap() {
            Some(shellcheck) => Some(Options {
                shellcheck: Some(Arc::new(shellcheck)),
                ..Options::default()
            }),
            None => {
                assert!(std::env::var_os("CI").is_none(), "CI must have shellcheck");
                None
            }
        }
    }

    fn found(source: &str) -> Vec<(String, u32, u32)> {
        let Some(options) = options() else {
            return Vec::new();
        };
        let findings: Vec<Finding> = findings_with(&SHELL_SCRIPT_PROBLEM, source, &options);
        findings
            .iter()
            .map(|f| {
                let start = f.location.region.unwrap().start;
                (f.aliases[0].to_owned(), start.line, start.column)
            })
            .collect()
    }

    #[test]
    fn comments_point_at_the_continuation_line_and_column() {
        if options().is_none() {
            return;
        }
        let source = "FROM debian:12\nRUN apt-get update && \\\n    rm -rf $target/cache\n";
        let got = found(source);
        assert!(got.contains(&("SC2154".into(), 3, 12)), "{got:?}");
        assert!(got.contains(&("SC2086".into(), 3, 12)), "{got:?}");
    }

    #[test]
    fn heredoc_bodies_and_onbuild_scripts_are_checked() {
        if options().is_none() {
            return;
        }
        let heredoc = "FROM debian:12\nRUN <<EOF\nset -e\nrm -rf $target\nEOF\n";
        assert!(
            found(heredoc).contains(&("SC2154".into(), 4, 8)),
            "{:?}",
            found(heredoc)
        );
        let onbuild = "FROM debian:12\nONBUILD RUN rm -rf $target\n";
        assert!(
            found(onbuild).contains(&("SC2154".into(), 2, 20)),
            "{:?}",
            found(onbuild)
        );
    }

    #[test]
    fn build_variables_are_defined_and_the_stage_shell_decides_the_dialect() {
        if options().is_none() {
            return;
        }
        let defined = "FROM debian:12\nARG VERSION=1\nENV HOME_DIR=/opt\nRUN echo \"$VERSION $HOME_DIR $http_proxy\"\n";
        assert!(found(defined).is_empty(), "{:?}", found(defined));
        // `[[` is a bashism under /bin/sh, fine under bash.
        let sh = "FROM debian:12\nRUN if [[ -e /x ]]; then echo y; fi\n";
        assert!(
            found(sh).iter().any(|(c, _, _)| c.starts_with("SC3")),
            "{:?}",
            found(sh)
        );
        let bash =
            "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN if [[ -e /x ]]; then echo y; fi\n";
        assert!(found(bash).is_empty(), "{:?}", found(bash));
    }

    #[test]
    fn foreign_shells_exec_form_and_clean_scripts_give_nothing() {
        if options().is_none() {
            return;
        }
        for source in [
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN echo $env:PATH\n",
            "# hadolint shell=pwsh\nFROM a:1\nRUN echo $x\n",
            "FROM a:1\nRUN [\"sh\", \"-c\", \"echo $x\"]\n",
            "FROM a:1\nRUN <<EOF\n#!/usr/bin/env python3\nprint($x)\nEOF\n",
            "FROM a:1\nRUN set -e; echo \"ready\"\n",
        ] {
            assert!(found(source).is_empty(), "{source}: {:?}", found(source));
        }
    }

    #[test]
    fn severity_follows_shellcheck_levels() {
        let Some(options) = options() else {
            return;
        };
        let findings = findings_with(
            &SHELL_SCRIPT_PROBLEM,
            "FROM a:1\nRUN echo $1 && cd /x\n",
            &options,
        );
        let sc2086 = findings.iter().find(|f| f.is_named_by("SC2086")).unwrap();
        assert_eq!(sc2086.severity, Severity::Info);
        assert!(sc2086.message.starts_with("SC2086: "), "{}", sc2086.message);
    }
}
