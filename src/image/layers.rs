//! The streaming walk of one layer: decompress (gzip, zstd or none, sniffed from the bytes),
//! iterate the tar entries once, record every entry's metadata compactly, note whiteouts, and
//! keep only the bytes catalogers asked for. Nothing is ever written to the host filesystem;
//! paths are normalised lexically and entries that climb out of the root are refused.
//!
//! Hostile input is bounded: the tar headers of one entry (PAX records, GNU long names) may
//! use at most [`Limits::max_header_bytes`], kept files are capped per file and per layer
//! (bigger ones become a recorded problem, not an error), and the number of entries is capped.
//! Errors name the image, the layer index and its digest; a layer whose bytes do not match its
//! digest is reported as a digest mismatch even when the damage also broke decompression.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufReader, Read};
use std::sync::Arc;

use super::catalog::{Cataloger, EntryInfo, Want};
use super::error::ImageError;
use super::metadata::OS_RELEASE_PATHS;
use super::source::digest::Mismatch;

/// Bounds of one layer walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest file kept for `Want::Final`/`Want::EveryLayer`.
    pub max_kept_file: u64,
    /// Largest file read for `Want::Extract` (streamed through one reused buffer).
    pub max_extract_file: u64,
    /// Most bytes kept (content plus extracts) for one layer.
    pub max_kept_per_layer: u64,
    /// Most bytes of tar headers (PAX records, GNU long names) for one entry.
    pub max_header_bytes: u64,
    /// Most entries in one layer.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_kept_file: 64 << 20,
            max_extract_file: 512 << 20,
            max_kept_per_layer: 1 << 30,
            max_header_bytes: 1 << 20,
            max_entries: 5_000_000,
        }
    }
}

/// Which layer is being walked, for error messages.
#[derive(Debug, Clone, Copy)]
pub struct LayerSpec<'a> {
    /// The image reference.
    pub image: &'a str,
    /// Index in manifest order (0 = base).
    pub index: usize,
    /// The layer blob's digest.
    pub digest: &'a str,
}

/// How the layer blob was compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        })
    }
}

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    /// The target exactly as written in the layer (resolved later, inside the image root).
    Symlink(Box<str>),
    /// The normalised absolute path of the target (hard links carry no data of their own).
    HardLink(Box<str>),
    CharDevice,
    BlockDevice,
    Fifo,
    /// Any other tar entry type (the type byte).
    Other(u8),
}

/// Bit of [`Kept::wanted`] for files the core keeps for itself (`os-release`).
pub const CORE_BIT: u64 = 1 << 63;
/// Most catalogers one walk serves (one bit each, plus [`CORE_BIT`]).
pub const MAX_CATALOGERS: usize = 63;

/// What was kept of a file for catalogers.
#[derive(Debug, Clone, Default)]
pub struct Kept {
    /// The bytes, for catalogers that asked `Final` or `EveryLayer` (and the core).
    pub data: Option<Arc<[u8]>>,
    /// Catalogers (bit `i` = `catalogers[i]`, [`CORE_BIT`] = the core) the bytes are kept for.
    pub wanted: u64,
    /// Those of `wanted` that asked `EveryLayer`.
    pub every_layer: u64,
    /// `(cataloger index, extract)` for `Extract`.
    pub extracts: Vec<(u8, Arc<[u8]>)>,
    /// Catalogers that asked `Extract` for a hard link whose target is in a lower layer; the
    /// merge binds them to the target's extracts.
    pub pending_extract: u64,
}

impl Kept {
    fn bytes(&self) -> u64 {
        self.data.as_ref().map_or(0, |d| d.len() as u64)
            + self
                .extracts
                .iter()
                .map(|(_, e)| e.len() as u64)
                .sum::<u64>()
    }

    /// The extract `cataloger` made of this file.
    pub fn extract(&self, cataloger: usize) -> Option<&Arc<[u8]>> {
        self.extracts
            .iter()
            .find(|(i, _)| usize::from(*i) == cataloger)
            .map(|(_, e)| e)
    }
}

