//! OCI image layouts: a directory (`oci:DIR`) or a tar of one (`oci-archive:PATH`).
//!
//! A layout has an `oci-layout` marker, an `index.json` listing manifests (tagged with the
//! `org.opencontainers.image.ref.name` annotation), and content-addressed blobs under
//! `blobs/<algorithm>/<hex>`. Indexes may nest (a tag pointing at a multi-platform index).
//! Every blob read is checked against its digest: manifests, indexes and the config at once,
//! layers while they stream.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::archive::{TarIndex, MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES};
use super::digest::{Digest, VerifyingReader};
use super::manifest::{
    annotations, media_types, ContentDescriptor, ImageIndex, ImageManifest, Manifest,
    OciLayoutMarker,
};
use super::{Descriptor, LayerReader, OpenedImage, Platform};
use crate::image::error::ImageError;
use crate::image::metadata;

/// Nested indexes followed before giving up.
const MAX_INDEX_DEPTH: usize = 4;

/// Where a layout's files live.
trait LayoutStore: Send + Sync {
    /// Whether the file exists (as a regular file).
    fn exists(&self, relative: &str) -> bool;
    /// The file's size, if it exists.
    fn size(&self, relative: &str) -> Option<u64>;
    /// The whole file, refusing more than `limit` bytes.
    fn read(&self, relative: &str, limit: u64) -> Result<Vec<u8>, ImageError>;
    /// A fresh stream of the file.
    fn open(&self, relative: &str) -> Result<Box<dyn Read + Send>, ImageError>;
    /// Where the layout is, for messages.
    fn location(&self) -> &Path;
}

struct DirStore {
    root: PathBuf,
    image: String,
}

impl LayoutStore for DirStore {
    fn exists(&self, relative: &str) -> bool {
        self.root.join(relative).is_file()
    }

    fn size(&self, relative: &str) -> Option<u64> {
        std::fs::metadata(self.root.join(relative))
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    }

    fn read(&self, relative: &str, limit: u64) -> Result<Vec<u8>, ImageError> {
        let path = self.root.join(relative);
        let file = File::open(&path).map_err(|source| ImageError::Io {
            path: path.clone(),
            source,
        })?;
        let mut out = Vec::new();
        file.take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|source| ImageError::Io {
                path: path.clone(),
                source,
            })?;
        if out.len() as u64 > limit {
            return Err(ImageError::Format {
                image: self.image.clone(),
                message: format!("{relative} is larger than the {limit} bytes allowed"),
            });
        }
        Ok(out)
    }

    fn open(&self, relative: &str) -> Result<Box<dyn Read + Send>, ImageError> {
        let path = self.root.join(relative);
        File::open(&path)
            .map(|f| Box::new(f) as Box<dyn Read + Send>)
            .map_err(|source| ImageError::Io { path, source })
    }

    fn location(&self) -> &Path {
        &self.root
    }
}

struct ArchiveStore {
    index: TarIndex,
}

impl LayoutStore for ArchiveStore {
    fn exists(&self, relative: &str) -> bool {
        self.index.contains(relative)
    }

    fn size(&self, relative: &str) -> Option<u64> {
        self.index.section(relative).map(|(_, size)| size)
    }

    fn read(&self, relative: &str, limit: u64) -> Result<Vec<u8>, ImageError> {
        self.index.read(relative, limit)
    }

    fn open(&self, relative: &str) -> Result<Box<dyn Read + Send>, ImageError> {
        Ok(Box::new(self.index.open(relative)?))
    }

    fn location(&self) -> &Path {
        self.index.path()
    }
}

/// Opens `oci:DIR[:TAG|@DIGEST]`.
pub fn open_layout_dir(
    dir: &Path,
    tag: Option<&str>,
    digest: Option<&str>,
    reference: &str,
    platform: Option<&Platform>,
) -> Result<OpenedImage, ImageError> {
    if !dir.is_dir() {
        return Err(ImageError::NotFound {
            image: reference.to_owned(),
            message: format!("{} is not a directory", dir.display()),
        });
    }
    let store = DirStore {
        root: dir.to_owned(),
        image: reference.to_owned(),
    };
    open_layout(Arc::new(store), tag, digest, reference, platform)
}

