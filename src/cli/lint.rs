//! `portcullis lint`: Dockerfiles in, reports out.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;

use super::output::{self, ColorChoice};
use super::policy::PolicyArgs;
use super::Outcome;
use crate::config::Overrides;
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

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Value for an ARG, as `docker build --build-arg` takes it. Repeatable.
    #[arg(long = "build-arg", value_name = "NAME=VALUE", value_parser = parse_build_arg)]
    pub build_args: Vec<(String, String)>,

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
    let overrides = Overrides {
        trusted_registries: args.trusted_registries.clone(),
        require_digest: args.require_digest.then_some(true),
        ..Overrides::default()
    };
    let config = args.policy.load(&scan_root, overrides, &mut errors);

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

    Ok(output::finish_rule_run(
        run,
        errors,
        &settings.config,
        started_at,
        &args.formats,
        args.color,
    ))
}
