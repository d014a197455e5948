//! PC4021 copied-archive-extracted.

use std::collections::BTreeMap;

use super::add_instead_of_copy::ARCHIVE_SUFFIXES;
use super::command_options::{OptionSpec, Options};
use super::Context;
use crate::dockerfile::shell::{basename, Command, Word};
use crate::dockerfile::{Keyword, Span};
use crate::rules::COPIED_ARCHIVE_EXTRACTED;

/// Tar archives `ADD` unpacks by itself (plain, gzip, bzip2, xz).
const TAR_SUFFIXES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz",
];

const TAR: OptionSpec = OptionSpec {
    short_values: "fCTXbFgHIKLNV",
    long_values: &[
        "file",
        "directory",
        "files-from",
        "exclude-from",
        "exclude",
        "format",
        "use-compress-program",
        "owner",
        "group",
        "mode",
        "transform",
        "xform",
        "blocking-factor",
        "newer",
        "after-date",
        "label",
        "to-command",
        "record-size",
        "strip-components",
        "suffix",
        "warning",
        "occurrence",
        "sort",
        "mtime",
        "listed-incremental",
    ],
};
const UNZIP: OptionSpec = OptionSpec {
    short_values: "dP",
    long_values: &[],
};
const DECOMPRESSOR: OptionSpec = OptionSpec {
    short_values: "So",
    long_values: &["suffix"],
};