/// One tar entry's metadata, and what was kept of it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Absolute, normalised: `/usr/bin/env`.
    pub path: Box<str>,
    pub kind: EntryKind,
    /// Permission bits including setuid/setgid/sticky.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Content size (for hard links: the target's, when the target is in the same layer).
    pub size: u64,
    pub kept: Option<Box<Kept>>,
}

/// Everything a layer walk learned.
#[derive(Debug, Clone)]
pub struct LayerContents {
    pub index: usize,
    pub compression: Compression,
    /// Every entry except whiteout markers, in tar order.
    pub entries: Vec<Entry>,
    /// Paths this layer deletes from lower layers (`.wh.NAME`).
    pub whiteouts: Vec<Box<str>>,
    /// Directories whose lower-layer contents this layer hides (`.wh..wh..opq`).
    pub opaque_dirs: Vec<Box<str>>,
    /// Things that did not stop the walk: oversized wanted files, refused entries.
    pub problems: Vec<String>,
    /// Size of the uncompressed tar stream.
    pub tar_bytes: u64,
}

impl LayerContents {
    /// Bytes kept in memory for catalogers.
    pub fn kept_bytes(&self) -> u64 {
        self.entries
            .iter()
            .filter_map(|e| e.kept.as_ref())
            .map(|k| k.bytes())
            .sum()
    }
}

/// A name whose `..` components climb above the image root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscapesRoot;

/// Normalises a tar entry name to `/a/b`. `Ok(None)` for the root itself; `Err` when `..`
/// climbs above the root (Docker refuses such layers; we skip the entry).
pub fn normalize_path(name: &str) -> Result<Option<String>, EscapesRoot> {
    let mut parts: Vec<&str> = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(EscapesRoot);
                }
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    let mut out = String::with_capacity(name.len() + 1);
    for part in parts {
        out.push('/');
        out.push_str(part);
    }
    Ok(Some(out))
}

/// Parent directory of a normalised path (`/a/b` → `/a`, `/a` → `/`).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// Walks one layer blob. `reader` yields the blob as stored (compressed or not), typically a
/// digest-verifying reader from a [`super::source::LayerReader`]; it is read to its end so the
/// digest check happens. `catalogers[i]` is bit `i` of [`Kept::wanted`].
pub fn walk_layer(
    reader: impl Read,
    layer: &LayerSpec<'_>,
    catalogers: &[&dyn Cataloger],
    limits: &Limits,
) -> Result<LayerContents, ImageError> {
    let layer_error = |message: String| ImageError::Layer {
        image: layer.image.to_owned(),
        layer: layer.index,
        digest: layer.digest.to_owned(),
        message,
    };
    if catalogers.len() > MAX_CATALOGERS {
        return Err(layer_error(format!(
            "{} catalogers given; at most {MAX_CATALOGERS} are supported",
            catalogers.len()
        )));
    }
    let mut raw = BufReader::with_capacity(256 << 10, reader);
    let result = Walker {
        layer,
        catalogers,
        limits,
    }
    .walk(&mut raw);
    // Read what is left of the blob so its digest is checked, also after a decoding error: a
    // blob that does not match its digest explains the error better than "corrupt gzip".
    let drained = io::copy(&mut raw, &mut io::sink());
    let mismatch = |e: &io::Error| {
        Mismatch::from_io(e).map(|m| ImageError::DigestMismatch {
            image: layer.image.to_owned(),
            expected: m.expected.clone(),
            actual: m.actual.clone(),
        })
    };
    match (result, drained) {
        (Ok(contents), Ok(_)) => Ok(contents),
        (Ok(_), Err(e)) => Err(mismatch(&e)
            .unwrap_or_else(|| layer_error(format!("reading the layer blob failed: {e}")))),
        (Err(failure), drained) => {
            if let Some(m) = drained.as_ref().err().and_then(mismatch) {
                return Err(m);
            }
            Err(match failure {
                Failure::Io(e, compression) => {
                    mismatch(&e).unwrap_or_else(|| layer_error(describe_io(&e, compression)))
                }
                Failure::Message(message) => layer_error(message),
            })
        }
    }
}

enum Failure {
    Io(io::Error, Compression),
    Message(String),
}

