//! PC3005 `image-tag-mutable`: the container's image reference can change under it.

use crate::reference::Reference;
use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

/// Whether `image` is an image id (`docker run <id>`), which is immutable.
fn is_image_id(image: &str) -> bool {
    let hex = image.strip_prefix("sha256:").unwrap_or(image);
    hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let Some(image) = &spec.image else {
        return Vec::new();
    };
    if is_image_id(image.value.trim()) {
        return Vec::new();
    }
    let Some(reference) = Reference::parse(&image.value) else {
        return Vec::new();
    };
    if reference.digest.is_some() {
        return Vec::new();
    }
    let problem = match reference.tag.as_deref() {
        None => "has no tag",
        Some("latest") => "uses the tag `latest`",
        Some(_) => return Vec::new(),
    };
    vec![Violation::new(
        &rules::IMAGE_TAG_MUTABLE,
        format!(
            "{} runs image `{}`, which {problem} and no digest",
            spec.subject, image.value
        ),
        &image.at,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::Platform;

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn compose_untagged_or_latest_images_are_reported_at_the_image() {
        let mut spec = bare(Platform::Docker);
        for image in ["nginx", "nginx:latest", "localhost:5000/team/app"] {
            spec.image = Some(set(image.into(), 3));
            assert_eq!(run(check, &spec), [("PC3005", 3)], "{image}");
        }
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` runs image `localhost:5000/team/app`, which has no tag and no digest"
        );
    }

    #[test]
    fn compose_tagged_digest_pinned_or_build_only_services_pass() {
        let mut spec = bare(Platform::Docker);
        assert!(run(check, &spec).is_empty(), "build-only service");
        for image in [
            "nginx:1.27".to_owned(),
            "localhost:5000/team/app:2.1".to_owned(),
            format!("nginx:latest@{DIGEST}"),
            format!("nginx@{DIGEST}"),
        ] {
            spec.image = Some(set(image.clone(), 3));
            assert!(run(check, &spec).is_empty(), "{image}");
        }
    }

    #[test]
    fn kubernetes_image_is_judged_the_same_way() {
        let mut spec = bare(Platform::Kubernetes);
        spec.image = Some(set("ghcr.io/org/api:latest".into(), 9));
        assert_eq!(run(check, &spec), [("PC3005", 9)]);
        spec.image = Some(set("ghcr.io/org/api:v3.2.1".into(), 9));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn live_podman_container_started_from_an_id_passes() {
        let mut spec = bare(Platform::Podman);
        spec.image = Some(set(DIGEST.into(), 0));
        assert!(run(check, &spec).is_empty());
        spec.image = Some(set("docker.io/library/redis".into(), 0));
        assert_eq!(run(check, &spec), [("PC3005", 0)]);
    }
}
