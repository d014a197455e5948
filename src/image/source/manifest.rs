//! The JSON documents that describe an image, as every source (OCI layout, docker-archive,
//! registry, engine) sees them: OCI image index and manifest, Docker schema-2 manifest and
//! manifest list, the docker-archive `manifest.json`, and the OCI layout marker, plus platform
//! matching for indexes.
//!
//! OCI and Docker schema 2 share one shape per kind, so one type serves both:
//! [`ImageManifest`] (OCI manifest, Docker v2 manifest) and [`ImageIndex`] (OCI index, Docker
//! manifest list). [`Manifest::parse`] tells them apart by the `Content-Type` a registry sent,
//! the document's own `mediaType`, or its shape, in that order.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Descriptor, Platform};

/// Media types of manifests, configs and layers.
pub mod media_types {
    /// OCI image manifest.
    pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
    /// OCI image index (multi-platform).
    pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
    /// Docker image manifest, schema 2.
    pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
    /// Docker manifest list (multi-platform), schema 2.
    pub const DOCKER_MANIFEST_LIST: &str =
        "application/vnd.docker.distribution.manifest.list.v2+json";
    /// Docker schema 1 (signed and unsigned): obsolete, refused with a clear message.
    pub const DOCKER_SCHEMA1: &str = "application/vnd.docker.distribution.manifest.v1+json";
    pub const DOCKER_SCHEMA1_SIGNED: &str =
        "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// The four manifest types Portcullis reads, most specific first.
    pub const MANIFEST_TYPES: [&str; 4] = [
        OCI_MANIFEST,
        OCI_INDEX,
        DOCKER_MANIFEST,
        DOCKER_MANIFEST_LIST,
    ];
    /// An `Accept` header value naming all four. A registry that stores an OCI manifest answers
    /// 404 to a request whose `Accept` lacks the OCI type (distribution 2.8), so always send it.
    pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.manifest.v1+json, \
         application/vnd.oci.image.index.v1+json, \
         application/vnd.docker.distribution.manifest.v2+json, \
         application/vnd.docker.distribution.manifest.list.v2+json";

    /// Image configuration blobs.
    pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
    pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";

    /// Layer blobs. The walk sniffs the compression from the bytes, so these are informative.
    pub const OCI_LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
    pub const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
    pub const OCI_LAYER_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
    pub const OCI_LAYER_NONDISTRIBUTABLE_GZIP: &str =
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    pub const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    pub const DOCKER_LAYER_FOREIGN_GZIP: &str =
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    /// What `docker save` layers are (uncompressed tar), for descriptors we make ourselves.
    pub const DOCKER_LAYER_TAR: &str = "application/vnd.docker.image.rootfs.diff.tar";

    /// Whether `media_type` is one of the two single-image manifest types.
    pub fn is_image_manifest(media_type: &str) -> bool {
        media_type == OCI_MANIFEST || media_type == DOCKER_MANIFEST
    }

    /// Whether `media_type` is one of the two multi-platform index types.
    pub fn is_index(media_type: &str) -> bool {
        media_type == OCI_INDEX || media_type == DOCKER_MANIFEST_LIST
    }
}

/// Annotations the sources read.
pub mod annotations {
    /// The tag of a manifest in an OCI layout's `index.json` (`oci:DIR:TAG`).
    pub const REF_NAME: &str = "org.opencontainers.image.ref.name";
    /// The full image name containerd and podman write next to `REF_NAME`.
    pub const CONTAINERD_IMAGE_NAME: &str = "io.containerd.image.name";
    /// BuildKit marks attestation manifests in an index with this (value
    /// `attestation-manifest`); they are not images and never match a platform.
    pub const DOCKER_REFERENCE_TYPE: &str = "vnd.docker.reference.type";
}

/// A content descriptor as it appears in manifests and indexes (OCI descriptor; Docker
/// schema 2 uses the same fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentDescriptor {
    /// Empty when the document left it out (some docker-archive `LayerSources`).
    #[serde(default)]
    pub media_type: String,
    pub digest: String,
    #[serde(default)]
    pub size: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Set on the entries of an index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<PlatformSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
}

