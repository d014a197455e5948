//! Downloading one ecosystem's `all.zip` into the database directory.
//!
//! - **Conditional**: the ETag and Last-Modified of the data in use are sent back as
//!   `If-None-Match` / `If-Modified-Since`; `304 Not Modified` costs one round trip.
//! - **Resumable**: the body streams into `.<ecosystem>.zip.part`, next to a small
//!   `.<ecosystem>.zip.part.json` holding the URL and the validator it was served with (written
//!   before the first byte). A transfer that breaks off, in this run or an earlier one, goes on
//!   with `Range: bytes=N-` and `If-Range: <validator>`: `206` appends, `200` (the export
//!   changed meanwhile, or the server ignores ranges) starts over.
//! - **Verified**: sha256 is computed over exactly the bytes stored (the kept prefix is
//!   re-read when resuming) and recorded; the index build checks the file against it.
//! - **Retried**: connection errors, timeouts and 408/429/5xx through [`crate::http`]; broken
//!   transfers are resumed up to the same number of attempts, with the same backoff.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use reqwest::header::{
    HeaderMap, CONTENT_RANGE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, LAST_MODIFIED,
    RANGE,
};
use reqwest::{StatusCode, Url};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::DbError;
use super::names::file_stem;
use crate::hex::encode as hex;
use crate::http::{self, RetryPolicy, Timeouts};

/// The validators of the data already in use, for a conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A finished download, stored in `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Download {
    pub path: PathBuf,
    pub sha256: String,
    pub bytes: u64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The byte offset an earlier, interrupted transfer was resumed from.
    pub resumed_from: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fetched {
    /// `304`: the data in use is current.
    NotModified,
    Complete(Download),
}

/// What is remembered about a partial download.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PartInfo {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    /// The whole export's size, when the server said.
    total: Option<u64>,
}

/// `.<ecosystem>.zip.part` and its `.json` companion in `dir`.
pub(crate) fn part_paths(dir: &Path, ecosystem: &str) -> (PathBuf, PathBuf) {
    let stem = file_stem(ecosystem);
    (
        dir.join(format!(".{stem}.zip.part")),
        dir.join(format!(".{stem}.zip.part.json")),
    )
}

/// Removes a partial download (both files); missing files are fine.
pub(crate) fn discard_part(dir: &Path, ecosystem: &str) {
    let (part, info) = part_paths(dir, ecosystem);
    let _ = std::fs::remove_file(part);
    let _ = std::fs::remove_file(info);
}

/// The HTTP side of `db update`: one runtime and one connection pool for every ecosystem.
pub(crate) struct Downloader {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
    retry: RetryPolicy,
    timeouts: Timeouts,
    progress: bool,
}

/// How a body transfer ended, when it did not complete.
enum Broken {
    /// The connection broke or stalled: resume.
    Interrupted(String),
    /// Writing to disk failed: stop.
    Fatal(DbError),
}

impl Downloader {
    pub(crate) fn new(
        retry: RetryPolicy,
        timeouts: Timeouts,
        progress: bool,
    ) -> Result<Downloader, DbError> {
        let runtime = http::runtime("portcullis-db").map_err(|e| DbError::Setup {
            message: format!("cannot start the HTTP runtime: {e}"),
        })?;
        let client = http::client(&timeouts).map_err(|e| DbError::Setup {
            message: format!("cannot set up the HTTP client: {e}"),
        })?;
        Ok(Downloader {
            runtime,
            client,
            retry,
            timeouts,
            progress,
        })
    }

    /// Fetches `url` into the part file of `ecosystem` in `dir`, unless the server says the
    /// data described by `current` is still current. Must not be called from inside an async
    /// runtime.
    pub(crate) fn fetch(
        &self,
        ecosystem: &str,
        url: &Url,
        dir: &Path,
        current: Option<&Validators>,
    ) -> Result<Fetched, DbError> {
        self.runtime
            .block_on(self.fetch_async(ecosystem, url, dir, current))
    }

