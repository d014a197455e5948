//! `portcullis scan` reports secrets in every layer's files (also files a later layer deleted)
//! and in the image config, masked in every report format.

mod common;
#[path = "common/image_services.rs"]
mod image_services;

use std::path::Path;

use image_services::{file, put_layer, put_manifest, tag_image, tar, File};
use serde_json::{json, Value};

use common::{exit_code, output_text, portcullis, read_json};

/// An OCI layout tagged `app` with `layers` (gzipped) and this config `Env` and history.
fn layout(dir: &Path, layers: Vec<Vec<File>>, env: &[String], history: &[Value]) {
    let layers = layers
        .iter()
        .map(|files| put_layer(dir, tar(files), true))
        .collect();
    let config = json!({
        "created": "1970-01-01T00:00:00Z",
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": env,
            "Cmd": ["/bin/sh"],
            "User": "1000",
            "Labels": {"org.opencontainers.image.title": "app"},
        },
        "history": history,
    });
    tag_image(dir, &put_manifest(dir, layers, config), &["app"]);
}

/// Secrets are assembled at run time so this file holds none verbatim.
struct Planted {
    github: String,
    aws_id: String,
    aws_secret: String,
    key_body: String,
}

fn planted() -> Planted {
    let planted = Planted {
        github: ["ghp_", "R8pWq3Lm7Zt2Kx9Vb4Nc6Hy1Js5Df0Ga8EuQ"].concat(),
        aws_id: ["AKIA", "Q3EGRTY7UIOP2LKJ"].concat(),
        aws_secret: ["wJalrXUtnFEMI", "K7MDENGbPxRfiCYzK9q3T5vB8nA"].concat(),
        key_body: (0..6)
            .map(|i| {
                format!("MIIEow{i}BAAKCAQEAu7k3Q9xZp2Lm8Vt4Rb6Nc1Hy5Js0Df3Ga7Eu2Io9Wq4Kx8Zt\n")
            })
            .collect(),
    };
    assert_eq!(planted.github.len(), 40);
    assert_eq!(planted.aws_secret.len(), 40);
    planted
}

fn build(dir: &Path, p: &Planted) {
    let git_config = format!(
        "[remote \"origin\"]\n\turl = https://x-access-token:{}@github.com/acme/app.git\n",
        p.github
    );
    let readme = "Set your token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\
                  aws_secret_access_key = EXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLEKEY\n";
    let certificate = "-----BEGIN CERTIFICATE-----\n\
        MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n\
        RTESMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYD\n\
        -----END CERTIFICATE-----\n";
    let key = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}-----END RSA PRIVATE KEY-----\n",
        p.key_body
    );
    let env = vec![
        "PATH=/usr/bin:/bin".to_owned(),
        format!("AWS_ACCESS_KEY_ID={}", p.aws_id),
        format!("AWS_SECRET_ACCESS_KEY={}", p.aws_secret),
        "AWS_DEFAULT_KEY_ID=AKIAIOSFODNN7EXAMPLE".to_owned(),
        "API_TOKEN=changeme".to_owned(),
    ];
    let history = vec![
        json!({"created_by": "COPY . /app"}),
        json!({"created_by": "COPY id_rsa /root/.ssh/id_rsa"}),
        json!({"created_by": "RUN rm /root/.ssh/id_rsa"}),
        json!({"created_by": format!("ENV AWS_SECRET_ACCESS_KEY={}", p.aws_secret), "empty_layer": true}),
        json!({"created_by": "ENV AWS_DEFAULT_KEY_ID=AKIAIOSFODNN7EXAMPLE", "empty_layer": true}),
    ];
    layout(
        dir,
        vec![
            vec![
                file("app/.git/config", git_config),
                file("app/docs/README.md", readme),
                file("etc/ssl/certs/app.pem", certificate),
                file(
                    "app/logo.bin",
                    [&b"\0\0bin"[..], p.github.as_bytes()].concat(),
                ),
            ],
            vec![file("root/.ssh/id_rsa", key)],
            vec![
                file("root/.ssh/.wh.id_rsa", ""),
                file("app/hello.txt", "hello\n"),
            ],
        ],
        &env,
        &history,
    );
}

