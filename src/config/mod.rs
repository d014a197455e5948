//! Policy: which rules run, at which severity, when a run fails, and which findings inline
//! comments suppress.
//!
//! Sources, lowest precedence first:
//! 1. `.hadolint.yaml` / `.hadolint.yml` (`hadolint.rs`),
//! 2. `.portcullis.toml` (`file.rs`),
//! 3. the command line ([`Overrides`]).
//!
//! Like hadolint, a later source wins for scalars (failure threshold, `require-digest`) and lists
//! concatenate (disabled/enabled rules, severity overrides, trusted registries); for rule lists
//! "concatenate" means the later source's entry for the same rule takes effect last.
//!
//! Both files are found by walking up from the scanned path ([`discover`]); `--config PATH`
//! replaces discovery with exactly that file (`.yaml`/`.yml` are read as hadolint's format), so
//! a central policy cannot be diluted by files in the repository.
//!
//! Rule ids may be our code (`PC1001`), our name (`root-user`) or any upstream alias (`DL3002`).
//! An id that names no rule is an error in `.portcullis.toml` and on the command line, with the
//! closest known id suggested; in `.hadolint.yaml` it is only a warning ([`Config::warnings`]),
//! because those files legitimately list ShellCheck codes and hadolint rules we do not mirror.

pub mod check_directive;
pub mod convert;
mod file;
mod hadolint;
pub mod image;
pub mod labels;
pub mod suppress;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::finding::{Finding, Severity};
use crate::rules::{self, Rule};

pub use image::ImageSettings;
pub use labels::LabelType;
pub use suppress::{
    Applied, Scope, Suppression, Suppressions, Tool, UnusedKind, UnusedSuppression,
};

/// The file name searched for by [`discover`].
pub const PORTCULLIS_FILE: &str = ".portcullis.toml";
/// Hadolint's file names, in the order hadolint prefers them.
pub const HADOLINT_FILES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

/// When a run fails: at or above a severity, or never (`none`/`ignore`, hadolint's `no-fail`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    Never,
    At(Severity),
}

impl FromStr for Threshold {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "none" | "ignore" => Ok(Threshold::Never),
            other => other.parse().map(Threshold::At).map_err(|_| {
                format!("unknown threshold `{s}` (expected error, warning, info, style or none)")
            }),
        }
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Threshold::Never => f.write_str("none"),
            Threshold::At(severity) => severity.fmt(f),
        }
    }
}

/// Where a setting came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    CommandLine,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::CommandLine => f.write_str("command line"),
        }
    }
}

/// One problem with the configuration. Every message names the file and says what to change.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read the configuration file: {source} (fix the path given with --config, or remove the file)", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{}{}: invalid {format}: {message}; fix the file or point --config at another one",
        .path.display(),
        position(*.line, *.column)
    )]
    Parse {
        path: PathBuf,
        format: &'static str,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    #[error(
        "{origin}: unknown rule `{id}` in `{key}`{}; `portcullis rules` lists every rule",
        suggestion_text(.suggestion)
    )]
    UnknownRule {
        origin: Origin,
        key: String,
        id: String,
        suggestion: Option<String>,
    },
    #[error("{origin}: invalid value for `{key}`: {message}")]
    InvalidValue {
        origin: Origin,
        key: String,
        message: String,
    },
}

fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

fn suggestion_text(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// All problems found while loading configuration (loading never stops at the first).
#[derive(Debug)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// A rule id as written in a source, with the key it was found under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuleRef {
    pub id: String,
    pub key: String,
}

impl RuleRef {
    pub fn new(id: &str, key: String) -> Self {
        RuleRef {
            id: id.trim().to_owned(),
            key,
        }
    }
}

/// What one source says, before its rule ids are checked against the catalogue.
#[derive(Debug)]
pub(crate) struct RawLayer {
    pub origin: Origin,
    pub failure_threshold: Option<Threshold>,
    pub require_digest: Option<bool>,
    pub disable_ignore_pragma: Option<bool>,
    pub trusted_registries: Vec<String>,
    /// `label-schema`: label name and type name, checked when applied.
    pub label_schema: Vec<(String, String)>,
    pub strict_labels: Option<bool>,
    /// `[check] images`: images `portcullis check` scans.
    pub check_images: Vec<String>,
    /// `[image]`: what `portcullis scan` checks in images.
    pub image: ImageSettings,
    pub enable: Vec<RuleRef>,
    pub disable: Vec<RuleRef>,
    pub severity: Vec<(RuleRef, Severity)>,
    /// Unknown rule ids are warnings, not errors (hadolint files).
    pub lenient_ids: bool,
    pub warnings: Vec<String>,
    /// Bad values found while reading; the rest of the layer still counts.
    pub errors: Vec<ConfigError>,
}

impl RawLayer {
    /// Reads a `failure-threshold` value, recording an error naming the file when it is bad.
    pub fn set_failure_threshold(&mut self, value: &str, errors: &mut Vec<ConfigError>) {
        match value.parse::<Threshold>() {
            Ok(t) => self.failure_threshold = Some(t),
            Err(message) => errors.push(ConfigError::InvalidValue {
                origin: self.origin.clone(),
                key: "failure-threshold".into(),
                message,
            }),
        }
    }

    pub fn new(origin: Origin) -> Self {
        RawLayer {
            origin,
            failure_threshold: None,
            require_digest: None,
            disable_ignore_pragma: None,
            trusted_registries: Vec::new(),
            label_schema: Vec::new(),
            strict_labels: None,
            check_images: Vec::new(),
            image: ImageSettings::default(),
            enable: Vec::new(),
            disable: Vec::new(),
            severity: Vec::new(),
            lenient_ids: false,
            warnings: Vec::new(),
            errors: Vec::new(),
        }
    }
}

