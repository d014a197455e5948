//! The secret scan of an image: every regular file of every layer as the layer streams by
//! (through [`SecretsCataloger`], a cataloger whose extract is the scan), and the config's
//! `ENV` values, labels and history steps.
//!
//! The scan runs beside the layer walk, not in it: the walk hands each text file to scanning
//! threads and goes on with the next entry, so that on a one-layer image (one walking thread)
//! the other cores scan. Binary files never leave the walk: names that are binary by format
//! (shared libraries, compressed files, message catalogues...) are not even read, and content
//! with a NUL byte near its start stops at that check.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use super::scanner::{SecretMatch, SecretScanner};
use crate::finding::Finding;
use crate::image::catalog::{Cataloger, EntryInfo, ImageFiles, Package, Want};
use crate::image::hygiene::{self, HygieneFinding};
use crate::image::layers::LayerContents;
use crate::image::metadata::ImageMetadata;
use crate::image::scanned::ScannedImage;
use crate::rules::SECRET_IN_IMAGE;

/// Largest file read for secrets.
pub const MAX_SECRET_FILE: u64 = 10 << 20;

/// Most bytes of text waiting for the scanning threads; the walk waits beyond it.
const MAX_QUEUED_BYTES: usize = 64 << 20;

/// Most scanning threads.
const MAX_SCAN_THREADS: usize = 4;

/// File name endings of formats that are binary by definition (the content check would skip
/// them after reading them whole): shared libraries, object files, compressed and archive
/// files, compiled message catalogues and bytecode, images and fonts. Matched ASCII
/// case-insensitively; `.so.N...` (versioned libraries) too.
pub const BINARY_SUFFIXES: &[&str] = &[
    ".so", ".a", ".o", ".ko", ".mo", ".gmo", ".pyc", ".pyo", ".class", ".gz", ".tgz", ".xz",
    ".txz", ".bz2", ".zst", ".lz4", ".lzma", ".zip", ".jar", ".war", ".whl", ".deb", ".rpm",
    ".apk", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".bmp", ".tiff", ".ttf", ".otf",
    ".woff", ".woff2", ".pdf", ".db", ".sqlite", ".wasm",
];

