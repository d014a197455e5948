//! `portcullis annotate github` end to end: the real binary, a report the real binary wrote,
//! and a local stand-in for the GitHub REST API (GitHub cannot be reached from tests) that
//! answers with the API's JSON shapes and pagination headers and records every request.

mod common;
#[path = "common/http_stub.rs"]
mod http_stub;

use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use common::{assert_contains, portcullis};
use http_stub::{Reply, Request, Server};

const REPO: &str = "octo-org/hello";
const HEAD_SHA: &str = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
const MERGE_SHA: &str = "e6b4f4c5e8b0a3d2c1f0e9d8c7b6a5f4e3d2c1b0";
const MARKER: &str = "<!-- portcullis-summary -->";

#[derive(Default)]
struct State {
    /// The server's `http://127.0.0.1:PORT`, which links and URLs in answers start with.
    base: String,
    requests: Vec<Request>,
    /// The pull request's issue comments, oldest first.
    comments: Vec<Value>,
    /// The pull request's files, served over two pages.
    files: Vec<Value>,
    next_id: u64,
    /// Answers given instead of the normal one, each to the first request it matches.
    scripted: Vec<(String, String, Reply)>,
}

/// The GitHub REST API, on a loopback port.
struct MockGitHub {
    base: String,
    state: Arc<Mutex<State>>,
    _server: Server,
}

impl MockGitHub {
    fn start() -> MockGitHub {
        let state = Arc::new(Mutex::new(State {
            next_id: 1_000,
            ..State::default()
        }));
        let shared = state.clone();
        let server = Server::start(move |request| {
            let mut state = shared.lock().unwrap();
            state.requests.push(request.clone());
            let base = state.base.clone();
            route(&request, &base, &mut state)
        });
        state.lock().unwrap().base = server.base_url();
        MockGitHub {
            base: server.base_url(),
            state,
            _server: server,
        }
    }

    fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Answer the next `method path` request with `reply`.
    fn script(&self, method: &str, path: &str, reply: Reply) {
        self.state
            .lock()
            .unwrap()
            .scripted
            .push((method.into(), path.into(), reply));
    }

    fn set_files(&self, files: Vec<Value>) {
        self.state.lock().unwrap().files = files;
    }

    fn add_comment(&self, body: &str, login: &str) {
        let mut state = self.state.lock().unwrap();
        state.next_id += 1;
        let comment = comment_json(&self.base, state.next_id, body, login);
        state.comments.push(comment);
    }

    fn comments(&self) -> Vec<Value> {
        self.state.lock().unwrap().comments.clone()
    }

    /// How many `method path` requests were received.
    fn count(&self, method: &str, path: &str) -> usize {
        let requests = &self.state.lock().unwrap().requests;
        requests.iter().filter(|r| r.is(method, path)).count()
    }

    fn clear_requests(&self) {
        self.state.lock().unwrap().requests.clear();
    }
}