/// Opens `oci-archive:PATH[:TAG]`, reading blobs in place from the tar.
pub fn open_layout_archive(
    path: &Path,
    tag: Option<&str>,
    reference: &str,
    platform: Option<&Platform>,
) -> Result<OpenedImage, ImageError> {
    if !path.is_file() {
        return Err(ImageError::NotFound {
            image: reference.to_owned(),
            message: format!("{} is not a file", path.display()),
        });
    }
    let index = TarIndex::build(path, reference)?;
    if !index.contains("index.json") && index.contains("manifest.json") {
        return Err(ImageError::Format {
            image: reference.to_owned(),
            message: format!(
                "{} is a docker-archive, not an OCI archive: use docker-archive:{}",
                path.display(),
                path.display()
            ),
        });
    }
    open_layout(
        Arc::new(ArchiveStore { index }),
        tag,
        digest_none(),
        reference,
        platform,
    )
}

fn digest_none() -> Option<&'static str> {
    None
}

/// `blobs/<algorithm>/<hex>` of a validated digest (so no digest can name another path).
fn blob_path(digest: &str) -> Result<String, String> {
    let digest = Digest::parse(digest)?;
    Ok(format!(
        "blobs/{}/{}",
        digest.algorithm.as_str(),
        digest.hex
    ))
}

struct Layout<'a> {
    store: &'a dyn LayoutStore,
    reference: &'a str,
}

