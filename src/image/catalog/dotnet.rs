//! .NET applications: the `*.deps.json` file the SDK writes beside each published application
//! (and the runtime's own), whose `libraries` object lists every library as `"NAME/VERSION"`
//! with a `type`. Only `package` libraries (from NuGet) are packages; `project` (the
//! application and its own projects), `reference` and `runtimepack` entries are not.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{purl, Cataloger, Ecosystem, EntryInfo, ImageFiles, Package, Want};

/// Largest `deps.json` read.
pub const MAX_DEPS_SIZE: u64 = 64 << 20;

const EXTRACT_MAGIC: &[u8] = b"\0portcullis:dotnet:1\n";

/// Finds NuGet packages of .NET applications. See the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct DotnetCataloger;

#[derive(Debug, Serialize, Deserialize)]
enum Record {
    /// `(name, version)` pairs.
    Packages(Vec<(String, String)>),
    Problem(String),
}

/// Whether `path` is a .NET dependency manifest.
pub fn is_deps_json(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .and_then(|name| name.strip_suffix(".deps.json"))
        .is_some_and(|stem| !stem.is_empty())
}

fn parse(bytes: &[u8]) -> Record {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let document: Value = match serde_json::from_slice(bytes) {
        Ok(document) => document,
        Err(err) => return Record::Problem(format!("not JSON: {err}")),
    };
    let Some(libraries) = document.get("libraries").and_then(Value::as_object) else {
        return Record::Problem("no `libraries` object (not a .NET deps.json)".into());
    };
    let mut packages = Vec::new();
    for (key, library) in libraries {
        if library.get("type").and_then(Value::as_str) != Some("package") {
            continue;
        }
        let Some((name, version)) = key.split_once('/') else {
            continue;
        };
        let valid = |text: &str| {
            !text.is_empty()
                && text.len() <= 256
                && !text
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '/')
        };
        if valid(name) && valid(version) {
            packages.push((name.to_string(), version.to_string()));
        }
    }
    Record::Packages(packages)
}

impl Cataloger for DotnetCataloger {
    fn name(&self) -> &'static str {
        "dotnet"
    }

    fn wants(&self, entry: &EntryInfo<'_>) -> Want {
        if entry.size <= MAX_DEPS_SIZE && is_deps_json(entry.path) {
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
            if !is_deps_json(path) {
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
                packages.push(Package {
                    purl: purl("nuget", None, &name, &version, &[]),
                    source_name: Some(name.clone()),
                    source_version: Some(version.clone()),
                    name,
                    version,
                    ecosystem: Ecosystem::NuGet,
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

    /// As `dotnet publish` writes it for a web application.
    const WEBAPP: &str = r#"{
  "runtimeTarget": {"name": ".NETCoreApp,Version=v8.0", "signature": ""},
  "compilationOptions": {},
  "targets": {
    ".NETCoreApp,Version=v8.0": {
      "WebApp/1.0.0": {
        "dependencies": {"Newtonsoft.Json": "13.0.1", "Serilog": "3.1.1", "Shared": "1.0.0"},
        "runtime": {"WebApp.dll": {}}
      },
      "Newtonsoft.Json/13.0.1": {"runtime": {"lib/net6.0/Newtonsoft.Json.dll": {"assemblyVersion": "13.0.0.0", "fileVersion": "13.0.1.25517"}}},
      "Serilog/3.1.1": {"runtime": {"lib/net7.0/Serilog.dll": {}}},
      "Shared/1.0.0": {"runtime": {"Shared.dll": {}}}
    }
  },
  "libraries": {
    "WebApp/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "Newtonsoft.Json/13.0.1": {
      "type": "package",
      "serviceable": true,
      "sha512": "sha512-ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==",
      "path": "newtonsoft.json/13.0.1",
      "hashPath": "newtonsoft.json.13.0.1.nupkg.sha512"
    },
    "Serilog/3.1.1": {"type": "package", "serviceable": true, "sha512": "sha512-x", "path": "serilog/3.1.1"},
    "Shared/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "Microsoft.NETCore.App.Runtime.linux-x64/8.0.0": {"type": "runtimepack", "serviceable": false, "sha512": ""}
  }
}"#;

    #[test]
    fn package_libraries_are_packages() {
        let image = TestImage::new()
            .file(4, "/app/WebApp.deps.json", WEBAPP)
            .file(
                4,
                "/app/WebApp.runtimeconfig.json",
                r#"{"runtimeOptions": {}}"#,
            )
            .file(4, "/app/.deps.json", WEBAPP);
        let (packages, problems) = image.run(&DotnetCataloger);
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
                    "Newtonsoft.Json",
                    "13.0.1",
                    "pkg:nuget/Newtonsoft.Json@13.0.1",
                    Some(4)
                ),
                ("Serilog", "3.1.1", "pkg:nuget/Serilog@3.1.1", Some(4)),
            ]
        );
        assert_eq!(packages[0].evidence, vec!["/app/WebApp.deps.json"]);
        assert_eq!(packages[0].ecosystem, Ecosystem::NuGet);
    }

    #[test]
    fn broken_files_are_problems() {
        let image = TestImage::new()
            .file(0, "/a/App.deps.json", r#"{"libraries": {"X/1.0": {"type": "package""#)
            .file(0, "/b/App.deps.json", r#"{"targets": {}}"#)
            .file(0, "/c/App.deps.json", r#"{"libraries": {"NoVersion": {"type": "package"}, "Ok/2.0": {"type": "package"}}}"#);
        let (packages, problems) = image.run(&DotnetCataloger);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("/a/App.deps.json: not JSON"));
        assert!(problems[1].contains("no `libraries` object"));
        assert_eq!(packages.len(), 1);
        assert_eq!(packages[0].name, "Ok");
    }
}
