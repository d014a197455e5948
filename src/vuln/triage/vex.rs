//! OpenVEX documents (`--vex FILE`): statements that a product is or is not affected.
//!
//! Read: `statements[]` with `vulnerability` (an object with `name` and `aliases`, or a plain
//! string as OpenVEX v0.0.1 wrote it), `products` (objects with `@id`, `identifiers.purl`,
//! `hashes` and `subcomponents`, or plain strings), v0.0.1's statement-level `subcomponents`,
//! `status`, `justification`, `impact_statement` and `timestamp` (else the document's).
//!
//! A statement speaks about a found package when one of its vulnerability names equals one of
//! the package's vulnerability ids and one of its products is either the package itself (purl
//! match) or the scanned image (one of `Candidate::image_ids`, by string, purl or digest) with
//! no subcomponents or a subcomponent that is the package. Of the statements speaking about a
//! package, the newest decides: newest `timestamp`, and between equal or missing timestamps
//! the one given last (later `--vex` files, later statements). A statement without any
//! timestamp counts as given at the newest time seen before it. Only `not_affected` and `fixed`
//! suppress; `affected` and `under_investigation` keep the finding reported, and override an
//! older `not_affected`.

use std::path::Path;

use serde_json::{Map, Value};

use super::error::TriageError;
use super::purl::purl_matches;
use super::rfc3339::{self, Instant};
use super::{ids_match, Candidate, Suppression};

/// The statuses OpenVEX defines.
const STATUSES: [&str; 4] = ["not_affected", "affected", "fixed", "under_investigation"];

/// Every statement of every document loaded, in load order.
#[derive(Debug, Default)]
pub(super) struct VexStatements {
    statements: Vec<Statement>,
    /// The newest timestamp seen so far, inherited by statements that have none.
    newest: Option<Instant>,
    pub warnings: Vec<String>,
}

#[derive(Debug)]
struct Statement {
    /// `FILE#/statements/N`: a JSON pointer to the statement.
    source: String,
    /// The vulnerability name and aliases.
    names: Vec<String>,
    products: Vec<Product>,
    status: &'static str,
    justification: Option<String>,
    /// Effective time; with `order`, the key that picks the newest statement.
    time: Option<Instant>,
    order: usize,
}

/// A product: its identifiers (`@id`, `identifiers.purl`, plain string), digests
/// (`sha256:HEX` from `hashes`) and its subcomponents' identifiers.
#[derive(Debug, Default)]
struct Product {
    ids: Vec<String>,
    subcomponents: Vec<Vec<String>>,
}

