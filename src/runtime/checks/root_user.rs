//! PC1001 root-user on runtime sources: a Compose service, Kubernetes container or live
//! container that runs as root, or whose user is left to the image.
//!
//! This file owns "who does the container run as": [`is_root_user`] and [`runs_as_root`] are
//! shared with the root-group and exec-session checks.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, SubjectKind, Violation};

/// Whether a `user[:group]` value (Compose `user`, `Config.User`, `docker exec --user`) names
/// root: user `root` or UID 0, whatever the group. An empty user is the engine's default, root.
pub(crate) fn is_root_user(value: &str) -> bool {
    let user = value.trim().split(':').next().unwrap_or_default();
    user.is_empty() || user == "root" || user.parse::<u32>() == Ok(0)
}

/// Whether the container's processes run as root: `Some(true)` or `Some(false)` when the spec
/// settles it, `None` when the image's `USER` decides (Compose without `user`, Kubernetes
/// without `runAsNonRoot: true` or a `runAsUser`).
pub(crate) fn runs_as_root(spec: &ContainerSpec) -> Option<bool> {
    if spec.platform == Platform::Kubernetes {
        let uid = spec.run_as_user.as_ref().map(|s| s.value);
        let non_root = spec.run_as_non_root.as_ref().is_some_and(|s| s.value);
        return match uid {
            Some(0) => Some(true),
            Some(uid) if uid > 0 => Some(false),
            _ if non_root => Some(false),
            _ => None,
        };
    }
    let user = spec
        .user
        .as_ref()
        .map(|s| s.value.trim())
        .filter(|u| !u.is_empty());
    match (user, &spec.subject.kind) {
        (Some(user), _) => Some(is_root_user(user)),
        // The engine has merged the image's USER into `Config.User`: empty means root.
        (None, SubjectKind::LiveContainer) => Some(true),
        (None, _) => None,
    }
}

