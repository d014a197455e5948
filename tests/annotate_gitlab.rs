//! `portcullis annotate gitlab` against a stand-in for GitLab's API (GitLab itself cannot run
//! here): the exact requests sent, one summary note updated instead of duplicated, discussions
//! only on added lines with GitLab's position fields, nothing posted twice, the cap, rate
//! limits, and exit code 0 whatever became of the posting.
//!
//! The report is the real binary's (`portcullis lint -f json=…` over a fixture), so its shape
//! is the one CI jobs pass on.

mod common;
#[path = "common/gitlab_api.rs"]
mod gitlab_api;

use std::time::Duration;

use common::{assert_contains, exit_code, stderr, Project};
use gitlab_api::{
    deleted_file, file_diff, FakeGitlab, Fault, Request, BASE_SHA, HEAD_SHA, MR_IID, PROJECT_ID,
    PROJECT_PATH, START_SHA, TOKEN,
};
use serde_json::Value;

const MARKER: &str = "<!-- portcullis-summary -->";

/// Findings (by `portcullis lint`): line 1 PC4002 (info), line 2 PC4003 (warning) and PC4004
/// (info), line 3 PC4024 (info), line 5 PC1001 (warning).
const DOCKERFILE: &str = "FROM debian:12\nRUN apt-get update\n\
RUN apt-get install -y --no-install-recommends curl=7.88.1\n\
ADD app.tar.gz /app\nUSER root\nCMD [\"sh\"]\n";

/// The merge request renamed `Containerfile` to `Dockerfile`, replaced line 2 and added line 5;
/// lines 1, 3, 4 and 6 are context, as GitLab's diffs carry three lines of it.
const DOCKERFILE_DIFF: &str = "@@ -1,5 +1,6 @@\n FROM debian:12\n-RUN apt-get update && apt-get install -y curl\n+RUN apt-get update\n RUN apt-get install -y --no-install-recommends curl=7.88.1\n ADD app.tar.gz /app\n+USER root\n CMD [\"sh\"]\n";

/// A scratch project with the fixture, its JSON report and a Markdown summary.
struct Fixture {
    project: Project,
    report: Value,
}

impl Fixture {
    fn new() -> Fixture {
        let project = Project::new();
        project.file("Dockerfile", DOCKERFILE);
        let output = project
            .lint()
            .args(["-f", "json=report.json", "Dockerfile"])
            .output()
            .unwrap();
        assert!(exit_code(&output) <= 1, "{}", stderr(&output));
        project.file(
            "summary.md",
            &format!("{MARKER}\n## Portcullis: 5 findings\n"),
        );
        let report = common::read_json(&project.join("report.json"));
        Fixture { project, report }
    }

