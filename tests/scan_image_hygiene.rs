//! `portcullis scan` on fixture layers planting the image problems of issue 8 that come with a
//! setting or need the layers before their merge, each with a negative twin: setuid files and
//! the configured allow-list, a private key deleted by a later layer (and a harmless deleted
//! file), the `latest` tag (and a version tag), `DOCKER_CONTENT_TRUST` (unset and `1`), and
//! configured secret rules and skip paths. Every finding about a file names the layer digest,
//! the path, and the Dockerfile line of its layer.

mod common;
#[path = "common/image_services.rs"]
mod image_services;

use std::path::Path;

use serde_json::{json, Value};

use common::{exit_code, portcullis, read_json};
use image_services::{put_layer, put_manifest, tag_image};

/// `(path, mode, content)`; a `.wh.` name is a whiteout.
type Item<'a> = (&'a str, u32, Vec<u8>);

/// An uncompressed tar of `items`, owned by root.
fn layer_tar(items: &[Item<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, mode, data) in items {
        let mut header = tar::Header::new_gnu();
        header.set_path(path).unwrap();
        header.set_size(data.len() as u64);
        header.set_mode(*mode);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, &data[..]).unwrap();
    }
    builder.into_inner().unwrap()
}

/// An OCI layout whose one manifest is tagged with each of `tags`; the layers' digests.
fn layout(dir: &Path, layers: &[Vec<Item<'_>>], history: &[Value], tags: &[&str]) -> Vec<String> {
    let layers: Vec<_> = layers
        .iter()
        .map(|items| put_layer(dir, layer_tar(items), false))
        .collect();
    let digests = layers.iter().map(|l| l.digest.clone()).collect();
    let config = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {"User": "1000", "Healthcheck": {"Test": ["CMD", "true"]}},
        "history": history,
    });
    tag_image(dir, &put_manifest(dir, layers, config), tags);
    digests
}

const DOCKERFILE: &str = "FROM debian:12\n\
                          COPY rootfs/ /\n\
                          RUN rm -f /root/.ssh/id_ed25519 /tmp/notes.txt\n";

/// Assembled at run time so this file holds no secret verbatim.
fn corp_token() -> String {
    ["corp_", &"5e1f0a9b".repeat(4)].concat()
}

fn private_key() -> String {
    let body: String = (0..5)
        .map(|i| {
            format!("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB{i}AAAAMwAAAAtzc2gt\n")
        })
        .collect();
    format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{body}-----END OPENSSH PRIVATE KEY-----\n")
}

/// Three layers: a base with setuid files, a COPY with a private key, a harmless note and a
/// settings file with a company token, and a RUN deleting the key and the note.
fn build(dir: &Path) -> Vec<String> {
    let layers = vec![
        vec![
            ("usr/bin/passwd", 0o4755, b"\x7fELF\0passwd".to_vec()),
            ("usr/local/bin/helper", 0o4755, b"\x7fELF\0helper".to_vec()),
            (
                "usr/lib/openssh/ssh-keysign",
                0o4755,
                b"\x7fELF\0keysign".to_vec(),
            ),
            ("usr/bin/env", 0o755, b"\x7fELF\0env".to_vec()),
        ],
        vec![
            ("root/.ssh/id_ed25519", 0o600, private_key().into_bytes()),
            ("tmp/notes.txt", 0o644, b"remember the milk\n".to_vec()),
            (
                "app/settings.ini",
                0o644,
                format!("[api]\ntoken = {}\n", corp_token()).into_bytes(),
            ),
        ],
        vec![
            ("root/.ssh/.wh.id_ed25519", 0o644, Vec::new()),
            ("tmp/.wh.notes.txt", 0o644, Vec::new()),
        ],
    ];
    let history = vec![
        json!({"created_by": "/bin/sh -c #(nop) ADD file:0f3a in / "}),
        json!({"created_by": "COPY rootfs/ / # buildkit"}),
        json!({"created_by": "RUN /bin/sh -c rm -f /root/.ssh/id_ed25519 /tmp/notes.txt # buildkit"}),
    ];
    layout(dir, &layers, &history, &["latest", "v1"])
}

