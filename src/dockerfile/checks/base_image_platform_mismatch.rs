//! PC8053 base-image-platform-mismatch (BuildKit's InvalidBaseImagePlatform).
//!
//! BuildKit compares the platform of the image config it resolved with the platform the stage
//! builds for. A linter knows neither without asking the registry, so this check reads
//! [`Options::base_platforms`](super::Options::base_platforms): the platforms each base image
//! is published for, filled by whoever resolved the images: `portcullis lint
//! --resolve-base-images` asks the registries ([`resolve_base_platforms`]). Without that
//! metadata it reports nothing.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use super::undefined_arg_in_from::image_span;
use super::Context;
use crate::dockerfile::expand::Lexer;
use crate::dockerfile::stages::Build;
use crate::image::source::manifest::{normalize_architecture, Manifest};
use crate::image::source::registry::{fetch_manifest, RegistryOptions};
use crate::reference::Reference;
use crate::rules::BASE_IMAGE_PLATFORM_MISMATCH;

pub(crate) fn check(ctx: &mut Context) {
    if ctx.options.base_platforms.is_empty() {
        return;
    }
    let target = ctx
        .options
        .target_platform
        .clone()
        .unwrap_or_else(|| "linux/amd64".to_owned());
    let lexer = Lexer::new(ctx.file.escape);
    let platform_env: Vec<(String, String)> = ["TARGETPLATFORM", "BUILDPLATFORM"]
        .iter()
        .map(|k| ((*k).to_owned(), target.clone()))
        .collect();
    let mut reports = Vec::new();
    for stage in ctx.build.stages.iter().filter(|s| s.parent.is_none()) {
        let Some(base) = stage.base.as_deref() else {
            continue;
        };
        let Some(published) = ctx.options.base_platforms.get(base) else {
            continue;
        };
        let from = &ctx.file.instructions[stage.from];
        let expected = match from.flag("platform").and_then(|f| f.value.as_deref()) {
            None => target.clone(),
            Some(value) => match lexer.process_word(value, &platform_env) {
                Ok(e) if e.references.iter().all(|r| r.set) => e.value,
                // A platform from another build argument is not known statically.
                _ => continue,
            },
        };
        let Some((os, arch)) = os_arch(&expected) else {
            continue;
        };
        let available = published
            .iter()
            .filter_map(|p| os_arch(p))
            .any(|(o, a)| o == os && a == arch);
        if available || published.is_empty() {
            continue;
        }
        let list = published.join(", ");
        reports.push((
            image_span(from),
            format!(
                "`{base}` is published for {list}, not for {expected} that this stage builds for: the build would run it under emulation or fail; pick a base image published for that platform, or set `--platform` on this FROM"
            ),
        ));
    }
    for (span, message) in reports {
        ctx.report(&BASE_IMAGE_PLATFORM_MISMATCH, message, span);
    }
}

/// Fetches from their registries the platforms of the external base images of `build`, for
/// [`Options::base_platforms`](super::Options::base_platforms). Each image is asked once per
/// process; one that cannot be reached (network, credentials, a private mirror) is left out,
/// so its stage is not judged.
pub fn resolve_base_platforms(
    build: &Build<'_>,
    options: &RegistryOptions,
) -> BTreeMap<String, Vec<String>> {
    static CACHE: OnceLock<Mutex<BTreeMap<String, Option<Vec<String>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut out = BTreeMap::new();
    for stage in build.stages.iter().filter(|s| s.parent.is_none()) {
        let Some(base) = stage.base.as_deref() else {
            continue;
        };
        if base.eq_ignore_ascii_case("scratch") || out.contains_key(base) {
            continue;
        }
        let cached = cache.lock().ok().and_then(|c| c.get(base).cloned());
        let platforms = match cached {
            Some(known) => known,
            None => {
                let fetched = Reference::parse(base).and_then(|reference| {
                    fetch_manifest(&reference, options)
                        .ok()
                        .map(|(manifest, config)| published_platforms(&manifest, config.as_deref()))
                });
                if let Ok(mut c) = cache.lock() {
                    c.insert(base.to_owned(), fetched.clone());
                }
                fetched
            }
        };
        if let Some(platforms) = platforms {
            out.insert(base.to_owned(), platforms);
        }
    }
    out
}

