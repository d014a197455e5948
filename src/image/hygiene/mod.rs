//! Image hygiene: what the configuration and the final filesystem of an image say about how
//! it was built, beyond its packages (Dockle's `CIS-DI-…`, `DKL-DI-…` and `DKL-LI-…` checks).
//!
//! Each check lives in its own file and reports catalogue rules, shared with the Dockerfile
//! linter and the runtime checker where the concern is the same (root user, health check,
//! setuid files). The checks need the merged file tree, which [`ScannedImage`] does not keep:
//! run [`check`] on the [`Inventory`] before summarising it.
//!
//! [`ScannedImage`]: super::scanned::ScannedImage
//! [`Inventory`]: super::scan::Inventory

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::filesystem::FileSystem;
use super::metadata::ImageMetadata;
use super::scanned::ScannedImage;
use crate::finding::{Finding, Location, Position, Region};
use crate::rules::Rule;

pub mod deleted_files;
mod duplicate_ids;
mod empty_password;
mod env;
mod healthcheck;
mod history;
pub mod reference;
mod root_user;
mod setuid;
mod unnecessary_files;
mod volumes;
mod world_writable;

/// One hygiene problem of an image.
#[derive(Debug, Clone)]
pub struct HygieneFinding {
    pub rule: &'static Rule,
    pub message: String,
    /// The layer that introduced the path (manifest order), for findings about files.
    pub layer: Option<usize>,
    /// The path in the image, for findings about files.
    pub path: Option<String>,
    /// The upstream ids that apply, when only some of the rule's do (empty: all of them).
    pub aliases: &'static [&'static str],
}

/// Rules are compared by code (the catalogue holds each once).
impl PartialEq for HygieneFinding {
    fn eq(&self, other: &Self) -> bool {
        self.rule.code == other.rule.code
            && (&self.message, self.layer, &self.path) == (&other.message, other.layer, &other.path)
    }
}

impl Eq for HygieneFinding {}

impl HygieneFinding {
    /// A finding about the image configuration as a whole.
    fn config(rule: &'static Rule, message: impl Into<String>) -> Self {
        HygieneFinding {
            rule,
            message: message.into(),
            layer: None,
            path: None,
            aliases: &[],
        }
    }

    /// A finding about a path that `layer` introduced.
    fn file(rule: &'static Rule, message: impl Into<String>, path: &str, layer: usize) -> Self {
        HygieneFinding {
            rule,
            message: message.into(),
            layer: Some(layer),
            path: Some(path.to_owned()),
            aliases: &[],
        }
    }
}

/// What the configuration changes in the checks (`[image]` in `.portcullis.toml`).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Setuid and setgid files that are expected (globs over absolute paths).
    setuid_allowed: globset::GlobSet,
}

impl Settings {
    /// Settings whose expected setuid/setgid files are `patterns`: absolute paths or globs
    /// (`*` stays within one path component, `**` crosses them, `{a,b}` alternates). They
    /// replace [`DEFAULT_SETUID_ALLOWED`].
    pub fn new(setuid_allowed: &[impl AsRef<str>]) -> Result<Settings, String> {
        let mut builder = globset::GlobSetBuilder::new();
        for pattern in setuid_allowed {
            let pattern = pattern.as_ref();
            if !pattern.starts_with('/') {
                return Err(format!(
                    "`{pattern}` is not an absolute path (write e.g. `/usr/bin/{pattern}`)"
                ));
            }
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("`{pattern}` is not a valid glob: {e}"))?;
            builder.add(glob);
        }
        let setuid_allowed = builder
            .build()
            .map_err(|e| format!("the setuid allow-list is not valid: {e}"))?;
        Ok(Settings { setuid_allowed })
    }

    /// Whether the setuid or setgid file at `path` is expected.
    pub fn setuid_allowed(&self, path: &str) -> bool {
        self.setuid_allowed.is_match(path)
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::new(DEFAULT_SETUID_ALLOWED).expect("default setuid allow-list")
    }
}

