//! PC8023 shell-form-cmd.

use super::Context;
use crate::dockerfile::{Instruction, Keyword, Span};
use crate::rules::SHELL_FORM_CMD;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for stage in &ctx.build.stages {
        // BuildKit stays quiet once the image config has a shell: one set by SHELL in a stage
        // this one is built from, or earlier in this stage.
        let inherited_shell = ctx.build.lineage(stage.index).iter().skip(1).any(|s| {
            s.body
                .clone()
                .any(|n| ctx.file.instructions[n].keyword == Keyword::Shell)
        });
        let mut shell_set = inherited_shell;
        for n in stage.body.clone() {
            let instruction = &ctx.file.instructions[n];
            match instruction.keyword {
                Keyword::Shell => shell_set = true,
                Keyword::Cmd | Keyword::Entrypoint if !instruction.json_form => {
                    let name = instruction.keyword.as_str();
                    // `CMD --verbose`: the parser reads leading `--words` as flags, which
                    // BuildKit then rejects; the instruction is still in shell form.
                    let flag_like = !instruction.flags.is_empty();
                    let (span, text) = match (flag_words(instruction), instruction.args.first()) {
                        (Some(words), _) => words,
                        (None, Some(command)) => (command.span, command.value.as_str()),
                        (None, None) => continue,
                    };
                    let fix = match exec_form(text) {
                        Some(array) => format!("write `{name} {array}`"),
                        None => "write it as a JSON array, through `[\"/bin/sh\", \"-c\", \"exec …\"]` if it needs the shell"
                            .to_owned(),
                    };
                    let message = format!(
                        "{name} in shell form runs under `/bin/sh -c`, which becomes PID 1 and does not pass stop signals on to the program: {fix}"
                    );
                    // BuildKit stops at the unknown flag before its check could run.
                    let aliases: &[&str] = if shell_set || flag_like {
                        &["DL3025"]
                    } else {
                        &["DL3025", "JSONArgsRecommended"]
                    };
                    reports.push((span, message, aliases));
                }
                Keyword::Healthcheck if !instruction.json_form => {
                    let (Some(kind), Some(command)) =
                        (instruction.args.first(), instruction.args.get(1))
                    else {
                        continue;
                    };
                    if !kind.value.eq_ignore_ascii_case("CMD") {
                        continue;
                    }
                    let fix = match exec_form(&command.value) {
                        Some(array) => format!("write `HEALTHCHECK CMD {array}`"),
                        None => "write the command as a JSON array".to_owned(),
                    };
                    let message = format!(
                        "HEALTHCHECK CMD in shell form starts a shell inside the container for every probe, and fails for good in an image without `/bin/sh`: {fix}"
                    );
                    // BuildKit's JSONArgsRecommended is about CMD and ENTRYPOINT only.
                    let aliases: &[&str] = &["DL3025"];
                    reports.push((command.span, message, aliases));
                }
                _ => {}
            }
        }
    }
    for (span, message, aliases) in reports {
        ctx.report(&SHELL_FORM_CMD, message, span).aliases = aliases.to_vec();
    }
}

/// The span and text from the first word the parser took for a flag to the end of the
/// instruction (`None` without flags).
fn flag_words(instruction: &Instruction) -> Option<(Span, &str)> {
    let first = instruction.flags.first()?;
    let last = instruction.flags.last()?;
    let start = first.logical.start;
    let end = last.logical.end.max(instruction.rest.end);
    let text = instruction.line.text.get(start..end)?.trim_end();
    Some((instruction.line.span(start..start + text.len()), text))
}

