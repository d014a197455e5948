//! Pulling an image over the OCI distribution API (`registry:`/plain `NAME[:TAG|@DIGEST]`).
//!
//! [`open_registry`] fetches the manifest (asking for all four manifest media types: a
//! distribution 2.8 registry answers 404 to an OCI manifest request without the OCI type),
//! resolves an image index to the requested platform, and fetches and verifies the config.
//! Layers are not downloaded here: the returned [`LayerReader`] streams each blob when the
//! layer walk opens it, verifying its digest while it streams, so nothing is written to disk.
//!
//! Authentication (anonymous, basic, bearer token), credentials (`--username` +
//! `--password-stdin`, `~/.docker/config.json`, credential helpers), retries and timeouts are
//! described in [`client`], [`auth`] and [`credentials`].

pub mod auth;
pub mod client;
pub mod credentials;

use std::path::PathBuf;
use std::sync::Arc;

/// Retry and timeout settings are shared with every other download (see [`crate::http`]).
pub use crate::http::{RetryPolicy, Timeouts};
pub use credentials::Credentials;

use self::client::{BlobStream, RegistryClient};
use super::digest::{Digest, VerifyingReader};
use super::manifest::{media_types, ContentDescriptor, Manifest, PlatformSpec};
use super::{Descriptor, LayerReader, OpenedImage, Platform};
use crate::image::error::ImageError;
use crate::reference::Reference;

/// Manifests larger than this are refused (containerd uses the same bound).
const MANIFEST_LIMIT: usize = 4 * 1024 * 1024;
/// Image configs larger than this are refused.
const CONFIG_LIMIT: usize = 32 * 1024 * 1024;
/// Index → index → manifest nesting allowed.
const MAX_INDEX_DEPTH: usize = 3;

/// How to reach a registry and which image to take from an index.
#[derive(Debug, Clone, Default)]
pub struct RegistryOptions {
    /// `--platform`; `None` means Linux on this machine's architecture.
    pub platform: Option<Platform>,
    /// `--username` + `--password-stdin`; `None` means the Docker config's.
    pub credentials: Option<Credentials>,
    /// `--insecure-registry HOST[:PORT]`: plain HTTP for these registries.
    pub insecure_registries: Vec<String>,
    /// Where `config.json` lives; `None` means `$DOCKER_CONFIG`, else `~/.docker`.
    pub docker_config_dir: Option<PathBuf>,
    pub retry: RetryPolicy,
    pub timeouts: Timeouts,
}

/// Opens `reference` from its registry: manifest (through an index when there is one),
/// verified config, and a reader that streams and verifies each layer blob.
///
/// Must not be called from inside an async runtime (it runs its own).
pub fn open_registry(
    reference: &Reference,
    options: &RegistryOptions,
) -> Result<OpenedImage, ImageError> {
    let image = display(reference);
    validate(reference, &image)?;
    let client = Arc::new(RegistryClient::new(
        &reference.registry,
        &reference.repository,
        image.clone(),
        options,
    )?);
    let wanted = options.platform.clone().unwrap_or_else(Platform::host);
    let (manifest, manifest_digest) = client.block_on(resolve(&client, reference, &wanted))?;

    let format_error = |message: String| ImageError::Format {
        image: image.clone(),
        message,
    };
    let config_descriptor = &manifest.config;
    check_digest(&config_descriptor.digest, "config").map_err(format_error)?;
    for (i, layer) in manifest.layers.iter().enumerate() {
        check_digest(&layer.digest, &format!("layer {i}")).map_err(format_error)?;
    }
    let config = client.block_on(fetch_config(&client, config_descriptor))?;
    if let Some(requested) = &options.platform {
        check_config_platform(&config, requested, &image)?;
    }
    let layers: Vec<Descriptor> = manifest
        .layers
        .iter()
        .map(ContentDescriptor::to_descriptor)
        .collect();
    Ok(OpenedImage {
        reference: image,
        manifest_digest: Some(manifest_digest),
        config,
        config_digest: Some(config_descriptor.digest.clone()),
        layers: layers.clone(),
        reader: Box::new(RegistryLayers { client, layers }),
    })
}