    /// `(code, first line, fingerprint)` of every finding of the report.
    fn findings(&self) -> Vec<(String, u64, String)> {
        self.report["runs"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"]["code"].as_str().unwrap().to_owned(),
                    f["region"]["start"]["line"].as_u64().unwrap_or(1),
                    f["fingerprint"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    fn fingerprint(&self, code: &str, line: u64) -> String {
        self.findings()
            .into_iter()
            .find(|(c, l, _)| c == code && *l == line)
            .unwrap_or_else(|| panic!("{code} on line {line} in {:?}", self.findings()))
            .2
    }

    /// `annotate gitlab --report REPORT` in the project; the environment of a real CI job is
    /// removed so it cannot leak in.
    fn command(&self, report: &str) -> assert_cmd::Command {
        let mut cmd = common::portcullis();
        cmd.current_dir(self.project.path())
            .args(["annotate", "gitlab", "--report", report]);
        for name in [
            "PORTCULLIS_GITLAB_TOKEN",
            "GITLAB_TOKEN",
            "CI_JOB_TOKEN",
            "CI_API_V4_URL",
            "CI_PROJECT_ID",
            "CI_MERGE_REQUEST_IID",
        ] {
            cmd.env_remove(name);
        }
        cmd
    }

    /// `annotate gitlab` with the fake's URL, project and merge request, and the token.
    fn annotate(&self, gitlab: &FakeGitlab, extra: &[&str]) -> std::process::Output {
        self.command("report.json")
            .args(["--markdown", "summary.md"])
            .args(["--api-url", &gitlab.api_url()])
            .args(["--project", &PROJECT_ID.to_string()])
            .args(["--merge-request", &MR_IID.to_string()])
            .args(extra)
            .env("PORTCULLIS_GITLAB_TOKEN", TOKEN)
            .output()
            .unwrap()
    }
}

/// The merge request's diffs: the renamed Dockerfile, a README with added lines but no
/// findings, and a deleted file; served one file per page.
fn gitlab() -> FakeGitlab {
    FakeGitlab::start(
        vec![
            file_diff("README.md", "README.md", "@@ -1 +1,2 @@\n # app\n+More.\n"),
            file_diff("Containerfile", "Dockerfile", DOCKERFILE_DIFF),
            deleted_file("old/Dockerfile", "@@ -1,2 +0,0 @@\n-FROM x\n-USER root\n"),
        ],
        1,
    )
}

fn lines(requests: &[Request]) -> Vec<String> {
    requests.iter().map(Request::line).collect()
}

fn posted_discussions(requests: &[Request]) -> Vec<&Request> {
    requests
        .iter()
        .filter(|r| r.line() == "POST discussions")
        .collect()
}

#[test]
fn the_summary_note_is_created_then_updated_never_duplicated() {
    let fixture = Fixture::new();
    // Three notes by others (one a system note) span two pages of two.
    let gitlab = FakeGitlab::start(vec![], 2);
    gitlab.add_note("Looks good to me", false);
    gitlab.add_note("added 1 commit", true);
    gitlab.add_note("Please rebase", false);

    let first = fixture.annotate(&gitlab, &["--no-discussions"]);
    assert_eq!(exit_code(&first), 0, "{}", stderr(&first));
    assert!(
        stderr(&first).contains("summary note added"),
        "{}",
        stderr(&first)
    );
    let requests = gitlab.requests();
    assert_eq!(lines(&requests), ["GET notes", "GET notes", "POST notes"]);
    assert_eq!(requests[0].query["page"], "1");
    assert_eq!(requests[1].query["page"], "2", "followed x-next-page");
    assert!(requests
        .iter()
        .all(|r| r.headers.get("private-token").map(String::as_str) == Some(TOKEN)));
    let body = requests[2].field("body").unwrap();
    assert!(body.starts_with(MARKER), "{body}");
    assert!(
        body.contains("## Portcullis: 5 findings"),
        "the --markdown file"
    );

    gitlab.clear_requests();
    fixture.project.file(
        "summary.md",
        &format!("{MARKER}\n## Portcullis: 2 findings\n"),
    );
    let second = fixture.annotate(&gitlab, &["--no-discussions"]);
    assert_eq!(exit_code(&second), 0, "{}", stderr(&second));
    assert!(stderr(&second).contains("summary note updated"));
    let requests = gitlab.requests();
    let ours = gitlab
        .notes()
        .into_iter()
        .find(|n| n["body"].as_str().unwrap().contains(MARKER))
        .unwrap();
    assert_eq!(
        lines(&requests),
        [
            "GET notes",
            "GET notes",
            &format!("PUT notes/{}", ours["id"])
        ]
    );
    assert!(requests[2].field("body").unwrap().contains("2 findings"));
    assert_eq!(gitlab.notes().len(), 4, "three others' and one of ours");
}

#[test]
fn discussions_go_on_added_lines_only_with_the_latest_versions_shas() {
    let fixture = Fixture::new();
    let gitlab = gitlab();
    let output = fixture.annotate(&gitlab, &[]);
    assert_eq!(exit_code(&output), 0, "{}", stderr(&output));
    let requests = gitlab.requests();
    assert_eq!(
        lines(&requests),
        [
            "GET versions",
            "GET diffs",
            "GET diffs",
            "GET diffs",
            "GET discussions",
            "POST discussions",
            "POST discussions",
            "POST discussions",
            "GET notes",
            "POST notes",
        ]
    );
    // Lines 2 and 5 were added; lines 1 and 3 are context, so their findings get none. Most
    // severe first: the warnings on lines 2 and 5, then the note on line 2.
    let posted = posted_discussions(&requests);
    let expected = [("PC4003", 2), ("PC1001", 5), ("PC4004", 2)];
    for (request, (code, line)) in posted.iter().zip(expected) {
        assert_eq!(request.field("position[position_type]"), Some("text"));
        assert_eq!(request.field("position[base_sha]"), Some(BASE_SHA));
        assert_eq!(request.field("position[start_sha]"), Some(START_SHA));
        assert_eq!(request.field("position[head_sha]"), Some(HEAD_SHA));
        assert_eq!(request.field("position[old_path]"), Some("Containerfile"));
        assert_eq!(request.field("position[new_path]"), Some("Dockerfile"));
        assert_eq!(
            request.field("position[new_line]"),
            Some(line.to_string().as_str())
        );
        assert_eq!(request.field("position[old_line]"), None, "an added line");
        let body = request.field("body").unwrap();
        assert!(body.contains(code), "{code}: {body}");
        assert!(body.contains(&fixture.fingerprint(code, line)), "{body}");
    }
    let note = requests.last().unwrap().field("body").unwrap();
    assert!(
        note.contains("3 findings on lines this merge request changed: 3 opened"),
        "{note}"
    );
    assert!(stderr(&output).contains("3 discussion(s) opened"));
}

#[test]
fn findings_already_discussed_are_not_posted_again() {
    let fixture = Fixture::new();
    let gitlab = gitlab();
    gitlab.add_discussion("Why root? (a reviewer's own thread)");
    let first = fixture.annotate(&gitlab, &[]);
    assert_eq!(exit_code(&first), 0, "{}", stderr(&first));
    assert_eq!(posted_discussions(&gitlab.requests()).len(), 3);
    assert_eq!(gitlab.discussions().len(), 4);

    gitlab.clear_requests();
    let second = fixture.annotate(&gitlab, &[]);
    assert_eq!(exit_code(&second), 0, "{}", stderr(&second));
    let requests = gitlab.requests();
    assert!(
        posted_discussions(&requests).is_empty(),
        "{:?}",
        lines(&requests)
    );
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.line() == "GET discussions")
            .count(),
        4,
        "every page of discussions (one per page) was read"
    );
    assert!(requests.iter().any(|r| r.method == "PUT"), "note updated");
    let note = requests.last().unwrap().field("body").unwrap();
    assert!(note.contains("3 opened by an earlier run"), "{note}");
    assert_eq!(gitlab.discussions().len(), 4);
}

#[test]
fn the_cap_keeps_the_most_severe_and_counts_the_rest() {
    let fixture = Fixture::new();
    let gitlab = gitlab();
    let output = fixture.annotate(&gitlab, &["--max-discussions", "1"]);
    assert_eq!(exit_code(&output), 0, "{}", stderr(&output));
    let requests = gitlab.requests();
    let posted = posted_discussions(&requests);
    assert_eq!(posted.len(), 1);
    assert!(posted[0].field("body").unwrap().contains("PC4003"));
    let note = requests.last().unwrap().field("body").unwrap();
    assert!(
        note.contains("2 more only in the job's reports (the limit is `--max-discussions`)"),
        "{note}"
    );
}

#[test]
fn a_project_path_is_sent_encoded() {
    let fixture = Fixture::new();
    let gitlab = FakeGitlab::start(vec![], 100);
    let mut cmd = fixture.command("report.json");
    cmd.arg("--no-discussions")
        .env("CI_API_V4_URL", gitlab.api_url())
        .env("CI_PROJECT_ID", PROJECT_PATH)
        .env("CI_MERGE_REQUEST_IID", MR_IID.to_string())
        .env("GITLAB_TOKEN", TOKEN);
    let output = cmd.output().unwrap();
    assert_eq!(exit_code(&output), 0, "{}", stderr(&output));
    assert_eq!(lines(&gitlab.requests()), ["GET notes", "POST notes"]);
    // Without --markdown: the counts by severity.
    let body = gitlab.notes()[0]["body"].as_str().unwrap().to_owned();
    assert!(body.starts_with(MARKER), "{body}");
    assert!(body.contains("| warning | 2 |"), "{body}");
}

#[test]
fn a_rate_limit_is_waited_out_as_retry_after_says() {
    let fixture = Fixture::new();
    let gitlab = FakeGitlab::start(vec![], 100);
    gitlab.fault(Fault {
        headers: vec![("retry-after".into(), "1".into())],
        ..Fault::new("GET notes", 429, 1)
    });
    let output = fixture.annotate(&gitlab, &["--no-discussions"]);
    assert_eq!(exit_code(&output), 0, "{}", stderr(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    let requests = gitlab.requests();
    assert_eq!(lines(&requests), ["GET notes", "GET notes", "POST notes"]);
    let waited = requests[1].at - requests[0].at;
    assert!(waited >= Duration::from_millis(950), "{waited:?}");
    assert_eq!(gitlab.notes().len(), 1);
}

#[test]
fn a_server_error_is_retried_then_warned_about_with_exit_code_0() {
    let fixture = Fixture::new();
    let gitlab = FakeGitlab::start(vec![], 100);
    gitlab.fault(Fault::new("POST notes", 500, usize::MAX));
    let output = fixture.annotate(&gitlab, &["--no-discussions"]);
    assert_eq!(
        exit_code(&output),
        0,
        "the reports were written: never fail the job"
    );
    assert_contains(
        &stderr(&output),
        &[
            "warning: could not write the summary note",
            "POST notes",
            "HTTP 500",
        ],
    );
    let posts = gitlab
        .requests()
        .iter()
        .filter(|r| r.line() == "POST notes")
        .count();
    assert_eq!(posts, 4, "retried with backoff");
}

#[test]
fn a_forbidden_token_is_explained() {
    let fixture = Fixture::new();
    let gitlab = FakeGitlab::start(vec![], 100);
    gitlab.fault(Fault::new("GET versions", 403, 1));
    let output = fixture.annotate(&gitlab, &[]);
    assert_eq!(exit_code(&output), 0);
    assert_contains(
        &stderr(&output),
        &[
            "GET versions: HTTP 403 Forbidden (403 Forbidden)",
            "`api` scope and at least the Developer role",
            // The note does not depend on the discussions.
            "summary note added",
        ],
    );
    assert_eq!(
        lines(&gitlab.requests()),
        ["GET versions", "GET notes", "POST notes"]
    );
}

#[test]
fn outside_a_merge_request_pipeline_nothing_is_posted() {
    let fixture = Fixture::new();
    let gitlab = FakeGitlab::start(vec![], 100);
    // Branch pipelines have no CI_MERGE_REQUEST_IID; an empty one means the same.
    for iid in [None, Some("")] {
        let mut cmd = fixture.command("report.json");
        cmd.env("CI_API_V4_URL", gitlab.api_url())
            .env("CI_PROJECT_ID", PROJECT_ID.to_string())
            .env("PORTCULLIS_GITLAB_TOKEN", TOKEN);
        if let Some(iid) = iid {
            cmd.env("CI_MERGE_REQUEST_IID", iid);
        }
        let output = cmd.output().unwrap();
        assert_eq!(exit_code(&output), 0);
        assert!(stderr(&output).contains("not a merge-request pipeline"));
    }
    assert!(gitlab.requests().is_empty());
}

#[test]
fn the_job_token_is_refused_with_what_to_do_instead() {
    let fixture = Fixture::new();
    let gitlab = FakeGitlab::start(vec![], 100);
    for token in [None, Some("job-token-value")] {
        let mut cmd = fixture.command("report.json");
        cmd.args(["--api-url", &gitlab.api_url(), "--project", "42"])
            .args(["--merge-request", "7"])
            .env("CI_JOB_TOKEN", "job-token-value");
        if let Some(token) = token {
            cmd.env("PORTCULLIS_GITLAB_TOKEN", token);
        }
        let output = cmd.output().unwrap();
        assert_eq!(exit_code(&output), 0);
        assert_contains(
            &stderr(&output),
            &[
                "CI_JOB_TOKEN",
                "`api` scope and the Developer role",
                "PORTCULLIS_GITLAB_TOKEN",
            ],
        );
    }
    assert!(gitlab.requests().is_empty());
}

#[test]
fn an_unreadable_report_or_summary_or_a_bad_flag_exits_2() {
    let fixture = Fixture::new();
    let gitlab = FakeGitlab::start(vec![], 100);
    for (report, markdown, iid, named) in [
        ("missing.json", "summary.md", "7", "missing.json"),
        (
            "summary.md",
            "summary.md",
            "7",
            "not a portcullis JSON report",
        ),
        ("report.json", "missing.md", "7", "missing.md"),
        (
            "report.json",
            "summary.md",
            "!7",
            "give the number after `!`",
        ),
    ] {
        let output = fixture
            .command(report)
            .args(["--markdown", markdown, "--merge-request", iid])
            .args(["--api-url", &gitlab.api_url(), "--project", "42"])
            .env("PORTCULLIS_GITLAB_TOKEN", TOKEN)
            .output()
            .unwrap();
        assert_eq!(exit_code(&output), 2, "{report} {markdown} {iid}");
        assert!(stderr(&output).contains(named), "{}", stderr(&output));
    }
    assert!(gitlab.requests().is_empty());
}
