//! PC4001 add-instead-of-copy.

use super::Context;
use crate::dockerfile::{Keyword, Span};
use crate::rules::ADD_INSTEAD_OF_COPY;

/// Extensions of archives `ADD` unpacks (and that hadolint treats as archives).
pub(super) const ARCHIVE_SUFFIXES: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
    ".tar.lz",
    ".tar.lzma",
    ".tlz",
    ".gz",
    ".bz2",
    ".xz",
    ".zst",
    ".lz",
    ".lzma",
    ".zip",
];

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    for (_, instruction, _) in ctx.instructions() {
        if instruction.keyword != Keyword::Add || instruction.args.len() < 2 {
            continue;
        }
        // `--unpack`, `--checksum` and `--keep-git-dir` only make sense for what ADD alone does.
        if ["unpack", "checksum", "keep-git-dir"]
            .iter()
            .any(|f| instruction.flag(f).is_some())
        {
            continue;
        }
        let sources = &instruction.args[..instruction.args.len() - 1];
        let plain: Vec<&str> = sources
            .iter()
            .map(|a| a.value.as_str())
            .filter(|s| is_plain_file(s))
            .collect();
        if !plain.is_empty() && plain.len() == sources.len() {
            reports.push((
                instruction.keyword_span,
                format!(
                    "ADD copies only plain files here ({}): use COPY",
                    plain.join(", ")
                ),
            ));
        }
    }
    for (span, message) in reports {
        ctx.report(&ADD_INSTEAD_OF_COPY, message, span);
    }
}

/// Not a URL, a git source, an archive, or something only known at build time.
fn is_plain_file(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    let remote = lower.contains("://") || lower.starts_with("git@") || lower.ends_with(".git");
    let archive = ARCHIVE_SUFFIXES.iter().any(|s| lower.ends_with(s));
    !remote && !archive && !source.contains('$')
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, positions};
    use crate::rules::ADD_INSTEAD_OF_COPY;

    #[test]
    fn flags_add_of_plain_files() {
        assert_eq!(
            positions(&ADD_INSTEAD_OF_COPY, "FROM a:1\nADD app.py /app/\n"),
            [(2, 1)]
        );
        assert_eq!(
            positions(
                &ADD_INSTEAD_OF_COPY,
                "FROM a:1\nADD --chown=1 [\"a b\", \"c\", \"/d/\"]\n"
            ),
            [(2, 1)]
        );
        assert_eq!(
            positions(
                &ADD_INSTEAD_OF_COPY,
                "FROM a:1\nADD <<EOF /etc/x\nhi\nEOF\n"
            ),
            [(2, 1)]
        );
    }

    #[test]
    fn urls_archives_and_git_sources_are_what_add_is_for() {
        for add in [
            "ADD https://example.com/x.tar.gz /x",
            "ADD app.tar.gz /app",
            "ADD git@github.com:o/r.git /src",
            "ADD --checksum=sha256:ab https://example.com/x /x",
            "ADD $SRC /x",
            "COPY app.py /app/",
        ] {
            let source = format!("FROM a:1\n{add}\n");
            assert!(findings(&ADD_INSTEAD_OF_COPY, &source).is_empty(), "{add}");
        }
    }
}