/// Fetches only the manifest document `reference` names (an index is not followed) and, for a
/// single-platform image, its config: enough to tell which platforms the image is published
/// for. Must not be called from inside an async runtime.
pub fn fetch_manifest(
    reference: &Reference,
    options: &RegistryOptions,
) -> Result<(Manifest, Option<Vec<u8>>), ImageError> {
    let image = display(reference);
    validate(reference, &image)?;
    let client = RegistryClient::new(
        &reference.registry,
        &reference.repository,
        image.clone(),
        options,
    )?;
    let target = match (&reference.digest, &reference.tag) {
        (Some(digest), _) => digest.clone(),
        (None, Some(tag)) => tag.clone(),
        (None, None) => "latest".to_owned(),
    };
    client.block_on(async {
        let what = format!("manifest `{target}`");
        let fetched = get_manifest(&client, &what, &target).await?;
        // As for a pull: a manifest that is not the one its digest names is refused.
        verify_manifest(
            &client,
            &fetched.body,
            reference.digest.as_deref(),
            fetched.header_digest,
        )?;
        let manifest = parse_manifest(&client, &what, &fetched.body, fetched.content_type)?;
        let config = match &manifest {
            Manifest::Image(m) => Some(fetch_config(&client, &m.config).await?),
            Manifest::Index(_) => None,
        };
        Ok((manifest, config))
    })
}

/// `registry/repository:tag@digest`, as pulled.
fn display(reference: &Reference) -> String {
    let mut text = format!("{}/{}", reference.registry, reference.repository);
    if let Some(tag) = &reference.tag {
        text.push(':');
        text.push_str(tag);
    }
    if let Some(digest) = &reference.digest {
        text.push('@');
        text.push_str(digest);
    }
    text
}

/// Repository, tag and digest end up in URLs: refuse anything the distribution spec would.
fn validate(reference: &Reference, image: &str) -> Result<(), ImageError> {
    let bad = |message: String| ImageError::BadReference {
        reference: image.to_owned(),
        message,
    };
    let repository_ok = reference.repository.split('/').all(|part| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
            && part.as_bytes()[0].is_ascii_alphanumeric()
    });
    if !repository_ok {
        return Err(bad(format!(
            "repository `{}` must be lower-case letters, digits and separators (`.`, `_`, `-`, `/`)",
            reference.repository
        )));
    }
    if let Some(tag) = &reference.tag {
        let tag_ok = tag.len() <= 128
            && tag
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            && !tag.starts_with(['.', '-']);
        if !tag_ok {
            return Err(bad(format!(
                "tag `{tag}` must be at most 128 letters, digits, `_`, `.` and `-`"
            )));
        }
    }
    if let Some(digest) = &reference.digest {
        Digest::parse(digest).map_err(bad)?;
    }
    Ok(())
}

fn check_digest(digest: &str, what: &str) -> Result<(), String> {
    Digest::parse(digest)
        .map(|_| ())
        .map_err(|e| format!("the manifest's {what} digest is invalid: {e}"))
}

/// One manifest document as the registry sent it.
struct FetchedManifest {
    body: Vec<u8>,
    content_type: Option<String>,
    /// `Docker-Content-Digest`, when the registry sent one.
    header_digest: Option<String>,
}

/// GETs the manifest `target` (a tag or a digest).
async fn get_manifest(
    client: &RegistryClient,
    what: &str,
    target: &str,
) -> Result<FetchedManifest, ImageError> {
    let url = client.manifest_url(target);
    let response = client
        .get(what, &url, Some(media_types::MANIFEST_ACCEPT), None)
        .await?;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(reqwest::header::CONTENT_TYPE.as_str());
    let header_digest = header("docker-content-digest");
    let body = client.read_body(what, response, MANIFEST_LIMIT).await?;
    Ok(FetchedManifest {
        body,
        content_type,
        header_digest,
    })
}

