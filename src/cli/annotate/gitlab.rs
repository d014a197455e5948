//! `portcullis annotate gitlab`: flags, where they default from in a GitLab CI job, and what is
//! said on standard error. Exits 0 whatever became of the posting (the reports were already
//! written); 2 only when the report or the summary cannot be read.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use crate::annotate::gitlab::{self, NoteAction, Options, Target};
use crate::annotate::report::ReportFile;
use crate::cli::Outcome;

#[derive(Debug, Args)]
pub struct GitlabArgs {
    /// The JSON report of the run to annotate (`-f json=PATH`).
    #[arg(long, value_name = "FILE")]
    pub report: PathBuf,
    /// The Markdown summary (`-f markdown=PATH`) to post as the merge-request note; without
    /// it, the note holds counts by severity.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// A project or group access token (or a bot user's personal one) with the `api` scope and
    /// at least the Developer role [env: PORTCULLIS_GITLAB_TOKEN, then GITLAB_TOKEN]. The job's
    /// own CI_JOB_TOKEN cannot write notes.
    #[arg(long, value_name = "TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The GitLab API root.
    #[arg(
        long,
        value_name = "URL",
        env = "CI_API_V4_URL",
        default_value = "https://gitlab.com/api/v4"
    )]
    pub api_url: String,
    /// The project: its numeric id or its `group/project` path.
    #[arg(long, value_name = "ID", env = "CI_PROJECT_ID")]
    pub project: Option<String>,
    /// The merge request's iid (the `!N` number); nothing is posted without one.
    // Text, so that an empty CI_MERGE_REQUEST_IID reads as "no merge request", not a bad flag.
    #[arg(long, value_name = "IID", env = "CI_MERGE_REQUEST_IID")]
    pub merge_request: Option<String>,
    /// At most this many new line discussions per run; the summary note counts the rest.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub max_discussions: usize,
    /// Only the summary note, no line discussions.
    #[arg(long)]
    pub no_discussions: bool,
}

/// Where the token may come from, in order; the job token is named only to explain it.
const TOKEN_VARIABLES: [&str; 2] = ["PORTCULLIS_GITLAB_TOKEN", "GITLAB_TOKEN"];

const TOKEN_ADVICE: &str = "create a project access token with the `api` scope and the \
Developer role (Settings > Access tokens) and store it as a masked CI/CD variable \
PORTCULLIS_GITLAB_TOKEN";

pub fn run(args: GitlabArgs) -> anyhow::Result<Outcome> {
    let report = ReportFile::load(&args.report)?;
    let summary = match &args.markdown {
        Some(path) => std::fs::read_to_string(path).with_context(|| {
            format!(
                "{}: cannot read the Markdown summary (write it with `-f markdown=PATH`)",
                path.display()
            )
        })?,
        None => crate::annotate::summary::counts_summary(&report),
    };
    let merge_request = args.merge_request.filter(|iid| !iid.trim().is_empty());
    let Some(merge_request) = merge_request else {
        eprintln!(
            "portcullis: not a merge-request pipeline (no --merge-request or \
             CI_MERGE_REQUEST_IID): nothing to annotate; the reports are in the job's artifacts"
        );
        return Ok(Outcome::Clean);
    };
    let merge_request: u64 = merge_request.trim().parse().map_err(|_| {
        anyhow::anyhow!(
            "--merge-request (CI_MERGE_REQUEST_IID) `{merge_request}` is not a merge request \
             iid: give the number after `!`"
        )
    })?;
    let token = args
        .token
        .into_iter()
        .chain(
            TOKEN_VARIABLES
                .iter()
                .filter_map(|name| std::env::var(name).ok()),
        )
        .find(|token| !token.trim().is_empty());
    let job_token = std::env::var("CI_JOB_TOKEN").ok().filter(|v| !v.is_empty());
    let token = match token {
        Some(token) if job_token.as_deref() == Some(token.as_str()) => {
            warn(&format!(
                "the token given is this job's CI_JOB_TOKEN, which GitLab does not accept for \
                 merge-request notes: {TOKEN_ADVICE}"
            ));
            return Ok(Outcome::Clean);
        }
        Some(token) => token,
        None => {
            let job = if job_token.is_some() {
                " (CI_JOB_TOKEN is set, but GitLab does not let job tokens write notes)"
            } else {
                ""
            };
            warn(&format!(
                "no GitLab token: set --token, PORTCULLIS_GITLAB_TOKEN or GITLAB_TOKEN{job}; \
                 {TOKEN_ADVICE}"
            ));
            return Ok(Outcome::Clean);
        }
    };
    let Some(project) = args.project.filter(|p| !p.trim().is_empty()) else {
        warn("no project: set --project or CI_PROJECT_ID to the project's id or path");
        return Ok(Outcome::Clean);
    };
    let target = Target {
        api_url: args.api_url,
        project,
        merge_request,
        token,
    };
    let options = Options {
        discussions: !args.no_discussions,
        max_discussions: args.max_discussions,
        ..Options::default()
    };
    let done = gitlab::annotate(&report, &summary, &target, &options);
    if let Some(posted) = done.discussions {
        eprintln!(
            "portcullis: merge request !{merge_request}: {} finding(s) on changed lines, {} \
             discussion(s) opened, {} already open, {} over --max-discussions",
            posted.on_changed_lines, posted.posted, posted.already_posted, posted.beyond_cap
        );
    }
    match done.note {
        Some(NoteAction::Created) => {
            eprintln!("portcullis: merge request !{merge_request}: summary note added")
        }
        Some(NoteAction::Updated) => {
            eprintln!("portcullis: merge request !{merge_request}: summary note updated")
        }
        None => {}
    }
    for warning in &done.warnings {
        warn(warning);
    }
    Ok(Outcome::Clean)
}

/// Posting problems never fail the job: they are said, with what to do, and the job goes on.
fn warn(problem: &str) {
    eprintln!(
        "portcullis: warning: {problem} (the merge request was not fully annotated; the \
         reports are complete)"
    );
}
