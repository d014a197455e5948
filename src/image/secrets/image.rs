//! The secret scan of an image: every regular file of every layer as the layer streams by
//! (through [`SecretsCataloger`], a cataloger whose extract is the scan), and the config's
//! `ENV` values, labels and history steps.

use std::sync::Mutex;

use super::scanner::{SecretMatch, SecretScanner};
use crate::finding::Finding;
use crate::image::catalog::{Cataloger, EntryInfo, ImageFiles, Package, Want};
use crate::image::hygiene::{self, HygieneFinding};
use crate::image::layers::LayerContents;
use crate::image::metadata::ImageMetadata;
use crate::image::scanned::ScannedImage;
use crate::rules::SECRET_IN_IMAGE;

/// Largest file read for secrets.
pub const MAX_SECRET_FILE: u64 = 10 << 20;

/// A secret in a file of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerSecret {
    /// The layer that holds the file (manifest order).
    pub layer: usize,
    pub found: SecretMatch,
    /// The later layer that deleted the file (whiteout or opaque directory), if any.
    pub deleted_in: Option<usize>,
    /// The later layer that wrote the path again, if any (and none deleted it before).
    pub replaced_in: Option<usize>,
}

/// Hands each regular file's content (up to [`MAX_SECRET_FILE`]) to the scanner while the
/// layer is walked; the extract is an index into the matches it keeps.
pub struct SecretsCataloger<'s> {
    scanner: &'s SecretScanner,
    found: Mutex<Vec<Vec<SecretMatch>>>,
}

impl<'s> SecretsCataloger<'s> {
    pub fn new(scanner: &'s SecretScanner) -> Self {
        SecretsCataloger {
            scanner,
            found: Mutex::new(Vec::new()),
        }
    }

    /// The secrets of every layer's files, from the walked layers (before their merge, so
    /// files deleted later are included); `me` is this cataloger's index in the walk.
    pub fn collect(&self, walked: &[LayerContents], me: usize) -> Vec<LayerSecret> {
        let found = self.found.lock().expect("secret matches");
        let mut out: Vec<LayerSecret> = Vec::new();
        for (layer, contents) in walked.iter().enumerate() {
            for entry in &contents.entries {
                let Some(extract) = entry.kept.as_deref().and_then(|k| k.extract(me)) else {
                    continue;
                };
                let Ok(bytes) = <[u8; 8]>::try_from(&extract[..]) else {
                    continue;
                };
                let Some(matches) = found.get(u64::from_le_bytes(bytes) as usize) else {
                    continue;
                };
                for m in matches {
                    // Hard links share their target's extract: report the target once.
                    if out.iter().any(|s| {
                        s.layer == layer
                            && (&s.found.source, &s.found.rule_id, s.found.start)
                                == (&m.source, &m.rule_id, m.start)
                    }) {
                        continue;
                    }
                    let (deleted_in, replaced_in) = fate(walked, layer, &m.source);
                    out.push(LayerSecret {
                        layer,
                        found: m.clone(),
                        deleted_in,
                        replaced_in,
                    });
                }
            }
        }
        out
    }
}

/// What later layers did to `path` of `layer`: the first that deleted it, or else the first
/// that wrote it again.
fn fate(walked: &[LayerContents], layer: usize, path: &str) -> (Option<usize>, Option<usize>) {
    let under = |dir: &str| {
        dir == "/" || path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
    };
    for later in walked.iter().skip(layer + 1) {
        let deleted = later.whiteouts.iter().any(|w| under(w))
            || later.opaque_dirs.iter().any(|d| path != &**d && under(d));
        if deleted {
            return (Some(later.index), None);
        }
        if later.entries.iter().any(|e| &*e.path == path) {
            return (None, Some(later.index));
        }
    }
    (None, None)
}

