//! What reporters show about one scanned image: the inventory without the file tree, plus
//! where each layer came from in the Dockerfile.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::attribution::{attribute, LayerOrigin};
use super::catalog::{Distro, Package};
use super::scan::{Inventory, LayerInfo};
use crate::dockerfile::Dockerfile;
use crate::vuln::vulnerability::Vulnerability;

/// A Dockerfile line that made a layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DockerfileLine {
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
    /// The layer came with the base image (`line` is the base `FROM`).
    pub base: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScannedImage {
    /// The reference as the user gave it.
    pub reference: String,
    pub manifest_digest: Option<String>,
    pub config_digest: Option<String>,
    pub os: String,
    pub architecture: String,
    pub distro: Option<Distro>,
    pub layers: Vec<LayerInfo>,
    pub packages: Vec<Package>,
    /// Per layer (same order as `layers`): the Dockerfile instruction that made it, when known.
    pub layer_origins: Vec<Option<DockerfileLine>>,
    /// Things that did not stop the scan (a corrupt database, a file over a size limit).
    pub problems: Vec<String>,
    /// Known vulnerabilities of the packages; `None` when vulnerability matching did not run.
    /// Suppressed ones are here only with `--show-suppressed` (they carry a `suppression`).
    pub vulnerabilities: Option<Vec<Vulnerability>>,
    /// How many suppressed vulnerabilities were left out of `vulnerabilities`.
    pub suppressed_hidden: usize,
}

impl ScannedImage {
    /// Summarises an inventory; with a Dockerfile, layers are attributed to its lines.
    pub fn new(inventory: Inventory, dockerfile: Option<(&Path, &Dockerfile)>) -> Self {
        let layer_origins = match dockerfile {
            Some((path, file)) => attribute(file, &inventory.metadata, inventory.layers.len())
                .into_iter()
                .map(|origin| {
                    origin.map(|o: LayerOrigin| DockerfileLine {
                        path: path.to_path_buf(),
                        line: o.line,
                        base: o.base,
                    })
                })
                .collect(),
            None => vec![None; inventory.layers.len()],
        };
        ScannedImage {
            reference: inventory.reference,
            manifest_digest: inventory.manifest_digest,
            config_digest: inventory.config_digest,
            os: inventory.metadata.os,
            architecture: inventory.metadata.architecture,
            distro: inventory.distro,
            layers: inventory.layers,
            packages: inventory.packages,
            layer_origins,
            problems: inventory.problems,
            vulnerabilities: None,
            suppressed_hidden: 0,
        }
    }

    /// The layer a package came from, by index.
    pub fn layer(&self, index: Option<usize>) -> Option<&LayerInfo> {
        index.and_then(|i| self.layers.get(i))
    }

    /// The vulnerabilities that are reported (not suppressed).
    pub fn reported_vulnerabilities(&self) -> impl Iterator<Item = &Vulnerability> {
        self.vulnerabilities
            .iter()
            .flatten()
            .filter(|v| v.suppression.is_none())
    }

    /// A fingerprint of a vulnerability that survives rebuilds and retags: the vulnerability,
    /// the package, and where the package is installed, but not its version or the image tag.
    pub fn fingerprint(&self, vulnerability: &Vulnerability) -> String {
        use sha2::{Digest, Sha256};
        let package = &self.packages[vulnerability.package];
        let mut hasher = Sha256::new();
        for part in [
            vulnerability.id.as_str(),
            package.ecosystem.as_str(),
            package.name.as_str(),
            package.evidence.first().map_or("", String::as_str),
        ] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        crate::hex::encode(&hasher.finalize()[..16])
    }

    /// The Dockerfile line that made the package's layer.
    pub fn origin(&self, package: &Package) -> Option<&DockerfileLine> {
        package
            .layer
            .and_then(|i| self.layer_origins.get(i))
            .and_then(Option::as_ref)
    }
}