    async fn fetch_async(
        &self,
        ecosystem: &str,
        url: &Url,
        dir: &Path,
        current: Option<&Validators>,
    ) -> Result<Fetched, DbError> {
        let (part, info_path) = part_paths(dir, ecosystem);
        let url_text = url.to_string();
        let fail = |message: String| DbError::Download {
            url: url_text.clone(),
            message,
        };
        let mut interruptions = 0u32;
        let mut resumed_from = None;
        loop {
            let resume = Resume::load(&part, &info_path, &url_text);
            if resume.is_none() {
                discard_part(dir, ecosystem);
            }
            let response = http::send_retrying(
                &self.retry,
                &self.timeouts,
                || {
                    let mut request = self.client.get(url.clone());
                    if let Some(current) = current {
                        if let Some(etag) = &current.etag {
                            request = request.header(IF_NONE_MATCH, etag);
                        }
                        if let Some(date) = &current.last_modified {
                            request = request.header(IF_MODIFIED_SINCE, date);
                        }
                    }
                    if let Some(resume) = &resume {
                        request = request
                            .header(RANGE, format!("bytes={}-", resume.offset))
                            .header(IF_RANGE, &resume.validator);
                    }
                    request
                },
                http::error_chain,
            )
            .await
            .map_err(fail)?;

            let status = response.status();
            let (offset, total) = match status {
                StatusCode::NOT_MODIFIED => {
                    // Any partial download is of another version than the one in use.
                    discard_part(dir, ecosystem);
                    return Ok(Fetched::NotModified);
                }
                StatusCode::OK => {
                    let info = PartInfo {
                        url: url_text.clone(),
                        etag: header(response.headers(), ETAG),
                        last_modified: header(response.headers(), LAST_MODIFIED),
                        total: response.content_length(),
                    };
                    start_part(&part, &info_path, &info)?;
                    resumed_from = None; // whatever an earlier attempt had, it starts over
                    (0, info.total)
                }
                StatusCode::PARTIAL_CONTENT => {
                    let Some(resume) = &resume else {
                        return Err(fail(
                            "the server sent part of the file (206) to a request for all of it"
                                .into(),
                        ));
                    };
                    let range = header(response.headers(), CONTENT_RANGE);
                    let start = range.as_deref().and_then(http::content_range_start);
                    if start != Some(resume.offset) {
                        return Err(fail(format!(
                            "asked to resume at byte {} but the server sent the range {}",
                            resume.offset,
                            range.as_deref().unwrap_or("(none)")
                        )));
                    }
                    resumed_from.get_or_insert(resume.offset);
                    let total = range
                        .as_deref()
                        .and_then(content_range_total)
                        .or(resume.total);
                    (resume.offset, total)
                }
                StatusCode::RANGE_NOT_SATISFIABLE => {
                    // Asked for the bytes after the end: the part may already be whole (a run
                    // stopped between the download and the index build).
                    if let Some(resume) = resume.filter(|r| r.total == Some(r.offset)) {
                        return finish(&part, &info_path, resume.offset, resumed_from);
                    }
                    discard_part(dir, ecosystem);
                    interruptions += 1;
                    if interruptions >= self.retry.max_attempts.max(1) {
                        return Err(fail("the server refused every byte range".into()));
                    }
                    continue;
                }
                StatusCode::NOT_FOUND => {
                    return Err(DbError::NotFound {
                        ecosystem: ecosystem.to_owned(),
                        url: url_text,
                    });
                }
                _ => {
                    return Err(fail(format!("the server answered {status}")));
                }
            };

            // Created once the server answered, so a failed request draws no empty bar.
            let bar = progress_bar(self.progress, ecosystem);
            if let Some(total) = total {
                bar.set_length(total);
            }
            bar.set_position(offset);
            let streamed = self.stream(response, &part, offset, total, &bar).await;
            bar.finish_and_clear();
            match streamed {
                Ok(hasher) => {
                    let info = read_info(&info_path);
                    let bytes = std::fs::metadata(&part)
                        .map_err(|e| DbError::io("cannot read", &part, e))?
                        .len();
                    discard_info(&info_path);
                    return Ok(Fetched::Complete(Download {
                        path: part,
                        sha256: hex(&hasher.finalize()),
                        bytes,
                        etag: info.as_ref().and_then(|i| i.etag.clone()),
                        last_modified: info.and_then(|i| i.last_modified),
                        resumed_from,
                    }));
                }
                Err(Broken::Fatal(error)) => return Err(error),
                Err(Broken::Interrupted(problem)) => {
                    interruptions += 1;
                    if interruptions >= self.retry.max_attempts.max(1) {
                        let kept = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
                        return Err(fail(format!(
                            "the transfer broke off {interruptions} time{} ({problem}); the \
                             {kept} bytes received are kept in {} and the next `portcullis \
                             db update` resumes from there",
                            if interruptions == 1 { "" } else { "s" },
                            part.display()
                        )));
                    }
                    tokio::time::sleep(self.retry.backoff(interruptions)).await;
                }
            }
        }
    }

