//! Which OSV ecosystem and package an installed package is looked up as.
//!
//! OS packages are matched by their **source** package and source version, in the ecosystem of
//! the distribution release (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`): distro advisories
//! are written per source package, and a binNMU (`5.2.15-2+b13` built from `5.2.15-2`) must be
//! judged by the source version its code came from. Language packages are their own source.

use crate::image::catalog::{Distro, Ecosystem, Package};

/// What to look up for one package.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Query {
    /// The ecosystem reported with the match: `Debian:12`, `PyPI`…
    pub ecosystem: String,
    /// The OSV base ecosystem the database is keyed by: `Debian`, `PyPI`…
    pub base: &'static str,
    pub name: String,
    pub version: String,
    release: Release,
}

/// Which `affected[].package.ecosystem` values belong to the package's release.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Release {
    /// Language ecosystems: any suffix (a Maven repository URL, say) is accepted.
    Any,
    /// The ecosystem string must be exactly this (`Debian:12`).
    Exactly(String),
    /// Red Hat's ecosystems carry a CPE suffix (`Red Hat:enterprise_linux:9::appstream`): any
    /// whose suffix names this major release.
    RedHat(String),
}

impl Query {
    /// Whether an affected entry's ecosystem is this package's release.
    pub fn accepts_ecosystem(&self, ecosystem: &str) -> bool {
        let (base, suffix) = ecosystem.split_once(':').unwrap_or((ecosystem, ""));
        if base != self.base {
            return false;
        }
        match &self.release {
            Release::Any => true,
            Release::Exactly(full) => ecosystem == full,
            Release::RedHat(major) => suffix.split(':').any(|part| {
                part == major
                    || part
                        .strip_prefix(major.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            }),
        }
    }
}

/// The query for `package` in an image of `distro`; `None` when no OSV ecosystem covers it
/// (an unknown distribution, or a distro package without a release to match against).
pub fn query_for(package: &Package, distro: Option<&Distro>) -> Option<Query> {
    let name = package
        .source_name
        .clone()
        .unwrap_or_else(|| package.name.clone());
    let version = package
        .source_version
        .clone()
        .unwrap_or_else(|| package.version.clone());
    let (ecosystem, base, release) = match package.ecosystem {
        Ecosystem::Debian => {
            let release = debian_release(distro?)?;
            let full = format!("Debian:{release}");
            (full.clone(), "Debian", Release::Exactly(full))
        }
        Ecosystem::Ubuntu => {
            let full = ubuntu_ecosystem(distro?.version_id.as_deref()?)?;
            (full.clone(), "Ubuntu", Release::Exactly(full))
        }
        Ecosystem::Alpine => {
            let (base, full) = alpine_ecosystem(distro?)?;
            (full.clone(), base, Release::Exactly(full))
        }
        Ecosystem::Rpm => rpm_ecosystem(distro?)?,
        // Language ecosystems are named as OSV names them.
        language => {
            let base = language.as_str();
            (base.to_string(), base, Release::Any)
        }
    };
    Some(Query {
        ecosystem,
        base,
        name,
        version,
        release,
    })
}

/// Debian's OSV ecosystems carry the major release number; testing images have only a
/// codename.
fn debian_release(distro: &Distro) -> Option<String> {
    if let Some(version) = distro.version_id.as_deref() {
        return Some(major(version).to_string());
    }
    let number = match distro.codename.as_deref()? {
        "forky" => "14",
        "trixie" => "13",
        "bookworm" => "12",
        "bullseye" => "11",
        "buster" => "10",
        "stretch" => "9",
        _ => return None,
    };
    Some(number.to_string())
}

/// `22.04` → `Ubuntu:22.04:LTS` (April releases of even years are LTS), `24.10` → `Ubuntu:24.10`.
fn ubuntu_ecosystem(version_id: &str) -> Option<String> {
    let (year, month) = version_id.split_once('.')?;
    let year: u32 = year.parse().ok()?;
    let lts = year.is_multiple_of(2) && month == "04";
    Some(if lts {
        format!("Ubuntu:{version_id}:LTS")
    } else {
        format!("Ubuntu:{version_id}")
    })
}

/// Alpine and the distributions that share its package format and OSV naming.
fn alpine_ecosystem(distro: &Distro) -> Option<(&'static str, String)> {
    match distro.id.as_str() {
        "alpine" => {
            let version = distro.version_id.as_deref()?;
            let mut parts = version.split('.');
            let minor = format!("{}.{}", parts.next()?, parts.next()?);
            Some(("Alpine", format!("Alpine:v{minor}")))
        }
        // Rolling distributions: one ecosystem without a release.
        "wolfi" => Some(("Wolfi", "Wolfi".to_string())),
        "chainguard" => Some(("Chainguard", "Chainguard".to_string())),
        _ => None,
    }
}

fn rpm_ecosystem(distro: &Distro) -> Option<(String, &'static str, Release)> {
    let version = distro.version_id.as_deref()?;
    let exactly = |base: &'static str, release: &str| {
        let full = format!("{base}:{release}");
        Some((full.clone(), base, Release::Exactly(full)))
    };
    match distro.id.as_str() {
        "rhel" => Some((
            format!("Red Hat:enterprise_linux:{}", major(version)),
            "Red Hat",
            Release::RedHat(major(version).to_string()),
        )),
        "rocky" => exactly("Rocky Linux", major(version)),
        "almalinux" => exactly("AlmaLinux", major(version)),
        "mageia" => exactly("Mageia", version),
        "openEuler" | "openeuler" => exactly("openEuler", version),
        "azurelinux" | "mariner" => exactly("Azure Linux", version),
        _ => None,
    }
}

fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{distro, package};
    use super::*;

    #[test]
    fn debian_packages_are_queried_by_source_in_the_release() {
        let bash = package(
            Ecosystem::Debian,
            "bash",
            "5.2.15-2+b13",
            Some(("bash", "5.2.15-2")),
        );
        let query =
            query_for(&bash, Some(&distro("debian", Some("12"), Some("bookworm")))).unwrap();
        assert_eq!(
            (
                query.ecosystem.as_str(),
                query.name.as_str(),
                query.version.as_str()
            ),
            ("Debian:12", "bash", "5.2.15-2")
        );
        assert!(query.accepts_ecosystem("Debian:12"));
        assert!(!query.accepts_ecosystem("Debian:11"));
        assert!(!query.accepts_ecosystem("Debian"));
        assert!(!query.accepts_ecosystem("Ubuntu:22.04:LTS"));

        let testing = query_for(&bash, Some(&distro("debian", None, Some("trixie")))).unwrap();
        assert_eq!(testing.ecosystem, "Debian:13");
        assert_eq!(
            query_for(&bash, Some(&distro("debian", None, Some("sid")))),
            None
        );
        assert_eq!(query_for(&bash, None), None);
    }

    #[test]
    fn ubuntu_alpine_and_rpm_releases() {
        let p = package(Ecosystem::Ubuntu, "openssl", "3.0.2", None);
        assert_eq!(
            query_for(&p, Some(&distro("ubuntu", Some("22.04"), None)))
                .unwrap()
                .ecosystem,
            "Ubuntu:22.04:LTS"
        );
        assert_eq!(
            query_for(&p, Some(&distro("ubuntu", Some("23.10"), None)))
                .unwrap()
                .ecosystem,
            "Ubuntu:23.10"
        );

        let p = package(
            Ecosystem::Alpine,
            "libcrypto3",
            "3.3.2-r0",
            Some(("openssl", "3.3.2-r0")),
        );
        let query = query_for(&p, Some(&distro("alpine", Some("3.20.3"), None))).unwrap();
        assert_eq!(
            (query.ecosystem.as_str(), query.name.as_str()),
            ("Alpine:v3.20", "openssl")
        );

        let p = package(
            Ecosystem::Rpm,
            "openssl-libs",
            "1:3.0.7-27.el9",
            Some(("openssl", "1:3.0.7-27.el9")),
        );
        let query = query_for(&p, Some(&distro("rhel", Some("9.4"), None))).unwrap();
        assert!(query.accepts_ecosystem("Red Hat:enterprise_linux:9::appstream"));
        assert!(!query.accepts_ecosystem("Red Hat:enterprise_linux:8::appstream"));
        let query = query_for(&p, Some(&distro("rocky", Some("9.4"), None))).unwrap();
        assert_eq!(query.ecosystem, "Rocky Linux:9");
    }

    #[test]
    fn language_packages_accept_any_suffix_of_their_ecosystem() {
        let p = package(Ecosystem::Maven, "org.apache:commons", "1.0", None);
        let query = query_for(&p, None).unwrap();
        assert!(query.accepts_ecosystem("Maven"));
        assert!(query.accepts_ecosystem("Maven:https://repo.example/"));
        assert!(!query.accepts_ecosystem("PyPI"));
    }
}
