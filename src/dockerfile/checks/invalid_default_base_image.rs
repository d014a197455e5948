//! PC8052 invalid-default-base-image (BuildKit's InvalidDefaultArgInFrom).
//!
//! The FROM image is expanded with nothing but the defaults of the global ARGs (and the
//! platform arguments of a `linux/amd64` build), as `docker build .` would, and the result is
//! checked against the image reference grammar.

use super::undefined_arg_in_from::{global_args, image_span};
use super::Context;
use crate::dockerfile::expand::Lexer;
use crate::reference::Reference;
use crate::rules::INVALID_DEFAULT_BASE_IMAGE;

pub(crate) fn check(ctx: &mut Context) {
    // Most files name their base images literally: nothing to expand.
    let uses_variable = ctx.build.stages.iter().any(|s| {
        ctx.file.instructions[s.from]
            .args
            .first()
            .is_some_and(|image| image.value.contains('$'))
    });
    if !uses_variable {
        return;
    }
    let lexer = Lexer::new(ctx.file.escape);
    let last_stage = ctx
        .build
        .stages
        .last()
        .and_then(|s| s.name.clone())
        .unwrap_or_default();
    let mut env: Vec<(String, String)> = [
        ("TARGETPLATFORM", "linux/amd64"),
        ("TARGETOS", "linux"),
        ("TARGETOSVERSION", ""),
        ("TARGETARCH", "amd64"),
        ("TARGETVARIANT", ""),
        ("BUILDPLATFORM", "linux/amd64"),
        ("BUILDOS", "linux"),
        ("BUILDOSVERSION", ""),
        ("BUILDARCH", "amd64"),
        ("BUILDVARIANT", ""),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .chain([("TARGETSTAGE".to_owned(), last_stage)])
    .collect();
    for (name, default) in global_args(ctx) {
        let Some(default) = default else {
            continue;
        };
        let Ok(value) = lexer.process_word(&default, &env) else {
            // BuildKit gives up on this check when a default cannot be expanded.
            return;
        };
        env.push((name, value.value));
    }
    let mut reports = Vec::new();
    for stage in &ctx.build.stages {
        let from = &ctx.file.instructions[stage.from];
        let Some(image) = from.args.first() else {
            continue;
        };
        let Ok(expansion) = lexer.process_word(&image.value, &env) else {
            continue;
        };
        if expansion.references.is_empty() {
            continue;
        }
        let value = expansion.value;
        let message = if value.trim().is_empty() {
            format!(
                "without --build-arg, `{}` expands to an empty image name: give its ARG a default",
                image.value
            )
        } else if let Some(problem) = invalid_reference(&value) {
            format!(
                "without --build-arg, `{}` expands to `{value}`, which is not a valid image reference ({problem}): give its ARG a usable default",
                image.value
            )
        } else {
            continue;
        };
        reports.push((image_span(from), message));
    }
    for (span, message) in reports {
        ctx.report(&INVALID_DEFAULT_BASE_IMAGE, message, span);
    }
}

/// Why `text` is not an image reference as Docker parses it, or `None` when it is one.
pub(crate) fn invalid_reference(text: &str) -> Option<&'static str> {
    if text.chars().any(char::is_whitespace) {
        return Some("it contains white space");
    }
    let Some(reference) = Reference::parse(text) else {
        return Some("it has an empty name, tag or digest");
    };
    if text.len() > 255 + 130 {
        return Some("it is too long");
    }
    let components_ok = reference.repository.split('/').all(|component| {
        let bytes = component.as_bytes();
        !bytes.is_empty()
            && bytes[0].is_ascii_alphanumeric()
            && bytes[bytes.len() - 1].is_ascii_alphanumeric()
            && component
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
            && !component.contains("..")
            && !component.contains("___")
    });
    if !components_ok {
        return Some("repository names use lower-case letters, digits and single separators");
    }
    let host_ok = reference
        .registry
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    if !host_ok {
        return Some("the registry host has characters a host name cannot have");
    }
    if let Some(tag) = &reference.tag {
        let first_ok = tag
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let rest_ok = tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !first_ok || !rest_ok || tag.len() > 128 {
            return Some("a tag is up to 128 letters, digits, `_`, `.` and `-`");
        }
    }
    if let Some(digest) = &reference.digest {
        let valid = digest.split_once(':').is_some_and(|(algorithm, hex)| {
            !algorithm.is_empty()
                && algorithm
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+._-".contains(c))
                && hex.len() >= 32
                && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
        if !valid {
            return Some("a digest is `algorithm:hex`");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::invalid_reference;
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::INVALID_DEFAULT_BASE_IMAGE;

    fn messages(source: &str) -> Vec<String> {
        findings(&INVALID_DEFAULT_BASE_IMAGE, source)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn an_arg_without_default_gives_an_empty_or_broken_image() {
        let source = "ARG BASE\nFROM $BASE\n";
        assert_eq!(flagged(&INVALID_DEFAULT_BASE_IMAGE, source), ["$BASE"]);
        assert_eq!(
            messages(source),
            ["without --build-arg, `$BASE` expands to an empty image name: give its ARG a default"]
        );
        let source = "ARG TAG\nFROM python:${TAG}\n";
        assert_eq!(positions(&INVALID_DEFAULT_BASE_IMAGE, source), [(2, 6)]);
        assert!(messages(source)[0].contains("`python:`"));
    }

    #[test]
    fn upper_case_defaults_are_invalid() {
        let source = "ARG IMAGE=MyOrg/App\nFROM ${IMAGE}:1\n";
        assert!(
            messages(source)[0].contains("lower-case"),
            "{:?}",
            messages(source)
        );
    }

    #[test]
    fn good_defaults_and_literal_images_are_fine() {
        for source in [
            "ARG TAG=3.12-slim\nFROM python:${TAG}\n",
            "ARG REG=ghcr.io ORG=acme\nFROM $REG/$ORG/app:1 AS x\n",
            "FROM --platform=$BUILDPLATFORM golang:1.22-${TARGETOS}\n",
            "ARG DIGEST=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nFROM alpine@${DIGEST}\n",
            "FROM scratch\n",
            "ARG V=${UNSET:-3}\nFROM alpine:$V\n",
        ] {
            assert!(messages(source).is_empty(), "{source}: {:?}", messages(source));
        }
    }

    #[test]
    fn build_args_do_not_hide_a_missing_default() {
        // Only defaults count: the check is about `docker build .` with no arguments.
        let file = crate::dockerfile::parse("ARG TAG\nFROM node:$TAG\n");
        let args = [("TAG".to_owned(), "20".to_owned())].into_iter().collect();
        let build = crate::dockerfile::stages::Build::new(&file, &args);
        let found = crate::dockerfile::checks::run_all(
            &file,
            &build,
            &Default::default(),
            std::path::Path::new("Dockerfile"),
            |_| true,
        );
        assert!(found.iter().any(|f| f.rule.code == "PC8052"));
    }

    #[test]
    fn reference_grammar() {
        assert_eq!(invalid_reference("alpine:3.20"), None);
        assert_eq!(invalid_reference("localhost:5000/a/b_c:v1"), None);
        assert!(invalid_reference("alpine:-x").is_some());
        assert!(invalid_reference("a b").is_some());
        assert!(invalid_reference("alpine@sha256:xyz").is_some());
        assert!(invalid_reference("-alpine").is_some());
    }
}
