//! PC9030 label-missing, PC9031 label-not-in-schema, PC9032 label-value-invalid: the
//! configured label schema (hadolint's DL3049–DL3058).

use super::undefined_arg_in_from::image_span;
use super::Context;
use crate::config::LabelType;
use crate::dockerfile::{Instruction, Keyword};
use crate::rules::{LABEL_MISSING, LABEL_NOT_IN_SCHEMA, LABEL_VALUE_INVALID};
use crate::timestamp::Date;

pub(crate) fn check(ctx: &mut Context) {
    let options = ctx.options;
    let schema = &options.label_schema;
    if schema.is_empty() {
        return;
    }
    let strict = ctx.options.strict_labels;
    let mut reports = Vec::new();
    for stage in &ctx.build.stages {
        for index in stage.body.clone() {
            let instruction = &ctx.file.instructions[index];
            for (key, value) in labels(instruction) {
                let Some(kind) = schema.iter().find(|(n, _)| *n == key.value).map(|e| e.1) else {
                    if strict {
                        reports.push((
                            &LABEL_NOT_IN_SCHEMA,
                            format!(
                                "label `{}` is not in the label schema: use one of the schema's names, or add it to the schema",
                                key.value
                            ),
                            key.span,
                            None,
                        ));
                    }
                    continue;
                };
                let resolved = ctx.build.resolve(stage.index, index, &value.value);
                if !resolved.complete {
                    continue;
                }
                if let Some((alias, problem)) = judge(kind, resolved.value.trim()) {
                    reports.push((
                        &LABEL_VALUE_INVALID,
                        format!("label `{}`: {problem}", key.value),
                        value.span,
                        Some(alias),
                    ));
                }
            }
        }
    }
    if let Some(last) = ctx.build.final_stage() {
        let set: Vec<String> = ctx
            .build
            .lineage(last.index)
            .iter()
            .flat_map(|stage| stage.body.clone())
            .flat_map(|index| labels(&ctx.file.instructions[index]))
            .map(|(key, _)| key.value.clone())
            .collect();
        let span = image_span(&ctx.file.instructions[last.from]);
        for (name, kind) in schema {
            if !set.contains(name) {
                reports.push((
                    &LABEL_MISSING,
                    format!(
                        "the image has no `{name}` label ({kind}), which the label schema requires: add `LABEL {name}=…`"
                    ),
                    span,
                    None,
                ));
            }
        }
    }
    for (rule, message, span, alias) in reports {
        let finding = ctx.report(rule, message, span);
        if let Some(alias) = alias {
            finding.aliases = vec![alias];
        }
    }
}

/// The `(key, value)` arguments of a LABEL instruction.
fn labels(instruction: &Instruction) -> Vec<(&crate::dockerfile::Arg, &crate::dockerfile::Arg)> {
    if instruction.keyword != Keyword::Label {
        return Vec::new();
    }
    instruction
        .args
        .chunks(3)
        .filter(|c| c.len() >= 2)
        .map(|c| (&c[0], &c[1]))
        .collect()
}

/// What is wrong with `value` for a label of `kind`, with hadolint's id for that check.
fn judge(kind: LabelType, value: &str) -> Option<(&'static str, String)> {
    if value.is_empty() {
        return Some(("DL3051", "the value is empty".to_owned()));
    }
    let (alias, valid, expected) = match kind {
        LabelType::Text => return None,
        LabelType::Url => (
            "DL3052",
            is_url(value),
            "an absolute URL such as https://example.com/repo",
        ),
        LabelType::Rfc3339 => (
            "DL3053",
            is_rfc3339(value),
            "an RFC 3339 time such as 2024-05-01T12:00:00Z",
        ),
        LabelType::Spdx => (
            "DL3054",
            spdx::Expression::parse(value).is_ok(),
            "an SPDX license expression such as Apache-2.0 OR MIT",
        ),
        LabelType::Hash => (
            "DL3055",
            is_git_hash(value),
            "a full git commit id (40 or 64 hex digits)",
        ),
        LabelType::Semver => (
            "DL3056",
            semver::Version::parse(value).is_ok(),
            "a SemVer version such as 1.4.2 (no `v` prefix)",
        ),
        LabelType::Email => ("DL3058", is_email(value), "an e-mail address"),
    };
    (!valid).then(|| (alias, format!("`{value}` is not {expected}")))
}

fn is_url(value: &str) -> bool {
    reqwest::Url::parse(value).is_ok_and(|url| url.has_host() || !url.path().is_empty())
}

