//! PC5002 `selinux-disabled`: SELinux separation turned off or replaced by a custom label.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, Violation};

use super::apparmor_disabled::confinement_lifted_by_privilege;

/// Label types that run the process without separation on Docker and Podman hosts.
const UNCONFINED_TYPES: &[&str] = &["spc_t", "unconfined_t"];

/// The types the Pod Security Standards baseline allows (`container_engine_t` since 1.31).
const BASELINE_TYPES: &[&str] = &[
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

/// The keys of SELinux label options (moby's `label=…` and Kubernetes' `seLinuxOptions`).
const LABEL_KEYS: &[&str] = &[
    "user", "role", "type", "level", "disable", "filetype", "nested",
];

/// Splits label options such as `type:spc_t,level:s0:c1,c2` into `(key, value)` pairs.
///
/// Items are separated by commas, keys from values by `:` or `=`; an item that does not start
/// with a known key continues the previous value, because MCS levels contain commas. A
/// leading `label=` / `label:` (the raw `security_opt`) is ignored.
fn label_options(value: &str) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = Vec::new();
    for piece in value.split(',') {
        let piece = piece.trim();
        let piece = piece
            .strip_prefix("label=")
            .or_else(|| piece.strip_prefix("label:"))
            .unwrap_or(piece);
        let (key, rest) = match piece.find([':', '=']) {
            Some(i) => (&piece[..i], piece[i + 1..].trim()),
            None => (piece, ""),
        };
        let key = key.trim().to_ascii_lowercase();
        match options.last_mut() {
            Some(last) if !LABEL_KEYS.contains(&key.as_str()) => {
                last.1.push(',');
                last.1.push_str(piece);
            }
            _ if piece.is_empty() => {}
            _ => options.push((key, rest.to_owned())),
        }
    }
    options
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let Some(label) = &spec.selinux else {
        return Vec::new();
    };
    if confinement_lifted_by_privilege(spec) {
        return Vec::new();
    }
    let subject = &spec.subject;
    let violation = |message: String| Violation::new(&rules::SELINUX_DISABLED, message, &label.at);
    label_options(&label.value)
        .into_iter()
        .filter_map(|(key, value)| match (spec.platform, key.as_str()) {
            (_, "disable") => Some(violation(format!(
                "{subject} turns SELinux separation off (`label=disable`)"
            ))),
            (Platform::Kubernetes, "user" | "role") if !value.is_empty() => {
                Some(violation(custom_option(subject, &key, &value)))
            }
            (Platform::Kubernetes, "type")
                if !value.is_empty() && !BASELINE_TYPES.contains(&value.as_str()) =>
            {
                Some(violation(custom_option(subject, &key, &value)))
            }
            (Platform::Docker | Platform::Podman, "type")
                if UNCONFINED_TYPES.contains(&value.as_str()) =>
            {
                Some(violation(format!(
                    "{subject} runs with SELinux type `{value}`, which is not confined"
                )))
            }
            _ => None,
        })
        // Upstream ids come from manifest scanners only.
        .map(|violation| violation.kubernetes_aliases_only(spec.platform))
        .collect()
}

fn custom_option(subject: &impl std::fmt::Display, key: &str, value: &str) -> String {
    format!("{subject} sets SELinux {key} `{value}`, which the baseline profile does not allow")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::SubjectKind;

    #[test]
    fn label_options_keep_mcs_levels_whole() {
        assert_eq!(
            label_options("type:spc_t,level:s0:c1,c2"),
            [
                ("type".to_owned(), "spc_t".to_owned()),
                ("level".to_owned(), "s0:c1,c2".to_owned())
            ]
        );
        assert_eq!(
            label_options("label=disable"),
            [("disable".to_owned(), String::new())]
        );
        assert_eq!(
            label_options("user=system_u, role=system_r"),
            [
                ("user".to_owned(), "system_u".to_owned()),
                ("role".to_owned(), "system_r".to_owned())
            ]
        );
    }

    #[test]
    fn compose_label_disable_is_reported() {
        let mut spec = bare(Platform::Docker);
        for value in ["disable", "label=disable", "label:disable"] {
            spec.selinux = Some(set(value.into(), 5));
            assert_eq!(run(check, &spec), [("PC5002", 5)], "{value}");
        }
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` turns SELinux separation off (`label=disable`)"
        );
    }

    #[test]
    fn compose_unconfined_type_is_reported_but_other_labels_pass() {
        let mut spec = bare(Platform::Docker);
        assert!(run(check, &spec).is_empty());
        spec.selinux = Some(set("type:spc_t".into(), 5));
        assert_eq!(run(check, &spec), [("PC5002", 5)]);
        spec.selinux = Some(set("level:s0:c100,c200".into(), 5));
        assert!(run(check, &spec).is_empty());
        spec.selinux = Some(set("type:container_logreader_t".into(), 5));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn podman_live_disable_is_reported_unless_privileged() {
        let mut spec = bare(Platform::Podman);
        spec.selinux = Some(set("disable".into(), 2));
        assert_eq!(run(check, &spec), [("PC5002", 2)]);
        spec.privileged = Some(set(true, 3));
        assert!(run(check, &spec).is_empty());
        let mut spec = bare(Platform::Podman);
        spec.selinux = Some(set("type:container_t,level:s0:c1,c2".into(), 2));
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_custom_type_user_and_role_are_reported_each() {
        let mut spec = bare(Platform::Kubernetes);
        spec.selinux = Some(set("user:system_u,role:system_r,type:spc_t".into(), 11));
        assert_eq!(
            run(check, &spec),
            [("PC5002", 11), ("PC5002", 11), ("PC5002", 11)]
        );
        assert_eq!(
            check(&spec, &EngineDefaults::default())[2].message,
            "container `app` of Deployment/app sets SELinux type `spc_t`, which the baseline \
             profile does not allow"
        );
    }

    #[test]
    fn kubernetes_baseline_types_and_levels_pass() {
        let mut spec = bare(Platform::Kubernetes);
        assert!(run(check, &spec).is_empty());
        for value in [
            "type:container_t",
            "type:container_kvm_t",
            "level:s0:c123,c456",
        ] {
            spec.selinux = Some(set(value.into(), 11));
            assert!(run(check, &spec).is_empty(), "{value}");
        }
        spec.subject.kind = SubjectKind::KubernetesContainer {
            workload: "Pod/x".into(),
        };
        spec.selinux = Some(set("type=container_init_t".into(), 11));
        assert!(run(check, &spec).is_empty());
    }
}
