//! PC4023 wget-progress-output.

use super::command_options::{OptionSpec, Options};
use super::Context;
use crate::dockerfile::shell::basename;
use crate::dockerfile::Span;
use crate::rules::WGET_PROGRESS_OUTPUT;

/// GNU wget's options that take a value.
pub(crate) const WGET: OptionSpec = OptionSpec {
    short_values: "OoaiBtTwPUQlARDIXe",
    long_values: &[
        "output-document",
        "output-file",
        "append-output",
        "input-file",
        "base",
        "tries",
        "timeout",
        "wait",
        "directory-prefix",
        "user-agent",
        "quota",
        "level",
        "accept",
        "reject",
        "domains",
        "include-directories",
        "exclude-directories",
        "execute",
        "header",
        "user",
        "password",
        "post-data",
        "post-file",
        "ca-certificate",
        "certificate",
        "private-key",
        "progress",
    ],
};

pub(crate) fn check(ctx: &mut Context) {
    let mut spans: Vec<Span> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            let Some(index) = command.program_index() else {
                continue;
            };
            if basename(&command.words[index].text) != "wget" {
                continue;
            }
            let args = command.args();
            // `-nv` is one option, not `-n` and `-v`.
            if args.iter().any(|w| w.text.starts_with("-nv")) {
                continue;
            }
            let options = Options::parse(args, &WGET);
            let quiet = options.has(Some('q'), &["quiet", "no-verbose", "progress"])
                || options.has(Some('o'), &["output-file"])
                || options.has(Some('a'), &["append-output"]);
            if !quiet {
                spans.push(script.span(command.words[index].range.clone()));
            }
        }
    }
    for span in spans {
        ctx.report(
            &WGET_PROGRESS_OUTPUT,
            "`wget` fills the build log with progress dots: add `-nv`, `-q` or `--progress=dot:giga`",
            span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::WGET_PROGRESS_OUTPUT;

    #[test]
    fn flags_wget_without_a_quieting_option() {
        assert_eq!(
            flagged(
                &WGET_PROGRESS_OUTPUT,
                "FROM a:1\nRUN /usr/bin/wget -O /tmp/x https://x/y\n"
            ),
            ["/usr/bin/wget"]
        );
        assert_eq!(
            positions(
                &WGET_PROGRESS_OUTPUT,
                "FROM a:1\nRUN apt-get update && \\\n  wget https://x/y\n"
            ),
            [(3, 3)]
        );
        assert_eq!(
            positions(
                &WGET_PROGRESS_OUTPUT,
                "FROM a:1\nRUN <<EOF\n\nwget https://x/y\nEOF\n"
            ),
            [(4, 1)]
        );
        assert_eq!(
            positions(
                &WGET_PROGRESS_OUTPUT,
                "FROM a:1\nONBUILD RUN wget https://x/y\n"
            ),
            [(2, 13)]
        );
        // `-O` takes `-q` as its file name here.
        assert_eq!(
            positions(
                &WGET_PROGRESS_OUTPUT,
                "FROM a:1\nRUN wget -O -q https://x/y\n"
            )
            .len(),
            1
        );
        let found = findings(&WGET_PROGRESS_OUTPUT, "FROM a:1\nRUN wget https://x\n");
        assert!(found[0].is_named_by("DL3047"));
    }

    #[test]
    fn quiet_verbose_off_progress_and_log_files_are_fine() {
        for run in [
            "wget -q https://x/y",
            "wget -qO- https://x/y | tar -x",
            "wget --quiet https://x/y",
            "wget -nv https://x/y",
            "wget --no-verbose https://x/y",
            "wget --progress=dot:giga https://x/y",
            "wget -o /tmp/log https://x/y",
            "wget -a /tmp/log https://x/y",
            "wget --output-file=/tmp/log https://x/y",
            "apt-get install -y wget",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(
                positions(&WGET_PROGRESS_OUTPUT, &source).is_empty(),
                "{run}"
            );
        }
        assert!(positions(
            &WGET_PROGRESS_OUTPUT,
            "FROM a:1\nONBUILD RUN wget -q https://x\n"
        )
        .is_empty());
    }
}
