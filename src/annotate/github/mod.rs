//! `portcullis annotate github`: a finished run's JSON report on a GitHub pull request.
//!
//! With a token: a check run whose annotations sit on the lines the pull request changed
//! ([`checks`]), one summary comment kept up to date ([`comment`]), and optionally the SARIF file
//! uploaded to code scanning ([`sarif`]). Without one — or when the token may not write, as on a
//! pull request from a fork — workflow commands and the job summary ([`workflow`]), which need
//! no permission at all. Failing to post is reported as a warning, never as a failed job: the
//! reports were written before annotating started.

mod api;
mod checks;
mod comment;
mod pulls;
mod sarif;
mod workflow;

use crate::annotate::summary::{title, with_marker};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

pub use api::Patience;
pub use pulls::{changed_lines_of, PullFile};
pub use workflow::{command as workflow_command, escape_data, escape_property};

use crate::annotate::report::{Annotation, ReportFile};
use crate::diff::ChangedLines;

/// GitHub's limit on a check run's summary and text, and on a comment body (65,536).
const SUMMARY_LIMIT: usize = 65_535;

/// Everything `annotate github` needs besides the report.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server.
    pub api_url: String,
    pub token: Option<String>,
    /// `owner/name`.
    pub repository: Option<String>,
    /// The commit the check run is attached to: a pull request's head.
    pub sha: Option<String>,
    pub pull_request: Option<u64>,
    /// The ref the SARIF upload is for (`refs/pull/N/merge`, `refs/heads/main`).
    pub git_ref: Option<String>,
    /// The commit that was analysed (`GITHUB_SHA`: on a pull request, the merge commit its ref
    /// points to); the SARIF upload's `commit_sha`. Falls back to `sha`.
    pub analysed_sha: Option<String>,
    pub check_name: String,
    pub max_annotations: usize,
    /// `None`: only changed lines when there is a pull request.
    pub changed_only: Option<bool>,
    pub upload_sarif: Option<PathBuf>,
    /// Workflow commands even with a token.
    pub workflow_commands: bool,
    /// `$GITHUB_STEP_SUMMARY`.
    pub step_summary: Option<PathBuf>,
    pub patience: Patience,
}

/// The pull request an event payload (`$GITHUB_EVENT_PATH`) is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequestEvent {
    pub number: u64,
    pub head_sha: Option<String>,
}

/// Reads `pull_request.number` and `pull_request.head.sha` of an event payload; `None` for
/// events that are not about a pull request (push, schedule).
pub fn pull_request_event(path: &Path) -> Result<Option<PullRequestEvent>, String> {
    let text = std::fs::read(path)
        .map_err(|e| format!("{}: cannot read the event payload: {e}", path.display()))?;
    let event: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|e| format!("{}: not a JSON event payload: {e}", path.display()))?;
    let Some(pull) = event.get("pull_request") else {
        return Ok(None);
    };
    let number = pull
        .get("number")
        .and_then(|n| n.as_u64())
        .ok_or_else(|| format!("{}: `pull_request.number` is missing", path.display()))?;
    let head_sha = pull
        .pointer("/head/sha")
        .and_then(|s| s.as_str())
        .map(str::to_owned);
    Ok(Some(PullRequestEvent { number, head_sha }))
}

/// `owner/name`, checked.
pub fn parse_repository(text: &str) -> Result<String, String> {
    match text.split_once('/') {
        Some((owner, name))
            if !owner.is_empty()
                && !name.is_empty()
                && !name.contains('/')
                && !text.contains(char::is_whitespace) =>
        {
            Ok(text.to_owned())
        }
        _ => Err(format!(
            "`{text}` is not a repository: expected OWNER/NAME, as in GITHUB_REPOSITORY"
        )),
    }
}

