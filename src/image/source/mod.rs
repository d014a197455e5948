//! Where images come from, behind one interface: a manifest's worth of metadata and a way to
//! read each layer blob once, as a stream.

use std::io::Read;

use super::error::ImageError;

/// A content descriptor from a manifest (OCI and Docker schema 2 agree on these fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Descriptor {
    pub media_type: String,
    /// `sha256:<hex>`.
    pub digest: String,
    pub size: u64,
}

/// Reads layer blobs of one image.
pub trait LayerReader: Send + Sync {
    /// Opens the blob of layer `index` (manifest order) as stored: compressed or not. The
    /// stream checks the blob against its digest while it is read and fails with an
    /// `InvalidData` I/O error at the end if they differ. Safe to call from several threads
    /// for different layers at once.
    fn open(&self, index: usize) -> Result<Box<dyn Read + Send>, ImageError>;
}

/// An image opened from some source, ready for the layer walk.
pub struct OpenedImage {
    /// The reference as the user gave it (used in messages and reports).
    pub reference: String,
    /// Digest of the manifest the layers come from, when the source has one.
    pub manifest_digest: Option<String>,
    /// The raw image configuration JSON (parsed by `metadata`).
    pub config: Vec<u8>,
    pub config_digest: Option<String>,
    /// Layer blobs in manifest order (base first).
    pub layers: Vec<Descriptor>,
    pub reader: Box<dyn LayerReader>,
}

impl std::fmt::Debug for OpenedImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedImage")
            .field("reference", &self.reference)
            .field("manifest_digest", &self.manifest_digest)
            .field("layers", &self.layers)
            .finish_non_exhaustive()
    }
}

/// `--platform os/arch[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}
