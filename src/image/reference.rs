//! The image reference syntax users type: `TRANSPORT:WHERE`, as skopeo and Syft spell it.
//!
//! | reference | source |
//! |---|---|
//! | `docker-archive:PATH[:NAME:TAG]` | a `docker save` / `skopeo copy docker-archive:` tar |
//! | `oci:DIR[:TAG\|@DIGEST]` | an OCI image layout directory |
//! | `oci-archive:PATH[:TAG]` | a tar of an OCI image layout |
//! | `registry:NAME[:TAG\|@DIGEST]`, `docker://NAME`, plain `NAME[:TAG\|@DIGEST]` | a registry |
//! | `docker:NAME`, `docker-daemon:NAME` | the Docker engine's image store |
//! | `podman:NAME`, `containers-storage:NAME` | podman's image store |
//!
//! Paths may contain `:`; when the whole text after the transport names an existing file or
//! directory it is taken as the path, otherwise the last `:` (or `@` for a digest) separates
//! the tag.

use std::fmt;
use std::path::{Path, PathBuf};

use super::error::ImageError;
use super::source::digest::Digest;
use crate::reference::Reference;

/// Where an image comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// `docker-archive:PATH[:NAME:TAG]`: `image` picks one of several images in the archive by
    /// one of its `RepoTags`.
    DockerArchive {
        path: PathBuf,
        image: Option<String>,
    },
    /// `oci:DIR[:TAG|@DIGEST]`: `tag` matches the `org.opencontainers.image.ref.name`
    /// annotation in `index.json`; `digest` names a manifest (or index) blob.
    OciDir {
        path: PathBuf,
        tag: Option<String>,
        digest: Option<String>,
    },
    /// `oci-archive:PATH[:TAG]`: an OCI layout packed in a tar.
    OciArchive { path: PathBuf, tag: Option<String> },
    /// A registry, over the OCI distribution API.
    Registry(Reference),
    /// An image in the Docker engine (`docker:NAME`), exported through its API.
    Docker { name: String },
    /// An image in podman's store (`podman:NAME`), exported through its API.
    Podman { name: String },
}

impl ImageSource {
    /// Parses a reference; the error says what is wrong and what would be right.
    pub fn parse(text: &str) -> Result<ImageSource, ImageError> {
        let bad = |message: String| ImageError::BadReference {
            reference: text.to_owned(),
            message,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(bad("the reference is empty".into()));
        }
        // `docker://` is skopeo's registry transport; check it before the engine's `docker:`.
        if let Some(rest) = trimmed.strip_prefix("docker://") {
            return registry(rest).map_err(bad);
        }
        let Some((transport, rest)) = trimmed.split_once(':') else {
            return plain(trimmed).map_err(bad);
        };
        match transport {
            "docker-archive" => {
                let (path, image) = split_path(rest, ':', "docker-archive:PATH").map_err(bad)?;
                if let Some(image) = &image {
                    if Reference::parse(image).is_none() {
                        return Err(bad(format!(
                            "`{image}` is not an image name to pick from the archive \
                             (expected docker-archive:PATH[:NAME:TAG])"
                        )));
                    }
                }
                Ok(ImageSource::DockerArchive { path, image })
            }
            "oci" => {
                let (path, tag, digest) = if let Some((p, d)) = split_digest(rest) {
                    // `oci:DIR:TAG@DIGEST`: the digest decides; the tag is kept for messages.
                    let (path, tag) = if p.is_empty() {
                        (PathBuf::new(), None)
                    } else {
                        split_path(p, ':', "oci:DIR").map_err(bad)?
                    };
                    (path, tag, Some(d))
                } else {
                    let (path, tag) = split_path(rest, ':', "oci:DIR").map_err(bad)?;
                    (path, tag, None)
                };
                if path.as_os_str().is_empty() {
                    return Err(bad("`oci:` needs a directory: oci:DIR[:TAG|@DIGEST]".into()));
                }
                if let Some(tag) = &tag {
                    check_layout_tag(tag).map_err(bad)?;
                }
                if let Some(digest) = &digest {
                    Digest::parse(digest).map_err(bad)?;
                }
                Ok(ImageSource::OciDir { path, tag, digest })
            }
            "oci-archive" => {
                let (path, tag) = split_path(rest, ':', "oci-archive:PATH").map_err(bad)?;
                if let Some(tag) = &tag {
                    check_layout_tag(tag).map_err(bad)?;
                }
                Ok(ImageSource::OciArchive { path, tag })
            }
            "registry" => registry(rest).map_err(bad),
            "docker" | "docker-daemon" => engine_name(rest, transport)
                .map(|name| ImageSource::Docker { name })
                .map_err(bad),
            "podman" | "containers-storage" => engine_name(rest, transport)
                .map(|name| ImageSource::Podman { name })
                .map_err(bad),
            "dir" | "docker-image" | "oci-dir" | "sif" | "tarball" => Err(bad(format!(
                "the `{transport}:` transport is not supported; use docker-archive:, oci:, \
                 oci-archive:, registry:, docker: or podman:"
            ))),
            // `name:tag`, `host:port/name`: the part before ':' is not a transport.
            _ => plain(trimmed).map_err(bad),
        }
    }

