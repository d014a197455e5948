//! One runtime check: Compose projects, Kubernetes manifests and a live engine in, one
//! [`EngineRun`] out.
//!
//! Every source becomes [`ContainerSpec`]s (and the engine a [`DaemonSpec`]); the same checks
//! run on all of them; violations become findings located at the offending key of a file, or
//! at the live object's URI. A live container started by Compose is also checked as its
//! Compose service declares it, so its findings land on the Compose line that caused them
//! when that file is readable here.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::engine::Endpoint;
use crate::finding::{Engine, EngineRun, Finding, LiveObject, Location, Target};
use crate::rules::Rule;
use crate::runtime::adapt;
use crate::runtime::checks::{check_container, container_rules};
use crate::runtime::compose::{self, LoadOptions};
use crate::runtime::daemon::checks::{check_daemon, daemon_rules};
use crate::runtime::daemon::{default_config_paths, DaemonSpec};
use crate::runtime::engine::{ConnectOptions, ContainerInspect, EngineClient, ExecInspect, Top};
use crate::runtime::live::{self, compose_origin, LiveContainer};
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Evidence, Platform, Violation};

/// A standard to check against: only the rules that implement one of its recommendations or
/// controls run (their tags name them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Benchmark {
    Cis16,
    Cis17,
    /// The Pod Security Standards' baseline profile.
    PssBaseline,
    /// The restricted profile, which includes the baseline.
    PssRestricted,
}

impl Benchmark {
    /// The tag prefixes of this standard's sections (`CIS-Docker-1.6.0:`, `PSS:baseline:`).
    pub fn tag_prefixes(self) -> &'static [&'static str] {
        match self {
            Benchmark::Cis16 => &["CIS-Docker-1.6.0:"],
            Benchmark::Cis17 => &["CIS-Docker-1.7.0:"],
            Benchmark::PssBaseline => &["PSS:baseline:"],
            Benchmark::PssRestricted => &["PSS:baseline:", "PSS:restricted:"],
        }
    }

    /// This standard's section or control of `rule`, if the rule implements one.
    pub fn section(self, rule: &Rule) -> Option<&'static str> {
        rule.tags.iter().find_map(|tag| {
            self.tag_prefixes()
                .iter()
                .find_map(|prefix| tag.strip_prefix(prefix))
        })
    }
}

/// What to check.
#[derive(Debug, Default)]
pub struct Request {
    /// Compose projects.
    pub compose: Vec<ComposeRequest>,
    /// Kubernetes manifest files, or directories searched for `*.yaml`/`*.yml`.
    pub manifests: Vec<PathBuf>,
    /// The engine and its containers, when the engine is checked.
    pub engine: Option<EngineRequest>,
    /// A `daemon.json` to read (with the engine, or alone).
    pub daemon_config: Option<PathBuf>,
    pub benchmark: Option<Benchmark>,
}

/// One Compose project, as `docker compose -f … --profile …` names it.
#[derive(Debug, Default, Clone)]
pub struct ComposeRequest {
    /// In `-f` order.
    pub files: Vec<PathBuf>,
    pub profiles: Vec<String>,
    pub env_file: Option<PathBuf>,
}

/// Which engine and which of its containers.
#[derive(Debug, Default)]
pub struct EngineRequest {
    pub connect: ConnectOptions,
    /// Stopped containers too.
    pub all: bool,
    /// `key` or `key=value` label filters, all of which must match.
    pub labels: Vec<String>,
    /// Only these containers (names or ID prefixes); empty means every one.
    pub containers: Vec<String>,
}

/// What the check produced.
#[derive(Debug)]
pub struct Evaluation {
    pub run: EngineRun,
    /// What made the run incomplete.
    pub errors: Vec<String>,
    /// What the user should know but did not stop anything.
    pub warnings: Vec<String>,
}

/// Checks everything `request` names. `progress` is told what is being looked at.
pub fn evaluate(request: &Request, progress: &dyn Fn(&str)) -> Evaluation {
    let mut collector = Collector::new(request.benchmark);
    for project in &request.compose {
        progress(&format!("checking {}", project.files[0].display()));
        collector.compose_project(project);
    }
    for path in discover_manifests(&request.manifests, &mut collector.errors) {
        progress(&format!("checking {}", path.display()));
        collector.manifest(&path);
    }
    match &request.engine {
        Some(engine) => collector.engine(engine, request.daemon_config.as_deref(), progress),
        None => {
            if let Some(path) = &request.daemon_config {
                collector.daemon_config_alone(path);
            }
        }
    }
    collector.finish()
}