/// The error the header budget raises.
#[derive(Debug)]
struct HeaderBudget(u64);

impl fmt::Display for HeaderBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the tar headers of one entry (PAX records, GNU long names) exceed {} bytes: the \
             layer is hostile or corrupt",
            self.0
        )
    }
}

impl std::error::Error for HeaderBudget {}

fn describe_io(error: &io::Error, compression: Compression) -> String {
    let inner = error.get_ref().map(|e| e.to_string());
    if let Some(budget) = error
        .get_ref()
        .and_then(|e| e.downcast_ref::<HeaderBudget>())
    {
        return budget.to_string();
    }
    let what = inner.unwrap_or_else(|| error.to_string());
    match error.kind() {
        io::ErrorKind::UnexpectedEof => {
            format!("the layer ends too early ({compression} stream truncated): {what}")
        }
        _ => format!("the layer is corrupt ({compression} tar stream): {what}"),
    }
}

/// Counts bytes, and refuses to read past a budget while the tar reader parses headers.
struct Budgeted<'a, R> {
    inner: R,
    budget: &'a Cell<u64>,
    limit: u64,
    total: &'a Cell<u64>,
}

impl<R: Read> Read for Budgeted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.budget.get();
        if left == 0 && !buf.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                HeaderBudget(self.limit),
            ));
        }
        let len = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..len])?;
        self.budget.set(left - n as u64);
        self.total.set(self.total.get() + n as u64);
        Ok(n)
    }
}

struct Walker<'a, 'c> {
    layer: &'a LayerSpec<'a>,
    catalogers: &'a [&'c dyn Cataloger],
    limits: &'a Limits,
}

/// What catalogers want of one file.
#[derive(Default, Clone, Copy)]
struct Wants {
    keep: u64,
    every: u64,
    extract: u64,
}

