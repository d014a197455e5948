//! The Dockerfile engine end to end: find the files, read them, parse, check, apply the
//! policy (suppressions, enable/disable, severities), fingerprint.
//!
//! One unreadable file never stops the others: it becomes a failed [`Target`] and the run is
//! marked incomplete, so reports are still written and the exit code says 2.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::check_directive::CheckPolicy;
use crate::config::{
    Config, Scope, Suppression, Suppressions, Tool, UnusedKind, UnusedSuppression,
};
use crate::dockerfile::checks::base_image_platform_mismatch::resolve_base_platforms;
use crate::dockerfile::checks::dockerignore::ContextCache;
use crate::dockerfile::checks::{self, Options, CHECKS};
use crate::dockerfile::shellcheck::ShellCheck;
use crate::dockerfile::stages::Build;
use crate::dockerfile::{self, Span};
use crate::finding::{assign_fingerprints, Engine, EngineRun, Finding, Location, Target};
use crate::image::source::registry::RegistryOptions;
use crate::image::source::Platform;
use crate::rules::{self, Rule};
use crate::source::LineIndex;
use crate::timestamp::Date;

/// Where a Dockerfile comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    /// Standard input, reported as `-`.
    Stdin,
}

impl Input {
    pub fn path(&self) -> PathBuf {
        match self {
            Input::File(path) => path.clone(),
            Input::Stdin => PathBuf::from("-"),
        }
    }
}

/// Whether a file name is one Portcullis lints when it walks a directory.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // `Dockerfile.dockerignore` is BuildKit's per-Dockerfile ignore file, not a Dockerfile.
    let ignore_file = lower.ends_with(".dockerignore") || lower.ends_with(".containerignore");
    !ignore_file
        && (lower == "dockerfile"
            || lower.starts_with("dockerfile.")
            || lower.ends_with(".dockerfile")
            || lower.starts_with("containerfile"))
}

/// Expands the paths given on the command line into inputs. Directories are walked
/// recursively, honouring `.gitignore`; files are taken whatever their name. Paths that do not
/// exist are returned as errors.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            let found = crate::walk::files(path, &mut errors)
                .into_iter()
                .filter(|file| {
                    file.file_name()
                        .is_some_and(|name| is_dockerfile_name(&name.to_string_lossy()))
                });
            inputs.extend(found.map(Input::File));
        } else if path.exists() {
            inputs.push(Input::File(path.clone()));
        } else {
            errors.push(format!(
                "{}: no such file or directory (give Dockerfiles or directories to search)",
                path.display()
            ));
        }
    }
    (inputs, errors)
}

/// Settings of one lint run.
#[derive(Debug, Clone, Default)]
pub struct LintSettings {
    pub config: Config,
    /// `--build-arg NAME=VALUE`: values for ARGs, as `docker build` takes them.
    pub build_args: BTreeMap<String, String>,
    /// `--context DIR`: the build context of every Dockerfile (default: its own directory).
    pub context: Option<PathBuf>,
    /// `--resolve-base-images`: ask registries (reached with these options) which platforms
    /// the base images exist for. `None`: do not.
    pub base_image_registry: Option<RegistryOptions>,
    /// `--platform`: the platform the build targets (default: this machine's Linux platform).
    pub platform: Option<String>,
    /// `--shellcheck`: the ShellCheck that checks RUN scripts, if it runs.
    pub shellcheck: Option<Arc<ShellCheck>>,
}

impl LintSettings {
    fn options(&self) -> Options {
        Options {
            trusted_registries: self.config.trusted_registries().to_vec(),
            require_digest: self.config.require_digest(),
            label_schema: self.config.label_schema().to_vec(),
            strict_labels: self.config.strict_labels(),
            shellcheck: self.shellcheck.clone(),
            ..Options::default()
        }
    }

    /// The rules that run on every Dockerfile.
    pub fn enabled_rules(&self) -> Vec<&'static Rule> {
        CHECKS
            .iter()
            .flat_map(|c| c.rules.iter().copied())
            .chain([
                &rules::UNUSED_SUPPRESSION,
                &rules::SUPPRESSION_EXPIRED,
                &rules::INLINE_SUPPRESSION,
            ])
            .filter(|r| self.config.is_enabled(r))
            .collect()
    }
}