/// Accumulates targets and findings, one finding per rule and place.
struct Collector {
    run: EngineRun,
    errors: Vec<String>,
    warnings: Vec<String>,
    benchmark: Option<Benchmark>,
    /// (rule, path, byte range) of findings already made in files: containers of one pod
    /// share pod-level keys, services extending one base share its lines.
    placed: HashSet<(&'static str, PathBuf, (usize, usize))>,
}

impl Collector {
    fn new(benchmark: Option<Benchmark>) -> Self {
        Collector {
            run: EngineRun::new(Engine::Runtime),
            errors: Vec::new(),
            warnings: Vec::new(),
            benchmark,
            placed: HashSet::new(),
        }
    }

    fn finish(mut self) -> Evaluation {
        let run = &mut self.run;
        let sources: HashMap<PathBuf, Arc<str>> = run
            .targets
            .iter()
            .filter_map(|t| Some((t.path.clone(), t.source.clone()?)))
            .collect();
        crate::finding::assign_fingerprints(&mut run.findings, |location| {
            sources.get(&location.path).cloned()
        });
        Evaluation {
            run: self.run,
            errors: self.errors,
            warnings: self.warnings,
        }
    }

    /// Whether `rule` runs under the chosen benchmark.
    fn selected(&self, rule: &Rule) -> bool {
        self.benchmark
            .is_none_or(|benchmark| benchmark.section(rule).is_some())
    }

    fn rules(&self, rules: Vec<&'static Rule>) -> Vec<&'static Rule> {
        rules.into_iter().filter(|r| self.selected(r)).collect()
    }

    /// Adds a file target (once), with its text for snippets and fingerprints.
    fn file_target(&mut self, path: &Path, rules: Vec<&'static Rule>, error: Option<String>) {
        self.file_target_read(path, rules, error, None);
    }

    /// [`file_target`](Self::file_target) with the text when the caller already read it.
    fn file_target_read(
        &mut self,
        path: &Path,
        rules: Vec<&'static Rule>,
        error: Option<String>,
        text: Option<Arc<str>>,
    ) {
        if let Some(target) = self.run.targets.iter_mut().find(|t| t.path == path) {
            if target.error.is_none() {
                target.error = error;
            }
            return;
        }
        let source = text.or_else(|| std::fs::read_to_string(path).ok().map(Arc::from));
        let rules = self.rules(rules);
        self.run.targets.push(Target {
            path: path.to_path_buf(),
            source,
            rules,
            error,
        });
    }

    /// Turns a violation into a finding at `location` (a file evidence, or the object's URI).
    fn report(&mut self, violation: &Violation, at: &Evidence, object: Option<&LiveObject>) {
        if !self.selected(violation.rule) {
            return;
        }
        let (location, message) = match (at, object) {
            (Evidence::File(located), _) => {
                if let Some(region) = located.region {
                    let key = (violation.rule.code, located.file.clone(), region.bytes);
                    if !self.placed.insert(key) {
                        return;
                    }
                }
                (
                    Location {
                        path: located.file.clone(),
                        region: located.region,
                    },
                    violation.message.clone(),
                )
            }
            (Evidence::Field(field), Some(object)) => (
                Location {
                    path: PathBuf::from(&object.uri),
                    region: None,
                },
                if field.is_empty() || field == "Name" {
                    violation.message.clone()
                } else {
                    format!("{} ({field})", violation.message)
                },
            ),
            // An engine fact without the engine (a check that read one while only a file was
            // given): named by the field rather than dropped.
            (Evidence::Field(field), None) => (
                Location {
                    path: PathBuf::from(field),
                    region: None,
                },
                violation.message.clone(),
            ),
        };
        let mut finding = Finding::new(violation.rule, message, location);
        if let Some(aliases) = violation.aliases {
            finding = finding.with_aliases(aliases);
        }
        if let Some(object) = object {
            finding = finding.with_object(object.clone());
        }
        self.run.findings.push(finding);
    }

    fn report_all(&mut self, violations: &[Violation], object: Option<&LiveObject>) {
        for violation in violations {
            self.report(violation, &violation.at, object);
        }
    }

    fn compose_project(&mut self, request: &ComposeRequest) {
        let options = LoadOptions {
            files: request.files.clone(),
            profiles: request.profiles.clone(),
            env: std::env::vars().collect(),
            env_file: request.env_file.clone(),
        };
        match compose::load(&options) {
            Ok(project) => {
                for file in &request.files {
                    self.file_target(file, container_rules(), None);
                }
                self.warnings.extend(project.problems.iter().cloned());
                let defaults = EngineDefaults::default();
                for spec in adapt::compose::project_specs(&project) {
                    let violations = check_container(&spec, &defaults);
                    self.report_all(&violations, None);
                }
            }
            Err(error) => {
                let message = format!(
                    "Compose project: {error} (nothing of this project was checked; fix the file, \
                     or leave it out)"
                );
                for file in &request.files {
                    self.file_target(file, container_rules(), Some(message.clone()));
                }
                self.errors.push(message);
            }
        }
    }

    fn manifest(&mut self, path: &Path) {
        let text: Arc<str> = match std::fs::read_to_string(path) {
            Ok(text) => Arc::from(text),
            Err(error) => {
                let message = format!("{}: cannot read: {error}", path.display());
                self.file_target(path, container_rules(), Some(message.clone()));
                self.errors.push(message);
                return;
            }
        };
        let manifest = adapt::kubernetes::manifest_specs(path, &text);
        // A broken document is reported; the file's other documents are still checked.
        let error = (!manifest.errors.is_empty()).then(|| {
            manifest
                .errors
                .iter()
                .map(|e| format!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        });
        self.errors.extend(error.clone());
        // The text read above serves snippets and fingerprints: no second read per manifest.
        self.file_target_read(path, container_rules(), error, Some(text));
        let defaults = EngineDefaults::default();
        for spec in &manifest.specs {
            let violations = check_container(spec, &defaults);
            self.report_all(&violations, None);
        }
    }

    fn daemon_config_alone(&mut self, path: &Path) {
        let read = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))
            .and_then(|text| DaemonSpec::from_config(path, &text).map_err(|e| e.to_string()));
        match read {
            Ok(daemon) => {
                self.file_target(path, daemon_rules(), None);
                let violations = check_daemon(&daemon);
                self.report_all(&violations, None);
            }
            Err(message) => {
                self.file_target(path, daemon_rules(), Some(message.clone()));
                self.errors.push(message);
            }
        }
    }

