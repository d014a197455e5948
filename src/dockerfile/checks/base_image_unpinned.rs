//! PC3001 base-image-unpinned.

use super::Context;
use crate::dockerfile::Span;
use crate::rules::BASE_IMAGE_UNPINNED;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String, Vec<&'static str>)> = Vec::new();
    for base in ctx.external_bases() {
        let image = &base.text;
        match (&base.reference.tag, &base.reference.digest) {
            (None, None) => reports.push((
                base.span,
                format!("`{image}` has no tag, so it means whatever `latest` is at build time: pin a version"),
                vec!["DL3006", "DS-0001", "CKV_DOCKER_7"],
            )),
            (Some(tag), None) if tag == "latest" => reports.push((
                base.span,
                format!("`{image}` uses the `latest` tag, which moves: pin a version"),
                vec!["DL3007", "DS-0001", "CKV_DOCKER_7", "DKL-DI-0006"],
            )),
            (_, None) if ctx.options.require_digest => reports.push((
                base.span,
                format!("`{image}` is not pinned by digest: add `@sha256:…` (required by the configuration)"),
                Vec::new(),
            )),
            _ => {}
        }
    }
    for (span, message, aliases) in reports {
        ctx.report(&BASE_IMAGE_UNPINNED, message, span).aliases = aliases;
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, findings_with, flagged};
    use crate::dockerfile::checks::Options;
    use crate::rules::BASE_IMAGE_UNPINNED;

    #[test]
    fn flags_missing_and_latest_tags_after_expansion() {
        assert_eq!(flagged(&BASE_IMAGE_UNPINNED, "FROM python\n"), ["python"]);
        assert_eq!(
            flagged(
                &BASE_IMAGE_UNPINNED,
                "FROM --platform=linux/amd64 node:latest AS x\n"
            ),
            ["node:latest"]
        );
        assert_eq!(
            flagged(&BASE_IMAGE_UNPINNED, "ARG IMG=redis\nFROM ${IMG}\n"),
            ["${IMG}"]
        );
        let found = findings(&BASE_IMAGE_UNPINNED, "FROM localhost:5000/app\n");
        assert!(found[0].is_named_by("DL3006") && !found[0].is_named_by("DL3007"));
        let found = findings(&BASE_IMAGE_UNPINNED, "FROM app:latest\n");
        assert!(found[0].is_named_by("DL3007") && !found[0].is_named_by("DL3006"));
    }

    #[test]
    fn pinned_scratch_stage_and_unknown_bases_are_fine() {
        for source in [
            "FROM python:3.12\n",
            "FROM python@sha256:abcdef\n",
            "FROM scratch\n",
            "FROM a:1 AS build\nFROM build\n",
            "FROM $UNKNOWN\n",
            "ARG V\nFROM node:$V\n",
        ] {
            assert!(
                findings(&BASE_IMAGE_UNPINNED, source).is_empty(),
                "{source}"
            );
        }
    }

    #[test]
    fn digests_are_required_when_configured() {
        let options = Options {
            require_digest: true,
            ..Options::default()
        };
        let found = findings_with(&BASE_IMAGE_UNPINNED, "FROM python:3.12\n", &options);
        assert_eq!(found.len(), 1);
        assert!(!found[0].is_named_by("DL3006"));
        assert!(findings_with(
            &BASE_IMAGE_UNPINNED,
            "FROM python:3.12@sha256:ab\n",
            &options
        )
        .is_empty());
    }
}
