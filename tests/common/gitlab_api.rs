//! A stand-in for the part of GitLab's REST API v4 that `annotate gitlab` uses, on a loopback
//! port: one merge request's notes, diff versions, diffs and discussions, answered with the
//! objects GitLab returns (the fields of doc/api/notes.md, merge_requests.md and
//! discussions.md), `PRIVATE-TOKEN` checked, lists paginated with GitLab's headers
//! (`x-page`, `x-per-page`, `x-next-page`, `x-total`, `x-total-pages`, `Link`), created notes
//! and discussions kept, so a second run sees what the first posted. Faults can be queued per
//! route. Every request is recorded with its decoded form body.
//!
//! Included with `#[path = "common/gitlab_api.rs"] mod gitlab_api;`.
#![allow(dead_code)]

#[path = "http_stub.rs"]
mod http_stub;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::{json, Value};

use http_stub::{Reply, Server};

pub const TOKEN: &str = "glpat-test-token";
pub const PROJECT_ID: u64 = 42;
pub const PROJECT_PATH: &str = "acme/app";
pub const MR_IID: u64 = 7;
pub const BASE_SHA: &str = "1111111111111111111111111111111111111111";
pub const START_SHA: &str = "2222222222222222222222222222222222222222";
pub const HEAD_SHA: &str = "3333333333333333333333333333333333333333";

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Below `/api/v4/projects/42/merge_requests/7/`, e.g. `notes` or `notes/901`.
    pub route: String,
    pub query: HashMap<String, String>,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    /// The `x-www-form-urlencoded` body, decoded, in order.
    pub form: Vec<(String, String)>,
    pub at: Instant,
}

impl Request {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `GET notes`, `PUT notes/901`.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.route)
    }
}

/// An answer to give instead of the normal one, `times` times, to requests whose
/// `METHOD route` equals `line`.
#[derive(Debug, Clone)]
pub struct Fault {
    pub line: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    pub times: usize,
}

impl Fault {
    /// `times` answers of `status` with GitLab's body for it, e.g.
    /// `{"message": "403 Forbidden"}`.
    pub fn new(line: &str, status: u16, times: usize) -> Fault {
        Fault {
            line: line.to_owned(),
            status,
            headers: Vec::new(),
            body: json!({"message": format!("{status} {}", http_stub::reason(status))}),
            times,
        }
    }
}

#[derive(Default)]
struct State {
    notes: Vec<Value>,
    discussions: Vec<Value>,
    versions: Vec<Value>,
    diffs: Vec<Value>,
    /// Items per page at most (GitLab's cap is 100; smaller here to exercise pagination).
    page_size: usize,
    faults: Vec<Fault>,
    requests: Vec<Request>,
    next_id: u64,
}

pub struct FakeGitlab {
    state: Arc<Mutex<State>>,
    server: Server,
}

impl FakeGitlab {
    /// A merge request with two diff versions (the newest first, as GitLab lists them) and the
    /// given `diffs` entries; lists are served `page_size` items per page.
    pub fn start(diffs: Vec<Value>, page_size: usize) -> FakeGitlab {
        let state = Arc::new(Mutex::new(State {
            versions: vec![
                version(2, HEAD_SHA, BASE_SHA, START_SHA),
                version(
                    1,
                    "4444444444444444444444444444444444444444",
                    BASE_SHA,
                    START_SHA,
                ),
            ],
            diffs,
            page_size,
            next_id: 900,
            ..State::default()
        }));
        let shared = state.clone();
        let server = Server::start(move |request| answer(&shared, &request));
        FakeGitlab { state, server }
    }

    /// What `--api-url` (CI_API_V4_URL) is set to.
    pub fn api_url(&self) -> String {
        format!("{}/api/v4", self.server.base_url())
    }

    /// A note someone else wrote (or a system note), to be found among ours.
    pub fn add_note(&self, body: &str, system: bool) -> u64 {
        let mut state = self.state.lock().unwrap();
        let id = next_id(&mut state);
        let note = note(id, body, "reviewer", system);
        state.notes.push(note);
        id
    }

    /// A discussion on a diff line with `body` as its first note.
    pub fn add_discussion(&self, body: &str) {
        let mut state = self.state.lock().unwrap();
        let id = next_id(&mut state);
        let discussion = json!({
            "id": format!("{id:040x}"),
            "individual_note": false,
            "notes": [note(id, body, "reviewer", false)],
        });
        state.discussions.push(discussion);
    }

