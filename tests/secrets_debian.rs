//! False positives of the built-in secret rules over real text: every regular file of the
//! Debian test-bed root (`PORTCULLIS_TEST_DEBIAN_ROOTFS`, built by `scripts/testbed.sh`) must
//! yield no secret. A minbase root holds public certificates, docs, scripts and configuration,
//! but no credential.

mod common;

use std::path::{Path, PathBuf};

use common::unavailable;
use portcullis::image::secrets::{builtin_rules, SecretScanner};

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

#[test]
fn debian_root_has_no_secrets() {
    let Some(root) = std::env::var_os("PORTCULLIS_TEST_DEBIAN_ROOTFS")
        .map(PathBuf::from)
        .filter(|dir| dir.is_dir())
        .or_else(|| {
            unavailable(
                "PORTCULLIS_TEST_DEBIAN_ROOTFS is not set to a directory: run scripts/testbed.sh"
                    .into(),
            )
        })
    else {
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
