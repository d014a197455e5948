//! Installed Node.js packages: the `package.json` at the root of each package directory in a
//! `node_modules` tree, anywhere in the image — the application's `node_modules`, nested ones,
//! scoped `@scope/name` packages, pnpm's `.pnpm/…/node_modules`, and the global trees
//! (`/usr/lib/node_modules`, `/usr/local/lib/node_modules`) that Trivy leaves out. Debian (and
//! Ubuntu) install their `node-*` packages, npm's own dependencies among them, not in a
//! `node_modules` tree but in `/usr/share/nodejs`, `/usr/lib/nodejs` and
//! `/usr/lib/<triplet>/nodejs`, which Node on those systems searches like a global
//! `node_modules`: those count as package directories too.
//!
//! Only `node_modules/NAME/package.json` and `node_modules/@SCOPE/NAME/package.json` count: the
//! `package.json` files deeper inside a package (`dist/esm/package.json`, which only set the
//! module type) and the application's own `package.json` outside `node_modules` are not
//! packages. A manifest needs a `name` and a `version`; one without (a linked workspace being
//! developed) is skipped. [`Cataloger::extract`] keeps only those two fields.
//!
//! [`Cataloger::extract`]: super::Cataloger::extract

use serde::Deserialize;
use serde_json::Value;

use super::extract::{from_json, ExtractCataloger};
use super::{purl, Ecosystem, EntryInfo, FoundIn, Package};

/// Largest `package.json` read.
pub const MAX_MANIFEST_SIZE: u64 = 4 << 20;

/// Finds installed npm packages. See the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct NpmCataloger;

/// Whether packages live directly in `dir`: a `node_modules` directory, or one of the Debian
/// Node directories (see the module documentation).
fn holds_packages(dir: &str) -> bool {
    if dir.ends_with("/node_modules") || dir == "node_modules" {
        return true;
    }
    let dir = dir.strip_prefix('/').unwrap_or(dir);
    if dir == "usr/share/nodejs" || dir == "usr/lib/nodejs" {
        return true;
    }
    dir.strip_prefix("usr/lib/")
        .and_then(|rest| rest.strip_suffix("/nodejs"))
        .is_some_and(|triplet| !triplet.is_empty() && !triplet.contains('/'))
}

/// Whether `path` is the manifest of a package directory in a `node_modules` tree (or a Debian
/// Node directory).
pub fn is_package_manifest(path: &str) -> bool {
    let Some(dir) = path.strip_suffix("/package.json") else {
        return false;
    };
    let Some((parent, name)) = dir.rsplit_once('/') else {
        return false;
    };
    if name.is_empty() || name.starts_with(['.', '@']) {
        return false;
    }
    if holds_packages(parent) {
        return true;
    }
    match parent.rsplit_once('/') {
        Some((grandparent, scope)) => {
            scope.len() > 1 && scope.starts_with('@') && holds_packages(grandparent)
        }
        None => false,
    }
}

/// `name` and `version` of a manifest: `Ok(None)` when either is missing.
fn name_and_version(bytes: &[u8]) -> Result<Option<(String, String)>, String> {
    #[derive(Deserialize)]
    struct Manifest {
        name: Option<Value>,
        version: Option<Value>,
    }
    let manifest: Manifest =
        from_json(bytes).map_err(|err| format!("not a JSON package manifest: {err}"))?;
    let (Some(Value::String(name)), Some(Value::String(version))) =
        (manifest.name, manifest.version)
    else {
        return Ok(None);
    };
    let (name, version) = (name.trim(), version.trim());
    if name.is_empty() || version.is_empty() {
        return Ok(None);
    }
    let valid = |value: &str, max: usize| {
        value.len() <= max && !value.chars().any(|c| c.is_control() || c.is_whitespace())
    };
    if !valid(name, 214)
        || name.starts_with('/')
        || name.ends_with('/')
        || name.matches('/').count() > 1
    {
        return Err(format!("invalid package name {name:?}"));
    }
    if name.contains('/') && !name.starts_with('@') {
        return Err(format!("invalid package name {name:?}"));
    }
    if !valid(version, 256) {
        return Err(format!("invalid version {version:?}"));
    }
    Ok(Some((name.to_string(), version.to_string())))
}

impl ExtractCataloger for NpmCataloger {
    const NAME: &'static str = "npm";
    /// `name` and `version`.
    type Record = (String, String);

