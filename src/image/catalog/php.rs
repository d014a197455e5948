//! Installed PHP packages: Composer's record of what it installed,
//! `…/vendor/composer/installed.json`, in both formats — Composer 1's array of packages and
//! Composer 2's `{"packages": [...], "dev": …, "dev-package-names": [...]}`. Development
//! packages are reported too: they are installed in the image.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{purl, Cataloger, Ecosystem, EntryInfo, ImageFiles, Package, Want};

/// Largest `installed.json` read.
pub const MAX_INSTALLED_SIZE: u64 = 64 << 20;

const EXTRACT_MAGIC: &[u8] = b"\0portcullis:php:1\n";

/// Finds Composer-installed PHP packages. See the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct PhpCataloger;

#[derive(Debug, Serialize, Deserialize)]
enum Record {
    /// `(vendor/name, version)` pairs.
    Packages(Vec<(String, String)>),
    Problem(String),
}

/// Whether `path` is Composer's installed-packages file.
pub fn is_installed_json(path: &str) -> bool {
    path.ends_with("/vendor/composer/installed.json")
}

fn parse(bytes: &[u8]) -> Record {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let document: Value = match serde_json::from_slice(bytes) {
        Ok(document) => document,
        Err(err) => return Record::Problem(format!("not JSON: {err}")),
    };
    let list = match &document {
        Value::Array(list) => list,
        Value::Object(object) => match object.get("packages") {
            Some(Value::Array(list)) => list,
            _ => {
                return Record::Problem(
                    "no `packages` array (not a Composer installed.json)".into(),
                )
            }
        },
        _ => return Record::Problem("neither an array nor an object of packages".into()),
    };
    let mut packages = Vec::new();
    for entry in list {
        let field = |key: &str| entry.get(key).and_then(Value::as_str).map(str::trim);
        let (Some(name), Some(version)) = (field("name"), field("version")) else {
            continue;
        };
        let valid_name = name.split_once('/').is_some_and(|(vendor, package)| {
            !vendor.is_empty() && !package.is_empty() && !package.contains('/')
        }) && name.len() <= 256
            && !name.chars().any(|c| c.is_whitespace() || c.is_control());
        let valid_version =
            !version.is_empty() && version.len() <= 256 && !version.chars().any(|c| c.is_control());
        if valid_name && valid_version {
            packages.push((name.to_string(), version.to_string()));
        }
    }
    Record::Packages(packages)
}