/// A copied archive: where it came from and the line of its COPY.
struct Copied {
    source: String,
    line: usize,
}

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    let runs = ctx.runs();
    for stage in &ctx.build.stages {
        // File name in the image → the COPY that put it there.
        let mut copied: BTreeMap<String, Copied> = BTreeMap::new();
        for index in stage.body.clone() {
            let instruction = &ctx.file.instructions[index];
            match instruction.keyword {
                Keyword::Copy if instruction.flag("from").is_none() => {
                    let Some((dest, sources)) = instruction.args.split_last() else {
                        continue;
                    };
                    for source in sources {
                        let value = &source.value;
                        if value.starts_with("<<") || value.contains(['*', '?', '$']) {
                            continue;
                        }
                        if !is_archive(value) {
                            continue;
                        }
                        let entry = || Copied {
                            source: value.clone(),
                            line: instruction.start_line,
                        };
                        copied.insert(basename(value).to_owned(), entry());
                        // `COPY app.tgz /tmp/renamed.tgz`.
                        if sources.len() == 1
                            && !dest.value.ends_with('/')
                            && is_archive(&dest.value)
                        {
                            copied.insert(basename(&dest.value).to_owned(), entry());
                        }
                    }
                }
                Keyword::Run if !copied.is_empty() => {
                    // The RUNs are in file order: find this one without a scan.
                    let Ok(at) = runs.binary_search_by_key(&index, |r| {
                        r.first().map_or(usize::MAX, |s| s.index)
                    }) else {
                        continue;
                    };
                    for script in &runs[at] {
                        for command in &script.commands {
                            for word in extracted(command) {
                                let name = basename(&word.text);
                                let Some(copy) = copied.get(name) else {
                                    continue;
                                };
                                let advice = if is_tar(name) {
                                    format!(
                                        "`ADD {} <directory>` unpacks it in one step",
                                        copy.source
                                    )
                                } else {
                                    format!(
                                        "extract it from a bind mount instead (`RUN --mount=type=bind,source={},target=/tmp/{name} …`)",
                                        copy.source
                                    )
                                };
                                reports.push((
                                    script.span(word.range.clone()),
                                    format!(
                                        "`{name}` was copied in by the COPY on line {} and is extracted here, so the archive stays in the COPY layer: {advice}",
                                        copy.line
                                    ),
                                ));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for (span, message) in reports {
        ctx.report(&COPIED_ARCHIVE_EXTRACTED, message, span);
    }
}

fn is_tar(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    TAR_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// An archive or compressed file: what `ADD` treats as one, or a `.Z` for `uncompress`.
fn is_archive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ARCHIVE_SUFFIXES.iter().any(|s| lower.ends_with(s)) || lower.ends_with(".z")
}

/// The archive operands of a command that extracts or decompresses them.
fn extracted(command: &Command) -> Vec<Word> {
    let Some(program) = command.program() else {
        return Vec::new();
    };
    let args = command.args();
    match program {
        "tar" | "gtar" | "bsdtar" => {
            // Old style `tar xzf app.tgz`: the first argument is a bundle without its dash.
            let mut args = args.to_vec();
            if let Some(first) = args.first_mut() {
                if !first.text.starts_with('-')
                    && first.text.chars().all(|c| c.is_ascii_alphabetic())
                {
                    first.text.insert(0, '-');
                }
            }
            let options = Options::parse(&args, &TAR);
            if !options.has(Some('x'), &["extract", "get"]) {
                return Vec::new();
            }
            options
                .value(Some('f'), &["file"])
                .map(|v| Word {
                    text: v.text.to_owned(),
                    range: v.word.range.clone(),
                })
                .into_iter()
                .collect()
        }
        "unzip" => Options::parse(args, &UNZIP)
            .operands()
            .take(1)
            .cloned()
            .collect(),
        "gunzip" | "bunzip2" | "unxz" | "unzstd" | "unlzma" | "uncompress" => {
            Options::parse(args, &DECOMPRESSOR)
                .operands()
                .cloned()
                .collect()
        }
        "gzip" | "pigz" | "bzip2" | "xz" | "zstd" | "lzma" => {
            let options = Options::parse(args, &DECOMPRESSOR);
            if options.has(Some('d'), &["decompress", "uncompress"]) {
                options.operands().cloned().collect()
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::COPIED_ARCHIVE_EXTRACTED;

    #[test]
    fn flags_extraction_of_a_copied_archive_at_its_name() {
        let source = "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n";
        assert_eq!(
            flagged(&COPIED_ARCHIVE_EXTRACTED, source),
            ["/tmp/app.tar.gz"]
        );
        let found = findings(&COPIED_ARCHIVE_EXTRACTED, source);
        assert!(found[0].message.contains("line 2") && found[0].message.contains("ADD app.tar.gz"));
        assert!(found[0].is_named_by("DL3010"));
        assert_eq!(
            flagged(
                &COPIED_ARCHIVE_EXTRACTED,
                "FROM a:1\nCOPY dist/site.zip data.gz /srv/\nRUN unzip -q site.zip -d www && gunzip data.gz\n"
            ),
            ["site.zip", "data.gz"]
        );
        let found = findings(
            &COPIED_ARCHIVE_EXTRACTED,
            "FROM a:1\nCOPY site.zip /srv/\nRUN unzip site.zip\n",
        );
        assert!(
            found[0].message.contains("--mount=type=bind"),
            "{}",
            found[0].message
        );
        assert_eq!(
            positions(
                &COPIED_ARCHIVE_EXTRACTED,
                "FROM a:1\nCOPY app.tgz /tmp/x.tgz\nRUN set -e && \\\n    tar xzf /tmp/x.tgz\n"
            ),
            [(4, 13)]
        );
        assert_eq!(
            positions(
                &COPIED_ARCHIVE_EXTRACTED,
                "FROM a:1\nCOPY a.tar.xz /\nRUN <<EOF\nset -e\nxz -d /a.tar.xz\nEOF\n"
            ),
            [(5, 7)]
        );
    }

    #[test]
    fn other_stages_other_files_and_plain_copies_are_fine() {
        for source in [
            "FROM a:1\nCOPY app.tar.gz /tmp/\nFROM b:1\nRUN tar -xzf /tmp/app.tar.gz\n",
            "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -tzf /tmp/app.tar.gz\n",
            "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -czf /tmp/app.tar.gz /src\n",
            "FROM a:1\nCOPY --from=build /out/app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n",
            "FROM a:1\nRUN tar -xzf /tmp/app.tar.gz\nCOPY app.tar.gz /tmp/\n",
            "FROM a:1\nCOPY app.js /srv/\nRUN unzip other.zip\n",
            "FROM a:1\nCOPY a.gz /\nRUN gzip a.gz\n",
            "FROM a:1\nCOPY a.tgz /\nONBUILD RUN tar -xzf /a.tgz\n",
        ] {
            assert!(
                positions(&COPIED_ARCHIVE_EXTRACTED, source).is_empty(),
                "{source}"
            );
        }
    }
}
