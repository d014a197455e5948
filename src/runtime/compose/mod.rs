//! Compose projects: the services a set of Compose files declares, merged the way
//! `docker compose` merges them, with the file and position of every key and value.
//!
//! A service's effective configuration is rarely in one place: an override file adds
//! capabilities, `extends` pulls in a base from another file, `${VAR}` hides a value in `.env`,
//! and profiles leave services out. Checking the files one by one would miss a `privileged`
//! granted by the override and flag services that never run, so [`load`] builds the project
//! Compose would run:
//!
//! 1. each file is parsed into an owned tree ([`crate::runtime::tree`]) whose nodes keep file and region;
//! 2. every value (never a key) is interpolated ([`interpolate`]) from the caller's
//!    environment, then the env file;
//! 3. each service's `extends` base is resolved (recursively, across files) and merged under
//!    it, then the files are merged in order ([`merge`]);
//! 4. services whose profiles are all inactive are left out.
//!
//! What Compose would refuse but a scan can live with (an unset variable, an `extends` target
//! that does not exist) is a [`ComposeProject::problems`] entry naming the place; what leaves
//! no project to check (unreadable file, YAML error, an `extends` cycle) is a [`ComposeError`].

pub mod interpolate;
pub mod merge;
pub mod syntax;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

pub use crate::runtime::tree::{Key, Located, Value, ValueKind};

use crate::runtime::yaml::{documents, YamlError};
use crate::source::LineIndex;

/// The merged project.
#[derive(Debug)]
pub struct ComposeProject {
    /// The top-level `name` of the last file that sets one.
    pub name: Option<String>,
    /// Active services, in the order they are first declared.
    pub services: Vec<Service>,
    /// Non-fatal problems, each starting with `file:line:column: `.
    pub problems: Vec<String>,
}

/// One service after `extends`, merging and interpolation.
#[derive(Debug)]
pub struct Service {
    pub name: String,
    /// The merged service mapping, `extends` removed.
    pub config: Value,
    /// The service's key in the last file that defines it.
    pub declared_at: Located,
}

impl Service {
    /// The entry `key` of the service.
    pub fn get(&self, key: &str) -> Option<(&Key, &Value)> {
        self.config.get(key)
    }
}

/// What to load, as `docker compose -f a.yml -f b.yml --profile p` would.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The Compose files, in `-f` order; later files override earlier ones.
    pub files: Vec<PathBuf>,
    /// Active profiles. Empty means `COMPOSE_PROFILES` from the variables (comma-separated);
    /// `*` activates every profile.
    pub profiles: Vec<String>,
    /// The process environment (callers pass `std::env::vars()`; tests their own). It wins
    /// over the env file.
    pub env: BTreeMap<String, String>,
    /// The env file; by default `.env` next to the first file, when there is one.
    pub env_file: Option<PathBuf>,
}

/// Why a project could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("{}: cannot read: {source}", file.display())]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{}:{}: {}", file.display(), error.line, error.column, error.message)]
    Yaml { file: PathBuf, error: YamlError },
    #[error("{}:{line}: a Compose file holds one YAML document; another one starts here", file.display())]
    SeveralDocuments { file: PathBuf, line: u32 },
    #[error("{at}: `{what}` is not a mapping")]
    NotMapping { what: String, at: Located },
    #[error("{at}: `extends` cycle: {chain}")]
    ExtendsCycle { chain: String, at: Located },
    #[error("no Compose file given")]
    NoFiles,
}

/// Loads and merges the project `options` describe.
pub fn load(options: &LoadOptions) -> Result<ComposeProject, ComposeError> {
    let first = options.files.first().ok_or(ComposeError::NoFiles)?;
    let mut loader = Loader {
        variables: variables(options, first)?,
        files: HashMap::new(),
        problems: Vec::new(),
    };
    let mut name = None;
    let mut merged: Vec<Service> = Vec::new();
    for file in &options.files {
        let root = loader.file(file)?;
        if let Some(n) = root.get("name").and_then(|(_, v)| v.as_str()) {
            name = Some(n.to_owned());
        }
        for (key, _) in services(&root)? {
            let mut stack = Vec::new();
            let Some((key, config)) = loader.service(file, &key.name, &mut stack)? else {
                continue;
            };
            match merged.iter_mut().find(|s| s.name == key.name) {
                Some(service) => {
                    let base = std::mem::replace(&mut service.config, null(&key.at));
                    service.config = merge::merge_service(base, config);
                    service.declared_at = key.at;
                }
                None => merged.push(Service {
                    name: key.name,
                    config,
                    declared_at: key.at,
                }),
            }
        }
    }
    let profiles = active_profiles(options, &loader.variables);
    merged.retain(|service| enabled(service, &profiles));
    Ok(ComposeProject {
        name,
        services: merged,
        problems: loader.problems,
    })
}