fn route(request: &Request, base: &str, state: &mut State) -> Reply {
    if let Some(i) = state.scripted.iter().position(|(m, p, _)| request.is(m, p)) {
        return state.scripted.remove(i).2;
    }
    let repo = format!("/repos/{REPO}");
    let path = request.path();
    let page_two = request.target.contains("page=2");
    match (request.method.as_str(), path) {
        ("POST", p) if p == format!("{repo}/check-runs") => {
            state.next_id += 1;
            Reply::json(201, check_run_json(base, state.next_id, &request.json()))
        }
        ("PATCH", p) if p.starts_with(&format!("{repo}/check-runs/")) => {
            let id: u64 = p.rsplit('/').next().unwrap().parse().unwrap();
            Reply::json(200, check_run_json(base, id, &request.json()))
        }
        ("GET", p) if p == format!("{repo}/pulls/7/files") => {
            // GitHub's next links name the repository by id.
            paged(
                &state.files,
                format!("{base}/repositories/1296269/pulls/7/files?per_page=100&page=2"),
            )
        }
        ("GET", "/repositories/1296269/pulls/7/files") if page_two => Reply::json(
            200,
            Value::Array(state.files.iter().skip(1).cloned().collect()),
        ),
        ("GET", p) if p == format!("{repo}/issues/7/comments") => paged(
            &state.comments,
            format!("{base}/repositories/1296269/issues/7/comments?per_page=100&page=2"),
        ),
        ("GET", "/repositories/1296269/issues/7/comments") if page_two => Reply::json(
            200,
            Value::Array(state.comments.iter().skip(1).cloned().collect()),
        ),
        ("POST", p) if p == format!("{repo}/issues/7/comments") => {
            state.next_id += 1;
            let body = request.json()["body"].as_str().unwrap().to_owned();
            let comment = comment_json(base, state.next_id, &body, "github-actions[bot]");
            state.comments.push(comment.clone());
            Reply::json(201, comment)
        }
        ("PATCH", p) if p.starts_with(&format!("{repo}/issues/comments/")) => {
            let id: u64 = p.rsplit('/').next().unwrap().parse().unwrap();
            let body = request.json()["body"].clone();
            match state.comments.iter_mut().find(|c| c["id"] == id) {
                Some(comment) => {
                    comment["body"] = body;
                    comment["updated_at"] = json!("2026-11-29T08:00:00Z");
                    Reply::json(200, comment.clone())
                }
                None => not_found(),
            }
        }
        ("POST", p) if p == format!("{repo}/code-scanning/sarifs") => Reply::json(
            202,
            json!({
                "id": "47177e22-5596-11eb-80a1-c1e54ef945c6",
                "url": format!("{base}{repo}/code-scanning/sarifs/47177e22-5596-11eb-80a1-c1e54ef945c6"),
            }),
        ),
        _ => not_found(),
    }
}

/// The first item on page one, the rest on page two (`Link` as GitHub writes it).
fn paged(items: &[Value], next: String) -> Reply {
    let first: Vec<Value> = items.iter().take(1).cloned().collect();
    let mut reply = Reply::json(200, Value::Array(first));
    if items.len() > 1 {
        let last = next.clone();
        reply.headers.push((
            "link".into(),
            format!("<{next}>; rel=\"next\", <{last}>; rel=\"last\""),
        ));
    }
    reply
}

