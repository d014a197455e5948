//! The merged image filesystem: layers applied in order, as overlayfs (the runtime's view)
//! would show them.
//!
//! - Whiteouts (`.wh.NAME`) delete a path and everything under it from lower layers; opaque
//!   markers (`.wh..wh..opq`) hide everything lower layers put under a directory.
//! - A non-directory replacing a directory removes the directory's children; a directory
//!   (explicit, or implied by a path under it) replaces a lower file or symlink.
//! - Hard links share their target's content (bound when the layer is applied).
//! - Symlinks are resolved inside the image root when reading: `..` stops at `/`, absolute
//!   targets start from the image root, and more than [`MAX_SYMLINK_HOPS`] hops is a loop.
//!
//! Only metadata (and what catalogers kept) is held: one compact node per final path.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::Arc;

use super::catalog::{Distro, ImageFiles};
use super::layers::{Entry, EntryKind, Kept, LayerContents, CORE_BIT};
use super::metadata::{parse_os_release, OS_RELEASE_PATHS};

/// Symlink hops followed before a path is declared a loop (Linux allows 40).
pub const MAX_SYMLINK_HOPS: usize = 40;
/// Path components examined while resolving one path.
const MAX_RESOLVE_STEPS: usize = 1 << 16;

/// `(layer, content)` of each version of an `EveryLayer` file, oldest first.
type Versions = Vec<(usize, Arc<[u8]>)>;

/// One path of the final image.
#[derive(Debug, Clone)]
pub struct FileNode {
    /// The layer that wrote this version (manifest order).
    pub layer: usize,
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    kept: Option<Box<Kept>>,
}

impl FileNode {
    pub fn is_dir(&self) -> bool {
        self.kind == EntryKind::Dir
    }

    /// Regular files and hard links (which are regular files too).
    pub fn is_file(&self) -> bool {
        matches!(self.kind, EntryKind::File | EntryKind::HardLink(_))
    }

    /// setuid or setgid on a regular file.
    pub fn is_setuid_or_setgid(&self) -> bool {
        self.is_file() && self.mode & 0o6000 != 0
    }

    /// What catalogers kept of this file.
    pub fn kept(&self) -> Option<&Kept> {
        self.kept.as_deref()
    }
}

/// Why a path could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// More than [`MAX_SYMLINK_HOPS`] symlinks (or an absurd amount of path to walk): a loop.
    Loop,
}

/// The final view of an image.
#[derive(Debug, Default)]
pub struct FileSystem {
    nodes: BTreeMap<Box<str>, FileNode>,
    /// For `EveryLayer` files: each layer's version since the path was last deleted.
    versions: HashMap<Box<str>, Versions>,
    distro: Option<Distro>,
    problems: Vec<String>,
    layers: usize,
}

impl FileSystem {
    pub fn new() -> FileSystem {
        FileSystem::default()
    }

    /// Merges layers in order and works out the distribution.
    pub fn merge(layers: impl IntoIterator<Item = LayerContents>) -> FileSystem {
        let mut fs = FileSystem::new();
        for layer in layers {
            fs.apply(layer);
        }
        fs.finish();
        fs
    }

    /// Applies the next layer on top (layers must come in manifest order).
    pub fn apply(&mut self, layer: LayerContents) {
        let index = layer.index;
        self.layers = self.layers.max(index + 1);
        // Whiteouts and opaque markers concern lower layers only, wherever they appear in the
        // layer's tar, so they are applied before the layer's own entries.
        for dir in &layer.opaque_dirs {
            self.remove_children(dir);
        }
        for path in &layer.whiteouts {
            self.remove(path);
            self.remove_children(path);
        }
        self.problems.extend(
            layer
                .problems
                .into_iter()
                .map(|p| format!("layer {index}: {p}")),
        );
        for entry in layer.entries {
            self.insert(index, entry);
        }
    }

    /// Computes what depends on the whole view (the distribution). Called by [`merge`].
    ///
    /// [`merge`]: FileSystem::merge
    pub fn finish(&mut self) {
        self.distro = OS_RELEASE_PATHS
            .iter()
            .filter_map(|path| self.read_data(path))
            .find_map(parse_os_release);
    }