impl Layout<'_> {
    fn format(&self, message: String) -> ImageError {
        ImageError::Format {
            image: self.reference.to_owned(),
            message,
        }
    }

    /// Reads a small blob and checks it against the descriptor's digest and size.
    fn read_blob(&self, descriptor: &ContentDescriptor, limit: u64) -> Result<Vec<u8>, ImageError> {
        let path = blob_path(&descriptor.digest).map_err(|m| self.format(m))?;
        if !self.store.exists(&path) {
            return Err(ImageError::NotFound {
                image: self.reference.to_owned(),
                message: format!(
                    "blob {} is missing from {}",
                    descriptor.digest,
                    self.store.location().display()
                ),
            });
        }
        let bytes = self.store.read(&path, limit)?;
        let expected = Digest::parse(&descriptor.digest).map_err(|m| self.format(m))?;
        let size_ok = descriptor.size == 0 || descriptor.size == bytes.len() as u64;
        if !expected.matches(&bytes) || !size_ok {
            return Err(ImageError::DigestMismatch {
                image: self.reference.to_owned(),
                expected: descriptor.digest.clone(),
                actual: Digest::of(expected.algorithm, &bytes).to_string(),
            });
        }
        Ok(bytes)
    }

    fn check_marker(&self) -> Result<(), ImageError> {
        if !self.store.exists("oci-layout") {
            let hint = if self.store.exists("manifest.json") {
                "; it looks like a docker-archive (use docker-archive:)"
            } else {
                ""
            };
            return Err(self.format(format!(
                "{} is not an OCI image layout (no oci-layout file){hint}",
                self.store.location().display()
            )));
        }
        let marker = self.store.read("oci-layout", 64 << 10)?;
        let marker: OciLayoutMarker = serde_json::from_slice(&marker)
            .map_err(|e| self.format(format!("invalid oci-layout file: {e}")))?;
        if !marker.image_layout_version.starts_with("1.") {
            return Err(self.format(format!(
                "unsupported OCI image layout version {}",
                marker.image_layout_version
            )));
        }
        Ok(())
    }

    fn top_index(&self) -> Result<ImageIndex, ImageError> {
        let bytes = self.store.read("index.json", MAX_MANIFEST_BYTES)?;
        match Manifest::parse(&bytes, Some(media_types::OCI_INDEX)) {
            Ok(Manifest::Index(index)) => Ok(index),
            Ok(Manifest::Image(_)) => unreachable!("parsed as an index"),
            Err(message) => Err(self.format(format!("index.json: {message}"))),
        }
    }

    /// The entry of `index.json` the user means.
    fn choose_top(
        &self,
        index: &ImageIndex,
        tag: Option<&str>,
        digest: Option<&str>,
        platform: &Platform,
    ) -> Result<ContentDescriptor, ImageError> {
        let tags = || {
            let list: Vec<&str> = index
                .manifests
                .iter()
                .filter_map(|d| d.annotation(annotations::REF_NAME))
                .collect();
            if list.is_empty() {
                "no tags".to_owned()
            } else {
                format!("tags: {}", list.join(", "))
            }
        };
        if let Some(digest) = digest {
            if let Some(found) = index.manifests.iter().find(|d| d.digest == digest) {
                return Ok(found.clone());
            }
            // Any manifest blob in the layout may be named, listed or not.
            let path = blob_path(digest).map_err(|m| self.format(m))?;
            return match self.store.size(&path) {
                Some(size) => Ok(ContentDescriptor {
                    media_type: String::new(),
                    digest: digest.to_owned(),
                    size,
                    urls: vec![],
                    annotations: Default::default(),
                    platform: None,
                    artifact_type: None,
                }),
                None => Err(ImageError::NotFound {
                    image: self.reference.to_owned(),
                    message: format!("no manifest {digest} in the layout"),
                }),
            };
        }
        let candidates: Vec<&ContentDescriptor> = match tag {
            Some(tag) => index
                .manifests
                .iter()
                .filter(|d| tag_matches(d, tag))
                .collect(),
            None => index.manifests.iter().collect(),
        };
        match candidates.as_slice() {
            [] if tag.is_some() => Err(ImageError::NotFound {
                image: self.reference.to_owned(),
                message: format!(
                    "no image tagged `{}` in the layout ({})",
                    tag.unwrap_or(""),
                    tags()
                ),
            }),
            [] => Err(self.format("index.json lists no image".into())),
            [only] => Ok((*only).clone()),
            several => {
                // Several entries: platform variants of one image, or different images.
                let sub = ImageIndex {
                    schema_version: 2,
                    media_type: None,
                    manifests: several.iter().map(|d| (*d).clone()).collect(),
                    annotations: Default::default(),
                };
                if several.iter().all(|d| d.platform.is_some()) {
                    sub.select(platform)
                        .cloned()
                        .ok_or_else(|| ImageError::Platform {
                            image: self.reference.to_owned(),
                            platform: platform.to_string(),
                            available: sub.platforms(),
                        })
                } else {
                    Err(self.format(format!(
                        "the layout holds {} images; pick one with oci:DIR:TAG ({})",
                        several.len(),
                        tags()
                    )))
                }
            }
        }
    }

    /// Follows indexes down to one image manifest; returns it with its digest.
    fn resolve(
        &self,
        mut descriptor: ContentDescriptor,
        platform: &Platform,
    ) -> Result<(ImageManifest, String), ImageError> {
        for _ in 0..=MAX_INDEX_DEPTH {
            let bytes = self.read_blob(&descriptor, MAX_MANIFEST_BYTES)?;
            let hint =
                (!descriptor.media_type.is_empty()).then_some(descriptor.media_type.as_str());
            let manifest = Manifest::parse(&bytes, hint)
                .map_err(|m| self.format(format!("manifest {}: {m}", descriptor.digest)))?;
            match manifest {
                Manifest::Image(image) => return Ok((image, descriptor.digest)),
                Manifest::Index(index) => {
                    descriptor =
                        index
                            .select(platform)
                            .cloned()
                            .ok_or_else(|| ImageError::Platform {
                                image: self.reference.to_owned(),
                                platform: platform.to_string(),
                                available: index.platforms(),
                            })?;
                }
            }
        }
        Err(self.format(format!("indexes nest deeper than {MAX_INDEX_DEPTH} levels")))
    }
}