impl VexStatements {
    /// Adds the statements of the document at `path` whose text is `text`.
    pub fn add_document(&mut self, path: &Path, text: &str) -> Result<(), TriageError> {
        let document: Value = serde_json::from_str(text).map_err(|e| TriageError::VexJson {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            // serde_json appends " at line L column C", which the error already starts with.
            message: e
                .to_string()
                .rsplit_once(" at line ")
                .map_or_else(|| e.to_string(), |(message, _)| message.to_string()),
        })?;
        let invalid = |message: String| TriageError::Vex {
            path: path.to_path_buf(),
            message,
        };
        let document = document.as_object().ok_or_else(|| {
            invalid("not an OpenVEX document: the top level must be a JSON object".into())
        })?;
        let statements = document
            .get("statements")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                invalid(
                    "not an OpenVEX document: no `statements` array (CSAF and CycloneDX VEX are \
                     not read; convert them to OpenVEX, e.g. with `vexctl`)"
                        .into(),
                )
            })?;
        let document_time = timestamp(document, "timestamp").map_err(&invalid)?;
        for (index, value) in statements.iter().enumerate() {
            let at = format!("statements[{index}]");
            let statement = value
                .as_object()
                .ok_or_else(|| invalid(format!("{at}: expected an object")))?;
            let mut parsed = self
                .statement(statement)
                .map_err(|message| invalid(format!("{at}{message}")))?;
            parsed.source = format!("{}#/statements/{index}", path.display());
            parsed.time = parsed.time.or(document_time).or(self.newest);
            self.newest = self.newest.max(parsed.time);
            if parsed.products.is_empty() {
                self.warnings.push(format!(
                    "{}: the statement names no products, so it applies to nothing; list the \
                     image or package purls under `products`",
                    parsed.source
                ));
            }
            self.statements.push(parsed);
        }
        Ok(())
    }

    /// Reads one statement; errors start with the field they concern (`.status: …`).
    fn statement(&self, statement: &Map<String, Value>) -> Result<Statement, String> {
        let names = vulnerability_names(statement.get("vulnerability"))?;
        let status_text = statement.get("status").and_then(Value::as_str).ok_or(
            ".status: missing; use one of not_affected, affected, fixed, under_investigation",
        )?;
        let status = STATUSES
            .into_iter()
            .find(|known| known.eq_ignore_ascii_case(status_text.trim()))
            .ok_or_else(|| {
                format!(
                    ".status: `{status_text}` is not an OpenVEX status; use one of {}",
                    STATUSES.join(", ")
                )
            })?;
        let shared_subcomponents = match statement.get("subcomponents") {
            None => Vec::new(),
            Some(list) => components(list, ".subcomponents")?
                .into_iter()
                .map(|component| component.ids)
                .collect(),
        };
        let mut products = match statement.get("products") {
            None => Vec::new(),
            Some(list) => components(list, ".products")?,
        };
        for product in &mut products {
            if product.subcomponents.is_empty() {
                product.subcomponents = shared_subcomponents.clone();
            }
        }
        let text = |key: &str| {
            statement
                .get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(String::from)
        };
        Ok(Statement {
            source: String::new(),
            names,
            products,
            status,
            justification: text("justification").or_else(|| text("impact_statement")),
            time: timestamp(statement, "timestamp").map_err(|e| format!(".{e}"))?,
            order: self.statements.len(),
        })
    }

    /// The suppression the newest statement about `candidate` gives, if it suppresses.
    pub fn verdict(&self, candidate: &Candidate<'_>) -> Option<Suppression> {
        let newest = self
            .statements
            .iter()
            .filter(|statement| {
                ids_match(&statement.names, candidate.ids)
                    && statement
                        .products
                        .iter()
                        .any(|product| product.covers(candidate))
            })
            .max_by_key(|statement| (statement.time, statement.order))?;
        matches!(newest.status, "not_affected" | "fixed").then(|| Suppression::Vex {
            source: newest.source.clone(),
            status: newest.status.to_string(),
            justification: newest.justification.clone(),
        })
    }
}

impl Product {
    /// Whether this product is the candidate's package, or the scanned image containing it.
    fn covers(&self, candidate: &Candidate<'_>) -> bool {
        let is_package = |ids: &[String]| ids.iter().any(|id| purl_matches(id, candidate.purl));
        if is_package(&self.ids) {
            return true;
        }
        let is_image = self.ids.iter().any(|id| {
            candidate
                .image_ids
                .iter()
                .any(|image| same_image(id, image))
        });
        is_image
            && (self.subcomponents.is_empty()
                || self.subcomponents.iter().any(|sub| is_package(sub)))
    }
}

/// Whether a VEX product identifier and one of the names the image is known by refer to the same
/// image: equal strings (references as given), matching purls (`pkg:oci/app` covers every digest of `app`), or
/// equal digests.
fn same_image(product: &str, image: &str) -> bool {
    let (product, image) = (product.trim(), image.trim());
    if product == image {
        return true;
    }
    if product.starts_with("pkg:") && image.starts_with("pkg:") {
        return purl_matches(product, image);
    }
    match (digest(product), digest(image)) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => false,
    }
}

/// The `sha256:HEX` digest a plain digest or an `image@sha256:HEX` reference carries.
fn digest(text: &str) -> Option<&str> {
    let digest = text.rsplit_once('@').map_or(text, |(_, digest)| digest);
    digest.starts_with("sha256:").then_some(digest)
}