    /// Appends the body to the part file from `offset`, hashing everything the file holds.
    async fn stream(
        &self,
        mut response: reqwest::Response,
        part: &Path,
        offset: u64,
        total: Option<u64>,
        bar: &indicatif::ProgressBar,
    ) -> Result<Sha256, Broken> {
        let disk = |action, e| Broken::Fatal(DbError::io(action, part, e));
        let mut hasher = Sha256::new();
        let file = if offset > 0 {
            hash_prefix(part, offset, &mut hasher).map_err(|e| disk("cannot read", e))?;
            OpenOptions::new()
                .append(true)
                .open(part)
                .map_err(|e| disk("cannot write", e))?
        } else {
            File::create(part).map_err(|e| disk("cannot write", e))?
        };
        let mut writer = BufWriter::with_capacity(256 * 1024, file);
        let mut written = offset;
        loop {
            let chunk = tokio::time::timeout(self.timeouts.read, response.chunk()).await;
            let chunk = match chunk {
                Err(_) => {
                    writer.flush().map_err(|e| disk("cannot write", e))?;
                    return Err(Broken::Interrupted(format!(
                        "no data for {} after {written} bytes",
                        http::seconds(self.timeouts.read)
                    )));
                }
                Ok(Err(error)) => {
                    writer.flush().map_err(|e| disk("cannot write", e))?;
                    return Err(Broken::Interrupted(format!(
                        "{} after {written} bytes",
                        http::error_chain(&error)
                    )));
                }
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => chunk,
            };
            writer
                .write_all(&chunk)
                .map_err(|e| disk("cannot write", e))?;
            hasher.update(&chunk);
            written += chunk.len() as u64;
            bar.set_position(written);
        }
        writer.flush().map_err(|e| disk("cannot write", e))?;
        match total {
            Some(total) if written != total => Err(Broken::Interrupted(format!(
                "the connection closed after {written} of {total} bytes"
            ))),
            _ => Ok(hasher),
        }
    }
}

/// A partial download that can be continued.
struct Resume {
    offset: u64,
    /// A strong ETag, else the Last-Modified date: what `If-Range` accepts.
    validator: String,
    total: Option<u64>,
}

impl Resume {
    fn load(part: &Path, info_path: &Path, url: &str) -> Option<Resume> {
        let info = read_info(info_path)?;
        let offset = std::fs::metadata(part).ok()?.len();
        if info.url != url || offset == 0 || info.total.is_some_and(|total| offset > total) {
            return None;
        }
        let validator = info
            .etag
            .filter(|etag| !etag.starts_with("W/"))
            .or(info.last_modified)?;
        Some(Resume {
            offset,
            validator,
            total: info.total,
        })
    }
}

fn read_info(path: &Path) -> Option<PartInfo> {
    let text = std::fs::read(path).ok()?;
    serde_json::from_slice(&text).ok()
}