    /// A short word for the kind of source, for messages and reports.
    pub fn kind(&self) -> &'static str {
        match self {
            ImageSource::DockerArchive { .. } => "docker-archive",
            ImageSource::OciDir { .. } => "oci",
            ImageSource::OciArchive { .. } => "oci-archive",
            ImageSource::Registry(_) => "registry",
            ImageSource::Docker { .. } => "docker",
            ImageSource::Podman { .. } => "podman",
        }
    }
}

impl fmt::Display for ImageSource {
    /// The canonical spelling, which [`ImageSource::parse`] reads back to the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageSource::DockerArchive { path, image } => {
                write!(f, "docker-archive:{}", path.display())?;
                if let Some(image) = image {
                    write!(f, ":{image}")?;
                }
                Ok(())
            }
            ImageSource::OciDir { path, tag, digest } => {
                write!(f, "oci:{}", path.display())?;
                if let Some(tag) = tag {
                    write!(f, ":{tag}")?;
                }
                if let Some(digest) = digest {
                    write!(f, "@{digest}")?;
                }
                Ok(())
            }
            ImageSource::OciArchive { path, tag } => {
                write!(f, "oci-archive:{}", path.display())?;
                if let Some(tag) = tag {
                    write!(f, ":{tag}")?;
                }
                Ok(())
            }
            ImageSource::Registry(r) => {
                write!(f, "registry:{}/{}", r.registry, r.repository)?;
                if let Some(tag) = &r.tag {
                    write!(f, ":{tag}")?;
                }
                if let Some(digest) = &r.digest {
                    write!(f, "@{digest}")?;
                }
                Ok(())
            }
            ImageSource::Docker { name } => write!(f, "docker:{name}"),
            ImageSource::Podman { name } => write!(f, "podman:{name}"),
        }
    }
}

/// `PATH` or `PATH<sep>SUFFIX`. An existing path wins over a split, so `a:b.tar` works.
fn split_path(rest: &str, sep: char, usage: &str) -> Result<(PathBuf, Option<String>), String> {
    if rest.is_empty() {
        return Err(format!("a path is missing: {usage}"));
    }
    if Path::new(rest).exists() {
        return Ok((rest.into(), None));
    }
    // `docker-archive:PATH:NAME:TAG` — the image name has its own ':'; try each split from
    // the left and take the first whose path exists.
    for (i, _) in rest.match_indices(sep) {
        let (path, suffix) = (&rest[..i], &rest[i + 1..]);
        if !path.is_empty() && Path::new(path).exists() {
            return Ok((path.into(), (!suffix.is_empty()).then(|| suffix.to_owned())));
        }
    }
    // Nothing exists: split at the last separator if what follows looks like a tag, so the
    // "not found" error later names the right path.
    if let Some((path, suffix)) = rest.rsplit_once(sep) {
        if !path.is_empty() && !suffix.is_empty() && !suffix.contains('/') {
            return Ok((path.into(), Some(suffix.to_owned())));
        }
    }
    Ok((rest.into(), None))
}

/// `DIR@sha256:…` → (`DIR`, `sha256:…`).
fn split_digest(rest: &str) -> Option<(&str, String)> {
    let (path, digest) = rest.rsplit_once('@')?;
    digest.contains(':').then(|| (path, digest.to_owned()))
}

