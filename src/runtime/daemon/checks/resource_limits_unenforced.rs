//! PC7018: the engine cannot enforce container limits.

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::{Setting, Violation};

/// Without a cgroup driver no limit works, which is one finding; otherwise one per limit the
/// engine says it cannot enforce. Fields the engine does not send are unknown, not missing.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    if let Some(driver) = daemon
        .cgroup_driver
        .as_ref()
        .filter(|driver| driver.value.trim() == "none")
    {
        return vec![Violation::new(
            &rules::RESOURCE_LIMITS_UNENFORCED,
            format!(
                "{} has no cgroup driver (`none`): memory, CPU and PIDs limits of its \
                 containers are ignored",
                daemon.name
            ),
            &driver.at,
        )];
    }
    let limits: [(&Option<Setting<bool>>, &str); 3] = [
        (&daemon.memory_limit, "memory"),
        (&daemon.cpu_quota, "CPU quota"),
        (&daemon.pids_limit, "PIDs"),
    ];
    limits
        .into_iter()
        .filter_map(|(support, limit)| {
            let support = support.as_ref().filter(|support| !support.value)?;
            Some(Violation::new(
                &rules::RESOURCE_LIMITS_UNENFORCED,
                format!(
                    "{} cannot enforce {limit} limits: containers that set them run unlimited",
                    daemon.name
                ),
                &support.at,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;
    use serde_json::json;

    #[test]
    fn each_missing_feature_is_reported() {
        assert!(run(check, &docker(docker_info())).is_empty());
        let info = with(
            docker_info(),
            json!({"MemoryLimit": false, "PidsLimit": false}),
        );
        assert_eq!(
            run(check, &docker(info)),
            [
                ("PC7018", "/info MemoryLimit".into()),
                ("PC7018", "/info PidsLimit".into())
            ]
        );
    }

    #[test]
    fn no_cgroup_driver_is_one_finding() {
        let info = with(
            docker_info(),
            json!({"CgroupDriver": "none", "MemoryLimit": false, "CpuCfsQuota": false,
                   "PidsLimit": false, "SecurityOptions": ["name=rootless"]}),
        );
        assert_eq!(
            run(check, &docker(info)),
            [("PC7018", "/info CgroupDriver".into())]
        );
    }

    #[test]
    fn podman_reports_the_same_fields() {
        assert!(run(check, &podman(podman_info())).is_empty());
        let info = with(
            podman_info(),
            json!({"Rootless": true, "CpuCfsQuota": false}),
        );
        assert_eq!(
            run(check, &podman(info)),
            [("PC7018", "/info CpuCfsQuota".into())]
        );
        let unknown = with(podman_info(), json!({"MemoryLimit": null}));
        assert!(run(check, &podman(unknown)).is_empty());
        assert!(run(check, &config("{}")).is_empty());
    }
}
