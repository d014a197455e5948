//! `portcullis runtime`: how containers run (a live engine) and are declared to run (Compose
//! files, Kubernetes manifests), checked with one rule set.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::output::{self, ColorChoice};
use super::policy::PolicyArgs;
use super::Outcome;
use crate::config::{Config, Overrides};
use crate::finding::EngineRun;
use crate::report::OutputSpec;
use crate::runtime::engine::ConnectOptions;
use crate::runtime::evaluate::{self, Benchmark, ComposeRequest, EngineRequest, Request};

const AFTER_HELP: &str = "\
What is checked:
  with no --compose/--k8s    the engine (DOCKER_HOST, the current Docker context, or the default
                             socket) and its running containers: CIS Docker Benchmark 2.x and 5.x
  --compose FILE...          the Compose project those files make (override files, extends,
                             profiles, ${VAR} from .env), each service as Compose would run it
  --k8s PATH...              every workload of every manifest (Pod, Deployment, StatefulSet,
                             DaemonSet, Job, CronJob…), against the Pod Security Standards
  --engine                   the engine as well, when files are given

A container that Compose started is also checked as its Compose file declares it: its findings
point at the Compose line that caused them when that file is readable here.

Examples:
  portcullis runtime                                   the local engine and its containers
  portcullis runtime --all --filter label=team=shop    stopped ones too, one team's only
  portcullis runtime --container web --container db -f sarif=runtime.sarif
  portcullis runtime --compose compose.yaml --compose compose.prod.yaml --profile debug
  portcullis runtime --k8s deploy/ -f junit=runtime.xml -t error
  portcullis runtime --k8s deploy/ --benchmark pss-restricted
  portcullis runtime --host tcp://build-host:2376 --benchmark cis-1.7 -f json";

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct RuntimeArgs {
    /// A Compose file of the project to check; repeat in `docker compose -f` order (later
    /// files override earlier ones).
    #[arg(long = "compose", value_name = "FILE")]
    pub compose_files: Vec<PathBuf>,

    /// Activate a Compose profile (repeatable; `*` for all). Default: COMPOSE_PROFILES.
    #[arg(long = "profile", value_name = "NAME", requires = "compose_files")]
    pub profiles: Vec<String>,

    /// The Compose env file. Default: `.env` next to the first Compose file.
    #[arg(long, value_name = "FILE", requires = "compose_files")]
    pub env_file: Option<PathBuf>,

    /// A Kubernetes manifest, or a directory searched for *.yaml and *.yml. Repeatable.
    #[arg(long = "k8s", value_name = "PATH")]
    pub manifests: Vec<PathBuf>,

    /// Check the engine too when --compose or --k8s is given.
    #[arg(long)]
    pub engine: bool,

    /// The engine to check: unix:///path.sock, tcp://host:port (TLS with DOCKER_TLS_VERIFY
    /// and DOCKER_CERT_PATH). Default: DOCKER_HOST, the Docker context, the default socket.
    #[arg(short = 'H', long, value_name = "HOST")]
    pub host: Option<String>,

    /// A Docker context (`docker context ls`) naming the engine.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,

    /// Only this container (name or ID prefix); repeatable. Stopped ones are found too.
    #[arg(long = "container", value_name = "NAME")]
    pub containers: Vec<String>,

    /// Check stopped containers too, not only running ones.
    #[arg(short, long)]
    pub all: bool,

    /// Only containers with this label: `label=KEY` or `label=KEY=VALUE`, as `docker ps
    /// --filter` takes it. Repeatable; all must match.
    #[arg(long = "filter", value_name = "label=KEY[=VALUE]", value_parser = parse_label_filter)]
    pub label_filters: Vec<String>,

    /// The daemon's daemon.json, for settings the Engine API does not show (iptables,
    /// userland-proxy, default-ulimits…). Alone, it is checked without an engine. Default:
    /// the engine's own file when it runs here and is readable.
    #[arg(long, value_name = "FILE")]
    pub daemon_config: Option<PathBuf>,

    /// Run only the rules that implement a recommendation of this standard: a CIS Docker
    /// Benchmark version, or a Pod Security Standards profile (restricted includes baseline).
    /// Each rule's tags name its sections and controls.
    #[arg(long, value_enum, value_name = "STANDARD")]
    pub benchmark: Option<BenchmarkArg>,

    /// Seconds to wait for each answer of the engine.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub timeout: u64,

    /// Report format, optionally with a file: `text`, `json`, `sarif`, `junit`, or
    /// `FMT=PATH`. Repeat to write several reports in one run. Default: text to stdout.
    #[arg(short, long = "format", value_name = "FMT[=PATH]")]
    pub formats: Vec<OutputSpec>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// When to use colour in the text report. `auto` means: stdout is a terminal and
    /// NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BenchmarkArg {
    #[value(name = "cis-1.6")]
    Cis16,
    #[value(name = "cis-1.7")]
    Cis17,
    #[value(name = "pss-baseline")]
    PssBaseline,
    #[value(name = "pss-restricted")]
    PssRestricted,
}