    fn insert(&mut self, layer: usize, entry: Entry) {
        let Entry {
            path,
            kind,
            mode,
            uid,
            gid,
            mut size,
            mut kept,
        } = entry;
        // Ancestors that are not directories (a lower file or symlink) are replaced by the
        // directory this path implies, as overlayfs does.
        let mut end = 0;
        while let Some(next) = path[end + 1..].find('/') {
            end += 1 + next;
            let ancestor = &path[..end];
            if self.nodes.get(ancestor).is_some_and(|n| !n.is_dir()) {
                self.remove(ancestor);
            }
        }
        let replaces_dir = self.nodes.get(&*path).is_some_and(FileNode::is_dir);
        if replaces_dir && kind != EntryKind::Dir {
            self.remove_children(&path);
        }
        if let EntryKind::HardLink(target) = &kind {
            self.bind_lower_hard_link(&path, target, &mut size, &mut kept);
        }
        let every = kept
            .as_deref()
            .filter(|k| k.every_layer != 0)
            .and_then(|k| k.data.clone());
        match every {
            Some(data) => self
                .versions
                .entry(path.clone())
                .or_default()
                .push((layer, data)),
            // Most images have no `EveryLayer` files: skip hashing every path for nothing.
            None if !self.versions.is_empty() => {
                self.versions.remove(&*path);
            }
            None => {}
        }
        self.nodes.insert(
            path,
            FileNode {
                layer,
                kind,
                mode,
                uid,
                gid,
                size,
                kept,
            },
        );
    }

    /// Binds a hard link whose target was not in its own layer to the target as it is now.
    fn bind_lower_hard_link(
        &mut self,
        path: &str,
        target: &str,
        size: &mut u64,
        kept: &mut Option<Box<Kept>>,
    ) {
        let Some(node) = self.nodes.get(target) else {
            self.problems.push(format!(
                "{path}: hard link to {target}, which does not exist"
            ));
            if kept
                .as_ref()
                .is_some_and(|k| k.data.is_none() && k.extracts.is_empty())
            {
                *kept = None;
            }
            return;
        };
        if *size == 0 {
            *size = node.size;
        }
        let Some(pending) = kept.as_deref_mut() else {
            return;
        };
        if pending.data.is_some() || pending.pending_extract == 0 && !pending.extracts.is_empty() {
            return; // bound within its own layer
        }
        let source = node.kept.as_deref();
        let mut missing = false;
        if pending.wanted != 0 {
            pending.data = source.and_then(|s| s.data.clone());
            missing |= pending.data.is_none();
            if pending.data.is_none() {
                pending.wanted = 0;
                pending.every_layer = 0;
            }
        }
        for i in 0..64usize {
            if pending.pending_extract & (1 << i) != 0 {
                match source.and_then(|s| s.extract(i)) {
                    Some(extract) => pending.extracts.push((i as u8, extract.clone())),
                    None => missing = true,
                }
            }
        }
        pending.pending_extract = 0;
        if missing {
            self.problems.push(format!(
                "{path}: hard link to {target} in a lower layer, whose content was not kept"
            ));
        }
        if pending.data.is_none() && pending.extracts.is_empty() {
            *kept = None;
        }
    }

    fn remove(&mut self, path: &str) {
        self.nodes.remove(path);
        self.versions.remove(path);
    }

    /// Removes everything under `dir` (not `dir` itself).
    fn remove_children(&mut self, dir: &str) {
        let (low, high) = if dir == "/" {
            ("/".to_owned(), "0".to_owned())
        } else {
            (format!("{dir}/"), format!("{dir}0"))
        };
        let doomed: Vec<Box<str>> = self
            .nodes
            .range::<str, _>((
                Bound::Included(low.as_str()),
                Bound::Excluded(high.as_str()),
            ))
            .map(|(k, _)| k.clone())
            .collect();
        for path in doomed {
            self.remove(&path);
        }
    }

