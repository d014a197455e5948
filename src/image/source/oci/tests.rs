//! Tests of the OCI layout, OCI archive and docker-archive sources, and the image fixtures
//! (written by hand here, byte by byte, so every format detail is under the test's control)
//! that the scan tests reuse.

use std::io::Read;
use std::path::Path;

use serde_json::json;

use super::*;
use crate::image::layers::tests::{file, gzip, layer, zstd, Item};
use crate::image::reference::ImageSource;
use crate::image::source::digest::{self, sha256_digest};
use crate::image::source::{open, open_with, SourceOptions};

/// A test image: plain layer tars, stored compressed as asked.
pub(crate) struct Fixture {
    pub layers: Vec<Vec<u8>>,
    pub compress: fn(&[u8]) -> Vec<u8>,
    pub architecture: &'static str,
}

fn plain(bytes: &[u8]) -> Vec<u8> {
    bytes.to_vec()
}

impl Fixture {
    pub(crate) fn new(layers: &[Vec<Item>]) -> Fixture {
        Fixture {
            layers: layers.iter().map(|items| layer(items)).collect(),
            compress: gzip,
            architecture: "amd64",
        }
    }

    pub(crate) fn config(&self) -> Vec<u8> {
        let diff_ids: Vec<String> = self.layers.iter().map(|l| sha256_digest(l)).collect();
        let mut history = vec![json!({"created_by": "ADD rootfs.tar /"})];
        history.push(json!({"created_by": "/bin/sh -c #(nop)  CMD [\"sh\"]", "empty_layer": true}));
        for i in 1..self.layers.len() {
            history.push(
                json!({"created_by": format!("RUN step {i}"), "comment": "buildkit.dockerfile.v0"}),
            );
        }
        serde_json::to_vec(&json!({
            "architecture": self.architecture,
            "os": "linux",
            "config": {"User": "app", "Env": ["PATH=/bin"], "Cmd": ["sh"], "ExposedPorts": {"80/tcp": {}}},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }))
        .unwrap()
    }

    /// Writes an OCI layout with one image tagged `tag`; returns the manifest digest.
    pub(crate) fn write_layout(&self, dir: &Path, tag: &str) -> String {
        let blobs = dir.join("blobs/sha256");
        std::fs::create_dir_all(&blobs).unwrap();
        let put = |bytes: &[u8]| {
            let digest = sha256_digest(bytes);
            std::fs::write(blobs.join(&digest[7..]), bytes).unwrap();
            digest
        };
        let config = self.config();
        let config_digest = put(&config);
        let layers: Vec<serde_json::Value> = self
            .layers
            .iter()
            .map(|l| {
                let stored = (self.compress)(l);
                json!({"mediaType": media_types::OCI_LAYER_GZIP, "digest": put(&stored), "size": stored.len()})
            })
            .collect();
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": media_types::OCI_MANIFEST,
            "config": {"mediaType": media_types::OCI_CONFIG, "digest": config_digest, "size": config.len()},
            "layers": layers,
        }))
        .unwrap();
        let manifest_digest = put(&manifest);
        std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
        let index = json!({"schemaVersion": 2, "manifests": [{
            "mediaType": media_types::OCI_MANIFEST, "digest": manifest_digest, "size": manifest.len(),
            "annotations": {annotations::REF_NAME: tag}
        }]});
        std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
        manifest_digest
    }

    /// Writes a docker-archive in one of the layouts tools produce.
    pub(crate) fn write_docker_archive(&self, path: &Path, repo_tag: &str, style: ArchiveStyle) {
        let mut builder = tar::Builder::new(std::fs::File::create(path).unwrap());
        let mut add = |name: &str, bytes: &[u8]| {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o444);
            header.set_cksum();
            builder.append_data(&mut header, name, bytes).unwrap();
        };
        let config = self.config();
        let config_hex = &sha256_digest(&config)[7..];
        let config_name = match style {
            ArchiveStyle::Blobs => format!("blobs/sha256/{config_hex}"),
            _ => format!("{config_hex}.json"),
        };
        add(&config_name, &config);
        let mut names = Vec::new();
        let mut links = Vec::new();
        for (i, l) in self.layers.iter().enumerate() {
            let id = format!("{:064x}", i + 1);
            let hex = &sha256_digest(l)[7..];
            let name = match style {
                ArchiveStyle::Legacy => format!("{id}/layer.tar"),
                ArchiveStyle::Skopeo => {
                    links.push((format!("{id}/layer.tar"), format!("../{hex}.tar")));
                    format!("{hex}.tar")
                }
                ArchiveStyle::Blobs => format!("blobs/sha256/{hex}"),
            };
            add(&name, l);
            names.push(name);
        }
        let manifest = json!([{"Config": config_name, "RepoTags": [repo_tag], "Layers": names}]);
        add("manifest.json", &serde_json::to_vec(&manifest).unwrap());
        for (name, target) in links {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(tar::EntryType::Symlink);
            header.set_size(0);
            builder.append_link(&mut header, name, target).unwrap();
        }
        builder.finish().unwrap();
    }
}

