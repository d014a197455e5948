//! PC1002 sudo-usage, PC4001 add-instead-of-copy, PC4003 update-without-install and PC4004
//! package-cache-left on images: the build steps the image history records (`created_by`)
//! are turned back into Dockerfile instructions and given to the Dockerfile checks, so an image
//! is judged as its Dockerfile would be (Dockle's `DKL-DI-0001`, `CIS-DI-0009`, `CIS-DI-0007`,
//! `DKL-DI-0005`).
//!
//! Only `RUN` and `ADD` steps are rebuilt. The classic builder records local sources as
//! `ADD file:<hash> in <dest>`, which does not say whether the file was an archive (as a base
//! image's root filesystem is): those are skipped. BuildKit does not record `--mount` flags, so
//! a step that kept its package cache in a cache mount looks like one that left it behind.

use std::collections::BTreeMap;
use std::path::Path;

use super::{HygieneFinding, ImageView};
use crate::dockerfile::checks::{run_all, Options};
use crate::dockerfile::stages::Build;
use crate::rules::{self, Rule};

/// The Dockerfile rules that apply to history lines.
const RULES: [&Rule; 4] = [
    &rules::SUDO_USAGE,
    &rules::ADD_INSTEAD_OF_COPY,
    &rules::UPDATE_WITHOUT_INSTALL,
    &rules::PACKAGE_CACHE_LEFT,
];

/// Longest build step quoted in a message.
const QUOTED: usize = 80;

/// Drops the `|N NAME=value …` build-argument prefix the builders put before shell commands.
fn strip_build_args(text: &str) -> &str {
    let Some(rest) = text.strip_prefix('|') else {
        return text;
    };
    let count_end = rest.find(' ').unwrap_or(rest.len());
    let Ok(count) = rest[..count_end].parse::<usize>() else {
        return text;
    };
    let mut rest = rest[count_end..].trim_start();
    for _ in 0..count {
        rest = rest
            .split_once(' ')
            .map_or("", |(_, after)| after)
            .trim_start();
    }
    rest
}

/// A `RUN` instruction for `script` (a heredoc when it spans lines).
fn run_instruction(script: &str) -> String {
    let script = script.trim();
    if script.contains('\n') {
        format!("RUN <<PORTCULLIS_HISTORY\n{script}\nPORTCULLIS_HISTORY")
    } else {
        format!("RUN {script}")
    }
}

/// The Dockerfile instruction a history `created_by` records, for `RUN` and `ADD` steps.
pub(super) fn instruction_of(created_by: &str) -> Option<String> {
    let text = created_by.trim();
    let text = text.strip_suffix("# buildkit").unwrap_or(text).trim();
    // BuildKit: `RUN /bin/sh -c …`, `RUN |1 A=b /bin/sh -c …`, `ADD src dest`.
    // Classic: `/bin/sh -c …`, `|1 A=b /bin/sh -c …`, `/bin/sh -c #(nop) ADD file:… in /`.
    let (keyword_given, rest) = match text.split_once(char::is_whitespace) {
        Some((first, rest)) if first.eq_ignore_ascii_case("RUN") => (true, rest.trim_start()),
        _ => (false, text),
    };
    let rest = strip_build_args(rest);
    let shell = ["/bin/sh -c ", "/bin/bash -c ", "sh -c "]
        .iter()
        .find_map(|prefix| rest.strip_prefix(prefix));
    match shell {
        Some(command) => match command.trim_start().strip_prefix("#(nop)") {
            Some(nop) => add_instruction(nop.trim()),
            None => Some(run_instruction(command)),
        },
        None if keyword_given => Some(run_instruction(rest)),
        None => add_instruction(rest),
    }
}

fn add_instruction(text: &str) -> Option<String> {
    let (keyword, args) = text.split_once(char::is_whitespace)?;
    if !keyword.eq_ignore_ascii_case("ADD") {
        return None;
    }
    let hashed = args
        .split_whitespace()
        .filter(|w| !w.starts_with("--"))
        .any(|w| w.starts_with("file:") || w.starts_with("dir:") || w.starts_with("multi:"));
    (!hashed && !args.contains('\n')).then(|| format!("ADD {}", args.trim()))
}

