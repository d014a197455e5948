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
//! (`database::installed`).

pub mod bdb;
pub mod header;
pub mod ndb;
pub mod sqlite;

use super::database::{self, Identity, Listed, Namespace};
use super::{Cataloger, Ecosystem, EntryInfo, FoundIn, ImageFiles, Package, Want};
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

/// The packages of one database: its headers but `gpg-pubkey` ones, sorted; problems are
/// reported with the path.
fn installed_headers(bytes: &[u8], path: &str, problems: &mut Vec<String>) -> Vec<RpmHeader> {
    let (headers, errors) = match read_database(bytes) {
        Ok(read) => read,
        Err(e) => {
            problems.push(format!("{path}: {e}"));
            return Vec::new();
        }
    };
    problems.extend(errors.into_iter().map(|e| format!("{path}: {e}")));
    let mut found: Vec<RpmHeader> = headers
        .into_iter()
        .filter(|h| h.name != "gpg-pubkey")
        .collect();
    found.sort();
    found
}

/// Reads rpm's package database.
#[derive(Debug, Clone, Copy, Default)]
pub struct RpmCataloger;

impl Listed for RpmHeader {
    fn identity(&self) -> Identity {
        (self.name.clone(), self.arch.clone(), self.evr())
    }
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
        // Without os-release, no namespace: many distributions use rpm.
        let namespace = Namespace::new(files.distro(), None);
        let databases = active_databases(files.paths());
        database::installed(files, databases, self.name(), installed_headers, problems)
            .into_iter()
            .map(|(header, found)| package(header, &namespace, found))
            .collect()
    }
}

fn package(header: RpmHeader, namespace: &Namespace, found: FoundIn<'_>) -> Package {
    let epoch = header.epoch.map(|e| e.to_string()).unwrap_or_default();
    let purl = namespace.purl(
        "rpm",
        &header.name,
        &format!("{}-{}", header.version, header.release),
        header.arch.as_deref(),
        &[("epoch", &epoch)],
    );
    let version = header.evr();
    let (source_name, source_version) = header
        .source()
        .unwrap_or_else(|| (header.name.clone(), version.clone()));
    Package {
        source_name: Some(source_name),
        source_version: Some(source_version),
        arch: header.arch,
        ..found.package(Ecosystem::Rpm, header.name, version, purl)
    }
}

#[cfg(test)]
mod tests;