/// Whether the file name says the content is binary ([`BINARY_SUFFIXES`]).
pub fn binary_by_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let has_suffix = |name: &str| {
        BINARY_SUFFIXES.iter().any(|suffix| {
            name.len() > suffix.len()
                && name.as_bytes()[name.len() - suffix.len()..]
                    .eq_ignore_ascii_case(suffix.as_bytes())
        })
    };
    if has_suffix(name) {
        return true;
    }
    // `libc.so.6`, `libssl.so.3.0.11`: a shared library name with a version after `.so`.
    name.find(".so.").is_some_and(|at| {
        at > 0
            && name[at + 4..]
                .split('.')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// A secret in a file of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerSecret {
    /// The layer that holds the file (manifest order).
    pub layer: usize,
    pub found: SecretMatch,
    /// The later layer that deleted the file (whiteout or opaque directory), if any.
    pub deleted_in: Option<usize>,
    /// The later layer that wrote the path again, if any (and none deleted it before).
    pub replaced_in: Option<usize>,
}

/// One text file for a scanning thread: its ticket (the extract), path and content.
type Job = (u64, String, Vec<u8>);

/// What the scanning threads share with the walk.
struct Shared {
    /// Matches by ticket; tickets without matches are absent.
    found: Mutex<HashMap<u64, Vec<SecretMatch>>>,
    /// Bytes handed over and not yet scanned.
    queued: Mutex<usize>,
    drained: Condvar,
}

/// The scanning threads, started with the first text file.
struct Workers {
    sender: SyncSender<Job>,
    threads: Vec<JoinHandle<()>>,
}

/// Hands each regular file's content (up to [`MAX_SECRET_FILE`]) to the scanner while the
/// layer is walked; the extract is a ticket for the matches the scanning threads find.
pub struct SecretsCataloger {
    /// Shared with the scanning threads.
    scanner: Arc<SecretScanner>,
    shared: Arc<Shared>,
    workers: Mutex<Option<Workers>>,
    next_ticket: AtomicU64,
    /// Scanning threads to start (at least 1).
    threads: usize,
}

impl SecretsCataloger {
    pub fn new(scanner: &SecretScanner) -> Self {
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .clamp(1, MAX_SCAN_THREADS);
        SecretsCataloger {
            scanner: Arc::new(scanner.clone()),
            shared: Arc::new(Shared {
                found: Mutex::new(HashMap::new()),
                queued: Mutex::new(0),
                drained: Condvar::new(),
            }),
            workers: Mutex::new(None),
            next_ticket: AtomicU64::new(0),
            threads,
        }
    }

    /// Queues one text file for the scanning threads (starting them the first time), waiting
    /// while too many bytes are queued.
    fn dispatch(&self, job: Job) {
        let size = job.2.len();
        {
            let mut queued = self.shared.queued.lock().expect("secret queue");
            while *queued > 0 && *queued + size > MAX_QUEUED_BYTES {
                queued = self.shared.drained.wait(queued).expect("secret queue");
            }
            *queued += size;
        }
        let mut workers = self.workers.lock().expect("secret workers");
        let workers = workers.get_or_insert_with(|| self.start());
        if let Err(failed) = workers.sender.send(job) {
            // Only if every scanning thread died (a panic): scan here.
            let (ticket, path, content) = failed.0;
            finish(
                &self.shared,
                ticket,
                self.scanner.scan_file_text(&path, &content),
                size,
            );
        }
    }

    fn start(&self) -> Workers {
        let (sender, receiver) = sync_channel::<Job>(256);
        let receiver = Arc::new(Mutex::new(receiver));
        let threads = (0..self.threads)
            .map(|_| {
                let scanner = Arc::clone(&self.scanner);
                let shared = Arc::clone(&self.shared);
                let receiver = Arc::clone(&receiver);
                std::thread::spawn(move || scan_queue(&scanner, &shared, &receiver))
            })
            .collect();
        Workers { sender, threads }
    }

    /// Waits for the scanning threads to finish the queued files.
    fn wait(&self) {
        let workers = self.workers.lock().expect("secret workers").take();
        if let Some(Workers { sender, threads }) = workers {
            drop(sender);
            for thread in threads {
                if let Err(panic) = thread.join() {
                    std::panic::resume_unwind(panic);
                }
            }
        }
    }

    /// The secrets of every layer's files, from the walked layers (before their merge, so
    /// files deleted later are included); `me` is this cataloger's index in the walk.
    pub fn collect(&self, walked: &[LayerContents], me: usize) -> Vec<LayerSecret> {
        self.wait();
        let found = self.shared.found.lock().expect("secret matches");
        let mut out: Vec<LayerSecret> = Vec::new();
        // Hard links share their target's extract: each match is reported once per layer.
        let mut seen: HashSet<(usize, &str, &str, usize)> = HashSet::new();
        for (layer, contents) in walked.iter().enumerate() {
            for entry in &contents.entries {
                let Some(extract) = entry.kept.as_deref().and_then(|k| k.extract(me)) else {
                    continue;
                };
                let Ok(bytes) = <[u8; 8]>::try_from(&extract[..]) else {
                    continue;
                };
                let Some(matches) = found.get(&u64::from_le_bytes(bytes)) else {
                    continue;
                };
                for m in matches {
                    if !seen.insert((layer, &m.source, &m.rule_id, m.start)) {
                        continue;
                    }
                    let (deleted_in, replaced_in) = fate(walked, layer, &m.source);
                    out.push(LayerSecret {
                        layer,
                        found: m.clone(),
                        deleted_in,
                        replaced_in,
                    });
                }
            }
        }
        out
    }
}

impl Drop for SecretsCataloger {
    fn drop(&mut self) {
        // Not collected (the walk failed): let the threads finish, without rethrowing.
        if let Some(Workers { sender, threads }) =
            self.workers.get_mut().ok().and_then(Option::take)
        {
            drop(sender);
            for thread in threads {
                let _ = thread.join();
            }
        }
    }
}

/// A scanning thread: takes files off the queue until the walk is over.
fn scan_queue(scanner: &SecretScanner, shared: &Shared, receiver: &Mutex<Receiver<Job>>) {
    loop {
        let job = receiver.lock().map(|r| r.recv());
        let Ok(Ok((ticket, path, content))) = job else {
            return;
        };
        let scanned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            scanner.scan_file_text(&path, &content)
        }));
        match scanned {
            Ok(matches) => finish(shared, ticket, matches, content.len()),
            Err(panic) => {
                // Release the file's bytes so the walk never waits on them, then fail: the
                // panic reaches the caller when the scan is collected.
                finish(shared, ticket, Vec::new(), content.len());
                std::panic::resume_unwind(panic);
            }
        }
    }
}

