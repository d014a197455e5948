//! `portcullis check`: one pass over a repository — its Dockerfiles, Compose projects and
//! Kubernetes manifests, the images it names, optionally the local engine — with every report
//! written at once.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use clap::Args;

use super::output::{self, ColorChoice};
use super::policy::PolicyArgs;
use super::runtime::apply_policy;
use super::scan::{scan_images_with, ImageScan, ScanSettings, VulnArgs};
use super::Outcome;
use crate::check::baseline::Baseline;
use crate::check::changed::keep_changed;
use crate::check::discover::{discover, Discovered};
use crate::config::{Config, Overrides};
use crate::diff::ChangedLines;
use crate::dockerfile::shellcheck::{Mode as ShellCheckMode, ShellCheck};
use crate::finding::{EngineRun, Report};
use crate::image::source::SourceOptions;
use crate::lint::{self, Input, LintSettings};
use crate::report::OutputSpec;
use crate::runtime::engine::ConnectOptions;
use crate::runtime::evaluate::{self, EngineRequest, Request};

const AFTER_HELP: &str = "\
What is checked, all at once:
  Dockerfiles and Containerfiles below DIR          (as `portcullis lint`)
  Compose projects below DIR, Kubernetes manifests   (as `portcullis runtime --compose/--k8s`)
  the images named with --image or [check] images    (as `portcullis scan`)
  the local engine and its containers, with --runtime (as `portcullis runtime`)
.gitignore is honoured; Helm templates are left out until rendered.

Adopting it on an existing repository:
  portcullis check --baseline .portcullis-baseline.json --write-baseline   accept today's findings
  portcullis check --baseline .portcullis-baseline.json                    fail only on new ones
  portcullis check --new-only-since origin/main                            only changed lines

Examples:
  portcullis check
  portcullis check --image app:1.4 -f sarif=portcullis.sarif -f junit=portcullis-junit.xml
  portcullis check -f gitlab-codequality=gl-code-quality-report.json -f markdown=summary.md";

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct CheckArgs {
    /// The repository (or any directory) to check.
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// An image to scan (any `portcullis scan` reference); repeatable. Adds to `[check]
    /// images` of .portcullis.toml.
    #[arg(long = "image", value_name = "REF")]
    pub images: Vec<String>,

    /// Check the local container engine and its running containers too (DOCKER_HOST, the
    /// Docker context, or the default socket).
    #[arg(long)]
    pub runtime: bool,

    /// Report format, optionally with a file: `text`, `json`, `sarif`, `junit`,
    /// `gitlab-codequality`, `gitlab-container-scanning`, `sbom-cyclonedx`, `markdown`, or
    /// `FMT=PATH`. Repeat to write several reports in one run. Default: text to stdout.
    #[arg(short, long = "format", value_name = "FMT[=PATH]")]
    pub formats: Vec<OutputSpec>,

    /// Findings and vulnerabilities in this baseline file do not count: they are left out of
    /// the reports and do not fail the run.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Write this run's findings to the --baseline file (default .portcullis-baseline.json),
    /// then report as if they were baselined.
    #[arg(long)]
    pub write_baseline: bool,

    /// Keep only findings on lines changed since this git ref (commit, branch or tag),
    /// uncommitted and untracked changes included.
    #[arg(long, value_name = "REF")]
    pub new_only_since: Option<String>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// When to use colour in the text report. `auto` means: stdout is a terminal and
    /// NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Do not look for secrets in the images' layers and configuration (as `scan
    /// --no-secrets`).
    #[arg(long)]
    pub no_secrets: bool,

    #[command(flatten)]
    pub vulns: VulnArgs,
}

/// Where `--write-baseline` writes without `--baseline`.
const DEFAULT_BASELINE: &str = ".portcullis-baseline.json";