    fn engine(&mut self, request: &EngineRequest, config: Option<&Path>, progress: &dyn Fn(&str)) {
        progress("connecting to the container engine");
        let client = match EngineClient::connect(&request.connect) {
            Ok(client) => client,
            Err(error) => {
                self.errors.push(format!("container engine: {error}"));
                return;
            }
        };
        let facts = client
            .info()
            .and_then(|info| Ok((info, client.version()?, client.networks()?)));
        let (info, version, networks) = match facts {
            Ok(facts) => facts,
            Err(error) => {
                self.errors.push(format!("container engine: {error}"));
                return;
            }
        };
        let mut daemon = DaemonSpec::from_engine(&info, &version, &networks, client.endpoint());
        let config = config.map(Path::to_path_buf).or_else(|| {
            // The engine's own daemon.json, when it runs here and the file is readable.
            // (Podman has no daemon.json: its settings live in containers.conf.)
            (matches!(client.endpoint(), Endpoint::Unix(_)) && !daemon.is_podman())
                .then(|| default_config_paths(daemon.engine_defaults().rootless))
                .into_iter()
                .flatten()
                .find(|path| std::fs::metadata(path).is_ok())
        });
        if let Some(path) = config {
            let merged = std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: cannot read: {e}", path.display()))
                .and_then(|text| {
                    daemon
                        .clone()
                        .with_config(&path, &text)
                        .map_err(|e| e.to_string())
                });
            match merged {
                Ok(merged) => {
                    daemon = merged;
                    self.file_target(&path, daemon_rules(), None);
                }
                Err(message) => {
                    self.file_target(&path, daemon_rules(), Some(message.clone()));
                    self.errors.push(message);
                }
            }
        }
        let host = engine_host(&info.raw, client.endpoint());
        let scheme = match daemon.platform {
            Platform::Podman => "podman",
            _ => "docker",
        };
        let engine_object = LiveObject {
            kind: "engine",
            name: daemon.name.clone(),
            uri: format!("{scheme}://{host}"),
        };
        self.run.targets.push(Target {
            path: PathBuf::from(&engine_object.uri),
            source: None,
            rules: self.rules(daemon_rules()),
            error: None,
        });
        let violations = check_daemon(&daemon);
        self.report_all(&violations, Some(&engine_object));

        progress("listing containers");
        let defaults = daemon.engine_defaults();
        match select_containers(&client, request) {
            Ok(ids) => {
                progress(&format!("inspecting {} containers", ids.len()));
                let inspected = inspect(&client, &ids);
                let mut compose_cache = ComposeCache::default();
                for (container, outcome) in inspected {
                    match outcome {
                        Ok(live) => {
                            let object = LiveObject {
                                kind: "container",
                                name: live.inspect.short_name().to_owned(),
                                uri: format!(
                                    "{scheme}://{host}/containers/{}",
                                    live.inspect.short_name()
                                ),
                            };
                            self.live_container(
                                &live,
                                daemon.platform,
                                &defaults,
                                &object,
                                &mut compose_cache,
                            );
                        }
                        Err(error) => self.errors.push(format!("container {container}: {error}")),
                    }
                }
                self.warnings.extend(compose_cache.warnings);
            }
            Err(error) => self.errors.push(format!("container engine: {error}")),
        }
    }

