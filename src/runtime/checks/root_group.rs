//! PC1009 root-group: group 0 as the primary group or among the extra groups.
//!
//! Only explicit settings count, on every platform: an unset group is the image's business.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

/// Whether a group (a name or a GID) is root's.
fn is_root_group(group: &str) -> bool {
    let group = group.trim();
    group == "root" || group.parse::<u32>() == Ok(0)
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    let subject = &spec.subject;
    let mut violations = Vec::new();
    // `user: "uid:gid"` (Compose, `Config.User`): the group after the colon is the primary one.
    if let Some(user) = &spec.user {
        if let Some((_, group)) = user.value.split_once(':') {
            if is_root_group(group) {
                violations.push(Violation::new(
                    &rules::ROOT_GROUP,
                    format!(
                        "{subject} runs with the root group as its primary group (user `{}`)",
                        user.value
                    ),
                    &user.at,
                ));
            }
        }
    }
    if let Some(gid) = spec.run_as_group.as_ref().filter(|gid| gid.value == 0) {
        violations.push(Violation::new(
            &rules::ROOT_GROUP,
            format!("{subject} runs with the root group as its primary group (`runAsGroup: 0`)"),
            &gid.at,
        ));
    }
    for group in spec.groups.iter().filter(|g| is_root_group(&g.value)) {
        violations.push(Violation::new(
            &rules::ROOT_GROUP,
            format!(
                "{subject} has the root group among its extra groups (`{}`)",
                group.value
            ),
            &group.at,
        ));
    }
    violations
        .into_iter()
        .map(|v| v.kubernetes_aliases_only(spec.platform))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::{Platform, SubjectKind};

    #[test]
    fn compose_primary_and_added_root_groups() {
        let mut spec = bare(Platform::Docker);
        spec.user = Some(set("1000:0".to_string(), 3));
        spec.groups = vec![set("audio".to_string(), 5), set("root".to_string(), 6)];
        assert_eq!(run(check, &spec), [("PC1009", 3), ("PC1009", 6)]);
        let violations = check(&spec, &EngineDefaults::default());
        assert_eq!(
            violations[0].message,
            "service `app` runs with the root group as its primary group (user `1000:0`)"
        );
        assert_eq!(violations[1].aliases, Some(&[][..]));
    }

    #[test]
    fn live_containers_read_config_user_and_group_add() {
        for platform in [Platform::Docker, Platform::Podman] {
            let mut spec = bare(platform);
            spec.subject.kind = SubjectKind::LiveContainer;
            spec.user = Some(set("app:root".to_string(), 3));
            spec.groups = vec![set("0".to_string(), 4)];
            assert_eq!(run(check, &spec), [("PC1009", 3), ("PC1009", 4)]);

            spec.user = Some(set("app:app".to_string(), 3));
            spec.groups = vec![set("10".to_string(), 4)];
            assert!(run(check, &spec).is_empty());
        }
    }

    #[test]
    fn kubernetes_run_as_group_supplemental_groups_and_fs_group() {
        let mut spec = bare(Platform::Kubernetes);
        spec.run_as_group = Some(set(0, 7));
        spec.groups = vec![set("0".to_string(), 8), set("2000".to_string(), 9)];
        assert_eq!(run(check, &spec), [("PC1009", 7), ("PC1009", 8)]);
        assert!(check(&spec, &EngineDefaults::default())
            .iter()
            .all(|v| v.aliases.is_none()));

        spec.run_as_group = Some(set(3000, 7));
        spec.groups = vec![set("2000".to_string(), 8)];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn unset_groups_and_a_root_user_alone_are_not_reported() {
        for platform in [Platform::Docker, Platform::Podman, Platform::Kubernetes] {
            assert!(run(check, &bare(platform)).is_empty());
        }
        let mut spec = bare(Platform::Docker);
        spec.user = Some(set("root".to_string(), 3));
        assert!(run(check, &spec).is_empty());
        spec.user = Some(set("0:1000".to_string(), 3));
        assert!(run(check, &spec).is_empty());
    }
}
