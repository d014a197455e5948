//! PC8042 pipe-failure-masked.

use std::ops::Range;

use super::{Context, RunScript};
use crate::dockerfile::shell::{basename, Command};
use crate::dockerfile::Span;
use crate::rules::PIPE_FAILURE_MASKED;

/// Shells whose `-o pipefail` the rule trusts (matched by basename, as hadolint does).
const PIPEFAIL_SHELLS: &[&str] = &["bash", "zsh", "ash", "ksh"];
/// Producers that can hardly fail: their pipelines are still reported, with a milder message.
const LOW_RISK_PRODUCERS: &[&str] = &["echo", "printf", "yes", "true"];

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    for run in ctx.runs().iter() {
        let Some(first) = run.first() else { continue };
        let instruction = first.instruction;
        // The SHELL in force (for ONBUILD steps, the one the image ends with).
        let shell = (!instruction.json_form).then_some(&first.shell);
        if shell.is_some_and(|words| is_foreign(&words[0])) {
            continue;
        }
        let shell_pipefail = shell.is_some_and(|words| {
            PIPEFAIL_SHELLS.contains(&basename(&words[0])) && has_pipefail_option(&words[1..])
        });
        // One finding per RUN: its first pipeline with a producer that can really fail, else
        // its first pipeline at all.
        let mut chosen: Option<(&RunScript, Pipeline)> = None;
        for (n, script) in run.iter().enumerate() {
            let inherited = if n == 0 {
                shell_pipefail
            } else {
                heredoc_pipefail(run, script, shell_pipefail)
            };
            for pipeline in masked_pipelines(&script.commands, inherited) {
                let risky = pipeline.low_risk.is_none();
                if chosen.is_none() || risky {
                    chosen = Some((script, pipeline));
                }
                if risky {
                    break;
                }
            }
            if chosen.as_ref().is_some_and(|(_, p)| p.low_risk.is_none()) {
                break;
            }
        }
        if let Some((script, pipeline)) = chosen {
            reports.push((script.span(pipeline.range.clone()), message(&pipeline)));
        }
    }
    for (span, message) in reports {
        ctx.report(&PIPE_FAILURE_MASKED, message, span);
    }
}

/// PowerShell and cmd have no POSIX pipelines.
fn is_foreign(program: &str) -> bool {
    ["pwsh", "powershell", "cmd"].iter().any(|name| {
        program
            .as_bytes()
            .windows(name.len())
            .any(|w| w.eq_ignore_ascii_case(name.as_bytes()))
    })
}

/// `-o pipefail`, also bundled as in `-euo pipefail`.
fn has_pipefail_option<S: AsRef<str>>(args: &[S]) -> bool {
    args.windows(2).any(|pair| {
        let (option, name) = (pair[0].as_ref(), pair[1].as_ref());
        name == "pipefail"
            && option.starts_with('-')
            && !option.starts_with("--")
            && option.ends_with('o')
    })
}

/// Whether a heredoc script starts with pipefail on: from `RUN bash -o pipefail <<EOF`, or from
/// the SHELL for `RUN <<EOF` bodies without a `#!` line.
fn heredoc_pipefail(run: &[RunScript], script: &RunScript, shell_pipefail: bool) -> bool {
    let line = &run[0].commands;
    match line.as_slice() {
        [] => {
            let shebang = script
                .instruction
                .heredocs
                .first()
                .is_some_and(|h| h.content.starts_with("#!"));
            shell_pipefail && !shebang
        }
        [only] => {
            let words: Vec<&str> = only.args().iter().map(|w| w.text.as_str()).collect();
            only.program().is_some_and(|p| PIPEFAIL_SHELLS.contains(&p))
                && has_pipefail_option(&words)
        }
        _ => false,
    }
}

/// A pipeline that runs without pipefail.
struct Pipeline {
    range: Range<usize>,
    /// The first producer (every command but the last).
    producer: String,
    /// When every producer is one of [`LOW_RISK_PRODUCERS`]: the first of them.
    low_risk: Option<&'static str>,
}

