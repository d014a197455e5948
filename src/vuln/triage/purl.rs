//! Package URLs as far as triage compares them: type, namespace, name and version.
//!
//! Users write purls by hand in ignore files and VEX documents, so the comparison forgives what
//! does not identify the package: qualifiers (`?arch=amd64&distro=debian-12`) and subpaths are
//! ignored, components are percent-decoded (`2.4.1-1%2Bdeb12u1` equals `2.4.1-1+deb12u1`), the
//! type is case-insensitive, and for the types whose names the purl specification declares
//! case-insensitive (deb, apk, pypi, oci…) so are namespace and name.

use percent_encoding::percent_decode_str;

/// The identifying parts of a purl, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
}

impl Purl {
    /// Parses `pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH`.
    pub fn parse(text: &str) -> Result<Purl, String> {
        let text = text.trim();
        let rest = text
            .get(..4)
            .filter(|scheme| scheme.eq_ignore_ascii_case("pkg:"))
            .map(|_| &text[4..])
            .ok_or_else(|| format!("`{text}` is not a purl: it must start with `pkg:`"))?;
        let rest = rest.trim_start_matches('/');
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let rest = rest.split_once('?').map_or(rest, |(before, _)| before);
        let rest = rest.trim_end_matches('/');
        // The version starts at the last `@` of the last segment: an npm scope written
        // unencoded (`pkg:npm/@babel/core`) has an `@` in the namespace.
        let last_slash = rest.rfind('/').unwrap_or(0);
        let (path, version) = match rest[last_slash..].rfind('@') {
            Some(at) => (&rest[..last_slash + at], Some(&rest[last_slash + at + 1..])),
            None => (rest, None),
        };
        let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if segments.len() < 2 {
            return Err(format!(
                "`{text}` is not a purl: it needs at least `pkg:TYPE/NAME`"
            ));
        }
        let kind = segments.remove(0).to_ascii_lowercase();
        let name = segments.pop().map(decode).unwrap_or_default();
        let namespace = (!segments.is_empty()).then(|| {
            segments
                .iter()
                .map(|s| decode(s))
                .collect::<Vec<_>>()
                .join("/")
        });
        let version = version.map(decode).filter(|v| !v.is_empty());
        let mut purl = Purl {
            kind,
            namespace,
            name,
            version,
        };
        purl.normalise();
        Ok(purl)
    }

    /// Whether `package` is the package this purl names: same type, namespace and name, and
    /// the same version when this purl has one (a versionless purl names every version).
    pub fn matches(&self, package: &Purl) -> bool {
        self.kind == package.kind
            && self.namespace == package.namespace
            && self.name == package.name
            && self
                .version
                .as_ref()
                .is_none_or(|version| Some(version) == package.version.as_ref())
    }

    /// Lowercases what the purl specification says is case-insensitive for this type, and
    /// applies PyPI's `_` → `-` name normalisation.
    fn normalise(&mut self) {
        const CASE_INSENSITIVE: &[&str] = &[
            "alpm",
            "apk",
            "bitbucket",
            "composer",
            "deb",
            "github",
            "hex",
            "oci",
            "pypi",
        ];
        if CASE_INSENSITIVE.contains(&self.kind.as_str()) {
            self.name = self.name.to_lowercase();
            if let Some(namespace) = &mut self.namespace {
                *namespace = namespace.to_lowercase();
            }
        }
        if self.kind == "pypi" {
            self.name = self.name.replace('_', "-");
        }
    }
}

/// Whether `pattern` (a purl from an ignore file or VEX document) names `package` (the purl of
/// a found package). Either failing to parse means no match.
pub fn purl_matches(pattern: &str, package: &str) -> bool {
    match (Purl::parse(pattern), Purl::parse(package)) {
        (Ok(pattern), Ok(package)) => pattern.matches(&package),
        _ => false,
    }
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_components() {
        let purl =
            Purl::parse("pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12").unwrap();
        assert_eq!(
            purl,
            Purl {
                kind: "deb".into(),
                namespace: Some("debian".into()),
                name: "bash".into(),
                version: Some("5.2.15-2+b2".into()),
            }
        );
        let npm = Purl::parse("pkg:npm/@babel/core").unwrap();
        assert_eq!(npm.namespace.as_deref(), Some("@babel"));
        assert_eq!((npm.name.as_str(), npm.version), ("core", None));
        let encoded = Purl::parse("pkg:npm/%40babel/core@7.0.0#lib/index.js").unwrap();
        assert_eq!(encoded.namespace.as_deref(), Some("@babel"));
        assert_eq!(encoded.version.as_deref(), Some("7.0.0"));
        let oci =
            Purl::parse("pkg:oci/debian@sha256%3Aabc123?repository_url=docker.io/library/debian")
                .unwrap();
        assert_eq!(oci.version.as_deref(), Some("sha256:abc123"));
        assert_eq!(oci.namespace, None);
    }

    #[test]
    fn refuses_non_purls() {
        assert!(Purl::parse("debian/bash@1").unwrap_err().contains("pkg:"));
        assert!(Purl::parse("pkg:deb").is_err());
        assert!(Purl::parse("").is_err());
    }

    #[test]
    fn matches_with_and_without_version() {
        let package = "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12";
        assert!(purl_matches("pkg:deb/debian/openssl", package));
        assert!(purl_matches(
            "pkg:deb/debian/openssl@3.0.11-1~deb12u2",
            package
        ));
        assert!(purl_matches(
            "pkg:deb/debian/openssl@3.0.11-1%7Edeb12u2?arch=arm64",
            package
        ));
        assert!(purl_matches("PKG:DEB/Debian/OpenSSL", package));
        assert!(!purl_matches("pkg:deb/debian/openssl@3.0.9-1", package));
        assert!(!purl_matches("pkg:deb/ubuntu/openssl", package));
        assert!(!purl_matches("pkg:rpm/debian/openssl", package));
        assert!(!purl_matches("pkg:deb/debian/libssl3", package));
        assert!(!purl_matches("not a purl", package));
    }

    #[test]
    fn type_specific_case_rules() {
        assert!(purl_matches("pkg:pypi/PyYAML", "pkg:pypi/pyyaml@6.0.1"));
        assert!(purl_matches(
            "pkg:pypi/typing_extensions",
            "pkg:pypi/typing-extensions@4.9.0"
        ));
        // Maven names are case-sensitive.
        assert!(!purl_matches(
            "pkg:maven/org.apache.logging.log4j/Log4j-core",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
        ));
    }
}
