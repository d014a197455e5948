//! .NET applications: the `*.deps.json` file the SDK writes beside each published application
//! (and the runtime's own), whose `libraries` object lists every library as `"NAME/VERSION"`
//! with a `type`. Only `package` libraries (from NuGet) are packages; `project` (the
//! application and its own projects), `reference` and `runtimepack` entries are not.

use serde_json::Value;

use super::extract::{from_json, pair_packages, ExtractCataloger};
use super::{purl, Ecosystem, EntryInfo, FoundIn, Package};

/// Largest `deps.json` read.
pub const MAX_DEPS_SIZE: u64 = 64 << 20;

/// Finds NuGet packages of .NET applications. See the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct DotnetCataloger;

/// Whether `path` is a .NET dependency manifest.
pub fn is_deps_json(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .and_then(|name| name.strip_suffix(".deps.json"))
        .is_some_and(|stem| !stem.is_empty())
}

/// The `(name, version)` pairs of the NuGet packages of a `deps.json`.
fn parse(bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    let document: Value = from_json(bytes).map_err(|err| format!("not JSON: {err}"))?;
    let Some(libraries) = document.get("libraries").and_then(Value::as_object) else {
        return Err("no `libraries` object (not a .NET deps.json)".into());
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
    Ok(packages)
}

impl ExtractCataloger for DotnetCataloger {
    const NAME: &'static str = "dotnet";
    /// `(name, version)` pairs.
    type Record = Vec<(String, String)>;

    fn wants_file(&self, entry: &EntryInfo<'_>) -> bool {
        entry.size <= MAX_DEPS_SIZE && is_deps_json(entry.path)
    }

    fn is_candidate(&self, path: &str) -> bool {
        is_deps_json(path)
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
        pair_packages(list, found, Ecosystem::NuGet, |name, version| {
            purl("nuget", None, name, version, &[])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ids, TestImage};
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
        let ids: Vec<_> = ids(&packages);
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
