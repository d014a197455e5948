//! Test double for [`ImageFiles`]: an in-memory image built layer by layer, for cataloger tests.
//!
//! ```ignore
//! let image = TestImage::new()
//!     .os("debian", "12")
//!     .file(0, "/var/lib/dpkg/status", BASE_STATUS)
//!     .file(2, "/var/lib/dpkg/status", UPGRADED_STATUS)
//!     .delete(3, "/usr/lib/python3/dist-packages/x.dist-info/METADATA");
//! let (packages, problems) = image.run(&DpkgCataloger);
//! ```
//!
//! [`TestImage::run`] behaves like the layer walk: it asks the cataloger's [`Cataloger::wants`]
//! about every file (so a test also proves the cataloger asks for the right paths), keeps
//! `Final` files, every layer's version of `EveryLayer` files, and the [`Cataloger::extract`] of
//! `Extract` files, then calls [`Cataloger::catalog`] on that view.
//!
//! Shared test data (`../shared`, or `PORTCULLIS_SHARED_DIR`) is found with [`shared_file`]:
//! `None` (skip) outside CI, a failure under `CI=true`.

use std::collections::BTreeMap;

use super::{Cataloger, Distro, EntryInfo, ImageFiles, Package, Want};

pub(crate) use crate::test_support::{shared_file, unavailable};

/// `(name, version, purl, layer)` of each package, in order: what most tests assert on.
pub(crate) fn ids(packages: &[Package]) -> Vec<(&str, &str, &str, Option<usize>)> {
    packages
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.version.as_str(),
                p.purl.as_str(),
                p.layer,
            )
        })
        .collect()
}

/// One layer's change to a path.
#[derive(Debug, Clone)]
enum Change {
    Write { content: Vec<u8>, mode: u32 },
    Delete,
}

/// An image as a list of layers, each a set of writes and deletions.
#[derive(Debug, Clone, Default)]
pub(crate) struct TestImage {
    /// `changes[layer][path]`.
    changes: Vec<BTreeMap<String, Change>>,
    distro: Option<Distro>,
    /// Set by [`TestImage::run`]: which paths are `EveryLayer` (others have no `versions`).
    every_layer: Option<Vec<String>>,
}

impl TestImage {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Writes `content` at `path` in `layer` (mode 0644). Layers need not be added in order;
    /// missing layers in between are empty.
    pub(crate) fn file(self, layer: usize, path: &str, content: impl AsRef<[u8]>) -> Self {
        self.file_mode(layer, path, content, 0o644)
    }

    /// Like [`TestImage::file`] with explicit permission bits (0o755 for an executable).
    pub(crate) fn file_mode(
        mut self,
        layer: usize,
        path: &str,
        content: impl AsRef<[u8]>,
        mode: u32,
    ) -> Self {
        let content = content.as_ref().to_vec();
        self.layer_mut(layer)
            .insert(path.to_string(), Change::Write { content, mode });
        self
    }

    /// Deletes `path` in `layer` (a whiteout).
    pub(crate) fn delete(mut self, layer: usize, path: &str) -> Self {
        self.layer_mut(layer)
            .insert(path.to_string(), Change::Delete);
        self
    }

    /// Sets the distribution, as read from os-release.
    pub(crate) fn os(self, id: &str, version_id: &str) -> Self {
        self.with_distro(Distro {
            id: id.to_string(),
            version_id: Some(version_id.to_string()).filter(|v| !v.is_empty()),
            ..Distro::default()
        })
    }

    pub(crate) fn with_distro(mut self, distro: Distro) -> Self {
        self.distro = Some(distro);
        self
    }

    /// Runs `cataloger` as the scan would: only the files it wants are kept.
    pub(crate) fn run(&self, cataloger: &dyn Cataloger) -> (Vec<Package>, Vec<String>) {
        let mut kept = TestImage {
            changes: Vec::new(),
            distro: self.distro.clone(),
            every_layer: Some(Vec::new()),
        };
        for (layer, changes) in self.changes.iter().enumerate() {
            kept.layer_mut(layer);
            for (path, change) in changes {
                let Change::Write { content, mode } = change else {
                    kept.layer_mut(layer).insert(path.clone(), Change::Delete);
                    continue;
                };
                let entry = EntryInfo {
                    path,
                    size: content.len() as u64,
                    mode: *mode,
                };
                let content = match cataloger.wants(&entry) {
                    Want::No => continue,
                    Want::Final => content.clone(),
                    Want::EveryLayer => {
                        let every = kept.every_layer.as_mut().expect("set above");
                        if !every.contains(path) {
                            every.push(path.clone());
                        }
                        content.clone()
                    }
                    Want::Extract => match cataloger.extract(path, content) {
                        Some(extract) => extract,
                        None => continue,
                    },
                };
                kept.layer_mut(layer).insert(
                    path.clone(),
                    Change::Write {
                        content,
                        mode: *mode,
                    },
                );
            }
        }
        let mut problems = Vec::new();
        let packages = cataloger.catalog(&kept, &mut problems);
        (packages, problems)
    }

