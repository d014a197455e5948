//! Tar files as image stores, without extracting anything: [`TarIndex`] records where each
//! member's bytes lie in the file (one pass that seeks over the contents), and every blob is
//! then read as a section of the file through its own handle, so layers can stream in
//! parallel. Used for docker-archives (here) and OCI archives (`oci.rs`).
//!
//! A docker-archive (`docker save`, `skopeo copy … docker-archive:`) holds `manifest.json`
//! (a list of images: config path, layer paths, tags), the config JSON and the layers as
//! uncompressed tars. Three layouts exist and are all read:
//! - skopeo: `<diff-id hex>.tar` plus a legacy `<v1 id>/layer.tar` symlink to it;
//! - docker before 25: `<v1 id>/layer.tar` files (symlinks for repeated layers);
//! - docker 25+: an OCI layout with `blobs/sha256/<hex>` next to `manifest.json`.
//!
//! Each layer is checked against the sha256 its name promises (`blobs/sha256/<hex>`,
//! `<hex>.tar`) or, for legacy `<id>/layer.tar` names, against the layer's diff ID from the
//! config, which is the digest of the uncompressed tar as stored.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::digest::{sha256_digest, Digest, VerifyingReader};
use super::manifest::{media_types, parse_docker_archive_manifest, DockerArchiveManifest};
use super::{Descriptor, LayerReader, OpenedImage, Platform};
use crate::image::error::ImageError;
use crate::image::layers::read_up_to;
use crate::image::metadata;
use crate::reference::Reference;

/// Largest `manifest.json`, `index.json` or manifest read into memory.
pub const MAX_MANIFEST_BYTES: u64 = 4 << 20;
/// Largest image configuration read into memory.
pub const MAX_CONFIG_BYTES: u64 = 32 << 20;
/// Link hops followed inside an archive before giving up.
const MAX_LINK_HOPS: usize = 16;

#[derive(Debug, Clone)]
enum Member {
    File { offset: u64, size: u64 },
    Symlink(String),
    HardLink(String),
    Other,
}

/// Where each member of a tar file is, by normalised name (no `./`, no leading `/`).
#[derive(Debug)]
pub struct TarIndex {
    path: PathBuf,
    /// The name used in messages (the user's reference).
    image: String,
    members: HashMap<String, Member>,
}