/// docker-archive layouts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ArchiveStyle {
    /// skopeo: `<diff id>.tar`, `<config digest>.json`, `<id>/layer.tar` symlinks.
    Skopeo,
    /// docker before 25: `<id>/layer.tar` files.
    Legacy,
    /// docker 25+: `blobs/sha256/<hex>` (an OCI layout beside `manifest.json`).
    Blobs,
}

/// Tars a directory (an OCI layout) into an OCI archive, `./`-prefixed like GNU tar does.
pub(crate) fn tar_directory(dir: &Path, out: &Path) {
    let mut builder = tar::Builder::new(std::fs::File::create(out).unwrap());
    builder.append_dir_all(".", dir).unwrap();
    builder.finish().unwrap();
}

fn two_layers() -> Fixture {
    Fixture::new(&[
        vec![
            file("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
            file("bin/sh", "shell"),
        ],
        vec![file("app/main", "main"), Item::Whiteout("bin/sh")],
    ])
}

fn read_layer(image: &OpenedImage, index: usize) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    image.reader.open(index).unwrap().read_to_end(&mut out)?;
    Ok(out)
}

fn source(text: &str) -> ImageSource {
    ImageSource::parse(text).unwrap()
}

#[test]
fn opens_a_layout_by_tag_by_digest_and_alone() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = two_layers();
    let digest = fixture.write_layout(dir.path(), "v1");
    let d = dir.path().display();
    for text in [
        format!("oci:{d}"),
        format!("oci:{d}:v1"),
        format!("oci:{d}@{digest}"),
    ] {
        let image = open(&source(&text), None).unwrap();
        assert_eq!(
            image.manifest_digest.as_deref(),
            Some(digest.as_str()),
            "{text}"
        );
        assert_eq!(image.layers.len(), 2);
        assert_eq!(image.config, fixture.config());
        assert_eq!(image.config_digest, Some(sha256_digest(&fixture.config())));
        assert_eq!(read_layer(&image, 1).unwrap(), gzip(&fixture.layers[1]));
    }
    let error = open(&source(&format!("oci:{d}:v2")), None)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("no image tagged `v2`") && error.contains("tags: v1"),
        "{error}"
    );
    let other = format!("sha256:{}", "0".repeat(64));
    let error = open(&source(&format!("oci:{d}@{other}")), None)
        .unwrap_err()
        .to_string();
    assert!(error.contains("no manifest"), "{error}");
}

#[test]
fn layers_are_verified_while_streaming() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = two_layers();
    fixture.write_layout(dir.path(), "v1");
    let image = open(&source(&format!("oci:{}", dir.path().display())), None).unwrap();
    // Tamper with layer 0 after opening: same size, one byte changed.
    let blob = dir
        .path()
        .join(format!("blobs/sha256/{}", &image.layers[0].digest[7..]));
    let mut bytes = std::fs::read(&blob).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&blob, &bytes).unwrap();
    let error = read_layer(&image, 0).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    assert!(digest::Mismatch::from_io(&error).is_some());
    assert!(read_layer(&image, 1).is_ok());
}

