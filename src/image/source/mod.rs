//! Where images come from, behind one interface: a manifest's worth of metadata and a way to
//! read each layer blob once, as a stream.

use std::io::Read;

use super::error::ImageError;
use super::metadata::ImageMetadata;
use super::reference::ImageSource;

pub mod archive;
pub mod digest;
pub mod engine;
pub mod manifest;
pub mod oci;
pub mod registry;

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

/// How to reach remote sources: registry credentials and plain-HTTP hosts, engine sockets.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// `--platform`: picks a manifest from multi-platform indexes (default: Linux on this
    /// machine's architecture); when given, an image whose config names another platform is
    /// refused.
    pub platform: Option<Platform>,
    /// `--verify-digests`: also hash the layers of local docker-archives (and engine exports)
    /// against their digests. Registry blobs and OCI layouts are always verified.
    pub verify_archive_layers: bool,
    pub registry: registry::RegistryOptions,
    pub engine: engine::EngineOptions,
}

/// Opens the image `source` names with default options but for the platform.
pub fn open(source: &ImageSource, platform: Option<&Platform>) -> Result<OpenedImage, ImageError> {
    open_with(
        source,
        &SourceOptions {
            platform: platform.cloned(),
            ..SourceOptions::default()
        },
    )
}

/// Opens the image `source` names.
pub fn open_with(source: &ImageSource, options: &SourceOptions) -> Result<OpenedImage, ImageError> {
    let reference = source.to_string();
    let platform = options.platform.as_ref();
    match source {
        ImageSource::DockerArchive { path, image } => archive::open_docker_archive(
            path,
            image.as_deref(),
            &reference,
            platform,
            options.verify_archive_layers,
        ),
        ImageSource::OciDir { path, tag, digest } => oci::open_layout_dir(
            path,
            tag.as_deref(),
            digest.as_deref(),
            &reference,
            platform,
        ),
        ImageSource::OciArchive { path, tag } => {
            oci::open_layout_archive(path, tag.as_deref(), &reference, platform)
        }
        ImageSource::Registry(remote) => registry::open_registry(
            remote,
            &registry::RegistryOptions {
                platform: options.platform.clone(),
                ..options.registry.clone()
            },
        ),
        ImageSource::Docker { name } | ImageSource::Podman { name } => {
            let kind = match source {
                ImageSource::Docker { .. } => engine::EngineKind::Docker,
                _ => engine::EngineKind::Podman,
            };
            engine::open_engine(
                kind,
                name,
                &engine::EngineOptions {
                    platform: options.platform.clone(),
                    verify_layers: options.verify_archive_layers,
                    ..options.engine.clone()
                },
            )
        }
    }
}

/// Refuses an image whose config names another platform than the one explicitly asked for.
pub(crate) fn check_platform(
    reference: &str,
    metadata: &ImageMetadata,
    wanted: Option<&Platform>,
) -> Result<(), ImageError> {
    let Some(wanted) = wanted else {
        return Ok(());
    };
    if metadata.os.is_empty() && metadata.architecture.is_empty() {
        return Ok(());
    }
    let spec = manifest::PlatformSpec {
        architecture: metadata.architecture.clone(),
        os: metadata.os.clone(),
        variant: metadata.variant.clone(),
        ..Default::default()
    };
    if wanted.matches(&spec) {
        Ok(())
    } else {
        Err(ImageError::Platform {
            image: reference.to_owned(),
            platform: wanted.to_string(),
            available: spec.to_string(),
        })
    }
}