impl Cataloger for SecretsCataloger<'_> {
    fn name(&self) -> &'static str {
        "secrets"
    }

    fn wants(&self, entry: &EntryInfo<'_>) -> Want {
        if entry.size == 0 || entry.size > MAX_SECRET_FILE || self.scanner.skips_path(entry.path) {
            Want::No
        } else {
            Want::Extract
        }
    }

    fn extract(&self, path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
        let matches = self.scanner.scan(path, bytes);
        if matches.is_empty() {
            return None;
        }
        let mut found = self.found.lock().expect("secret matches");
        found.push(matches);
        Some(((found.len() - 1) as u64).to_le_bytes().to_vec())
    }

    fn catalog(&self, _files: &dyn ImageFiles, _problems: &mut Vec<String>) -> Vec<Package> {
        Vec::new()
    }
}

/// A secret in the image configuration: an `ENV` value, a label or a history step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigSecret {
    /// The history step's layer, when the secret is in a step that made one.
    pub layer: Option<usize>,
    pub found: SecretMatch,
}

/// Secrets in `metadata`'s `ENV` values, labels and history `created_by` lines.
pub fn config_secrets(scanner: &SecretScanner, metadata: &ImageMetadata) -> Vec<ConfigSecret> {
    let mut out = Vec::new();
    let config = |found: SecretMatch| ConfigSecret { layer: None, found };
    for env in &metadata.config.env {
        // The whole `NAME=value`: assignment-shaped rules need the name.
        let name = env.split_once('=').map_or(env.as_str(), |(name, _)| name);
        out.extend(
            scanner
                .scan_text(&format!("ENV {name}"), env)
                .into_iter()
                .map(config),
        );
    }
    for (name, value) in &metadata.config.labels {
        let text = format!("{name}={value}");
        out.extend(
            scanner
                .scan_text(&format!("LABEL {name}"), &text)
                .into_iter()
                .map(config),
        );
    }
    for (step, entry) in metadata.history.iter().enumerate() {
        let Some(created_by) = &entry.created_by else {
            continue;
        };
        out.extend(
            scanner
                .scan_text(&format!("history step {step}"), created_by)
                .into_iter()
                .map(|found| ConfigSecret {
                    layer: entry.layer,
                    found,
                }),
        );
    }
    out
}

/// The masked secret for a message: runs of more than 8 `*` (a PEM body) shortened to 8.
fn shown(masked: &str) -> String {
    let mut out = String::with_capacity(masked.len().min(64));
    let mut run = 0;
    for c in masked.chars() {
        run = if c == '*' { run + 1 } else { 0 };
        if run <= 8 {
            out.push(c);
        }
    }
    out
}