/// What every file of a run shares, worked out once per run rather than once per file.
struct RunSettings<'a> {
    settings: &'a LintSettings,
    /// The options of every file; each file adds its build context and base platforms.
    options: Options,
    /// [`LintSettings::enabled_rules`], and their codes for quick look-ups.
    rules: Vec<&'static Rule>,
    enabled: HashSet<&'static str>,
    /// The platform the build targets, when base images are resolved.
    target_platform: Option<String>,
    /// The build contexts' ignore files, read once each.
    contexts: ContextCache,
    /// The day `until=` dates of suppressions are compared with, the same for every file.
    today: Date,
}

impl<'a> RunSettings<'a> {
    fn new(settings: &'a LintSettings) -> Self {
        let rules = settings.enabled_rules();
        let target_platform = settings.base_image_registry.as_ref().map(|_| {
            settings
                .platform
                .clone()
                .unwrap_or_else(|| Platform::host().to_string())
        });
        RunSettings {
            settings,
            options: settings.options(),
            enabled: rules.iter().map(|r| r.code).collect(),
            rules,
            target_platform,
            contexts: ContextCache::default(),
            today: Date::today(),
        }
    }
}

/// Lints every input (in parallel) into one engine run, in input order. `progress` is called
/// once per finished input.
pub fn lint_inputs(
    inputs: &[Input],
    settings: &LintSettings,
    progress: &(dyn Fn() + Sync),
) -> EngineRun {
    let run_settings = RunSettings::new(settings);
    let lint_one = |input: &Input| {
        let _done = OnDrop(progress);
        let path = input.path();
        match read(input) {
            Ok(source) => lint_file(&path, source, &run_settings),
            Err(err) => {
                let target = Target {
                    path: path.clone(),
                    source: None,
                    rules: Vec::new(),
                    error: Some(format!(
                        "cannot read {}: {err} (check the path and its permissions; the other files were linted)",
                        path.display()
                    )),
                };
                (target, Vec::new())
            }
        }
    };
    // One file (an editor, a pre-commit hook, one CI step per file) does not pay for starting
    // the thread pool, which costs about as much as linting it.
    let results: Vec<(Target, Vec<Finding>)> = if inputs.len() == 1 {
        inputs.iter().map(lint_one).collect()
    } else {
        inputs.par_iter().map(lint_one).collect()
    };
    let mut run = EngineRun::new(Engine::Dockerfile);
    for (target, findings) in results {
        run.targets.push(target);
        run.findings.extend(findings);
    }
    run
}

/// Calls the progress callback when an input is finished, however it finished.
struct OnDrop<'a>(&'a (dyn Fn() + Sync));

impl Drop for OnDrop<'_> {
    fn drop(&mut self) {
        (self.0)();
    }
}

fn read(input: &Input) -> std::io::Result<String> {
    let bytes = match input {
        Input::File(path) => std::fs::read(path)?,
        Input::Stdin => {
            let mut buffer = Vec::new();
            std::io::stdin().read_to_end(&mut buffer)?;
            buffer
        }
    };
    // BuildKit reads bytes; invalid UTF-8 only matters inside strings, so decode leniently.
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    })
}

/// Lints one Dockerfile's text. [`lint_inputs`] lints many at a lower cost per file.
pub fn lint_source(path: &Path, source: String, settings: &LintSettings) -> (Target, Vec<Finding>) {
    lint_file(path, source, &RunSettings::new(settings))
}

fn lint_file(path: &Path, source: String, run: &RunSettings) -> (Target, Vec<Finding>) {
    let settings = run.settings;
    let file = dockerfile::parse(&source);
    let build = Build::new(&file, &settings.build_args);
    let mut options = run.options.clone();
    options.context = run
        .contexts
        .for_dockerfile(path, settings.context.as_deref());
    if let Some(registry) = &settings.base_image_registry {
        options.base_platforms = resolve_base_platforms(&build, registry);
        options.target_platform = run.target_platform.clone();
    }
    let config = &settings.config;
    // BuildKit's `# check=` directive: which BuildKit checks run, and at which severity.
    let check_policy = CheckPolicy::of(&file, &settings.build_args);
    let found = checks::run_all(&file, &build, &options, path, |rule| {
        run.enabled.contains(rule.code) || check_policy.enables(rule)
    });

    let suppressions = Suppressions::new(&file);
    // Only suppression comments need positions here (the checks have their own index), and
    // most files have none: the index is built on first use.
    let index = std::cell::OnceCell::new();
    let index = || index.get_or_init(|| LineIndex::new(&file.source));
    let mut findings = if config.inline_suppressions_disabled() {
        found
    } else {
        let applied = suppressions.apply_on(found, run.today);
        let mut kept = applied.kept;
        kept.extend(
            applied
                .unused
                .iter()
                .map(|u| unused_finding(u, path, index()))
                .filter(|f| run.enabled.contains(f.rule.code)),
        );
        kept
    };
    if run.enabled.contains(rules::INLINE_SUPPRESSION.code) {
        findings.extend(
            suppressions
                .iter()
                .map(|s| inline_suppression_finding(s, path, index())),
        );
    }
    findings = check_policy.apply(config, findings);
    findings.sort_by_key(|f| f.location.region.map(|r| (r.start, r.end)));

    let source: Arc<str> = Arc::from(file.source);
    assign_fingerprints(&mut findings, |_| Some(source.clone()));
    // ShellCheck failing leaves this file's check incomplete, not the run.
    let shellcheck_failures = settings
        .shellcheck
        .as_ref()
        .map(|s| s.take_failures(path))
        .unwrap_or_default();
    let target = Target {
        path: path.to_path_buf(),
        source: Some(source),
        rules: run.rules.clone(),
        error: (!shellcheck_failures.is_empty()).then(|| shellcheck_failures.join("; ")),
    };
    (target, findings)
}