#[test]
fn tampered_manifests_and_configs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = two_layers();
    let digest = fixture.write_layout(dir.path(), "v1");
    let manifest_path = dir.path().join(format!("blobs/sha256/{}", &digest[7..]));
    let manifest = std::fs::read(&manifest_path).unwrap();
    let reference = source(&format!("oci:{}", dir.path().display()));
    std::fs::write(&manifest_path, [&manifest[..], b" "].concat()).unwrap();
    assert!(matches!(
        open(&reference, None),
        Err(ImageError::DigestMismatch { .. })
    ));
    std::fs::write(&manifest_path, &manifest).unwrap();
    let config_path = dir.path().join(format!(
        "blobs/sha256/{}",
        &sha256_digest(&fixture.config())[7..]
    ));
    std::fs::write(&config_path, b"{}").unwrap();
    match open(&reference, None) {
        Err(ImageError::DigestMismatch { expected, .. }) => {
            assert_eq!(expected, sha256_digest(&fixture.config()))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn layout_errors_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let error = open(&source(&format!("oci:{d}")), None)
        .unwrap_err()
        .to_string();
    assert!(error.contains("not an OCI image layout"), "{error}");
    let error = open(&source(&format!("oci:{d}/nope")), None)
        .unwrap_err()
        .to_string();
    assert!(error.contains("not a directory"), "{error}");
    let fixture = two_layers();
    fixture.write_layout(dir.path(), "v1");
    // A missing layer blob is found when opening, not halfway through the scan.
    let image = open(&source(&format!("oci:{d}")), None).unwrap();
    std::fs::remove_file(
        dir.path()
            .join(format!("blobs/sha256/{}", &image.layers[1].digest[7..])),
    )
    .unwrap();
    let error = open(&source(&format!("oci:{d}")), None)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("layer 1 blob") && error.contains("missing"),
        "{error}"
    );
    std::fs::write(
        dir.path().join("oci-layout"),
        br#"{"imageLayoutVersion":"2.0.0"}"#,
    )
    .unwrap();
    let error = open(&source(&format!("oci:{d}")), None)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("unsupported OCI image layout version 2.0.0"),
        "{error}"
    );
}

#[test]
fn nested_indexes_select_the_platform() {
    let dir = tempfile::tempdir().unwrap();
    let mut amd = two_layers();
    amd.compress = zstd;
    let amd_digest = amd.write_layout(dir.path(), "tmp");
    let mut arm = Fixture::new(&[vec![file("arm", "64")]]);
    arm.architecture = "arm64";
    arm.compress = plain;
    let arm_digest = arm.write_layout(dir.path(), "tmp");
    let size = |digest: &str| {
        std::fs::metadata(dir.path().join(format!("blobs/sha256/{}", &digest[7..])))
            .unwrap()
            .len()
    };
    let nested = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": media_types::OCI_INDEX,
        "manifests": [
            {"mediaType": media_types::OCI_MANIFEST, "digest": amd_digest, "size": size(&amd_digest),
             "platform": {"os": "linux", "architecture": "amd64"}},
            {"mediaType": media_types::OCI_MANIFEST, "digest": arm_digest, "size": size(&arm_digest),
             "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
        ]
    }))
    .unwrap();
    let nested_digest = sha256_digest(&nested);
    std::fs::write(
        dir.path()
            .join(format!("blobs/sha256/{}", &nested_digest[7..])),
        &nested,
    )
    .unwrap();
    let index = json!({"schemaVersion": 2, "manifests": [{
        "mediaType": media_types::OCI_INDEX, "digest": nested_digest, "size": nested.len(),
        "annotations": {annotations::REF_NAME: "multi"}
    }]});
    std::fs::write(
        dir.path().join("index.json"),
        serde_json::to_vec(&index).unwrap(),
    )
    .unwrap();
    let reference = source(&format!("oci:{}:multi", dir.path().display()));
    let image = open(&reference, Some(&Platform::parse("linux/arm64").unwrap())).unwrap();
    assert_eq!(image.manifest_digest.as_deref(), Some(arm_digest.as_str()));
    let image = open(&reference, Some(&Platform::linux_amd64())).unwrap();
    assert_eq!(image.manifest_digest.as_deref(), Some(amd_digest.as_str()));
    match open(&reference, Some(&Platform::parse("linux/s390x").unwrap())) {
        Err(ImageError::Platform { available, .. }) => {
            assert_eq!(available, "linux/amd64, linux/arm64/v8");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_explicit_platform_must_match_the_config() {
    let dir = tempfile::tempdir().unwrap();
    two_layers().write_layout(dir.path(), "v1");
    let reference = source(&format!("oci:{}", dir.path().display()));
    assert!(open(&reference, Some(&Platform::linux_amd64())).is_ok());
    let error = open(&reference, Some(&Platform::parse("linux/arm64").unwrap())).unwrap_err();
    assert!(matches!(error, ImageError::Platform { .. }), "{error}");
}

#[test]
fn oci_archives_read_blobs_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("layout");
    let fixture = two_layers();
    let digest = fixture.write_layout(&layout, "v1");
    let archive = dir.path().join("image.tar");
    tar_directory(&layout, &archive);
    let image = open(
        &source(&format!("oci-archive:{}:v1", archive.display())),
        None,
    )
    .unwrap();
    assert_eq!(image.manifest_digest.as_deref(), Some(digest.as_str()));
    assert_eq!(read_layer(&image, 0).unwrap(), gzip(&fixture.layers[0]));
    // Layers can be read at the same time through their own handles.
    let (a, b) = (image.reader.open(0).unwrap(), image.reader.open(1).unwrap());
    let both = std::thread::scope(|s| {
        let ha = s.spawn(move || std::io::copy(&mut { a }, &mut std::io::sink()).unwrap() as usize);
        let hb = s.spawn(move || std::io::copy(&mut { b }, &mut std::io::sink()).unwrap() as usize);
        (ha.join().unwrap(), hb.join().unwrap())
    });
    assert_eq!(
        both,
        (image.layers[0].size as usize, image.layers[1].size as usize)
    );
    let error = open(
        &source(&format!("docker-archive:{}", archive.display())),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("use oci-archive:"), "{error}");
}

#[test]
fn docker_archives_in_skopeo_legacy_and_blob_layouts() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = two_layers();
    for style in [
        ArchiveStyle::Skopeo,
        ArchiveStyle::Legacy,
        ArchiveStyle::Blobs,
    ] {
        let path = dir.path().join(format!("image-{style:?}.tar"));
        fixture.write_docker_archive(&path, "docker.io/library/app:1", style);
        for text in [
            format!("docker-archive:{}", path.display()),
            format!("docker-archive:{}:app:1", path.display()),
        ] {
            let image = open(&source(&text), None).unwrap();
            assert_eq!(image.manifest_digest, None);
            assert_eq!(image.config_digest, Some(sha256_digest(&fixture.config())));
            let digests: Vec<&str> = image.layers.iter().map(|l| l.digest.as_str()).collect();
            let diff_ids: Vec<String> = fixture.layers.iter().map(|l| sha256_digest(l)).collect();
            assert_eq!(digests, diff_ids, "the stored tar's digest is its diff ID");
            assert_eq!(read_layer(&image, 1).unwrap(), fixture.layers[1]);
        }
        let error = open(
            &source(&format!("docker-archive:{}:other:2", path.display())),
            None,
        )
        .unwrap_err();
        assert!(matches!(error, ImageError::NotFound { .. }), "{error}");
        let error = open(&source(&format!("oci-archive:{}", path.display())), None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("use docker-archive:"), "{error}");
    }
}