impl TarIndex {
    /// Indexes `path` in one pass, seeking over member contents.
    pub fn build(path: &Path, image: &str) -> Result<TarIndex, ImageError> {
        let io_error = |source| ImageError::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = File::open(path).map_err(io_error)?;
        let mut magic = [0u8; 4];
        let n = read_up_to(&mut file, &mut magic).map_err(io_error)?;
        let format = |message: String| ImageError::Format {
            image: image.to_owned(),
            message,
        };
        if n >= 2 && magic[..2] == [0x1f, 0x8b] || n == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd] {
            return Err(format(format!(
                "{} is compressed; decompress it first (gunzip / zstd -d): image archives are \
                 read in place, which needs a plain tar",
                path.display()
            )));
        }
        file.seek(SeekFrom::Start(0)).map_err(io_error)?;
        let mut archive = tar::Archive::new(io::BufReader::new(file));
        let mut members = HashMap::new();
        let entries = archive
            .entries_with_seek()
            .map_err(|e| format(format!("{} is not a tar archive: {e}", path.display())))?;
        for entry in entries {
            let entry = entry.map_err(|e| {
                format(format!(
                    "{} is not a valid tar archive: {e}",
                    path.display()
                ))
            })?;
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let Some(name) = normalize(&name) else {
                continue;
            };
            let kind = entry.header().entry_type();
            let link = || {
                entry
                    .link_name_bytes()
                    .map(|l| String::from_utf8_lossy(&l).into_owned())
                    .unwrap_or_default()
            };
            let member = if kind.is_file() || kind == tar::EntryType::Continuous {
                Member::File {
                    offset: entry.raw_file_position(),
                    size: entry.size(),
                }
            } else if kind.is_symlink() {
                Member::Symlink(link())
            } else if kind.is_hard_link() {
                Member::HardLink(link())
            } else {
                Member::Other
            };
            members.insert(name, member);
        }
        if members.is_empty() {
            return Err(format(format!(
                "{} is an empty or invalid tar archive",
                path.display()
            )));
        }
        Ok(TarIndex {
            path: path.to_owned(),
            image: image.to_owned(),
            members,
        })
    }

    /// Whether a member (after links) is a regular file.
    pub fn contains(&self, name: &str) -> bool {
        self.section(name).is_some()
    }

    /// `(offset, size)` of a member's bytes, following symlinks (relative to the member's
    /// directory) and hard links (relative to the root).
    pub fn section(&self, name: &str) -> Option<(u64, u64)> {
        let mut name = normalize(name)?;
        for _ in 0..MAX_LINK_HOPS {
            match self.members.get(&name)? {
                Member::File { offset, size } => return Some((*offset, *size)),
                Member::Symlink(target) => {
                    let base = name.rsplit_once('/').map_or("", |(dir, _)| dir);
                    let joined = if target.starts_with('/') {
                        target.clone()
                    } else {
                        format!("{base}/{target}")
                    };
                    name = normalize(&joined)?;
                }
                Member::HardLink(target) => name = normalize(target)?,
                Member::Other => return None,
            }
        }
        None
    }

    /// A member's bytes, refusing more than `limit`.
    pub fn read(&self, name: &str, limit: u64) -> Result<Vec<u8>, ImageError> {
        let (offset, size) = self.section(name).ok_or_else(|| self.missing(name))?;
        if size > limit {
            return Err(ImageError::Format {
                image: self.image.clone(),
                message: format!("{name} is {size} bytes, more than the {limit} allowed"),
            });
        }
        let mut out = Vec::with_capacity(size as usize);
        self.open_section(offset, size)?
            .read_to_end(&mut out)
            .map_err(|e| self.io(e))?;
        if out.len() as u64 != size {
            return Err(self.truncated(name));
        }
        Ok(out)
    }

    /// A fresh handle reading one member.
    pub fn open(&self, name: &str) -> Result<io::Take<File>, ImageError> {
        let (offset, size) = self.section(name).ok_or_else(|| self.missing(name))?;
        self.open_section(offset, size)
    }

    fn open_section(&self, offset: u64, size: u64) -> Result<io::Take<File>, ImageError> {
        let mut file = File::open(&self.path).map_err(|e| self.io(e))?;
        file.seek(SeekFrom::Start(offset)).map_err(|e| self.io(e))?;
        Ok(file.take(size))
    }

    /// The archive file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, source: io::Error) -> ImageError {
        ImageError::Io {
            path: self.path.clone(),
            source,
        }
    }

    fn missing(&self, name: &str) -> ImageError {
        ImageError::Format {
            image: self.image.clone(),
            message: format!("{} has no member {name}", self.path.display()),
        }
    }

    fn truncated(&self, name: &str) -> ImageError {
        ImageError::Format {
            image: self.image.clone(),
            message: format!("{} is truncated inside {name}", self.path.display()),
        }
    }
}