    fn layer_mut(&mut self, layer: usize) -> &mut BTreeMap<String, Change> {
        if self.changes.len() <= layer {
            self.changes.resize_with(layer + 1, BTreeMap::new);
        }
        &mut self.changes[layer]
    }

    /// The path's history since it was last deleted: `(layer, content)`, oldest first.
    fn history(&self, path: &str) -> Vec<(usize, &[u8])> {
        let mut out = Vec::new();
        for (layer, changes) in self.changes.iter().enumerate() {
            match changes.get(path) {
                Some(Change::Write { content, .. }) => out.push((layer, content.as_slice())),
                Some(Change::Delete) => out.clear(),
                None => {}
            }
        }
        out
    }
}

impl ImageFiles for TestImage {
    fn read(&self, path: &str) -> Option<&[u8]> {
        self.history(path).last().map(|(_, content)| *content)
    }

    fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self
            .changes
            .iter()
            .flat_map(|changes| changes.keys().map(String::as_str))
            .filter(|path| self.read(path).is_some())
            .collect();
        paths.sort_unstable();
        paths.dedup();
        paths
    }

    fn layer_of(&self, path: &str) -> Option<usize> {
        self.history(path).last().map(|(layer, _)| *layer)
    }

    fn versions(&self, path: &str) -> Vec<(usize, &[u8])> {
        match &self.every_layer {
            Some(every) if !every.iter().any(|p| p == path) => Vec::new(),
            _ => self.history(path),
        }
    }

    fn distro(&self) -> Option<&Distro> {
        self.distro.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Wanting;

    impl Cataloger for Wanting {
        fn name(&self) -> &'static str {
            "wanting"
        }
        fn wants(&self, entry: &EntryInfo<'_>) -> Want {
            match entry.path {
                "/db" => Want::EveryLayer,
                "/final" => Want::Final,
                "/bin/x" if entry.is_executable() => Want::Extract,
                _ => Want::No,
            }
        }
        fn extract(&self, _path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
            Some(bytes.iter().rev().copied().collect())
        }
        fn catalog(&self, files: &dyn ImageFiles, problems: &mut Vec<String>) -> Vec<Package> {
            problems.push(files.paths().join(","));
            problems.push(format!("{:?}", files.versions("/db")));
            problems.push(format!("{:?}", files.versions("/final")));
            problems.push(format!("{:?}", files.read("/bin/x")));
            problems.push(format!("{:?}", files.layer_of("/final")));
            Vec::new()
        }
    }

    #[test]
    fn run_keeps_only_what_the_cataloger_wants() {
        let image = TestImage::new()
            .file(0, "/db", "a")
            .file(1, "/db", "b")
            .file(0, "/final", "f0")
            .file(2, "/final", "f2")
            .file(0, "/other", "o")
            .file_mode(1, "/bin/x", "xyz", 0o755);
        let (_, seen) = image.run(&Wanting);
        assert_eq!(seen[0], "/bin/x,/db,/final");
        assert_eq!(seen[1], "[(0, [97]), (1, [98])]");
        assert_eq!(seen[2], "[]", "Final files have no per-layer versions");
        assert_eq!(seen[3], "Some([122, 121, 120])");
        assert_eq!(seen[4], "Some(2)");
    }

    #[test]
    fn deletion_hides_a_file_and_restarts_its_history() {
        let image = TestImage::new()
            .file(0, "/db", "a")
            .delete(1, "/db")
            .file(0, "/final", "x")
            .delete(2, "/final");
        assert_eq!(image.read("/db"), None);
        assert!(image.paths().is_empty());
        let image = image.file(3, "/db", "c");
        assert_eq!(image.versions("/db"), vec![(3, &b"c"[..])]);
        assert_eq!(image.paths(), vec!["/db"]);
        let image = image.os("debian", "12");
        assert_eq!(image.distro().map(|d| d.id.as_str()), Some("debian"));
    }
}
