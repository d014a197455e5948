//! False positives of the built-in secret rules over real text: every regular file of the
//! Debian test-bed root (`PORTCULLIS_TEST_DEBIAN_ROOTFS`, built by `scripts/testbed.sh`) must
//! yield no secret, read directly and through `portcullis scan` of an image made of it. A
//! minbase root holds public certificates, docs, scripts and configuration, but no credential.

mod common;
#[path = "common/image_services.rs"]
mod image_services;

use std::path::{Path, PathBuf};

use common::{exit_code, findings, portcullis, read_json, unavailable};
use image_services::{file, put_layer, put_manifest, tag_image};
use portcullis::image::secrets::{builtin_rules, SecretScanner};
use serde_json::json;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            files(&entry.path(), out);
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
}

fn debian_root() -> Option<PathBuf> {
    std::env::var_os("PORTCULLIS_TEST_DEBIAN_ROOTFS")
        .map(PathBuf::from)
        .filter(|dir| dir.is_dir())
        .or_else(|| {
            unavailable(
                "PORTCULLIS_TEST_DEBIAN_ROOTFS is not set to a directory: run scripts/testbed.sh"
                    .into(),
            )
        })
}

#[test]
fn debian_root_has_no_secrets() {
    let Some(root) = debian_root() else {
        return;
    };
    let scanner = SecretScanner::new(builtin_rules());
    let mut paths = Vec::new();
    files(&root, &mut paths);
    assert!(
        paths.len() > 1000,
        "only {} files under the root",
        paths.len()
    );
    let mut reported = Vec::new();
    let mut scanned = 0usize;
    for path in &paths {
        // Unreadable files (permissions) are not this test's subject.
        let Ok(content) = std::fs::read(path) else {
            continue;
        };
        scanned += 1;
        let relative = path.strip_prefix(&root).unwrap_or(path).to_string_lossy();
        reported.extend(scanner.scan(&relative, &content));
    }
    assert!(scanned > 1000, "only {scanned} files readable");
    let lines: Vec<String> = reported.iter().map(ToString::to_string).collect();
    assert!(lines.is_empty(), "secrets reported:\n{}", lines.join("\n"));
}

#[test]
fn debian_image_scan_reports_no_secret() {
    let Some(root) = debian_root() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let layer = dir.path().join("layer.tar");
    let status = std::process::Command::new("tar")
        .args(["--numeric-owner", "-C"])
        .arg(&root)
        .arg("-cf")
        .arg(&layer)
        .arg(".")
        .status()
        .unwrap();
    assert!(status.success(), "tar of the root failed");
    let layout = dir.path().join("image");
    let tar = std::fs::read(&layer).unwrap();
    std::fs::remove_file(&layer).unwrap();
    // The positive twin: one planted token on top, which the scan must find (a scan that read
    // nothing would report no secret either).
    let token = ["ghp_", "R8pWq3Lm7Zt2Kx9Vb4Nc6Hy1Js5Df0Ga8EuQ"].concat();
    let planted = image_services::tar(&[file("app/settings.ini", format!("token = {token}\n"))]);
    let layers = vec![
        put_layer(&layout, tar, false),
        put_layer(&layout, planted, false),
    ];
    let config = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
        "history": [
            {"created_by": "debootstrap --variant=minbase bookworm"},
            {"created_by": "COPY settings.ini /app/"},
        ],
    });
    tag_image(&layout, &put_manifest(&layout, layers, config), &["12"]);

    let output = portcullis()
        .current_dir(dir.path())
        .args([
            "scan",
            &format!("oci:{}:12", layout.display()),
            "--no-vulns",
        ])
        .args(["-f", "json=out.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(matches!(exit_code(&output), 0 | 1), "{stderr}");
    let report = read_json(&dir.path().join("out.json"));
    let secrets: Vec<String> = findings(&report)
        .into_iter()
        .filter(|f| ["PC2004", "PC2010"].contains(&f.code.as_str()))
        .map(|f| f.message)
        .collect();
    assert_eq!(secrets.len(), 1, "reported: {secrets:#?}");
    assert!(secrets[0].contains("/app/settings.ini:1"), "{}", secrets[0]);
    // The scan did read the root: dpkg's packages are there.
    let packages = report["images"][0]["packages"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(packages > 50, "only {packages} packages: {stderr}");
}