pub fn run(args: CheckArgs) -> anyhow::Result<Outcome> {
    let started_at = SystemTime::now();
    let mut errors: Vec<String> = Vec::new();
    if !args.dir.is_dir() {
        errors.push(format!(
            "{}: not a directory (give the repository to check)",
            args.dir.display()
        ));
    }
    let config = args
        .policy
        .load(&args.dir, Overrides::default(), &mut errors);
    let found = discover(&args.dir);
    errors.extend(found.errors.iter().cloned());
    let mut images = args.images.clone();
    images.extend(config.check_images().iter().cloned());

    let progress = output::spinner();
    progress.set_message(describe(&found, images.len(), args.runtime));
    let (lint_run, scan, runtime) = run_engines(&args, &config, &found, &images);
    progress.finish_and_clear();

    // (The image scan and the runtime checks report their targets' errors themselves.)
    errors.extend(lint_run.targets.iter().filter_map(|t| t.error.clone()));
    let mut runs = vec![lint_run];
    let mut scanned = Vec::new();
    if let Some(scan) = scan {
        errors.extend(scan.errors);
        let mut run = scan.run;
        // The image's hygiene findings follow the configuration like every other finding.
        apply_policy(&mut run, &config);
        runs.push(run);
        scanned = scan.images;
    }
    if let Some(evaluation) = runtime {
        for warning in &evaluation.warnings {
            eprintln!("portcullis: warning: {warning}");
        }
        errors.extend(evaluation.errors);
        let mut run = evaluation.run;
        apply_policy(&mut run, &config);
        runs.push(run);
    }
    let mut report = Report {
        runs,
        exit_code: 0,
        errors: Vec::new(),
        command_line: output::command_line(),
        failure_threshold: config.failure_threshold(),
        images: scanned,
        started_at: Some(started_at),
    };

    if let Some(since) = &args.new_only_since {
        match ChangedLines::since(&args.dir, since) {
            Ok(changed) => {
                let removed = keep_changed(&mut report, &changed, &args.dir);
                eprintln!("portcullis: {removed} findings outside the lines changed since {since} are not reported");
            }
            Err(err) => errors.push(format!("--new-only-since: {err}")),
        }
    }
    if let Err(err) = apply_baseline(&args, &mut report) {
        errors.push(err);
    }

    // After the baseline and the changed-lines filter: only what is left can fail the run.
    let failing = report.findings().any(|f| config.fails_on(f.severity))
        || args
            .vulns
            .fail_on
            .is_some_and(|level| crate::vuln::assess::fails(&report.images, level));
    let outcome = Outcome::of(!errors.is_empty(), failing);
    report.exit_code = outcome.exit_code();
    report.errors = errors;
    Ok(output::write_reports(
        &args.formats,
        args.color,
        &mut report,
        outcome,
    ))
}

/// "12 Dockerfiles, 3 Compose projects, 40 manifests, 1 image" for the progress line.
fn describe(found: &Discovered, images: usize, runtime: bool) -> String {
    let mut parts = vec![
        format!("{} Dockerfiles", found.dockerfiles.len()),
        format!("{} Compose projects", found.compose.len()),
        format!("{} manifests", found.manifests.len()),
    ];
    if images > 0 {
        parts.push(format!("{images} images"));
    }
    if runtime {
        parts.push("the engine".to_owned());
    }
    format!("checking {}", parts.join(", "))
}

/// Runs the three engines side by side: they share nothing but the configuration, and the
/// slowest (an image scan, an engine with many containers) sets the wall time.
fn run_engines(
    args: &CheckArgs,
    config: &Config,
    found: &Discovered,
    images: &[String],
) -> (EngineRun, Option<ImageScan>, Option<evaluate::Evaluation>) {
    let settings = LintSettings {
        config: config.clone(),
        build_args: Default::default(),
        // As `lint` does by default: ShellCheck when it is installed.
        shellcheck: ShellCheck::locate(ShellCheckMode::Auto)
            .ok()
            .flatten()
            .map(std::sync::Arc::new),
        ..Default::default()
    };
    let inputs: Vec<Input> = found.dockerfiles.iter().cloned().map(Input::File).collect();
    let request = Request {
        compose: found.compose.clone(),
        manifests: found.manifests.clone(),
        engine: args.runtime.then(|| EngineRequest {
            connect: ConnectOptions::default(),
            ..EngineRequest::default()
        }),
        ..Request::default()
    };
    let runs_runtime = !request.compose.is_empty() || !request.manifests.is_empty() || args.runtime;
    std::thread::scope(|scope| {
        let lint = scope.spawn(|| lint::lint_inputs(&inputs, &settings, &|| {}));
        let scan = (!images.is_empty()).then(|| {
            scope.spawn(|| {
                // `[image]` settings (setuid allow-list, secret rules) apply as in `scan`.
                let mut errors = Vec::new();
                let settings =
                    ScanSettings::from_config(config.image(), !args.no_secrets, &mut errors);
                let mut scan = scan_images_with(
                    images,
                    &SourceOptions::default(),
                    None,
                    &args.vulns,
                    &settings,
                );
                scan.errors.splice(0..0, errors);
                scan
            })
        });
        let runtime = runs_runtime.then(|| scope.spawn(|| evaluate::evaluate(&request, &|_| {})));
        (
            lint.join().expect("the lint engine does not panic"),
            scan.map(|s| s.join().expect("the image scan does not panic")),
            runtime.map(|r| r.join().expect("the runtime checks do not panic")),
        )
    })
}

/// Writes the baseline (`--write-baseline`), then leaves out what it accepts.
fn apply_baseline(args: &CheckArgs, report: &mut Report) -> Result<(), String> {
    let path = args
        .baseline
        .clone()
        .or_else(|| args.write_baseline.then(|| PathBuf::from(DEFAULT_BASELINE)));
    let Some(path) = path else {
        return Ok(());
    };
    let baseline = if args.write_baseline {
        let baseline = Baseline::of(report);
        baseline.write(&path).map_err(|e| e.to_string())?;
        eprintln!(
            "portcullis: wrote {} entries to the baseline {}",
            baseline.entries.len(),
            path.display()
        );
        baseline
    } else {
        Baseline::load(Path::new(&path)).map_err(|e| e.to_string())?
    };
    let removed = baseline.apply(report);
    if removed > 0 {
        eprintln!(
            "portcullis: {removed} findings are in the baseline {} and are not reported",
            path.display()
        );
    }
    Ok(())
}
