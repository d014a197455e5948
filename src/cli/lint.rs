//! `portcullis lint`: Dockerfiles in, reports out.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;

use super::output::{self, ColorChoice};
use super::Outcome;
use crate::config::{Config, Overrides, Threshold};
use crate::finding::Report;
use crate::lint::{self, LintSettings};
use crate::report::OutputSpec;

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or directories to lint; `-` reads standard input. Directories are searched
    /// recursively (honouring .gitignore) for Dockerfile, Dockerfile.*, *.Dockerfile,
    /// *.dockerfile and Containerfile*.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Report format, optionally with a file: `text`, `json`, `sarif`, `junit`, or
    /// `FMT=PATH`. Repeat to write several reports in one run. Default: text to stdout.
    #[arg(short, long = "format", value_name = "FMT[=PATH]")]
    pub formats: Vec<OutputSpec>,

    /// Configuration file (.portcullis.toml, or a .hadolint.yaml). By default
    /// .portcullis.toml and .hadolint.yaml are searched upward from the first path.
    #[arg(short, long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Value for an ARG, as `docker build --build-arg` takes it. Repeatable.
    #[arg(long = "build-arg", value_name = "NAME=VALUE", value_parser = parse_build_arg)]
    pub build_args: Vec<(String, String)>,

    /// Lowest severity that fails the run: error, warning, info, style, or none.
    #[arg(short = 't', long, value_name = "SEVERITY")]
    pub failure_threshold: Option<Threshold>,

    /// Turn a rule off (code, name or alias). Repeatable.
    #[arg(long, value_name = "RULE")]
    pub disable: Vec<String>,

    /// Turn a rule on, including rules that are off by default. Repeatable.
    #[arg(long, value_name = "RULE")]
    pub enable: Vec<String>,

    /// Registry base images may come from (`*.example.com` and `*` allowed). Repeatable;
    /// enables the untrusted-registry rule.
    #[arg(long = "trusted-registry", value_name = "REGISTRY")]
    pub trusted_registries: Vec<String>,

    /// Require base images to be pinned by digest.
    #[arg(long)]
    pub require_digest: bool,

    /// When to use colour in the text report. `auto` means: stdout is a terminal and
    /// NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

fn parse_build_arg(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        // `--build-arg NAME` takes the value from the environment, as docker does.
        None if !value.is_empty() => {
            Ok((value.to_owned(), std::env::var(value).unwrap_or_default()))
        }
        _ => Err(format!("`{value}` is not NAME=VALUE")),
    }
}

pub fn run(args: LintArgs) -> anyhow::Result<Outcome> {
    let started_at = std::time::SystemTime::now();
    let mut errors: Vec<String> = Vec::new();
    let scan_root = args
        .paths
        .iter()
        .find(|p| p.as_os_str() != "-")
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let mut config = match Config::load(&scan_root, args.config.as_deref()) {
        Ok(config) => config,
        Err(err) => {
            // Keep going with the defaults so reports are still written; the run is incomplete.
            errors.extend(err.0.iter().map(|e| format!("configuration: {e}")));
            Config::default()
        }
    };
    for warning in config.warnings() {
        eprintln!("portcullis: warning: {warning}");
    }
    let overrides = Overrides {
        failure_threshold: args.failure_threshold,
        disable: args.disable.clone(),
        enable: args.enable.clone(),
        trusted_registries: args.trusted_registries.clone(),
        require_digest: args.require_digest.then_some(true),
        ..Overrides::default()
    };
    if let Err(err) = config.apply_overrides(&overrides) {
        errors.extend(err.0.iter().map(|e| format!("command line: {e}")));
    }

    let (inputs, discovery_errors) = lint::discover(&args.paths);
    errors.extend(discovery_errors);
    let settings = LintSettings {
        config,
        build_args: args.build_args.iter().cloned().collect::<BTreeMap<_, _>>(),
    };
    let progress = output::progress_bar(inputs.len());
    let run = lint::lint_inputs(&inputs, &settings, &|| progress.inc(1));
    progress.finish_and_clear();
    errors.extend(run.targets.iter().filter_map(|t| t.error.clone()));

    let threshold = settings.config.failure_threshold();
    let failing = run
        .findings
        .iter()
        .any(|f| settings.config.fails_on(f.severity));
    let outcome = Outcome::of(!errors.is_empty(), failing);
    let mut report = Report {
        runs: vec![run],
        exit_code: outcome.exit_code(),
        errors,
        command_line: output::command_line(),
        failure_threshold: threshold,
        images: Vec::new(),
        started_at: Some(started_at),
    };
    let outcome = output::write_reports(&args.formats, args.color, &mut report, outcome);
    Ok(outcome)
}
