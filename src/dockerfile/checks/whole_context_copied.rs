//! PC2008 whole-context-copied.

use std::path::PathBuf;

use super::copy_source_ignored::{context_source_paths, ContextSource};
use super::dockerignore::IgnoreFile;
use super::Context;
use crate::rules::WHOLE_CONTEXT_COPIED;

/// What must stay out of an image, each with a path that stands for it.
const SECRETS: &[(&str, &str)] = &[
    (".git", ".git"),
    (".env", ".env"),
    ("*.pem", "server.pem"),
    ("*.key", "server.key"),
    ("id_rsa*", "id_rsa"),
];

pub(crate) fn check(ctx: &mut Context) {
    let Some(context) = ctx.options.context.as_ref() else {
        return;
    };
    let mut reports = Vec::new();
    for ContextSource {
        instruction,
        arg: source,
        path,
    } in context_source_paths(ctx)
    {
        if path != "." {
            continue;
        }
        let verb = instruction.keyword.as_str();
        // `--exclude=PATTERN` (repeatable) keeps files out of this copy like the ignore
        // file keeps them out of the context.
        let excludes: Vec<&str> = instruction
            .flags
            .iter()
            .filter(|f| f.name == "exclude")
            .filter_map(|f| f.value.as_deref())
            .collect();
        let excluded = IgnoreFile::parse(PathBuf::from("--exclude"), &excludes.join("\n"));
        let kept: Vec<String> = SECRETS
            .iter()
            .filter(|(_, sample)| {
                excluded.excluding(sample).is_none()
                    && context
                        .ignore
                        .as_ref()
                        .is_none_or(|ignore| ignore.excluding(sample).is_none())
            })
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        if kept.is_empty() {
            continue;
        }
        let message = match (&context.ignore, excludes.is_empty()) {
                (None, true) => format!(
                    "{verb} `{}` copies the whole build context and there is no .dockerignore: `.git`, `.env` and private keys would end up in the image; add a .dockerignore that excludes them",
                    source.value
                ),
                (None, false) => format!(
                    "{verb} `{}` copies the whole build context, there is no .dockerignore and its --exclude flags do not exclude {}: add a .dockerignore that excludes them",
                    source.value,
                    kept.join(", ")
                ),
                (Some(ignore), _) => {
                    let file = ignore
                        .path
                        .file_name()
                        .map_or_else(|| ".dockerignore".into(), |n| n.to_string_lossy());
                    format!(
                        "{verb} `{}` copies the whole build context, and {file} does not exclude {}: add them to it",
                        source.value,
                        kept.join(", ")
                    )
                }
            };
        reports.push((source.span, message));
    }
    for (span, message) in reports {
        ctx.report(&WHOLE_CONTEXT_COPIED, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::dockerignore::options_with_ignore;
    use crate::dockerfile::checks::testing::findings_with;
    use crate::dockerfile::checks::Options;
    use crate::rules::WHOLE_CONTEXT_COPIED;

    fn messages(ignore: Option<&str>, source: &str) -> Vec<String> {
        findings_with(&WHOLE_CONTEXT_COPIED, source, &options_with_ignore(ignore))
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn whole_context_without_an_ignore_file() {
        assert_eq!(
            messages(None, "FROM a:1\nCOPY . /app\n"),
            ["COPY `.` copies the whole build context and there is no .dockerignore: `.git`, `.env` and private keys would end up in the image; add a .dockerignore that excludes them"]
        );
        assert_eq!(messages(None, "FROM a:1\nADD ./ /app\n").len(), 1);
    }

    #[test]
    fn names_what_the_ignore_file_lets_through() {
        assert_eq!(
            messages(Some(".git\nnode_modules\n"), "FROM a:1\nCOPY . .\n"),
            ["COPY `.` copies the whole build context, and .dockerignore does not exclude `.env`, `*.pem`, `*.key`, `id_rsa*`: add them to it"]
        );
        let complete = ".git\n.env\n**/*.pem\n**/*.key\n**/id_rsa*\n";
        assert!(messages(Some(complete), "FROM a:1\nCOPY . .\n").is_empty());
        // `*` with exceptions keeps everything out but what is re-included.
        assert!(messages(Some("*\n!src\n"), "FROM a:1\nCOPY . .\n").is_empty());
    }

    #[test]
    fn exclude_flags_count() {
        let all = "FROM a:1\nCOPY --exclude=.git --exclude=.env --exclude=**/*.pem \\\n     --exclude=**/*.key --exclude=**/id_rsa* . /app\n";
        assert!(messages(None, all).is_empty());
        assert_eq!(
            messages(None, "FROM a:1\nCOPY --exclude=.git . /app\n"),
            ["COPY `.` copies the whole build context, there is no .dockerignore and its --exclude flags do not exclude `.env`, `*.pem`, `*.key`, `id_rsa*`: add a .dockerignore that excludes them"]
        );
        assert!(messages(
            Some(".git\n.env\n"),
            "FROM a:1\nCOPY --exclude=*.pem --exclude=*.key --exclude=id_rsa* . /app\n"
        )
        .is_empty());
    }

    #[test]
    fn partial_copies_and_other_stages_are_fine() {
        for source in [
            "FROM a:1\nCOPY src /app/src\n",
            "FROM a:1\nCOPY --from=build . /app\n",
            "FROM a:1\nONBUILD COPY . /app\n",
        ] {
            assert!(messages(None, source).is_empty(), "{source}");
        }
        let found = findings_with(
            &WHOLE_CONTEXT_COPIED,
            "FROM a:1\nCOPY . .\n",
            &Options::default(),
        );
        assert!(found.is_empty(), "no context known, nothing to say");
    }

    #[test]
    fn points_at_the_source_on_a_continuation_line() {
        let source = "FROM a:1\nCOPY --chown=app \\\n  . /app\n";
        let found = findings_with(&WHOLE_CONTEXT_COPIED, source, &options_with_ignore(None));
        let region = found[0].location.region.expect("region");
        assert_eq!((region.start.line, region.start.column), (3, 3));
    }
}