fn not_found() -> Reply {
    Reply::json(
        404,
        json!({"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}),
    )
}

fn check_run_json(base: &str, id: u64, request: &Value) -> Value {
    json!({
        "id": id,
        "head_sha": request.get("head_sha").cloned().unwrap_or(json!(HEAD_SHA)),
        "node_id": "MDg6Q2hlY2tSdW40",
        "external_id": "",
        "url": format!("{base}/repos/{REPO}/check-runs/{id}"),
        "html_url": format!("https://github.com/{REPO}/runs/{id}"),
        "details_url": format!("https://github.com/{REPO}/runs/{id}"),
        "status": "completed",
        "conclusion": request.get("conclusion").cloned().unwrap_or(json!("neutral")),
        "started_at": "2026-11-29T07:00:00Z",
        "completed_at": "2026-11-29T07:00:01Z",
        "output": {
            "title": request.pointer("/output/title").cloned(),
            "summary": request.pointer("/output/summary").cloned(),
            "text": request.pointer("/output/text").cloned(),
            "annotations_count": request.pointer("/output/annotations").and_then(Value::as_array).map_or(0, Vec::len),
            "annotations_url": format!("{base}/repos/{REPO}/check-runs/{id}/annotations"),
        },
        "name": request.get("name").cloned().unwrap_or(json!("portcullis")),
        "check_suite": {"id": 5},
        "app": {"id": 15368, "slug": "github-actions", "name": "GitHub Actions"},
        "pull_requests": [],
    })
}

fn comment_json(base: &str, id: u64, body: &str, login: &str) -> Value {
    json!({
        "id": id,
        "node_id": "MDEyOklzc3VlQ29tbWVudDE=",
        "url": format!("{base}/repos/{REPO}/issues/comments/{id}"),
        "html_url": format!("https://github.com/{REPO}/pull/7#issuecomment-{id}"),
        "body": body,
        "user": {"login": login, "id": 41898282, "type": if login.ends_with("[bot]") { "Bot" } else { "User" }},
        "created_at": "2026-11-29T07:00:00Z",
        "updated_at": "2026-11-29T07:00:00Z",
        "issue_url": format!("{base}/repos/{REPO}/issues/7"),
        "author_association": "NONE",
    })
}

fn pull_file(filename: &str, status: &str, patch: &str) -> Value {
    json!({
        "sha": "bbcd538c8e72b8c175046e27cc8f907076331401",
        "filename": filename,
        "status": status,
        "additions": patch.lines().filter(|l| l.starts_with('+')).count(),
        "deletions": patch.lines().filter(|l| l.starts_with('-')).count(),
        "changes": patch.lines().count(),
        "blob_url": format!("https://github.com/{REPO}/blob/{HEAD_SHA}/{filename}"),
        "raw_url": format!("https://github.com/{REPO}/raw/{HEAD_SHA}/{filename}"),
        "contents_url": format!("https://api.github.com/repos/{REPO}/contents/{filename}?ref={HEAD_SHA}"),
        "patch": patch,
    })
}

/// A scratch repository with a Dockerfile and the JSON, SARIF and Markdown reports
/// `portcullis lint` wrote for it. Findings on lines 1, 2, 3 and 5.
struct Workspace {
    dir: tempfile::TempDir,
}

const DOCKERFILE: &str =
    "FROM debian\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl=7.88.1\nADD x.tar.gz /x\nUSER 0\n";

impl Workspace {
    fn new(dockerfile: &str) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
        let lint = portcullis()
            .current_dir(dir.path())
            .args(["lint", "-f", "json=report.json", "-f", "sarif=report.sarif"])
            .args(["-f", "markdown=summary.md"])
            .output()
            .unwrap();
        assert_eq!(lint.status.code(), Some(1), "{lint:?}");
        Workspace { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn event(&self) -> PathBuf {
        let path = self.path("event.json");
        std::fs::write(
            &path,
            json!({
                "action": "synchronize",
                "number": 7,
                "pull_request": {
                    "number": 7,
                    "head": {"sha": HEAD_SHA, "ref": "feature"},
                    "base": {"sha": "0000000000000000000000000000000000000001", "ref": "main"},
                },
            })
            .to_string(),
        )
        .unwrap();
        path
    }

    /// `annotate github` in GitHub Actions' environment (none of the runner's own leaks in).
    fn annotate(&self, mock: &MockGitHub) -> assert_cmd::Command {
        let mut cmd = portcullis();
        cmd.current_dir(self.dir.path());
        for name in [
            "GITHUB_TOKEN",
            "GITHUB_REPOSITORY",
            "GITHUB_SHA",
            "GITHUB_REF",
            "GITHUB_EVENT_PATH",
            "GITHUB_STEP_SUMMARY",
            "GITHUB_API_URL",
        ] {
            cmd.env_remove(name);
        }
        cmd.env("GITHUB_API_URL", &mock.base)
            .env("GITHUB_REPOSITORY", REPO)
            .args(["annotate", "github", "--report", "report.json"]);
        cmd
    }

    /// `annotate` on pull request 7's merge commit, with `token`.
    fn annotate_pull_request(&self, mock: &MockGitHub, token: &str) -> assert_cmd::Command {
        let mut cmd = self.annotate(mock);
        cmd.env("GITHUB_EVENT_PATH", self.event())
            .env("GITHUB_SHA", MERGE_SHA)
            .env("GITHUB_REF", "refs/pull/7/merge")
            .env("GITHUB_TOKEN", token);
        cmd
    }
}

fn run(cmd: &mut assert_cmd::Command) -> (String, String) {
    let output = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    (stdout, stderr)
}

fn annotations_of(request: &Request) -> Vec<Value> {
    request
        .json()
        .pointer("/output/annotations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_pull_request_gets_a_check_run_on_its_changed_lines_and_one_comment() {
    let ws = Workspace::new(DOCKERFILE);
    let mock = MockGitHub::start();
    // Lines 4-5 are new; line 1's findings are outside the change.
    mock.set_files(vec![
        pull_file("README.md", "modified", "@@ -1 +1 @@\n-old\n+new"),
        pull_file(
            "Dockerfile",
            "modified",
            "@@ -3,1 +3,3 @@\n RUN apt-get install -y --no-install-recommends curl=7.88.1\n+ADD x.tar.gz /x\n+USER 0",
        ),
    ]);
    mock.add_comment("Looks good to me", "octocat");
    let mut cmd = ws.annotate_pull_request(&mock, "test-token");
    cmd.args(["--markdown", "summary.md"]);
    let (stdout, stderr) = run(&mut cmd);
    assert!(!stderr.contains("warning"), "{stderr}");
    let markdown = std::fs::read_to_string(ws.path("summary.md")).unwrap();
    assert!(
        markdown.starts_with(MARKER),
        "the markdown report carries the marker"
    );
    assert!(
        !stdout.contains("::"),
        "no workflow commands with a token: {stdout}"
    );

    let requests = mock.requests();
    let sequence: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    assert_eq!(
        sequence,
        [
            format!("GET /repos/{REPO}/pulls/7/files?per_page=100"),
            "GET /repositories/1296269/pulls/7/files?per_page=100&page=2".to_owned(),
            format!("POST /repos/{REPO}/check-runs"),
            format!("GET /repos/{REPO}/issues/7/comments?per_page=100"),
            format!("POST /repos/{REPO}/issues/7/comments"),
        ],
        "{stderr}"
    );
    for request in &requests {
        assert_eq!(request.header("authorization"), Some("Bearer test-token"));
    }

    let created = requests[2].json();
    assert_eq!(
        created["head_sha"], HEAD_SHA,
        "the PR head, not the merge commit"
    );
    assert_eq!(created["name"], "portcullis");
    assert_eq!(created["status"], "completed");
    assert_eq!(created["conclusion"], "failure", "lint exited 1");
    assert!(created["output"]["title"]
        .as_str()
        .unwrap()
        .starts_with("Failed: 6 findings"));
    assert_eq!(created["output"]["summary"], markdown.as_str());
    let annotations = annotations_of(&requests[2]);
    assert!(!annotations.is_empty());
    for a in &annotations {
        assert_eq!(a["path"], "Dockerfile", "`./` dropped: {a}");
        let line = a["start_line"].as_u64().unwrap();
        assert!((3..=5).contains(&line), "only changed lines: {a}");
    }
    let root = annotations
        .iter()
        .find(|a| a["title"] == "PC1001 root-user")
        .expect("the USER root line is annotated");
    assert_eq!(root["annotation_level"], "warning");
    assert_eq!(
        (root["start_line"].as_u64(), root["start_column"].as_u64()),
        (Some(5), Some(6))
    );
    assert!(root["raw_details"].as_str().unwrap().contains("#pc1001"));
    assert!(
        created["output"]["text"]
            .as_str()
            .unwrap()
            .contains("outside the lines this pull request changes"),
        "{created}"
    );

    let comments = mock.comments();
    assert_eq!(comments.len(), 2);
    let ours = comments[1]["body"].as_str().unwrap();
    assert!(
        ours.starts_with(&markdown),
        "the summary, marker once: {ours}"
    );
    assert!(
        ours.contains("https://github.com/octo-org/hello/runs/"),
        "{ours}"
    );

    // The next push: our comment, now on the second page, is edited; none is added.
    mock.clear_requests();
    let mut again = ws.annotate_pull_request(&mock, "test-token");
    let (_, stderr) = run(&mut again);
    assert!(stderr.contains("summary comment updated"), "{stderr}");
    let requests = mock.requests();
    let id = comments[1]["id"].as_u64().unwrap();
    assert!(requests
        .iter()
        .any(|r| r.is("PATCH", &format!("/repos/{REPO}/issues/comments/{id}"))));
    assert!(!requests
        .iter()
        .any(|r| r.is("POST", &format!("/repos/{REPO}/issues/7/comments"))));
    assert_eq!(mock.comments().len(), 2, "no duplicate");
}

#[test]
fn annotations_go_fifty_per_request_up_to_the_cap() {
    let many: String = std::iter::once("FROM debian:12\n".to_owned())
        .chain(
            (0..130)
                .map(|_| "RUN apt-get install -y --no-install-recommends curl=7.88.1\n".to_owned()),
        )
        .collect();
    let ws = Workspace::new(&many);
    let mock = MockGitHub::start();
    let mut cmd = ws.annotate(&mock);
    // A push: no pull request, every line annotated.
    cmd.env("GITHUB_TOKEN", "test-token")
        .env("GITHUB_SHA", HEAD_SHA)
        .args(["--max-annotations", "120", "--check-name", "containers"]);
    let (_, stderr) = run(&mut cmd);
    assert!(stderr.contains("with 120 annotations"), "{stderr}");

    let requests = mock.requests();
    let sequence: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path()))
        .collect();
    assert_eq!(requests.len(), 3, "{sequence:?}");
    assert!(requests[0].is("POST", &format!("/repos/{REPO}/check-runs")));
    let created = requests[0].json();
    assert_eq!(
        (created["name"].as_str(), created["head_sha"].as_str()),
        (Some("containers"), Some(HEAD_SHA))
    );
    let id = 1_001;
    let sizes: Vec<usize> = requests.iter().map(|r| annotations_of(r).len()).collect();
    assert_eq!(sizes, [50, 50, 20]);
    for patch in &requests[1..] {
        assert!(patch.is("PATCH", &format!("/repos/{REPO}/check-runs/{id}")));
        let output = &patch.json()["output"];
        assert!(output["title"].is_string() && output["summary"].is_string());
    }
    // No annotation twice, and the 11 left over are listed in the text.
    let mut keys: Vec<String> = requests
        .iter()
        .flat_map(annotations_of)
        .map(|a| format!("{}:{}:{}", a["path"], a["start_line"], a["title"]))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 120);
    let text = created["output"]["text"].as_str().unwrap();
    assert!(
        text.contains("11 more findings beyond the first 120"),
        "{text}"
    );
}

#[test]
fn a_rate_limited_request_is_retried_after_the_wait_github_asks_for() {
    let ws = Workspace::new(DOCKERFILE);
    let mock = MockGitHub::start();
    mock.script(
        "POST",
        &format!("/repos/{REPO}/check-runs"),
        Reply {
            status: 403,
            headers: vec![
                ("retry-after".into(), "1".into()),
                ("x-ratelimit-remaining".into(), "4000".into()),
            ],
            body: json!({
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
            })
            .to_string(),
        },
    );
    let started = std::time::Instant::now();
    let mut cmd = ws.annotate(&mock);
    cmd.env("GITHUB_TOKEN", "test-token")
        .env("GITHUB_SHA", HEAD_SHA);
    let (_, stderr) = run(&mut cmd);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(started.elapsed() >= Duration::from_secs(1), "waited");
    let posts = mock.count("POST", &format!("/repos/{REPO}/check-runs"));
    assert_eq!(posts, 2, "retried once");
}

#[test]
fn a_failing_comment_is_a_warning_not_a_failed_job() {
    let ws = Workspace::new(DOCKERFILE);
    let mock = MockGitHub::start();
    mock.set_files(vec![pull_file(
        "Dockerfile",
        "added",
        "@@ -0,0 +1,5 @@\n+FROM debian",
    )]);
    let error = Reply::json(500, json!({"message": "Server Error"}));
    for _ in 0..4 {
        mock.script(
            "POST",
            &format!("/repos/{REPO}/issues/7/comments"),
            error.clone(),
        );
    }
    let mut cmd = ws.annotate_pull_request(&mock, "test-token");
    let (_, stderr) = run(&mut cmd);
    assert_contains(
        &stderr,
        &[
            "check run `portcullis` created",
            &format!("could not post the summary comment: POST /repos/{REPO}/issues/7/comments answered HTTP 500: Server Error"),
            "re-run the job later",
        ],
    );
    let attempts = mock.count("POST", &format!("/repos/{REPO}/issues/7/comments"));
    assert_eq!(attempts, 4, "server errors are retried, a few times");
}

#[test]
fn without_a_token_workflow_commands_and_the_job_summary() {
    let ws = Workspace::new(DOCKERFILE);
    let mock = MockGitHub::start();
    let summary = ws.path("step-summary.md");
    std::fs::write(&summary, "# Earlier step\n").unwrap();
    std::fs::write(ws.path("summary.md"), "## Portcullis\n\n6 findings\n").unwrap();
    let mut cmd = ws.annotate(&mock);
    cmd.env("GITHUB_STEP_SUMMARY", &summary)
        .args(["--markdown", "summary.md"]);
    let (stdout, stderr) = run(&mut cmd);
    assert!(
        mock.requests().is_empty(),
        "no API call without a token or pull request"
    );
    let commands: Vec<&str> = stdout.lines().collect();
    assert_eq!(commands.len(), 6, "{stdout}");
    assert!(commands.contains(
        &"::warning file=Dockerfile,line=5,endLine=5,col=6,endColumn=7,title=PC1001 root-user::\
          the last USER is `0`, so the container runs as root%0A\
          https://github.com/portcullis-security/portcullis/blob/main/docs/rules.md#pc1001"
    ), "{stdout}");
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("::notice file=Dockerfile,line=1,")),
        "{stdout}"
    );
    assert!(
        stderr.contains("6 annotations as workflow commands"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        format!("# Earlier step\n{MARKER}\n## Portcullis\n\n6 findings\n")
    );
}

