//! `.hadolint.yaml` / `.hadolint.yml`, read so that people who switch keep their policy.
//!
//! Honoured keys: `ignored`, `override.{error,warning,info,style}`, `trustedRegistries`,
//! `failure-threshold` (`none`/`ignore` never fail), `no-fail`, `disable-ignore-pragma`,
//! `label-schema` and `strict-labels`.
//! Hadolint's output options (`format`, `no-color`…) are accepted and ignored; any other key is
//! a warning rather than an error, because hadolint itself tolerates keys newer versions add.
//! Rule ids are matched through the alias table; ids portcullis does not know (ShellCheck `SC`
//! codes, DL rules without an equivalent) are warnings too, since hadolint never checked them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{ConfigError, Origin, RawLayer, RuleRef, Threshold};
use crate::finding::Severity;

/// Hadolint keys that only shape hadolint's own output; they mean nothing here.
const OUTPUT_KEYS: &[&str] = &["format", "formats", "no-color", "verbose"];

#[derive(Debug, Default, Deserialize)]
struct HadolintModel {
    ignored: Option<Vec<String>>,
    #[serde(rename = "override")]
    overrides: Option<OverrideModel>,
    #[serde(rename = "trustedRegistries")]
    trusted_registries: Option<Vec<String>>,
    #[serde(rename = "failure-threshold")]
    failure_threshold: Option<String>,
    #[serde(rename = "no-fail")]
    no_fail: Option<bool>,
    #[serde(rename = "disable-ignore-pragma")]
    disable_ignore_pragma: Option<bool>,
    #[serde(rename = "label-schema")]
    label_schema: Option<BTreeMap<String, String>>,
    #[serde(rename = "strict-labels")]
    strict_labels: Option<bool>,
    #[serde(flatten)]
    other: BTreeMap<String, serde_yaml_ng::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideModel {
    error: Option<Vec<String>>,
    warning: Option<Vec<String>>,
    info: Option<Vec<String>>,
    style: Option<Vec<String>>,
}

/// Reads hadolint YAML into a layer whose rule ids are not yet resolved.
pub(super) fn parse(path: &Path, text: &str) -> Result<RawLayer, Vec<ConfigError>> {
    // An empty document (or one holding only comments) is `null`: no settings.
    let model: Option<HadolintModel> = serde_yaml_ng::from_str(text).map_err(|e| {
        let location = e.location();
        let mut message = e.to_string();
        // The position is already in front of the message.
        if let Some(l) = &location {
            let suffix = format!(" at line {} column {}", l.line(), l.column());
            if let Some(stripped) = message.strip_suffix(&suffix) {
                message = stripped.to_owned();
            }
        }
        vec![ConfigError::Parse {
            path: path.to_path_buf(),
            format: "YAML",
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message,
        }]
    })?;
    let model = model.unwrap_or_default();

    let origin = Origin::File(path.to_path_buf());
    let mut layer = RawLayer::new(origin.clone());
    layer.lenient_ids = true;
    let mut errors = Vec::new();

    if let Some(value) = &model.failure_threshold {
        layer.set_failure_threshold(value, &mut errors);
    }
    if model.no_fail == Some(true) {
        layer.failure_threshold = Some(Threshold::Never);
    }
    layer.disable_ignore_pragma = model.disable_ignore_pragma;

    for id in model.ignored.iter().flatten() {
        layer.disable.push(RuleRef::new(id, "ignored".into()));
    }
    if let Some(o) = &model.overrides {
        // Least severe first: if one id is in two lists, the more severe one wins.
        for (list, severity, key) in [
            (&o.style, Severity::Style, "override.style"),
            (&o.info, Severity::Info, "override.info"),
            (&o.warning, Severity::Warning, "override.warning"),
            (&o.error, Severity::Error, "override.error"),
        ] {
            for id in list.iter().flatten() {
                layer
                    .severity
                    .push((RuleRef::new(id, key.into()), severity));
            }
        }
    }
    layer.trusted_registries = model.trusted_registries.unwrap_or_default();
    layer.label_schema = model.label_schema.unwrap_or_default().into_iter().collect();
    layer.strict_labels = model.strict_labels;

    for key in model.other.keys() {
        if OUTPUT_KEYS.contains(&key.as_str()) {
            continue;
        }
        layer.warnings.push(format!(
            "{}: `{key}` is not supported by portcullis and is ignored",
            path.display()
        ));
    }

    layer.errors = errors;
    Ok(layer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> RawLayer {
        parse(Path::new(".hadolint.yaml"), text).unwrap()
    }

    #[test]
    fn reads_hadolint_keys() {
        let layer = parse_ok(
            "ignored:\n  - DL3008\n  - SC2086\noverride:\n  error: [DL3001]\n  style:\n    - DL3002\n\
             trustedRegistries:\n  - docker.io\nfailure-threshold: warning\nformat: json\n\
             label-schema:\n  maintainer: email\nstrict-labels: true\n",
        );
        assert_eq!(
            layer.label_schema,
            [("maintainer".to_owned(), "email".to_owned())]
        );
        assert_eq!(layer.strict_labels, Some(true));
        let disabled: Vec<_> = layer.disable.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(disabled, ["DL3008", "SC2086"]);
        let severity: Vec<_> = layer
            .severity
            .iter()
            .map(|(r, s)| (r.id.as_str(), *s))
            .collect();
        assert_eq!(
            severity,
            [("DL3002", Severity::Style), ("DL3001", Severity::Error)]
        );
        assert_eq!(layer.severity[1].0.key, "override.error");
        assert_eq!(layer.trusted_registries, ["docker.io"]);
        assert_eq!(
            layer.failure_threshold,
            Some(Threshold::At(Severity::Warning))
        );
        assert!(layer.lenient_ids);
        assert!(layer.warnings.is_empty(), "{:?}", layer.warnings);
    }

    #[test]
    fn none_ignore_and_no_fail_never_fail() {
        for text in [
            "failure-threshold: none",
            "failure-threshold: ignore",
            "no-fail: true",
        ] {
            assert_eq!(
                parse_ok(text).failure_threshold,
                Some(Threshold::Never),
                "{text}"
            );
        }
        assert_eq!(parse_ok("no-fail: false").failure_threshold, None);
    }

    #[test]
    fn empty_documents_and_null_lists_are_empty() {
        assert!(parse_ok("").disable.is_empty());
        assert!(parse_ok("# nothing\n").disable.is_empty());
        assert!(parse_ok("ignored:\noverride:\n  error:\n")
            .severity
            .is_empty());
    }

    #[test]
    fn unknown_keys_warn_and_bad_values_fail() {
        let layer = parse_ok("label-schema:\n  author: text\nshiny-new-key: 1\n");
        assert_eq!(layer.warnings.len(), 1);
        assert!(layer.warnings[0].contains("shiny-new-key"));

        let layer = parse_ok("failure-threshold: loud\nignored: [DL3008]\n");
        assert!(layer.errors[0].to_string().contains("`failure-threshold`"));
        assert_eq!(layer.disable.len(), 1);

        let errors = parse(Path::new(".hadolint.yaml"), "ignored: [DL3008\n").unwrap_err();
        let message = errors[0].to_string();
        assert!(message.starts_with(".hadolint.yaml:"), "{message}");
        assert!(message.contains("YAML"), "{message}");
        assert!(message.starts_with(".hadolint.yaml:2:1: "), "{message}");

        let errors = parse(
            Path::new(".hadolint.yaml"),
            "override:\n  fatal: [DL3008]\n",
        );
        assert!(errors.is_err());
    }
}
