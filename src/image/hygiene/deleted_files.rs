//! PC2010 deleted-sensitive-file-shipped: files a layer adds and a later layer deletes, when
//! their name says they are sensitive (keys, credentials, password hashes). Deleting hides them
//! from the final filesystem only; the layer that added them still carries them.
//!
//! Needs the layers before their merge (the merged tree no longer has deleted files): the scan
//! runs [`check`] on the walked layers and keeps the findings in the inventory.

use super::unnecessary_files::{credential_kind, in_dependency_tree};
use super::HygieneFinding;
use crate::image::layers::{EntryKind, LayerContents};
use crate::image::secrets::image::fate;
use crate::rules;

/// Password hash files and the backups `shadow` tools leave (`/etc/shadow-`).
const SHADOW_FILES: [&str; 4] = ["shadow", "shadow-", "gshadow", "gshadow-"];

/// Name endings of key stores and private keys.
const KEY_SUFFIXES: [&str; 5] = [".key", ".p12", ".pfx", ".jks", ".keystore"];

/// Components of test fixture directories: their keys are fakes by design.
const FIXTURE_DIRS: [&str; 5] = [
    "testdata",
    "fixtures",
    "__fixtures__",
    "test-data",
    "testing",
];

/// What a sensitive file is, when `path` names one.
pub(crate) fn sensitive_kind(path: &str) -> Option<&'static str> {
    if let Some(what) = credential_kind(path) {
        return Some(what);
    }
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let lower = name.to_ascii_lowercase();
    let parent = dir.rsplit('/').next().unwrap_or_default();
    if dir == "/etc" && SHADOW_FILES.contains(&name) {
        return Some("password hashes");
    }
    if ["shadow", "gshadow"].iter().any(|base| {
        name.strip_prefix(base)
            .is_some_and(|rest| [".bak", ".old", ".orig", "~", ".save"].contains(&rest))
    }) {
        return Some("a backup of the password hashes");
    }
    if parent == ".ssh" && name.starts_with("id_") && !name.ends_with(".pub") {
        return Some("an SSH private key");
    }
    if KEY_SUFFIXES.iter().any(|s| lower.ends_with(s)) {
        return Some("a private key or key store");
    }
    if lower.ends_with(".pem") && (lower.contains("key") || lower.contains("private")) {
        return Some("a private key");
    }
    if name == "secring.gpg" || parent == "private-keys-v1.d" {
        return Some("GnuPG secret keys");
    }
    if name == ".pgpass" {
        return Some("PostgreSQL passwords");
    }
    if name == "terraform.tfstate" || name == "terraform.tfstate.backup" {
        return Some("Terraform state (with the secrets of its resources)");
    }
    None
}

fn in_fixtures(path: &str) -> bool {
    path.split('/')
        .any(|c| FIXTURE_DIRS.contains(&c) || c == "test" || c == "tests")
}

