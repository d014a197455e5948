//! `portcullis lint --resolve-base-images` against a real CNCF distribution registry on
//! 127.0.0.1: the base images' manifests (an index, a single-platform image) are fetched, and
//! a FROM whose image does not exist for its stage's platform is reported (PC8053,
//! BuildKit's InvalidBaseImagePlatform).
//!
//! Needs docker-registry, skopeo and gzip (see `tests/image_registry.rs`); missing tools skip
//! the test, or fail it under `CI=true`.

mod common;
#[path = "common/image_services.rs"]
mod services;

use services::{file, push, LayerSpec, Registry, RegistryAuth};

fn tools() -> bool {
    services::require("docker-registry", "Debian docker-registry").is_some()
        && services::require("skopeo", "Debian skopeo").is_some()
        && services::require("gzip", "Debian gzip").is_some()
}

fn layers() -> Vec<LayerSpec> {
    vec![LayerSpec {
        files: vec![file("etc/os-release", "ID=portcullis-test\n")],
        gzip: true,
    }]
}

/// Runs `portcullis lint --format json` with `args` and returns the findings of PC8053 as
/// `(line, message)`.
fn lint(dir: &std::path::Path, args: &[&str]) -> Vec<(u64, String)> {
    let empty_config = tempfile::tempdir().expect("docker config dir");
    let output = common::portcullis()
        .current_dir(dir)
        .env("DOCKER_CONFIG", empty_config.path())
        .args(["lint", "--format", "json"])
        .args(args)
        .arg("Dockerfile")
        .output()
        .expect("run portcullis");
    common::findings(&common::json_stdout(&output))
        .into_iter()
        .filter(|f| f.code == "PC8053")
        .map(|f| (f.line, f.message))
        .collect()
}

#[test]
fn base_images_missing_the_stage_platform_are_reported() {
    if !tools() {
        return;
    }
    let Some(registry) = Registry::start(RegistryAuth::None) else {
        return;
    };
    let host = registry.host();
    let multi = tempfile::tempdir().expect("layout");
    services::oci_index_layout(multi.path(), "multi", &["amd64", "arm64"], layers);
    push(
        multi.path(),
        "multi",
        &format!("{host}/multi:v1"),
        None,
        &["--all"],
    );
    let single = tempfile::tempdir().expect("layout");
    services::oci_layout(single.path(), "arm", "arm64", &layers());
    push(
        single.path(),
        "arm",
        &format!("{host}/armonly:v1"),
        None,
        &[],
    );

    let dir = tempfile::tempdir().expect("work dir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        format!(
            "FROM {host}/multi:v1 AS a\n\
             FROM --platform=linux/s390x {host}/multi:v1 AS b\n\
             FROM {host}/armonly:v1 AS c\n\
             FROM --platform=linux/arm64 {host}/armonly:v1 AS d\n\
             FROM {host}/missing:v1\n"
        ),
    )
    .expect("write Dockerfile");

    let found = lint(
        dir.path(),
        &[
            "--resolve-base-images",
            "--insecure-registry",
            &host,
            "--platform",
            "linux/amd64",
        ],
    );
    let lines: Vec<u64> = found.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [2, 3], "{found:?}");
    assert_eq!(
        found[0].1,
        format!("`{host}/multi:v1` is published for linux/amd64, linux/arm64, not for linux/s390x that this stage builds for: the build would run it under emulation or fail; pick a base image published for that platform, or set `--platform` on this FROM")
    );
    assert!(found[1]
        .1
        .contains("is published for linux/arm64, not for linux/amd64"));

    // Without the flag nothing is fetched and nothing reported.
    assert!(lint(dir.path(), &[]).is_empty());
}
