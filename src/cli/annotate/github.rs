//! `portcullis annotate github`: flags, the GitHub Actions environment, and the call into
//! `crate::annotate::github`.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use crate::annotate::github::{self, Console, Settings};
use crate::annotate::report::ReportFile;
use crate::cli::Outcome;

#[derive(Debug, Args)]
#[command(after_help = "\
Without a token, or with --workflow-commands, findings are printed as workflow commands, which \
GitHub Actions turns into annotations. With one, a check run carries them (`checks: write`), the \
pull request gets one summary comment, edited on every run (`pull-requests: write`), and \
--upload-sarif sends SARIF to code scanning (`security-events: write`). The Markdown summary is \
also appended to $GITHUB_STEP_SUMMARY when set. Failing to post is a warning: the exit code is \
0 unless the report cannot be read (2).")]
pub struct GithubArgs {
    /// The JSON report of the run to annotate (`-f json=PATH`).
    #[arg(long, value_name = "FILE")]
    pub report: PathBuf,
    /// Markdown for the summary comment, the check run and the job summary (`-f
    /// markdown=PATH`). Default: a table of counts by severity.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// GitHub token. Without one, workflow commands and the job summary are written instead.
    #[arg(
        long,
        env = "GITHUB_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// The repository, OWNER/NAME.
    #[arg(long, env = "GITHUB_REPOSITORY", value_name = "OWNER/NAME", value_parser = github::parse_repository)]
    pub repository: Option<String>,
    /// The commit to attach the check run to. Default: the pull request's head commit from
    /// $GITHUB_EVENT_PATH, else $GITHUB_SHA.
    #[arg(long, value_name = "SHA")]
    pub sha: Option<String>,
    /// The pull request to annotate. Default: the one $GITHUB_EVENT_PATH is about.
    #[arg(long, value_name = "N")]
    pub pull_request: Option<u64>,
    /// The GitHub API (GitHub Enterprise Server: https://HOST/api/v3).
    #[arg(
        long,
        env = "GITHUB_API_URL",
        default_value = "https://api.github.com",
        value_name = "URL",
        value_parser = parse_api_url
    )]
    pub api_url: String,
    /// The check run's name.
    #[arg(long, default_value = "portcullis", value_name = "NAME")]
    pub check_name: String,
    /// At most this many annotations; the rest are listed in the check run's text.
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub max_annotations: usize,
    /// Annotate only lines the pull request changes (the default on pull requests);
    /// `--changed-only=false` annotates every finding.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub changed_only: Option<bool>,
    /// Upload this SARIF file to code scanning, for --ref ($GITHUB_REF).
    #[arg(long, value_name = "FILE")]
    pub upload_sarif: Option<PathBuf>,
    /// The ref the SARIF upload is for.
    #[arg(long = "ref", env = "GITHUB_REF", value_name = "REF")]
    pub git_ref: Option<String>,
    /// Print workflow commands even when a token is available.
    #[arg(long)]
    pub workflow_commands: bool,
}

fn parse_api_url(text: &str) -> Result<String, String> {
    match text.parse::<http::Uri>() {
        Ok(uri) if matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some() => {
            Ok(text.trim_end_matches('/').to_owned())
        }
        _ => Err(format!(
            "`{text}` is not an API URL: expected https://api.github.com or https://HOST/api/v3"
        )),
    }
}

fn warn(text: String) {
    eprintln!("portcullis: warning: {text}");
}

/// A variable of the GitHub Actions environment, unset when empty.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

pub fn run(args: GithubArgs) -> anyhow::Result<Outcome> {
    let report = ReportFile::load(&args.report)?;
    let summary = match &args.markdown {
        None => crate::annotate::summary::counts_summary(&report),
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                warn(format!(
                    "{}: cannot read the Markdown summary ({e}): posting a table of counts \
                     instead; write it with `-f markdown=PATH`",
                    path.display()
                ));
                crate::annotate::summary::counts_summary(&report)
            }
        },
    };
    let event = match env("GITHUB_EVENT_PATH") {
        Some(path) => github::pull_request_event(path.as_ref()).unwrap_or_else(|problem| {
            warn(format!("{problem}: pass --pull-request and --sha instead"));
            None
        }),
        None => None,
    };
    let token = args.token.filter(|t| !t.trim().is_empty());
    let sha = args
        .sha
        .or_else(|| event.as_ref().and_then(|e| e.head_sha.clone()))
        .or_else(|| env("GITHUB_SHA"));
    let pull_request = args.pull_request.or(event.as_ref().map(|e| e.number));
    if token.is_some() && !args.workflow_commands {
        // Without these the check run and the comment cannot be addressed: a usage error.
        if args.repository.is_none() {
            anyhow::bail!(
                "a token was given but no repository: pass --repository OWNER/NAME or set \
                 GITHUB_REPOSITORY (GitHub Actions sets it)"
            );
        }
        if sha.is_none() {
            anyhow::bail!(
                "a token was given but no commit for the check run: pass --sha or set \
                 GITHUB_SHA (GitHub Actions sets it)"
            );
        }
    }
    let settings = Settings {
        api_url: args.api_url,
        token,
        repository: args.repository,
        sha,
        pull_request,
        git_ref: args.git_ref.filter(|r| !r.trim().is_empty()),
        analysed_sha: env("GITHUB_SHA"),
        check_name: args.check_name,
        max_annotations: args.max_annotations,
        changed_only: args.changed_only,
        upload_sarif: args.upload_sarif,
        workflow_commands: args.workflow_commands,
        step_summary: env("GITHUB_STEP_SUMMARY").map(PathBuf::from),
        patience: github::Patience::default(),
    };
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    github::annotate(
        &report,
        &summary,
        &settings,
        &mut Console {
            out: &mut stdout,
            err: &mut stderr,
        },
    )
    .context("cannot write to the console")?;
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_urls() {
        assert_eq!(
            parse_api_url("https://ghe.example.com/api/v3/").unwrap(),
            "https://ghe.example.com/api/v3"
        );
        assert!(parse_api_url("api.github.com").is_err());
        assert!(parse_api_url("ftp://x").is_err());
    }
}