/// `./a//b/../c` → `a/c`; `None` for the root itself or a name climbing above it.
pub(crate) fn normalize(name: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The sha256 a member's name promises: `blobs/sha256/<hex>`, `<hex>.tar`, `<hex>.json`.
fn digest_from_name(name: &str) -> Option<String> {
    let name = normalize(name)?;
    let candidate = if let Some(rest) = name.strip_prefix("blobs/") {
        let (algorithm, hex) = rest.split_once('/')?;
        format!("{algorithm}:{hex}")
    } else {
        let stem = name.strip_suffix(".tar").or(name.strip_suffix(".json"))?;
        if stem.contains('/') {
            return None;
        }
        format!("sha256:{stem}")
    };
    Digest::parse(&candidate).ok().map(|d| d.to_string())
}

/// Reads layers of an archive as sections of the file, checked against their digests when
/// `verify` is set.
pub(crate) struct SectionLayers {
    pub index: std::sync::Arc<TarIndex>,
    /// Member name of each layer, manifest order.
    pub members: Vec<String>,
    pub layers: Vec<Descriptor>,
    pub verify: bool,
}

impl LayerReader for SectionLayers {
    fn open(&self, index: usize) -> Result<Box<dyn Read + Send>, ImageError> {
        let (member, descriptor) = self
            .members
            .get(index)
            .zip(self.layers.get(index))
            .ok_or_else(|| ImageError::Format {
                image: self.index.image.clone(),
                message: format!("no layer {index}"),
            })?;
        let section = self.index.open(member)?;
        if !self.verify {
            return Ok(Box::new(section));
        }
        let size = section.limit();
        let reader =
            VerifyingReader::new(section, &descriptor.digest, Some(size)).map_err(|message| {
                ImageError::Format {
                    image: self.index.image.clone(),
                    message: format!("layer {index}: {message}"),
                }
            })?;
        Ok(Box::new(reader))
    }
}

/// Opens a docker-archive. `image` picks one of several images by a `RepoTags` entry.
///
/// `verify_layers` hashes every layer while it is read. It is off by default for local
/// archives: the digests come from the same file as the layers, so the check only catches
/// corruption, and on uncompressed archives hashing is most of the scan's time. The manifest
/// and config are always checked.
pub fn open_docker_archive(
    path: &Path,
    image: Option<&str>,
    reference: &str,
    platform: Option<&Platform>,
    verify_layers: bool,
) -> Result<OpenedImage, ImageError> {
    let format = |message: String| ImageError::Format {
        image: reference.to_owned(),
        message,
    };
    let index = std::sync::Arc::new(TarIndex::build(path, reference)?);
    if !index.contains("manifest.json") {
        let hint = if index.contains("index.json") {
            format!("; it is an OCI archive: use oci-archive:{}", path.display())
        } else {
            String::new()
        };
        return Err(format(format!(
            "no manifest.json in {}{hint}",
            path.display()
        )));
    }
    let manifest_bytes = index.read("manifest.json", MAX_MANIFEST_BYTES)?;
    let images = parse_docker_archive_manifest(&manifest_bytes).map_err(format)?;
    let chosen = choose_image(&images, image).map_err(|message| match image {
        Some(_) => ImageError::NotFound {
            image: reference.to_owned(),
            message,
        },
        None => format(message),
    })?;

    let config = index.read(&chosen.config, MAX_CONFIG_BYTES)?;
    let config_digest = match digest_from_name(&chosen.config) {
        Some(expected) => {
            let actual = sha256_digest(&config);
            if Digest::parse(&expected).is_ok_and(|d| !d.matches(&config)) {
                return Err(ImageError::DigestMismatch {
                    image: reference.to_owned(),
                    expected,
                    actual,
                });
            }
            expected
        }
        None => sha256_digest(&config),
    };
    let meta = metadata::parse_config(&config, Some(chosen.layers.len())).map_err(format)?;
    super::check_platform(reference, &meta, platform)?;
    if !meta.diff_ids.is_empty() && meta.diff_ids.len() != chosen.layers.len() {
        return Err(format(format!(
            "manifest.json lists {} layers but the config has {} diff IDs",
            chosen.layers.len(),
            meta.diff_ids.len()
        )));
    }

    let mut layers = Vec::with_capacity(chosen.layers.len());
    for (i, member) in chosen.layers.iter().enumerate() {
        let (_, size) = index.section(member).ok_or_else(|| {
            format(format!(
                "layer {i} ({member}) is missing from {}",
                path.display()
            ))
        })?;
        let digest = digest_from_name(member)
            .or_else(|| meta.diff_ids.get(i).cloned())
            .ok_or_else(|| {
                format(format!(
                    "layer {i} ({member}): no digest to check it against (no content-addressed \
                     name and no diff ID in the config)"
                ))
            })?;
        let media_type = chosen
            .layer_sources
            .as_ref()
            .and_then(|sources| sources.get(&digest))
            .filter(|d| d.digest == digest && !d.media_type.is_empty())
            .map_or_else(
                || media_types::DOCKER_LAYER_TAR.to_owned(),
                |d| d.media_type.clone(),
            );
        layers.push(Descriptor {
            media_type,
            digest,
            size,
        });
    }
    Ok(OpenedImage {
        reference: reference.to_owned(),
        manifest_digest: None,
        config,
        config_digest: Some(config_digest),
        layers: layers.clone(),
        reader: Box::new(SectionLayers {
            index,
            members: chosen.layers.clone(),
            layers,
            verify: verify_layers,
        }),
    })
}

fn choose_image<'a>(
    images: &'a [DockerArchiveManifest],
    wanted: Option<&str>,
) -> Result<&'a DockerArchiveManifest, String> {
    let tags = || {
        let all: Vec<&str> = images
            .iter()
            .flat_map(|i| i.repo_tags.iter().flatten())
            .map(String::as_str)
            .collect();
        if all.is_empty() {
            "none".to_owned()
        } else {
            all.join(", ")
        }
    };
    match (wanted, images) {
        (_, []) => Err("manifest.json lists no image".into()),
        (None, [only]) => Ok(only),
        (None, _) => Err(format!(
            "the archive holds {} images; pick one with docker-archive:PATH:NAME:TAG (tags: {})",
            images.len(),
            tags()
        )),
        (Some(wanted), _) => {
            let want = Reference::parse(wanted);
            images
                .iter()
                .find(|i| {
                    i.repo_tags.iter().flatten().any(|tag| {
                        tag == wanted || (want.is_some() && Reference::parse(tag) == want)
                    })
                })
                .ok_or_else(|| {
                    format!(
                        "no image tagged `{wanted}` in the archive (tags: {})",
                        tags()
                    )
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tar_with(
        members: &[(&str, &[u8])],
        links: &[(&str, &str, tar::EntryType)],
    ) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut builder = tar::Builder::new(file.reopen().unwrap());
        for (name, data) in members {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, name, *data).unwrap();
        }
        for (name, target, kind) in links {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(*kind);
            header.set_size(0);
            builder.append_link(&mut header, name, target).unwrap();
        }
        builder.finish().unwrap();
        file
    }

    #[test]
    fn indexes_sections_and_follows_links() {
        let file = tar_with(
            &[("./a.txt", b"hello"), ("dir/b.bin", b"0123456789")],
            &[
                ("dir/link", "../a.txt", tar::EntryType::Symlink),
                ("hard", "dir/b.bin", tar::EntryType::Link),
                ("loop1", "loop2", tar::EntryType::Symlink),
                ("loop2", "loop1", tar::EntryType::Symlink),
                ("escape", "../../etc/passwd", tar::EntryType::Symlink),
            ],
        );
        let index = TarIndex::build(file.path(), "t").unwrap();
        assert_eq!(index.read("a.txt", 100).unwrap(), b"hello");
        assert_eq!(index.read("/dir/link", 100).unwrap(), b"hello");
        assert_eq!(index.read("hard", 100).unwrap(), b"0123456789");
        let mut part = index.open("dir/b.bin").unwrap();
        let mut two = [0u8; 2];
        part.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"01");
        assert!(index.section("loop1").is_none());
        assert!(index.section("escape").is_none());
        assert!(index
            .read("a.txt", 2)
            .unwrap_err()
            .to_string()
            .contains("more than"));
        assert!(index
            .read("nope", 2)
            .unwrap_err()
            .to_string()
            .contains("no member nope"));
    }

    #[test]
    fn refuses_compressed_and_non_tar_files() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), [0x1f, 0x8b, 8, 0, 0, 0]).unwrap();
        let error = TarIndex::build(file.path(), "t").unwrap_err().to_string();
        assert!(error.contains("decompress it first"), "{error}");
        std::fs::write(file.path(), vec![b'x'; 2048]).unwrap();
        assert!(TarIndex::build(file.path(), "t").is_err());
        std::fs::write(file.path(), b"").unwrap();
        assert!(TarIndex::build(file.path(), "t")
            .unwrap_err()
            .to_string()
            .contains("empty"));
    }

    #[test]
    fn names_promise_digests() {
        let hex = "a".repeat(64);
        assert_eq!(
            digest_from_name(&format!("blobs/sha256/{hex}")),
            Some(format!("sha256:{hex}"))
        );
        assert_eq!(
            digest_from_name(&format!("{hex}.tar")),
            Some(format!("sha256:{hex}"))
        );
        assert_eq!(
            digest_from_name(&format!("./{hex}.json")),
            Some(format!("sha256:{hex}"))
        );
        assert_eq!(digest_from_name(&format!("{hex}/layer.tar")), None);
        assert_eq!(digest_from_name("blobs/sha256/xyz"), None);
    }

    #[test]
    fn normalizes_member_names() {
        assert_eq!(normalize("./a//b/./c").as_deref(), Some("a/b/c"));
        assert_eq!(normalize("a/../b").as_deref(), Some("b"));
        assert_eq!(normalize("../x"), None);
        assert_eq!(normalize("./"), None);
    }

    #[test]
    fn chooses_images_by_tag() {
        let image = |tag: &str| DockerArchiveManifest {
            config: "c.json".into(),
            repo_tags: Some(vec![tag.into()]),
            layers: vec![],
            layer_sources: None,
        };
        let images = [image("docker.io/library/a:1"), image("b:2")];
        assert!(choose_image(&images, None)
            .unwrap_err()
            .contains("pick one"));
        assert_eq!(
            choose_image(&images, Some("a:1")).unwrap().repo_tags,
            images[0].repo_tags
        );
        assert_eq!(
            choose_image(&images, Some("b:2")).unwrap().repo_tags,
            images[1].repo_tags
        );
        assert!(choose_image(&images, Some("c:3"))
            .unwrap_err()
            .contains("b:2"));
        assert!(choose_image(&images[..1], None).is_ok());
    }
}
