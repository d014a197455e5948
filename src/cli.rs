//! The command line: argument definitions (clap) and the commands they run.
//!
//! `main` only turns the returned [`Outcome`] into the process exit code: 0 clean, 1 findings
//! at or above the failure threshold, 2 the run was incomplete.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{Config, Overrides, Threshold};
use crate::finding::Report;
use crate::lint::{self, LintSettings};
use crate::report::{self, Format, OutputSpec, RenderOptions};
use crate::rules::{self, catalogue_doc};

const AFTER_HELP: &str = "\
Exit codes: 0 no finding at or above the failure threshold; 1 findings at or above it;
2 the run was incomplete (unreadable file, bad flag, bad configuration). Reports are written
in every case.

Examples:
  portcullis lint                          lint every Dockerfile below the current directory
  portcullis lint -f sarif=results.sarif -f text services/
  portcullis explain DL3008                help for a rule, by our id or any alias
  portcullis rules --format json           the catalogue, for tooling";

#[derive(Debug, Parser)]
#[command(
    name = "portcullis",
    version,
    about = "One gate for container security: lint Dockerfiles and write SARIF, JUnit, JSON or text",
    long_about = "Portcullis lints Dockerfiles and Containerfiles with one rule set that covers \
hadolint, BuildKit checks, Trivy and Checkov, with exact line and column positions, and writes \
reports for people (text) and for CI (SARIF 2.1.0, JUnit XML, JSON).",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint Dockerfiles and Containerfiles.
    #[command(after_help = AFTER_HELP)]
    Lint(LintArgs),
    /// List the rule catalogue.
    Rules(RulesArgs),
    /// Show the full help of one rule, by code (PC1001), name (root-user) or alias (DL3002).
    Explain {
        /// Rule code, name, or an upstream id such as DL3008, DS-0002 or CKV_DOCKER_3.
        rule: String,
    },
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// `text` (a table), `json` (every rule with id, name, severity, tags, aliases), or
    /// `markdown` (the reference in docs/rules.md).
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
    Markdown,
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

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
    Incomplete,
}

impl Outcome {
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Incomplete => 2,
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Lint(args) => lint_command(args),
        Command::Rules(args) => rules_command(args),
        Command::Explain { rule } => explain_command(&rule),
    }
}

fn lint_command(args: LintArgs) -> anyhow::Result<Outcome> {
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
    let progress = progress_bar(inputs.len());
    let run = lint::lint_inputs(&inputs, &settings, &|| progress.inc(1));
    progress.finish_and_clear();
    errors.extend(run.targets.iter().filter_map(|t| t.error.clone()));

    let threshold = settings.config.failure_threshold();
    let failing = run
        .findings
        .iter()
        .any(|f| settings.config.fails_on(f.severity));
    let outcome = if !errors.is_empty() {
        Outcome::Incomplete
    } else if failing {
        Outcome::Findings
    } else {
        Outcome::Clean
    };
    let mut report = Report {
        runs: vec![run],
        exit_code: outcome.exit_code(),
        errors,
        command_line: command_line(),
        failure_threshold: threshold,
    };
    let outcome = write_reports(&args.formats, args.color, &mut report, outcome);
    Ok(outcome)
}

/// Writes every requested report; a report that cannot be written makes the run incomplete
/// but does not stop the others.
fn write_reports(
    specs: &[OutputSpec],
    color: ColorChoice,
    report: &mut Report,
    outcome: Outcome,
) -> Outcome {
    let default = [OutputSpec {
        format: Format::Text,
        path: None,
    }];
    let specs = if specs.is_empty() {
        &default[..]
    } else {
        specs
    };
    let mut failures = Vec::new();
    for spec in specs {
        let options = RenderOptions {
            color: spec.format.supports_color() && spec.path.is_none() && use_color(color),
            ..RenderOptions::default()
        };
        let result = match &spec.path {
            None => {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                report::render(spec.format, report, &options, &mut lock).and_then(|()| lock.flush())
            }
            Some(path) => write_file(path, spec.format, report, &options),
        };
        match result {
            Ok(()) => {}
            // A closed pipe (`| head`) is the reader's choice, not an error.
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(err) => failures.push(format!(
                "cannot write the {} report to {}: {err}",
                spec.format,
                spec.path
                    .as_ref()
                    .map_or("stdout".into(), |p| p.display().to_string())
            )),
        }
    }
    for message in report.errors.iter().chain(&failures) {
        eprintln!("portcullis: error: {message}");
    }
    if failures.is_empty() {
        outcome
    } else {
        report.errors.extend(failures);
        Outcome::Incomplete
    }
}

fn write_file(
    path: &std::path::Path,
    format: Format,
    report: &Report,
    options: &RenderOptions,
) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    report::render(format, report, options, &mut file)?;
    file.flush()
}

/// A progress bar on standard error for long runs; hidden when stderr is not a terminal
/// (indicatif checks) and for runs too short to need one.
fn progress_bar(total: usize) -> indicatif::ProgressBar {
    const WORTH_SHOWING: usize = 500;
    if total < WORTH_SHOWING {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} linting {pos}/{len} files {wide_bar} {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}

fn rules_command(args: RulesArgs) -> anyhow::Result<Outcome> {
    let mut out = std::io::stdout().lock();
    let text = match args.format {
        RulesFormat::Markdown => catalogue_doc::reference_markdown(),
        RulesFormat::Json => {
            let rules: Vec<_> = rules::CATALOGUE
                .iter()
                .map(|r| catalogue_doc::rule_json(r))
                .collect();
            serde_json::to_string_pretty(&rules)? + "\n"
        }
        RulesFormat::Text => catalogue_doc::table(),
    };
    match out.write_all(text.as_bytes()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(err).context("writing the rule list")
        }
        _ => Ok(Outcome::Clean),
    }
}

fn explain_command(id: &str) -> anyhow::Result<Outcome> {
    match rules::lookup(id) {
        Some(rule) => {
            print!("{}", catalogue_doc::explain(rule));
            Ok(Outcome::Clean)
        }
        None => {
            let hint = catalogue_doc::closest_id(id)
                .map(|s| format!(" Did you mean `{s}`?"))
                .unwrap_or_default();
            eprintln!("portcullis: error: no rule is called `{id}`.{hint} `portcullis rules` lists them all.");
            Ok(Outcome::Incomplete)
        }
    }
}