/// `vulnerability`: an object with `name` (and `aliases`), or a string.
fn vulnerability_names(value: Option<&Value>) -> Result<Vec<String>, String> {
    let names = match value {
        Some(Value::String(name)) => vec![name.trim().to_string()],
        Some(Value::Object(object)) => {
            let name = object.get("name").and_then(Value::as_str).ok_or(
                ".vulnerability.name: missing; give the vulnerability id, e.g. \"CVE-2024-1234\"",
            )?;
            let aliases = object
                .get("aliases")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str);
            std::iter::once(name)
                .chain(aliases)
                .map(|name| name.trim().to_string())
                .collect()
        }
        Some(_) => return Err(".vulnerability: expected an object with `name`".into()),
        None => return Err(".vulnerability: missing".into()),
    };
    if names.iter().any(String::is_empty) {
        return Err(".vulnerability: empty name".into());
    }
    Ok(names)
}

/// `products` or `subcomponents`: an array of strings or component objects.
fn components(list: &Value, at: &str) -> Result<Vec<Product>, String> {
    let items = list
        .as_array()
        .ok_or_else(|| format!("{at}: expected an array"))?;
    items
        .iter()
        .enumerate()
        .map(|(index, item)| match item {
            Value::String(id) => Ok(Product {
                ids: vec![id.trim().to_string()],
                subcomponents: Vec::new(),
            }),
            Value::Object(object) => {
                let mut ids: Vec<String> = [
                    object.get("@id"),
                    object.get("identifiers").and_then(|i| i.get("purl")),
                ]
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|id| id.trim().to_string())
                .collect();
                if let Some(hash) = object
                    .get("hashes")
                    .and_then(|h| h.get("sha-256"))
                    .and_then(Value::as_str)
                {
                    ids.push(format!("sha256:{}", hash.trim()));
                }
                let subcomponents = match object.get("subcomponents") {
                    None => Vec::new(),
                    Some(list) => components(list, &format!("{at}[{index}].subcomponents"))?
                        .into_iter()
                        .map(|component| component.ids)
                        .collect(),
                };
                Ok(Product { ids, subcomponents })
            }
            _ => Err(format!(
                "{at}[{index}]: expected a string or an object with `@id` or `identifiers`"
            )),
        })
        .collect()
}

