//! Checks of how the image was named and fetched rather than what it holds: PC3001
//! base-image-unpinned on the scanned reference (Dockle's `DKL-DI-0006`, the `latest` tag) and
//! PC3030 content-trust-not-enforced (Dockle's `CIS-DI-0005`, `DOCKER_CONTENT_TRUST` in the
//! scanning environment). Both are findings on the image as a whole.

use super::HygieneFinding;
use crate::image::reference::ImageSource;
use crate::reference::Reference;
use crate::rules;

/// The environment variable Docker clients read to enforce content trust.
pub const CONTENT_TRUST_VARIABLE: &str = "DOCKER_CONTENT_TRUST";

/// The tag the scanned reference names, and whether it was written (`None` for local files
/// without one, and for references pinned by digest, which no tag can move).
fn tag_of(source: &ImageSource) -> Option<(String, bool)> {
    let named = |reference: &Reference| {
        if reference.digest.is_some() {
            return None;
        }
        Some(match &reference.tag {
            Some(tag) => (tag.clone(), true),
            None => ("latest".to_owned(), false),
        })
    };
    match source {
        ImageSource::Registry(reference) => named(reference),
        ImageSource::Docker { name } | ImageSource::Podman { name } => {
            // An image ID (`sha256:…` or a bare hex prefix) names content, not a tag.
            let is_id = name.starts_with("sha256:")
                || (name.len() >= 12 && name.bytes().all(|b| b.is_ascii_hexdigit()));
            if is_id {
                return None;
            }
            Reference::parse(name).and_then(|r| named(&r))
        }
        ImageSource::DockerArchive { image, .. } => image
            .as_deref()
            .and_then(Reference::parse)
            .and_then(|r| named(&r))
            .filter(|(_, written)| *written),
        ImageSource::OciDir { tag, digest, .. } if digest.is_none() => {
            tag.clone().map(|tag| (tag, true))
        }
        ImageSource::OciArchive { tag, .. } => tag.clone().map(|tag| (tag, true)),
        ImageSource::OciDir { .. } => None,
    }
}

/// The findings about `reference` (as given to the scan) and the scanning environment's
/// `DOCKER_CONTENT_TRUST` value (`content_trust`).
pub fn check(reference: &str, content_trust: Option<&str>) -> Vec<HygieneFinding> {
    let mut out = Vec::new();
    let tag = ImageSource::parse(reference).ok().as_ref().and_then(tag_of);
    if let Some((tag, written)) = tag.filter(|(tag, _)| tag == "latest") {
        let how = if written {
            format!("the tag `{tag}`")
        } else {
            "no tag, which means `latest`".to_owned()
        };
        let mut finding = HygieneFinding::config(
            &rules::BASE_IMAGE_UNPINNED,
            format!(
                "the image is referenced by {how}: the tag follows every new push, so what was \
                 scanned is not necessarily what runs; use a version tag or a digest"
            ),
        );
        finding.aliases = &["DKL-DI-0006"];
        out.push(finding);
    }
    let value = content_trust.map(str::trim);
    if value != Some("1") {
        let now = match value {
            None => "is not set".to_owned(),
            Some(value) => format!("is `{value}`"),
        };
        out.push(HygieneFinding::config(
            &rules::CONTENT_TRUST_NOT_ENFORCED,
            format!(
                "{CONTENT_TRUST_VARIABLE} {now} in the environment of the scan: Docker clients \
                 here pull and run images without checking their signatures (set it to 1)"
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(reference: &str, trust: Option<&str>) -> Vec<(&'static str, String)> {
        check(reference, trust)
            .into_iter()
            .map(|f| (f.rule.code, f.message))
            .collect()
    }

    #[test]
    fn latest_or_no_tag_is_reported_with_only_the_dockle_alias() {
        // The archive must exist for its path to be told from the image name.
        let archive = tempfile::NamedTempFile::new().unwrap();
        let archive = format!("docker-archive:{}:app:latest", archive.path().display());
        for (reference, written) in [
            ("alpine", false),
            ("alpine:latest", true),
            ("registry:ghcr.io/acme/app", false),
            ("docker:app:latest", true),
            ("podman:app", false),
            ("oci:/tmp/layout:latest", true),
            (archive.as_str(), true),
        ] {
            let found = check(reference, Some("1"));
            assert_eq!(found.len(), 1, "{reference}");
            assert_eq!(found[0].rule.code, "PC3001");
            assert_eq!(found[0].aliases, ["DKL-DI-0006"]);
            assert_eq!(
                found[0].message.contains("no tag, which means `latest`"),
                !written,
                "{reference}: {}",
                found[0].message
            );
        }
    }

    #[test]
    fn versions_digests_ids_and_untagged_files_are_not_latest() {
        for reference in [
            "alpine:3.20",
            "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "alpine:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "docker:app:1.4",
            "docker:sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "docker:0123456789ab",
            "docker-archive:/tmp/app.tar",
            "oci:/tmp/layout",
            "oci:/tmp/layout:v1",
            "oci-archive:/tmp/app.tar",
        ] {
            assert_eq!(codes(reference, Some("1")), [], "{reference}");
        }
    }

    #[test]
    fn content_trust_must_be_exactly_one() {
        assert_eq!(codes("alpine:3.20", Some("1")), []);
        assert_eq!(codes("alpine:3.20", Some(" 1\n")), []);
        for (value, shown) in [
            (None, "is not set"),
            (Some("0"), "is `0`"),
            (Some("true"), "is `true`"),
        ] {
            let found = check("alpine:3.20", value);
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].rule.code, "PC3030");
            assert!(found[0].aliases.is_empty(), "the rule's own alias applies");
            assert!(
                found[0]
                    .message
                    .starts_with(&format!("DOCKER_CONTENT_TRUST {shown} ")),
                "{}",
                found[0].message
            );
        }
    }
}
