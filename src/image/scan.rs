//! From an opened image to its inventory: walk every layer once, in parallel (one layer per
//! task, each through its own stream), merge the layers in order, run the catalogers.
//!
//! Memory holds only what catalogers asked for plus one compact metadata record per path, so
//! it does not grow with the size of the image's content.

use rayon::prelude::*;
use serde::Serialize;

use super::catalog::{Cataloger, Distro, Package};
use super::error::ImageError;
use super::filesystem::FileSystem;
use super::hygiene::HygieneFinding;
use super::layers::{walk_layer, Compression, LayerContents, LayerSpec, Limits};
use super::metadata::{parse_config, ImageMetadata};
use super::secrets::image::{LayerSecret, SecretsCataloger};
use super::secrets::SecretScanner;
use super::source::OpenedImage;

/// One layer of the image, as the inventory reports it.
#[derive(Debug, Clone, Serialize)]
pub struct LayerInfo {
    /// Manifest order, base first.
    pub index: usize,
    pub media_type: String,
    /// Digest of the blob as stored (what registries and manifests name).
    pub digest: String,
    /// Stored size.
    pub size: u64,
    /// Digest of the uncompressed tar (`rootfs.diff_ids`), when the config has it.
    pub diff_id: Option<String>,
    /// The build step that made it (history `created_by`), when history maps to layers.
    pub created_by: Option<String>,
    pub compression: Compression,
    /// Entries in the layer's tar (whiteouts excluded).
    pub entries: usize,
    /// Uncompressed tar size.
    pub tar_bytes: u64,
}

/// Everything the scan learned about an image.
#[derive(Debug)]
pub struct Inventory {
    /// The reference as given.
    pub reference: String,
    pub manifest_digest: Option<String>,
    pub config_digest: Option<String>,
    pub metadata: ImageMetadata,
    pub distro: Option<Distro>,
    pub layers: Vec<LayerInfo>,
    /// Sorted by ecosystem, name, version.
    pub packages: Vec<Package>,
    /// The merged filesystem: every final path with its metadata and introducing layer (for
    /// hygiene checks), and the files catalogers kept.
    pub files: FileSystem,
    /// Secrets in the files of every layer (also files later layers deleted), when the
    /// inventory was built with a [`SecretScanner`].
    pub secrets: Vec<LayerSecret>,
    /// Sensitive files that a later layer deletes but an earlier one still ships (found on
    /// the layers before their merge, which forgets deleted files).
    pub deleted_sensitive: Vec<HygieneFinding>,
    /// Things that did not stop the scan (`layer N: …`, `CATALOGER: …`).
    pub problems: Vec<String>,
}

/// Builds the inventory of `image` with the default [`Limits`].
pub fn inventory(
    image: OpenedImage,
    catalogers: &[&dyn Cataloger],
) -> Result<Inventory, ImageError> {
    inventory_with(image, catalogers, &Limits::default())
}

/// Builds the inventory of `image`, walking layers in parallel on rayon's pool.
pub fn inventory_with(
    image: OpenedImage,
    catalogers: &[&dyn Cataloger],
    limits: &Limits,
) -> Result<Inventory, ImageError> {
    inventory_with_secrets(image, catalogers, limits, None)
}

/// Builds the inventory of `image`; with `secrets`, every regular file of every layer is also
/// scanned for secrets as the layer streams by ([`Inventory::secrets`]).
pub fn inventory_with_secrets(
    image: OpenedImage,
    catalogers: &[&dyn Cataloger],
    limits: &Limits,
    secrets: Option<&SecretScanner>,
) -> Result<Inventory, ImageError> {
    let secrets = secrets.map(SecretsCataloger::new);
    let mut walkers: Vec<&dyn Cataloger> = catalogers.to_vec();
    if let Some(secrets) = &secrets {
        walkers.push(secrets);
    }
    let metadata = parse_config(&image.config, Some(image.layers.len())).map_err(|message| {
        ImageError::Format {
            image: image.reference.clone(),
            message,
        }
    })?;
    let reference = image.reference.as_str();
    let reader = image.reader.as_ref();
    let walked: Vec<LayerContents> = image
        .layers
        .par_iter()
        .enumerate()
        .map(|(index, descriptor)| {
            let spec = LayerSpec {
                image: reference,
                index,
                digest: &descriptor.digest,
            };
            let stream = reader.open(index)?;
            walk_layer(stream, &spec, &walkers, limits)
        })
        .collect::<Result<_, _>>()?;

    let layers: Vec<LayerInfo> = image
        .layers
        .iter()
        .zip(&walked)
        .enumerate()
        .map(|(index, (descriptor, contents))| LayerInfo {
            index,
            media_type: descriptor.media_type.clone(),
            digest: descriptor.digest.clone(),
            size: descriptor.size,
            diff_id: metadata.diff_ids.get(index).cloned(),
            created_by: metadata
                .layer_history(index)
                .and_then(|h| h.created_by.clone()),
            compression: contents.compression,
            entries: contents.entries.len(),
            tar_bytes: contents.tar_bytes,
        })
        .collect();

    let secrets = secrets
        .map(|s| s.collect(&walked, catalogers.len()))
        .unwrap_or_default();
    let deleted_sensitive = super::hygiene::deleted_files::check(&walked);
    let mut files = FileSystem::merge(walked);
    let mut problems = files.take_problems();

    let cataloged: Vec<(Vec<Package>, Vec<String>)> = catalogers
        .par_iter()
        .enumerate()
        .map(|(index, cataloger)| {
            let view = files.view(index);
            let mut found = Vec::new();
            let packages = cataloger.catalog(&view, &mut found);
            let name = cataloger.name();
            let found = found.into_iter().map(|p| format!("{name}: {p}")).collect();
            (packages, found)
        })
        .collect();
    let mut packages = Vec::new();
    for (mut found, mut trouble) in cataloged {
        packages.append(&mut found);
        problems.append(&mut trouble);
    }
    packages.sort_by(|a, b| {
        (a.ecosystem, &a.name, &a.version, &a.evidence).cmp(&(
            b.ecosystem,
            &b.name,
            &b.version,
            &b.evidence,
        ))
    });

    Ok(Inventory {
        reference: image.reference,
        manifest_digest: image.manifest_digest,
        config_digest: image.config_digest,
        distro: super::catalog::ImageFiles::distro(&files).cloned(),
        metadata,
        layers,
        packages,
        files,
        secrets,
        deleted_sensitive,
        problems,
    })
}

#[cfg(test)]
mod tests;