/// The pipelines of `commands` that run without pipefail, in order.
fn masked_pipelines(commands: &[Command], inherited: bool) -> Vec<Pipeline> {
    let mut out = Vec::new();
    if inherited {
        return out;
    }
    // Ranges of the script from which pipefail is on: after `set -o pipefail`, and inside
    // `bash -o pipefail -c '…'`.
    let mut covered: Vec<Range<usize>> = Vec::new();
    for (n, command) in commands.iter().enumerate() {
        let range = command.range();
        let sets_pipefail = || {
            let args: Vec<&str> = command.args().iter().map(|w| w.text.as_str()).collect();
            has_pipefail_option(&args)
        };
        match command.program() {
            Some("set") if sets_pipefail() => covered.push(range.start..usize::MAX),
            Some(p) if PIPEFAIL_SHELLS.contains(&p) && sets_pipefail() => {
                covered.push(range.clone());
            }
            _ => {}
        }
        if !command.pipes_into_next || command.piped_from_previous {
            continue;
        }
        if covered
            .iter()
            .any(|c| c.start <= range.start && range.end <= c.end)
        {
            continue;
        }
        // The pipeline's members, skipping commands nested inside a member (`sh -c '…' | x`).
        let mut members = vec![command];
        for next in &commands[n + 1..] {
            let inside = members.iter().any(|m| {
                let r = m.range();
                // Strictly inside: exec-form scripts give every command the same range.
                r != next.range() && r.start <= next.range().start && next.range().end <= r.end
            });
            if inside {
                continue;
            }
            if !next.piped_from_previous {
                break;
            }
            members.push(next);
        }
        let Some((last, producers)) = members.split_last() else {
            continue;
        };
        if producers.is_empty() {
            continue;
        }
        let low_risk = producers
            .iter()
            .map(|c| {
                c.program()
                    .and_then(|p| LOW_RISK_PRODUCERS.iter().find(|&&l| l == p).copied())
            })
            .collect::<Option<Vec<&'static str>>>()
            .and_then(|names| names.first().copied());
        out.push(Pipeline {
            range: range.start..last.range().end,
            producer: producers[0]
                .program()
                .unwrap_or("the first command")
                .to_owned(),
            low_risk,
        });
    }
    out
}