impl ContentDescriptor {
    /// The three fields the layer walk needs.
    pub fn to_descriptor(&self) -> Descriptor {
        Descriptor {
            media_type: self.media_type.clone(),
            digest: self.digest.clone(),
            size: self.size,
        }
    }

    /// An annotation's value.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.get(key).map(String::as_str)
    }
}

/// The `platform` object of an index entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlatformSpec {
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub os: String,
    #[serde(
        default,
        rename = "os.version",
        skip_serializing_if = "Option::is_none"
    )]
    pub os_version: Option<String>,
    #[serde(default, rename = "os.features", skip_serializing_if = "Vec::is_empty")]
    pub os_features: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
}

impl fmt::Display for PlatformSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = self.variant.as_deref().filter(|v| !v.is_empty()) {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

/// One image: an OCI image manifest or a Docker schema-2 manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageManifest {
    #[serde(default)]
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    pub config: ContentDescriptor,
    /// Base layer first.
    #[serde(default)]
    pub layers: Vec<ContentDescriptor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<ContentDescriptor>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// Several manifests: an OCI image index or a Docker manifest list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageIndex {
    #[serde(default)]
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default)]
    pub manifests: Vec<ContentDescriptor>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// A manifest document of either kind.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // parsed once or twice per image; boxing buys nothing
pub enum Manifest {
    Image(ImageManifest),
    Index(ImageIndex),
}

impl Manifest {
    /// Parses a manifest document. `content_type` is the HTTP `Content-Type` (or the media
    /// type of the descriptor that pointed here) when known; parameters after `;` are ignored.
    /// Schema 1 and non-manifest documents are refused with a message saying why.
    pub fn parse(bytes: &[u8], content_type: Option<&str>) -> Result<Manifest, String> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Probe {
            #[serde(default)]
            schema_version: Option<u32>,
            #[serde(default)]
            media_type: Option<String>,
            #[serde(default)]
            manifests: Option<serde_json::Value>,
            #[serde(default)]
            config: Option<serde_json::Value>,
            #[serde(default)]
            fs_layers: Option<serde_json::Value>,
        }
        let probe: Probe = serde_json::from_slice(bytes)
            .map_err(|e| format!("the manifest is not a JSON object: {e}"))?;
        let declared = content_type
            .map(|t| t.split(';').next().unwrap_or("").trim())
            .filter(|t| !t.is_empty() && *t != "application/json" && *t != "text/plain")
            .map(str::to_owned)
            .or(probe.media_type.clone());
        let schema1 =
            |t: &str| t == media_types::DOCKER_SCHEMA1 || t == media_types::DOCKER_SCHEMA1_SIGNED;
        let is_index = match declared.as_deref() {
            Some(t) if media_types::is_index(t) => true,
            Some(t) if media_types::is_image_manifest(t) => false,
            Some(t) if schema1(t) => return Err(schema1_message()),
            Some(other) => {
                return Err(format!(
                    "unsupported manifest media type `{other}` (expected one of {})",
                    media_types::MANIFEST_TYPES.join(", ")
                ))
            }
            None if probe.schema_version == Some(1) || probe.fs_layers.is_some() => {
                return Err(schema1_message())
            }
            None if probe.manifests.is_some() => true,
            None if probe.config.is_some() => false,
            None => return Err("the document is neither an image manifest nor an index".into()),
        };
        if is_index {
            serde_json::from_slice(bytes)
                .map(Manifest::Index)
                .map_err(|e| format!("invalid image index: {e}"))
        } else {
            serde_json::from_slice(bytes)
                .map(Manifest::Image)
                .map_err(|e| format!("invalid image manifest: {e}"))
        }
    }
}

fn schema1_message() -> String {
    "Docker schema 1 manifests are obsolete and not supported; re-push the image with a \
     current Docker or skopeo (`skopeo copy --format v2s2`)"
        .into()
}