/// OCI layout tags (`ref.name`) follow the distribution tag grammar, or are full references.
fn check_layout_tag(tag: &str) -> Result<(), String> {
    if tag.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{tag}` is not a valid tag: tags contain no spaces or control characters"
        ));
    }
    Ok(())
}

fn engine_name(rest: &str, transport: &str) -> Result<String, String> {
    let name = rest.trim();
    if name.is_empty() {
        return Err(format!(
            "`{transport}:` needs an image name or ID: {transport}:NAME"
        ));
    }
    if name.chars().any(char::is_whitespace) {
        return Err(format!("`{name}` is not an image name: names and IDs contain no spaces (`docker images` lists them)"));
    }
    Ok(name.to_owned())
}

/// A name without transport: a registry reference, unless it is obviously a path.
fn plain(text: &str) -> Result<ImageSource, String> {
    if text.starts_with('/') || text.starts_with("./") || text.starts_with("../") {
        let hint = if Path::new(text).is_dir() {
            format!("oci:{text}")
        } else {
            format!("docker-archive:{text} or oci-archive:{text}")
        };
        return Err(format!("a path needs a transport: did you mean {hint}?"));
    }
    registry(text)
}

/// A registry reference, validated against the distribution grammar.
fn registry(text: &str) -> Result<ImageSource, String> {
    let text = text.trim();
    let reference = Reference::parse(text)
        .ok_or_else(|| "expected NAME[:TAG|@DIGEST], e.g. debian:12".to_owned())?;
    for component in reference.repository.split('/') {
        if !valid_path_component(component) {
            return Err(format!(
                "`{component}` is not a valid repository name component (lower-case letters, \
                 digits and single separators `.`, `_`, `__`, `-`)"
            ));
        }
    }
    if let Some(tag) = &reference.tag {
        let mut chars = tag.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !first_ok || !rest_ok || tag.len() > 128 {
            return Err(format!(
                "`{tag}` is not a valid tag (letters, digits, `_`, `.`, `-`; at most 128)"
            ));
        }
    }
    if let Some(digest) = &reference.digest {
        Digest::parse(digest)?;
    }
    if reference.registry.is_empty() || reference.registry.contains(char::is_whitespace) {
        return Err(format!(
            "`{}` is not a registry host: write HOST[:PORT]/REPOSITORY[:TAG]",
            reference.registry
        ));
    }
    Ok(ImageSource::Registry(reference))
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
fn valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &component[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ImageSource {
        ImageSource::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn error(text: &str) -> String {
        match ImageSource::parse(text) {
            Err(e @ ImageError::BadReference { .. }) => e.to_string(),
            other => panic!("{text}: expected BadReference, got {other:?}"),
        }
    }

    #[test]
    fn file_transports() {
        assert_eq!(
            parse("docker-archive:/tmp/nope/img.tar"),
            ImageSource::DockerArchive {
                path: "/tmp/nope/img.tar".into(),
                image: None
            }
        );
        assert_eq!(
            parse("oci:/x/layout:v1"),
            ImageSource::OciDir {
                path: "/x/layout".into(),
                tag: Some("v1".into()),
                digest: None
            }
        );
        let digest = format!("sha256:{}", "a".repeat(64));
        assert_eq!(
            parse(&format!("oci:layout@{digest}")),
            ImageSource::OciDir {
                path: "layout".into(),
                tag: None,
                digest: Some(digest.clone())
            }
        );
        assert_eq!(
            parse(&format!("oci:/x/layout:v1@{digest}")),
            ImageSource::OciDir {
                path: "/x/layout".into(),
                tag: Some("v1".into()),
                digest: Some(digest.clone())
            }
        );
        assert_eq!(
            parse("oci-archive:img.tar:latest"),
            ImageSource::OciArchive {
                path: "img.tar".into(),
                tag: Some("latest".into())
            }
        );
        assert_eq!(
            parse("oci:layout"),
            ImageSource::OciDir {
                path: "layout".into(),
                tag: None,
                digest: None
            }
        );
    }

    #[test]
    fn existing_paths_with_colons_win() {
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join("a:b");
        std::fs::create_dir(&odd).unwrap();
        let text = format!("oci:{}", odd.display());
        assert_eq!(
            parse(&text),
            ImageSource::OciDir {
                path: odd.clone(),
                tag: None,
                digest: None
            }
        );
        let file = dir.path().join("img.tar");
        std::fs::write(&file, b"").unwrap();
        assert_eq!(
            parse(&format!("docker-archive:{}:app:1.0", file.display())),
            ImageSource::DockerArchive {
                path: file,
                image: Some("app:1.0".into())
            }
        );
    }

    #[test]
    fn registry_forms() {
        for text in ["debian:12", "registry:debian:12", "docker://debian:12"] {
            let ImageSource::Registry(r) = parse(text) else {
                panic!("{text}")
            };
            assert_eq!(r.repository, "library/debian");
            assert_eq!(r.tag.as_deref(), Some("12"));
        }
        let text = format!("localhost:5000/team/app@sha256:{}", "0".repeat(64));
        let ImageSource::Registry(r) = parse(&text) else {
            panic!("{text}")
        };
        assert_eq!(r.registry, "localhost:5000");
        assert!(r.digest.is_some());
        let round = parse("registry:127.0.0.1:5000/deb:12");
        assert_eq!(round.to_string(), "registry:127.0.0.1:5000/deb:12");
        assert_eq!(parse(&round.to_string()), round);
    }

    #[test]
    fn engine_forms() {
        assert_eq!(
            parse("docker:app:1"),
            ImageSource::Docker {
                name: "app:1".into()
            }
        );
        assert_eq!(
            parse("podman:localhost/x"),
            ImageSource::Podman {
                name: "localhost/x".into()
            }
        );
        assert_eq!(parse("docker-daemon:abc").kind(), "docker");
    }

    #[test]
    fn clear_errors() {
        assert!(error("").contains("empty"));
        assert!(error("oci:").contains("path is missing"));
        assert!(error("docker:").contains("needs an image name"));
        assert!(error("dir:/x").contains("not supported"));
        assert!(error("Debian:12").contains("not a valid repository name component"));
        assert!(error("debian:bad tag").contains("not a valid tag"));
        assert!(error("debian@sha256:xyz").contains("valid sha256 digest"));
        assert!(error("oci:dir@sha256:12").contains("64"));
        assert!(error("/tmp/x.tar").contains("docker-archive:/tmp/x.tar"));
        assert!(error("node:").contains("NAME[:TAG|@DIGEST]"));
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "docker-archive:/a/b.tar",
            "oci:/a/b:t",
            "oci-archive:/a/b.tar:t",
            "docker:x",
            "podman:y",
        ] {
            assert_eq!(parse(text).to_string(), text);
        }
    }
}