fn unused_finding(unused: &UnusedSuppression, path: &Path, index: &LineIndex) -> Finding {
    let ids = unused.rules.join(", ");
    let message = match &unused.kind {
        UnusedKind::Unmatched => format!("suppression of {ids} matches no finding: remove it"),
        UnusedKind::Detached => {
            "this suppression applies to no instruction: put it directly above the instruction"
                .to_owned()
        }
        UnusedKind::UnknownRule {
            suggestion: Some(s),
        } => {
            format!("`{ids}` names no rule; did you mean `{s}`?")
        }
        UnusedKind::UnknownRule { suggestion: None } => {
            format!("`{ids}` names no rule: `portcullis rules` lists codes, names and aliases")
        }
        UnusedKind::Malformed { message } => format!(
            "unreadable suppression comment: {message}; write `# portcullis ignore=RULE[,RULE] reason=\"…\"`"
        ),
        UnusedKind::Expired { until, reason } => {
            let why = reason
                .as_ref()
                .map_or_else(String::new, |r| format!(" (reason: {r})"));
            let message = format!(
                "suppression of {ids} expired on {until}{why}: its findings are reported again; fix them, or renew the date if the exception still holds"
            );
            return Finding::new(
                &rules::SUPPRESSION_EXPIRED,
                message,
                comment_location(unused.span, path, index),
            );
        }
    };
    Finding::new(
        &rules::UNUSED_SUPPRESSION,
        message,
        comment_location(unused.span, path, index),
    )
}

fn inline_suppression_finding(
    suppression: &Suppression,
    path: &Path,
    index: &LineIndex,
) -> Finding {
    let scope = match suppression.scope {
        Scope::Instruction => "the next instruction",
        Scope::Stage => "the rest of the stage",
        Scope::File => "the whole file",
    };
    let mut finding = Finding::new(
        &rules::INLINE_SUPPRESSION,
        format!(
            "{} silenced for {scope} by a comment: keep policy exceptions in the configuration file",
            suppression.rules.join(", ")
        ),
        comment_location(suppression.span, path, index),
    );
    // hadolint's DL1001 only looks at its own pragmas.
    if suppression.tool != Tool::Hadolint {
        finding.aliases.clear();
    }
    finding
}

