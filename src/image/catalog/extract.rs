//! What the language catalogers share. Each reads files one at a time (a wheel's `METADATA`, a
//! Go binary) and implements only what is its own in [`ExtractCataloger`]: which files, how
//! one file reads into a record, how a record becomes packages. The [`Cataloger`] impl here
//! does the rest the same way for all:
//!
//! - during the walk, [`Cataloger::extract`] keeps only the record, as `\0portcullis:NAME:1\n`
//!   then the JSON of `Result<Record, String>` (a file that cannot be read keeps why), so a
//!   huge file costs a few bytes;
//! - after it, [`Cataloger::catalog`] decodes each kept record, or reads the file itself when
//!   the view kept it whole (the whole-image [`ImageFiles`] holds bytes, not extracts), reports
//!   problems as `PATH: problem`, and makes the packages found in that path at the layer that
//!   wrote it.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{Cataloger, Ecosystem, EntryInfo, FoundIn, ImageFiles, Package, Want};

/// How every extract starts. The NUL keeps it from being taken for a file kept whole: none of
/// the files read here (text, zip archives, executables) starts with one.
const PREFIX: &str = "\0portcullis:";

/// A cataloger of files read one at a time, turned into a [`Cataloger`] by the impl below.
pub(super) trait ExtractCataloger: Send + Sync {
    /// [`Cataloger::name`], which also names the extract.
    const NAME: &'static str;
    /// What one file condenses to (a name and version, a module list).
    type Record: Serialize + DeserializeOwned;

    /// Decided from path, size and mode: whether to read this file during the walk.
    fn wants_file(&self, entry: &EntryInfo<'_>) -> bool;

    /// Whether a kept path can be one of this cataloger's files. The whole-image view lists
    /// every cataloger's; by default every path, for files the path cannot tell (executables),
    /// whose [`ExtractCataloger::record`] says `None` to the others.
    fn is_candidate(&self, _path: &str) -> bool {
        true
    }

    /// Reads one file: `None` when it holds nothing of interest (not a Go binary), `Err` with
    /// why it cannot be read.
    fn record(&self, path: &str, bytes: &[u8]) -> Option<Result<Self::Record, String>>;

    /// The packages of one file's record. Problems found inside it (a nested archive's) go to
    /// `problems`, with their own location.
    fn packages(
        &self,
        record: Self::Record,
        found: FoundIn<'_>,
        problems: &mut Vec<String>,
    ) -> Vec<Package>;
}

/// [`ExtractCataloger::packages`] for a record of `(name, version)` pairs: one package each, in
/// `ecosystem`, with the purl `purl(name, version)`.
pub(super) fn pair_packages(
    pairs: Vec<(String, String)>,
    found: FoundIn<'_>,
    ecosystem: Ecosystem,
    purl: impl Fn(&str, &str) -> String,
) -> Vec<Package> {
    pairs
        .into_iter()
        .map(|(name, version)| {
            let purl = purl(&name, &version);
            found.package(ecosystem, name, version, purl)
        })
        .collect()
}

/// Parses a JSON file, which may start with a UTF-8 byte-order mark (serde_json rejects one).
pub(super) fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    serde_json::from_slice(bytes)
}

/// `\0portcullis:NAME:1\n`: names the cataloger, so one never reads another's extract.
fn magic(name: &str) -> Vec<u8> {
    format!("{PREFIX}{name}:1\n").into_bytes()
}

impl<C: ExtractCataloger> Cataloger for C {
    fn name(&self) -> &'static str {
        C::NAME
    }

    fn wants(&self, entry: &EntryInfo<'_>) -> Want {
        if self.wants_file(entry) {
            Want::Extract
        } else {
            Want::No
        }
    }

    fn extract(&self, path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
        let record = self.record(path, bytes)?;
        let mut out = magic(C::NAME);
        // Serialising strings, lists and plain structs of them cannot fail.
        out.extend(serde_json::to_vec(&record).unwrap_or_default());
        Some(out)
    }

    fn catalog(&self, files: &dyn ImageFiles, problems: &mut Vec<String>) -> Vec<Package> {
        let magic = magic(C::NAME);
        let mut packages = Vec::new();
        for path in files.paths() {
            if !self.is_candidate(path) {
                continue;
            }
            let Some(bytes) = files.read(path) else {
                continue;
            };
            // The extract; or, from an `ImageFiles` that kept the whole file, the file itself.
            let record = match bytes.strip_prefix(magic.as_slice()) {
                Some(json) => serde_json::from_slice(json)
                    .unwrap_or_else(|err| Err(format!("unreadable extract: {err}"))),
                None if bytes.starts_with(PREFIX.as_bytes()) => continue,
                None => match self.record(path, bytes) {
                    Some(record) => record,
                    None => continue,
                },
            };
            match record {
                Ok(record) => {
                    let found = FoundIn {
                        evidence: path,
                        layer: files.layer_of(path),
                        cataloger: C::NAME,
                    };
                    packages.extend(self.packages(record, found, problems));
                }
                Err(problem) => problems.push(format!("{path}: {problem}")),
            }
        }
        packages
    }
}
