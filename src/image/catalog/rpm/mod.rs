//! RPM packages (Red Hat, Fedora, CentOS, Rocky, Alma, Oracle, Amazon, SUSE…), read from rpm's
//! package database in whichever of its three formats the image has, without librpm:
//!
//! | file | format | module |
//! |---|---|---|
//! | `rpmdb.sqlite` | SQLite | [`sqlite`] |
//! | `Packages` | Berkeley DB hash | [`bdb`] |
//! | `Packages.db` | NDB | [`ndb`] |
//!
//! under `/var/lib/rpm/`, `/usr/lib/sysimage/rpm/` or `/usr/share/rpm/`. The format is told by
//! the content's magic, not the name. Each database holds one stored header per package,
//! parsed by [`header`]. `gpg-pubkey` entries (imported signing keys, not packages) are left
//! out.
//!
//! The introducing layer comes from every layer's version of the database, as for dpkg
//! ([`introducing_layer`]).

pub mod bdb;
pub mod header;
pub mod ndb;
pub mod sqlite;

use std::collections::HashSet;

use super::dpkg::{distro_qualifier, introducing_layer};
use super::{purl, Cataloger, Distro, Ecosystem, EntryInfo, ImageFiles, Package, Want};
use header::RpmHeader;

/// Directories rpm keeps its database in.
pub const DIRS: &[&str] = &["/var/lib/rpm/", "/usr/lib/sysimage/rpm/", "/usr/share/rpm/"];
/// Database file names, in rpm's order of preference: SQLite, NDB, Berkeley DB.
pub const FILES: &[&str] = &["rpmdb.sqlite", "Packages.db", "Packages"];

/// Receives each stored header (with its header number) or the reason one could not be read.
pub type Sink<'s> = dyn FnMut(u32, Result<&[u8], String>) + 's;

/// The database formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Sqlite,
    BerkeleyDb,
    Ndb,
}

impl Format {
    /// Told from the content.
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        if sqlite::is_sqlite(bytes) {
            Some(Format::Sqlite)
        } else if ndb::is_ndb(bytes) {
            Some(Format::Ndb)
        } else if bdb::is_bdb(bytes) {
            Some(Format::BerkeleyDb)
        } else {
            None
        }
    }
}

/// Reads every header of a database. `Err` when the file cannot be read at all; headers that
/// cannot be read are reported in the second list ("header N: why").
pub fn read_database(bytes: &[u8]) -> Result<(Vec<RpmHeader>, Vec<String>), String> {
    let format = Format::detect(bytes).ok_or("not an rpm database (unknown format)")?;
    let mut headers = Vec::new();
    let mut errors = Vec::new();
    let mut sink = |hnum: u32, blob: Result<&[u8], String>| match blob {
        Ok(blob) => match header::parse(blob) {
            Ok(header) => headers.push(header),
            Err(e) => errors.push(format!("header {hnum}: {e}")),
        },
        Err(e) => errors.push(e),
    };
    match format {
        Format::Sqlite => sqlite::read(bytes, &mut sink),
        Format::BerkeleyDb => bdb::read(bytes, &mut sink),
        Format::Ndb => ndb::read(bytes, &mut sink),
    }
    .map_err(|e| format!("{format:?} database: {e}"))?;
    Ok((headers, errors))
}

fn is_database(path: &str) -> bool {
    DIRS.iter().any(|dir| {
        path.strip_prefix(dir)
            .is_some_and(|name| FILES.contains(&name))
    })
}

/// The databases rpm would use: one per directory, preferring `rpmdb.sqlite`, then
/// `Packages.db`, then `Packages`, like rpm's backend detection. A Berkeley DB left behind by
/// `rpmdb --rebuilddb` next to the SQLite database that replaced it would list stale packages.
fn active_databases(paths: Vec<&str>) -> Vec<&str> {
    let mut out = Vec::new();
    for dir in DIRS {
        let here = |file: &str| {
            paths
                .iter()
                .copied()
                .find(|p| p.strip_prefix(dir) == Some(file))
        };
        if let Some(path) = FILES.iter().find_map(|file| here(file)) {
            out.push(path);
        }
    }
    out
}

/// Reads rpm's package database.
#[derive(Debug, Clone, Copy, Default)]
pub struct RpmCataloger;

/// What identifies an installed package across layers (several versions of one name, such
/// as kernels, can be installed at once).
type Identity = (String, Option<String>, String);

fn identity(header: &RpmHeader) -> Identity {
    (header.name.clone(), header.arch.clone(), header.evr())
}

impl Cataloger for RpmCataloger {
    fn name(&self) -> &'static str {
        "rpm"
    }

    fn wants(&self, entry: &EntryInfo<'_>) -> Want {
        if is_database(entry.path) {
            Want::EveryLayer
        } else {
            Want::No
        }
    }

    fn catalog(&self, files: &dyn ImageFiles, problems: &mut Vec<String>) -> Vec<Package> {
        let distro = files.distro();
        let mut packages = Vec::new();
        let mut seen = HashSet::new();
        let databases = active_databases(files.paths());
        for path in databases {
            let Some(bytes) = files.read(path) else {
                continue;
            };
            let (headers, errors) = match read_database(bytes) {
                Ok(read) => read,
                Err(e) => {
                    problems.push(format!("{path}: {e}"));
                    continue;
                }
            };
            problems.extend(errors.into_iter().map(|e| format!("{path}: {e}")));
            let history: Vec<(usize, HashSet<Identity>)> = files
                .versions(path)
                .into_iter()
                .map(|(layer, bytes)| {
                    let ids = read_database(bytes)
                        .map(|(headers, _)| headers.iter().map(identity).collect())
                        .unwrap_or_default();
                    (layer, ids)
                })
                .collect();
            let fallback = files.layer_of(path);
            let mut found: Vec<RpmHeader> = headers
                .into_iter()
                .filter(|h| h.name != "gpg-pubkey")
                .collect();
            found.sort();
            for header in found {
                let id = identity(&header);
                if !seen.insert(id.clone()) {
                    continue;
                }
                let layer = introducing_layer(&history, &id).or(fallback);
                packages.push(package(header, distro, path, layer));
            }
        }
        packages
    }
}

fn package(
    header: RpmHeader,
    distro: Option<&Distro>,
    path: &str,
    layer: Option<usize>,
) -> Package {
    let namespace = distro
        .map(|d| d.id.trim().to_ascii_lowercase())
        .filter(|id| !id.is_empty());
    let distro_qualifier = namespace
        .as_deref()
        .map(|id| distro_qualifier(distro, id))
        .unwrap_or_default();
    let epoch = header.epoch.map(|e| e.to_string()).unwrap_or_default();
    let purl = purl(
        "rpm",
        namespace.as_deref(),
        &header.name,
        &format!("{}-{}", header.version, header.release),
        &[
            ("arch", header.arch.as_deref().unwrap_or("")),
            ("epoch", &epoch),
            ("distro", &distro_qualifier),
        ],
    );
    let version = header.evr();
    let (source_name, source_version) = header
        .source()
        .unwrap_or_else(|| (header.name.clone(), version.clone()));
    Package {
        name: header.name,
        version,
        source_name: Some(source_name),
        source_version: Some(source_version),
        ecosystem: Ecosystem::Rpm,
        purl,
        arch: header.arch,
        evidence: vec![path.to_string()],
        layer,
        cataloger: "rpm",
    }
}

#[cfg(test)]
mod tests;
