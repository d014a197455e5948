//! `annotate gitlab`: one summary note per merge request, kept up to date, and a discussion on
//! each changed line that has a finding.
//!
//! Everything here is best effort: the reports were written before, so a refused or failed
//! request becomes a warning that says what to fix, never a failed job.

use std::time::Duration;

use reqwest::Method;

use crate::annotate::report::ReportFile;
use crate::annotate::summary::{is_summary, with_marker};
use crate::http::RetryPolicy;

mod api;
mod discussions;

pub use api::Target;
pub use discussions::Posted;

#[derive(Debug, Clone)]
pub struct Options {
    /// Open line discussions (`--no-discussions` turns them off).
    pub discussions: bool,
    /// At most this many new discussions per run.
    pub max_discussions: usize,
    pub retry: RetryPolicy,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            discussions: true,
            max_discussions: 50,
            // A job waits a minute at most for GitLab's rate limit, then gives up on annotating.
            retry: RetryPolicy {
                max_attempts: 4,
                initial_backoff: Duration::from_millis(500),
                max_backoff: Duration::from_secs(8),
                max_total: Duration::from_secs(60),
            },
        }
    }
}

/// How the summary note was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteAction {
    Created,
    Updated,
}

/// What a run did, and what it could not do (each warning says what to fix).
#[derive(Debug, Default)]
pub struct Done {
    pub note: Option<NoteAction>,
    /// `None` when discussions were off, or the merge request's diff could not be read.
    pub discussions: Option<Posted>,
    pub warnings: Vec<String>,
}

/// Posts `summary` (Markdown, given the summary marker first when it lacks one) as the merge
/// request's summary note, and the report's findings on changed lines as discussions.
pub fn annotate(report: &ReportFile, summary: &str, target: &Target, options: &Options) -> Done {
    let mut done = Done::default();
    let api = match api::Api::new(target, options.retry.clone()) {
        Ok(api) => api,
        Err(problem) => {
            done.warnings.push(problem);
            return done;
        }
    };
    if options.discussions {
        let (posted, error) =
            discussions::post(&api, &report.annotations(), options.max_discussions);
        // Counts are worth saying only when the changed lines could be read.
        if error.is_none() || posted.on_changed_lines > 0 {
            done.discussions = Some(posted);
        }
        if let Some(error) = error {
            done.warnings
                .push(format!("could not open line discussions: {error}"));
        }
    }
    let body = note_body(summary, done.discussions.as_ref());
    match upsert_note(&api, &body) {
        Ok(action) => done.note = Some(action),
        Err(error) => done
            .warnings
            .push(format!("could not write the summary note: {error}")),
    }
    done
}

/// Updates the note an earlier run left (the one starting with the summary marker, as GitHub's
/// comment does), or creates it.
fn upsert_note(api: &api::Api, body: &str) -> Result<NoteAction, api::ApiError> {
    let notes: Vec<api::Note> = api.list("notes")?;
    let ours = notes.iter().find(|n| !n.system && is_summary(&n.body));
    match ours {
        Some(note) => {
            let route = format!("notes/{}", note.id);
            api.call::<api::Note>(Method::PUT, &route, &[("body", body)])?;
            Ok(NoteAction::Updated)
        }
        None => {
            api.call::<api::Note>(Method::POST, "notes", &[("body", body)])?;
            Ok(NoteAction::Created)
        }
    }
}

/// The summary with its marker first, and what happened to the line discussions last. (The
/// `markdown` report stays far below GitLab's note limit of a million characters.)
fn note_body(summary: &str, posted: Option<&Posted>) -> String {
    let mut body = with_marker(summary.trim_end());
    if let Some(p) = posted.filter(|p| p.on_changed_lines > 0) {
        let mut line = format!(
            "\n\n---\n{} finding{} on lines this merge request changed: {} opened as \
             discussions now",
            p.on_changed_lines,
            if p.on_changed_lines == 1 { "" } else { "s" },
            p.posted,
        );
        if p.already_posted > 0 {
            line.push_str(&format!(", {} opened by an earlier run", p.already_posted));
        }
        if p.beyond_cap > 0 {
            line.push_str(&format!(
                ", {} more only in the job's reports (the limit is `--max-discussions`)",
                p.beyond_cap
            ));
        }
        body.push_str(&line);
        body.push('.');
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::summary::MARKER;

    #[test]
    fn the_marker_comes_first_once() {
        let body = note_body("# Result\n\nclean\n", None);
        assert!(body.starts_with(MARKER));
        let own = format!("{MARKER}\n# Result");
        assert_eq!(note_body(&own, None).matches(MARKER).count(), 1);
    }

    #[test]
    fn the_footer_says_what_became_of_changed_lines() {
        let posted = Posted {
            on_changed_lines: 7,
            posted: 3,
            already_posted: 2,
            beyond_cap: 2,
        };
        let body = note_body("x", Some(&posted));
        assert!(
            body.ends_with(
                "7 findings on lines this merge request changed: 3 opened as discussions now, \
                 2 opened by an earlier run, 2 more only in the job's reports (the limit is \
                 `--max-discussions`)."
            ),
            "{body}"
        );
        let none = Posted::default();
        assert!(!note_body("x", Some(&none)).contains("---"));
    }
}