const FORMATS: &[(&str, &str)] = &[
    ("json", "out.json"),
    ("sarif", "out.sarif"),
    ("junit", "out.xml"),
    ("text", "out.txt"),
    ("gitlab-codequality", "codequality.json"),
    ("markdown", "out.md"),
    ("sbom-cyclonedx", "sbom.json"),
    ("gitlab-container-scanning", "container-scanning.json"),
];

/// The SARIF results of rule PC2004: (level, message).
fn secret_results(sarif: &Value) -> Vec<(String, String)> {
    sarif["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|run| run["results"].as_array().cloned().unwrap_or_default())
        .filter(|r| r["ruleId"] == "PC2004")
        .map(|r| {
            (
                r["level"].as_str().unwrap_or_default().to_owned(),
                r["message"]["text"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn secrets_in_every_layer_and_the_config_are_reported_masked_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let p = planted();
    let image = dir.path().join("image");
    build(&image, &p);
    let reference = format!("oci:{}:app", image.display());

    let mut cmd = portcullis();
    cmd.current_dir(dir.path())
        .args(["scan", &reference, "--no-vulns"]);
    for (format, path) in FORMATS {
        cmd.args(["-f", &format!("{format}={path}")]);
    }
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(matches!(exit_code(&output), 0 | 1), "{stderr}");

    let results = secret_results(&read_json(&dir.path().join("out.sarif")));
    let messages: Vec<&str> = results.iter().map(|(_, m)| m.as_str()).collect();
    let with = |needle: &str| messages.iter().filter(|m| m.contains(needle)).count();
    assert_eq!(with("/app/.git/config"), 1, "{messages:#?}");
    assert_eq!(with("ghp_"), 1, "{messages:#?}");
    assert_eq!(with("/root/.ssh/id_rsa"), 1, "{messages:#?}");
    assert_eq!(
        with("deleted in layer 2 but still shipped in layer 1"),
        1,
        "{messages:#?}"
    );
    assert_eq!(with("ENV AWS_ACCESS_KEY_ID"), 1, "{messages:#?}");
    assert_eq!(with("ENV AWS_SECRET_ACCESS_KEY"), 1, "{messages:#?}");
    assert_eq!(with("history step 3"), 1, "{messages:#?}");
    assert_eq!(messages.len(), 5, "{messages:#?}");
    // Each names the layer digest (files) and carries the severity of its secret rule.
    for (level, message) in &results {
        assert_eq!(level, "error", "{message}");
    }
    for message in messages
        .iter()
        .filter(|m| m.contains("/root/") || m.contains("/app/"))
    {
        assert!(message.contains("is sha256:"), "{message}");
    }
    // Negative twins: placeholders, the public certificate, a binary file.
    for twin in [
        "README.md",
        "app.pem",
        "AWS_DEFAULT_KEY_ID",
        "API_TOKEN",
        "logo.bin",
    ] {
        assert_eq!(with(twin), 0, "{twin}: {messages:#?}");
    }

    // No report holds a planted secret in full.
    let key_line = p.key_body.lines().next().unwrap().to_owned();
    for (format, path) in FORMATS {
        let text = std::fs::read_to_string(dir.path().join(path))
            .unwrap_or_else(|e| panic!("{format} report {path}: {e}; {stderr}"));
        for secret in [&p.github, &p.aws_id, &p.aws_secret, &key_line] {
            assert!(
                !text.contains(secret.as_str()),
                "{format} report leaks {secret}"
            );
        }
    }
    let text = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    assert!(
        text.contains("PC2004") || text.contains("secret-in-image"),
        "{text}"
    );

    // --no-secrets skips the check.
    let output = portcullis()
        .current_dir(dir.path())
        .args([
            "scan",
            &reference,
            "--no-vulns",
            "--no-secrets",
            "-f",
            "sarif=quiet.sarif",
        ])
        .output()
        .unwrap();
    assert!(
        matches!(exit_code(&output), 0 | 1),
        "{}",
        output_text(&output)
    );
    assert!(secret_results(&read_json(&dir.path().join("quiet.sarif"))).is_empty());
}
