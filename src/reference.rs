//! Image references (`registry/repo:tag@digest`) as Docker normalises them.

/// The registry Docker uses for references without a host.
pub const DEFAULT_REGISTRY: &str = "docker.io";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Host (and port) of the registry; `docker.io` when none is written.
    pub registry: String,
    /// Repository path, with `library/` added for official Docker Hub images.
    pub repository: String,
    pub tag: Option<String>,
    /// `algorithm:hex`, e.g. `sha256:…`.
    pub digest: Option<String>,
}

impl Reference {
    /// Parses a reference; `None` when it is empty or has empty parts.
    pub fn parse(text: &str) -> Option<Reference> {
        let text = text.trim();
        let (name_tag, digest) = match text.split_once('@') {
            Some((n, d)) => (n, Some(d.to_owned())),
            None => (text, None),
        };
        // A tag is after the last ':' that follows the last '/' (a ':' before it is a port).
        let slash = name_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_tag[slash..].rfind(':') {
            Some(i) => (
                &name_tag[..slash + i],
                Some(name_tag[slash + i + 1..].to_owned()),
            ),
            None => (name_tag, None),
        };
        if name.is_empty() || tag.as_deref() == Some("") || digest.as_deref() == Some("") {
            return None;
        }
        let (registry, repository) = match name.split_once('/') {
            Some((host, rest)) if host.contains(['.', ':']) || host == "localhost" => {
                (host.to_ascii_lowercase(), rest.to_owned())
            }
            _ => (DEFAULT_REGISTRY.to_owned(), name.to_owned()),
        };
        let repository = if registry == DEFAULT_REGISTRY && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository
        };
        Some(Reference {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// Docker Hub answers to several host names.
    pub fn is_docker_hub(&self) -> bool {
        matches!(
            self.registry.as_str(),
            "docker.io" | "index.docker.io" | "registry-1.docker.io"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_docker() {
        let r = Reference::parse("python:3.12").expect("valid");
        assert_eq!(r.registry, "docker.io");
        assert_eq!(r.repository, "library/python");
        assert_eq!(r.tag.as_deref(), Some("3.12"));
        let r = Reference::parse("localhost:5000/team/app").expect("valid");
        assert_eq!((r.registry.as_str(), r.tag), ("localhost:5000", None));
        let r = Reference::parse("ghcr.io/o/i:1@sha256:abc").expect("valid");
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        assert_eq!(r.tag.as_deref(), Some("1"));
        assert_eq!(
            Reference::parse("org/app").map(|r| r.repository),
            Some("org/app".into())
        );
    }

    #[test]
    fn rejects_empty_parts() {
        assert!(Reference::parse("").is_none());
        assert!(Reference::parse("node:").is_none());
        assert!(Reference::parse("node@").is_none());
    }
}
