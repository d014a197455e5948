//! The command line: argument definitions (clap) and the commands they run, one file each.
//!
//! `main` only turns the returned [`Outcome`] into the process exit code: 0 clean, 1 findings
//! at or above the failure threshold, 2 the run was incomplete.

use std::io::Write;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::rules::{self, catalogue_doc};

mod annotate;
mod check;
mod db;
mod init;
mod lint;
mod output;
mod policy;
mod runtime;
mod scan;

pub use annotate::AnnotateArgs;
pub use check::CheckArgs;
pub use db::{DbArgs, DbDirArg, DbSourceArgs};
pub use init::InitArgs;
pub use lint::LintArgs;
pub use output::ColorChoice;
pub use runtime::RuntimeArgs;
pub use scan::ScanArgs;

const AFTER_HELP: &str = "\
Exit codes: 0 no finding at or above the failure threshold; 1 findings at or above it;
2 the run was incomplete (unreadable file, bad flag, bad configuration). Reports are written
in every case.

Examples:
  portcullis check                         everything below the current directory, one pass
  portcullis lint                          lint every Dockerfile below the current directory
  portcullis lint -f sarif=results.sarif -f text services/
  portcullis scan app:1.4 --fail-on high   packages and known vulnerabilities of an image
  portcullis runtime                       the local engine and its running containers
  portcullis runtime --compose compose.yaml --k8s deploy/
  portcullis db status                     what the vulnerability database holds
  portcullis explain DL3002                help for a rule, by our id or any alias
  portcullis rules --format json           the catalogue, for tooling";

#[derive(Debug, Parser)]
#[command(
    name = "portcullis",
    version,
    about = "One gate for container security: lint Dockerfiles, scan images for known vulnerabilities, check engines, containers, Compose files and Kubernetes manifests; write SARIF, JUnit, GitLab, JSON or text",
    long_about = "Portcullis lints Dockerfiles and Containerfiles with one rule set that covers \
hadolint, BuildKit checks, Trivy and Checkov, with exact line and column positions; scans \
container images for their packages and known vulnerabilities (OSV data); checks the runtime \
configuration of Docker and Podman engines, live containers, Compose files and Kubernetes \
manifests (CIS Docker Benchmark, Pod Security Standards); and writes reports \
for people (text) and for CI (SARIF 2.1.0, JUnit XML, GitLab, JSON, CycloneDX).",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Deferred: clap builds the arguments of the one subcommand that runs, not of all nine. A
// `portcullis lint FILE` per file in a pre-commit hook pays this on every start.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Check a repository in one pass: its Dockerfiles, Compose files and Kubernetes
    /// manifests, the images it names, optionally the local engine; every report at once.
    Check(CheckArgs),
    /// Lint Dockerfiles and Containerfiles.
    #[command(after_help = AFTER_HELP)]
    Lint(LintArgs),
    /// Scan container images: the installed packages, with the layer (and Dockerfile line)
    /// that introduced each, and their known vulnerabilities from OSV data.
    Scan(ScanArgs),
    /// Check how containers run and are declared to run: the Docker or Podman engine and its
    /// containers (CIS Docker Benchmark), Compose files, Kubernetes manifests (Pod Security
    /// Standards), with one rule set.
    Runtime(RuntimeArgs),
    /// Manage the vulnerability database (OSV data): `db update`, `db status`.
    Db(DbArgs),
    /// Write a .portcullis.toml: a commented starting point, or `--from-hadolint` to carry
    /// over a .hadolint.yaml (ignored rules, severities, trusted registries, label schema).
    Init(InitArgs),
    /// Post a run's findings on the pull or merge request: `annotate github`, `annotate gitlab`.
    Annotate(AnnotateArgs),
    /// List the rule catalogue.
    Rules(RulesArgs),
    /// Show the full help of one rule, by code (PC1001), name (root-user) or alias (DL3002).
    Explain {
        /// Rule code, name, or an upstream id such as DL3002, DS-0002 or CKV_DOCKER_3.
        rule: String,
    },
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

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
    Incomplete,
}

impl Outcome {
    /// How a run ended: incomplete wins over findings, which win over clean.
    pub fn of(incomplete: bool, failing: bool) -> Self {
        if incomplete {
            Outcome::Incomplete
        } else if failing {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }

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
        Command::Check(args) => check::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Scan(args) => scan::run(args),
        Command::Runtime(args) => runtime::run(args),
        Command::Db(args) => db::run(args),
        Command::Init(args) => init::run(args),
        Command::Annotate(args) => annotate::run(args),
        Command::Rules(args) => rules_command(args),
        Command::Explain { rule } => explain_command(&rule),
    }
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        // Builds every (deferred) subcommand and checks clap's invariants: conflicting names,
        // missing value names, defaults outside possible values.
        super::Cli::command().debug_assert();
    }
}