/// Settings given on the command line; they take precedence over both files.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--failure-threshold` (`none` never fails; `--no-fail` is `Some(Threshold::Never)`).
    pub failure_threshold: Option<Threshold>,
    /// `--disable RULE`, repeatable.
    pub disable: Vec<String>,
    /// `--enable RULE`, repeatable.
    pub enable: Vec<String>,
    /// `--rule RULE`, repeatable: run only these rules (off-by-default ones included).
    pub only: Vec<String>,
    /// `--severity RULE=LEVEL` or hadolint-style `--error RULE`…
    pub severity: Vec<(String, Severity)>,
    /// `--trusted-registry`, repeatable.
    pub trusted_registries: Vec<String>,
    pub require_digest: Option<bool>,
    /// `--require-label NAME:TYPE`, repeatable.
    pub label_schema: Vec<(String, LabelType)>,
    /// `--strict-labels`.
    pub strict_labels: Option<bool>,
}

/// Where to look for configuration.
#[derive(Debug, Clone)]
pub struct LoadOptions<'a> {
    /// The scanned path: a directory, or a file whose parent is searched. Relative paths are
    /// taken relative to `cwd`.
    pub scan_path: &'a Path,
    /// `--config PATH`: read only this file.
    pub explicit: Option<&'a Path>,
    /// The working directory (hadolint's fallback location); `None` means the process's.
    pub cwd: Option<&'a Path>,
    /// The rules ids are checked against; normally [`rules::CATALOGUE`].
    pub catalogue: &'static [&'static Rule],
}

impl<'a> LoadOptions<'a> {
    pub fn new(scan_path: &'a Path) -> Self {
        LoadOptions {
            scan_path,
            explicit: None,
            cwd: None,
            catalogue: rules::CATALOGUE,
        }
    }
}

/// The configuration files [`discover`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovered {
    pub portcullis: Option<PathBuf>,
    pub hadolint: Option<PathBuf>,
}

/// Walks up from `scan_path` (a directory, or a file's parent) to the filesystem root and takes
/// the nearest `.portcullis.toml` and the nearest `.hadolint.yaml`/`.yml`. If no hadolint file
/// is on that path, `cwd` is tried too, where hadolint itself looks.
pub fn discover(scan_path: &Path, cwd: &Path) -> Discovered {
    let absolute = if scan_path.is_absolute() {
        scan_path.to_path_buf()
    } else {
        cwd.join(scan_path)
    };
    let absolute = absolute.canonicalize().unwrap_or(absolute);
    let start = if absolute.is_dir() {
        absolute.as_path()
    } else {
        absolute.parent().unwrap_or(&absolute)
    };

    let mut found = Discovered::default();
    for dir in start.ancestors() {
        if found.portcullis.is_none() {
            let candidate = dir.join(PORTCULLIS_FILE);
            if candidate.is_file() {
                found.portcullis = Some(candidate);
            }
        }
        if found.hadolint.is_none() {
            found.hadolint = hadolint_file_in(dir);
        }
        if found.portcullis.is_some() && found.hadolint.is_some() {
            break;
        }
    }
    if found.hadolint.is_none() {
        found.hadolint = hadolint_file_in(cwd);
    }
    found
}

fn hadolint_file_in(dir: &Path) -> Option<PathBuf> {
    HADOLINT_FILES
        .iter()
        .map(|name| dir.join(name))
        .find(|candidate| candidate.is_file())
}

#[derive(Debug, Clone)]
struct Toggle {
    id: String,
    on: bool,
}

#[derive(Debug, Clone)]
struct SeverityOverride {
    id: String,
    severity: Severity,
}

/// The resolved policy.
#[derive(Debug, Clone)]
pub struct Config {
    catalogue: &'static [&'static Rule],
    /// Lowest precedence first: the last toggle naming a rule or finding decides.
    toggles: Vec<Toggle>,
    /// Lowest precedence first: the last override naming a finding decides.
    severities: Vec<SeverityOverride>,
    failure_threshold: Threshold,
    trusted_registries: Vec<String>,
    check_images: Vec<String>,
    image: ImageSettings,
    require_digest: bool,
    disable_ignore_pragma: bool,
    /// `--rule`: when not empty, only rules and findings named here run.
    only: Vec<String>,
    label_schema: Vec<(String, LabelType)>,
    strict_labels: bool,
    sources: Vec<PathBuf>,
    warnings: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config::with_catalogue(rules::CATALOGUE)
    }
}

