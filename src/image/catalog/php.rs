//! Installed PHP packages: Composer's record of what it installed,
//! `…/vendor/composer/installed.json`, in both formats — Composer 1's array of packages and
//! Composer 2's `{"packages": [...], "dev": …, "dev-package-names": [...]}`. Development
//! packages are reported too: they are installed in the image.

use serde_json::Value;

use super::extract::{from_json, pair_packages, ExtractCataloger};
use super::{purl, Ecosystem, EntryInfo, FoundIn, Package};

/// Largest `installed.json` read.
pub const MAX_INSTALLED_SIZE: u64 = 64 << 20;

/// Finds Composer-installed PHP packages. See the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct PhpCataloger;

/// Whether `path` is Composer's installed-packages file.
pub fn is_installed_json(path: &str) -> bool {
    path.ends_with("/vendor/composer/installed.json")
}

/// The `(vendor/name, version)` pairs of an `installed.json`.
fn parse(bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    let document: Value = from_json(bytes).map_err(|err| format!("not JSON: {err}"))?;
    let list = match &document {
        Value::Array(list) => list,
        Value::Object(object) => match object.get("packages") {
            Some(Value::Array(list)) => list,
            _ => return Err("no `packages` array (not a Composer installed.json)".into()),
        },
        _ => return Err("neither an array nor an object of packages".into()),
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
    Ok(packages)
}

impl ExtractCataloger for PhpCataloger {
    const NAME: &'static str = "php";
    /// `(vendor/name, version)` pairs.
    type Record = Vec<(String, String)>;

    fn wants_file(&self, entry: &EntryInfo<'_>) -> bool {
        entry.size <= MAX_INSTALLED_SIZE && is_installed_json(entry.path)
    }

    fn is_candidate(&self, path: &str) -> bool {
        is_installed_json(path)
    }

    fn record(&self, _path: &str, bytes: &[u8]) -> Option<Result<Self::Record, String>> {
        Some(parse(bytes))
    }

    fn packages(
        &self,
        list: Self::Record,
        found: FoundIn<'_>,
        _: &mut Vec<String>,
    ) -> Vec<Package> {
        pair_packages(list, found, Ecosystem::Packagist, |name, version| {
            let (vendor, short) = name.split_once('/').unwrap_or(("", name));
            purl("composer", Some(vendor), short, version, &[])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ids, TestImage};
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
        let ids: Vec<_> = ids(&packages);
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