/// The JSON array for a command made of plain words only (no quotes, variables or operators).
fn exec_form(command: &str) -> Option<String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:@,+%".contains(c);
    let mut words: Vec<&str> = command.split_whitespace().collect();
    // `exec` is the shell's: in exec form the program runs as PID 1 anyway.
    if words.first() == Some(&"exec") {
        words.remove(0);
    }
    if words.is_empty() || !words.iter().all(|w| w.chars().all(plain)) {
        return None;
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", quoted.join(", ")))
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::SHELL_FORM_CMD;

    #[test]
    fn shell_form_cmd_and_entrypoint_point_at_the_command() {
        assert_eq!(
            flagged(&SHELL_FORM_CMD, "FROM a:1\nCMD node server.js\n"),
            ["node server.js"]
        );
        assert_eq!(
            positions(
                &SHELL_FORM_CMD,
                "FROM a:1\nentrypoint   /app \\\n  --port 80\n"
            ),
            [(2, 14)]
        );
        let found = findings(&SHELL_FORM_CMD, "FROM a:1\nCMD app --port=80\n");
        assert!(found[0].is_named_by("DL3025") && found[0].is_named_by("JSONArgsRecommended"));
        assert!(found[0]
            .message
            .ends_with("write `CMD [\"app\", \"--port=80\"]`"));
        assert!(findings(
            &SHELL_FORM_CMD,
            "FROM a:1\nENTRYPOINT exec /app --port 80\n"
        )[0]
        .message
        .ends_with("write `ENTRYPOINT [\"/app\", \"--port\", \"80\"]`"));
        let found = findings(&SHELL_FORM_CMD, "FROM a:1\nCMD app --port $PORT\n");
        assert!(found[0].message.contains("exec …"));
    }

    #[test]
    fn a_shell_set_earlier_or_in_a_parent_stage_leaves_only_dl3025() {
        let source = "FROM a:1 AS base\nSHELL [\"/bin/bash\", \"-c\"]\nFROM base\nCMD app\n";
        let found = findings(&SHELL_FORM_CMD, source);
        assert_eq!(found.len(), 1);
        assert!(found[0].is_named_by("DL3025") && !found[0].is_named_by("JSONArgsRecommended"));

        let source = "FROM a:1\nCMD one\nSHELL [\"/bin/bash\", \"-c\"]\nENTRYPOINT two\n";
        let found = findings(&SHELL_FORM_CMD, source);
        assert!(found[0].is_named_by("JSONArgsRecommended"));
        assert!(!found[1].is_named_by("JSONArgsRecommended"));

        // A SHELL in an unrelated stage does not count.
        let source = "FROM a:1\nSHELL [\"/bin/bash\", \"-c\"]\nFROM b:1\nCMD app\n";
        assert!(findings(&SHELL_FORM_CMD, source)[0].is_named_by("JSONArgsRecommended"));
    }

    #[test]
    fn exec_form_empty_and_onbuild_are_not_reported() {
        for source in [
            "FROM a:1\nCMD [\"node\", \"server.js\"]\n",
            "FROM a:1\nENTRYPOINT [\"/bin/sh\", \"-c\", \"exec app\"]\n",
            "FROM a:1\nONBUILD CMD app\n",
            "FROM a:1\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n",
            "FROM a:1\nHEALTHCHECK NONE\n",
            "FROM a:1\nHEALTHCHECK --interval=5s CMD [\"true\"]\n",
            "FROM a:1\nONBUILD HEALTHCHECK CMD true\n",
        ] {
            assert!(positions(&SHELL_FORM_CMD, source).is_empty(), "{source}");
        }
    }

    #[test]
    fn shell_form_healthcheck_answers_to_dl3025_only() {
        let source = "FROM a:1\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n";
        assert_eq!(
            flagged(&SHELL_FORM_CMD, source),
            ["curl -f http://localhost/ || exit 1"]
        );
        let found = findings(&SHELL_FORM_CMD, source);
        assert!(found[0].is_named_by("DL3025") && !found[0].is_named_by("JSONArgsRecommended"));
        assert!(
            found[0].message.contains("JSON array"),
            "{}",
            found[0].message
        );
        // After options, on a continuation line, and with a malformed JSON array.
        assert_eq!(
            positions(
                &SHELL_FORM_CMD,
                "FROM a:1\nHEALTHCHECK --interval=5s \\\n    CMD pg_isready\n"
            ),
            [(3, 9)]
        );
        assert!(
            findings(&SHELL_FORM_CMD, "FROM a:1\nHEALTHCHECK CMD app --ping\n")[0]
                .message
                .ends_with("write `HEALTHCHECK CMD [\"app\", \"--ping\"]`")
        );
        assert_eq!(
            flagged(&SHELL_FORM_CMD, "FROM a:1\nHEALTHCHECK CMD [\"true\",]\n"),
            ["[\"true\",]"]
        );
        // Windows files with the backtick escape.
        let source = "# escape=`\nFROM a:1\nHEALTHCHECK CMD powershell -Command `\n  \"exit 0\"\n";
        assert_eq!(positions(&SHELL_FORM_CMD, source), [(3, 17)]);
    }

    #[test]
    fn words_read_as_flags_are_still_shell_form() {
        let source = "FROM a:1\nCMD --verbose\nENTRYPOINT   --config /etc/app.conf\n";
        assert_eq!(
            flagged(&SHELL_FORM_CMD, source),
            ["--verbose", "--config /etc/app.conf"]
        );
        assert_eq!(positions(&SHELL_FORM_CMD, source), [(2, 5), (3, 14)]);
        let found = findings(&SHELL_FORM_CMD, source);
        assert!(found[0].is_named_by("DL3025") && !found[0].is_named_by("JSONArgsRecommended"));
    }
}