impl Cataloger for PhpCataloger {
    fn name(&self) -> &'static str {
        "php"
    }

    fn wants(&self, entry: &EntryInfo<'_>) -> Want {
        if entry.size <= MAX_INSTALLED_SIZE && is_installed_json(entry.path) {
            Want::Extract
        } else {
            Want::No
        }
    }

    fn extract(&self, _path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
        let mut out = EXTRACT_MAGIC.to_vec();
        out.extend(serde_json::to_vec(&parse(bytes)).unwrap_or_default());
        Some(out)
    }

    fn catalog(&self, files: &dyn ImageFiles, problems: &mut Vec<String>) -> Vec<Package> {
        let mut packages = Vec::new();
        for path in files.paths() {
            if !is_installed_json(path) {
                continue;
            }
            let Some(bytes) = files.read(path) else {
                continue;
            };
            // The extract; or, from an `ImageFiles` that kept the whole file, the file itself.
            let record = match bytes.strip_prefix(EXTRACT_MAGIC) {
                Some(json) => serde_json::from_slice(json)
                    .unwrap_or_else(|err| Record::Problem(format!("unreadable extract: {err}"))),
                None if bytes.starts_with(b"\0portcullis:") => continue,
                None => parse(bytes),
            };
            let list = match record {
                Record::Packages(list) => list,
                Record::Problem(problem) => {
                    problems.push(format!("{path}: {problem}"));
                    continue;
                }
            };
            for (name, version) in list {
                let (vendor, short) = name.split_once('/').unwrap_or(("", &name));
                packages.push(Package {
                    purl: purl("composer", Some(vendor), short, &version, &[]),
                    source_name: Some(name.clone()),
                    source_version: Some(version.clone()),
                    name,
                    version,
                    ecosystem: Ecosystem::Packagist,
                    arch: None,
                    evidence: vec![path.to_string()],
                    layer: files.layer_of(path),
                    cataloger: self.name(),
                });
            }
        }
        packages
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::TestImage;
    use super::*;

    const COMPOSER_2: &str = r#"{
    "packages": [
        {
            "name": "monolog/monolog",
            "version": "2.9.1",
            "version_normalized": "2.9.1.0",
            "source": {"type": "git", "url": "https://github.com/Seldaek/monolog.git", "reference": "f259e2b"},
            "require": {"php": ">=7.2", "psr/log": "^1.0.1 || ^2.0 || ^3.0"},
            "type": "library",
            "install-path": "../monolog/monolog"
        },
        {
            "name": "symfony/console",
            "version": "v5.4.28",
            "version_normalized": "5.4.28.0",
            "type": "library",
            "install-path": "../symfony/console"
        },
        {
            "name": "phpunit/phpunit",
            "version": "9.6.13",
            "version_normalized": "9.6.13.0",
            "type": "library",
            "install-path": "../phpunit/phpunit"
        },
        {"name": "no/version"},
        {"name": "not-vendored", "version": "1.0.0"}
    ],
    "dev": true,
    "dev-package-names": ["phpunit/phpunit"]
}"#;

    const COMPOSER_1: &str = r#"[
    {"name": "guzzlehttp/guzzle", "version": "6.5.8", "version_normalized": "6.5.8.0", "type": "library"},
    {"name": "psr/http-message", "version": "1.0.1", "type": "library"}
]"#;

    #[test]
    fn composer_1_and_2_formats_are_read() {
        let image = TestImage::new()
            .file(
                2,
                "/var/www/html/vendor/composer/installed.json",
                COMPOSER_2,
            )
            .file(1, "/opt/legacy/vendor/composer/installed.json", COMPOSER_1)
            .file(
                1,
                "/var/www/html/composer.json",
                r#"{"require": {"monolog/monolog": "^2"}}"#,
            );
        let (packages, problems) = image.run(&PhpCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        let ids: Vec<_> = packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.purl.as_str(),
                    p.layer,
                )
            })
            .collect();
        assert_eq!(
            ids,
            vec![
                (
                    "guzzlehttp/guzzle",
                    "6.5.8",
                    "pkg:composer/guzzlehttp/guzzle@6.5.8",
                    Some(1)
                ),
                (
                    "psr/http-message",
                    "1.0.1",
                    "pkg:composer/psr/http-message@1.0.1",
                    Some(1)
                ),
                (
                    "monolog/monolog",
                    "2.9.1",
                    "pkg:composer/monolog/monolog@2.9.1",
                    Some(2)
                ),
                (
                    "symfony/console",
                    "v5.4.28",
                    "pkg:composer/symfony/console@v5.4.28",
                    Some(2)
                ),
                (
                    "phpunit/phpunit",
                    "9.6.13",
                    "pkg:composer/phpunit/phpunit@9.6.13",
                    Some(2)
                ),
            ]
        );
        assert_eq!(
            packages[2].evidence,
            vec!["/var/www/html/vendor/composer/installed.json"]
        );
        assert_eq!(packages[2].ecosystem, Ecosystem::Packagist);
    }

    #[test]
    fn broken_files_are_problems() {
        let image = TestImage::new()
            .file(
                0,
                "/a/vendor/composer/installed.json",
                r#"{"packages": [{"name": "x/y", "vers"#,
            )
            .file(
                0,
                "/b/vendor/composer/installed.json",
                r#"{"installed": []}"#,
            )
            .file(0, "/c/vendor/composer/installed.json", "42")
            .file(
                0,
                "/d/vendor/composer/installed.json",
                r#"{"packages": []}"#,
            );
        let (packages, problems) = image.run(&PhpCataloger);
        assert!(packages.is_empty());
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("/a/vendor/composer/installed.json: not JSON"));
        assert!(problems[1].contains("no `packages` array"));
        assert!(problems[2].contains("neither an array nor an object"));
    }
}