/// A report path as GitHub names files: relative, `/`-separated, without `./`.
fn repo_path(path: &Path) -> String {
    if path.is_absolute() {
        return path.to_string_lossy().into_owned();
    }
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `text` cut to `limit` characters, saying so.
fn truncate(text: &str, limit: usize) -> String {
    const NOTE: &str = "\n\n… (cut to GitHub's size limit: the reports have everything)";
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let keep = limit.saturating_sub(NOTE.chars().count());
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(NOTE);
    cut
}

/// The check run's text: what it does not annotate.
fn unannotated_text(over_cap: &[Annotation], outside: usize, cap: usize) -> Option<String> {
    let mut text = String::new();
    if outside > 0 {
        text.push_str(&format!(
            "{outside} finding{} outside the lines this pull request changes {} not annotated; \
             the summary counts them and the reports list them.\n\n",
            if outside == 1 { "" } else { "s" },
            if outside == 1 { "is" } else { "are" },
        ));
    }
    if !over_cap.is_empty() {
        text.push_str(&format!(
            "{} more finding{} beyond the first {cap} (`--max-annotations`):\n\n",
            over_cap.len(),
            if over_cap.len() == 1 { "" } else { "s" }
        ));
        for a in over_cap {
            let message = a.message.replace(['\r', '\n'], " ");
            text.push_str(&format!(
                "- **{}** `{}:{}` {}: {message}\n",
                a.severity,
                repo_path(&a.path),
                a.start_line,
                a.title
            ));
        }
    }
    (!text.is_empty()).then_some(text)
}

/// Where messages go: workflow commands to `out`, notes and warnings to `err`.
pub struct Console<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

impl Console<'_> {
    fn note(&mut self, text: &str) {
        let _ = writeln!(self.err, "portcullis: {text}");
    }

    fn warn(&mut self, text: &str) {
        let _ = writeln!(self.err, "portcullis: warning: {text}");
    }
}

const CHECKS_HINT: &str = "give the workflow `permissions: checks: write` (a pull request from \
     a fork only gets a read-only token)";
const COMMENT_HINT: &str = "give the workflow `permissions: pull-requests: write` (a pull request \
     from a fork only gets a read-only token: the job summary has the same text)";
const SARIF_HINT: &str = "give the workflow `permissions: security-events: write`, and check \
     that code scanning is available for the repository";
const FILES_HINT: &str = "give the workflow `permissions: pull-requests: read`";

/// Posts `report` as `settings` say, with `summary` (Markdown) as the comment and the check
/// run's summary. Every failure to post is a warning on `console.err`; only writing to the
/// console itself can fail.
pub fn annotate(
    report: &ReportFile,
    summary: &str,
    settings: &Settings,
    console: &mut Console,
) -> std::io::Result<()> {
    let summary = with_marker(summary);
    // The check run needs where and on which commit; the CLI refuses a token without them.
    let use_api = settings.token.is_some()
        && !settings.workflow_commands
        && settings.repository.is_some()
        && settings.sha.is_some();
    let changed_only = settings
        .changed_only
        .unwrap_or(settings.pull_request.is_some());
    let reads_files =
        changed_only && settings.pull_request.is_some() && settings.repository.is_some();
    let uploads = settings.upload_sarif.is_some() && settings.token.is_some();
    if settings.changed_only == Some(true) && settings.pull_request.is_none() {
        console.warn(
            "--changed-only needs a pull request (--pull-request N, read from the event on \
             pull_request workflows): annotating every finding",
        );
    }
    if let (Some(path), None) = (&settings.upload_sarif, &settings.token) {
        console.warn(&format!(
            "{} was not uploaded: --upload-sarif needs a token (--token or GITHUB_TOKEN) that \
             may write security events; {SARIF_HINT}",
            path.display()
        ));
    }
    if use_api || reads_files || uploads {
        let runtime = crate::http::runtime("portcullis-github")?;
        runtime.block_on(async {
            let api = api::Api::new(
                &settings.api_url,
                settings.token.as_deref(),
                settings.patience.clone(),
            );
            match api {
                Ok(api) => {
                    let mode = Mode {
                        use_api,
                        changed_only,
                    };
                    post(report, &summary, settings, mode, &api, console).await
                }
                Err(problem) => {
                    console.warn(&format!("nothing was posted: {problem}"));
                    emit_workflow_commands(report, None, settings, console)
                }
            }
        })?;
    } else {
        emit_workflow_commands(report, None, settings, console)?;
    }
    if let Some(path) = &settings.step_summary {
        if let Err(e) = workflow::append_summary(path, &summary) {
            console.warn(&format!(
                "{}: cannot append to the job summary ($GITHUB_STEP_SUMMARY): {e}",
                path.display()
            ));
        }
    }
    Ok(())
}

/// The annotations to post: on changed lines when those are known, most severe first, capped.
struct Selection {
    shown: Vec<Annotation>,
    over_cap: Vec<Annotation>,
    outside: usize,
}

fn select(report: &ReportFile, changed: Option<&ChangedLines>, cap: usize) -> Selection {
    let all = report.annotations();
    let total = all.len();
    let mut shown: Vec<Annotation> = match changed {
        Some(changed) => all
            .into_iter()
            .filter(|a| changed.touches(&a.path, a.start_line, a.end_line))
            .collect(),
        None => all,
    };
    let outside = total - shown.len();
    let over_cap = shown.split_off(cap.min(shown.len()));
    Selection {
        shown,
        over_cap,
        outside,
    }
}