fn message(pipeline: &Pipeline) -> String {
    const FIX: &str = "set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN or start the script with `set -o pipefail`";
    match pipeline.low_risk {
        None => format!(
            "without pipefail only the last command of this pipeline can fail the build, so a failing `{}` goes unnoticed: {FIX}",
            pipeline.producer
        ),
        Some("yes") => "without pipefail only the last command of this pipeline can fail the build; here that is what keeps it working, since `yes` is killed by SIGPIPE once the reader exits and would fail the pipeline under pipefail: prefer the reader's own non-interactive option (such as `-y`), then set pipefail for the rest of the RUN".to_owned(),
        Some(producer) => format!(
            "without pipefail only the last command of this pipeline can fail the build; `{producer}` hardly ever fails, so the risk is low here, but a RUN with pipes is safer with pipefail on: {FIX}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::PIPE_FAILURE_MASKED;

    #[test]
    fn flags_the_first_pipeline_of_a_run_without_pipefail() {
        assert_eq!(
            flagged(
                &PIPE_FAILURE_MASKED,
                "FROM a:1\nRUN apt-get update && curl -fsSL https://x | tar -xz -C /opt && wget -qO- y | sh\n"
            ),
            ["curl -fsSL https://x | tar -xz -C /opt"]
        );
        assert_eq!(
            positions(
                &PIPE_FAILURE_MASKED,
                "FROM a:1\nRUN make && \\\n    ./gen | sort > out\n"
            ),
            [(3, 5)]
        );
        assert_eq!(
            positions(
                &PIPE_FAILURE_MASKED,
                "FROM a:1\nRUN <<EOF\nset -e\n  ./gen | sort > out\nEOF\n"
            ),
            [(4, 3)]
        );
        // A SHELL without pipefail, or with it on a shell that does not take it.
        for shell in [
            r#"["/bin/bash", "-c"]"#,
            r#"["/bin/sh", "-o", "pipefail", "-c"]"#,
        ] {
            let source = format!("FROM a:1\nSHELL {shell}\nRUN a | b\n");
            assert_eq!(
                positions(&PIPE_FAILURE_MASKED, &source),
                [(3, 5)],
                "{shell}"
            );
        }
        // `RUN bash <<EOF` does not inherit the SHELL's options.
        assert_eq!(
            positions(
                &PIPE_FAILURE_MASKED,
                "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN bash <<EOF\na | b\nEOF\n"
            ),
            [(4, 1)]
        );
        assert_eq!(
            positions(&PIPE_FAILURE_MASKED, "FROM a:1\nONBUILD RUN a | b\n"),
            [(2, 13)]
        );
        assert_eq!(
            flagged(
                &PIPE_FAILURE_MASKED,
                "FROM a:1\nRUN [\"sh\", \"-c\", \"a | b\"]\n"
            ),
            ["\"a | b\""]
        );
        let found = findings(&PIPE_FAILURE_MASKED, "FROM a:1\nRUN curl x | sh\n");
        assert!(found[0].is_named_by("DL4006"));
        assert!(found[0].message.contains("`curl`"), "{}", found[0].message);
    }

    #[test]
    fn pipefail_from_shell_set_or_wrapper_is_fine() {
        for source in [
            "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
            "FROM a:1\nSHELL [\"/bin/ash\", \"-euxo\", \"pipefail\", \"-c\"]\nRUN a | b\n",
            "FROM a:1 AS base\nSHELL [\"zsh\", \"-o\", \"pipefail\", \"-c\"]\nFROM base\nRUN a | b\n",
            "FROM a:1\nRUN set -euo pipefail && a | b\n",
            "FROM a:1\nRUN <<EOF\nset -o pipefail\na | b\nEOF\n",
            "FROM a:1\nRUN bash -o pipefail <<EOF\na | b\nEOF\n",
            "FROM a:1\nRUN bash -o pipefail -c 'a | b'\n",
            "FROM a:1\nSHELL [\"bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN <<EOF\na | b\nEOF\n",
            "FROM mcr.microsoft.com/windows:ltsc\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-Item x | Remove-Item\n",
            "FROM a:1\nSHELL [\"bash\", \"-o\", \"pipefail\", \"-c\"]\nONBUILD RUN a | b\n",
            "FROM a:1\nRUN a > b 2>&1\n",
        ] {
            assert!(positions(&PIPE_FAILURE_MASKED, source).is_empty(), "{source}");
        }
    }

    #[test]
    fn pipelines_fed_by_echo_or_printf_are_reported_as_low_risk() {
        for (source, text, producer) in [
            (
                "FROM a:1\nRUN echo 'root:pw' | chpasswd\n",
                "echo 'root:pw' | chpasswd",
                "echo",
            ),
            (
                "FROM a:1\nRUN useradd -m d && echo \"d:x\" | chpasswd && adduser d sudo\n",
                "echo \"d:x\" | chpasswd",
                "echo",
            ),
            (
                "FROM a:1\nRUN printf '%s\\n' a b | xargs apt-get install -y\n",
                "printf '%s\\n' a b | xargs apt-get install -y",
                "printf",
            ),
            (
                "FROM a:1\nRUN echo curl wget | xargs apt-get install -y\n",
                "echo curl wget | xargs apt-get install -y",
                "echo",
            ),
            (
                "FROM a:1\nRUN echo \"$SUM  f\" | sha256sum -c - && a || b\n",
                "echo \"$SUM  f\" | sha256sum -c -",
                "echo",
            ),
        ] {
            assert_eq!(flagged(&PIPE_FAILURE_MASKED, source), [text], "{source}");
            let found = findings(&PIPE_FAILURE_MASKED, source);
            assert!(found[0].is_named_by("DL4006"));
            assert!(
                found[0]
                    .message
                    .contains(&format!("`{producer}` hardly ever fails")),
                "{}",
                found[0].message
            );
        }
        let found = findings(
            &PIPE_FAILURE_MASKED,
            "FROM a:1\nRUN yes | apt-get install x\n",
        );
        assert!(found[0].message.contains("SIGPIPE"), "{}", found[0].message);
    }

    #[test]
    fn pipes_after_semicolons_continuations_and_in_bash_heredocs() {
        // After `;` on a continuation line, as in long `set -eux; …` RUNs.
        assert_eq!(
            positions(
                &PIPE_FAILURE_MASKED,
                "FROM a:1\nRUN set -eux; \\\n    cd /src; \\\n    echo \"$SUM  x.tgz\" | sha256sum -c -; \\\n    make\n"
            ),
            [(4, 5)]
        );
        // A heredoc run through its `#!/bin/bash` line does not get the SHELL's options.
        let source = "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN <<EOF\n#!/bin/bash\npip install x\n  curl -s https://x | bash\nEOF\n";
        assert_eq!(positions(&PIPE_FAILURE_MASKED, source), [(6, 3)]);
        // …unless the script turns pipefail on itself.
        let source =
            "FROM a:1\nRUN <<EOF\n#!/bin/bash\nset -euo pipefail\ncurl -s https://x | bash\nEOF\n";
        assert!(positions(&PIPE_FAILURE_MASKED, source).is_empty());
    }

    #[test]
    fn one_finding_per_run_preferring_a_producer_that_can_fail() {
        let source =
            "FROM a:1\nRUN echo x | tee /log && curl -fsSL https://x | sh && wget -qO- y | sh\n";
        assert_eq!(
            flagged(&PIPE_FAILURE_MASKED, source),
            ["curl -fsSL https://x | sh"]
        );
        let source = "FROM a:1\nRUN echo a | tee /a; printf b | tee /b\n";
        assert_eq!(flagged(&PIPE_FAILURE_MASKED, source), ["echo a | tee /a"]);
        // In a heredoc body too.
        let source = "FROM a:1\nRUN <<EOF\necho a | tee /a\ncurl x | tar -x\nEOF\n";
        assert_eq!(flagged(&PIPE_FAILURE_MASKED, source), ["curl x | tar -x"]);
        assert_eq!(positions(&PIPE_FAILURE_MASKED, source), [(4, 1)]);
    }
}
