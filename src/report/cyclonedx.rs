//! CycloneDX 1.5 JSON: the inventory of scanned images as an SBOM, with their known
//! vulnerabilities when they were matched.
//!
//! One image (the usual case) is the BOM's `metadata.component` and its packages are the
//! top-level components, as SBOM consumers expect. Several images become container components
//! with their packages nested. Output is deterministic: the serial number is derived from the
//! images' digests, and no timestamp is written.

use std::collections::HashSet;
use std::io::{self, Write};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{cyclonedx_vulnerabilities, RenderOptions, TOOL_NAME};
use crate::finding::Report;
use crate::image::catalog::Package;
use crate::image::scanned::ScannedImage;

pub(crate) const SPEC_VERSION: &str = "1.5";

pub(crate) fn render(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut metadata = json!({
        "tools": {
            "components": [{
                "type": "application",
                "name": TOOL_NAME,
                "version": options.tool_version,
            }]
        }
    });
    // bom-refs are unique in the whole BOM: with several images, a package's is prefixed with
    // its image's, since the same purl is usually installed in more than one of them.
    let several = report.images.len() > 1;
    let inventories: Vec<(Vec<Value>, Vec<String>)> = report
        .images
        .iter()
        .map(|image| packages(image, several.then(|| container_ref(image))))
        .collect();
    let vulnerabilities = cyclonedx_vulnerabilities::entries(
        report
            .images
            .iter()
            .zip(&inventories)
            .map(|(image, (_, refs))| (image, refs.as_slice())),
    );
    let components: Vec<Value> = match report.images.as_slice() {
        [image] => {
            metadata["component"] = container(image, None);
            inventories
                .into_iter()
                .next()
                .map(|(c, _)| c)
                .unwrap_or_default()
        }
        images => images
            .iter()
            .zip(inventories)
            .map(|(image, (components, _))| container(image, Some(components)))
            .collect(),
    };
    let mut bom = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": serial_number(report),
        "version": 1,
        "metadata": metadata,
        "components": components,
    });
    if report.images.iter().any(|i| i.vulnerabilities.is_some()) {
        bom["vulnerabilities"] = json!(vulnerabilities);
    }
    serde_json::to_writer_pretty(&mut *out, &bom)?;
    writeln!(out)
}

/// The image as a `container` component, optionally with its packages nested.
fn container(image: &ScannedImage, nested: Option<Vec<Value>>) -> Value {
    let mut component = json!({
        "type": "container",
        "bom-ref": container_ref(image),
        "name": image.reference,
    });
    if let Some(digest) = &image.manifest_digest {
        component["version"] = json!(digest);
    }
    let mut properties = vec![property(
        "portcullis:platform",
        &format!("{}/{}", image.os, image.architecture),
    )];
    if let Some(distro) = &image.distro {
        properties.push(property(
            "portcullis:distro",
            &format!(
                "{}-{}",
                distro.id,
                distro.version_id.clone().unwrap_or_default()
            ),
        ));
    }
    component["properties"] = json!(properties);
    if let Some(nested) = nested {
        component["components"] = json!(nested);
    }
    component
}

fn container_ref(image: &ScannedImage) -> String {
    format!("image:{}", image.reference)
}

/// The image's packages as components, and each package's bom-ref (same order): its purl,
/// after `prefix` when given.
fn packages(image: &ScannedImage, prefix: Option<String>) -> (Vec<Value>, Vec<String>) {
    let mut seen = HashSet::new();
    let refs: Vec<String> = image
        .packages
        .iter()
        .map(|package| {
            let base = match &prefix {
                Some(prefix) => format!("{prefix}/{}", package.purl),
                None => package.purl.clone(),
            };
            // The same purl can be installed in several places (npm): keep bom-refs unique.
            let mut bom_ref = base.clone();
            let mut n = 1;
            while !seen.insert(bom_ref.clone()) {
                n += 1;
                bom_ref = format!("{base}#{n}");
            }
            bom_ref
        })
        .collect();
    let components = image
        .packages
        .iter()
        .zip(&refs)
        .map(|(package, bom_ref)| component(image, package, bom_ref.clone()))
        .collect();
    (components, refs)
}

fn component(image: &ScannedImage, package: &Package, bom_ref: String) -> Value {
    let mut properties = vec![
        property("portcullis:ecosystem", package.ecosystem.as_str()),
        property("portcullis:cataloger", package.cataloger),
    ];
    if let Some(name) = &package.source_name {
        properties.push(property("portcullis:source-name", name));
    }
    if let Some(version) = &package.source_version {
        properties.push(property("portcullis:source-version", version));
    }
    if let Some(layer) = image.layer(package.layer) {
        properties.push(property("portcullis:layer-index", &layer.index.to_string()));
        properties.push(property("portcullis:layer-digest", &layer.digest));
    }
    if let Some(origin) = image.origin(package) {
        properties.push(property(
            "portcullis:dockerfile",
            &format!("{}:{}", origin.path.display(), origin.line),
        ));
    }
    let occurrences: Vec<Value> = package
        .evidence
        .iter()
        .map(|path| json!({ "location": path }))
        .collect();
    let mut component = json!({
        "type": "library",
        "bom-ref": bom_ref,
        "name": package.name,
        "version": package.version,
        "purl": package.purl,
        "properties": properties,
    });
    if !occurrences.is_empty() {
        component["evidence"] = json!({ "occurrences": occurrences });
    }
    component
}

fn property(name: &str, value: &str) -> Value {
    json!({ "name": name, "value": value })
}

/// A version-5-shaped UUID URN from what identifies the scanned content.
fn serial_number(report: &Report) -> String {
    let mut hasher = Sha256::new();
    for image in &report.images {
        hasher.update(image.reference.as_bytes());
        hasher.update(
            image
                .manifest_digest
                .as_deref()
                .unwrap_or_default()
                .as_bytes(),
        );
        hasher.update(
            image
                .config_digest
                .as_deref()
                .unwrap_or_default()
                .as_bytes(),
        );
    }
    let mut bytes: [u8; 16] = hasher.finalize()[..16].try_into().expect("16 bytes");
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = crate::hex::encode(&bytes);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
