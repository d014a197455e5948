//! `portcullis annotate github|gitlab`: a finished run's JSON report, posted on the pull or
//! merge request it was run for.

use clap::{Args, Subcommand};

use super::Outcome;

mod github;
mod gitlab;

#[derive(Debug, Args)]
pub struct AnnotateArgs {
    #[command(subcommand)]
    pub target: AnnotateTarget,
}

#[derive(Debug, Subcommand)]
pub enum AnnotateTarget {
    /// GitHub: a check run with annotations on the pull request's changed lines, one summary
    /// comment kept up to date, or workflow commands and the job summary without a token.
    Github(github::GithubArgs),
    /// GitLab: one merge-request note kept up to date, and discussions on changed lines.
    Gitlab(gitlab::GitlabArgs),
}

pub fn run(args: AnnotateArgs) -> anyhow::Result<Outcome> {
    match args.target {
        AnnotateTarget::Github(args) => github::run(args),
        AnnotateTarget::Gitlab(args) => gitlab::run(args),
    }
}