fn finish(shared: &Shared, ticket: u64, matches: Vec<SecretMatch>, size: usize) {
    if !matches.is_empty() {
        shared
            .found
            .lock()
            .expect("secret matches")
            .insert(ticket, matches);
    }
    let mut queued = shared.queued.lock().expect("secret queue");
    *queued -= size;
    shared.drained.notify_all();
}

/// What later layers did to `path` of `layer`: the first that deleted it, or else the first
/// that wrote it again.
pub(crate) fn fate(
    walked: &[LayerContents],
    layer: usize,
    path: &str,
) -> (Option<usize>, Option<usize>) {
    let under = |dir: &str| {
        dir == "/" || path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
    };
    for later in walked.iter().skip(layer + 1) {
        let deleted = later.whiteouts.iter().any(|w| under(w))
            || later.opaque_dirs.iter().any(|d| path != &**d && under(d));
        if deleted {
            return (Some(later.index), None);
        }
        if later.entries.iter().any(|e| &*e.path == path) {
            return (None, Some(later.index));
        }
    }
    (None, None)
}

impl Cataloger for SecretsCataloger {
    fn name(&self) -> &'static str {
        "secrets"
    }

    fn wants(&self, entry: &EntryInfo<'_>) -> Want {
        if entry.size == 0
            || entry.size > MAX_SECRET_FILE
            || binary_by_name(entry.path)
            || self.scanner.skips_path(entry.path)
        {
            Want::No
        } else {
            Want::Extract
        }
    }

    /// A ticket for the file's matches when it is text (scanned by the scanning threads),
    /// nothing for binary content. The path passed [`Self::wants`] already (a hard link is
    /// asked about under its own path too), so it is not matched against the skip globs again,
    /// and the scanning threads repeat neither check.
    fn extract(&self, path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
        if SecretScanner::is_binary(bytes) {
            return None;
        }
        let ticket = self.next_ticket.fetch_add(1, Ordering::Relaxed);
        self.dispatch((ticket, path.to_owned(), bytes.to_vec()));
        Some(ticket.to_le_bytes().to_vec())
    }

    fn catalog(&self, _files: &dyn ImageFiles, _problems: &mut Vec<String>) -> Vec<Package> {
        Vec::new()
    }
}

/// A secret in the image configuration: an `ENV` value, a label or a history step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigSecret {
    /// The history step's layer, when the secret is in a step that made one.
    pub layer: Option<usize>,
    pub found: SecretMatch,
}

/// Secrets in `metadata`'s `ENV` values, labels and history `created_by` lines.
pub fn config_secrets(scanner: &SecretScanner, metadata: &ImageMetadata) -> Vec<ConfigSecret> {
    let mut out = Vec::new();
    let config = |found: SecretMatch| ConfigSecret { layer: None, found };
    for env in &metadata.config.env {
        // The whole `NAME=value`: assignment-shaped rules need the name.
        let name = env.split_once('=').map_or(env.as_str(), |(name, _)| name);
        out.extend(
            scanner
                .scan_text(&format!("ENV {name}"), env)
                .into_iter()
                .map(config),
        );
    }
    for (name, value) in &metadata.config.labels {
        let text = format!("{name}={value}");
        out.extend(
            scanner
                .scan_text(&format!("LABEL {name}"), &text)
                .into_iter()
                .map(config),
        );
    }
    for (step, entry) in metadata.history.iter().enumerate() {
        let Some(created_by) = &entry.created_by else {
            continue;
        };
        out.extend(
            scanner
                .scan_text(&format!("history step {step}"), created_by)
                .into_iter()
                .map(|found| ConfigSecret {
                    layer: entry.layer,
                    found,
                }),
        );
    }
    out
}

/// The masked secret for a message: runs of more than 8 `*` (a PEM body) shortened to 8.
fn shown(masked: &str) -> String {
    let mut out = String::with_capacity(masked.len().min(64));
    let mut run = 0;
    for c in masked.chars() {
        run = if c == '*' { run + 1 } else { 0 };
        if run <= 8 {
            out.push(c);
        }
    }
    out
}