/// One image of a docker-archive's `manifest.json` (`docker save`, `skopeo copy
/// docker-archive:`). Paths are relative to the archive root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DockerArchiveManifest {
    /// Path of the config JSON: `<hex>.json` (legacy) or `blobs/sha256/<hex>` (Docker 25+).
    pub config: String,
    /// `name:tag` references this image was saved under.
    #[serde(default)]
    pub repo_tags: Option<Vec<String>>,
    /// Paths of the layer tars, base first: `<id>/layer.tar`, `<hex>.tar` or
    /// `blobs/sha256/<hex>`.
    #[serde(default)]
    pub layers: Vec<String>,
    /// Docker 25+: the original (compressed) descriptor of each layer, by diff ID.
    #[serde(default)]
    pub layer_sources: Option<BTreeMap<String, ContentDescriptor>>,
}

/// Parses a docker-archive `manifest.json` (a JSON array of images).
pub fn parse_docker_archive_manifest(bytes: &[u8]) -> Result<Vec<DockerArchiveManifest>, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("invalid manifest.json: {e}"))
}

/// The `oci-layout` marker file at the root of an OCI image layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OciLayoutMarker {
    pub image_layout_version: String,
}

/// Normalises an architecture name to the OCI/Go spelling (`x86_64` → `amd64`…).
pub fn normalize_architecture(arch: &str) -> &str {
    match arch {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        "i386" | "i486" | "i586" | "i686" | "x86" => "386",
        "armhf" | "armel" => "arm",
        "powerpc64le" => "ppc64le",
        other => other,
    }
}

/// The variant a platform has when none is written (`arm64` is `v8`, `arm` is `v7`).
fn default_variant(arch: &str) -> Option<&'static str> {
    match arch {
        "arm64" => Some("v8"),
        "arm" => Some("v7"),
        _ => None,
    }
}

impl Platform {
    /// `linux/amd64`, what most registries default to.
    pub fn linux_amd64() -> Platform {
        Platform {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
        }
    }

