//! `portcullis init --from-hadolint`: a `.hadolint.yaml` rewritten as `.portcullis.toml`.
//!
//! The hadolint file is read by the same reader `lint` uses, so the result means exactly what
//! the hadolint file meant to Portcullis; ids Portcullis does not know are kept as comments
//! with the reason, so nothing silently disappears.

use std::fmt::Write as _;
use std::path::Path;

use super::{find_rule, hadolint, ConfigError, RuleRef};
use crate::finding::Severity;
use crate::rules::CATALOGUE;

/// The `.portcullis.toml` text equivalent to the hadolint file at `path` with content `text`.
pub fn hadolint_to_toml(path: &Path, text: &str) -> Result<String, Vec<ConfigError>> {
    let layer = hadolint::parse(path, text)?;
    if !layer.errors.is_empty() {
        return Err(layer.errors);
    }
    let mut out = format!(
        "# Converted from {} by `portcullis init --from-hadolint`.\n\
         # Rule ids may be Portcullis codes (PC1001), names (root-user) or upstream ids (DL3008).\n",
        path.display()
    );
    let mut notes: Vec<String> = layer.warnings.clone();
    if let Some(threshold) = layer.failure_threshold {
        let _ = writeln!(out, "failure-threshold = {}", quote(&threshold.to_string()));
    }

    let (disable, unknown_disable) = split_known(&layer.disable);
    let severities: Vec<(&RuleRef, Severity)> =
        layer.severity.iter().map(|(r, s)| (r, *s)).collect();
    let unknown_severity: Vec<&RuleRef> = severities
        .iter()
        .filter(|(r, _)| !is_known(&r.id))
        .map(|(r, _)| *r)
        .collect();
    let inline = layer.disable_ignore_pragma.map(|d| !d);
    if !disable.is_empty() || inline.is_some() || !severities.is_empty() {
        out.push_str("\n[rules]\n");
        if !disable.is_empty() {
            let _ = writeln!(out, "disable = [{}]", list(&disable));
        }
        for id in &unknown_disable {
            let _ = writeln!(out, "# disable {id}: {UNKNOWN}");
        }
        if let Some(inline) = inline {
            let _ = writeln!(out, "inline-suppressions = {inline}");
        }
        if severities.iter().any(|(r, _)| is_known(&r.id)) {
            out.push_str("\n[rules.severity]\n");
            for (rule_ref, severity) in severities.iter().filter(|(r, _)| is_known(&r.id)) {
                let _ = writeln!(
                    out,
                    "{} = {}",
                    key(&rule_ref.id),
                    quote(&severity.to_string())
                );
            }
        }
        for rule_ref in unknown_severity {
            let _ = writeln!(out, "# severity of {}: {}", rule_ref.id, UNKNOWN);
        }
    }

    if !layer.trusted_registries.is_empty()
        || !layer.label_schema.is_empty()
        || layer.strict_labels.is_some()
    {
        out.push_str("\n[dockerfile]\n");
        if !layer.trusted_registries.is_empty() {
            let registries: Vec<&str> = layer
                .trusted_registries
                .iter()
                .map(String::as_str)
                .collect();
            let _ = writeln!(out, "trusted-registries = [{}]", list(&registries));
        }
        if !layer.label_schema.is_empty() {
            let entries: Vec<String> = layer
                .label_schema
                .iter()
                .map(|(name, kind)| format!("{} = {}", key(name), quote(kind)))
                .collect();
            let _ = writeln!(out, "label-schema = {{ {} }}", entries.join(", "));
        }
        if let Some(strict) = layer.strict_labels {
            let _ = writeln!(out, "strict-labels = {strict}");
        }
    }
    notes.sort();
    notes.dedup();
    if !notes.is_empty() {
        out.push_str("\n# Not converted:\n");
        for note in notes {
            let _ = writeln!(out, "# - {note}");
        }
    }
    Ok(out)
}

fn is_known(id: &str) -> bool {
    find_rule(CATALOGUE, id).is_some()
}

fn split_known(refs: &[RuleRef]) -> (Vec<&str>, Vec<&str>) {
    refs.iter()
        .map(|r| r.id.as_str())
        .partition(|id| is_known(id))
}

/// Why an id was not carried over.
const UNKNOWN: &str = "not a rule Portcullis knows";

fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// A bare key when TOML allows one, else a quoted one.
fn key(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        text.to_owned()
    } else {
        quote(text)
    }
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| quote(i))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, LabelType, LoadOptions};

    const HADOLINT: &str = "\
ignored:
  - DL3008
  - SC2086
  - DL9999
override:
  error: [DL3002]
  style: [DL3015]
trustedRegistries:
  - docker.io
  - \"*.example.com\"
failure-threshold: warning
disable-ignore-pragma: true
label-schema:
  maintainer: email
  org.opencontainers.image.source: url
strict-labels: true
format: json
";

    #[test]
    fn converts_every_hadolint_setting_into_toml_that_means_the_same() {
        let toml = hadolint_to_toml(Path::new(".hadolint.yaml"), HADOLINT).unwrap();
        // ShellCheck codes stay: `lint` runs ShellCheck when it is installed.
        assert!(
            toml.contains("disable = [\"DL3008\", \"SC2086\"]"),
            "{toml}"
        );
        assert!(toml.contains("# disable DL9999: not a rule"), "{toml}");
        assert!(
            toml.contains("\"org.opencontainers.image.source\" = \"url\""),
            "{toml}"
        );

        // Read back through the normal loader: the same policy.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".portcullis.toml"), &toml).unwrap();
        let config = Config::load_with(&LoadOptions {
            cwd: Some(dir.path()),
            ..LoadOptions::new(dir.path())
        })
        .unwrap();
        assert_eq!(config.failure_threshold(), Some(Severity::Warning));
        assert_eq!(config.trusted_registries(), ["docker.io", "*.example.com"]);
        assert!(config.inline_suppressions_disabled());
        assert!(config.strict_labels());
        assert_eq!(config.label_schema().len(), 2);
        assert_eq!(config.label_schema()[0].1, LabelType::Email);
        let root = crate::rules::lookup("DL3002").unwrap();
        let finding = crate::finding::Finding::new(
            root,
            "x",
            crate::finding::Location {
                path: "Dockerfile".into(),
                region: None,
            },
        );
        assert_eq!(config.severity_for(&finding), Severity::Error);
        assert!(config.warnings().is_empty(), "{:?}", config.warnings());
    }

    #[test]
    fn an_empty_file_gives_a_file_with_only_the_header() {
        let toml = hadolint_to_toml(Path::new(".hadolint.yaml"), "").unwrap();
        assert!(toml.lines().all(|l| l.starts_with('#')), "{toml}");
    }

    #[test]
    fn broken_files_are_errors_naming_the_file() {
        let errors =
            hadolint_to_toml(Path::new("cfg/.hadolint.yaml"), "ignored: [DL3008\n").unwrap_err();
        assert!(errors[0].to_string().contains("cfg/.hadolint.yaml"));
        let errors =
            hadolint_to_toml(Path::new(".hadolint.yaml"), "failure-threshold: loud\n").unwrap_err();
        assert!(errors[0].to_string().contains("failure-threshold"));
    }
}