fn is_git_hash(value: &str) -> bool {
    matches!(value.len(), 40 | 64) && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; `t`, `z` and a space for `T` are allowed as RFC 3339
/// permits.
fn is_rfc3339(value: &str) -> bool {
    let Some((date, time)) = value.split_at_checked(10) else {
        return false;
    };
    let mut time = time.chars();
    if Date::parse(date).is_none() || !matches!(time.next(), Some('T' | 't' | ' ')) {
        return false;
    }
    let time = time.as_str();
    let (clock, zone) = match time.find(['Z', 'z', '+', '-']) {
        Some(at) => time.split_at(at),
        None => return false,
    };
    let (clock, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    let fields_in = |text: &str, limits: &[u8]| {
        let parts: Vec<&str> = text.split(':').collect();
        parts.len() == limits.len()
            && parts
                .iter()
                .zip(limits)
                .all(|(p, max)| p.len() == 2 && p.parse::<u8>().is_ok_and(|n| n <= *max))
    };
    let zone_ok = matches!(zone, "Z" | "z") || fields_in(&zone[1..], &[23, 59]);
    // Seconds may be 60 for a leap second.
    fields_in(clock, &[23, 59, 60])
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && zone_ok
}

/// An addr-spec: `local@domain`, dot-atoms on both sides.
fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let atom_ok = |text: &str, allowed: &dyn Fn(char) -> bool| {
        !text.is_empty()
            && text
                .split('.')
                .all(|part| !part.is_empty() && part.chars().all(allowed))
    };
    let local_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let domain_ok = domain
        .split('.')
        .all(|label| !label.starts_with('-') && !label.ends_with('-'));
    atom_ok(local, &local_char)
        && atom_ok(domain, &|c: char| c.is_ascii_alphanumeric() || c == '-')
        && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::checks::testing::findings_with;
    use crate::dockerfile::checks::Options;
    use crate::finding::Finding;

    fn schema(labels: &[(&str, LabelType)], strict: bool) -> Options {
        Options {
            label_schema: labels.iter().map(|(n, t)| ((*n).to_owned(), *t)).collect(),
            strict_labels: strict,
            ..Options::default()
        }
    }

    fn positions(found: &[Finding]) -> Vec<(u32, u32, Vec<&'static str>)> {
        found
            .iter()
            .map(|f| {
                let start = f.location.region.unwrap().start;
                (start.line, start.column, f.aliases.clone())
            })
            .collect()
    }

    #[test]
    fn nothing_without_a_schema() {
        let source = "FROM a:1\nLABEL x=\"\"\n";
        for rule in [&LABEL_MISSING, &LABEL_NOT_IN_SCHEMA, &LABEL_VALUE_INVALID] {
            assert!(findings_with(rule, source, &Options::default()).is_empty());
        }
    }

    #[test]
    fn missing_labels_are_reported_at_the_final_from_and_inherit_through_stages() {
        let options = schema(
            &[
                ("maintainer", LabelType::Email),
                ("version", LabelType::Semver),
            ],
            false,
        );
        let source = "FROM a:1 AS base\nLABEL maintainer=\"ops@example.com\"\nFROM base\nLABEL version=1.0.0\n";
        assert!(findings_with(&LABEL_MISSING, source, &options).is_empty());

        // A label set only in an unrelated build stage does not reach the image.
        let source =
            "FROM a:1 AS build\nLABEL maintainer=ops@example.com\nFROM b:2\nLABEL version=1.0.0\n";
        let found = findings_with(&LABEL_MISSING, source, &options);
        assert_eq!(positions(&found), [(3, 6, vec!["DL3049"])]);
        assert!(
            found[0].message.contains("`maintainer`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn strict_labels_flag_keys_outside_the_schema() {
        let source = "FROM a:1\nLABEL version=1.0.0 \\\n      repo=x\n";
        let options = schema(&[("version", LabelType::Semver)], true);
        let found = findings_with(&LABEL_NOT_IN_SCHEMA, source, &options);
        assert_eq!(positions(&found), [(3, 7, vec!["DL3050"])]);
        let lenient = schema(&[("version", LabelType::Semver)], false);
        assert!(findings_with(&LABEL_NOT_IN_SCHEMA, source, &lenient).is_empty());
    }

    #[test]
    fn values_are_checked_against_their_type_after_substitution() {
        let cases: &[(LabelType, &str, &str, &str)] = &[
            (LabelType::Text, "\"\"", "anything", "DL3051"),
            (
                LabelType::Url,
                "not-a-url",
                "https://example.com/team/app",
                "DL3052",
            ),
            (
                LabelType::Rfc3339,
                "2024-05-01",
                "2024-05-01T12:00:00.5+02:00",
                "DL3053",
            ),
            (
                LabelType::Spdx,
                "\"Apache 2\"",
                "\"Apache-2.0 OR MIT\"",
                "DL3054",
            ),
            (
                LabelType::Hash,
                "abc123",
                "0123456789abcdef0123456789abcdef01234567",
                "DL3055",
            ),
            (LabelType::Semver, "v1.2", "1.2.3-rc.1+build.5", "DL3056"),
            (
                LabelType::Email,
                "ops@",
                "ops.team+ci@example.com",
                "DL3058",
            ),
        ];
        for (kind, bad, good, alias) in cases {
            let options = schema(&[("l", *kind)], false);
            let found = findings_with(
                &LABEL_VALUE_INVALID,
                &format!("FROM a:1\nLABEL l={bad}\n"),
                &options,
            );
            assert_eq!(positions(&found), [(2, 9, vec![*alias])], "{kind} {bad}");
            let found = findings_with(
                &LABEL_VALUE_INVALID,
                &format!("FROM a:1\nLABEL l={good}\n"),
                &options,
            );
            assert!(found.is_empty(), "{kind} {good}: {found:?}");
        }
        let options = schema(&[("version", LabelType::Semver)], false);
        let via_arg = "FROM a:1\nARG V=1.2\nLABEL version=$V\n";
        assert_eq!(
            findings_with(&LABEL_VALUE_INVALID, via_arg, &options).len(),
            1
        );
        let unknown = "FROM a:1\nARG V\nLABEL version=$V\n";
        assert!(findings_with(&LABEL_VALUE_INVALID, unknown, &options).is_empty());
    }

    #[test]
    fn value_validators() {
        assert!(is_rfc3339("1985-04-12T23:20:50.52Z") && is_rfc3339("1996-12-19 16:39:57-08:00"));
        assert!(!is_rfc3339("1996-12-19T16:39:57") && !is_rfc3339("1996-02-30T16:39:57Z"));
        assert!(!is_rfc3339("1996-12-19T24:00:00Z") && !is_rfc3339("1996-12-19T16:39:57+8:00"));
        assert!(is_email("a@b") && !is_email("a..b@example.com") && !is_email("a@-x.com"));
        assert!(!is_url("example.com") && is_url("mailto:ops@example.com"));
    }
}
