//! PC7006: deprecated storage drivers and a changed devicemapper base size (CIS 2.6, 2.11).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::{Platform, Violation};

/// Whether `driver` is a legacy one on `platform`: Podman's `overlay` is the current
/// containers/storage driver, Docker's is the original one `overlay2` replaced.
fn is_legacy(platform: Platform, driver: &str) -> bool {
    match driver {
        "aufs" | "devicemapper" => true,
        "overlay" => platform == Platform::Docker,
        _ => false,
    }
}

pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    let mut found = Vec::new();
    if let Some(driver) = &daemon.storage_driver {
        let value = driver.value.trim().to_ascii_lowercase();
        if is_legacy(daemon.platform, &value) {
            found.push(Violation::new(
                &rules::LEGACY_STORAGE_DRIVER,
                format!(
                    "{} uses the deprecated `{value}` storage driver",
                    daemon.name
                ),
                &driver.at,
            ));
        }
    }
    for option in &daemon.storage_opts {
        let value = option.value.trim();
        if value.to_ascii_lowercase().starts_with("dm.basesize") {
            found.push(Violation::new(
                &rules::LEGACY_STORAGE_DRIVER,
                format!(
                    "{} changes the devicemapper base device size (`{value}`)",
                    daemon.name
                ),
                &option.at,
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;
    use serde_json::json;

    #[test]
    fn docker_drivers() {
        assert!(run(check, &docker(docker_info())).is_empty());
        for driver in ["aufs", "devicemapper", "overlay"] {
            let spec = docker(with(docker_info(), json!({"Driver": driver})));
            assert_eq!(run(check, &spec), [("PC7006", "/info Driver".into())]);
        }
        let vfs = docker(with(docker_info(), json!({"Driver": "vfs"})));
        assert!(run(check, &vfs).is_empty());
    }

    #[test]
    fn podman_overlay_is_current() {
        assert!(run(check, &podman(podman_info())).is_empty());
        let aufs = podman(with(podman_info(), json!({"Driver": "aufs"})));
        assert_eq!(run(check, &aufs), [("PC7006", "/info Driver".into())]);
    }

    #[test]
    fn daemon_json_driver_and_base_size() {
        let text = "{\n  \"storage-driver\": \"devicemapper\",\n  \"storage-opts\": [\"dm.thinpooldev=/dev/mapper/thin\", \"dm.basesize=50G\"]\n}";
        let spec = config(text);
        assert_eq!(
            run(check, &spec),
            [
                ("PC7006", "daemon.json:2:3".into()),
                ("PC7006", "daemon.json:3:55".into())
            ]
        );
        assert_eq!(
            check(&spec)[1].message,
            "dockerd changes the devicemapper base device size (`dm.basesize=50G`)"
        );
        assert!(run(check, &config("{\"storage-driver\": \"overlay2\"}")).is_empty());
    }
}
