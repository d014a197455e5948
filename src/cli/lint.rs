//! `portcullis lint`: Dockerfiles in, reports out.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use super::output::{self, ColorChoice};
use super::policy::PolicyArgs;
use super::Outcome;
use crate::config::labels::parse_required_label;
use crate::config::{LabelType, Overrides};
use crate::dockerfile::shellcheck::{Mode as ShellCheckMode, ShellCheck};
use crate::image::source::registry::RegistryOptions;
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

    /// The build context: the directory `docker build` is given. Its `.dockerignore` (or a
    /// `<Dockerfile>.dockerignore` next to the Dockerfile) tells which COPY sources the build
    /// can see. Default: each Dockerfile's own directory.
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,

    /// Ask the registries which platforms each base image is published for, and report a
    /// FROM whose image does not exist for the platform its stage builds for. Needs network
    /// access (and registry credentials for private images); unreachable images are skipped.
    #[arg(long)]
    pub resolve_base_images: bool,

    /// Reach this registry (`HOST[:PORT]`) over plain HTTP for --resolve-base-images.
    /// Repeatable.
    #[arg(
        long = "insecure-registry",
        value_name = "HOST",
        requires = "resolve_base_images"
    )]
    pub insecure_registries: Vec<String>,

    /// The platform the build targets (`os/arch[/variant]`), for --resolve-base-images.
    /// Default: Linux on this machine's architecture, as `docker build` picks.
    #[arg(long, value_name = "PLATFORM", requires = "resolve_base_images")]
    pub platform: Option<String>,

    /// Registry base images may come from (`*.example.com` and `*` allowed). Repeatable;
    /// enables the untrusted-registry rule.
    #[arg(long = "trusted-registry", value_name = "REGISTRY")]
    pub trusted_registries: Vec<String>,

    /// Require base images to be pinned by digest.
    #[arg(long)]
    pub require_digest: bool,

    /// A label every image must carry, with the type of its value: text, url, semver, hash,
    /// rfc3339, spdx or email (e.g. `org.opencontainers.image.source:url`). Repeatable;
    /// enables the label rules.
    #[arg(long = "require-label", value_name = "LABEL:TYPE", value_parser = parse_required_label)]
    pub required_labels: Vec<(String, LabelType)>,

    /// Report labels that the label schema does not list.
    #[arg(long)]
    pub strict_labels: bool,

    /// Run ShellCheck on RUN scripts and report its findings (SC codes) at their real line and
    /// column: `auto` when `shellcheck` is installed, `off`, or `required` (a missing
    /// shellcheck is an error).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ShellCheckMode::Auto)]
    pub shellcheck: ShellCheckMode,

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
        label_schema: args.required_labels.clone(),
        strict_labels: args.strict_labels.then_some(true),
        ..Overrides::default()
    };
    let config = args.policy.load(&scan_root, overrides, &mut errors);

    let (inputs, discovery_errors) = lint::discover(&args.paths);
    errors.extend(discovery_errors);
    let platform = match args
        .platform
        .as_deref()
        .map(crate::image::source::Platform::parse)
    {
        Some(Ok(platform)) => Some(platform.to_string()),
        Some(Err(message)) => {
            errors.push(format!("--platform: {message}"));
            None
        }
        None => None,
    };
    if let Some(dir) = args.context.as_ref().filter(|d| !d.is_dir()) {
        errors.push(format!(
            "--context {}: not a directory (give the directory `docker build` is run with)",
            dir.display()
        ));
    }
    let shellcheck = ShellCheck::locate(args.shellcheck).unwrap_or_else(|message| {
        errors.push(message);
        None
    });
    let settings = LintSettings {
        config,
        build_args: args.build_args.iter().cloned().collect::<BTreeMap<_, _>>(),
        context: args.context.clone(),
        base_image_registry: args.resolve_base_images.then(|| RegistryOptions {
            insecure_registries: args.insecure_registries.clone(),
            ..RegistryOptions::default()
        }),
        platform,
        shellcheck: shellcheck.map(Arc::new),
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