    pub fn fault(&self, fault: Fault) {
        self.state.lock().unwrap().faults.push(fault);
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.state.lock().unwrap().requests.clear();
    }

    pub fn notes(&self) -> Vec<Value> {
        self.state.lock().unwrap().notes.clone()
    }

    pub fn discussions(&self) -> Vec<Value> {
        self.state.lock().unwrap().discussions.clone()
    }
}

/// A `GET …/diffs` entry as GitLab returns it: the hunks without file headers.
pub fn file_diff(old_path: &str, new_path: &str, diff: &str) -> Value {
    json!({
        "old_path": old_path,
        "new_path": new_path,
        "a_mode": "100644",
        "b_mode": "100644",
        "diff": diff,
        "new_file": false,
        "renamed_file": old_path != new_path,
        "deleted_file": false,
        "generated_file": false,
    })
}

/// A deleted file's entry.
pub fn deleted_file(path: &str, diff: &str) -> Value {
    let mut entry = file_diff(path, path, diff);
    entry["deleted_file"] = json!(true);
    entry["b_mode"] = json!("0");
    entry
}

fn next_id(state: &mut State) -> u64 {
    state.next_id += 1;
    state.next_id
}

fn version(id: u64, head: &str, base: &str, start: &str) -> Value {
    json!({
        "id": id,
        "head_commit_sha": head,
        "base_commit_sha": base,
        "start_commit_sha": start,
        "created_at": "2026-11-20T10:00:00.000Z",
        "merge_request_id": 1007,
        "state": "collected",
        "real_size": "2",
        "patch_id_sha": "d504412d5b6e6739647e752aff8e468dde093f2f",
    })
}

fn note(id: u64, body: &str, author: &str, system: bool) -> Value {
    json!({
        "id": id,
        "type": null,
        "body": body,
        "attachment": null,
        "author": {
            "id": 5, "username": author, "name": author, "state": "active",
            "avatar_url": null, "web_url": format!("https://gitlab.example.com/{author}"),
        },
        "created_at": "2026-11-20T10:00:00.000Z",
        "updated_at": "2026-11-20T10:00:00.000Z",
        "system": system,
        "noteable_id": 1007,
        "noteable_type": "MergeRequest",
        "project_id": PROJECT_ID,
        "noteable_iid": MR_IID,
        "resolvable": false,
        "confidential": false,
        "internal": false,
        "imported": false,
        "imported_from": "none",
    })
}

