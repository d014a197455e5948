//! PC8054 copy-source-ignored (BuildKit's CopyIgnoredFile).

use super::dockerignore::clean;
use super::Context;
use crate::dockerfile::ast::{Arg, Instruction, Keyword};
use crate::rules::COPY_SOURCE_IGNORED;

pub(crate) fn check(ctx: &mut Context) {
    let options = ctx.options;
    let Some(ignore) = options.context.as_ref().and_then(|c| c.ignore.as_ref()) else {
        return;
    };
    if ignore.has_exclusions() {
        return;
    }
    let file_name = ignore.path.file_name().map_or_else(
        || ".dockerignore".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    for source in context_source_paths(ctx) {
        let path = source.path.as_str();
        if path == "." && !ignore.ignores_root() {
            continue;
        }
        if let Some(pattern) = ignore.excluding(path) {
            let verb = source.instruction.keyword.as_str();
            ctx.report(
                &COPY_SOURCE_IGNORED,
                format!(
                    "{verb} source `{path}` is excluded from the build context by `{}` in {file_name} (line {}): the builder never receives it; re-include it with `!{path}` there, or drop it from the {verb}",
                    pattern.text, pattern.line
                ),
                source.arg.span,
            );
        }
    }
}

/// One build-context source of a `COPY`/`ADD` whose value is known statically.
pub(crate) struct ContextSource<'a> {
    pub instruction: &'a Instruction,
    pub arg: &'a Arg,
    /// The path the builder reads, relative to the context root (`.` for the root itself).
    pub path: String,
}

/// The context sources of every `COPY`/`ADD` that reads the build context, expanded and
/// cleaned; sources whose value is not known statically are left out.
pub(crate) fn context_source_paths<'a>(ctx: &Context<'a>) -> Vec<ContextSource<'a>> {
    let mut out = Vec::new();
    for (at, instruction, _) in context_copies(ctx) {
        let Some(stage) = ctx.build.stage_of(at) else {
            continue;
        };
        for arg in context_sources(instruction) {
            let resolved = ctx.build.resolve(stage.index, at, &arg.value);
            if !resolved.complete {
                continue;
            }
            let path = clean(&resolved.value);
            let path = path.trim_start_matches('/');
            out.push(ContextSource {
                instruction,
                arg,
                path: if path.is_empty() { "." } else { path }.to_owned(),
            });
        }
    }
    out
}

/// `COPY` and `ADD` instructions that read the build context: not `--from`, not `ONBUILD`
/// (those run in another build, with its own context).
fn context_copies<'a>(ctx: &Context<'a>) -> Vec<(usize, &'a Instruction, bool)> {
    ctx.instructions()
        .filter(|(_, i, onbuild)| {
            !onbuild
                && matches!(i.keyword, Keyword::Copy | Keyword::Add)
                && i.flag("from").is_none()
        })
        .collect()
}

/// The source arguments of a `COPY`/`ADD` that name context paths: all but the destination,
/// without heredocs and, for `ADD`, URLs and git sources.
fn context_sources(instruction: &Instruction) -> Vec<&Arg> {
    let Some((_, sources)) = instruction.args.split_last() else {
        return Vec::new();
    };
    sources
        .iter()
        .filter(|a| !a.value.starts_with("<<") || instruction.heredocs.is_empty())
        .filter(|a| {
            instruction.keyword != Keyword::Add || {
                let lower = a.value.to_ascii_lowercase();
                !(lower.contains("://") || lower.starts_with("git@"))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::dockerignore::options_with_ignore;
    use crate::dockerfile::checks::testing::findings_with;
    use crate::finding::Finding;
    use crate::rules::COPY_SOURCE_IGNORED;

    fn lint(ignore: Option<&str>, source: &str) -> Vec<Finding> {
        findings_with(&COPY_SOURCE_IGNORED, source, &options_with_ignore(ignore))
    }

    fn flagged(ignore: &str, source: &str) -> Vec<String> {
        lint(Some(ignore), source)
            .iter()
            .filter_map(|f| f.location.region)
            .map(|r| source[r.bytes.0..r.bytes.1].to_owned())
            .collect()
    }

    #[test]
    fn flags_an_excluded_source_and_names_the_pattern() {
        let source = "FROM a:1\nCOPY config/app.yaml src /etc/app/\n";
        let found = lint(Some("# local\nconfig/\n"), source);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "COPY source `config/app.yaml` is excluded from the build context by `config` in .dockerignore (line 2): the builder never receives it; re-include it with `!config/app.yaml` there, or drop it from the COPY"
        );
        let region = found[0].location.region.expect("region");
        assert_eq!((region.start.line, region.start.column), (2, 6));
    }

    #[test]
    fn add_sources_and_variables_are_resolved() {
        let source = "FROM a:1\nARG DIR=secrets\nADD $DIR/key.pem https://example.com/x.tgz /x/\n";
        assert_eq!(flagged("secrets\n", source), ["$DIR/key.pem"]);
    }

    #[test]
    fn nothing_without_an_ignore_file_or_with_exceptions() {
        let source = "FROM a:1\nCOPY docs/a.md /x\n";
        assert!(lint(None, source).is_empty());
        assert!(lint(Some("docs\n!docs/a.md\n"), source).is_empty());
        assert!(flagged("docs\n", "FROM a:1\nCOPY --from=build docs/a.md /x\n").is_empty());
        assert!(flagged("docs\n", "FROM a:1\nONBUILD COPY docs/a.md /x\n").is_empty());
        assert!(flagged("docs\n", "FROM a:1\nCOPY readme.md /x\n").is_empty());
    }

    #[test]
    fn the_root_only_counts_when_everything_is_excluded() {
        assert!(flagged("node_modules\n", "FROM a:1\nCOPY . /app\n").is_empty());
        assert_eq!(flagged("*\n", "FROM a:1\nCOPY ./ /app\n"), ["./"]);
    }

    #[test]
    fn continuation_lines_and_json_form() {
        let source = "FROM a:1\nCOPY main.go \\\n     vendor/x.go \\\n     /src/\n";
        let found = lint(Some("vendor\n"), source);
        let region = found[0].location.region.expect("region");
        assert_eq!((region.start.line, region.start.column), (3, 6));
        assert_eq!(
            flagged("vendor\n", "FROM a:1\nCOPY [\"vendor/x.go\", \"/src/\"]\n"),
            ["\"vendor/x.go\""]
        );
    }
}