fn discard_info(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// Empties the part file and records what it will hold, before the first byte arrives.
fn start_part(part: &Path, info_path: &Path, info: &PartInfo) -> Result<(), DbError> {
    File::create(part).map_err(|e| DbError::io("cannot write", part, e))?;
    let json = serde_json::to_vec(info).unwrap_or_default();
    std::fs::write(info_path, json).map_err(|e| DbError::io("cannot write", info_path, e))
}

/// A part that turned out to be complete: hash it as it is.
fn finish(
    part: &Path,
    info_path: &Path,
    bytes: u64,
    resumed_from: Option<u64>,
) -> Result<Fetched, DbError> {
    let mut hasher = Sha256::new();
    hash_prefix(part, bytes, &mut hasher).map_err(|e| DbError::io("cannot read", part, e))?;
    let info = read_info(info_path);
    discard_info(info_path);
    Ok(Fetched::Complete(Download {
        path: part.to_path_buf(),
        sha256: hex(&hasher.finalize()),
        bytes,
        etag: info.as_ref().and_then(|i| i.etag.clone()),
        last_modified: info.and_then(|i| i.last_modified),
        resumed_from: resumed_from.or(Some(bytes)),
    }))
}

fn hash_prefix(path: &Path, length: u64, hasher: &mut Sha256) -> std::io::Result<()> {
    let mut file = File::open(path)?.take(length);
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok(());
        }
        hasher.update(&buffer[..n]);
    }
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `bytes 100-199/200` → 200; `bytes 100-199/*` → `None`.
fn content_range_total(value: &str) -> Option<u64> {
    value.rsplit_once('/')?.1.trim().parse().ok()
}

/// A byte-counting bar on standard error for one ecosystem; hidden when `show` is false, and
/// by indicatif when standard error is not a terminal.
fn progress_bar(show: bool, ecosystem: &str) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::no_length().with_prefix(ecosystem.to_owned());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{prefix:>14} {bytes:>10}/{total_bytes:10} {wide_bar} {bytes_per_sec:>12} {eta:>4}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(250));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resumes_only_what_it_can_identify() {
        let dir = tempfile::tempdir().unwrap();
        let (part, info) = part_paths(dir.path(), "Red Hat");
        assert!(part.ends_with(".Red%20Hat.zip.part"));
        let url = "http://mirror.test/Red%20Hat/all.zip";
        std::fs::write(&part, b"0123456789").unwrap();
        assert!(
            Resume::load(&part, &info, url).is_none(),
            "no companion file"
        );

        let write = |info_value: serde_json::Value| {
            std::fs::write(&info, info_value.to_string()).unwrap();
        };
        write(
            serde_json::json!({"url": url, "etag": "\"abc\"", "last_modified": null, "total": 20}),
        );
        let resume = Resume::load(&part, &info, url).unwrap();
        assert_eq!((resume.offset, resume.validator.as_str()), (10, "\"abc\""));
        assert!(Resume::load(&part, &info, "http://elsewhere/all.zip").is_none());

        // A weak ETag cannot be used with If-Range; the date can.
        write(serde_json::json!({"url": url, "etag": "W/\"abc\"",
                                 "last_modified": "Tue, 01 Oct 2024 00:00:00 GMT", "total": null}));
        let resume = Resume::load(&part, &info, url).unwrap();
        assert_eq!(resume.validator, "Tue, 01 Oct 2024 00:00:00 GMT");
        write(
            serde_json::json!({"url": url, "etag": "W/\"abc\"", "last_modified": null, "total": null}),
        );
        assert!(Resume::load(&part, &info, url).is_none());

        // Longer than the whole file: not a prefix of it.
        write(
            serde_json::json!({"url": url, "etag": "\"abc\"", "last_modified": null, "total": 5}),
        );
        assert!(Resume::load(&part, &info, url).is_none());

        discard_part(dir.path(), "Red Hat");
        assert!(!part.exists() && !info.exists());
    }

    #[test]
    fn content_range_totals() {
        assert_eq!(content_range_total("bytes 100-199/200"), Some(200));
        assert_eq!(content_range_total("bytes 100-199/*"), None);
    }
}