fn parse_manifest(
    client: &RegistryClient,
    what: &str,
    body: &[u8],
    content_type: Option<String>,
) -> Result<Manifest, ImageError> {
    Manifest::parse(body, content_type.as_deref()).map_err(|message| ImageError::Format {
        image: client.image.clone(),
        message: format!("{what}: {message}"),
    })
}

/// Fetches the manifest for the reference (by digest when it has one), following an index
/// to the manifest for `platform`. Returns it with its digest.
async fn resolve(
    client: &RegistryClient,
    reference: &Reference,
    platform: &Platform,
) -> Result<(super::manifest::ImageManifest, String), ImageError> {
    let (mut target, mut expected) = match (&reference.digest, &reference.tag) {
        (Some(digest), _) => (digest.clone(), Some(digest.clone())),
        (None, Some(tag)) => (tag.clone(), None),
        (None, None) => ("latest".to_owned(), None),
    };
    let mut media_type_hint: Option<String> = None;
    for _ in 0..MAX_INDEX_DEPTH {
        let what = match &expected {
            Some(digest) if target == *digest => format!("manifest {digest}"),
            _ => format!("manifest `{target}`"),
        };
        let fetched = get_manifest(client, &what, &target).await?;
        let digest = verify_manifest(
            client,
            &fetched.body,
            expected.as_deref(),
            fetched.header_digest,
        )?;
        let content_type = fetched.content_type.or(media_type_hint.take());
        match parse_manifest(client, &what, &fetched.body, content_type)? {
            Manifest::Image(image) => return Ok((image, digest)),
            Manifest::Index(index) => {
                let entry = index.select(platform).ok_or_else(|| ImageError::Platform {
                    image: client.image.clone(),
                    platform: platform.to_string(),
                    available: index.platforms(),
                })?;
                check_digest(&entry.digest, "index entry").map_err(|message| {
                    ImageError::Format {
                        image: client.image.clone(),
                        message,
                    }
                })?;
                target = entry.digest.clone();
                expected = Some(entry.digest.clone());
                media_type_hint = Some(entry.media_type.clone()).filter(|t| !t.is_empty());
            }
        }
    }
    Err(ImageError::Format {
        image: client.image.clone(),
        message: format!("image indexes nest more than {MAX_INDEX_DEPTH} levels deep"),
    })
}

/// Checks a manifest's bytes against the digest it was asked by (or the registry's
/// `Docker-Content-Digest`) and returns its digest.
fn verify_manifest(
    client: &RegistryClient,
    body: &[u8],
    expected: Option<&str>,
    header: Option<String>,
) -> Result<String, ImageError> {
    let promised = expected.map(str::to_owned).or(header);
    let algorithm = promised
        .as_deref()
        .and_then(|p| Digest::parse(p).ok())
        .map_or(super::digest::Algorithm::Sha256, |d| d.algorithm);
    let actual = Digest::of(algorithm, body).to_string();
    match promised {
        Some(promised) if Digest::parse(&promised).is_ok() && promised != actual => {
            Err(ImageError::DigestMismatch {
                image: client.image.clone(),
                expected: promised,
                actual,
            })
        }
        _ => Ok(actual),
    }
}

async fn fetch_config(
    client: &RegistryClient,
    descriptor: &ContentDescriptor,
) -> Result<Vec<u8>, ImageError> {
    let what = format!("config blob {}", descriptor.digest);
    let limit = CONFIG_LIMIT.min(usize::try_from(descriptor.size).unwrap_or(usize::MAX));
    let limit = if descriptor.size == 0 {
        CONFIG_LIMIT
    } else {
        limit
    };
    let url = client.blob_url(&descriptor.digest);
    let response = client.get(&what, &url, None, None).await?;
    let body = match client.read_body(&what, response, limit).await {
        Ok(body) => body,
        // More bytes than the descriptor declares: the blob is not what was promised.
        Err(ImageError::Remote { message, .. }) if message.contains("larger than") => {
            return Err(ImageError::DigestMismatch {
                image: client.image.clone(),
                expected: descriptor.digest.clone(),
                actual: format!(
                    "more than the {} bytes its descriptor declares",
                    descriptor.size
                ),
            })
        }
        Err(e) => return Err(e),
    };
    let expected = Digest::parse(&descriptor.digest).map_err(|message| ImageError::Format {
        image: client.image.clone(),
        message,
    })?;
    let actual = Digest::of(expected.algorithm, &body);
    if actual != expected {
        return Err(ImageError::DigestMismatch {
            image: client.image.clone(),
            expected: descriptor.digest.clone(),
            actual: actual.to_string(),
        });
    }
    Ok(body)
}

