//! Test helper: finds the read-only shared data (output-format schemas, advisory data) and
//! external tools.
//!
//! The schemas are upstream files the project must not commit, so tests look for them in
//! `PORTCULLIS_SHARED_DIR` (else next to `PORTCULLIS_CONFORMANCE_DIR`, else `../shared`). Under
//! `CI=true` anything missing is a failure; elsewhere the test prints why it was skipped.
//!
//! The end-to-end tests compile this same file (`tests/common/mod.rs` includes it with
//! `#[path]`), so it must not use `crate::` items: only std and the dev-dependencies.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn shared_dir() -> PathBuf {
    if let Some(dir) = env::var_os("PORTCULLIS_SHARED_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(parent) = env::var_os("PORTCULLIS_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .and_then(|dir| dir.parent().map(Path::to_path_buf))
    {
        return parent;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn in_ci() -> bool {
    env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
}

/// Panics under CI, otherwise reports the skip and returns `None`.
pub(crate) fn unavailable<T>(what: String) -> Option<T> {
    assert!(!in_ci(), "{what} (required when CI=true)");
    eprintln!("skipped: {what}");
    None
}

/// A file under the shared directory, e.g. `schemas/sarif/sarif-schema-2.1.0.json`.
pub(crate) fn shared_file(relative: &str) -> Option<PathBuf> {
    let path = shared_dir().join(relative);
    if path.is_file() {
        Some(path)
    } else {
        unavailable(format!(
            "{} not found (set PORTCULLIS_SHARED_DIR)",
            path.display()
        ))
    }
}

/// A directory under the shared directory, e.g. `vulndata/go/osv`.
pub(crate) fn shared_subdir(relative: &str) -> Option<PathBuf> {
    let path = shared_dir().join(relative);
    if path.is_dir() {
        Some(path)
    } else {
        unavailable(format!(
            "{} not found (set PORTCULLIS_SHARED_DIR)",
            path.display()
        ))
    }
}

/// Validates `xml` against the XSD with `xmllint`; `None` when xmllint is unavailable.
/// `Some(Err(output))` carries xmllint's complaints.
pub(crate) fn xmllint_validate(xsd: &Path, xml: &str) -> Option<Result<(), String>> {
    if Command::new("xmllint").arg("--version").output().is_err() {
        return unavailable("xmllint not found (Debian package libxml2-utils)".into());
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("report.xml");
    std::fs::write(&file, xml).expect("write the XML under test");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(xsd)
        .arg(&file)
        .output()
        .expect("run xmllint");
    Some(if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    })
}

/// Validates a JSON instance against a JSON Schema file; returns every error message. Schemas
/// it refers to by URL (CycloneDX's `spdx.schema.json`) are read from the same directory, by
/// file name, so nothing is fetched.
pub(crate) fn json_schema_errors(schema: &Path, instance: &serde_json::Value) -> Vec<String> {
    let read = |path: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).expect("read the schema"))
            .expect("the schema is JSON")
    };
    let directory = schema.parent().map(Path::to_path_buf).unwrap_or_default();
    let validator = jsonschema::options()
        .with_retriever(SiblingSchemas { directory })
        .build(&read(schema))
        .expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

struct SiblingSchemas {
    directory: PathBuf,
}

impl jsonschema::Retrieve for SiblingSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.as_str().rsplit('/').next().unwrap_or_default();
        let text = std::fs::read_to_string(self.directory.join(name))?;
        Ok(serde_json::from_str(&text)?)
    }
}