/// The findings of the secrets of `image`, placed as hygiene findings are (on the Dockerfile
/// line of their layer, else on the image reference), with the severity of the secret rule.
pub fn findings(
    image: &ScannedImage,
    layers: &[LayerSecret],
    config: &[ConfigSecret],
) -> Vec<Finding> {
    let mut hygiene = Vec::new();
    let mut severities = Vec::new();
    for secret in layers {
        let m = &secret.found;
        let mut message = format!(
            "{} ({}) in {}:{}: {}",
            m.title,
            m.rule_id,
            m.source,
            m.line,
            shown(&m.masked)
        );
        if let Some(deleted) = secret.deleted_in {
            message.push_str(&format!(
                ", deleted in layer {deleted} but still shipped in layer {}",
                secret.layer
            ));
        } else if let Some(replaced) = secret.replaced_in {
            message.push_str(&format!(
                ", replaced in layer {replaced} but still shipped in layer {}",
                secret.layer
            ));
        }
        hygiene.push(HygieneFinding {
            rule: &SECRET_IN_IMAGE,
            message,
            layer: Some(secret.layer),
            path: Some(m.source.clone()),
            aliases: &[],
        });
        severities.push(m.severity);
    }
    for secret in config {
        let m = &secret.found;
        hygiene.push(HygieneFinding {
            rule: &SECRET_IN_IMAGE,
            message: format!(
                "{} ({}) in {} of the image config: {}",
                m.title,
                m.rule_id,
                m.source,
                shown(&m.masked)
            ),
            layer: secret.layer,
            path: Some(m.source.clone()),
            aliases: &[],
        });
        severities.push(m.severity);
    }
    let mut out = hygiene::findings(image, hygiene);
    for (finding, severity) in out.iter_mut().zip(severities) {
        finding.severity = severity;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::layers::{Compression, Entry, EntryKind};
    use crate::image::secrets::builtin_rules;

    fn layer(index: usize, paths: &[&str], whiteouts: &[&str], opaque: &[&str]) -> LayerContents {
        LayerContents {
            index,
            compression: Compression::None,
            entries: paths
                .iter()
                .map(|p| Entry {
                    path: (*p).into(),
                    kind: EntryKind::File,
                    mode: 0o644,
                    uid: 0,
                    gid: 0,
                    size: 1,
                    kept: None,
                })
                .collect(),
            whiteouts: whiteouts.iter().map(|w| (*w).into()).collect(),
            opaque_dirs: opaque.iter().map(|d| (*d).into()).collect(),
            problems: Vec::new(),
            tar_bytes: 0,
        }
    }

    #[test]
    fn a_later_whiteout_opaque_directory_or_rewrite_is_the_files_fate() {
        let walked = vec![
            layer(0, &["/app/key", "/etc/key"], &[], &[]),
            layer(1, &["/etc/key"], &[], &[]),
            layer(2, &[], &["/app"], &[]),
            layer(3, &[], &[], &["/etc"]),
        ];
        assert_eq!(fate(&walked, 0, "/app/key"), (Some(2), None));
        assert_eq!(fate(&walked, 0, "/etc/key"), (None, Some(1)));
        assert_eq!(fate(&walked, 1, "/etc/key"), (Some(3), None));
        assert_eq!(fate(&walked, 0, "/application"), (None, None));
        assert_eq!(fate(&walked, 3, "/etc/key"), (None, None));
    }

    #[test]
    fn a_hard_link_reports_its_target_once_and_skipped_paths_are_not_read() {
        use crate::image::layers::tests::{layer as tar, walk_at, Item};
        let scanner = SecretScanner::new(builtin_rules());
        let cataloger = SecretsCataloger::new(&scanner);
        let text = format!(
            "t={}\n",
            ["ghp_", "R8pWq3Lm7Zt2Kx9Vb4Nc6Hy1Js5Df0Ga8EuQ"].concat()
        );
        let bytes = tar(&[
            Item::File("app/token", text.clone().into_bytes(), 0o644),
            Item::HardLink("app/link", "app/token"),
            Item::File("src/testdata/token", text.into_bytes(), 0o644),
        ]);
        let walked = vec![walk_at(0, &bytes, &[&cataloger])];
        let found = cataloger.collect(&walked, 0);
        let sources: Vec<&str> = found.iter().map(|s| s.found.source.as_str()).collect();
        assert_eq!(sources, ["/app/token"]);
    }

    #[test]
    fn the_cataloger_reads_small_files_and_keeps_only_masked_matches() {
        let scanner = SecretScanner::new(builtin_rules());
        let cataloger = SecretsCataloger::new(&scanner);
        let info = |path, size| EntryInfo {
            path,
            size,
            mode: 0o644,
        };
        assert_eq!(cataloger.wants(&info("/app/.env", 10)), Want::Extract);
        assert_eq!(cataloger.wants(&info("/app/.env", 0)), Want::No);
        assert_eq!(
            cataloger.wants(&info("/app/big", MAX_SECRET_FILE + 1)),
            Want::No
        );
        assert_eq!(cataloger.wants(&info("/src/testdata/key", 10)), Want::No);
        assert_eq!(
            cataloger.wants(&info("/usr/lib/x86_64-linux-gnu/libz.so.1.3", 10)),
            Want::No
        );
        assert_eq!(
            cataloger.wants(&info("/usr/share/locale/de/LC_MESSAGES/apt.mo", 10)),
            Want::No
        );
        let token = ["ghp_", "R8pWq3Lm7Zt2Kx9Vb4Nc6Hy1Js5Df0Ga8EuQ"].concat();
        // Text gets a ticket whether or not it holds a secret; binary content gets nothing.
        assert_eq!(
            cataloger.extract("/app/a", b"nothing here"),
            Some(0u64.to_le_bytes().to_vec())
        );
        let binary = [&b"\0"[..], token.as_bytes()].concat();
        assert_eq!(cataloger.extract("/app/b", &binary), None);
        let index = cataloger.extract("/app/c", format!("t={token}").as_bytes());
        assert_eq!(index, Some(1u64.to_le_bytes().to_vec()));
        cataloger.wait();
        let found = cataloger.shared.found.lock().unwrap();
        assert_eq!(found.len(), 1, "only the ticket with a match is kept");
        assert_eq!(found[&1].len(), 1);
        assert!(!found[&1][0].masked.contains(&token));
        assert_eq!(*cataloger.shared.queued.lock().unwrap(), 0);
    }

    #[test]
    fn many_files_through_the_threads_keep_their_tickets() {
        let scanner = SecretScanner::new(builtin_rules());
        let cataloger = SecretsCataloger::new(&scanner);
        let token = ["ghp_", "R8pWq3Lm7Zt2Kx9Vb4Nc6Hy1Js5Df0Ga8EuQ"].concat();
        for i in 0..500u64 {
            let text = if i % 7 == 0 {
                format!("line\nt={token}\n")
            } else {
                "plain text\n".repeat(100)
            };
            let ticket = cataloger.extract(&format!("/f{i}"), text.as_bytes());
            assert_eq!(ticket, Some(i.to_le_bytes().to_vec()));
        }
        cataloger.wait();
        let found = cataloger.shared.found.lock().unwrap();
        let mut tickets: Vec<u64> = found.keys().copied().collect();
        tickets.sort_unstable();
        assert_eq!(tickets, (0..500).step_by(7).collect::<Vec<_>>());
        assert!(found.iter().all(|(t, m)| m[0].source == format!("/f{t}")));
    }

    #[test]
    fn binary_names_are_recognised() {
        for path in [
            "/usr/lib/x86_64-linux-gnu/libc.so.6",
            "/usr/lib/libssl.so.3.0.11",
            "/lib/x.so",
            "/usr/share/locale/fr/LC_MESSAGES/dpkg.mo",
            "/usr/share/doc/bash/changelog.Debian.gz",
            "/app/LOGO.PNG",
        ] {
            assert!(binary_by_name(path), "{path}");
        }
        for path in [
            "/etc/ld.so.conf",
            "/etc/ld.so.conf.d/libc.conf",
            "/app/.env",
            "/app/config.so.yaml",
            "/app/so",
            "/usr/share/perl5/Debconf/Format.pm",
        ] {
            assert!(!binary_by_name(path), "{path}");
        }
    }

    #[test]
    fn env_labels_and_history_are_read_and_stars_are_shortened() {
        let scanner = SecretScanner::new(builtin_rules());
        let mut metadata = ImageMetadata::default();
        let key = ["AKIA", "Q3EGRTY7UIOP2LKJ"].concat();
        metadata.config.env = vec![format!("KEY_ID={key}"), "PATH=/bin".into()];
        metadata
            .config
            .labels
            .insert("deploy.key".into(), key.clone());
        metadata.history = vec![crate::image::metadata::HistoryEntry {
            created_by: Some(format!("ENV KEY_ID={key}")),
            layer: Some(0),
            ..Default::default()
        }];
        let found = config_secrets(&scanner, &metadata);
        let sources: Vec<(&str, Option<usize>)> = found
            .iter()
            .map(|s| (s.found.source.as_str(), s.layer))
            .collect();
        assert_eq!(
            sources,
            [
                ("ENV KEY_ID", None),
                ("LABEL deploy.key", None),
                ("history step 0", Some(0))
            ]
        );
        assert_eq!(shown("MIIE**************t*"), "MIIE********t*");
    }
}