/// The findings of the secrets of `image`, placed as hygiene findings are (on the Dockerfile
/// line of their layer, else on the image reference), with the severity of the secret rule.
pub fn findings(
    image: &ScannedImage,
    layers: &[LayerSecret],
    config: &[ConfigSecret],
) -> Vec<Finding> {
    let mut hygiene = Vec::new();
    let mut severities = Vec::new();
    for secret in layers {
        let m = &secret.found;
        let mut message = format!(
            "{} ({}) in {}:{}: {}",
            m.title,
            m.rule_id,
            m.source,
            m.line,
            shown(&m.masked)
        );
        if let Some(deleted) = secret.deleted_in {
            message.push_str(&format!(
                ", deleted in layer {deleted} but still shipped in layer {}",
                secret.layer
            ));
        } else if let Some(replaced) = secret.replaced_in {
            message.push_str(&format!(
                ", replaced in layer {replaced} but still shipped in layer {}",
                secret.layer
            ));
        }
        hygiene.push(HygieneFinding {
            rule: &SECRET_IN_IMAGE,
            message,
            layer: Some(secret.layer),
            path: Some(m.source.clone()),
        });
        severities.push(m.severity);
    }
    for secret in config {
        let m = &secret.found;
        hygiene.push(HygieneFinding {
            rule: &SECRET_IN_IMAGE,
            message: format!(
                "{} ({}) in {} of the image config: {}",
                m.title,
                m.rule_id,
                m.source,
                shown(&m.masked)
            ),
            layer: secret.layer,
            path: Some(m.source.clone()),
        });
        severities.push(m.severity);
    }
    let mut out = hygiene::findings(image, hygiene);
    for (finding, severity) in out.iter_mut().zip(severities) {
        finding.severity = severity;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::layers::{Compression, Entry, EntryKind};
    use crate::image::secrets::builtin_rules;

    fn layer(index: usize, paths: &[&str], whiteouts: &[&str], opaque: &[&str]) -> LayerContents {
        LayerContents {
            index,
            compression: Compression::None,
            entries: paths
                .iter()
                .map(|p| Entry {
                    path: (*p).into(),
                    kind: EntryKind::File,
                    mode: 0o644,
                    uid: 0,
                    gid: 0,
                    size: 1,
                    kept: None,
                })
                .collect(),
            whiteouts: whiteouts.iter().map(|w| (*w).into()).collect(),
            opaque_dirs: opaque.iter().map(|d| (*d).into()).collect(),
            problems: Vec::new(),
            tar_bytes: 0,
        }
    }

    #[test]
    fn a_later_whiteout_opaque_directory_or_rewrite_is_the_files_fate() {
        let walked = vec![
            layer(0, &["/app/key", "/etc/key"], &[], &[]),
            layer(1, &["/etc/key"], &[], &[]),
            layer(2, &[], &["/app"], &[]),
            layer(3, &[], &[], &["/etc"]),
        ];
        assert_eq!(fate(&walked, 0, "/app/key"), (Some(2), None));
        assert_eq!(fate(&walked, 0, "/etc/key"), (None, Some(1)));
        assert_eq!(fate(&walked, 1, "/etc/key"), (Some(3), None));
        assert_eq!(fate(&walked, 0, "/application"), (None, None));
        assert_eq!(fate(&walked, 3, "/etc/key"), (None, None));
    }

    #[test]
    fn the_cataloger_reads_small_files_and_keeps_only_masked_matches() {
        let scanner = SecretScanner::new(builtin_rules());
        let cataloger = SecretsCataloger::new(&scanner);
        let info = |path, size| EntryInfo {
            path,
            size,
            mode: 0o644,
        };
        assert_eq!(cataloger.wants(&info("/app/.env", 10)), Want::Extract);
        assert_eq!(cataloger.wants(&info("/app/.env", 0)), Want::No);
        assert_eq!(
            cataloger.wants(&info("/app/big", MAX_SECRET_FILE + 1)),
            Want::No
        );
        assert_eq!(cataloger.wants(&info("/src/testdata/key", 10)), Want::No);
        let token = ["ghp_", "R8pWq3Lm7Zt2Kx9Vb4Nc6Hy1Js5Df0Ga8EuQ"].concat();
        assert_eq!(cataloger.extract("/app/a", b"nothing here"), None);
        let binary = [&b"\0"[..], token.as_bytes()].concat();
        assert_eq!(cataloger.extract("/app/b", &binary), None);
        let index = cataloger.extract("/app/c", format!("t={token}").as_bytes());
        assert_eq!(index, Some(0u64.to_le_bytes().to_vec()));
        let found = cataloger.found.lock().unwrap();
        assert_eq!(found[0].len(), 1);
        assert!(!found[0][0].masked.contains(&token));
    }

    #[test]
    fn env_labels_and_history_are_read_and_stars_are_shortened() {
        let scanner = SecretScanner::new(builtin_rules());
        let mut metadata = ImageMetadata::default();
        let key = ["AKIA", "Q3EGRTY7UIOP2LKJ"].concat();
        metadata.config.env = vec![format!("KEY_ID={key}"), "PATH=/bin".into()];
        metadata
            .config
            .labels
            .insert("deploy.key".into(), key.clone());
        metadata.history = vec![crate::image::metadata::HistoryEntry {
            created_by: Some(format!("ENV KEY_ID={key}")),
            layer: Some(0),
            ..Default::default()
        }];
        let found = config_secrets(&scanner, &metadata);
        let sources: Vec<(&str, Option<usize>)> = found
            .iter()
            .map(|s| (s.found.source.as_str(), s.layer))
            .collect();
        assert_eq!(
            sources,
            [
                ("ENV KEY_ID", None),
                ("LABEL deploy.key", None),
                ("history step 0", Some(0))
            ]
        );
        assert_eq!(shown("MIIE**************t*"), "MIIE********t*");
    }
}
