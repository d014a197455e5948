//! Packages and distributions for the matcher's tests.

use crate::image::catalog::{Distro, Ecosystem, Package};

/// A package found by a test cataloger; `source` is `(name, version)` when it differs.
pub(super) fn package(
    ecosystem: Ecosystem,
    name: &str,
    version: &str,
    source: Option<(&str, &str)>,
) -> Package {
    Package {
        name: name.into(),
        version: version.into(),
        source_name: Some(source.map_or(name, |s| s.0).into()),
        source_version: Some(source.map_or(version, |s| s.1).into()),
        ecosystem,
        purl: format!("pkg:test/{name}@{version}"),
        arch: None,
        evidence: vec![format!("/evidence/{name}")],
        layer: None,
        cataloger: "test",
    }
}

pub(super) fn distro(id: &str, version: Option<&str>, codename: Option<&str>) -> Distro {
    Distro {
        id: id.into(),
        version_id: version.map(Into::into),
        codename: codename.map(Into::into),
        pretty_name: None,
    }
}