/// What `annotate` settled on.
#[derive(Clone, Copy)]
struct Mode {
    /// A check run and a comment, rather than workflow commands.
    use_api: bool,
    changed_only: bool,
}

async fn post(
    report: &ReportFile,
    summary: &str,
    settings: &Settings,
    mode: Mode,
    api: &api::Api,
    console: &mut Console<'_>,
) -> std::io::Result<()> {
    let changed = match (
        mode.changed_only,
        settings.pull_request,
        &settings.repository,
    ) {
        (true, Some(number), Some(repository)) => {
            match pulls::changed_lines(api, repository, number).await {
                Ok(changed) => Some(changed),
                Err(e) => {
                    console.warn(&format!(
                        "cannot read which lines pull request #{number} changes ({e}): \
                         annotating every finding; {}",
                        e.advice(FILES_HINT)
                    ));
                    None
                }
            }
        }
        _ => None,
    };
    let target = match (
        mode.use_api,
        settings.repository.as_deref(),
        settings.sha.as_deref(),
    ) {
        (true, Some(repository), Some(sha)) => Some((repository, sha)),
        _ => None,
    };
    let mut check_run_url = None;
    if let Some((repository, head_sha)) = target {
        let selection = select(report, changed.as_ref(), settings.max_annotations);
        let content = checks::CheckRunContent {
            name: settings.check_name.clone(),
            head_sha: head_sha.to_owned(),
            conclusion: checks::conclusion(report.exit_code),
            title: title(report),
            summary: summary.to_owned(),
            text: unannotated_text(
                &selection.over_cap,
                selection.outside,
                settings.max_annotations,
            ),
        };
        match checks::publish(api, repository, &content, &selection.shown).await {
            Ok(published) => {
                console.note(&format!(
                    "check run `{}` created with {} annotation{}{}",
                    settings.check_name,
                    published.annotated,
                    if published.annotated == 1 { "" } else { "s" },
                    published
                        .html_url
                        .as_deref()
                        .map(|u| format!(": {u}"))
                        .unwrap_or_default()
                ));
                if let Some(e) = published.incomplete {
                    console.warn(&format!(
                        "the check run has {} of {} annotations: {e}",
                        published.annotated,
                        selection.shown.len()
                    ));
                }
                check_run_url = published.html_url;
            }
            // The findings are still shown on the run, whatever went wrong.
            Err(e) => {
                console.warn(&format!(
                    "could not create the check run: {e}; {}; the findings are shown with \
                     workflow commands instead",
                    e.advice(CHECKS_HINT)
                ));
                emit_workflow_commands(report, changed.as_ref(), settings, console)?;
            }
        }
        if let Some(number) = settings.pull_request {
            let mut body = summary.to_owned();
            if let Some(url) = &check_run_url {
                body.push_str(&format!(
                    "\n\nAnnotations on the changed lines: the [{}]({url}) check run.\n",
                    settings.check_name
                ));
            }
            match comment::upsert(api, repository, number, &body).await {
                Ok(comment::Posted::Created(url)) => console.note(&format!(
                    "summary comment created on pull request #{number}{}",
                    url.map(|u| format!(": {u}")).unwrap_or_default()
                )),
                Ok(comment::Posted::Updated(url)) => console.note(&format!(
                    "summary comment updated on pull request #{number}{}",
                    url.map(|u| format!(": {u}")).unwrap_or_default()
                )),
                Err(e) => console.warn(&format!(
                    "could not post the summary comment: {e}; {}",
                    e.advice(COMMENT_HINT)
                )),
            }
        }
    } else {
        emit_workflow_commands(report, changed.as_ref(), settings, console)?;
    }
    if let (Some(path), Some(_)) = (&settings.upload_sarif, &settings.token) {
        upload_sarif(path, settings, api, console).await;
    }
    Ok(())
}

fn emit_workflow_commands(
    report: &ReportFile,
    changed: Option<&ChangedLines>,
    settings: &Settings,
    console: &mut Console,
) -> std::io::Result<()> {
    let selection = select(report, changed, settings.max_annotations);
    for a in &selection.shown {
        writeln!(console.out, "{}", workflow::command(a))?;
    }
    let mut left = Vec::new();
    if selection.outside > 0 {
        left.push(format!("{} outside the changed lines", selection.outside));
    }
    if !selection.over_cap.is_empty() {
        left.push(format!(
            "{} beyond --max-annotations {}",
            selection.over_cap.len(),
            settings.max_annotations
        ));
    }
    let extra = if left.is_empty() {
        String::new()
    } else {
        format!(
            " (not annotated: {}; the summary counts them)",
            left.join(", ")
        )
    };
    console.note(&format!(
        "{} annotation{} as workflow commands{extra}",
        selection.shown.len(),
        if selection.shown.len() == 1 { "" } else { "s" }
    ));
    Ok(())
}

