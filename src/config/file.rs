//! `.portcullis.toml`: our own configuration file.
//!
//! ```toml
//! failure-threshold = "warning"      # error | warning | info | style | none (default: info)
//!
//! [rules]
//! disable = ["DL3009", "PC4006"]     # code, name or any alias
//! enable  = ["PC3002"]               # turns on rules that are off by default
//! inline-suppressions = true         # false: `# portcullis ignore=` comments do nothing
//!
//! [rules.severity]
//! DL3002 = "error"                   # by code, name or alias
//!
//! [dockerfile]
//! trusted-registries = ["docker.io", "*.example.com"]
//! require-digest = false
//! label-schema = { maintainer = "email", "org.opencontainers.image.source" = "url" }
//! strict-labels = false              # labels outside the schema are findings
//!
//! [check]
//! images = ["registry.example.com/team/app:1.4"]   # what `portcullis check` scans
//!
//! [image]                            # what `portcullis scan` checks (see `image.rs`)
//! setuid-allowed = ["/usr/bin/passwd"]
//! [image.secrets]
//! skip-paths = ["**/testdata/**"]
//! ```
//!
//! Unknown keys are errors (a misspelt key silently doing nothing is worse than a failed run).
//! Severities and thresholds are read as strings and checked here, so that every bad value in
//! the file is reported, not only the first.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{line_column, ConfigError, Origin, RawLayer, RuleRef};
use crate::finding::Severity;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileModel {
    failure_threshold: Option<String>,
    #[serde(default)]
    rules: RulesModel,
    #[serde(default)]
    dockerfile: DockerfileModel,
    #[serde(default)]
    check: CheckModel,
    #[serde(default)]
    image: super::image::ImageModel,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CheckModel {
    #[serde(default)]
    images: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RulesModel {
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    enable: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    /// `false`: `# portcullis ignore=` and `# hadolint ignore=` comments do nothing.
    inline_suppressions: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DockerfileModel {
    #[serde(default)]
    trusted_registries: Vec<String>,
    require_digest: Option<bool>,
    /// Label name → type (`text`, `url`, `semver`, `hash`, `rfc3339`, `spdx`, `email`).
    #[serde(default)]
    label_schema: BTreeMap<String, String>,
    strict_labels: Option<bool>,
}

/// Reads `.portcullis.toml` text into a layer whose rule ids are not yet resolved.
pub(super) fn parse(path: &Path, text: &str) -> Result<RawLayer, Vec<ConfigError>> {
    let model: FileModel = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((None, None), |span| line_column(text, span.start));
        vec![ConfigError::Parse {
            path: path.to_path_buf(),
            format: "TOML",
            line,
            column,
            message: e.message().to_owned(),
        }]
    })?;

    let origin = Origin::File(path.to_path_buf());
    let mut errors = Vec::new();
    let mut layer = RawLayer::new(origin.clone());

    if let Some(value) = &model.failure_threshold {
        layer.set_failure_threshold(value, &mut errors);
    }
    layer.enable = refs(&model.rules.enable, "rules.enable");
    layer.disable_ignore_pragma = model.rules.inline_suppressions.map(|on| !on);
    layer.disable = refs(&model.rules.disable, "rules.disable");
    for (id, value) in &model.rules.severity {
        let key = format!("rules.severity.{id}");
        match value.parse::<Severity>() {
            Ok(severity) => layer.severity.push((RuleRef::new(id, key), severity)),
            Err(message) => errors.push(ConfigError::InvalidValue {
                origin: origin.clone(),
                key,
                message,
            }),
        }
    }
    layer.trusted_registries = model.dockerfile.trusted_registries;
    layer.require_digest = model.dockerfile.require_digest;
    layer.label_schema = model.dockerfile.label_schema.into_iter().collect();
    layer.strict_labels = model.dockerfile.strict_labels;
    layer.check_images = model.check.images;
    layer.image = super::image::from_model(model.image, &origin, &mut errors);

    layer.errors = errors;
    Ok(layer)
}

fn refs(ids: &[String], key: &str) -> Vec<RuleRef> {
    ids.iter()
        .map(|id| RuleRef::new(id, key.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Threshold;

    fn parse_ok(text: &str) -> RawLayer {
        parse(Path::new("x/.portcullis.toml"), text).unwrap()
    }

    /// Syntax errors, or else the bad values the layer carries.
    fn parse_err(text: &str) -> Vec<String> {
        let errors = match parse(Path::new("x/.portcullis.toml"), text) {
            Ok(layer) => layer.errors,
            Err(errors) => errors,
        };
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reads_every_key() {
        let layer = parse_ok(
            r#"
            failure-threshold = "warning"
            [rules]
            disable = ["DL3008", "PC4004"]
            enable = ["PC3002"]
            [rules.severity]
            DL3002 = "error"
            [dockerfile]
            trusted-registries = ["docker.io", "*.example.com"]
            require-digest = true
            label-schema = { maintainer = "email" }
            strict-labels = true
            [check]
            images = ["app:1.4"]
            "#,
        );
        assert_eq!(layer.check_images, ["app:1.4"]);
        assert_eq!(
            layer.label_schema,
            [("maintainer".to_owned(), "email".to_owned())]
        );
        assert_eq!(layer.strict_labels, Some(true));
        assert_eq!(
            layer.failure_threshold,
            Some(Threshold::At(Severity::Warning))
        );
        let ids = |r: &[RuleRef]| r.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&layer.disable), ["DL3008", "PC4004"]);
        assert_eq!(layer.disable[0].key, "rules.disable");
        assert_eq!(ids(&layer.enable), ["PC3002"]);
        assert_eq!(layer.severity.len(), 1);
        assert_eq!(layer.severity[0].0.id, "DL3002");
        assert_eq!(layer.severity[0].1, Severity::Error);
        assert_eq!(layer.trusted_registries, ["docker.io", "*.example.com"]);
        assert_eq!(layer.require_digest, Some(true));
    }

    #[test]
    fn an_empty_file_is_fine() {
        let layer = parse_ok("");
        assert!(layer.failure_threshold.is_none() && layer.disable.is_empty());
    }

    #[test]
    fn unknown_keys_are_errors_with_a_position() {
        let errors = parse_err("[rules]\ndisabled = [\"DL3008\"]\n");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("x/.portcullis.toml:2:1: "),
            "{}",
            errors[0]
        );
        assert!(errors[0].contains("disabled"), "{}", errors[0]);
    }

    #[test]
    fn syntax_errors_are_reported() {
        let errors = parse_err("failure-threshold = \n");
        assert!(errors[0].contains("x/.portcullis.toml:1:"), "{}", errors[0]);
        assert!(errors[0].contains("TOML"), "{}", errors[0]);
    }

    #[test]
    fn every_bad_value_is_reported() {
        let text = "failure-threshold = \"loud\"\n[rules]\nenable = [\"X\"]\n\
                    [rules.severity]\nA = \"fatal\"\nB = \"warn\"\n";
        let errors = parse_err(text);
        assert_eq!(errors.len(), 3, "{errors:?}");
        // The valid parts are still there, so their rule ids get checked too.
        let layer = parse(Path::new("x/.portcullis.toml"), text).unwrap();
        assert_eq!(layer.enable.len(), 1);
        assert!(errors[0].contains("`failure-threshold`"));
        assert!(errors[1].contains("`rules.severity.A`") && errors[1].contains("fatal"));
    }
}