impl Walker<'_, '_> {
    fn walk(&self, raw: &mut impl Read) -> Result<LayerContents, Failure> {
        let mut head = [0u8; 4];
        let n = read_up_to(raw, &mut head).map_err(|e| Failure::Io(e, Compression::None))?;
        let compression = match &head[..n] {
            [0x1f, 0x8b, ..] => Compression::Gzip,
            [0x28, 0xb5, 0x2f, 0xfd] => Compression::Zstd,
            _ => Compression::None,
        };
        let stream = io::Cursor::new(head).take(n as u64).chain(raw);
        let decoded: Box<dyn Read + '_> = match compression {
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(stream)),
            Compression::Zstd => Box::new(
                zstd::stream::read::Decoder::new(stream)
                    .map_err(|e| Failure::Io(e, compression))?,
            ),
            Compression::None => Box::new(stream),
        };
        let budget = Cell::new(u64::MAX);
        let total = Cell::new(0);
        let header_limit = self.limits.max_header_bytes + 4 * 512;
        let budgeted = Budgeted {
            inner: BufReader::with_capacity(64 << 10, decoded),
            budget: &budget,
            limit: self.limits.max_header_bytes,
            total: &total,
        };
        let mut archive = tar::Archive::new(budgeted);
        let mut contents = LayerContents {
            index: self.layer.index,
            compression,
            entries: Vec::new(),
            whiteouts: Vec::new(),
            opaque_dirs: Vec::new(),
            problems: Vec::new(),
            tar_bytes: 0,
        };
        let mut state = WalkState::default();
        {
            let io_failure = |e| Failure::Io(e, compression);
            let mut entries = archive.entries().map_err(io_failure)?;
            loop {
                budget.set(header_limit);
                let next = entries.next();
                budget.set(u64::MAX);
                let Some(entry) = next else { break };
                let mut entry = entry.map_err(io_failure)?;
                let size = entry.size();
                state.consumed = 0;
                self.entry(&mut entry, &mut contents, &mut state)
                    .map_err(io_failure)?;
                // Read the rest of the entry's data, before the next header.
                let rest = drain(&mut entry, &mut state.buffer).map_err(io_failure)?;
                if state.consumed + rest < size {
                    let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
                    return Err(io_failure(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("the stream ends inside entry `{name}`"),
                    )));
                }
                if contents.entries.len() > self.limits.max_entries {
                    return Err(Failure::Message(format!(
                        "more than {} entries in one layer",
                        self.limits.max_entries
                    )));
                }
            }
        }
        // The rest of the decompressed stream (end-of-archive padding), so trailers and
        // checksums of the compression format are checked too.
        let mut rest = archive.into_inner();
        drain(&mut rest, &mut state.buffer).map_err(|e| Failure::Io(e, compression))?;
        contents.tar_bytes = total.get();
        Ok(contents)
    }

    fn entry<R: Read>(
        &self,
        entry: &mut tar::Entry<'_, R>,
        contents: &mut LayerContents,
        state: &mut WalkState,
    ) -> io::Result<()> {
        // Borrowed, not copied, unless the name needs repair: most entries allocate no name.
        let name_bytes = entry.path_bytes();
        let name = String::from_utf8_lossy(&name_bytes);
        let header = entry.header();
        let entry_type = header.entry_type();
        if entry_type.is_pax_global_extensions() {
            return Ok(());
        }
        let path = match normalize_path(&name) {
            Ok(Some(path)) => path,
            Ok(None) => return Ok(()),
            Err(EscapesRoot) => {
                contents.problems.push(format!(
                    "entry `{name}` climbs out of the image root; ignored (Docker refuses such \
                     layers)"
                ));
                return Ok(());
            }
        };
        // Whiteouts.
        let base = &path[path.rfind('/').map_or(0, |i| i + 1)..];
        if let Some(hidden) = base.strip_prefix(".wh.") {
            let dir = parent(&path);
            if hidden == ".wh..opq" {
                contents.opaque_dirs.push(dir.into());
            } else if hidden.starts_with(".wh.") {
                // Other AUFS metadata (`.wh..wh.plnk`, `.wh..wh.aufs`): not content.
            } else if hidden.is_empty() || hidden == "." || hidden == ".." {
                contents
                    .problems
                    .push(format!("whiteout `{name}` names no file; ignored"));
            } else {
                let target = if dir == "/" {
                    format!("/{hidden}")
                } else {
                    format!("{dir}/{hidden}")
                };
                contents.whiteouts.push(target.into());
            }
            return Ok(());
        }
        let mode = header
            .mode()
            .map_err(|e| invalid(format!("entry `{name}`: invalid mode field: {e}")))?;
        let uid = header
            .uid()
            .map_err(|e| invalid(format!("entry `{name}`: invalid uid field: {e}")))?;
        let gid = header
            .gid()
            .map_err(|e| invalid(format!("entry `{name}`: invalid gid field: {e}")))?;
        let link = || -> Box<str> {
            entry
                .link_name_bytes()
                .map(|l| String::from_utf8_lossy(&l).into_owned())
                .unwrap_or_default()
                .into()
        };
        let kind = match entry_type {
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
                EntryKind::File
            }
            tar::EntryType::Directory => EntryKind::Dir,
            tar::EntryType::Symlink => EntryKind::Symlink(link()),
            tar::EntryType::Link => {
                let target = link();
                match normalize_path(&target) {
                    Ok(Some(target)) => EntryKind::HardLink(target.into()),
                    _ => {
                        contents.problems.push(format!(
                            "hard link `{path}` points at `{target}`, outside the image root; \
                             ignored"
                        ));
                        return Ok(());
                    }
                }
            }
            tar::EntryType::Char => EntryKind::CharDevice,
            tar::EntryType::Block => EntryKind::BlockDevice,
            tar::EntryType::Fifo => EntryKind::Fifo,
            other => EntryKind::Other(other.as_byte()),
        };
        let size = if matches!(kind, EntryKind::File) {
            entry.size()
        } else {
            0
        };
        let mut record = Entry {
            path: path.into(),
            kind,
            mode: mode & 0o7777,
            uid: u32::try_from(uid).unwrap_or(u32::MAX),
            gid: u32::try_from(gid).unwrap_or(u32::MAX),
            size,
            kept: None,
        };
        match &record.kind {
            EntryKind::File => {
                let (kept, tried) = self.keep_file(entry, &record, contents, state)?;
                record.kept = kept;
                if tried != 0 {
                    state.tried.insert(contents.entries.len(), tried);
                }
                state.note_file(&record, contents.entries.len());
            }
            EntryKind::HardLink(target) => {
                let target = target.clone();
                self.bind_hard_link(&mut record, &target, contents, state);
                state.note_file(&record, contents.entries.len());
            }
            _ => {}
        }
        contents.entries.push(record);
        Ok(())
    }

    fn wants(&self, info: &EntryInfo<'_>) -> Wants {
        let mut wants = Wants::default();
        for (i, cataloger) in self.catalogers.iter().enumerate() {
            let bit = 1u64 << i;
            match cataloger.wants(info) {
                Want::No => {}
                Want::Final => wants.keep |= bit,
                Want::EveryLayer => {
                    wants.keep |= bit;
                    wants.every |= bit;
                }
                Want::Extract => wants.extract |= bit,
            }
        }
        if OS_RELEASE_PATHS.contains(&info.path) {
            wants.keep |= CORE_BIT;
        }
        wants
    }

    fn keep_file<R: Read>(
        &self,
        entry: &mut tar::Entry<'_, R>,
        record: &Entry,
        contents: &mut LayerContents,
        state: &mut WalkState,
    ) -> io::Result<(Option<Box<Kept>>, u64)> {
        let info = EntryInfo {
            path: &record.path,
            size: record.size,
            mode: record.mode,
        };
        let mut wants = self.wants(&info);
        if wants.keep == 0 && wants.extract == 0 {
            return Ok((None, 0));
        }
        let path = &record.path;
        if wants.keep != 0 && record.size > self.limits.max_kept_file {
            contents.problems.push(format!(
                "{path}: {} bytes, over the {}-byte limit for kept files; not cataloged",
                record.size, self.limits.max_kept_file
            ));
            wants.keep = 0;
            wants.every = 0;
        }
        if wants.extract != 0 && record.size > self.limits.max_extract_file {
            contents.problems.push(format!(
                "{path}: {} bytes, over the {}-byte limit for scanned files; not cataloged",
                record.size, self.limits.max_extract_file
            ));
            wants.extract = 0;
        }
        if wants.keep != 0 && state.kept_bytes + record.size > self.limits.max_kept_per_layer {
            contents.problems.push(format!(
                "{path}: the layer already keeps {} bytes (limit {}); not cataloged",
                state.kept_bytes, self.limits.max_kept_per_layer
            ));
            wants.keep = 0;
            wants.every = 0;
        }
        if wants.keep == 0 && wants.extract == 0 {
            return Ok((None, 0));
        }
        let buffer = &mut state.buffer;
        buffer.clear();
        (&mut *entry).take(record.size).read_to_end(buffer)?;
        state.consumed = buffer.len() as u64;
        if buffer.len() as u64 != record.size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "{path}: {} of {} bytes before the stream ended",
                    buffer.len(),
                    record.size
                ),
            ));
        }
        let mut kept = Kept {
            wanted: wants.keep,
            every_layer: wants.every,
            ..Kept::default()
        };
        if wants.keep != 0 {
            kept.data = Some(Arc::from(&buffer[..]));
        }
        kept.extracts = self.extracts(wants.extract, path, buffer);
        if buffer.capacity() > 16 << 20 {
            // Do not hold a huge buffer for the rest of the layer.
            *buffer = Vec::new();
        }
        state.kept_bytes += kept.bytes();
        if kept.data.is_none() && kept.extracts.is_empty() {
            return Ok((None, wants.extract));
        }
        Ok((Some(Box::new(kept)), wants.extract))
    }

    fn extracts(&self, mask: u64, path: &str, bytes: &[u8]) -> Vec<(u8, Arc<[u8]>)> {
        let mut out = Vec::new();
        for (i, cataloger) in self.catalogers.iter().enumerate() {
            if mask & (1 << i) != 0 {
                if let Some(extract) = cataloger.extract(path, bytes) {
                    out.push((i as u8, Arc::from(extract)));
                }
            }
        }
        out
    }

    /// A hard link shares its target's content. Targets earlier in this layer are bound now;
    /// targets in lower layers are bound by the merge.
    fn bind_hard_link(
        &self,
        record: &mut Entry,
        target: &str,
        contents: &mut LayerContents,
        state: &mut WalkState,
    ) {
        let found = state.lookup(target, &contents.entries);
        let size = found.map_or(0, |t| contents.entries[t].size);
        record.size = size;
        let info = EntryInfo {
            path: &record.path,
            size,
            mode: record.mode,
        };
        let wants = self.wants(&info);
        if wants.keep == 0 && wants.extract == 0 {
            return;
        }
        let Some(target_index) = found else {
            // In a lower layer (or missing): the merge decides.
            record.kept = Some(Box::new(Kept {
                wanted: wants.keep,
                every_layer: wants.every,
                pending_extract: wants.extract,
                ..Kept::default()
            }));
            return;
        };
        let target_kept = contents.entries[target_index].kept.as_deref();
        let tried = state.tried.get(&target_index).copied().unwrap_or(0);
        let data = target_kept.and_then(|k| k.data.clone());
        let mut kept = Kept {
            wanted: if data.is_some() { wants.keep } else { 0 },
            every_layer: if data.is_some() { wants.every } else { 0 },
            data: if wants.keep != 0 { data.clone() } else { None },
            ..Kept::default()
        };
        let mut missing = Vec::new();
        for (i, cataloger) in self.catalogers.iter().enumerate() {
            if wants.extract & (1 << i) == 0 {
                continue;
            }
            if let Some(extract) = target_kept.and_then(|k| k.extract(i)) {
                kept.extracts.push((i as u8, extract.clone()));
            } else if let Some(data) = &data {
                if let Some(extract) = cataloger.extract(&record.path, data) {
                    kept.extracts.push((i as u8, Arc::from(extract)));
                }
            } else if tried & (1 << i) == 0 {
                // The target streamed by without being read for this cataloger (when it was
                // read and gave no extract, the link has none either).
                missing.push(cataloger.name());
            }
        }
        if wants.keep != 0 && data.is_none() {
            missing.extend(
                self.catalogers
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| wants.keep & (1 << i) != 0)
                    .map(|(_, c)| c.name()),
            );
        }
        if !missing.is_empty() {
            missing.dedup();
            contents.problems.push(format!(
                "{}: hard link to {target}, whose content was not kept; not read by {}",
                record.path,
                missing.join(", ")
            ));
        }
        if kept.data.is_some() || !kept.extracts.is_empty() {
            record.kept = Some(Box::new(kept));
        }
    }
}