impl Config {
    /// Built-in defaults (nothing read), checking rule ids against `catalogue`.
    pub fn with_catalogue(catalogue: &'static [&'static Rule]) -> Self {
        Config {
            catalogue,
            toggles: Vec::new(),
            severities: Vec::new(),
            failure_threshold: Threshold::At(Severity::Info),
            trusted_registries: Vec::new(),
            check_images: Vec::new(),
            image: ImageSettings::default(),
            require_digest: false,
            disable_ignore_pragma: false,
            only: Vec::new(),
            label_schema: Vec::new(),
            strict_labels: false,
            sources: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Discovers configuration for `scan_path` (or reads `explicit`, from `--config`).
    pub fn load(scan_path: &Path, explicit: Option<&Path>) -> Result<Config, ConfigErrors> {
        Config::load_with(&LoadOptions {
            explicit,
            ..LoadOptions::new(scan_path)
        })
    }

    pub fn load_with(options: &LoadOptions<'_>) -> Result<Config, ConfigErrors> {
        let cwd = match options.cwd {
            Some(cwd) => cwd.to_path_buf(),
            None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        };
        // Lowest precedence first.
        let files: Vec<(PathBuf, bool)> = match options.explicit {
            Some(path) => {
                let path = if path.is_absolute() {
                    path.to_path_buf()
                } else {
                    cwd.join(path)
                };
                let is_yaml = path.extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml")
                });
                vec![(path, is_yaml)]
            }
            None => {
                let found = discover(options.scan_path, &cwd);
                let hadolint = found.hadolint.map(|p| (p, true));
                let portcullis = found.portcullis.map(|p| (p, false));
                hadolint.into_iter().chain(portcullis).collect()
            }
        };

        let mut config = Config::with_catalogue(options.catalogue);
        let mut errors = Vec::new();
        for (path, is_yaml) in files {
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(source) => {
                    errors.push(ConfigError::Read { path, source });
                    continue;
                }
            };
            let parsed = if is_yaml {
                hadolint::parse(&path, &text)
            } else {
                file::parse(&path, &text)
            };
            config.sources.push(path);
            match parsed {
                Ok(layer) => config.apply_layer(layer, &mut errors),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(ConfigErrors(errors))
        }
    }

    /// Applies command-line settings on top of the files. Unknown rule ids are errors; the
    /// valid parts are applied regardless.
    pub fn apply_overrides(&mut self, overrides: &Overrides) -> Result<(), ConfigErrors> {
        let mut layer = RawLayer::new(Origin::CommandLine);
        layer.failure_threshold = overrides.failure_threshold;
        layer.require_digest = overrides.require_digest;
        layer.trusted_registries = overrides.trusted_registries.clone();
        layer.strict_labels = overrides.strict_labels;
        let refs = |ids: &[String], key: &str| -> Vec<RuleRef> {
            ids.iter()
                .map(|id| RuleRef::new(id, key.to_owned()))
                .collect()
        };
        layer.enable = refs(&overrides.enable, "--enable");
        layer.disable = refs(&overrides.disable, "--disable");
        layer.severity = overrides
            .severity
            .iter()
            .map(|(id, severity)| (RuleRef::new(id, "--severity".into()), *severity))
            .collect();
        let mut errors = Vec::new();
        self.apply_layer(layer, &mut errors);
        for (name, kind) in &overrides.label_schema {
            self.require_label(name.clone(), *kind);
        }
        for id in &overrides.only {
            let rule_ref = RuleRef::new(id, "--rule".into());
            if self
                .resolve(&rule_ref, &Origin::CommandLine, false, &mut errors)
                .is_some()
            {
                self.only.push(rule_ref.id);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ConfigErrors(errors))
        }
    }

    fn apply_layer(&mut self, layer: RawLayer, errors: &mut Vec<ConfigError>) {
        let RawLayer {
            origin,
            failure_threshold,
            require_digest,
            disable_ignore_pragma,
            trusted_registries,
            label_schema,
            strict_labels,
            check_images,
            image,
            enable,
            disable,
            severity,
            lenient_ids,
            warnings,
            errors: mut layer_errors,
        } = layer;
        self.warnings.extend(warnings);
        errors.append(&mut layer_errors);
        if let Some(t) = failure_threshold {
            self.failure_threshold = t;
        }
        if let Some(r) = require_digest {
            self.require_digest = r;
        }
        if let Some(d) = disable_ignore_pragma {
            self.disable_ignore_pragma = d;
        }
        let registry_key = match origin {
            Origin::CommandLine => "--trusted-registry",
            Origin::File(_) if lenient_ids => "trustedRegistries",
            Origin::File(_) => "dockerfile.trusted-registries",
        };
        for registry in trusted_registries {
            let registry = registry.trim().to_ascii_lowercase();
            if let Err(message) = check_registry_pattern(&registry) {
                errors.push(ConfigError::InvalidValue {
                    origin: origin.clone(),
                    key: registry_key.into(),
                    message,
                });
            } else if !self.trusted_registries.contains(&registry) {
                self.trusted_registries.push(registry);
            }
        }

        if let Some(strict) = strict_labels {
            self.strict_labels = strict;
        }
        // The command line gives its labels typed (see `apply_overrides`).
        let schema_key = if lenient_ids {
            "label-schema"
        } else {
            "dockerfile.label-schema"
        };
        for (name, kind) in label_schema {
            match kind.parse::<LabelType>() {
                Ok(kind) => self.require_label(name, kind),
                Err(message) => errors.push(ConfigError::InvalidValue {
                    origin: origin.clone(),
                    key: format!("{schema_key}.{name}"),
                    message,
                }),
            }
        }

        self.image.merge(image);
        for image in check_images {
            if !self.check_images.contains(&image) {
                self.check_images.push(image);
            }
        }

        // Within one source, `disable` is applied after `enable`, so disabling wins.
        let toggles = enable.into_iter().map(|r| (r, true));
        let toggles = toggles.chain(disable.into_iter().map(|r| (r, false)));
        for (rule_ref, on) in toggles {
            if self
                .resolve(&rule_ref, &origin, lenient_ids, errors)
                .is_some()
            {
                self.toggles.push(Toggle {
                    id: rule_ref.id,
                    on,
                });
            }
        }

        // Within one source, an override by alias is more specific than one by code or name
        // and is applied after it.
        let mut resolved = Vec::new();
        for (rule_ref, severity) in severity {
            if let Some(rule) = self.resolve(&rule_ref, &origin, lenient_ids, errors) {
                let by_alias = !names_rule(rule, &rule_ref.id);
                resolved.push((by_alias, rule_ref.id, severity));
            }
        }
        resolved.sort_by_key(|(by_alias, _, _)| *by_alias);
        self.severities.extend(
            resolved
                .into_iter()
                .map(|(_, id, severity)| SeverityOverride { id, severity }),
        );
    }

    /// Adds `name` to the label schema, or changes its type when it is there already.
    fn require_label(&mut self, name: String, kind: LabelType) {
        match self.label_schema.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = kind,
            None => self.label_schema.push((name, kind)),
        }
    }

    fn resolve(
        &mut self,
        rule_ref: &RuleRef,
        origin: &Origin,
        lenient: bool,
        errors: &mut Vec<ConfigError>,
    ) -> Option<&'static Rule> {
        if let Some(rule) = find_rule(self.catalogue, &rule_ref.id) {
            return Some(rule);
        }
        let suggestion = suggest(self.catalogue, &rule_ref.id);
        if lenient {
            self.warnings.push(format!(
                "{origin}: rule `{}` in `{}` is not known to portcullis and is ignored{}",
                rule_ref.id,
                rule_ref.key,
                suggestion_text(&suggestion)
            ));
        } else {
            errors.push(ConfigError::UnknownRule {
                origin: origin.clone(),
                key: rule_ref.key.clone(),
                id: rule_ref.id.clone(),
                suggestion,
            });
        }
        None
    }

    /// Whether `rule` runs at all. A rule is a set of checks, one per upstream alias (or one if
    /// it has none); it runs if any of them is on. A toggle by code or name switches every
    /// check, one by alias only that check; the last toggle wins. So disabling `DL3009` keeps a
    /// rule that also covers `DL3042` running, and [`Config::is_finding_enabled`] then drops the
    /// `DL3009` findings.
    pub fn is_enabled(&self, rule: &Rule) -> bool {
        if !self.only.is_empty() {
            return self.only.iter().any(|id| rule.is_named_by(id));
        }
        let check_on = |alias: Option<&str>| {
            self.toggles
                .iter()
                .rev()
                .find(|t| {
                    names_rule(rule, &t.id) || alias.is_some_and(|a| a.eq_ignore_ascii_case(&t.id))
                })
                .map_or(self.on_by_default(rule), |t| t.on)
        };
        if rule.aliases.is_empty() {
            check_on(None)
        } else {
            rule.aliases.iter().any(|alias| check_on(Some(alias)))
        }
    }

    /// Whether `finding` survives the enable/disable lists: the last toggle that names it
    /// ([`Finding::is_named_by`], so alias-aware) decides, else the rule's default.
    pub fn is_finding_enabled(&self, finding: &Finding) -> bool {
        if !self.only.is_empty() {
            return self.only.iter().any(|id| finding.is_named_by(id));
        }
        self.toggles
            .iter()
            .rev()
            .find(|t| finding.is_named_by(&t.id))
            .map_or(self.on_by_default(finding.rule), |t| t.on)
    }

    /// Rules that only make sense once configured (like hadolint's trusted registries) are off
    /// until their setting is given, then on unless toggled off.
    fn on_by_default(&self, rule: &Rule) -> bool {
        let configured = |setting_given: bool, rule_of_setting: &Rule| {
            setting_given && rule.code == rule_of_setting.code
        };
        rule.enabled_by_default
            || configured(
                !self.trusted_registries.is_empty(),
                &rules::UNTRUSTED_REGISTRY,
            )
            || configured(!self.label_schema.is_empty(), &rules::LABEL_MISSING)
            || configured(!self.label_schema.is_empty(), &rules::LABEL_VALUE_INVALID)
            || configured(self.strict_labels, &rules::LABEL_NOT_IN_SCHEMA)
    }

    /// The severity `finding` is reported at. An override by code or name applies to all of a
    /// rule's findings; one by alias only to findings whose effective aliases include it.
    pub fn severity_for(&self, finding: &Finding) -> Severity {
        self.severities
            .iter()
            .rev()
            .find(|o| finding.is_named_by(&o.id))
            .map_or(finding.severity, |o| o.severity)
    }

    /// Drops disabled findings and settles the severity of the rest.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter(|f| self.is_finding_enabled(f))
            .map(|mut f| {
                f.severity = self.severity_for(&f);
                f
            })
            .collect()
    }

    /// Findings at or above this severity fail the run; `None` means never fail.
    pub fn failure_threshold(&self) -> Option<Severity> {
        match self.failure_threshold {
            Threshold::Never => None,
            Threshold::At(severity) => Some(severity),
        }
    }

    /// Whether a finding of `severity` fails the run.
    pub fn fails_on(&self, severity: Severity) -> bool {
        self.failure_threshold().is_some_and(|t| severity >= t)
    }

    /// Registry patterns (lower-cased): host names, `*.domain`, or `*`. Empty means the
    /// untrusted-registry check has nothing to enforce.
    pub fn trusted_registries(&self) -> &[String] {
        &self.trusted_registries
    }

    /// Whether `registry` (a host such as `docker.io` or `ghcr.io:443`, as the image reference
    /// names it) matches a trusted pattern. `*.example.com` matches subdomains only.
    pub fn is_trusted_registry(&self, registry: &str) -> bool {
        registry_is_trusted(&self.trusted_registries, registry)
    }

    /// The images `portcullis check` scans besides those named with `--image`.
    pub fn check_images(&self) -> &[String] {
        &self.check_images
    }

    /// `[image]`: the setuid allow-list and the secret scan's settings.
    pub fn image(&self) -> &ImageSettings {
        &self.image
    }

    /// `label-schema`: labels every image must carry, with the type of their value.
    pub fn label_schema(&self) -> &[(String, LabelType)] {
        &self.label_schema
    }

    /// `strict-labels`: labels outside the schema are findings.
    pub fn strict_labels(&self) -> bool {
        self.strict_labels
    }

    /// Whether base images must be pinned by digest.
    pub fn require_digest(&self) -> bool {
        self.require_digest
    }

    /// Hadolint's `disable-ignore-pragma`: inline ignore comments must not take effect.
    pub fn inline_suppressions_disabled(&self) -> bool {
        self.disable_ignore_pragma
    }

    /// The configuration files that were read, lowest precedence first.
    pub fn sources(&self) -> &[PathBuf] {
        &self.sources
    }

    /// Things worth telling the user that do not stop the run (unknown ids or keys in a
    /// hadolint file).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The rules ids are checked against.
    pub fn catalogue(&self) -> &'static [&'static Rule] {
        self.catalogue
    }
}