const CONFIG: &str = r#"
[rules]
enable = ["CIS-DI-0005"]

[image]
setuid-allowed = ["/usr/bin/passwd", "/usr/lib/*/ssh-keysign"]

[[image.secrets.rules]]
id = "corp-api-token"
title = "Corp API token"
severity = "error"
keywords = ["corp_"]
regex = '(?P<secret>corp_[0-9a-f]{32})'
"#;

/// One image finding: `(rule code, message, path, line, aliases)`.
type Finding = (String, String, String, Option<u64>, Vec<String>);
/// The image findings of a scan.
type Found = Vec<Finding>;

fn scan(dir: &Path, reference: &str, content_trust: Option<&str>, extra: &[&str]) -> Found {
    let mut cmd = portcullis();
    cmd.current_dir(dir)
        .env_remove("DOCKER_CONTENT_TRUST")
        .args([
            "scan",
            reference,
            "--no-vulns",
            "--dockerfile",
            "Dockerfile",
        ])
        .args(["-f", "json=out.json"])
        .args(extra);
    if let Some(value) = content_trust {
        cmd.env("DOCKER_CONTENT_TRUST", value);
    }
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(matches!(exit_code(&output), 0 | 1), "{stderr}");
    let report = read_json(&dir.join("out.json"));
    assert_eq!(report["errors"], json!([]), "{stderr}");
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains(&corp_token()), "the report leaks the token");
    assert!(
        !text.contains("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"),
        "the report leaks the key"
    );
    report["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|run| run["engine"] == "image")
        .flat_map(|run| run["findings"].as_array().unwrap().clone())
        .map(|f| {
            (
                f["rule"]["code"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["region"]["start"]["line"].as_u64(),
                f["aliases"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn with<'a>(found: &'a Found, code: &str, needle: &str) -> Vec<&'a Finding> {
    found
        .iter()
        .filter(|f| f.0 == code && f.1.contains(needle))
        .collect()
}

/// The planted setuid files PC1003 reports.
fn setuid_paths(found: &Found) -> Vec<&'static str> {
    [
        "/usr/bin/passwd",
        "/usr/lib/openssh/ssh-keysign",
        "/usr/local/bin/helper",
    ]
    .into_iter()
    .filter(|path| !with(found, "PC1003", &format!(": {path} is setuid")).is_empty())
    .collect()
}

#[test]
fn planted_problems_are_found_with_their_layer_path_and_line_and_twins_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("image");
    let digests = build(&image);
    std::fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    let latest = format!("oci:{}:latest", image.display());
    let versioned = format!("oci:{}:v1", image.display());

    // Defaults: no configuration, no DOCKER_CONTENT_TRUST.
    let found = scan(dir.path(), &latest, None, &[]);

    // Setuid: the unexpected files, with mode, owner and layer, on the base image's FROM line;
    // passwd is expected.
    let setuid = with(&found, "PC1003", "");
    assert_eq!(
        setuid_paths(&found),
        ["/usr/lib/openssh/ssh-keysign", "/usr/local/bin/helper"],
        "{found:#?}"
    );
    assert_eq!(setuid.len(), 2);
    for f in &setuid {
        assert!(
            f.1.contains("(mode 4755, owner 0:0), from layer 0"),
            "{}",
            f.1
        );
        assert!(
            f.1.contains(&format!("layer 0 is {}", digests[0])),
            "{}",
            f.1
        );
        assert_eq!((f.2.as_str(), f.3), ("Dockerfile", Some(1)), "{f:?}");
    }

    // The deleted private key: still shipped in layer 1, on the COPY line, with its digest.
    let deleted = with(&found, "PC2010", "");
    assert_eq!(deleted.len(), 1, "{found:#?}");
    let (_, message, path, line, _) = deleted[0];
    assert!(
        message.contains("/root/.ssh/id_ed25519 (an SSH private key) is deleted in layer 2 but still shipped in layer 1"),
        "{message}"
    );
    assert!(
        message.contains(&format!("layer 1 is {}", digests[1])),
        "{message}"
    );
    assert_eq!((path.as_str(), *line), ("Dockerfile", Some(2)));
    // Its content is a recognised secret too, reported as deleted but shipped.
    let key = with(&found, "PC2004", "/root/.ssh/id_ed25519");
    assert_eq!(key.len(), 1, "{found:#?}");
    assert!(key[0]
        .1
        .contains("deleted in layer 2 but still shipped in layer 1"));
    assert!(key[0].1.contains(&format!("layer 1 is {}", digests[1])));
    assert_eq!(key[0].3, Some(2));
    // Negative twin: the deleted note is not sensitive.
    assert!(with(&found, "PC2010", "notes.txt").is_empty(), "{found:#?}");

    // The `latest` tag: PC3001 with only Dockle's alias, on the image.
    let latest_found = with(&found, "PC3001", "the tag `latest`");
    assert_eq!(latest_found.len(), 1, "{found:#?}");
    assert_eq!(latest_found[0].4, ["DKL-DI-0006"]);
    assert_eq!(latest_found[0].2, latest);
    assert_eq!(latest_found[0].3, None);

    // Off by default: content trust; without a configured rule: the company token.
    assert!(with(&found, "PC3030", "").is_empty(), "{found:#?}");
    assert!(
        with(&found, "PC2004", "/app/settings.ini").is_empty(),
        "{found:#?}"
    );

    // With a configuration: the allow-list replaces the default one, the company rule
    // finds its token, content trust is checked; a version tag is not `latest`.
    std::fs::write(dir.path().join(".portcullis.toml"), CONFIG).unwrap();
    let found = scan(dir.path(), &versioned, None, &[]);
    assert_eq!(
        setuid_paths(&found),
        ["/usr/local/bin/helper"],
        "{found:#?}"
    );
    assert_eq!(with(&found, "PC1003", "").len(), 1);
    let token = with(&found, "PC2004", "/app/settings.ini:2");
    assert_eq!(token.len(), 1, "{found:#?}");
    assert!(
        token[0].1.contains("Corp API token (corp-api-token)"),
        "{}",
        token[0].1
    );
    assert!(token[0].1.contains(&format!("layer 1 is {}", digests[1])));
    assert_eq!(token[0].3, Some(2));
    let trust = with(&found, "PC3030", "DOCKER_CONTENT_TRUST is not set");
    assert_eq!(trust.len(), 1, "{found:#?}");
    assert_eq!(trust[0].4, ["CIS-DI-0005"]);
    assert_eq!(
        (trust[0].2.as_str(), trust[0].3),
        (versioned.as_str(), None)
    );
    assert!(with(&found, "PC3001", "").is_empty(), "{found:#?}");

    // Negative twins: DOCKER_CONTENT_TRUST=1; the settings file under a skipped path.
    std::fs::write(
        dir.path().join("skip.toml"),
        format!("{CONFIG}\n[image.secrets]\nskip-paths = [\"/app/**\"]\n"),
    )
    .unwrap();
    let found = scan(
        dir.path(),
        &versioned,
        Some("1"),
        &["--config", "skip.toml"],
    );
    assert!(with(&found, "PC3030", "").is_empty(), "{found:#?}");
    assert!(
        with(&found, "PC2004", "/app/settings.ini").is_empty(),
        "{found:#?}"
    );
    assert_eq!(with(&found, "PC2004", "/root/.ssh/id_ed25519").len(), 1);

    // A configuration error is reported, and the scan goes on with the defaults.
    std::fs::write(
        dir.path().join("bad.toml"),
        "[image]\nsetuid-allowed = [\"passwd\"]\n",
    )
    .unwrap();
    let output = portcullis()
        .current_dir(dir.path())
        .args([
            "scan",
            &versioned,
            "--no-vulns",
            "--config",
            "bad.toml",
            "-f",
            "json=bad.json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let errors = read_json(&dir.path().join("bad.json"))["errors"].to_string();
    assert!(errors.contains("image.setuid-allowed"), "{errors}");
}
