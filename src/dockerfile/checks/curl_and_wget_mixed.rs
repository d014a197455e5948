//! PC4025 curl-and-wget-mixed.

use std::collections::BTreeMap;

use super::Context;
use crate::dockerfile::shell::basename;
use crate::dockerfile::Span;
use crate::rules::CURL_AND_WGET_MIXED;

const TOOLS: [&str; 2] = ["curl", "wget"];

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    // Per stage: the first use of each tool, by name.
    let mut seen: BTreeMap<usize, BTreeMap<&str, usize>> = BTreeMap::new();
    for run in ctx.runs().iter() {
        let Some(first) = run.first() else { continue };
        let Some(stage) = ctx.build.stage_of(first.index) else {
            continue;
        };
        let used = seen.entry(stage.index).or_default();
        let mut here: Option<(Span, &str)> = None;
        for script in run {
            for command in &script.commands {
                let Some(index) = command.program_index() else {
                    continue;
                };
                let word = &command.words[index];
                if let Some(tool) = TOOLS.iter().find(|t| **t == basename(&word.text)) {
                    used.entry(tool).or_insert(first.index);
                    if here.is_none() {
                        here = Some((script.span(word.range.clone()), tool));
                    }
                }
            }
        }
        if let (Some((span, tool)), 2) = (here, used.len()) {
            let other = TOOLS
                .iter()
                .find(|t| **t != tool)
                .copied()
                .unwrap_or_default();
            let line = ctx.file.instructions[used[other]].start_line;
            reports.push((
                span,
                format!("this stage uses both `{tool}` and `{other}` (line {line}): download everything with one of them"),
            ));
        }
    }
    for (span, message) in reports {
        ctx.report(&CURL_AND_WGET_MIXED, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, positions};
    use crate::rules::CURL_AND_WGET_MIXED;

    #[test]
    fn flags_every_run_from_the_second_tool_on() {
        let source = "FROM a:1\nRUN curl -fsSLO https://x/a\nRUN wget -q https://x/b\nRUN echo\nRUN curl -O https://x/c\n";
        assert_eq!(positions(&CURL_AND_WGET_MIXED, source), [(3, 5), (5, 5)]);
        let found = findings(&CURL_AND_WGET_MIXED, source);
        assert!(found[0].message.contains("line 2"), "{}", found[0].message);
        assert!(found[0].is_named_by("DL4001") && found[0].is_named_by("DS-0014"));
        assert_eq!(
            positions(
                &CURL_AND_WGET_MIXED,
                "FROM a:1\nRUN curl -O https://x/a && \\\n    wget -q https://x/b\n"
            ),
            [(2, 5)]
        );
        assert_eq!(
            positions(
                &CURL_AND_WGET_MIXED,
                "FROM a:1\nRUN wget -q https://x/a\nRUN make && \\\n    curl -O https://x/b\n"
            ),
            [(4, 5)]
        );
        assert_eq!(
            positions(
                &CURL_AND_WGET_MIXED,
                "FROM a:1\nRUN wget -q https://x/a\nRUN <<EOF\nset -e\n  curl -O https://x/b\nEOF\n"
            ),
            [(5, 3)]
        );
        assert_eq!(
            positions(
                &CURL_AND_WGET_MIXED,
                "FROM a:1\nRUN wget -q https://x/a\nONBUILD RUN curl -O https://x/b\n"
            ),
            [(3, 13)]
        );
    }

    #[test]
    fn one_tool_per_stage_and_installs_are_fine() {
        for source in [
            "FROM a:1\nRUN apt-get install -y curl wget && curl -O https://x/a\n",
            "FROM a:1\nRUN curl -O https://x/a\nFROM b:1\nRUN wget -q https://x/b\n",
            "FROM a:1\nRUN echo curl wget\n",
            "FROM a:1\nONBUILD RUN wget -q https://x/b\n",
        ] {
            assert!(
                positions(&CURL_AND_WGET_MIXED, source).is_empty(),
                "{source}"
            );
        }
    }
}