#[test]
fn a_fork_pull_request_falls_back_to_workflow_commands() {
    let ws = Workspace::new(DOCKERFILE);
    let mock = MockGitHub::start();
    mock.set_files(vec![pull_file(
        "Dockerfile",
        "modified",
        "@@ -4,1 +4,2 @@\n ADD x.tar.gz /x\n+USER 0",
    )]);
    let forbidden = Reply::json(
        403,
        json!({"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest/checks/runs#create-a-check-run", "status": "403"}),
    );
    mock.script(
        "POST",
        &format!("/repos/{REPO}/check-runs"),
        forbidden.clone(),
    );
    mock.script(
        "POST",
        &format!("/repos/{REPO}/issues/7/comments"),
        forbidden,
    );
    let summary = ws.path("step-summary.md");
    let mut cmd = ws.annotate_pull_request(&mock, "read-only");
    cmd.env("GITHUB_STEP_SUMMARY", &summary);
    let (stdout, stderr) = run(&mut cmd);
    assert_contains(
        &stderr,
        &[
            "answered HTTP 403: Resource not accessible by integration",
            "checks: write",
        ],
    );
    // Only the changed line, as a workflow command.
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::")).count(),
        1,
        "{stdout}"
    );
    assert!(
        stdout.starts_with("::warning file=Dockerfile,line=5,"),
        "{stdout}"
    );
    let posts = mock
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 2, "a permission error is not retried");
    assert!(std::fs::read_to_string(&summary)
        .unwrap()
        .starts_with(MARKER));
}