    /// Follows symlinks in every component of `path` inside the image root. The result is
    /// the real path (it may not exist).
    pub fn resolve(&self, path: &str) -> Result<String, ResolveError> {
        // Components borrow from `path` and from symlink targets held by `self`.
        let mut pending: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).rev().collect();
        let mut current = String::new();
        let mut hops = 0;
        let mut steps = 0;
        while let Some(component) = pending.pop() {
            // Long symlink targets multiplied by many hops: bound the work, not just the hops.
            steps += 1;
            if steps > MAX_RESOLVE_STEPS {
                return Err(ResolveError::Loop);
            }
            match component {
                "." => {}
                ".." => {
                    let cut = current.rfind('/').unwrap_or(0);
                    current.truncate(cut);
                }
                name => {
                    // Extend `current` in place; undone below when the component is a symlink.
                    let before = current.len();
                    current.push('/');
                    current.push_str(name);
                    if let Some(EntryKind::Symlink(target)) =
                        self.nodes.get(current.as_str()).map(|n| &n.kind)
                    {
                        current.truncate(before);
                        hops += 1;
                        if hops > MAX_SYMLINK_HOPS {
                            return Err(ResolveError::Loop);
                        }
                        if target.starts_with('/') {
                            current.clear();
                        }
                        pending.extend(target.split('/').filter(|c| !c.is_empty()).rev());
                    }
                }
            }
        }
        if current.is_empty() {
            current.push('/');
        }
        Ok(current)
    }

    /// The node at `path` after resolving symlinks.
    pub fn lookup(&self, path: &str) -> Option<(&str, &FileNode)> {
        let real = self.resolve(path).ok()?;
        self.nodes
            .get_key_value(real.as_str())
            .map(|(k, v)| (&**k, v))
    }

    /// The node at exactly `path` (a symlink is returned as itself).
    pub fn entry(&self, path: &str) -> Option<&FileNode> {
        self.nodes.get(path)
    }

    /// Every path of the final image with its metadata, sorted by path. Directories implied
    /// by their contents but absent from every layer are not listed.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &FileNode)> + '_ {
        self.nodes.iter().map(|(k, v)| (&**k, v))
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Number of layers applied.
    pub fn layer_count(&self) -> usize {
        self.layers
    }

    /// Problems met while walking and merging (oversized files, refused entries, …).
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// Takes the problems out (the inventory reports them once).
    pub fn take_problems(&mut self) -> Vec<String> {
        std::mem::take(&mut self.problems)
    }

    /// What one cataloger sees: the files it asked for and its own extracts.
    pub fn view(&self, cataloger: usize) -> CatalogerView<'_> {
        CatalogerView {
            fs: self,
            bit: 1u64 << cataloger,
            index: cataloger,
        }
    }

    fn read_data(&self, path: &str) -> Option<&[u8]> {
        let (_, node) = self.lookup(path)?;
        node.kept.as_ref()?.data.as_deref()
    }

    fn versions_of(&self, path: &str) -> Vec<(usize, &[u8])> {
        let Ok(real) = self.resolve(path) else {
            return Vec::new();
        };
        self.versions
            .get(real.as_str())
            .map(|v| v.iter().map(|(l, d)| (*l, &d[..])).collect())
            .unwrap_or_default()
    }
}

/// The whole view: every kept file's bytes, whoever asked for them.
impl ImageFiles for FileSystem {
    fn read(&self, path: &str) -> Option<&[u8]> {
        self.read_data(path)
    }

    fn paths(&self) -> Vec<&str> {
        self.nodes
            .iter()
            .filter(|(_, n)| n.kept.as_ref().is_some_and(|k| k.data.is_some()))
            .map(|(k, _)| &**k)
            .collect()
    }

    fn layer_of(&self, path: &str) -> Option<usize> {
        self.lookup(path).map(|(_, n)| n.layer)
    }

    fn versions(&self, path: &str) -> Vec<(usize, &[u8])> {
        self.versions_of(path)
    }

    fn distro(&self) -> Option<&Distro> {
        self.distro.as_ref()
    }
}

/// One cataloger's view of the merged filesystem: [`ImageFiles::paths`] lists the files it
/// asked for; [`ImageFiles::read`] returns its extract for `Extract` files, the bytes
/// otherwise (including files another cataloger or the core kept, such as `os-release`).
#[derive(Clone, Copy)]
pub struct CatalogerView<'a> {
    fs: &'a FileSystem,
    bit: u64,
    index: usize,
}

impl ImageFiles for CatalogerView<'_> {
    fn read(&self, path: &str) -> Option<&[u8]> {
        let (_, node) = self.fs.lookup(path)?;
        let kept = node.kept.as_deref()?;
        kept.extract(self.index)
            .map(|e| &e[..])
            .or(kept.data.as_deref())
    }

    fn paths(&self) -> Vec<&str> {
        self.fs
            .nodes
            .iter()
            .filter(|(_, n)| {
                n.kept.as_ref().is_some_and(|k| {
                    (k.wanted & self.bit != 0 && k.data.is_some())
                        || k.extract(self.index).is_some()
                })
            })
            .map(|(k, _)| &**k)
            .collect()
    }

    fn layer_of(&self, path: &str) -> Option<usize> {
        self.fs.layer_of(path)
    }

    fn versions(&self, path: &str) -> Vec<(usize, &[u8])> {
        self.fs.versions_of(path)
    }

    fn distro(&self) -> Option<&Distro> {
        self.fs.distro.as_ref()
    }
}

/// Whether the core (not a cataloger) kept this file.
pub fn kept_by_core(node: &FileNode) -> bool {
    node.kept().is_some_and(|k| k.wanted & CORE_BIT != 0)
}

#[cfg(test)]
mod tests;