/// The caller's environment over the env file.
fn variables(
    options: &LoadOptions,
    first: &Path,
) -> Result<BTreeMap<String, String>, ComposeError> {
    let env_file = match &options.env_file {
        Some(path) => Some(path.clone()),
        None => Some(directory(first).join(".env")).filter(|path| path.is_file()),
    };
    let mut variables = match env_file {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|source| ComposeError::Read { file: path, source })?;
            interpolate::parse_env_file(&text)
        }
        None => BTreeMap::new(),
    };
    variables.extend(options.env.clone());
    Ok(variables)
}

fn active_profiles(options: &LoadOptions, variables: &BTreeMap<String, String>) -> Vec<String> {
    if !options.profiles.is_empty() {
        return options.profiles.clone();
    }
    variables
        .get("COMPOSE_PROFILES")
        .map(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A service without profiles always runs; one with profiles when one of them is active.
fn enabled(service: &Service, active: &[String]) -> bool {
    let Some((_, profiles)) = service.get("profiles") else {
        return true;
    };
    let Some(profiles) = profiles.as_seq() else {
        return true;
    };
    profiles.is_empty()
        || active.iter().any(|p| p == "*")
        || profiles
            .iter()
            .filter_map(Value::as_str)
            .any(|p| active.iter().any(|a| a == p))
}

/// The `services` entries of a file's root.
fn services(root: &Value) -> Result<Vec<(Key, Value)>, ComposeError> {
    match root.get("services") {
        None => Ok(Vec::new()),
        Some((_, value)) => match &value.kind {
            ValueKind::Null => Ok(Vec::new()),
            ValueKind::Map(entries) => Ok(entries.clone()),
            _ => Err(ComposeError::NotMapping {
                what: "services".into(),
                at: value.at.clone(),
            }),
        },
    }
}

fn null(at: &Located) -> Value {
    Value::new(ValueKind::Null, at.clone())
}

/// Loads files once each (interpolation problems are reported once) and resolves services.
struct Loader {
    variables: BTreeMap<String, String>,
    /// Interpolated roots, by file identity.
    files: HashMap<PathBuf, Value>,
    problems: Vec<String>,
}

impl Loader {
    fn file(&mut self, path: &Path) -> Result<Value, ComposeError> {
        let identity = identity(path);
        if let Some(root) = self.files.get(&identity) {
            return Ok(root.clone());
        }
        let text = std::fs::read_to_string(path).map_err(|source| ComposeError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        let mut root = parse(path, &text)?;
        root.for_each_scalar(&mut |text, at| {
            let (out, issues) = interpolate::interpolate(text, &self.variables);
            for issue in issues {
                self.problems.push(format!("{at}: {}", issue.describe()));
            }
            *text = out;
        });
        self.files.insert(identity, root.clone());
        Ok(root)
    }

    /// Service `name` of `file` with its `extends` chain merged in and its dictionaries
    /// normalised; `None` when the file has no such service. `stack` holds the services being
    /// resolved, to detect cycles.
    fn service(
        &mut self,
        file: &Path,
        name: &str,
        stack: &mut Vec<(PathBuf, String)>,
    ) -> Result<Option<(Key, Value)>, ComposeError> {
        let root = self.file(file)?;
        let Some((key, value)) = services(&root)?.into_iter().find(|(k, _)| k.name == name) else {
            return Ok(None);
        };
        let mut config = match value.kind {
            ValueKind::Null => Value::new(ValueKind::Map(Vec::new()), key.at.clone()),
            ValueKind::Map(_) => value,
            _ => {
                return Err(ComposeError::NotMapping {
                    what: format!("services.{name}"),
                    at: value.at,
                })
            }
        };
        let extends = take(&mut config, "extends");
        config = merge::normalise_service(config);
        let Some((extends_key, extends)) = extends else {
            return Ok(Some((key, config)));
        };
        let Some((base_file, base_name)) = self.extends_target(file, &extends_key, &extends) else {
            return Ok(Some((key, config)));
        };
        let me = (identity(file), name.to_owned());
        if stack.contains(&me) {
            let chain = stack
                .iter()
                .chain(std::iter::once(&me))
                .map(|(f, s)| format!("{s} ({})", f.display()))
                .collect::<Vec<_>>()
                .join(" -> ");
            return Err(ComposeError::ExtendsCycle {
                chain,
                at: extends_key.at,
            });
        }
        stack.push(me);
        let base = self.service(&base_file, &base_name, stack);
        stack.pop();
        match base? {
            Some((_, base)) => config = merge::merge_service(base, config),
            None => self.problems.push(format!(
                "{}: `extends` names service `{base_name}`, which {} does not define",
                extends_key.at,
                base_file.display()
            )),
        }
        Ok(Some((key, config)))
    }

    /// The file and service an `extends` value names: `extends: base`, or
    /// `extends: {service: base, file: other.yml}` with `file` relative to `file`.
    fn extends_target(
        &mut self,
        file: &Path,
        key: &Key,
        extends: &Value,
    ) -> Option<(PathBuf, String)> {
        if let Some(service) = extends.as_str() {
            return Some((file.to_path_buf(), service.to_owned()));
        }
        let service = extends.get("service").and_then(|(_, v)| v.as_str());
        let Some(service) = service else {
            self.problems
                .push(format!("{}: `extends` without a `service`", key.at));
            return None;
        };
        let base_file = match extends.get("file").and_then(|(_, v)| v.as_str()) {
            Some(other) => clean(&directory(file).join(other)),
            None => file.to_path_buf(),
        };
        Some((base_file, service.to_owned()))
    }
}

/// Removes and returns entry `key` of a mapping.
fn take(mapping: &mut Value, key: &str) -> Option<(Key, Value)> {
    let ValueKind::Map(entries) = &mut mapping.kind else {
        return None;
    };
    let index = entries.iter().position(|(k, _)| k.name == key)?;
    Some(entries.remove(index))
}

/// Parses one Compose file into a located tree (an empty file is an empty mapping).
fn parse(path: &Path, text: &str) -> Result<Value, ComposeError> {
    let mut docs = Vec::new();
    for document in documents(text) {
        docs.push(document.map_err(|error| ComposeError::Yaml {
            file: path.to_path_buf(),
            error,
        })?);
    }
    let index = LineIndex::new(text);
    if let Some(second) = docs.get(1) {
        let line = second
            .region(&index, second.root.span(), 0)
            .map_or(1, |region| region.start.line);
        return Err(ComposeError::SeveralDocuments {
            file: path.to_path_buf(),
            line,
        });
    }
    let at = Located {
        file: path.to_path_buf(),
        region: None,
    };
    let Some(document) = docs.first() else {
        return Ok(Value::new(ValueKind::Map(Vec::new()), at));
    };
    let converter = crate::runtime::tree::Converter {
        file: path,
        text,
        index: &index,
        document,
    };
    let root = converter.value(&document.root);
    if root.entries().is_none() {
        return Err(ComposeError::NotMapping {
            what: "the file's top level".into(),
            at: root.at,
        });
    }
    Ok(root)
}

/// The directory of a file as given (`""` for a bare file name, which joins as the current
/// directory).
fn directory(file: &Path) -> &Path {
    file.parent().unwrap_or(Path::new(""))
}

/// `a/./b/../c` as `a/c`, without touching the file system (paths stay as the user wrote them).
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// One name per file, however it is reached (for the cache and cycle detection).
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| clean(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::tree::test_strings;

    struct Project {
        dir: tempfile::TempDir,
    }

    impl Project {
        fn new(files: &[(&str, &str)]) -> Project {
            let dir = tempfile::tempdir().unwrap();
            for (name, text) in files {
                let path = dir.path().join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            Project { dir }
        }

        fn options(&self, files: &[&str]) -> LoadOptions {
            LoadOptions {
                files: files.iter().map(|f| self.dir.path().join(f)).collect(),
                ..LoadOptions::default()
            }
        }

        fn load(&self, files: &[&str]) -> ComposeProject {
            load(&self.options(files)).unwrap()
        }
    }

    fn service<'p>(project: &'p ComposeProject, name: &str) -> &'p Service {
        project
            .services
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no service {name}"))
    }

    fn start(at: &Located) -> (u32, u32) {
        let region = at.region.unwrap();
        (region.start.line, region.start.column)
    }

    #[test]
    fn keys_point_at_their_exact_line_and_column() {
        let project = Project::new(&[(
            "compose.yml",
            "version: '3.8'\nname: shop\nservices:\n  web:\n    image: nginx\n    privileged: true\n",
        )]);
        let loaded = project.load(&["compose.yml"]);
        assert_eq!(loaded.name.as_deref(), Some("shop"));
        let web = service(&loaded, "web");
        assert_eq!(start(&web.declared_at), (4, 3));
        let (key, value) = web.get("privileged").unwrap();
        assert_eq!(start(&key.at), (6, 5));
        assert_eq!(key.at.region.unwrap().end.column, 15);
        assert_eq!(value.as_bool(), Some(true));
        assert_eq!(start(&value.at), (6, 17));
        assert!(key.at.file.ends_with("compose.yml"));
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    }

    #[test]
    fn two_files_merge_with_positions_of_the_overriding_file() {
        let project = Project::new(&[
            (
                "compose.yml",
                "services:\n  app:\n    image: app:1\n    cap_add: [NET_ADMIN]\n    volumes:\n      - data:/data\n      - /logs\n    environment:\n      - A=1\n      - B=2\n  db:\n    image: postgres\n",
            ),
            (
                "compose.override.yml",
                "services:\n  app:\n    image: app:2\n    cap_add:\n      - SYS_ADMIN\n    volumes:\n      - /srv/data:/data:ro\n    environment:\n      B: \"3\"\n    privileged: true\n",
            ),
        ]);
        let loaded = project.load(&["compose.yml", "compose.override.yml"]);
        let names: Vec<_> = loaded.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["app", "db"]);
        let app = service(&loaded, "app");
        assert!(app.declared_at.file.ends_with("compose.override.yml"));
        let (key, image) = app.get("image").unwrap();
        assert_eq!(image.as_str(), Some("app:2"));
        assert!(image.at.file.ends_with("compose.override.yml"));
        assert_eq!((start(&key.at), start(&image.at)), ((3, 5), (3, 12)));
        let cap_add = app.get("cap_add").unwrap().1;
        assert_eq!(test_strings(cap_add), ["NET_ADMIN", "SYS_ADMIN"]);
        let caps = cap_add.as_seq().unwrap();
        assert!(caps[0].at.file.ends_with("compose.yml"));
        assert!(caps[1].at.file.ends_with("compose.override.yml"));
        assert_eq!(start(&caps[1].at), (5, 9));
        let volumes = app.get("volumes").unwrap().1;
        assert_eq!(test_strings(volumes), ["/srv/data:/data:ro", "/logs"]);
        assert_eq!(start(&volumes.as_seq().unwrap()[0].at), (7, 9));
        let environment = app.get("environment").unwrap().1;
        assert_eq!(environment.get("A").unwrap().1.as_str(), Some("1"));
        let (b_key, b) = environment.get("B").unwrap();
        assert_eq!(b.as_str(), Some("3"));
        assert_eq!(start(&b_key.at), (9, 7));
        let (key, _) = app.get("privileged").unwrap();
        assert!(key.at.file.ends_with("compose.override.yml"));
        assert_eq!(start(&key.at), (10, 5));
    }

    #[test]
    fn interpolation_uses_the_process_environment_over_the_env_file() {
        let project = Project::new(&[
            (
                "compose.yml",
                "services:\n  app:\n    image: \"${IMAGE}:${TAG:-latest}\"\n    user: $USER_ID\n    privileged: ${PRIV}\n    command: echo $$HOME $MISSING\n    environment:\n      TOKEN: ${TOKEN:?set a token}\n",
            ),
            (
                ".env",
                "IMAGE=from-env-file\nexport USER_ID='1000'\nPRIV=false\n",
            ),
        ]);
        let mut options = project.options(&["compose.yml"]);
        options.env.insert("PRIV".into(), "true".into());
        let loaded = load(&options).unwrap();
        let app = service(&loaded, "app");
        let get = |key: &str| app.get(key).unwrap().1;
        assert_eq!(get("image").as_str(), Some("from-env-file:latest"));
        assert_eq!(get("user").as_str(), Some("1000"));
        assert_eq!(get("privileged").as_bool(), Some(true), "process env wins");
        assert_eq!(start(&get("privileged").at), (5, 17));
        assert_eq!(get("command").as_str(), Some("echo $HOME "));
        assert_eq!(
            get("environment").get("TOKEN").unwrap().1.as_str(),
            Some("")
        );
        assert_eq!(loaded.problems.len(), 2, "{:?}", loaded.problems);
        assert!(loaded.problems[0].contains("compose.yml:6:14: variable `MISSING`"));
        assert!(loaded.problems[1].contains("compose.yml:8:14: required variable `TOKEN`"));
        assert!(loaded.problems[1].ends_with("set a token"));

        let mut options = project.options(&["compose.yml"]);
        options.env_file = Some(project.dir.path().join("missing.env"));
        assert!(matches!(load(&options), Err(ComposeError::Read { .. })));
    }

    #[test]
    fn extends_across_files_with_relative_paths() {
        let project = Project::new(&[
            (
                "app/compose.yml",
                "services:\n  web:\n    extends:\n      file: ../common/base.yml\n      service: hardened\n    image: web\n    cap_add: [CHOWN]\n  worker:\n    extends: web\n    command: work\n  orphan:\n    extends: nowhere\n",
            ),
            (
                "common/base.yml",
                "services:\n  hardened:\n    extends: root\n    read_only: true\n    cap_add: [NET_BIND_SERVICE]\n  root:\n    cap_drop: [ALL]\n    image: base\n",
            ),
        ]);
        let loaded = project.load(&["app/compose.yml"]);
        let web = service(&loaded, "web");
        assert!(web.get("extends").is_none());
        assert_eq!(web.get("image").unwrap().1.as_str(), Some("web"));
        let (key, read_only) = web.get("read_only").unwrap();
        assert_eq!(read_only.as_bool(), Some(true));
        assert!(key.at.file.ends_with("common/base.yml"));
        assert_eq!(start(&key.at), (4, 5));
        assert_eq!(
            test_strings(web.get("cap_add").unwrap().1),
            ["NET_BIND_SERVICE", "CHOWN"]
        );
        assert_eq!(test_strings(web.get("cap_drop").unwrap().1), ["ALL"]);
        let worker = service(&loaded, "worker");
        assert_eq!(worker.get("command").unwrap().1.as_str(), Some("work"));
        assert_eq!(test_strings(worker.get("cap_drop").unwrap().1), ["ALL"]);
        assert!(service(&loaded, "orphan").get("extends").is_none());
        assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
        assert!(loaded.problems[0].contains("compose.yml:12:5"));
        assert!(loaded.problems[0].contains("`nowhere`"));
    }

    #[test]
    fn an_extends_cycle_is_an_error() {
        let project = Project::new(&[
            (
                "compose.yml",
                "services:\n  a:\n    extends: {service: b, file: other.yml}\n",
            ),
            (
                "other.yml",
                "services:\n  b:\n    extends:\n      service: a\n      file: ./compose.yml\n",
            ),
        ]);
        let error = load(&project.options(&["compose.yml"])).unwrap_err();
        let ComposeError::ExtendsCycle { chain, at } = &error else {
            panic!("{error}");
        };
        assert!(chain.starts_with("a ("), "{chain}");
        assert_eq!(chain.matches(" -> ").count(), 2, "{chain}");
        assert!(at.line().is_some());
        let self_cycle = Project::new(&[("c.yml", "services:\n  s:\n    extends: s\n")]);
        let error = load(&self_cycle.options(&["c.yml"])).unwrap_err();
        assert!(error.to_string().contains("c.yml:3:5"), "{error}");
    }

    #[test]
    fn profiles_enable_services() {
        let project = Project::new(&[(
            "compose.yml",
            "services:\n  app: {image: a}\n  debug:\n    image: d\n    profiles: [debug, tools]\n  ops:\n    profiles: [ops]\n",
        )]);
        let names = |options: &LoadOptions| -> Vec<String> {
            load(options)
                .unwrap()
                .services
                .into_iter()
                .map(|s| s.name)
                .collect()
        };
        let mut options = project.options(&["compose.yml"]);
        assert_eq!(names(&options), ["app"]);
        options.profiles = vec!["tools".into()];
        assert_eq!(names(&options), ["app", "debug"]);
        options.profiles = vec!["*".into()];
        assert_eq!(names(&options), ["app", "debug", "ops"]);
        options.profiles.clear();
        options.env.insert("COMPOSE_PROFILES".into(), "ops".into());
        assert_eq!(names(&options), ["app", "ops"]);
    }

    #[test]
    fn broken_files_are_errors_naming_file_and_line() {
        let project = Project::new(&[
            ("bad.yml", "services:\n  web:\n    image: [unclosed\n"),
            ("two.yml", "services: {}\n---\nservices: {}\n"),
            ("list.yml", "services:\n  - web\n"),
            ("scalar.yml", "services:\n  web: nginx\n"),
            ("empty.yml", "# nothing\n"),
        ]);
        let error = load(&project.options(&["bad.yml"])).unwrap_err();
        assert!(matches!(error, ComposeError::Yaml { .. }), "{error}");
        let message = error.to_string();
        assert!(message.contains("bad.yml:"), "{message}");
        let ComposeError::Yaml { error: yaml, .. } = &error else {
            unreachable!()
        };
        assert!(yaml.line >= 3, "{message}");
        let error = load(&project.options(&["two.yml"])).unwrap_err();
        assert!(error.to_string().contains("two.yml:3:"), "{error}");
        let error = load(&project.options(&["list.yml"])).unwrap_err();
        assert!(
            error.to_string().contains("list.yml:2:3: `services`"),
            "{error}"
        );
        let error = load(&project.options(&["scalar.yml"])).unwrap_err();
        assert!(error.to_string().contains("`services.web`"), "{error}");
        assert!(project.load(&["empty.yml"]).services.is_empty());
        let error = load(&project.options(&["absent.yml"])).unwrap_err();
        assert!(matches!(error, ComposeError::Read { .. }), "{error}");
        assert!(matches!(
            load(&LoadOptions::default()),
            Err(ComposeError::NoFiles)
        ));
    }

    #[test]
    fn anchors_and_merge_keys_keep_the_positions_of_their_definitions() {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/runtime/compose/anchors.yaml");
        let loaded = load(&LoadOptions {
            files: vec![file],
            ..LoadOptions::default()
        })
        .unwrap();
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let names: Vec<_> = loaded.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["api", "debug"], "`x-` fields are no services");

        // `<<: *base`: the merged keys and values point into the `x-base` block.
        let api = service(&loaded, "api");
        let (key, read_only) = api.get("read_only").unwrap();
        assert_eq!(read_only.as_bool(), Some(true));
        assert!(key.at.file.ends_with("anchors.yaml"));
        assert_eq!((start(&key.at), start(&read_only.at)), ((6, 3), (6, 14)));
        let cap_drop = api.get("cap_drop").unwrap().1;
        assert_eq!(test_strings(cap_drop), ["ALL"]);
        assert_eq!(start(&cap_drop.as_seq().unwrap()[0].at), (7, 14));
        let (key, user) = api.get("user").unwrap();
        assert_eq!(
            (user.as_str(), start(&key.at)),
            (Some("10001:10001"), (10, 3))
        );
        let image = api.get("image").unwrap().1;
        assert_eq!(
            image.as_str(),
            Some("registry.example.com/shop/api:1.4.2"),
            "merged services are interpolated like others"
        );
        assert_eq!(start(&image.at), (20, 12));

        // `<<: [*base, *limits]`: the earlier mapping wins (`user`), own keys are added.
        let debug = service(&loaded, "debug");
        assert_eq!(start(&debug.declared_at), (24, 3));
        let (key, privileged) = debug.get("privileged").unwrap();
        assert_eq!(privileged.as_bool(), Some(true));
        assert_eq!(start(&key.at), (27, 5));
        let (key, read_only) = debug.get("read_only").unwrap();
        assert_eq!((read_only.as_bool(), start(&key.at)), (Some(true), (6, 3)));
        let (key, user) = debug.get("user").unwrap();
        assert_eq!(
            (user.as_str(), start(&key.at)),
            (Some("10001:10001"), (10, 3))
        );
        let (key, memory) = debug.get("mem_limit").unwrap();
        assert_eq!((memory.as_str(), start(&key.at)), (Some("256m"), (13, 3)));
        assert_eq!(test_strings(debug.get("cap_drop").unwrap().1), ["ALL"]);
    }

    #[test]
    fn paths_are_cleaned_lexically() {
        assert_eq!(clean(Path::new("a/./b/../c.yml")), Path::new("a/c.yml"));
        assert_eq!(clean(Path::new("../x/../y")), Path::new("../y"));
    }
}
