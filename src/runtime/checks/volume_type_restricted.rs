//! PC5013 `volume-type-restricted`: a pod volume of a type the restricted profile forbids.

use crate::rules;
use crate::runtime::spec::{
    ContainerSpec, EngineDefaults, Platform, Violation, RESTRICTED_VOLUME_TYPES,
};

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let Some(pod) = spec
        .pod
        .as_ref()
        .filter(|_| spec.platform == Platform::Kubernetes)
    else {
        return Vec::new();
    };
    pod.volume_types
        .iter()
        .filter_map(|volume| {
            // The value leads with the type: `nfs volume `shared``, or just `nfs`.
            let description = volume.value.trim();
            let kind = description.split_whitespace().next()?;
            // hostPath is `host-path-volume`'s finding; allowed types should not be here.
            if kind == "hostPath" || RESTRICTED_VOLUME_TYPES.contains(&kind) {
                return None;
            }
            let what = if description.contains(char::is_whitespace) {
                description.to_owned()
            } else {
                format!("a `{kind}` volume")
            };
            Some(Violation::new(
                &rules::VOLUME_TYPE_RESTRICTED,
                format!(
                    "{} uses {what}, a type the restricted profile does not allow",
                    spec.subject
                ),
                &volume.at,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::PodFacts;

    fn pod(volume_types: &[(&str, u32)]) -> Option<PodFacts> {
        Some(PodFacts {
            volume_types: volume_types
                .iter()
                .map(|(value, line)| set((*value).to_owned(), *line))
                .collect(),
            ..PodFacts::default()
        })
    }

    #[test]
    fn kubernetes_nfs_and_git_repo_are_reported() {
        let mut spec = bare(Platform::Kubernetes);
        spec.pod = pod(&[("nfs volume `shared`", 30), ("gitRepo", 33)]);
        assert_eq!(run(check, &spec), [("PC5013", 30), ("PC5013", 33)]);
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(
            violations[0].message,
            "container `app` of Deployment/app uses nfs volume `shared`, a type the restricted \
             profile does not allow"
        );
        assert!(violations[1].message.contains("uses a `gitRepo` volume"));
    }

    #[test]
    fn kubernetes_host_path_and_allowed_types_are_not_reported_here() {
        let mut spec = bare(Platform::Kubernetes);
        assert!(run(check, &spec).is_empty());
        spec.pod = pod(&[("hostPath volume `data`", 30), ("emptyDir", 31)]);
        assert!(run(check, &spec).is_empty());
        spec.pod = pod(&[]);
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn docker_and_podman_have_no_pod_volumes() {
        for platform in [Platform::Docker, Platform::Podman] {
            let mut spec = bare(platform);
            assert!(run(check, &spec).is_empty());
            spec.pod = pod(&[("nfs", 3)]);
            assert!(run(check, &spec).is_empty());
        }
    }
}