async fn upload_sarif(path: &Path, settings: &Settings, api: &api::Api, console: &mut Console<'_>) {
    let (Some(repository), Some(commit), Some(git_ref)) = (
        settings.repository.as_deref(),
        settings.analysed_sha.as_deref().or(settings.sha.as_deref()),
        settings.git_ref.as_deref(),
    ) else {
        console.warn(&format!(
            "{} was not uploaded: code scanning needs the repository, the commit and the ref \
             (--repository, --sha, --ref; GITHUB_REPOSITORY, GITHUB_SHA and GITHUB_REF in \
             GitHub Actions)",
            path.display()
        ));
        return;
    };
    let sarif = match std::fs::read(path) {
        Ok(sarif) => sarif,
        Err(e) => {
            console.warn(&format!(
                "{}: cannot read the SARIF file to upload: {e}; write it with `-f sarif=PATH`",
                path.display()
            ));
            return;
        }
    };
    match sarif::upload(api, repository, commit, git_ref, &sarif, path).await {
        Ok(id) => console.note(&format!(
            "{} uploaded to code scanning (upload {id})",
            path.display()
        )),
        Err(e) => console.warn(&format!(
            "could not upload SARIF: {e}; {}",
            e.advice(SARIF_HINT)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::report::read;
    use crate::report::fixture::test_fixture;

    #[test]
    fn event_payloads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("event.json");
        std::fs::write(
            &path,
            r#"{"action":"synchronize","number":7,"pull_request":{"number":7,"head":{"sha":"abc"}}}"#,
        )
        .unwrap();
        assert_eq!(
            pull_request_event(&path).unwrap(),
            Some(PullRequestEvent {
                number: 7,
                head_sha: Some("abc".into())
            })
        );
        std::fs::write(&path, r#"{"ref":"refs/heads/main","after":"abc"}"#).unwrap();
        assert_eq!(pull_request_event(&path).unwrap(), None);
        std::fs::write(&path, "not json").unwrap();
        assert!(pull_request_event(&path)
            .unwrap_err()
            .contains("not a JSON event payload"));
    }

    #[test]
    fn repositories_and_paths() {
        assert_eq!(parse_repository("o/r").unwrap(), "o/r");
        for bad in ["o", "o/", "/r", "o/r/x", "o /r"] {
            assert!(parse_repository(bad).is_err(), "{bad}");
        }
        assert_eq!(repo_path(Path::new("./a/./Dockerfile")), "a/Dockerfile");
        assert_eq!(repo_path(Path::new("../up/Dockerfile")), "../up/Dockerfile");
    }

    #[test]
    fn long_text_is_cut_within_the_limit() {
        let text = "é".repeat(70_000);
        let cut = truncate(&text, SUMMARY_LIMIT);
        assert_eq!(cut.chars().count(), SUMMARY_LIMIT);
        assert!(cut.ends_with("the reports have everything)"));
        assert_eq!(truncate("short", SUMMARY_LIMIT), "short");
    }

    #[test]
    fn selection_keeps_changed_lines_and_caps() {
        let report = read(&test_fixture());
        let all = report.annotations();
        let first = &all[0];
        let diff = format!(
            "+++ b/{}\n@@ -0,0 +{},1 @@\n+added\n",
            repo_path(&first.path),
            first.start_line
        );
        let changed = ChangedLines::parse(&diff);
        let selection = select(&report, Some(&changed), 500);
        assert!(!selection.shown.is_empty());
        assert!(selection.shown.iter().all(|a| a.path == first.path
            && a.start_line <= first.start_line
            && first.start_line <= a.end_line));
        assert_eq!(selection.outside, all.len() - selection.shown.len());
        let capped = select(&report, None, 1);
        assert_eq!(
            (capped.shown.len(), capped.over_cap.len()),
            (1, all.len() - 1)
        );
        let text = unannotated_text(&capped.over_cap, 2, 1).unwrap();
        assert!(text.contains("2 findings outside"), "{text}");
        assert!(text.contains("beyond the first 1"), "{text}");
    }
}