#[test]
fn sarif_is_uploaded_gzipped_and_base64_encoded() {
    let ws = Workspace::new(DOCKERFILE);
    let mock = MockGitHub::start();
    mock.set_files(vec![pull_file(
        "Dockerfile",
        "added",
        "@@ -0,0 +1,5 @@\n+FROM debian",
    )]);
    let mut cmd = ws.annotate_pull_request(&mock, "test-token");
    cmd.args(["--upload-sarif", "report.sarif"]);
    let (_, stderr) = run(&mut cmd);
    assert!(stderr.contains("uploaded to code scanning"), "{stderr}");
    let requests = mock.requests();
    let upload = requests
        .iter()
        .find(|r| r.is("POST", &format!("/repos/{REPO}/code-scanning/sarifs")))
        .expect("an upload");
    let body = upload.json();
    assert_eq!(
        body["commit_sha"], MERGE_SHA,
        "the commit the ref points to"
    );
    assert_eq!(body["ref"], "refs/pull/7/merge");
    let gzipped = base64::engine::general_purpose::STANDARD
        .decode(body["sarif"].as_str().unwrap())
        .unwrap();
    let mut sarif = Vec::new();
    flate2::read::GzDecoder::new(&gzipped[..])
        .read_to_end(&mut sarif)
        .unwrap();
    assert_eq!(sarif, std::fs::read(ws.path("report.sarif")).unwrap());
}

