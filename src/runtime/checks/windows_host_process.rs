//! PC5015 `windows-host-process`: a Windows HostProcess pod.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

/// Reads the pod facts, which only Kubernetes specs have.
pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    spec.pod
        .iter()
        .filter_map(|pod| pod.windows_host_process.as_ref())
        .filter(|host_process| host_process.value)
        .map(|host_process| {
            Violation::new(
                &rules::WINDOWS_HOST_PROCESS,
                format!("{} runs as a Windows HostProcess container", spec.subject),
                &host_process.at,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::{Platform, PodFacts};

    fn pod(host_process: Option<bool>) -> Option<PodFacts> {
        Some(PodFacts {
            windows_host_process: host_process.map(|value| set(value, 9)),
            ..PodFacts::default()
        })
    }

    #[test]
    fn kubernetes_host_process_is_reported() {
        let mut spec = bare(Platform::Kubernetes);
        spec.pod = pod(Some(true));
        assert_eq!(run(check, &spec), [("PC5015", 9)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "container `app` of Deployment/app runs as a Windows HostProcess container"
        );
    }

    #[test]
    fn kubernetes_without_host_process_passes() {
        let mut spec = bare(Platform::Kubernetes);
        assert!(run(check, &spec).is_empty());
        spec.pod = pod(None);
        assert!(run(check, &spec).is_empty());
        spec.pod = pod(Some(false));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn docker_and_podman_never_fire() {
        assert!(run(check, &bare(Platform::Docker)).is_empty());
        assert!(run(check, &bare(Platform::Podman)).is_empty());
    }
}