/// Per-walk scratch state.
#[derive(Default)]
struct WalkState {
    /// Reused for every file read.
    buffer: Vec<u8>,
    kept_bytes: u64,
    /// Bytes of the current entry's data read by the walk itself.
    consumed: u64,
    /// Catalogers whose `extract` saw each file (by entry index), for hard links to it.
    tried: HashMap<usize, u64>,
    /// Regular files and hard links of this layer by path, built on the first hard link.
    files: Option<HashMap<Box<str>, usize>>,
}

impl WalkState {
    fn note_file(&mut self, record: &Entry, index: usize) {
        if let Some(files) = &mut self.files {
            files.insert(record.path.clone(), index);
        }
    }

    fn lookup(&mut self, path: &str, entries: &[Entry]) -> Option<usize> {
        let files = self.files.get_or_insert_with(|| {
            entries
                .iter()
                .enumerate()
                .filter(|(_, e)| matches!(e.kind, EntryKind::File | EntryKind::HardLink(_)))
                .map(|(i, e)| (e.path.clone(), i))
                .collect()
        });
        files.get(path).copied()
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Fills `buf` as far as the reader goes; returns how much was read (less only at the end).
pub(crate) fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Reads `reader` to its end through `scratch` (grown to 64 KiB at most).
fn drain(reader: &mut impl Read, scratch: &mut Vec<u8>) -> io::Result<u64> {
    if scratch.len() < 64 << 10 {
        scratch.resize(64 << 10, 0);
    }
    let mut total = 0;
    loop {
        match reader.read(&mut scratch[..64 << 10]) {
            Ok(0) => return Ok(total),
            Ok(n) => total += n as u64,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