/// The sensitive files of `walked` (every layer, before the merge) that a later layer deletes.
pub fn check(walked: &[LayerContents]) -> Vec<HygieneFinding> {
    let mut out = Vec::new();
    // Only the layers before the last one that deletes something can have findings: most
    // images delete nothing, and then no entry is looked at.
    let last_deleting = walked
        .iter()
        .rposition(|l| !l.whiteouts.is_empty() || !l.opaque_dirs.is_empty())
        .unwrap_or(0);
    for (layer, contents) in walked.iter().enumerate().take(last_deleting) {
        for entry in &contents.entries {
            if !matches!(entry.kind, EntryKind::File | EntryKind::HardLink(_)) {
                continue;
            }
            let path = &*entry.path;
            let Some(what) = sensitive_kind(path) else {
                continue;
            };
            if in_dependency_tree(path) || in_fixtures(path) {
                continue;
            }
            let (Some(deleted), _) = fate(walked, layer, path) else {
                continue;
            };
            out.push(HygieneFinding::file(
                &rules::DELETED_SENSITIVE_FILE_SHIPPED,
                format!(
                    "{path} ({what}) is deleted in layer {deleted} but still shipped in layer \
                     {layer}, which added it"
                ),
                path,
                layer,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::layers::tests::{file, layer, walk_at, Item};

    fn walked(layers: &[Vec<Item>]) -> Vec<LayerContents> {
        layers
            .iter()
            .enumerate()
            .map(|(i, items)| walk_at(i, &layer(items), &[]))
            .collect()
    }

    fn found(layers: &[Vec<Item>]) -> Vec<(String, usize, String)> {
        check(&walked(layers))
            .into_iter()
            .map(|f| {
                assert_eq!(f.rule.code, "PC2010");
                (f.path.unwrap(), f.layer.unwrap(), f.message)
            })
            .collect()
    }

    #[test]
    fn sensitive_files_deleted_later_are_reported_with_both_layers() {
        let found = found(&[
            vec![
                file("root/.ssh/id_ed25519", "not even a key"),
                file("etc/shadow-", "root:*:19000:0:99999:7:::\n"),
                file("app/.env", "DEBUG=1\n"),
                file("app/certs/server.key", "x"),
            ],
            vec![file("app/main.py", "print()\n")],
            vec![
                Item::Whiteout("root/.ssh/id_ed25519"),
                Item::Whiteout("etc/shadow-"),
                Item::Opaque("app/certs"),
                Item::Whiteout("app"),
            ],
        ]);
        let summary: Vec<(&str, usize)> = found.iter().map(|(p, l, _)| (p.as_str(), *l)).collect();
        assert_eq!(
            summary,
            [
                ("/root/.ssh/id_ed25519", 0),
                ("/etc/shadow-", 0),
                ("/app/.env", 0),
                ("/app/certs/server.key", 0),
            ]
        );
        assert_eq!(
            found[0].2,
            "/root/.ssh/id_ed25519 (an SSH private key) is deleted in layer 2 but still shipped \
             in layer 0, which added it"
        );
        assert!(found[1].2.contains("password hashes"), "{}", found[1].2);
    }

    #[test]
    fn kept_rewritten_harmless_and_fixture_files_are_not_reported() {
        let found = found(&[
            vec![
                // Sensitive, never deleted (the final image has them: other rules' business).
                file("root/.ssh/id_rsa", "k"),
                // Rewritten, not deleted (every `useradd` rewrites /etc/shadow).
                file("etc/shadow", "root:*:1::::::\n"),
                // Deleted, but not sensitive.
                file("tmp/build.log", "log"),
                file("root/.ssh/id_rsa.pub", "ssh-ed25519 AAAA"),
                file("etc/ssl/certs/ca.pem", "cert"),
                // Deleted, sensitive by name, but a dependency's or a fixture's.
                file("usr/lib/python3/dist-packages/x/server.key", "k"),
                file("src/app/testdata/client.key", "k"),
            ],
            vec![file("etc/shadow", "root:*:2::::::\n")],
            vec![
                Item::Whiteout("tmp/build.log"),
                Item::Whiteout("root/.ssh/id_rsa.pub"),
                Item::Whiteout("etc/ssl/certs/ca.pem"),
                Item::Whiteout("usr/lib/python3/dist-packages/x"),
                Item::Whiteout("src"),
            ],
        ]);
        assert_eq!(found, []);
    }

    #[test]
    fn sensitive_names() {
        for (path, what) in [
            ("/root/.aws/credentials", "AWS CLI credentials"),
            ("/etc/gshadow", "password hashes"),
            ("/etc/shadow.bak", "a backup of the password hashes"),
            ("/home/app/.ssh/id_ecdsa_sk", "an SSH private key"),
            ("/opt/app/keystore.JKS", "a private key or key store"),
            ("/srv/tls/private-key.pem", "a private key"),
            (
                "/root/.gnupg/private-keys-v1.d/AB12.key",
                "a private key or key store",
            ),
            ("/root/.gnupg/secring.gpg", "GnuPG secret keys"),
            ("/root/.pgpass", "PostgreSQL passwords"),
            (
                "/infra/terraform.tfstate",
                "Terraform state (with the secrets of its resources)",
            ),
        ] {
            assert_eq!(sensitive_kind(path), Some(what), "{path}");
        }
        for path in [
            "/etc/passwd",
            "/usr/share/shadow/README",
            "/etc/ssl/certs/ca-certificates.crt",
            "/srv/tls/cert.pem",
            "/root/.ssh/known_hosts",
            "/app/.env.example",
        ] {
            assert_eq!(sensitive_kind(path), None, "{path}");
        }
    }
}