fn check_registry_pattern(pattern: &str) -> Result<(), String> {
    let host = pattern.strip_prefix("*.").unwrap_or(pattern);
    if pattern == "*" {
        return Ok(());
    }
    if host.is_empty()
        || host.contains('*')
        || host.contains('/')
        || host.chars().any(char::is_whitespace)
    {
        return Err(format!(
            "`{pattern}` is not a registry pattern (use a host such as `docker.io`, \
             `*.example.com` or `*`)"
        ));
    }
    Ok(())
}

/// Whether `id` is the rule's own code or name (not an alias).
fn names_rule(rule: &Rule, id: &str) -> bool {
    rule.code.eq_ignore_ascii_case(id) || rule.name.eq_ignore_ascii_case(id)
}

pub(crate) fn find_rule(catalogue: &[&'static Rule], id: &str) -> Option<&'static Rule> {
    let shellcheck_code = crate::dockerfile::shellcheck::is_code(id);
    catalogue.iter().copied().find(|rule| {
        rule.is_named_by(id) || (shellcheck_code && rule.code == rules::SHELL_SCRIPT_PROBLEM.code)
    })
}

/// The known id (code, name or alias) closest to `id`, if it is close enough to be a typo.
pub(crate) fn suggest(catalogue: &[&'static Rule], id: &str) -> Option<String> {
    let wanted = id.to_ascii_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    catalogue
        .iter()
        .flat_map(|rule| {
            [rule.code, rule.name]
                .into_iter()
                .chain(rule.aliases.iter().copied())
        })
        .map(|candidate| {
            (
                crate::suggest::edit_distance(&wanted, &candidate.to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.to_owned())
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (Option<usize>, Option<usize>) {
    let position = crate::source::LineIndex::new(text).position(offset);
    (Some(position.line as usize), Some(position.column as usize))
}

/// Whether `registry` matches one of `patterns`: an exact host, `*.suffix`, or `*`.
pub fn registry_is_trusted(patterns: &[String], registry: &str) -> bool {
    let registry = registry.to_ascii_lowercase();
    patterns.iter().any(|pattern| {
        let pattern = pattern.to_ascii_lowercase();
        pattern == "*"
            || pattern == registry
            || pattern
                .strip_prefix('*')
                .is_some_and(|suffix| registry.len() > suffix.len() && registry.ends_with(suffix))
    })
}

#[cfg(test)]
pub(crate) mod test_rules {
    //! A small catalogue of our own, so these tests do not depend on the real one.
    use crate::finding::Severity;
    use crate::rules::Rule;

    const fn rule(
        code: &'static str,
        name: &'static str,
        aliases: &'static [&'static str],
        severity: Severity,
        enabled_by_default: bool,
    ) -> Rule {
        Rule {
            code,
            name,
            summary: "test rule",
            severity,
            tags: &[],
            aliases,
            help: "",
            enabled_by_default,
        }
    }

    pub static ROOT: Rule = rule("PC1001", "root-user", &["DL3002"], Severity::Warning, true);
    pub static CACHE: Rule = rule(
        "PC4004",
        "package-cache-left",
        &["DL3009", "DL3042"],
        Severity::Info,
        true,
    );
    pub static REGISTRY: Rule = rule(
        "PC3002",
        "untrusted-registry",
        &["DL3026"],
        Severity::Error,
        false,
    );
    pub static HEALTH: Rule = rule("PC4001", "missing-healthcheck", &[], Severity::Info, true);
    pub static PINNING: Rule = rule(
        "PC3003",
        "apt-unpinned",
        &["DL3008"],
        Severity::Warning,
        true,
    );

    pub static CATALOGUE: &[&Rule] = &[&ROOT, &REGISTRY, &PINNING, &HEALTH, &CACHE];

    /// A finding of `rule` at column 1 of `line`.
    pub fn finding_at(rule: &'static Rule, line: u32) -> crate::finding::Finding {
        use crate::finding::{Finding, Location, Position, Region};
        let pos = Position { line, column: 1 };
        Finding::new(
            rule,
            "test",
            Location {
                path: "Dockerfile".into(),
                region: Some(Region {
                    start: pos,
                    end: pos,
                    bytes: (0, 0),
                }),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::test_rules::*;
    use super::*;
    use std::fs;

    use super::test_rules::finding_at as finding;

    fn options<'a>(scan: &'a Path, cwd: &'a Path) -> LoadOptions<'a> {
        LoadOptions {
            scan_path: scan,
            explicit: None,
            cwd: Some(cwd),
            catalogue: CATALOGUE,
        }
    }

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn config_from_toml(text: &str) -> Result<Config, ConfigErrors> {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join(PORTCULLIS_FILE), text);
        Config::load_with(&options(dir.path(), dir.path()))
    }

    #[test]
    fn defaults() {
        let config = Config::with_catalogue(CATALOGUE);
        assert_eq!(config.failure_threshold(), Some(Severity::Info));
        assert!(config.fails_on(Severity::Info) && !config.fails_on(Severity::Style));
        assert!(config.is_enabled(&ROOT));
        assert!(!config.is_enabled(&REGISTRY));
        assert!(!config.require_digest());
        assert!(config.sources().is_empty() && config.trusted_registries().is_empty());
        assert_eq!(config.severity_for(&finding(&ROOT, 1)), Severity::Warning);
    }

    #[test]
    fn rule_selection_runs_only_the_named_rules_and_aliases() {
        let mut config = Config::with_catalogue(CATALOGUE);
        config
            .apply_overrides(&Overrides {
                only: vec!["DL3042".into(), "PC3002".into()],
                disable: vec!["PC3002".into()],
                ..Overrides::default()
            })
            .unwrap();
        assert!(!config.is_enabled(&ROOT));
        // Selected rules run even when off by default or disabled elsewhere.
        assert!(config.is_enabled(&REGISTRY));
        assert!(config.is_enabled(&CACHE));
        let mut apk = finding(&CACHE, 2);
        apk.aliases = vec!["DL3042"];
        let mut apt = finding(&CACHE, 3);
        apt.aliases = vec!["DL3009"];
        assert!(config.is_finding_enabled(&apk));
        assert!(!config.is_finding_enabled(&apt));

        let mut config = Config::with_catalogue(CATALOGUE);
        let err = config
            .apply_overrides(&Overrides {
                only: vec!["DL9999".into()],
                ..Overrides::default()
            })
            .unwrap_err();
        assert!(err.to_string().contains("--rule"), "{err}");
    }

    #[test]
    fn thresholds_parse() {
        assert_eq!(
            "Warning".parse::<Threshold>(),
            Ok(Threshold::At(Severity::Warning))
        );
        assert_eq!("none".parse::<Threshold>(), Ok(Threshold::Never));
        assert_eq!("ignore".parse::<Threshold>(), Ok(Threshold::Never));
        assert!("loud"
            .parse::<Threshold>()
            .unwrap_err()
            .contains("expected error"));
        assert_eq!(Threshold::Never.to_string(), "none");
    }

    #[test]
    fn discovery_walks_up_from_a_file_or_directory() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path().canonicalize().unwrap();
        let project = root.join("project");
        let nested = project.join("svc/api");
        write(&nested.join("Dockerfile"), "FROM scratch\n");
        write(&project.join(PORTCULLIS_FILE), "");
        write(&root.join(".hadolint.yml"), "");
        let elsewhere = root.join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();

        let found = discover(&nested.join("Dockerfile"), &elsewhere);
        assert_eq!(found.portcullis, Some(project.join(PORTCULLIS_FILE)));
        assert_eq!(found.hadolint, Some(root.join(".hadolint.yml")));
        assert_eq!(discover(&nested, &elsewhere), found);
        // Relative scan paths are relative to cwd.
        assert_eq!(discover(Path::new("svc/api/Dockerfile"), &project), found);

        // The nearest file wins, and .yaml is preferred over .yml.
        write(&nested.join(PORTCULLIS_FILE), "");
        write(&project.join(".hadolint.yaml"), "");
        write(&project.join(".hadolint.yml"), "");
        let found = discover(&nested, &elsewhere);
        assert_eq!(found.portcullis, Some(nested.join(PORTCULLIS_FILE)));
        assert_eq!(found.hadolint, Some(project.join(".hadolint.yaml")));
    }

    #[test]
    fn discovery_falls_back_to_cwd_for_hadolint_only() {
        let scan = tempfile::tempdir().unwrap();
        let cwd = tempfile::tempdir().unwrap();
        write(&cwd.path().join(".hadolint.yaml"), "");
        write(&cwd.path().join(PORTCULLIS_FILE), "");
        let found = discover(scan.path(), cwd.path());
        assert_eq!(found.hadolint, Some(cwd.path().join(".hadolint.yaml")));
        // Unless the scanned tree itself sits below cwd, cwd's toml is not ours.
        if !scan.path().starts_with(cwd.path()) {
            assert_eq!(found.portcullis, None);
        }
    }

    #[test]
    fn loads_and_merges_both_files() {
        let dir = tempfile::tempdir().unwrap();
        write(
            &dir.path().join(".hadolint.yaml"),
            "ignored: [DL3008]\noverride:\n  error: [DL3002]\ntrustedRegistries: [docker.io]\n\
             failure-threshold: error\n",
        );
        write(
            &dir.path().join(PORTCULLIS_FILE),
            "failure-threshold = \"warning\"\n[rules]\nenable = [\"PC3002\"]\n\
             [dockerfile]\ntrusted-registries = [\"*.Example.com\", \"docker.io\"]\nrequire-digest = true\n",
        );
        let config = Config::load_with(&options(dir.path(), dir.path())).unwrap();
        assert_eq!(config.sources().len(), 2);
        assert!(config.sources()[0].ends_with(".hadolint.yaml"));
        // Scalars: the toml wins.
        assert_eq!(config.failure_threshold(), Some(Severity::Warning));
        assert!(config.require_digest());
        // Lists concatenate (deduplicated, lower-cased).
        assert_eq!(config.trusted_registries(), ["docker.io", "*.example.com"]);
        assert!(!config.is_enabled(&PINNING));
        assert!(config.is_enabled(&REGISTRY));
        assert_eq!(config.severity_for(&finding(&ROOT, 1)), Severity::Error);
        assert!(config.warnings().is_empty());
    }

    #[test]
    fn explicit_config_replaces_discovery() {
        let dir = tempfile::tempdir().unwrap();
        write(
            &dir.path().join(PORTCULLIS_FILE),
            "[rules]\ndisable = [\"PC1001\"]\n",
        );
        write(
            &dir.path().join("policy/central.toml"),
            "failure-threshold = \"error\"\n",
        );
        write(&dir.path().join("policy/hado.yml"), "ignored: [DL3002]\n");
        let explicit = Path::new("policy/central.toml");
        let config = Config::load_with(&LoadOptions {
            explicit: Some(explicit),
            ..options(dir.path(), dir.path())
        })
        .unwrap();
        assert_eq!(config.sources(), [dir.path().join("policy/central.toml")]);
        assert!(config.is_enabled(&ROOT));
        assert_eq!(config.failure_threshold(), Some(Severity::Error));

        let yaml = Path::new("policy/hado.yml");
        let config = Config::load_with(&LoadOptions {
            explicit: Some(yaml),
            ..options(dir.path(), dir.path())
        })
        .unwrap();
        assert!(!config.is_enabled(&ROOT));

        let missing = Path::new("policy/missing.toml");
        let err = Config::load_with(&LoadOptions {
            explicit: Some(missing),
            ..options(dir.path(), dir.path())
        })
        .unwrap_err();
        assert!(matches!(err.0[..], [ConfigError::Read { .. }]));
        assert!(
            err.to_string().contains("missing.toml: cannot read"),
            "{err}"
        );
    }

    #[test]
    fn unknown_rules_are_errors_with_file_id_and_suggestion() {
        let err = config_from_toml(
            "[rules]\ndisable = [\"DL3OO8\", \"root-usr\"]\nenable = [\"PC9999\"]\n\
             [rules.severity]\nnope = \"error\"\n",
        )
        .unwrap_err();
        let messages: Vec<String> = err.0.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 4, "{messages:#?}");
        assert!(messages
            .iter()
            .all(|m| m.contains(".portcullis.toml: unknown rule")));
        let disable_typo = messages.iter().find(|m| m.contains("`DL3OO8`")).unwrap();
        assert!(
            disable_typo.contains("in `rules.disable`"),
            "{disable_typo}"
        );
        assert!(
            disable_typo.contains("did you mean `DL3008`?"),
            "{disable_typo}"
        );
        assert!(messages
            .iter()
            .any(|m| m.contains("did you mean `root-user`?")));
        assert!(messages
            .iter()
            .any(|m| m.contains("`nope` in `rules.severity.nope`")));
        assert!(err.0.iter().any(|e| matches!(
            e,
            ConfigError::UnknownRule {
                suggestion: None,
                ..
            }
        )));
    }

    #[test]
    fn errors_from_both_files_are_all_collected() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join(".hadolint.yaml"), "failure-threshold: [\n");
        write(
            &dir.path().join(PORTCULLIS_FILE),
            "failure-threshold = \"loud\"\n[rules]\nenable = [\"XX\"]\n",
        );
        let err = Config::load_with(&options(dir.path(), dir.path())).unwrap_err();
        assert_eq!(err.0.len(), 3, "{err}");
        assert_eq!(err.to_string().lines().count(), 3);
        assert!(matches!(
            err.0[0],
            ConfigError::Parse { format: "YAML", .. }
        ));
        assert!(matches!(err.0[1], ConfigError::InvalidValue { .. }));
        assert!(matches!(err.0[2], ConfigError::UnknownRule { .. }));
    }

    #[test]
    fn unknown_hadolint_ids_are_warnings() {
        let dir = tempfile::tempdir().unwrap();
        write(
            &dir.path().join(".hadolint.yaml"),
            "ignored: [SC2086, DL3002]\n",
        );
        let config = Config::load_with(&options(dir.path(), dir.path())).unwrap();
        assert_eq!(config.warnings().len(), 1);
        assert!(
            config.warnings()[0].contains("`SC2086`"),
            "{:?}",
            config.warnings()
        );
        assert!(!config.is_enabled(&ROOT));
    }

    #[test]
    fn bad_registry_patterns_are_errors() {
        let err = config_from_toml("[dockerfile]\ntrusted-registries = [\"a/b\", \"x.*\", \"\"]\n")
            .unwrap_err();
        assert_eq!(err.0.len(), 3, "{err}");
        assert!(err.to_string().contains("`dockerfile.trusted-registries`"));
    }

    #[test]
    fn trusted_registry_matching() {
        let config = config_from_toml(
            "[dockerfile]\ntrusted-registries = [\"docker.io\", \"*.example.com\"]\n",
        )
        .unwrap();
        assert!(config.is_trusted_registry("Docker.IO"));
        assert!(config.is_trusted_registry("registry.example.com"));
        assert!(config.is_trusted_registry("a.b.example.com"));
        assert!(!config.is_trusted_registry("example.com"));
        assert!(!config.is_trusted_registry("evilexample.com"));
        assert!(!config.is_trusted_registry("ghcr.io"));
        let all = config_from_toml("[dockerfile]\ntrusted-registries = [\"*\"]\n").unwrap();
        assert!(all.is_trusted_registry("anything.io"));
    }

    #[test]
    fn disabling_by_alias_only_drops_that_alias() {
        let config = config_from_toml("[rules]\ndisable = [\"DL3009\"]\n").unwrap();
        // The rule still runs for its other alias…
        assert!(config.is_enabled(&CACHE));
        let apt = finding(&CACHE, 1).with_aliases(&["DL3009"]);
        let pip = finding(&CACHE, 2).with_aliases(&["DL3042"]);
        assert!(!config.is_finding_enabled(&apt));
        assert!(config.is_finding_enabled(&pip));
        // …and a finding without specific aliases stands for all of them.
        assert!(!config.is_finding_enabled(&finding(&CACHE, 3)));
        let kept = config.apply(vec![apt, pip]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].aliases, ["DL3042"]);

        let config = config_from_toml("[rules]\ndisable = [\"DL3009\", \"DL3042\"]\n").unwrap();
        assert!(!config.is_enabled(&CACHE));
        let config = config_from_toml("[rules]\ndisable = [\"package-cache-left\"]\n").unwrap();
        assert!(!config.is_enabled(&CACHE));
        assert!(!config.is_finding_enabled(&finding(&CACHE, 1).with_aliases(&["DL3042"])));
    }

    #[test]
    fn enabling_rules_that_are_off_by_default() {
        for id in ["PC3002", "untrusted-registry", "dl3026"] {
            let config = config_from_toml(&format!("[rules]\nenable = [\"{id}\"]\n")).unwrap();
            assert!(config.is_enabled(&REGISTRY), "{id}");
            assert!(config.is_finding_enabled(&finding(&REGISTRY, 1)), "{id}");
        }
        let config = Config::with_catalogue(CATALOGUE);
        assert!(!config.is_finding_enabled(&finding(&REGISTRY, 1)));
        // In one file, disable beats enable.
        let config =
            config_from_toml("[rules]\nenable = [\"PC3002\"]\ndisable = [\"PC3002\"]\n").unwrap();
        assert!(!config.is_enabled(&REGISTRY));
    }

    #[test]
    fn severity_overrides_by_alias_apply_only_to_matching_findings() {
        let config =
            config_from_toml("[rules.severity]\nDL3009 = \"error\"\nPC1001 = \"style\"\n").unwrap();
        let apt = finding(&CACHE, 1).with_aliases(&["DL3009"]);
        let pip = finding(&CACHE, 1).with_aliases(&["DL3042"]);
        assert_eq!(config.severity_for(&apt), Severity::Error);
        assert_eq!(config.severity_for(&pip), Severity::Info);
        assert_eq!(config.severity_for(&finding(&ROOT, 1)), Severity::Style);
        assert_eq!(config.severity_for(&finding(&HEALTH, 1)), Severity::Info);

        // By name for the rule, by alias for one case: the alias is more specific.
        let config = config_from_toml(
            "[rules.severity]\npackage-cache-left = \"style\"\nDL3042 = \"error\"\n",
        )
        .unwrap();
        assert_eq!(config.severity_for(&apt), Severity::Style);
        assert_eq!(config.severity_for(&pip), Severity::Error);
        let applied = config.apply(vec![pip]);
        assert_eq!(applied[0].severity, Severity::Error);
    }

    #[test]
    fn command_line_overrides_win() {
        let mut config = config_from_toml(
            "failure-threshold = \"style\"\n[rules]\ndisable = [\"PC1001\"]\n[rules.severity]\nDL3002 = \"error\"\n",
        )
        .unwrap();
        config
            .apply_overrides(&Overrides {
                failure_threshold: Some(Threshold::Never),
                enable: vec!["root-user".into(), "DL3026".into()],
                disable: vec!["PC4001".into()],
                severity: vec![("PC1001".into(), Severity::Info)],
                trusted_registries: vec!["ghcr.io".into()],
                require_digest: Some(true),
                only: Vec::new(),
                label_schema: vec![("maintainer".into(), LabelType::Email)],
                strict_labels: Some(true),
            })
            .unwrap();
        assert_eq!(config.failure_threshold(), None);
        assert!(!config.fails_on(Severity::Error));
        assert!(config.is_enabled(&ROOT) && config.is_enabled(&REGISTRY));
        assert!(!config.is_enabled(&HEALTH));
        assert_eq!(config.severity_for(&finding(&ROOT, 1)), Severity::Info);
        assert_eq!(config.trusted_registries(), ["ghcr.io"]);
        assert!(config.require_digest());
        assert_eq!(
            config.label_schema(),
            [("maintainer".to_owned(), LabelType::Email)]
        );
        assert!(config.strict_labels());

        let err = config
            .apply_overrides(&Overrides {
                disable: vec!["PC10001".into()],
                ..Overrides::default()
            })
            .unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("command line: unknown rule `PC10001` in `--disable`"),
            "{message}"
        );
        assert!(message.contains("did you mean `PC1001`?"), "{message}");
    }

    #[test]
    fn positions_and_far_off_ids() {
        assert_eq!(line_column("ab\ncé\nx", 6), (Some(2), Some(3)));
        assert_eq!(suggest(CATALOGUE, "zzzzzzzz"), None);
    }
}
