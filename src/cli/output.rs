//! What every command shares about output: writing the requested reports, colour, progress.

use std::io::{IsTerminal, Write};

use clap::ValueEnum;

use std::time::SystemTime;

use super::Outcome;
use crate::config::Config;
use crate::finding::{EngineRun, Report};
use crate::report::{self, Format, OutputSpec, RenderOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Ends a command whose findings come from rules (`lint`, `runtime`): the configuration's
/// threshold decides whether they fail the run, errors make it incomplete, and every requested
/// report is written.
pub fn finish_rule_run(
    run: EngineRun,
    errors: Vec<String>,
    config: &Config,
    started_at: SystemTime,
    specs: &[OutputSpec],
    color: ColorChoice,
) -> Outcome {
    let failing = run.findings.iter().any(|f| config.fails_on(f.severity));
    let outcome = Outcome::of(!errors.is_empty(), failing);
    let mut report = Report {
        runs: vec![run],
        exit_code: outcome.exit_code(),
        errors,
        command_line: command_line(),
        failure_threshold: config.failure_threshold(),
        images: Vec::new(),
        started_at: Some(started_at),
    };
    write_reports(specs, color, &mut report, outcome)
}

/// Writes every requested report; a report that cannot be written makes the run incomplete
/// but does not stop the others.
pub fn write_reports(
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

/// A spinner with a message on standard error, for work of unknown length; hidden when
/// stderr is not a terminal.
pub fn spinner() -> indicatif::ProgressBar {
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner
}

/// A progress bar on standard error for long runs; hidden when stderr is not a terminal
/// (indicatif checks) and for runs too short to need one.
pub fn progress_bar(total: usize) -> indicatif::ProgressBar {
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

pub fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}