fn tag_matches(descriptor: &ContentDescriptor, tag: &str) -> bool {
    let ref_name = descriptor.annotation(annotations::REF_NAME);
    if ref_name == Some(tag) {
        return true;
    }
    // Full references (`docker.io/library/x:1`) in either annotation match their tag or the
    // whole reference.
    [
        ref_name,
        descriptor.annotation(annotations::CONTAINERD_IMAGE_NAME),
    ]
    .into_iter()
    .flatten()
    .any(|name| {
        name == tag
            || name
                .rsplit_once(':')
                .is_some_and(|(repo, t)| !repo.is_empty() && t == tag && !t.contains('/'))
    })
}

fn open_layout(
    store: Arc<dyn LayoutStore>,
    tag: Option<&str>,
    digest: Option<&str>,
    reference: &str,
    platform: Option<&Platform>,
) -> Result<OpenedImage, ImageError> {
    let wanted = platform.cloned().unwrap_or_else(Platform::host);
    let layout = Layout {
        store: store.as_ref(),
        reference,
    };
    layout.check_marker()?;
    let index = layout.top_index()?;
    let top = layout.choose_top(&index, tag, digest, &wanted)?;
    let (manifest, manifest_digest) = layout.resolve(top, &wanted)?;
    let config = layout.read_blob(&manifest.config, MAX_CONFIG_BYTES)?;
    let meta = metadata::parse_config(&config, Some(manifest.layers.len()))
        .map_err(|m| layout.format(m))?;
    super::check_platform(reference, &meta, platform)?;
    if !meta.diff_ids.is_empty() && meta.diff_ids.len() != manifest.layers.len() {
        return Err(layout.format(format!(
            "the manifest lists {} layers but the config has {} diff IDs",
            manifest.layers.len(),
            meta.diff_ids.len()
        )));
    }
    let mut paths = Vec::with_capacity(manifest.layers.len());
    for (i, layer) in manifest.layers.iter().enumerate() {
        let path =
            blob_path(&layer.digest).map_err(|m| layout.format(format!("layer {i}: {m}")))?;
        if !store.exists(&path) {
            let foreign = if layer.urls.is_empty() {
                String::new()
            } else {
                format!(
                    " (a non-distributable layer, published at {})",
                    layer.urls.join(", ")
                )
            };
            return Err(ImageError::NotFound {
                image: reference.to_owned(),
                message: format!("layer {i} blob {} is missing{foreign}", layer.digest),
            });
        }
        paths.push(path);
    }
    let layers: Vec<Descriptor> = manifest.layers.iter().map(|l| l.to_descriptor()).collect();
    Ok(OpenedImage {
        reference: reference.to_owned(),
        manifest_digest: Some(manifest_digest),
        config,
        config_digest: Some(manifest.config.digest.clone()),
        layers: layers.clone(),
        reader: Box::new(StoreLayers {
            store,
            paths,
            layers,
            reference: reference.to_owned(),
        }),
    })
}

struct StoreLayers {
    store: Arc<dyn LayoutStore>,
    paths: Vec<String>,
    layers: Vec<Descriptor>,
    reference: String,
}

impl LayerReader for StoreLayers {
    fn open(&self, index: usize) -> Result<Box<dyn Read + Send>, ImageError> {
        let (path, layer) = self
            .paths
            .get(index)
            .zip(self.layers.get(index))
            .ok_or_else(|| ImageError::Format {
                image: self.reference.clone(),
                message: format!("no layer {index}"),
            })?;
        let stream = self.store.open(path)?;
        let size = (layer.size > 0).then_some(layer.size);
        let reader = VerifyingReader::new(stream, &layer.digest, size).map_err(|message| {
            ImageError::Format {
                image: self.reference.clone(),
                message: format!("layer {index}: {message}"),
            }
        })?;
        Ok(Box::new(reader))
    }
}

#[cfg(test)]
pub(crate) mod tests;
