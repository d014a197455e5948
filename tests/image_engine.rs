//! `open_engine` against real engines: a private dockerd (Debian `docker.io`) and podman's
//! Docker-compatible API (`podman system service`), each given an image with `load`, then
//! exported through the Engine API and read back as a docker-archive.
//!
//! The dockerd is the one at `PORTCULLIS_TEST_DOCKER_HOST` (`unix:///path.sock`) when that is
//! set; otherwise the test starts its own (root only) with its own socket, data root and exec
//! root, without bridge or iptables changes, and stops it at the end. Podman runs on private
//! vfs storage. Needs: docker.io (dockerd + docker CLI), runc, podman, skopeo, gzip. Missing
//! tools skip the test, or fail it under `CI=true`.

#[path = "common/image_services.rs"]
mod services;

use std::io::Read;
use std::path::Path;

use portcullis::image::source::digest::sha256_digest;
use portcullis::image::source::engine::{open_engine, EngineKind, EngineOptions};
use portcullis::image::source::OpenedImage;
use portcullis::image::ImageError;
use rayon::prelude::*;
use services::{file, noise, LayerSpec};

fn layers() -> Vec<LayerSpec> {
    vec![
        LayerSpec {
            files: vec![
                file("etc/os-release", "ID=portcullis-engine-test\n"),
                file("usr/bin/tool", "#!/bin/sh\necho hi\n"),
            ],
            gzip: true,
        },
        LayerSpec {
            files: vec![file("opt/data.bin", noise(2 << 20, 42))],
            gzip: false,
        },
    ]
}

/// An OCI layout of [`layers`] converted to a docker-archive tagged `name` with skopeo.
fn docker_archive(dir: &Path, name: &str) -> Option<services::BuiltImage> {
    services::docker_archive(dir, name, &layers())
}

/// The export must hold exactly the image that was loaded: the same config bytes, and each
/// layer the uncompressed tar whose digest is its diff ID, read in parallel and verified.
fn assert_exported(opened: &OpenedImage, built: &services::BuiltImage) {
    assert_eq!(opened.config, built.config);
    assert_eq!(
        opened.config_digest.as_deref(),
        Some(built.config_digest.as_str())
    );
    let diff_ids: Vec<&str> = built.layers.iter().map(|l| l.diff_id.as_str()).collect();
    let digests: Vec<&str> = opened.layers.iter().map(|l| l.digest.as_str()).collect();
    assert_eq!(digests, diff_ids);
    let contents: Vec<Vec<u8>> = (0..opened.layers.len())
        .into_par_iter()
        .map(|i| {
            let mut bytes = Vec::new();
            opened
                .reader
                .open(i)
                .expect("open an exported layer")
                .read_to_end(&mut bytes)
                .expect("read an exported layer");
            bytes
        })
        .collect();
    for (bytes, layer) in contents.iter().zip(&built.layers) {
        assert_eq!(sha256_digest(bytes), layer.diff_id);
    }
    // The uncompressed layer went through the engine byte for byte.
    assert!(contents[1] == built.layers[1].blob);
}

#[test]
fn docker_engine_exports_a_loaded_image() {
    let dir = tempfile::tempdir().unwrap();
    let tag = format!("portcullis-test/engine:{}", std::process::id());
    let Some(built) = docker_archive(dir.path(), &tag) else {
        return;
    };
    let Some(docker) = services::DockerHost::get() else {
        return;
    };
    let host = docker.host();
    docker.load(&dir.path().join("image.tar"));
    let options = EngineOptions {
        host: Some(host.clone()),
        ..EngineOptions::default()
    };
    let result = open_engine(EngineKind::Docker, &tag, &options);
    // Leave a shared daemon as it was, whatever happened.
    docker.remove_image(&tag);
    let opened = result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened.reference, format!("docker:{tag}"));
    assert_exported(&opened, &built);

    let err = open_engine(EngineKind::Docker, "portcullis-test/absent:nope", &options).unwrap_err();
    assert!(matches!(err, ImageError::NotFound { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("no image `portcullis-test/absent:nope`"),
        "{err}"
    );
}

#[test]
fn podman_compat_api_exports_a_loaded_image() {
    let dir = tempfile::tempdir().unwrap();
    let tag = "localhost/portcullis-test/engine:podman";
    let Some(built) = docker_archive(dir.path(), tag) else {
        return;
    };
    let Some(service) = services::PodmanService::start_with(&dir.path().join("image.tar")) else {
        return;
    };
    let options = EngineOptions {
        host: Some(service.host()),
        ..EngineOptions::default()
    };
    let opened = open_engine(EngineKind::Podman, tag, &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened.reference, format!("podman:{tag}"));
    assert_exported(&opened, &built);

    let err = open_engine(EngineKind::Podman, "localhost/absent:nope", &options).unwrap_err();
    assert!(matches!(err, ImageError::NotFound { .. }), "{err}");
}

#[test]
fn an_engine_that_is_not_there_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("nothing.sock");
    let options = EngineOptions {
        host: Some(format!("unix://{}", socket.display())),
        ..EngineOptions::default()
    };
    let err = open_engine(EngineKind::Docker, "alpine", &options).unwrap_err();
    assert!(matches!(err, ImageError::Remote { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("cannot reach the docker engine"), "{text}");
    assert!(text.contains("DOCKER_HOST"), "{text}");
    let err = open_engine(EngineKind::Podman, "alpine", &options).unwrap_err();
    assert!(err.to_string().contains("podman system service"), "{err}");
    // A socket that is not an HTTP server at all.
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let silent = std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            drop(stream);
        }
    });
    let err = open_engine(EngineKind::Docker, "alpine", &options).unwrap_err();
    assert!(matches!(err, ImageError::Remote { .. }), "{err}");
    silent.join().unwrap();
}