/// The setuid and setgid programs distributions install in their base images for account
/// management (shadow, util-linux, PAM), in the system program directories. `sudo` is not
/// here: it does not belong in a base image, and it has its own rule for how it gets there.
pub const DEFAULT_SETUID_ALLOWED: &[&str] = &[
    "/{bin,sbin,usr/bin,usr/sbin}/passwd",
    "/{bin,sbin,usr/bin,usr/sbin}/su",
    "/{bin,sbin,usr/bin,usr/sbin}/chsh",
    "/{bin,sbin,usr/bin,usr/sbin}/chfn",
    "/{bin,sbin,usr/bin,usr/sbin}/gpasswd",
    "/{bin,sbin,usr/bin,usr/sbin}/newgrp",
    "/{bin,sbin,usr/bin,usr/sbin}/mount",
    "/{bin,sbin,usr/bin,usr/sbin}/umount",
    "/{bin,sbin,usr/bin,usr/sbin}/unix_chkpwd",
    "/{bin,sbin,usr/bin,usr/sbin}/expiry",
    "/{bin,sbin,usr/bin,usr/sbin}/chage",
];

/// Everything a check may look at.
pub struct ImageView<'a> {
    pub metadata: &'a ImageMetadata,
    pub files: &'a FileSystem,
    pub settings: &'a Settings,
}

/// Runs every hygiene check on an image with the default [`Settings`]. Findings come check by
/// check, each check's in path order (configuration findings first).
pub fn check(metadata: &ImageMetadata, files: &FileSystem) -> Vec<HygieneFinding> {
    check_with(metadata, files, &Settings::default())
}

/// Runs every hygiene check on an image, with `settings` from the configuration.
pub fn check_with(
    metadata: &ImageMetadata,
    files: &FileSystem,
    settings: &Settings,
) -> Vec<HygieneFinding> {
    let image = ImageView {
        metadata,
        files,
        settings,
    };
    let mut out = Vec::new();
    root_user::check(&image, &mut out);
    healthcheck::check(&image, &mut out);
    env::check(&image, &mut out);
    volumes::check(&image, &mut out);
    setuid::check(&image, &mut out);
    world_writable::check(&image, &mut out);
    empty_password::check(&image, &mut out);
    duplicate_ids::check(&image, &mut out);
    unnecessary_files::check(&image, &mut out);
    history::check(&image, &mut out);
    out
}

/// The findings of `image`'s run: each on the Dockerfile line that made its layer when the
/// Dockerfile is known, else on the image reference (as vulnerabilities are), with the layer's
/// digest in the message. Fingerprints are made of the rule and the path in the image, not the
/// layer or the tag, so they survive rebuilds and retags.
pub fn findings(image: &ScannedImage, hygiene: Vec<HygieneFinding>) -> Vec<Finding> {
    use sha2::{Digest, Sha256};
    let mut seen: BTreeMap<(&str, String), usize> = BTreeMap::new();
    hygiene
        .into_iter()
        .map(|h| {
            let origin = h
                .layer
                .and_then(|i| image.layer_origins.get(i))
                .and_then(Option::as_ref);
            let location = match origin {
                Some(origin) => {
                    let at = Position {
                        line: origin.line as u32,
                        column: 1,
                    };
                    Location {
                        path: origin.path.clone(),
                        region: Some(Region {
                            start: at,
                            end: at,
                            bytes: (0, 0),
                        }),
                    }
                }
                None => Location {
                    path: PathBuf::from(&image.reference),
                    region: None,
                },
            };
            let mut message = match origin {
                Some(_) => format!("{}: {}", image.reference, h.message),
                None => h.message.clone(),
            };
            if let Some(layer) = image.layer(h.layer) {
                message.push_str(&format!("; layer {} is {}", layer.index, layer.digest));
            }
            let subject = h.path.clone().unwrap_or_default();
            let occurrence = seen.entry((h.rule.code, subject.clone())).or_default();
            let mut hasher = Sha256::new();
            for part in [h.rule.code, "image-hygiene", subject.as_str()] {
                hasher.update(part.as_bytes());
                hasher.update([0]);
            }
            hasher.update(occurrence.to_le_bytes());
            *occurrence += 1;
            let mut finding = Finding::new(h.rule, message, location);
            if !h.aliases.is_empty() {
                finding = finding.with_aliases(h.aliases);
            }
            finding.fingerprint = crate::hex::encode(&hasher.finalize()[..16]);
            finding
        })
        .collect()
}