fn quote(created_by: &str) -> String {
    let flat = crate::source::fold_whitespace(created_by);
    match flat.char_indices().nth(QUOTED) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

pub(super) fn check(image: &ImageView<'_>, out: &mut Vec<HygieneFinding>) {
    // A Dockerfile with one instruction per step; `starts` maps its first line to the step.
    let mut source = String::from("FROM scratch\n");
    let mut starts: BTreeMap<u32, usize> = BTreeMap::new();
    let mut line = 2u32;
    for (index, entry) in image.metadata.history.iter().enumerate() {
        let Some(instruction) = entry.created_by.as_deref().and_then(instruction_of) else {
            continue;
        };
        starts.insert(line, index);
        line += instruction.lines().count() as u32;
        source.push_str(&instruction);
        source.push('\n');
    }
    if starts.is_empty() {
        return;
    }
    let file = crate::dockerfile::parse(&source);
    let args = BTreeMap::new();
    let build = Build::new(&file, &args);
    let enabled = |rule: &Rule| RULES.iter().any(|r| r.code == rule.code);
    let findings = run_all(
        &file,
        &build,
        &Options::default(),
        Path::new("history"),
        enabled,
    );
    let mut reported: Vec<(usize, &'static Rule, String)> = Vec::new();
    for finding in findings {
        let Some(step) = finding
            .line()
            .and_then(|l| starts.range(..=l).next_back())
            .map(|(_, step)| *step)
        else {
            continue;
        };
        let rule = RULES
            .iter()
            .copied()
            .find(|r| r.code == finding.rule.code)
            .expect("only these rules are enabled");
        if !reported
            .iter()
            .any(|(s, r, m)| *s == step && r.code == rule.code && *m == finding.message)
        {
            reported.push((step, rule, finding.message));
        }
    }
    reported.sort_by_key(|(step, rule, _)| (*step, rule.code));
    for (step, rule, message) in reported {
        let entry = &image.metadata.history[step];
        let created_by = quote(entry.created_by.as_deref().unwrap_or_default());
        let at = match entry.layer {
            Some(layer) => format!("layer {layer}"),
            None => format!("history step {step}"),
        };
        out.push(HygieneFinding {
            rule,
            message: format!("{at} (`{created_by}`): {message}"),
            layer: entry.layer,
            path: None,
            aliases: &[],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::image::metadata::HistoryEntry;

    fn image(steps: &[&str]) -> crate::image::metadata::ImageMetadata {
        let mut metadata = clean_metadata();
        metadata.history = steps
            .iter()
            .enumerate()
            .map(|(i, s)| HistoryEntry {
                created_by: Some(s.to_string()),
                layer: Some(i),
                ..HistoryEntry::default()
            })
            .collect();
        metadata
    }

    fn codes(steps: &[&str]) -> Vec<(&'static str, Option<usize>)> {
        run(check, &image(steps), &tree(&[]))
            .iter()
            .map(|f| (f.rule.code, f.layer))
            .collect()
    }

    #[test]
    fn history_lines_become_instructions() {
        assert_eq!(
            instruction_of("/bin/sh -c apt-get update").as_deref(),
            Some("RUN apt-get update")
        );
        assert_eq!(
            instruction_of("|2 A=1 B=2 /bin/sh -c sudo id").as_deref(),
            Some("RUN sudo id")
        );
        assert_eq!(
            instruction_of("RUN /bin/sh -c make # buildkit").as_deref(),
            Some("RUN make")
        );
        assert_eq!(
            instruction_of("RUN |1 V=1 /bin/sh -c set -e\nmake\n # buildkit").as_deref(),
            Some("RUN <<PORTCULLIS_HISTORY\nset -e\nmake\nPORTCULLIS_HISTORY")
        );
        assert_eq!(
            instruction_of("ADD app.py /app/ # buildkit").as_deref(),
            Some("ADD app.py /app/")
        );
        assert_eq!(
            instruction_of("/bin/sh -c #(nop) ADD https://example.com/x /x").as_deref(),
            Some("ADD https://example.com/x /x")
        );
        for skipped in [
            "/bin/sh -c #(nop) ADD file:4a5b6c in / ",
            "/bin/sh -c #(nop)  CMD [\"bash\"]",
            "COPY . /app # buildkit",
            "ENV A=b",
            "USER 10001",
        ] {
            assert_eq!(instruction_of(skipped), None, "{skipped}");
        }
    }

    #[test]
    fn the_dockerfile_rules_fire_on_history_steps_with_their_layer() {
        let found = codes(&[
            "/bin/sh -c #(nop) ADD file:4a5b6c in / ",
            "/bin/sh -c apt-get update",
            "RUN /bin/sh -c sudo make install # buildkit",
            "ADD app.py /app/ # buildkit",
            "RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit",
        ]);
        assert_eq!(
            found,
            [
                // As in a Dockerfile: an update alone also leaves the lists behind.
                ("PC4003", Some(1)),
                ("PC4004", Some(1)),
                ("PC1002", Some(2)),
                ("PC4001", Some(3)),
                ("PC4004", Some(4)),
            ]
        );
        let found = run(check, &image(&["/bin/sh -c sudo id"]), &tree(&[]));
        assert!(found[0]
            .message
            .starts_with("layer 0 (`/bin/sh -c sudo id`): "));
    }

    #[test]
    fn clean_steps_and_empty_history_are_fine() {
        assert_eq!(codes(&[]), []);
        assert_eq!(
            codes(&[
                "/bin/sh -c #(nop) ADD file:4a5b6c in / ",
                "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* # buildkit",
                "COPY app /app # buildkit",
                "/bin/sh -c #(nop)  USER 10001",
            ]),
            []
        );
    }
}