    fn live_container(
        &mut self,
        live: &Inspected,
        platform: Platform,
        defaults: &EngineDefaults,
        object: &LiveObject,
        compose_cache: &mut ComposeCache,
    ) {
        let spec = live::container_spec(
            LiveContainer {
                inspect: &live.inspect,
                top: live.top.as_ref(),
                execs: &live.execs,
            },
            platform,
        );
        let violations = check_container(&spec, defaults);
        let declared = compose_origin(&live.inspect).and_then(|origin| {
            let service = compose_cache.service(&origin)?;
            Some((service.clone(), check_container(service, defaults)))
        });
        match declared {
            None => {
                self.run.targets.push(Target {
                    path: PathBuf::from(&object.uri),
                    source: None,
                    rules: self.rules(container_rules()),
                    error: None,
                });
                self.report_all(&violations, Some(object));
            }
            Some((service, declared_violations)) => {
                // The container's findings land on the Compose lines that declared them: the
                // n-th violation of a rule on the n-th declared one, else the service's key.
                if let Evidence::File(located) = service.declared_at() {
                    self.file_target(&located.file, container_rules(), None);
                }
                let mut used: HashMap<&'static str, usize> = HashMap::new();
                for violation in &violations {
                    let index = used.entry(violation.rule.code).or_default();
                    let at = declared_violations
                        .iter()
                        .filter(|d| d.rule.code == violation.rule.code)
                        .nth(*index)
                        .map_or_else(|| service.declared_at().clone(), |d| d.at.clone());
                    *index += 1;
                    self.report_live_at(violation, &at, object);
                }
            }
        }
    }