/// `rwxr-xr-x`-style octal mode with the special bits, as `ls` users read it (`4755`).
fn octal_mode(mode: u32) -> String {
    format!("{:04o}", mode & 0o7777)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builders for hygiene tests: a file tree from layers of tar items, and metadata.

    use super::*;
    use crate::image::layers::tests::{layer, walk_at, Item};
    use crate::image::metadata::{Healthcheck, RunConfig};

    pub(crate) use crate::image::layers::tests::file;
    pub(crate) use crate::image::layers::tests::Item as I;

    /// The merged filesystem of `layers` (base first).
    pub(crate) fn tree(layers: &[Vec<Item>]) -> FileSystem {
        FileSystem::merge(
            layers
                .iter()
                .enumerate()
                .map(|(i, items)| walk_at(i, &layer(items), &[])),
        )
    }

    /// Like [`tree`], with the account files (`/etc/passwd`, `/etc/shadow`, `/etc/group`) kept
    /// as the scan keeps them.
    pub(crate) fn accounts_tree(layers: &[Vec<Item>]) -> FileSystem {
        let accounts = crate::image::catalog::accounts::AccountsCataloger;
        FileSystem::merge(
            layers
                .iter()
                .enumerate()
                .map(|(i, items)| walk_at(i, &layer(items), &[&accounts])),
        )
    }

    /// An image configuration that passes the configuration checks: a non-root user and a
    /// health check.
    pub(crate) fn clean_metadata() -> ImageMetadata {
        ImageMetadata {
            os: "linux".into(),
            architecture: "amd64".into(),
            config: RunConfig {
                user: Some("10001".into()),
                healthcheck: Some(Healthcheck {
                    test: vec!["CMD".into(), "true".into()],
                    ..Healthcheck::default()
                }),
                ..RunConfig::default()
            },
            ..ImageMetadata::default()
        }
    }

    /// The findings of one check, as `(rule code, path, layer)`.
    pub(crate) fn run(
        check: fn(&ImageView<'_>, &mut Vec<HygieneFinding>),
        metadata: &ImageMetadata,
        files: &FileSystem,
    ) -> Vec<HygieneFinding> {
        run_with(check, metadata, files, &Settings::default())
    }

    /// Like [`run`], with `settings`.
    pub(crate) fn run_with(
        check: fn(&ImageView<'_>, &mut Vec<HygieneFinding>),
        metadata: &ImageMetadata,
        files: &FileSystem,
        settings: &Settings,
    ) -> Vec<HygieneFinding> {
        let mut out = Vec::new();
        check(
            &ImageView {
                metadata,
                files,
                settings,
            },
            &mut out,
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::image::layers::Compression;
    use crate::image::scan::LayerInfo;
    use crate::image::scanned::DockerfileLine;

    #[test]
    fn a_clean_image_has_no_findings() {
        let files = tree(&[vec![
            I::Owned("usr/bin/passwd", 0, 0, 0o4755),
            I::Owned("usr/local/bin/app", 0, 0, 0o755),
            I::Dir("tmp"),
        ]]);
        assert_eq!(check(&clean_metadata(), &files), []);
    }

    #[test]
    fn an_untended_image_reports_each_concern_once() {
        let files = tree(&[
            vec![I::Owned("usr/bin/passwd", 0, 0, 0o4755)],
            vec![
                I::Owned("usr/local/bin/helper", 0, 0, 0o4755),
                I::Owned("app/run.sh", 0, 0, 0o777),
                I::Owned("app/.git/config", 0, 0, 0o644),
                I::Owned("root/.aws/credentials", 0, 0, 0o600),
            ],
        ]);
        let mut metadata = ImageMetadata::default();
        metadata.config.volumes = vec!["/proc".into()];
        let codes: Vec<&str> = check(&metadata, &files)
            .iter()
            .map(|f| f.rule.code)
            .collect();
        assert_eq!(
            codes,
            ["PC1001", "PC4002", "PC5016", "PC1003", "PC1012", "PC2003", "PC4007"]
        );
    }

    #[test]
    fn check_reads_the_account_files() {
        let files = accounts_tree(&[vec![
            file("etc/shadow", "root:*:19000::::::\nguest::19000::::::\n"),
            file(
                "etc/passwd",
                "root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n",
            ),
            file("etc/group", "root:x:0:\n"),
        ]]);
        let codes: Vec<&str> = check(&clean_metadata(), &files)
            .iter()
            .map(|f| f.rule.code)
            .collect();
        assert_eq!(codes, ["PC1013", "PC1014"]);
    }

    fn scanned(origins: Vec<Option<DockerfileLine>>) -> ScannedImage {
        let layers = (0..origins.len())
            .map(|index| LayerInfo {
                index,
                media_type: "application/vnd.oci.image.layer.v1.tar".into(),
                digest: format!("sha256:{}", index.to_string().repeat(64)),
                size: 1,
                diff_id: None,
                created_by: None,
                compression: Compression::None,
                entries: 1,
                tar_bytes: 1,
            })
            .collect();
        ScannedImage {
            reference: "oci:build/app".into(),
            manifest_digest: None,
            config_digest: None,
            os: "linux".into(),
            architecture: "amd64".into(),
            distro: None,
            layers,
            packages: Vec::new(),
            layer_origins: origins,
            problems: Vec::new(),
            vulnerabilities: None,
            suppressed_hidden: 0,
        }
    }

    fn helper_and_root(metadata: &ImageMetadata) -> Vec<HygieneFinding> {
        let files = tree(&[
            vec![I::Owned("usr/bin/passwd", 0, 0, 0o4755)],
            vec![I::Owned("usr/local/bin/helper", 0, 0, 0o4755)],
        ]);
        check(metadata, &files)
    }

    #[test]
    fn findings_sit_on_the_dockerfile_line_of_their_layer_or_on_the_image() {
        let mut metadata = clean_metadata();
        metadata.config.user = None;
        let line = DockerfileLine {
            path: PathBuf::from("Dockerfile"),
            line: 4,
            base: false,
        };
        let image = scanned(vec![None, Some(line)]);
        let found = findings(&image, helper_and_root(&metadata));
        assert_eq!(found.len(), 2);
        let root = &found[0];
        assert_eq!(root.rule.code, "PC1001");
        assert_eq!(root.location.path, PathBuf::from("oci:build/app"));
        assert_eq!(root.location.region, None);
        let helper = &found[1];
        assert_eq!(helper.rule.code, "PC1003");
        assert_eq!(helper.location.path, PathBuf::from("Dockerfile"));
        assert_eq!(helper.line(), Some(4));
        assert!(helper
            .message
            .starts_with("oci:build/app: /usr/local/bin/helper is setuid"));
        assert!(helper
            .message
            .ends_with(&format!("; layer 1 is sha256:{}", "1".repeat(64))));

        // Without a Dockerfile the file finding sits on the image, with the same fingerprint.
        let bare = findings(&scanned(vec![None, None]), helper_and_root(&metadata));
        assert_eq!(bare[1].location.path, PathBuf::from("oci:build/app"));
        assert!(bare[1]
            .message
            .starts_with("/usr/local/bin/helper is setuid"));
        assert_eq!(bare[1].fingerprint, helper.fingerprint);
        assert_ne!(bare[0].fingerprint, bare[1].fingerprint);
        assert_eq!(bare[1].fingerprint.len(), 32);
    }

    #[test]
    fn modes_are_shown_with_their_special_bits() {
        assert_eq!(octal_mode(0o104755), "4755");
        assert_eq!(octal_mode(0o644), "0644");
    }
}
