//! PC8009 copy-multiple-sources-to-file.

use super::Context;
use crate::dockerfile::Keyword;
use crate::rules::COPY_MULTIPLE_SOURCES_TO_FILE;

pub(crate) fn check(ctx: &mut Context) {
    let build = ctx.build;
    let mut reports = Vec::new();
    for (index, instruction, onbuild) in ctx.instructions() {
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let Some((dest, sources)) = instruction.args.split_last() else {
            continue;
        };
        if sources.len() < 2 {
            continue;
        }
        let raw = dest.value.trim_matches(['"', '\'']);
        if is_directory(raw) {
            continue;
        }
        let value = if raw.contains('$') {
            // ONBUILD steps expand in the downstream build: unknown here.
            let Some(stage) = build.stage_of(index).filter(|_| !onbuild) else {
                continue;
            };
            let resolved = build.resolve(stage.index, index, &dest.value);
            if !resolved.complete || is_directory(&resolved.value) {
                continue;
            }
            resolved.value
        } else {
            raw.to_owned()
        };
        // hadolint and Trivy look at the COPY instructions of the file's own stages only.
        let upstream = instruction.keyword == Keyword::Copy && !onbuild;
        reports.push((
            instruction.keyword,
            upstream,
            sources.len(),
            value,
            dest.span,
        ));
    }
    for (keyword, upstream, count, value, span) in reports {
        let name = keyword.as_str();
        let finding = ctx.report(
            &COPY_MULTIPLE_SOURCES_TO_FILE,
            format!(
                "{name} has {count} sources, so its destination must be a directory written with a \
                 trailing slash: `{value}/`"
            ),
            span,
        );
        if !upstream {
            finding.aliases = Vec::new();
        }
    }
}

fn is_directory(dest: &str) -> bool {
    dest.ends_with('/') || dest.ends_with('\\')
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::COPY_MULTIPLE_SOURCES_TO_FILE as RULE;

    #[test]
    fn several_sources_into_a_non_directory_are_flagged_at_the_destination() {
        let source = "FROM a:1\nCOPY package.json package-lock.json /srv/app\n";
        assert_eq!(positions(&RULE, source), [(2, 37)]);
        let found = findings(&RULE, source);
        assert!(found[0].is_named_by("DL3021") && found[0].is_named_by("DS-0011"));
        assert_eq!(
            flagged(&RULE, "FROM a:1\nCOPY [\"a\", \"b\", \"/dst\"]\n"),
            ["\"/dst\""]
        );
    }

    #[test]
    fn heredoc_sources_and_continued_lines() {
        let source = "FROM a:1\nCOPY <<one <<two /etc/app\n1\none\n2\ntwo\n";
        assert_eq!(positions(&RULE, source), [(2, 18)]);
        let continued = "FROM a:1\nCOPY a \\\n     b \\\n     dst\n";
        assert_eq!(positions(&RULE, continued), [(4, 6)]);
        let onbuild = findings(&RULE, "FROM a:1\nONBUILD COPY a b dst\n");
        assert_eq!(onbuild[0].line(), Some(2));
        assert!(!onbuild[0].is_named_by("DL3021") && !onbuild[0].is_named_by("DS-0011"));
    }

    #[test]
    fn add_is_checked_without_the_copy_only_ids() {
        let found = findings(&RULE, "FROM a:1\nADD a.tar b.tar /opt\n");
        assert_eq!(found.len(), 1);
        assert!(!found[0].is_named_by("DL3021") && !found[0].is_named_by("DS-0011"));
    }

    #[test]
    fn variables_are_resolved_when_known() {
        assert_eq!(
            positions(&RULE, "FROM a:1\nARG D=/opt\nCOPY a b $D\n"),
            [(3, 10)]
        );
        for source in [
            "FROM a:1\nARG D=/opt/\nCOPY a b $D\n",
            "FROM a:1\nCOPY a b $UNKNOWN\n",
            "FROM a:1\nONBUILD COPY a b $D\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }

    #[test]
    fn one_source_or_a_directory_destination_is_fine() {
        for source in [
            "FROM a:1\nCOPY a /dst\n",
            "FROM a:1\nCOPY a b /dst/\n",
            "FROM a:1\nCOPY [\"a\", \"b\", \"/dst/\"]\n",
            "FROM a:1\nCOPY <<one <<two /etc/\n1\none\n2\ntwo\n",
            "FROM a:1\nCOPY --from=x a b ./\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }
}
