//! PC7005: registries reached without TLS verification (CIS 2.5).

use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::Violation;

/// One violation per registry; dockerd's built-in loopback entries are already left out.
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    daemon
        .insecure_registries
        .iter()
        .map(|registry| {
            Violation::new(
                &rules::INSECURE_REGISTRY,
                format!(
                    "{} trusts registry `{}` without TLS verification",
                    daemon.name, registry.value
                ),
                &registry.at,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;
    use serde_json::json;

    fn registries(cidrs: serde_json::Value, index: serde_json::Value) -> serde_json::Value {
        json!({"RegistryConfig": {
            "AllowNondistributableArtifactsCIDRs": [],
            "AllowNondistributableArtifactsHostnames": [],
            "InsecureRegistryCIDRs": cidrs,
            "IndexConfigs": index,
            "Mirrors": []
        }})
    }

    #[test]
    fn docker_lists_cidrs_and_insecure_names() {
        assert!(run(check, &docker(docker_info())).is_empty());
        let info = with(
            docker_info(),
            registries(
                json!(["10.0.0.0/8", "127.0.0.0/8", "::1/128"]),
                json!({
                    "docker.io": {"Name": "docker.io", "Mirrors": [], "Secure": true, "Official": true},
                    "registry.local:5000": {"Name": "registry.local:5000", "Mirrors": [],
                                            "Secure": false, "Official": false}
                }),
            ),
        );
        let spec = docker(info);
        assert_eq!(
            run(check, &spec),
            [
                (
                    "PC7005",
                    "/info RegistryConfig.InsecureRegistryCIDRs".into()
                ),
                (
                    "PC7005",
                    "/info RegistryConfig.IndexConfigs.registry.local:5000.Secure".into()
                )
            ]
        );
        assert_eq!(
            check(&spec)[1].message,
            "Docker 20.10.24 trusts registry `registry.local:5000` without TLS verification"
        );
    }

    #[test]
    fn podman_lists_them_only_as_index_configs() {
        assert!(run(check, &podman(podman_info())).is_empty());
        let info = with(
            podman_info(),
            registries(
                json!([]),
                json!({"registry.lab:5000": {"Name": "registry.lab:5000", "Mirrors": [],
                                             "Secure": false, "Official": false}}),
            ),
        );
        assert_eq!(
            run(check, &podman(info)),
            [(
                "PC7005",
                "/info RegistryConfig.IndexConfigs.registry.lab:5000.Secure".into()
            )]
        );
    }

    #[test]
    fn daemon_json_entries_point_at_their_lines() {
        let text = "{\n  \"insecure-registries\": [\n    \"registry.local:5000\",\n    \"10.0.0.0/8\"\n  ]\n}";
        assert_eq!(
            run(check, &config(text)),
            [
                ("PC7005", "daemon.json:3:5".into()),
                ("PC7005", "daemon.json:4:5".into())
            ]
        );
        let info = with(
            docker_info(),
            registries(json!(["10.0.0.0/8", "127.0.0.0/8"]), json!({})),
        );
        assert_eq!(
            run(check, &docker_and_config(info, text)),
            [("PC7005", "daemon.json:4:5".into())],
            "the engine's list is what runs"
        );
    }
}