/// `os/arch[/variant]` → `(os, arch)`, lower-cased, the architecture normalised.
fn os_arch(platform: &str) -> Option<(String, String)> {
    let mut parts = platform.trim().split('/');
    let os = parts.next().filter(|s| !s.is_empty())?.to_ascii_lowercase();
    let arch = parts.next().filter(|s| !s.is_empty())?.to_ascii_lowercase();
    Some((os, normalize_architecture(&arch).to_owned()))
}

/// The platforms an image is published for, as [`Options::base_platforms`] wants them: every
/// platform of an index (attestations left out), or the one in the configuration of a
/// single-platform image (`config` is its image configuration JSON).
///
/// [`Options::base_platforms`]: super::Options::base_platforms
pub fn published_platforms(manifest: &Manifest, config: Option<&[u8]>) -> Vec<String> {
    match manifest {
        Manifest::Index(index) => index
            .manifests
            .iter()
            .filter_map(|d| d.platform.as_ref())
            .filter(|p| !p.os.is_empty() && p.os != "unknown")
            .map(ToString::to_string)
            .collect(),
        Manifest::Image(_) => config
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(bytes).ok())
            .and_then(|value| {
                let os = value.get("os")?.as_str()?.to_owned();
                let arch = value.get("architecture")?.as_str()?.to_owned();
                let variant = value.get("variant").and_then(|v| v.as_str());
                Some(match variant {
                    Some(v) if !v.is_empty() => format!("{os}/{arch}/{v}"),
                    _ => format!("{os}/{arch}"),
                })
            })
            .into_iter()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::published_platforms;
    use crate::dockerfile::checks::testing::findings_with;
    use crate::dockerfile::checks::Options;
    use crate::image::source::manifest::Manifest;
    use crate::rules::BASE_IMAGE_PLATFORM_MISMATCH;

    fn options(image: &str, platforms: &[&str]) -> Options {
        Options {
            base_platforms: [(
                image.to_owned(),
                platforms.iter().map(|p| (*p).to_owned()).collect(),
            )]
            .into_iter()
            .collect(),
            ..Options::default()
        }
    }

    fn messages(source: &str, options: &Options) -> Vec<String> {
        findings_with(&BASE_IMAGE_PLATFORM_MISMATCH, source, options)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn flags_a_base_image_without_the_target_platform() {
        let opts = options("tool:2", &["linux/arm64/v8"]);
        let found = findings_with(&BASE_IMAGE_PLATFORM_MISMATCH, "FROM tool:2\n", &opts);
        assert_eq!(
            found[0].message,
            "`tool:2` is published for linux/arm64/v8, not for linux/amd64 that this stage builds for: the build would run it under emulation or fail; pick a base image published for that platform, or set `--platform` on this FROM"
        );
        let region = found[0].location.region.expect("region");
        assert_eq!((region.start.line, region.start.column), (1, 6));
    }

    #[test]
    fn the_from_platform_and_the_target_platform_decide() {
        let opts = options("tool:2", &["linux/amd64", "linux/arm64"]);
        assert!(messages("FROM --platform=linux/arm64 tool:2\n", &opts).is_empty());
        assert_eq!(
            messages("FROM --platform=linux/s390x tool:2\n", &opts).len(),
            1
        );
        let arm = Options {
            target_platform: Some("linux/arm64".into()),
            ..options("tool:2", &["linux/amd64"])
        };
        assert_eq!(
            messages("FROM --platform=$BUILDPLATFORM tool:2\n", &arm).len(),
            1
        );
        assert!(messages("ARG P=linux/amd64\nFROM --platform=$P tool:2\n", &arm).is_empty());
    }

    #[test]
    fn nothing_without_metadata() {
        assert!(messages("FROM tool:2\n", &Options::default()).is_empty());
        assert!(messages("FROM other:1\n", &options("tool:2", &["linux/arm64"])).is_empty());
    }

    #[test]
    fn platforms_from_an_index_or_a_config() {
        let index = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
            "manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:a","size":1,
               "platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:b","size":1,
               "platform":{"os":"unknown","architecture":"unknown"}}]}"#;
        let manifest = Manifest::parse(index, None).expect("index");
        assert_eq!(published_platforms(&manifest, None), ["linux/arm64/v8"]);
        let image = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:c","size":1},
            "layers":[]}"#;
        let manifest = Manifest::parse(image, None).expect("manifest");
        let config = br#"{"os":"linux","architecture":"amd64"}"#;
        assert_eq!(
            published_platforms(&manifest, Some(config)),
            ["linux/amd64"]
        );
    }
}