/// A single-platform image fetched with an explicit `--platform` must be that platform.
fn check_config_platform(
    config: &[u8],
    requested: &Platform,
    image: &str,
) -> Result<(), ImageError> {
    #[derive(serde::Deserialize)]
    struct ConfigPlatform {
        #[serde(default)]
        os: String,
        #[serde(default)]
        architecture: String,
        #[serde(default)]
        variant: Option<String>,
    }
    let Ok(found) = serde_json::from_slice::<ConfigPlatform>(config) else {
        return Ok(()); // The metadata parser reports a bad config.
    };
    if found.os.is_empty() || found.architecture.is_empty() {
        return Ok(());
    }
    let spec = PlatformSpec {
        os: found.os,
        architecture: found.architecture,
        variant: found.variant,
        ..PlatformSpec::default()
    };
    if requested.matches(&spec) {
        Ok(())
    } else {
        Err(ImageError::Platform {
            image: image.to_owned(),
            platform: requested.to_string(),
            available: spec.to_string(),
        })
    }
}

/// Streams layer blobs from the registry; each `open` is its own HTTP request, so layers can
/// be read in parallel from several (non-async) threads.
struct RegistryLayers {
    client: Arc<RegistryClient>,
    layers: Vec<Descriptor>,
}

impl LayerReader for RegistryLayers {
    fn open(&self, index: usize) -> Result<Box<dyn std::io::Read + Send>, ImageError> {
        let layer = self.layers.get(index).ok_or_else(|| ImageError::Format {
            image: self.client.image.clone(),
            message: format!(
                "layer {index} requested, but the image has {}",
                self.layers.len()
            ),
        })?;
        let what = format!("layer {index} blob {}", layer.digest);
        let stream = BlobStream::open(Arc::clone(&self.client), &layer.digest, what)?;
        let size = (layer.size > 0).then_some(layer.size);
        let verifying = VerifyingReader::new(stream, &layer.digest, size).map_err(|message| {
            ImageError::Format {
                image: self.client.image.clone(),
                message,
            }
        })?;
        Ok(Box::new(verifying))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_checked_before_they_reach_a_url() {
        let ok = Reference::parse("127.0.0.1:5000/team/app:v1.2_3").unwrap();
        assert!(validate(&ok, "x").is_ok());
        for bad in [
            "127.0.0.1:5000/Team/app",
            "127.0.0.1:5000/app:v?1",
            "127.0.0.1:5000/app@sha256:zz",
            "127.0.0.1:5000/a//b",
        ] {
            let r = Reference::parse(bad).unwrap();
            assert!(
                matches!(validate(&r, bad), Err(ImageError::BadReference { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn display_keeps_tag_and_digest() {
        let r = Reference::parse("alpine:3@sha256:abc").unwrap();
        assert_eq!(display(&r), "docker.io/library/alpine:3@sha256:abc");
    }

    #[test]
    fn explicit_platform_must_match_a_single_image() {
        let config = br#"{"os":"linux","architecture":"arm64"}"#;
        let arm = Platform::parse("linux/arm64").unwrap();
        assert!(check_config_platform(config, &arm, "x").is_ok());
        let err = check_config_platform(config, &Platform::linux_amd64(), "x").unwrap_err();
        assert!(err.to_string().contains("linux/arm64"), "{err}");
    }
}