    /// Linux on the architecture this binary runs on (what `docker pull` would pick here).
    pub fn host() -> Platform {
        let architecture = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "x86" => "386",
            "arm" => "arm",
            "powerpc64" if cfg!(target_endian = "little") => "ppc64le",
            "loongarch64" => "loong64",
            other => other,
        };
        Platform {
            os: "linux".into(),
            architecture: architecture.into(),
            variant: None,
        }
    }

    /// Parses `--platform os/arch[/variant]` (`linux/arm64/v8`, `linux/amd64`).
    pub fn parse(text: &str) -> Result<Platform, String> {
        let parts: Vec<&str> = text.trim().split('/').collect();
        if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(format!(
                "`{text}` is not a platform: expected os/arch[/variant], e.g. linux/arm64/v8"
            ));
        }
        Ok(Platform {
            os: parts[0].to_ascii_lowercase(),
            architecture: normalize_architecture(&parts[1].to_ascii_lowercase()).to_owned(),
            variant: parts.get(2).map(|v| v.to_ascii_lowercase()),
        })
    }

    /// Whether an index entry's platform is this one. A variant left out on either side
    /// matches the architecture's default variant (`arm64` ≡ `arm64/v8`), and a request
    /// without a variant matches any variant.
    pub fn matches(&self, spec: &PlatformSpec) -> bool {
        if !spec.os.eq_ignore_ascii_case(&self.os)
            || normalize_architecture(&spec.architecture)
                != normalize_architecture(&self.architecture)
        {
            return false;
        }
        let Some(wanted) = self.variant.as_deref() else {
            return true;
        };
        let arch = normalize_architecture(&self.architecture);
        let have = spec
            .variant
            .as_deref()
            .filter(|v| !v.is_empty())
            .or(default_variant(arch));
        have.is_some_and(|have| have.eq_ignore_ascii_case(wanted))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

impl ImageIndex {
    /// The entries that are images or nested indexes (not attestations or other artifacts).
    fn image_entries(&self) -> impl Iterator<Item = &ContentDescriptor> {
        self.manifests.iter().filter(|d| {
            let attestation =
                d.annotation(annotations::DOCKER_REFERENCE_TYPE) == Some("attestation-manifest");
            let kind_ok = d.media_type.is_empty()
                || media_types::is_image_manifest(&d.media_type)
                || media_types::is_index(&d.media_type);
            kind_ok && !attestation
        })
    }

    /// Picks the entry for `platform`. Among several matches, one whose variant is the
    /// architecture's default (or absent) wins, then the first. Entries without a platform
    /// are taken only when no entry has one and there is exactly one image (an OCI layout's
    /// `index.json` written by umoci, say). `None` when nothing matches; see
    /// [`ImageIndex::platforms`] for the message.
    pub fn select(&self, platform: &Platform) -> Option<&ContentDescriptor> {
        let entries: Vec<&ContentDescriptor> = self.image_entries().collect();
        let with_platform: Vec<&ContentDescriptor> = entries
            .iter()
            .copied()
            .filter(|d| d.platform.is_some())
            .collect();
        if with_platform.is_empty() {
            return match entries.as_slice() {
                [only] => Some(only),
                _ => None,
            };
        }
        let matching: Vec<&ContentDescriptor> = with_platform
            .into_iter()
            .filter(|d| d.platform.as_ref().is_some_and(|p| platform.matches(p)))
            .collect();
        let arch = normalize_architecture(&platform.architecture);
        matching
            .iter()
            .copied()
            .find(|d| {
                let variant = d.platform.as_ref().and_then(|p| p.variant.as_deref());
                variant.is_none_or(|v| v.is_empty() || Some(v) == default_variant(arch))
            })
            .or(matching.first().copied())
    }

    /// The platforms this index offers, for "no manifest for platform …" messages.
    pub fn platforms(&self) -> String {
        let list: Vec<String> = self
            .image_entries()
            .map(|d| match &d.platform {
                Some(p) => p.to_string(),
                None => format!("{} (no platform)", d.digest),
            })
            .collect();
        if list.is_empty() {
            "none".into()
        } else {
            list.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(os: &str, arch: &str, variant: Option<&str>, digest: &str) -> ContentDescriptor {
        ContentDescriptor {
            media_type: media_types::OCI_MANIFEST.into(),
            digest: digest.into(),
            size: 1,
            urls: vec![],
            annotations: BTreeMap::new(),
            platform: Some(PlatformSpec {
                architecture: arch.into(),
                os: os.into(),
                variant: variant.map(Into::into),
                ..PlatformSpec::default()
            }),
            artifact_type: None,
        }
    }

    #[test]
    fn parses_all_four_kinds() {
        let oci = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:aa","size":7},
            "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:bb","size":9}]}"#;
        let Manifest::Image(m) = Manifest::parse(oci, None).unwrap() else {
            panic!("image")
        };
        assert_eq!(m.layers[0].to_descriptor().digest, "sha256:bb");
        assert_eq!(m.config.size, 7);
        // Docker v2 by Content-Type, even with parameters.
        let docker = br#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:aa","size":7},"layers":[]}"#;
        let ct = format!("{}; charset=utf-8", media_types::DOCKER_MANIFEST);
        assert!(matches!(
            Manifest::parse(docker, Some(&ct)),
            Ok(Manifest::Image(_))
        ));
        // Without any media type, the shape decides.
        assert!(matches!(
            Manifest::parse(docker, None),
            Ok(Manifest::Image(_))
        ));
        let list = br#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
            "manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:cc","size":3,
            "platform":{"architecture":"arm64","os":"linux","variant":"v8","os.features":["x"]}}]}"#;
        let Manifest::Index(i) = Manifest::parse(list, None).unwrap() else {
            panic!("index")
        };
        assert_eq!(i.manifests[0].platform.as_ref().unwrap().os_features, ["x"]);
        let index = br#"{"schemaVersion":2,"manifests":[]}"#;
        let ct = Some(media_types::OCI_INDEX);
        assert!(matches!(Manifest::parse(index, ct), Ok(Manifest::Index(_))));
    }

    #[test]
    fn refuses_schema1_and_strangers() {
        let s1 = br#"{"schemaVersion":1,"name":"x","fsLayers":[]}"#;
        assert!(Manifest::parse(s1, None).unwrap_err().contains("schema 1"));
        let ct = Some(media_types::DOCKER_SCHEMA1_SIGNED);
        assert!(Manifest::parse(b"{}", ct).unwrap_err().contains("schema 1"));
        let err = Manifest::parse(b"{}", Some("application/vnd.foo+json")).unwrap_err();
        assert!(err.contains("unsupported manifest media type"), "{err}");
        assert!(Manifest::parse(b"[1]", None).is_err());
        assert!(Manifest::parse(b"{}", None)
            .unwrap_err()
            .contains("neither"));
    }

    #[test]
    fn accept_names_all_four_types() {
        for t in media_types::MANIFEST_TYPES {
            assert!(media_types::MANIFEST_ACCEPT.contains(t));
        }
    }

    #[test]
    fn docker_archive_manifest_in_both_layouts() {
        let legacy = br#"[{"Config":"abc.json","RepoTags":["x:1"],"Layers":["d1/layer.tar"]}]"#;
        let m = parse_docker_archive_manifest(legacy).unwrap();
        assert_eq!(m[0].layers, ["d1/layer.tar"]);
        let modern = br#"[{"Config":"blobs/sha256/aa","RepoTags":null,"Layers":["blobs/sha256/bb"],
            "LayerSources":{"sha256:bb":{"mediaType":"application/vnd.oci.image.layer.v1.tar","size":3,"digest":"sha256:bb"}}}]"#;
        let m = parse_docker_archive_manifest(modern).unwrap();
        assert_eq!(m[0].layer_sources.as_ref().unwrap().len(), 1);
        assert!(parse_docker_archive_manifest(b"{}").is_err());
    }

    #[test]
    fn platforms_parse_and_print() {
        let p = Platform::parse("linux/arm64/v8").unwrap();
        assert_eq!(p.variant.as_deref(), Some("v8"));
        assert_eq!(p.to_string(), "linux/arm64/v8");
        assert_eq!(
            Platform::parse("linux/x86_64").unwrap(),
            Platform::linux_amd64()
        );
        for bad in ["linux", "linux/", "/amd64", "a/b/c/d", ""] {
            assert!(Platform::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Platform::host().os, "linux");
    }

    #[test]
    fn selects_the_platform_with_variant_defaults() {
        let index = ImageIndex {
            schema_version: 2,
            media_type: None,
            manifests: vec![
                entry("linux", "amd64", None, "sha256:amd"),
                entry("linux", "arm", Some("v6"), "sha256:armv6"),
                entry("linux", "arm", Some("v7"), "sha256:armv7"),
                entry("linux", "arm64", Some("v8"), "sha256:arm64"),
                entry("unknown", "unknown", None, "sha256:att"),
            ],
            annotations: BTreeMap::new(),
        };
        let pick = |p: &str| {
            index
                .select(&Platform::parse(p).unwrap())
                .map(|d| d.digest.as_str())
        };
        assert_eq!(pick("linux/amd64"), Some("sha256:amd"));
        assert_eq!(pick("linux/arm64"), Some("sha256:arm64"));
        assert_eq!(pick("linux/arm64/v8"), Some("sha256:arm64"));
        assert_eq!(pick("linux/arm"), Some("sha256:armv7"));
        assert_eq!(pick("linux/arm/v6"), Some("sha256:armv6"));
        assert_eq!(pick("linux/s390x"), None);
        assert_eq!(pick("windows/amd64"), None);
        assert!(index.platforms().contains("linux/arm/v6"));
    }

    #[test]
    fn entries_without_platform_only_when_unambiguous() {
        let mut one = entry("linux", "amd64", None, "sha256:x");
        one.platform = None;
        let mut index = ImageIndex {
            schema_version: 2,
            media_type: None,
            manifests: vec![one.clone()],
            annotations: BTreeMap::new(),
        };
        assert_eq!(
            index.select(&Platform::linux_amd64()).unwrap().digest,
            "sha256:x"
        );
        index.manifests.push(one);
        assert!(index.select(&Platform::linux_amd64()).is_none());
        assert!(index.platforms().contains("no platform"));
    }
}