fn comment_location(span: Span, path: &Path, index: &LineIndex) -> Location {
    Location {
        path: path.to_path_buf(),
        region: Some(index.region(span)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(source: &str) -> Vec<Finding> {
        lint_source(
            Path::new("Dockerfile"),
            source.to_owned(),
            &LintSettings::default(),
        )
        .1
    }

    #[test]
    fn recognises_dockerfile_names() {
        for name in [
            "Dockerfile",
            "dockerfile",
            "Dockerfile.prod",
            "api.Dockerfile",
            "x.dockerfile",
            "Containerfile",
            "Containerfile.dev",
        ] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in [
            "Dockerfile-notes.md".trim_end_matches(".md"),
            "docker-compose.yml",
            "README.md",
            "Makefile",
        ] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }

    #[test]
    fn suppressions_silence_by_alias_and_stale_ones_are_reported() {
        let source = "FROM a:1\n# hadolint ignore=DL3004\nRUN sudo id\n# portcullis ignore=PC4006\nRUN true\nUSER 1000\nHEALTHCHECK CMD x\n";
        let findings = lint(source);
        let codes: Vec<_> = findings.iter().map(|f| (f.rule.code, f.line())).collect();
        assert!(!codes.iter().any(|(c, _)| *c == "PC1002"), "{codes:?}");
        assert!(codes.contains(&("PC0005", Some(4))), "{codes:?}");
    }

    #[test]
    fn findings_are_sorted_and_fingerprinted() {
        let findings = lint("FROM a\nMAINTAINER x\nRUN sudo id\n");
        let lines: Vec<_> = findings.iter().map(|f| f.line()).collect();
        let mut sorted = lines.clone();
        sorted.sort();
        assert_eq!(lines, sorted);
        assert!(findings.iter().all(|f| f.fingerprint.len() == 32));
    }

    #[test]
    fn fingerprints_survive_unrelated_edits_above() {
        let before = lint("FROM a:1\nRUN sudo id\n");
        let after = lint("FROM a:1\nLABEL x=y\n\nRUN sudo id\n");
        let fp = |fs: &[Finding]| {
            fs.iter()
                .find(|f| f.rule.code == "PC1002")
                .map(|f| f.fingerprint.clone())
        };
        assert!(fp(&before).is_some());
        assert_eq!(fp(&before), fp(&after));
    }

    #[test]
    fn missing_paths_are_errors_and_directories_are_walked() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("svc/.devcontainer")).expect("mkdir");
        std::fs::write(dir.path().join("svc/Dockerfile"), "FROM a:1\n").expect("write");
        std::fs::write(
            dir.path().join("svc/.devcontainer/Dockerfile"),
            "FROM a:1\n",
        )
        .expect("write");
        std::fs::write(dir.path().join("svc/ignored.Dockerfile"), "FROM a:1\n").expect("write");
        std::fs::write(dir.path().join(".gitignore"), "ignored.Dockerfile\n").expect("write");
        std::fs::write(dir.path().join("svc/app.py"), "").expect("write");
        let (inputs, errors) = discover(&[dir.path().to_path_buf(), dir.path().join("nope")]);
        assert_eq!(inputs.len(), 2, "{inputs:?}");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("nope"));
    }
    #[test]
    fn an_expired_suppression_is_reported_and_its_finding_comes_back() {
        let found = lint(
            "FROM a:1\n# portcullis ignore=sudo-usage until=2020-01-31 reason=\"legacy base\"\nRUN sudo id\n",
        );
        let codes: Vec<_> = found.iter().map(|f| (f.rule.code, f.line())).collect();
        assert!(codes.contains(&("PC1002", Some(3))), "{codes:?}");
        let expired = found
            .iter()
            .find(|f| f.rule.code == "PC0006")
            .expect("expired suppression reported");
        assert_eq!(expired.line(), Some(2));
        assert!(
            expired.message.contains("2020-01-31"),
            "{}",
            expired.message
        );
        assert!(
            expired.message.contains("legacy base"),
            "{}",
            expired.message
        );
        assert!(!codes.iter().any(|(c, _)| *c == "PC0005"), "{codes:?}");

        let future =
            lint("FROM a:1\n# portcullis ignore=sudo-usage until=2999-01-01\nRUN sudo id\n");
        assert!(
            !future
                .iter()
                .any(|f| matches!(f.rule.code, "PC1002" | "PC0006")),
            "{future:?}"
        );
    }

    #[test]
    fn inline_suppressions_are_listed_only_when_enabled() {
        let source =
            "FROM a:1\n# hadolint ignore=DL3004\nRUN sudo id\n# portcullis global ignore=PC1001\n";
        assert!(!lint(source).iter().any(|f| f.rule.code == "PC0007"));

        let inline_with = |enable: &str| {
            let mut settings = LintSettings::default();
            settings
                .config
                .apply_overrides(&crate::config::Overrides {
                    enable: vec![enable.into()],
                    ..Default::default()
                })
                .expect("known rule");
            let (_, found) = lint_source(Path::new("Dockerfile"), source.to_owned(), &settings);
            let inline: Vec<_> = found
                .iter()
                .filter(|f| f.rule.code == "PC0007")
                .map(|f| (f.line(), f.aliases.clone()))
                .collect();
            (inline, found)
        };
        // hadolint's id only covers hadolint's pragmas; our name covers both.
        assert_eq!(inline_with("DL1001").0, [(Some(2), vec!["DL1001"])]);
        let (inline, found) = inline_with("inline-suppression");
        assert_eq!(inline, [(Some(2), vec!["DL1001"]), (Some(4), vec![])]);
        // The suppression still works.
        assert!(!found.iter().any(|f| f.rule.code == "PC1002"));
    }
}
