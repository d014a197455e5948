//! PC1011 service-account-token-mounted: a Kubernetes pod gets its service-account token.
//!
//! Kubernetes mounts the token unless the pod (or its service account, which a workload
//! manifest does not show) says `automountServiceAccountToken: false`. Compose services and
//! live containers have no such token.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, Violation};

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    if spec.platform != Platform::Kubernetes {
        return Vec::new();
    }
    let subject = &spec.subject;
    let setting = spec
        .pod
        .as_ref()
        .and_then(|pod| pod.automount_service_account_token.as_ref());
    let violation = match setting {
        Some(automount) if !automount.value => return Vec::new(),
        // Pod-level evidence: the caller keeps one finding for all the pod's containers.
        Some(automount) => Violation::new(
            &rules::SERVICE_ACCOUNT_TOKEN_MOUNTED,
            format!(
                "{subject} gets the pod's service-account token \
                 (`automountServiceAccountToken: true`)"
            ),
            &automount.at,
        ),
        // At the pod spec's key, once for the pod (a spec built without one: the container).
        None => Violation::new(
            &rules::SERVICE_ACCOUNT_TOKEN_MOUNTED,
            format!(
                "{subject} gets the pod's service-account token: \
                 `automountServiceAccountToken` is not set to false"
            ),
            spec.pod
                .as_ref()
                .and_then(|pod| pod.declared_at.as_ref())
                .unwrap_or(spec.declared_at()),
        ),
    };
    vec![violation]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::PodFacts;

    fn pod(automount: Option<bool>) -> ContainerSpec {
        let mut spec = bare(Platform::Kubernetes);
        spec.pod = Some(PodFacts {
            automount_service_account_token: automount.map(|value| set(value, 12)),
            ..PodFacts::default()
        });
        spec
    }

    #[test]
    fn kubernetes_pods_mount_the_token_unless_told_not_to() {
        assert_eq!(run(check, &pod(None)), [("PC1011", 1)]);
        assert_eq!(run(check, &bare(Platform::Kubernetes)), [("PC1011", 1)]);
        assert_eq!(run(check, &pod(Some(true))), [("PC1011", 12)]);
        let violation = &check(&pod(None), &EngineDefaults::default())[0];
        assert_eq!(
            violation.message,
            "container `app` of Deployment/app gets the pod's service-account token: \
             `automountServiceAccountToken` is not set to false"
        );
    }

    #[test]
    fn automount_false_is_fine() {
        assert!(run(check, &pod(Some(false))).is_empty());
    }

    #[test]
    fn docker_and_podman_have_no_service_account() {
        for platform in [Platform::Docker, Platform::Podman] {
            assert!(run(check, &bare(platform)).is_empty());
        }
    }
}