/// Records the request, decoded, and answers it.
fn answer(state: &Mutex<State>, received: &http_stub::Request) -> Reply {
    // The project by id or by its URL-encoded path, as GitLab accepts either.
    let route = [PROJECT_ID.to_string(), PROJECT_PATH.replace('/', "%2F")]
        .iter()
        .find_map(|project| {
            received.path().strip_prefix(&format!(
                "/api/v4/projects/{project}/merge_requests/{MR_IID}"
            ))
        })
        .map(|r| r.trim_start_matches('/').to_owned());
    let request = Request {
        method: received.method.clone(),
        route: route.clone().unwrap_or_else(|| received.path().to_owned()),
        query: decode_pairs(received.query()).into_iter().collect(),
        headers: received
            .headers
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
            .collect(),
        form: decode_pairs(&received.body),
        at: Instant::now(),
    };
    let mut state = state.lock().unwrap();
    state.requests.push(request.clone());
    let (status, headers, body) = respond(&mut state, &request, route.is_some());
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

type Answer = (u16, Vec<(String, String)>, Value);

fn respond(state: &mut State, request: &Request, known_prefix: bool) -> Answer {
    if let Some(fault) = state
        .faults
        .iter_mut()
        .find(|f| f.times > 0 && f.line == request.line())
    {
        fault.times -= 1;
        return (fault.status, fault.headers.clone(), fault.body.clone());
    }
    if request.headers.get("private-token").map(String::as_str) != Some(TOKEN) {
        return (401, vec![], json!({"message": "401 Unauthorized"}));
    }
    let not_found = (404, vec![], json!({"message": "404 Not found"}));
    if !known_prefix {
        return not_found;
    }
    let route = request.route.as_str();
    match (request.method.as_str(), route) {
        ("GET", "notes") => page(&state.notes, state.page_size, request),
        ("GET", "discussions") => page(&state.discussions, state.page_size, request),
        ("GET", "diffs") => page(&state.diffs, state.page_size, request),
        ("GET", "versions") => (200, vec![], Value::Array(state.versions.clone())),
        ("POST", "notes") => {
            let Some(body) = request.field("body") else {
                return (400, vec![], json!({"error": "body is missing"}));
            };
            let id = next_id(state);
            let created = note(id, body, "project_42_bot", false);
            state.notes.push(created.clone());
            (201, vec![], created)
        }
        ("PUT", r) if r.starts_with("notes/") => {
            let id: u64 = r["notes/".len()..].parse().unwrap_or(0);
            let Some(body) = request.field("body") else {
                return (400, vec![], json!({"error": "body is missing"}));
            };
            match state.notes.iter_mut().find(|n| n["id"] == json!(id)) {
                Some(existing) => {
                    existing["body"] = json!(body);
                    existing["updated_at"] = json!("2026-11-20T11:00:00.000Z");
                    (200, vec![], existing.clone())
                }
                None => not_found,
            }
        }
        ("POST", "discussions") => create_discussion(state, request),
        _ => not_found,
    }
}

/// What GitLab checks of a new diff discussion, and the discussion it returns.
fn create_discussion(state: &mut State, request: &Request) -> Answer {
    let field = |name: &str| request.field(name).unwrap_or_default().to_owned();
    let required = [
        "body",
        "position[position_type]",
        "position[base_sha]",
        "position[start_sha]",
        "position[head_sha]",
        "position[new_path]",
        "position[old_path]",
    ];
    if let Some(missing) = required.iter().find(|k| field(k).is_empty()) {
        return (
            400,
            vec![],
            json!({"error": format!("{missing} is missing")}),
        );
    }
    let id = next_id(state);
    let mut first = note(id, &field("body"), "project_42_bot", false);
    first["type"] = json!("DiffNote");
    first["resolvable"] = json!(true);
    first["resolved"] = json!(false);
    first["position"] = json!({
        "base_sha": field("position[base_sha]"),
        "start_sha": field("position[start_sha]"),
        "head_sha": field("position[head_sha]"),
        "old_path": field("position[old_path]"),
        "new_path": field("position[new_path]"),
        "position_type": field("position[position_type]"),
        "old_line": null,
        "new_line": field("position[new_line]").parse::<u64>().ok(),
    });
    let discussion = json!({
        "id": format!("{id:040x}"),
        "individual_note": false,
        "notes": [first],
    });
    state.discussions.push(discussion.clone());
    (201, vec![], discussion)
}

/// One page of `items` with GitLab's pagination headers (`per_page` capped by the fake's own
/// page size, as GitLab caps it at 100).
fn page(items: &[Value], page_size: usize, request: &Request) -> Answer {
    let per_page = request
        .query
        .get("per_page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(20)
        .clamp(1, page_size.max(1));
    let number = request
        .query
        .get("page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let pages = items.len().div_ceil(per_page).max(1);
    let slice: Vec<Value> = items
        .iter()
        .skip((number - 1) * per_page)
        .take(per_page)
        .cloned()
        .collect();
    let next = if number < pages {
        (number + 1).to_string()
    } else {
        String::new()
    };
    let mut headers = vec![
        ("x-page".to_owned(), number.to_string()),
        ("x-per-page".to_owned(), per_page.to_string()),
        ("x-next-page".to_owned(), next.clone()),
        (
            "x-prev-page".to_owned(),
            if number > 1 {
                (number - 1).to_string()
            } else {
                String::new()
            },
        ),
        ("x-total".to_owned(), items.len().to_string()),
        ("x-total-pages".to_owned(), pages.to_string()),
    ];
    if !next.is_empty() {
        headers.push((
            "link".to_owned(),
            format!(
                "<http://gitlab.example.com/api/v4/projects/{PROJECT_ID}/merge_requests/{MR_IID}/{}?page={next}&per_page={per_page}>; rel=\"next\"",
                request.route
            ),
        ));
    }
    (200, headers, Value::Array(slice))
}

fn decode_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}