/// Trivy and Checkov ids of the Kubernetes findings: which of them would fire.
const NOT_RUN_AS_NON_ROOT: &[&str] = &["KSV-0012", "CKV_K8S_23"];
const UID_0: &[&str] = &["KSV-0012", "KSV-0105", "CKV_K8S_23", "CKV_K8S_40"];
/// `runAsNonRoot: true` with `runAsUser: 0` (the kubelet refuses to start it).
const UID_0_BUT_NON_ROOT: &[&str] = &["KSV-0105", "CKV_K8S_40"];

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let subject = &spec.subject;
    let violation = match (runs_as_root(spec), spec.platform) {
        (Some(false), _) => return Vec::new(),
        (Some(true), Platform::Kubernetes) => {
            // Only an explicit `runAsUser: 0` settles root on Kubernetes.
            let Some(uid) = &spec.run_as_user else {
                return Vec::new();
            };
            let non_root = spec.run_as_non_root.as_ref().is_some_and(|s| s.value);
            Violation::new(
                &rules::ROOT_USER,
                format!("{subject} runs as root (`runAsUser: 0`)"),
                &uid.at,
            )
            .with_aliases(if non_root { UID_0_BUT_NON_ROOT } else { UID_0 })
        }
        (None, Platform::Kubernetes) => {
            let (detail, at) = match &spec.run_as_non_root {
                Some(setting) => ("sets `runAsNonRoot: false`", &setting.at),
                None => ("sets neither `runAsNonRoot: true`", spec.declared_at()),
            };
            Violation::new(
                &rules::ROOT_USER,
                format!(
                    "{subject} {detail} nor a non-zero `runAsUser`, so it runs as root unless \
                     its image's USER is a non-root user"
                ),
                at,
            )
            .with_aliases(NOT_RUN_AS_NON_ROOT)
        }
        (Some(true), _) => {
            let (message, at) = match &spec.user {
                Some(user) if !user.value.trim().is_empty() => (
                    format!("{subject} runs as root (user `{}`)", user.value),
                    &user.at,
                ),
                user => (
                    format!(
                        "{subject} runs as root: neither the container nor its image sets a \
                         user"
                    ),
                    user.as_ref().map_or(spec.declared_at(), |u| &u.at),
                ),
            };
            // The upstream ids are Dockerfile and Kubernetes checks: none applies here.
            Violation::new(&rules::ROOT_USER, message, at).with_aliases(&[])
        }
        (None, _) => Violation::new(
            &rules::ROOT_USER,
            format!(
                "{subject} sets no `user`, so its image's USER decides: make sure the image \
                 sets a non-root user, or set `user` to a non-root UID"
            ),
            spec.user.as_ref().map_or(spec.declared_at(), |u| &u.at),
        )
        .with_aliases(&[]),
    };
    vec![violation]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};

    fn live(platform: Platform) -> ContainerSpec {
        let mut spec = bare(platform);
        spec.subject.kind = SubjectKind::LiveContainer;
        spec
    }

    #[test]
    fn user_values_that_mean_root() {
        for root in ["", "root", "0", "0:0", "root:staff", "00", " 0 "] {
            assert!(is_root_user(root), "{root:?}");
        }
        for user in ["app", "10001", "10001:0", "nobody:root", "rootless"] {
            assert!(!is_root_user(user), "{user:?}");
        }
    }

    #[test]
    fn compose_root_user_is_flagged_at_the_value() {
        for root in ["root", "0", "0:1000", "root:root"] {
            let mut spec = bare(Platform::Docker);
            spec.user = Some(set(root.to_string(), 4));
            let violations = check(&spec, &EngineDefaults::default());
            assert_eq!(run(check, &spec), [("PC1001", 4)], "{root}");
            assert!(violations[0].message.contains(&format!("`{root}`")));
            assert_eq!(violations[0].aliases, Some(&[][..]));
        }
    }

    #[test]
    fn compose_without_user_leaves_it_to_the_image() {
        let spec = bare(Platform::Docker);
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(run(check, &spec), [("PC1001", 1)]);
        assert!(violations[0]
            .message
            .starts_with("service `app` sets no `user`"));
        assert!(violations[0].message.contains("image's USER decides"));
    }

    #[test]
    fn compose_non_root_user_is_fine() {
        let mut spec = bare(Platform::Docker);
        spec.user = Some(set("10001:10001".to_string(), 4));
        assert!(run(check, &spec).is_empty());
        spec.user = Some(set("app".to_string(), 4));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn live_containers_with_an_empty_user_run_as_root() {
        for platform in [Platform::Docker, Platform::Podman] {
            let spec = live(platform);
            let violations = check(&spec, &EngineDefaults::default());
            assert_eq!(run(check, &spec), [("PC1001", 1)]);
            assert_eq!(
                violations[0].message,
                "container `app` runs as root: neither the container nor its image sets a user"
            );

            let mut spec = live(platform);
            spec.user = Some(set(String::new(), 7));
            assert_eq!(run(check, &spec), [("PC1001", 7)]);
            spec.user = Some(set("0:0".to_string(), 7));
            assert_eq!(run(check, &spec), [("PC1001", 7)]);
        }
    }

    #[test]
    fn live_containers_with_a_user_are_fine() {
        for platform in [Platform::Docker, Platform::Podman] {
            let mut spec = live(platform);
            spec.user = Some(set("1000:1000".to_string(), 7));
            assert!(run(check, &spec).is_empty());
        }
    }

    #[test]
    fn kubernetes_without_run_as_non_root_or_user_is_flagged() {
        let spec = bare(Platform::Kubernetes);
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(run(check, &spec), [("PC1001", 1)]);
        assert_eq!(violations[0].aliases, Some(NOT_RUN_AS_NON_ROOT));
        assert!(violations[0]
            .message
            .starts_with("container `app` of Deployment/app sets neither `runAsNonRoot: true`"));

        let mut spec = bare(Platform::Kubernetes);
        spec.run_as_non_root = Some(set(false, 9));
        assert_eq!(run(check, &spec), [("PC1001", 9)]);
    }

    #[test]
    fn kubernetes_run_as_user_zero_is_flagged_even_with_run_as_non_root() {
        let mut spec = bare(Platform::Kubernetes);
        spec.run_as_user = Some(set(0, 6));
        assert_eq!(run(check, &spec), [("PC1001", 6)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].aliases,
            Some(UID_0)
        );
        spec.run_as_non_root = Some(set(true, 5));
        assert_eq!(run(check, &spec), [("PC1001", 6)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].aliases,
            Some(UID_0_BUT_NON_ROOT)
        );
    }

    #[test]
    fn kubernetes_non_root_is_fine() {
        let mut spec = bare(Platform::Kubernetes);
        spec.run_as_non_root = Some(set(true, 5));
        assert!(run(check, &spec).is_empty());

        let mut spec = bare(Platform::Kubernetes);
        spec.run_as_user = Some(set(10001, 6));
        assert!(run(check, &spec).is_empty());

        // `user` is not a Kubernetes field: it does not settle anything there.
        let mut spec = bare(Platform::Kubernetes);
        spec.user = Some(set("10001".to_string(), 3));
        assert_eq!(run(check, &spec), [("PC1001", 1)]);
    }
}