#[test]
fn a_tampered_docker_archive_layer_fails_its_digest() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = two_layers();
    let path = dir.path().join("image.tar");
    fixture.write_docker_archive(&path, "app:1", ArchiveStyle::Legacy);
    let mut bytes = std::fs::read(&path).unwrap();
    // Change one byte of the first layer's file content ("ID=debian" → "ID=debiam").
    let at = bytes.windows(9).position(|w| w == b"ID=debian").unwrap();
    bytes[at + 8] = b'm';
    std::fs::write(&path, &bytes).unwrap();
    let reference = source(&format!("docker-archive:{}", path.display()));
    let verified = SourceOptions {
        verify_archive_layers: true,
        ..SourceOptions::default()
    };
    let image = open_with(&reference, &verified).unwrap();
    let error = read_layer(&image, 0).unwrap_err();
    assert!(digest::Mismatch::from_io(&error).is_some(), "{error}");
    // By default local archive layers are not hashed (see `open_docker_archive`).
    let image = open(&reference, None).unwrap();
    assert!(read_layer(&image, 0).is_ok());
}

#[test]
fn remote_sources_are_placeholders() {
    let error = open(&source("registry:debian:12"), None).unwrap_err();
    assert!(matches!(error, ImageError::Remote { .. }), "{error}");
}

#[test]
fn tags_match_short_and_full_names() {
    let descriptor = |annotations: &[(&str, &str)]| ContentDescriptor {
        media_type: media_types::OCI_MANIFEST.into(),
        digest: "sha256:x".into(),
        size: 1,
        urls: vec![],
        annotations: annotations
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        platform: None,
        artifact_type: None,
    };
    let short = descriptor(&[(annotations::REF_NAME, "v1")]);
    assert!(tag_matches(&short, "v1"));
    assert!(!tag_matches(&short, "v2"));
    let full = descriptor(&[
        (annotations::REF_NAME, "docker.io/library/app:1.2"),
        (
            annotations::CONTAINERD_IMAGE_NAME,
            "docker.io/library/app:1.2",
        ),
    ]);
    assert!(tag_matches(&full, "1.2"));
    assert!(tag_matches(&full, "docker.io/library/app:1.2"));
    assert!(!tag_matches(&full, "1"));
    assert!(!tag_matches(&descriptor(&[]), "latest"));
}

#[test]
fn blob_paths_cannot_escape() {
    assert!(blob_path("sha256:../../../etc/passwd").is_err());
    let hex = "b".repeat(64);
    assert_eq!(
        blob_path(&format!("sha256:{hex}")).unwrap(),
        format!("blobs/sha256/{hex}")
    );
}