impl From<BenchmarkArg> for Benchmark {
    fn from(arg: BenchmarkArg) -> Self {
        match arg {
            BenchmarkArg::Cis16 => Benchmark::Cis16,
            BenchmarkArg::Cis17 => Benchmark::Cis17,
            BenchmarkArg::PssBaseline => Benchmark::PssBaseline,
            BenchmarkArg::PssRestricted => Benchmark::PssRestricted,
        }
    }
}

fn parse_label_filter(text: &str) -> Result<String, String> {
    match text.split_once('=') {
        Some(("label", label)) if !label.is_empty() => Ok(label.to_owned()),
        _ => Err(format!(
            "`{text}` is not a label filter: write label=KEY or label=KEY=VALUE"
        )),
    }
}

impl RuntimeArgs {
    /// Whether the engine is checked: when no file is given, or when asked for.
    fn checks_engine(&self) -> bool {
        let files = !self.compose_files.is_empty() || !self.manifests.is_empty();
        let daemon_file_alone = self.daemon_config.is_some() && !files;
        let engine_options = self.engine
            || self.host.is_some()
            || self.context.is_some()
            || !self.containers.is_empty()
            || !self.label_filters.is_empty()
            || self.all;
        engine_options || (!files && !daemon_file_alone)
    }
}

pub fn run(args: RuntimeArgs) -> anyhow::Result<Outcome> {
    let started_at = std::time::SystemTime::now();
    let mut errors: Vec<String> = Vec::new();
    let root = args
        .compose_files
        .first()
        .or(args.manifests.first())
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let config = args.policy.load(&root, Overrides::default(), &mut errors);
    let compose = (!args.compose_files.is_empty()).then(|| ComposeRequest {
        files: args.compose_files.clone(),
        profiles: args.profiles.clone(),
        env_file: args.env_file.clone(),
    });
    let request = Request {
        compose: compose.into_iter().collect(),
        manifests: args.manifests.clone(),
        engine: args.checks_engine().then(|| EngineRequest {
            connect: ConnectOptions {
                host: args.host.clone(),
                context: args.context.clone(),
                timeout: Duration::from_secs(args.timeout.max(1)),
            },
            all: args.all,
            labels: args.label_filters.clone(),
            containers: args.containers.clone(),
        }),
        daemon_config: args.daemon_config.clone(),
        benchmark: args.benchmark.map(Benchmark::from),
    };
    let progress = output::spinner();
    let evaluation = evaluate::evaluate(&request, &|what| progress.set_message(what.to_owned()));
    progress.finish_and_clear();
    for warning in &evaluation.warnings {
        eprintln!("portcullis: warning: {warning}");
    }
    errors.extend(evaluation.errors);

    let mut run = evaluation.run;
    apply_policy(&mut run, &config);
    Ok(output::finish_rule_run(
        run,
        errors,
        &config,
        started_at,
        &args.formats,
        args.color,
    ))
}

/// Rules turned off and severities overridden by the configuration, on a runtime or image run
/// (the Dockerfile linter applies them itself, with inline suppressions).
pub(crate) fn apply_policy(run: &mut EngineRun, config: &Config) {
    run.findings = config.apply(std::mem::take(&mut run.findings));
    for target in &mut run.targets {
        target.rules.retain(|rule| config.is_enabled(rule));
    }
}