/// The RFC 3339 time under `key`, if present.
fn timestamp(object: &Map<String, Value>, key: &str) -> Result<Option<Instant>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => rfc3339::parse(text)
            .map(Some)
            .map_err(|e| format!("{key}: {e}")),
        Some(_) => Err(format!(
            "{key}: expected a string such as 2024-05-01T12:00:00Z"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKAGE: &str = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar";
    const IMAGE_PURL: &str = "pkg:oci/app@sha256%3Aabc123?repository_url=registry.example/app";

    fn load(documents: &[&str]) -> VexStatements {
        let mut vex = VexStatements::default();
        for (n, text) in documents.iter().enumerate() {
            vex.add_document(Path::new(&format!("vex{n}.json")), text)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        vex
    }

    fn error(text: &str) -> String {
        VexStatements::default()
            .add_document(Path::new("dir/vex.json"), text)
            .unwrap_err()
            .to_string()
    }

    fn verdict(vex: &VexStatements, ids: &[&str], purl: &str) -> Option<Suppression> {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        let image_ids = [
            "registry.example/app:1.0".to_string(),
            "sha256:abc123".to_string(),
            IMAGE_PURL.to_string(),
        ];
        vex.verdict(&Candidate {
            ids: &ids,
            package_name: "log4j-core",
            package_version: "2.14.1",
            purl,
            paths: &[],
            has_fix: true,
            image_ids: &image_ids,
        })
    }

    fn document(timestamp: &str, statements: &str) -> String {
        format!(
            r#"{{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://example/vex-1",
            "author":"t","timestamp":"{timestamp}","version":1,"statements":[{statements}]}}"#
        )
    }

    fn statement(vulnerability: &str, products: &str, status: &str) -> String {
        format!(
            r#"{{"vulnerability":{vulnerability},"products":[{products}],"status":"{status}",
            "justification":"vulnerable_code_not_in_execute_path"}}"#
        )
    }

    #[test]
    fn not_affected_suppresses_and_affected_does_not() {
        let vex = load(&[&document(
            "2024-01-01T00:00:00Z",
            &[
                statement(
                    r#"{"name":"CVE-2021-44228","aliases":["GHSA-jfh8-c2jp-5v3q"]}"#,
                    r#"{"@id":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}"#,
                    "not_affected",
                ),
                statement(
                    r#"{"name":"CVE-2021-45046"}"#,
                    r#"{"@id":"pkg:maven/org.apache.logging.log4j/log4j-core"}"#,
                    "affected",
                ),
                statement(
                    r#""CVE-2021-45105""#,
                    r#""pkg:maven/org.apache.logging.log4j/log4j-core""#,
                    "fixed",
                ),
                statement(
                    r#"{"name":"CVE-2021-4104"}"#,
                    r#"{"@id":"pkg:maven/org.apache.logging.log4j/log4j-core"}"#,
                    "under_investigation",
                ),
            ]
            .join(","),
        )]);
        assert_eq!(
            verdict(&vex, &["GHSA-jfh8-c2jp-5v3q"], PACKAGE),
            Some(Suppression::Vex {
                source: "vex0.json#/statements/0".into(),
                status: "not_affected".into(),
                justification: Some("vulnerable_code_not_in_execute_path".into()),
            })
        );
        assert_eq!(verdict(&vex, &["CVE-2021-45046"], PACKAGE), None);
        assert!(matches!(
            verdict(&vex, &["cve-2021-45105"], PACKAGE),
            Some(Suppression::Vex { status, .. }) if status == "fixed"
        ));
        assert_eq!(verdict(&vex, &["CVE-2021-4104"], PACKAGE), None);
        // Other vulnerability, other package, other version.
        assert_eq!(verdict(&vex, &["CVE-2022-1"], PACKAGE), None);
        let other = "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1";
        assert_eq!(verdict(&vex, &["CVE-2021-44228"], other), None);
        let newer = "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1";
        assert_eq!(verdict(&vex, &["CVE-2021-44228"], newer), None);
    }

    #[test]
    fn image_product_with_and_without_subcomponents() {
        let vex = load(&[&document(
            "2024-01-01T00:00:00Z",
            &[
                statement(
                    r#"{"name":"CVE-1"}"#,
                    r#"{"@id":"pkg:oci/app","subcomponents":[{"@id":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]}"#,
                    "not_affected",
                ),
                statement(r#"{"name":"CVE-2"}"#, r#"{"@id":"sha256:ABC123"}"#, "not_affected"),
                statement(
                    r#"{"name":"CVE-3"}"#,
                    r#"{"@id":"registry.example/app:1.0","subcomponents":[{"identifiers":{"purl":"pkg:deb/debian/openssl"}}]}"#,
                    "not_affected",
                ),
                statement(r#"{"name":"CVE-4"}"#, r#"{"@id":"pkg:oci/other"}"#, "not_affected"),
            ]
            .join(","),
        )]);
        assert!(verdict(&vex, &["CVE-1"], PACKAGE).is_some());
        // The image itself, no subcomponents: everything in it.
        assert!(verdict(&vex, &["CVE-2"], PACKAGE).is_some());
        // A subcomponent that is another package.
        assert_eq!(verdict(&vex, &["CVE-3"], PACKAGE), None);
        assert!(verdict(&vex, &["CVE-3"], "pkg:deb/debian/openssl@3.0.11").is_some());
        // Another image.
        assert_eq!(verdict(&vex, &["CVE-4"], PACKAGE), None);
    }

    #[test]
    fn newest_statement_wins() {
        let product = r#"{"@id":"pkg:maven/org.apache.logging.log4j/log4j-core"}"#;
        let name = r#"{"name":"CVE-1"}"#;
        // Same document, no statement timestamps: the later statement wins.
        let in_order = load(&[&document(
            "2024-01-01T00:00:00Z",
            &[
                statement(name, product, "not_affected"),
                statement(name, product, "affected"),
            ]
            .join(","),
        )]);
        assert_eq!(verdict(&in_order, &["CVE-1"], PACKAGE), None);

        // A later file, but an older timestamp: the newer statement still wins.
        let older_later = load(&[
            &document(
                "2024-03-01T00:00:00Z",
                &statement(name, product, "not_affected"),
            ),
            &document(
                "2024-02-01T00:00:00+01:00",
                &statement(name, product, "affected"),
            ),
        ]);
        assert!(verdict(&older_later, &["CVE-1"], PACKAGE).is_some());

        // Statement timestamps override the document's.
        let stamped = format!(
            r#"{{"timestamp":"2023-01-01T00:00:00Z","vulnerability":{name},"products":[{product}],"status":"affected"}}"#
        );
        let overridden = load(&[&document(
            "2024-06-01T00:00:00Z",
            &[statement(name, product, "not_affected"), stamped].join(","),
        )]);
        assert!(verdict(&overridden, &["CVE-1"], PACKAGE).is_some());
    }

    #[test]
    fn statement_level_subcomponents_and_impact_statement() {
        let text = r#"{"statements":[{"vulnerability":"CVE-1","products":["sha256:abc123"],
            "subcomponents":["pkg:maven/org.apache.logging.log4j/log4j-core"],
            "status":"not_affected","impact_statement":"never called"}]}"#;
        let vex = load(&[text]);
        assert_eq!(
            verdict(&vex, &["CVE-1"], PACKAGE),
            Some(Suppression::Vex {
                source: "vex0.json#/statements/0".into(),
                status: "not_affected".into(),
                justification: Some("never called".into()),
            })
        );
        assert_eq!(verdict(&vex, &["CVE-1"], "pkg:deb/debian/openssl@3"), None);
    }

    #[test]
    fn statements_without_products_warn() {
        let vex = load(&[r#"{"statements":[{"vulnerability":"CVE-1","status":"fixed"}]}"#]);
        assert_eq!(vex.warnings.len(), 1);
        assert!(vex.warnings[0].starts_with("vex0.json#/statements/0:"));
    }

    #[test]
    fn malformed_documents_name_the_file() {
        let cases = [
            (
                "{\"statements\": [\n  {,}\n]}",
                "dir/vex.json:2:4: not valid JSON (key must be a string);",
            ),
            ("[]", "dir/vex.json: not an OpenVEX document: the top level"),
            (
                "{\"document\":{}}",
                "dir/vex.json: not an OpenVEX document: no `statements`",
            ),
            (
                r#"{"statements":[{"vulnerability":{"name":"CVE-1"},"status":"fine"}]}"#,
                "dir/vex.json: statements[0].status: `fine` is not an OpenVEX status",
            ),
            (
                r#"{"statements":[{"status":"fixed"}]}"#,
                "dir/vex.json: statements[0].vulnerability: missing",
            ),
            (
                r#"{"statements":[{"vulnerability":{"@id":"x"},"status":"fixed"}]}"#,
                "dir/vex.json: statements[0].vulnerability.name: missing",
            ),
            (
                r#"{"statements":[{"vulnerability":"CVE-1","status":"fixed","products":[1]}]}"#,
                "dir/vex.json: statements[0].products[0]: expected a string or an object",
            ),
            (
                r#"{"timestamp":"yesterday","statements":[]}"#,
                "dir/vex.json: timestamp: `yesterday` is not an RFC 3339 time",
            ),
            (
                r#"{"statements":[{"vulnerability":"CVE-1","status":"fixed","timestamp":"2024-13-01T00:00:00Z"}]}"#,
                "dir/vex.json: statements[0].timestamp: `2024-13-01T00:00:00Z` is not",
            ),
        ];
        for (text, expected) in cases {
            let message = error(text);
            assert!(message.starts_with(expected), "{text}\n  gave {message}");
        }
    }
}