    fn wants_file(&self, entry: &EntryInfo<'_>) -> bool {
        entry.size <= MAX_MANIFEST_SIZE && is_package_manifest(entry.path)
    }

    fn is_candidate(&self, path: &str) -> bool {
        is_package_manifest(path)
    }

    fn record(&self, _path: &str, bytes: &[u8]) -> Option<Result<Self::Record, String>> {
        name_and_version(bytes).transpose()
    }

    fn packages(
        &self,
        record: Self::Record,
        found: FoundIn<'_>,
        _: &mut Vec<String>,
    ) -> Vec<Package> {
        let (name, version) = record;
        let (namespace, short) = match name.split_once('/') {
            Some((scope, short)) => (Some(scope), short),
            None => (None, name.as_str()),
        };
        let purl = purl("npm", namespace, short, &version, &[]);
        vec![found.package(Ecosystem::Npm, name, version, purl)]
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;
    use std::process::Command;

    use super::super::testing::{ids, TestImage};
    use super::*;

    fn manifest(name: &str, version: &str) -> String {
        format!(
            r#"{{
  "name": "{name}",
  "version": "{version}",
  "description": "x",
  "main": "index.js",
  "license": "MIT",
  "dependencies": {{ "ms": "^2.1.3" }},
  "_resolved": "https://registry.npmjs.org/{name}/-/x-{version}.tgz"
}}"#
        )
    }

    #[test]
    fn only_package_roots_in_node_modules_are_manifests() {
        for path in [
            "/app/node_modules/express/package.json",
            "/app/node_modules/@babel/core/package.json",
            "/app/node_modules/express/node_modules/debug/package.json",
            "/usr/lib/node_modules/npm/package.json",
            "/usr/local/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json",
            "/app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json",
            "/node_modules/x/package.json",
            "/usr/share/nodejs/lodash/package.json",
            "/usr/share/nodejs/@types/node/package.json",
            "/usr/share/nodejs/cacache/node_modules/fs-minipass/package.json",
            "/usr/lib/nodejs/x/package.json",
            "/usr/lib/x86_64-linux-gnu/nodejs/bufferutil/package.json",
        ] {
            assert!(is_package_manifest(path), "{path}");
        }
        for path in [
            "/app/package.json",
            "/app/node_modules/package.json",
            "/app/node_modules/glob/dist/esm/package.json",
            "/app/node_modules/@babel/package.json",
            "/app/node_modules/@/x/package.json",
            "/app/node_modules/.cache/x/package.json",
            "/app/node_modules/.package-lock.json",
            "/app/my_node_modules/x/package.json",
            "/app/node_modules/x/package.json.bak",
            "/usr/share/nodejs/package.json",
            "/usr/share/nodejs/@types/package.json",
            "/usr/share/nodejs/express/lib/package.json",
            "/usr/share/nodejs/.bin/package.json",
            "/usr/lib/a/b/nodejs/x/package.json",
            "/usr/lib//nodejs/x/package.json",
            "/opt/usr/share/nodejs/x/package.json",
            "/usr/share/nodejs2/x/package.json",
        ] {
            assert!(!is_package_manifest(path), "{path}");
        }
    }

    #[test]
    fn application_global_nested_and_scoped_packages_are_found() {
        let image = TestImage::new()
            .file(
                0,
                "/usr/lib/node_modules/npm/package.json",
                manifest("npm", "9.2.0"),
            )
            .file(
                0,
                "/usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json",
                manifest("@npmcli/arborist", "6.1.6"),
            )
            .file(2, "/app/package.json", manifest("my-app", "1.0.0"))
            .file(
                2,
                "/app/node_modules/express/package.json",
                manifest("express", "4.18.2"),
            )
            .file(
                2,
                "/app/node_modules/express/node_modules/debug/package.json",
                manifest("debug", "2.6.9"),
            )
            .file(
                2,
                "/app/node_modules/glob/dist/esm/package.json",
                r#"{"type":"module"}"#,
            )
            .file(
                3,
                "/app/node_modules/debug/package.json",
                manifest("debug", "4.3.4"),
            )
            .file(
                1,
                "/usr/share/nodejs/@types/ms/package.json",
                manifest("@types/ms", "0.7.31"),
            )
            .file(
                1,
                "/usr/share/nodejs/ms/package.json",
                manifest("ms", "2.1.3"),
            );
        let (packages, problems) = image.run(&NpmCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        let found: Vec<_> = ids(&packages);
        assert_eq!(
            found,
            vec![
                ("debug", "4.3.4", "pkg:npm/debug@4.3.4", Some(3)),
                ("debug", "2.6.9", "pkg:npm/debug@2.6.9", Some(2)),
                ("express", "4.18.2", "pkg:npm/express@4.18.2", Some(2)),
                (
                    "@npmcli/arborist",
                    "6.1.6",
                    "pkg:npm/%40npmcli/arborist@6.1.6",
                    Some(0)
                ),
                ("npm", "9.2.0", "pkg:npm/npm@9.2.0", Some(0)),
                ("@types/ms", "0.7.31", "pkg:npm/%40types/ms@0.7.31", Some(1)),
                ("ms", "2.1.3", "pkg:npm/ms@2.1.3", Some(1)),
            ]
        );
        assert_eq!(
            packages[2].evidence,
            vec!["/app/node_modules/express/package.json"]
        );
        assert_eq!(packages[2].ecosystem, Ecosystem::Npm);
        assert_eq!(packages[3].source_name.as_deref(), Some("@npmcli/arborist"));
        assert_eq!(
            packages[6].evidence,
            vec!["/usr/share/nodejs/ms/package.json"]
        );
    }

    #[test]
    fn manifests_without_version_are_skipped_and_broken_ones_reported() {
        let image = TestImage::new()
            .file(
                0,
                "/a/node_modules/noversion/package.json",
                r#"{"name":"noversion"}"#,
            )
            .file(
                0,
                "/a/node_modules/noname/package.json",
                r#"{"version":"1.0.0"}"#,
            )
            .file(
                0,
                "/a/node_modules/numeric/package.json",
                r#"{"name":"numeric","version":1}"#,
            )
            .file(
                0,
                "/a/node_modules/truncated/package.json",
                r#"{"name":"truncated","vers"#,
            )
            .file(
                0,
                "/a/node_modules/binary/package.json",
                [0u8, 159, 146, 150],
            )
            .file(
                0,
                "/a/node_modules/evil/package.json",
                r#"{"name":"a/b/c","version":"1"}"#,
            )
            .file(
                0,
                "/a/node_modules/ok/package.json",
                "\u{feff}{\"name\":\"ok\",\"version\":\"1.0.0\"}",
            );
        let (packages, problems) = image.run(&NpmCataloger);
        assert_eq!(packages.len(), 1, "{packages:?}");
        assert_eq!(packages[0].name, "ok");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("/a/node_modules/binary/package.json: not a JSON"));
        assert!(problems[1].contains("invalid package name \"a/b/c\""));
        assert!(problems[2].starts_with("/a/node_modules/truncated/package.json: not a JSON"));
    }

    /// The global `node_modules` of this machine (npm and its bundled dependencies) cataloged
    /// through the cataloger equals what `npm ls -g --all` reports, path for path.
    #[test]
    fn global_node_modules_equal_what_npm_reports() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        let out = Command::new("npm")
            .args(["ls", "-g", "--all", "--parseable", "--long"])
            .current_dir(std::env::temp_dir())
            .output();
        let Some(out) = out.ok().filter(|o| !o.stdout.is_empty()) else {
            assert!(!ci, "npm is missing under CI");
            eprintln!("skipped: no npm");
            return;
        };
        let listing = String::from_utf8_lossy(&out.stdout);
        let mut lines = listing.lines();
        let root = lines
            .next()
            .and_then(|l| l.split(':').next())
            .unwrap_or("/");
        let expected: BTreeSet<String> = lines
            .filter_map(|line| {
                let (dir, rest) = line.split_once(':')?;
                let id = rest.split(':').next()?;
                Some(format!("{dir}/package.json {id}"))
            })
            .collect();
        assert!(!expected.is_empty());

        let mut image = TestImage::new();
        let mut stack = vec![Path::new(root).join("node_modules")];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let (path, Ok(kind)) = (entry.path(), entry.file_type()) else {
                    continue;
                };
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file() && path.file_name().is_some_and(|n| n == "package.json") {
                    image = image.file(0, &path.to_string_lossy(), std::fs::read(&path).unwrap());
                }
            }
        }
        let (packages, problems) = image.run(&NpmCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        let found: BTreeSet<String> = packages
            .iter()
            .map(|p| format!("{} {}@{}", p.evidence[0], p.name, p.version))
            .collect();
        assert_eq!(found, expected);
    }
}
