//! What the OS catalogers (dpkg, apk, rpm) share: a distribution's package database, kept at
//! every layer ([`Want::EveryLayer`](super::Want::EveryLayer)) so that each package is blamed
//! on the layer that installed it at its final version ([`installed`]), and the distribution's
//! name in their purls ([`Namespace`]).

use std::collections::HashSet;

use super::{purl, Distro, FoundIn, ImageFiles};

/// What identifies an installed package across layers: name, architecture, version. Several
/// versions of one name (kernels) or architectures of one version (multiarch) can be installed
/// at once.
pub(super) type Identity = (String, Option<String>, String);

/// A package as a database lists it.
pub(super) trait Listed {
    fn identity(&self) -> Identity;
}

/// The entries of each database's final version, each with where it was found: the database,
/// the layer that introduced it at this version ([`introducing_layer`], else the layer that
/// wrote the database) and `cataloger`. An identity listed again (the same package in dpkg's
/// `status` and `status.d/`, or twice in one file) is kept once, where first listed.
///
/// `parse` reads one version of a database and reports its problems with the path; on the
/// earlier versions, which only say which packages they list, its problems are dropped.
pub(super) fn installed<'f, E: Listed>(
    files: &'f dyn ImageFiles,
    databases: impl IntoIterator<Item = &'f str>,
    cataloger: &'static str,
    parse: impl Fn(&[u8], &str, &mut Vec<String>) -> Vec<E>,
    problems: &mut Vec<String>,
) -> Vec<(E, FoundIn<'f>)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for path in databases {
        let Some(content) = files.read(path) else {
            continue;
        };
        let entries = parse(content, path, problems);
        let history: Vec<(usize, HashSet<Identity>)> = files
            .versions(path)
            .into_iter()
            .map(|(layer, bytes)| {
                let entries = parse(bytes, path, &mut Vec::new());
                (layer, entries.iter().map(E::identity).collect())
            })
            .collect();
        let fallback = files.layer_of(path);
        for entry in entries {
            let id = entry.identity();
            if !seen.insert(id.clone()) {
                continue;
            }
            let found = FoundIn {
                evidence: path,
                layer: introducing_layer(&history, &id).or(fallback),
                cataloger,
            };
            out.push((entry, found));
        }
    }
    out
}

/// The layer that introduced `id`: the first layer of the last unbroken run of database
/// versions that list it. `history` is every layer's version of one database, oldest first,
/// the last being the final one. A package installed in layer 1, upgraded in layer 3 is
/// blamed on 3; one removed in layer 2 and reinstalled at the same version in layer 4 on 4;
/// one present since the base layer on the base layer. `None` when the final version does not
/// list it (or there is no history).
fn introducing_layer(history: &[(usize, HashSet<Identity>)], id: &Identity) -> Option<usize> {
    let mut introduced = None;
    for (layer, ids) in history.iter().rev() {
        if !ids.contains(id) {
            break;
        }
        introduced = Some(*layer);
    }
    introduced
}

/// How a distribution's packages are named in purls: the namespace (the distribution's `ID`)
/// and the `distro` qualifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Namespace {
    id: Option<String>,
    qualifier: String,
}

impl Namespace {
    /// From os-release: `ID` in lower case, else `default` (an image without os-release is
    /// taken for the family's base distribution; rpm has none and leaves the namespace out).
    /// The qualifier is `<id>-<VERSION_ID>` (`debian-12`), else `<id>-<codename>` (testing
    /// and sid have no `VERSION_ID`), else nothing.
    pub(super) fn new(distro: Option<&Distro>, default: Option<&str>) -> Self {
        let id = distro
            .map(|d| d.id.trim().to_ascii_lowercase())
            .filter(|id| !id.is_empty())
            .or_else(|| default.map(str::to_string));
        let qualifier = match (distro, &id) {
            (Some(distro), Some(id)) => match (&distro.version_id, &distro.codename) {
                (Some(version), _) if !version.is_empty() => format!("{id}-{version}"),
                (_, Some(codename)) if !codename.is_empty() => format!("{id}-{codename}"),
                _ => String::new(),
            },
            _ => String::new(),
        };
        Namespace { id, qualifier }
    }

    pub(super) fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// `pkg:KIND/ID/NAME@VERSION?arch=ARCH&distro=QUALIFIER`, with `extra` qualifiers (rpm's
    /// `epoch`); empty ones are left out.
    pub(super) fn purl(
        &self,
        kind: &str,
        name: &str,
        version: &str,
        arch: Option<&str>,
        extra: &[(&str, &str)],
    ) -> String {
        let mut qualifiers = vec![
            ("arch", arch.unwrap_or("")),
            ("distro", self.qualifier.as_str()),
        ];
        qualifiers.extend_from_slice(extra);
        purl(kind, self.id(), name, version, &qualifiers)
    }
}
