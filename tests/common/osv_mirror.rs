//! A stand-in for the OSV bucket (`<base>/<ECOSYSTEM>/all.zip`) on a loopback port, answering
//! the way Google Cloud Storage does: `ETag`, `Last-Modified`, `Content-Length`,
//! `Accept-Ranges: bytes`; `304` to a matching `If-None-Match` (or, without one, to an
//! `If-Modified-Since` not older than the file); `206` with `Content-Range` to `Range:
//! bytes=N-` unless an `If-Range` names another version (then `200`); `416` past the end.
//! Faults can be queued: a status for the next requests, or a body cut off after N bytes.
//! Every request's line and headers are recorded.
//!
//! Exports are built at test time from the real records in the shared data
//! (`vulndata/go/osv`, `vulndata/pypa/vulns` converted from YAML to JSON as the real exports
//! hold JSON, `vulndata/rustsec/crates`).
//!
//! Included with `#[path = "common/osv_mirror.rs"] mod osv_mirror;`.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A fault for the next request(s), taken in order.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// Answer with this status and no body.
    Status(u16),
    /// Serve normally but close the connection after this many body bytes.
    CutAfter(usize),
}

struct Served {
    body: Vec<u8>,
    etag: String,
    last_modified: String,
}

#[derive(Default)]
struct State {
    files: HashMap<String, Served>,
    requests: Vec<Request>,
    faults: VecDeque<Fault>,
    versions: u32,
}

pub struct Mirror {
    pub port: u16,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl Mirror {
    pub fn start() -> Mirror {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (state2, stop2) = (Arc::clone(&state), Arc::clone(&stop));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&state2);
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        Mirror { port, state, stop }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Serves `body` as `/<ecosystem>/all.zip` (the ecosystem percent-encoded as a path
    /// segment), as a new version: new ETag, Last-Modified one second later than before.
    pub fn publish(&self, ecosystem: &str, body: Vec<u8>) -> String {
        let mut state = self.state.lock().unwrap();
        state.versions += 1;
        let etag = format!("\"v{}-{}\"", state.versions, body.len());
        let date =
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + u64::from(state.versions));
        let path = format!("/{}/all.zip", ecosystem.replace(' ', "%20"));
        state.files.insert(
            path,
            Served {
                body,
                etag: etag.clone(),
                last_modified: httpdate::fmt_http_date(date),
            },
        );
        etag
    }

    pub fn fault(&self, fault: Fault, times: usize) {
        let mut state = self.state.lock().unwrap();
        for _ in 0..times {
            state.faults.push_back(fault);
        }
    }

    pub fn clear_faults(&self) {
        self.state.lock().unwrap().faults.clear();
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.state.lock().unwrap().requests.clear();
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 {
            break;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let request = Request { path, headers };
    let (status, extra, body, cut) = {
        let mut state = state.lock().unwrap();
        state.requests.push(request.clone());
        let fault = state.faults.pop_front();
        match (fault, state.files.get(&request.path)) {
            (Some(Fault::Status(code)), _) => (code, Vec::new(), Vec::new(), None),
            (_, None) => (404, Vec::new(), b"no such object".to_vec(), None),
            (fault, Some(file)) => {
                let cut = match fault {
                    Some(Fault::CutAfter(n)) => Some(n),
                    _ => None,
                };
                let (status, extra, body) = answer(&request, file);
                (status, extra, body, cut)
            }
        }
    };
    let mut stream = stream;
    let reason = match status {
        200 => "OK",
        206 => "Partial Content",
        304 => "Not Modified",
        404 => "Not Found",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Whatever",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nConnection: close\r\n");
    for (name, value) in &extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let sent = cut.map_or(body.len(), |n| n.min(body.len()));
    let _ = stream.write_all(&body[..sent]);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}

/// Status, headers and body for a request of an existing file.
fn answer(request: &Request, file: &Served) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut headers = vec![
        ("ETag".to_owned(), file.etag.clone()),
        ("Last-Modified".to_owned(), file.last_modified.clone()),
        ("Accept-Ranges".to_owned(), "bytes".to_owned()),
    ];
    let not_modified = match request.header("if-none-match") {
        Some(tags) => tags.split(',').any(|t| t.trim() == file.etag),
        None => request.header("if-modified-since").is_some_and(|since| {
            let since = httpdate::parse_http_date(since);
            let modified = httpdate::parse_http_date(&file.last_modified);
            matches!((since, modified), (Ok(s), Ok(m)) if m <= s)
        }),
    };
    if not_modified {
        return (304, headers, Vec::new());
    }
    headers.push(("Content-Type".to_owned(), "application/zip".to_owned()));
    let range_start = request
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok());
    let if_range_ok = request
        .header("if-range")
        .is_none_or(|v| v == file.etag || v == file.last_modified);
    match range_start {
        Some(start) if if_range_ok => {
            let total = file.body.len();
            if start >= total {
                headers.push(("Content-Range".to_owned(), format!("bytes */{total}")));
                return (416, headers, Vec::new());
            }
            headers.push((
                "Content-Range".to_owned(),
                format!("bytes {start}-{}/{total}", total - 1),
            ));
            (206, headers, file.body[start..].to_vec())
        }
        _ => (200, headers, file.body.clone()),
    }
}

// ---------------------------------------------------------------------------------------------
// Exports built from the shared data

/// A zip of `(entry name, bytes)`, deflated, as the OSV bucket's exports are.
pub fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        writer
            .start_file(name.as_str(), options)
            .expect("zip entry");
        writer.write_all(content).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

/// The JSON records of a directory (sorted by file name), at most `limit`, always including
/// the files named in `must`.
pub fn json_records(dir: &Path, limit: usize, must: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the records directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let keep = |p: &PathBuf| {
        let name = p.file_name().unwrap().to_string_lossy();
        must.iter().any(|m| name == *m)
    };
    let chosen: Vec<PathBuf> = files
        .iter()
        .take(limit)
        .chain(files.iter().skip(limit).filter(|p| keep(p)))
        .cloned()
        .collect();
    chosen
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read a record"))
        })
        .collect()
}

/// The PyPA YAML records of the package directories `packages` (all when empty), converted to
/// JSON the way osv.dev exports them.
pub fn pypa_records(vulns: &Path, packages: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(vulns)
        .expect("read the PyPA directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .filter(|p| {
            packages.is_empty()
                || packages.contains(&p.file_name().unwrap().to_string_lossy().as_ref())
        })
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read a PyPA record");
            let value: serde_json::Value =
                serde_yaml_ng::from_str(&text).expect("PyPA records are YAML");
            let id = value["id"].as_str().expect("an id").to_owned();
            out.push((format!("{id}.json"), serde_json::to_vec(&value).unwrap()));
        }
    }
    out
}