#[test]
fn an_unreadable_report_is_exit_2_and_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.json"), "{}").unwrap();
    let output = portcullis()
        .current_dir(dir.path())
        .env_remove("GITHUB_TOKEN")
        .args(["annotate", "github", "--report", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_contains(&stderr, &["bad.json", "-f json=PATH"]);
}

#[test]
fn a_token_without_a_repository_is_a_usage_error() {
    let ws = Workspace::new(DOCKERFILE);
    let mock = MockGitHub::start();
    let output = ws
        .annotate(&mock)
        .env_remove("GITHUB_REPOSITORY")
        .env("GITHUB_TOKEN", "t")
        .env("GITHUB_SHA", HEAD_SHA)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--repository OWNER/NAME"), "{stderr}");
    assert!(mock.requests().is_empty());
}

#[test]
fn an_exhausted_rate_limit_is_not_waited_out_for_an_hour() {
    let ws = Workspace::new(DOCKERFILE);
    let mock = MockGitHub::start();
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3_600;
    mock.script(
        "POST",
        &format!("/repos/{REPO}/check-runs"),
        Reply {
            status: 403,
            headers: vec![
                ("x-ratelimit-limit".into(), "1000".into()),
                ("x-ratelimit-remaining".into(), "0".into()),
                ("x-ratelimit-reset".into(), reset.to_string()),
            ],
            body: json!({"message": "API rate limit exceeded for installation ID 1.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}).to_string(),
        },
    );
    let started = std::time::Instant::now();
    let mut cmd = ws.annotate(&mock);
    cmd.env("GITHUB_TOKEN", "test-token")
        .env("GITHUB_SHA", HEAD_SHA);
    let (stdout, stderr) = run(&mut cmd);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_contains(&stderr, &["API rate limit exceeded", "beyond the 60 s"]);
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::")).count(),
        6,
        "the findings are still shown: {stdout}"
    );
}

#[test]
fn changed_only_false_annotates_every_finding_of_a_pull_request() {
    let ws = Workspace::new(DOCKERFILE);
    let mock = MockGitHub::start();
    let mut cmd = ws.annotate_pull_request(&mock, "test-token");
    cmd.arg("--changed-only=false");
    run(&mut cmd);
    let requests = mock.requests();
    assert!(!requests.iter().any(|r| r.path().ends_with("/files")));
    let created = requests
        .iter()
        .find(|r| r.is("POST", &format!("/repos/{REPO}/check-runs")))
        .unwrap();
    assert_eq!(annotations_of(created).len(), 6);
}