    /// A live container's violation placed on its Compose file; every container of the
    /// service keeps its own finding (they are different objects).
    fn report_live_at(&mut self, violation: &Violation, at: &Evidence, object: &LiveObject) {
        if !self.selected(violation.rule) {
            return;
        }
        let Evidence::File(located) = at else {
            return self.report(violation, at, Some(object));
        };
        let mut finding = Finding::new(
            violation.rule,
            violation.message.clone(),
            Location {
                path: located.file.clone(),
                region: located.region,
            },
        )
        .with_object(object.clone());
        if let Some(aliases) = violation.aliases {
            finding = finding.with_aliases(aliases);
        }
        self.run.findings.push(finding);
    }
}

/// What the engine said about one container.
struct Inspected {
    inspect: ContainerInspect,
    top: Option<Top>,
    execs: Vec<ExecInspect>,
}

/// Inspects containers, then lists the processes of the running ones and their exec sessions,
/// each step concurrently. A container gone meanwhile is an error in its slot.
fn inspect(
    client: &EngineClient,
    ids: &[String],
) -> Vec<(
    String,
    Result<Inspected, crate::runtime::engine::EngineError>,
)> {
    let inspected = client.inspect_all(ids);
    let running: Vec<String> = inspected
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter(|c| c.state.running)
        .map(|c| c.id.clone())
        .collect();
    let mut tops: HashMap<String, Top> = running
        .iter()
        .cloned()
        .zip(client.top_all(&running))
        // A container that stopped between the calls has no processes to list.
        .filter_map(|(id, top)| Some((id, top.ok()?)))
        .collect();
    let exec_ids: Vec<String> = inspected
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .flat_map(|c| c.exec_ids.iter().cloned())
        .collect();
    let mut execs: HashMap<String, ExecInspect> = exec_ids
        .iter()
        .cloned()
        .zip(client.exec_inspect_all(&exec_ids))
        .filter_map(|(id, exec)| Some((id, exec.ok()?)))
        .collect();
    ids.iter()
        .cloned()
        .zip(inspected)
        .map(|(id, result)| {
            let result = result.map(|inspect| Inspected {
                top: tops.remove(&inspect.id),
                execs: inspect
                    .exec_ids
                    .iter()
                    .filter_map(|e| execs.remove(e))
                    .collect(),
                inspect,
            });
            (id, result)
        })
        .collect()
}

/// The ids of the containers to check: all (running, or every one with `all`) matching the
/// label filters, narrowed to `--container` names or ID prefixes. A name that matches
/// nothing is an error: the user expected it to be checked.
fn select_containers(
    client: &EngineClient,
    request: &EngineRequest,
) -> Result<Vec<String>, String> {
    let all = request.all || !request.containers.is_empty();
    let listed = client
        .containers(all, &request.labels)
        .map_err(|e| e.to_string())?;
    if request.containers.is_empty() {
        return Ok(listed.into_iter().map(|c| c.id).collect());
    }
    let mut ids = Vec::new();
    let mut missing = Vec::new();
    for wanted in &request.containers {
        let wanted_name = wanted.trim_start_matches('/');
        let found = listed.iter().find(|c| {
            c.names
                .iter()
                .any(|n| n.trim_start_matches('/') == wanted_name)
                || (wanted.len() >= 4 && c.id.starts_with(wanted.as_str()))
        });
        match found {
            Some(container) if !ids.contains(&container.id) => ids.push(container.id.clone()),
            Some(_) => {}
            None => missing.push(wanted.as_str()),
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "no container named {} (`docker ps -a` lists them; label filters apply too)",
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(ids)
}

/// The engine's name in object URIs: the host name it reports, else the endpoint.
fn engine_host(info: &serde_json::Value, endpoint: &Endpoint) -> String {
    info["Name"]
        .as_str()
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| match endpoint {
            Endpoint::Unix(_) => "localhost".to_owned(),
            Endpoint::Tcp(address) | Endpoint::Tls { address, .. } => address.clone(),
        })
}

/// Compose projects of live containers, loaded once per set of files.
#[derive(Default)]
struct ComposeCache {
    projects: HashMap<Vec<PathBuf>, Option<Vec<ContainerSpec>>>,
    warnings: Vec<String>,
}

impl ComposeCache {
    /// The declared spec of `origin`'s service, when its Compose files can be read here.
    fn service(&mut self, origin: &live::ComposeOrigin) -> Option<&ContainerSpec> {
        if origin.files.is_empty() {
            return None;
        }
        let warnings = &mut self.warnings;
        let specs = self
            .projects
            .entry(origin.files.clone())
            .or_insert_with(|| {
                if !origin.files.iter().all(|f| f.is_file()) {
                    return None;
                }
                let options = LoadOptions {
                    files: origin.files.clone(),
                    // Every profile: the container exists, so its service was active.
                    profiles: vec!["*".to_owned()],
                    env: std::env::vars().collect(),
                    env_file: origin
                        .working_dir
                        .as_ref()
                        .map(|d| d.join(".env"))
                        .filter(|f| f.is_file()),
                };
                match compose::load(&options) {
                    Ok(project) => Some(adapt::compose::project_specs(&project)),
                    Err(error) => {
                        warnings.push(format!(
                            "Compose project `{}` of its containers: {error}; their findings \
                             point at the containers instead",
                            origin.project
                        ));
                        None
                    }
                }
            })
            .as_ref()?;
        specs.iter().find(|s| s.subject.name == origin.service)
    }
}

/// Whether `path` names a YAML file.
pub fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// The manifest files under `paths`: files as given, directories searched (respecting
/// ignore files) for `*.yaml` and `*.yml`, sorted.
fn discover_manifests(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let files: Vec<PathBuf> = crate::walk::files(path, errors)
                .into_iter()
                .filter(|p| is_yaml(p))
                .collect();
            if files.is_empty() {
                errors.push(format!(
                    "{}: no *.yaml or *.yml file in it (give manifest files, or the directory \
                     that holds them)",
                    path.display()
                ));
            }
            found.extend(files);
        } else {
            found.push(path.clone());
        }
    }
    found
}
