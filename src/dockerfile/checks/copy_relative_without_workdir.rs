//! PC8008 copy-relative-without-workdir.

use super::workdir_relative::is_absolute;
use super::Context;
use crate::dockerfile::Keyword;
use crate::rules::COPY_RELATIVE_WITHOUT_WORKDIR;

pub(crate) fn check(ctx: &mut Context) {
    let (file, build) = (ctx.file, ctx.build);
    let has_workdir = |range: std::ops::Range<usize>| {
        file.instructions[range]
            .iter()
            .any(|i| i.keyword == Keyword::Workdir)
    };
    for stage in &build.stages {
        // A WORKDIR anywhere in a stage this one is built FROM carries over.
        let mut workdir = build
            .lineage(stage.index)
            .iter()
            .skip(1)
            .any(|s| has_workdir(s.body.clone()));
        for index in stage.body.clone() {
            let instruction = &file.instructions[index];
            match instruction.keyword {
                Keyword::Workdir => workdir = true,
                Keyword::Copy | Keyword::Add if !workdir => {
                    let Some(dest) = instruction
                        .args
                        .last()
                        .filter(|_| instruction.args.len() >= 2)
                    else {
                        continue;
                    };
                    let resolved = build.resolve(stage.index, index, &dest.value);
                    let value = resolved.value.as_str();
                    // A destination that starts with an unknown variable may well be absolute.
                    if !resolved.complete
                        && (value.is_empty()
                            || dest.value.trim_start_matches(['"', '\'']).starts_with('$'))
                    {
                        continue;
                    }
                    if is_absolute(value) {
                        continue;
                    }
                    let keyword = instruction.keyword.as_str();
                    let finding = ctx.report(
                        &COPY_RELATIVE_WITHOUT_WORKDIR,
                        format!(
                            "{keyword} to the relative `{value}` before any WORKDIR: it lands in \
                             whatever directory the base image starts in; set WORKDIR first or \
                             use an absolute path"
                        ),
                        dest.span,
                    );
                    if instruction.keyword == Keyword::Add {
                        finding.aliases = Vec::new();
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::COPY_RELATIVE_WITHOUT_WORKDIR as RULE;

    #[test]
    fn relative_destinations_before_workdir_are_flagged() {
        let source = "FROM python:3\nCOPY requirements.txt .\nWORKDIR /srv\nCOPY app/ app/\n";
        assert_eq!(positions(&RULE, source), [(2, 23)]);
        assert_eq!(
            flagged(&RULE, "FROM a:1\nCOPY [\"a\", \"b\", \"dest/\"]\n"),
            ["\"dest/\""]
        );
        assert_eq!(
            positions(&RULE, "FROM a:1\nCOPY a \\\n  b \\\n  lib/\n"),
            [(4, 3)]
        );
        let copy = findings(&RULE, "FROM a:1\nCOPY x y\n");
        assert!(copy[0].is_named_by("DL3045"));
    }

    #[test]
    fn add_is_checked_without_hadolints_id() {
        let found = findings(&RULE, "FROM a:1\nADD app.tar.gz opt\n");
        assert_eq!(found.len(), 1);
        assert!(!found[0].is_named_by("DL3045"));
    }

    #[test]
    fn variables_are_resolved_and_unknown_ones_count_as_absolute() {
        assert_eq!(
            positions(&RULE, "FROM a:1\nENV D=app\nCOPY x $D/\n"),
            [(3, 8)]
        );
        for source in [
            "FROM a:1\nENV D=/app\nCOPY x $D/\n",
            "FROM a:1\nCOPY x $APP_HOME\n",
            "FROM a:1\nCOPY x ${APP_HOME}/lib/\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }

    #[test]
    fn workdir_carries_over_from_parent_stages_only() {
        let inherited = "FROM a:1 AS base\nWORKDIR /app\nFROM base\nCOPY x .\n";
        assert!(positions(&RULE, inherited).is_empty());
        let unrelated = "FROM a:1 AS base\nWORKDIR /app\nFROM b:1\nCOPY x .\n";
        assert_eq!(positions(&RULE, unrelated), [(4, 8)]);
        let grandparent = "FROM a:1 AS one\nWORKDIR /w\nFROM one AS two\nFROM two\nCOPY x y\n";
        assert!(positions(&RULE, grandparent).is_empty());
    }

    #[test]
    fn absolute_destinations_and_onbuild_are_fine() {
        for source in [
            "FROM a:1\nCOPY x /srv/\n",
            "FROM a:1\nCOPY x \"/srv/app\"\n",
            "FROM a:1\nCOPY x C:\\\\app\n",
            "FROM a:1\nCOPY x C:/app\n",
            "FROM a:1\nONBUILD COPY x y\n",
            "FROM a:1\nCOPY <<EOF /etc/app.conf\nk=v\nEOF\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }
}
