//! PC6008 `privileged-port`: a host port below 1024 is published.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

/// Ports below this one are reserved for root and the host's well-known services.
const FIRST_UNPRIVILEGED_PORT: u32 = 1024;

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    spec.ports
        .iter()
        .filter_map(|port| {
            // Port 0 asks the engine to pick one, which is never privileged.
            let host_port = port
                .value
                .host_port
                .filter(|p| (1..FIRST_UNPRIVILEGED_PORT).contains(p))?;
            Some(Violation::new(
                &rules::PRIVILEGED_PORT,
                format!(
                    "{} publishes privileged host port {host_port} (container port {})",
                    spec.subject, port.value.container_port
                ),
                &port.at,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::{Platform, PublishedPort};

    fn port(host_port: Option<u32>, container_port: &str) -> PublishedPort {
        PublishedPort {
            host_ip: None,
            host_port,
            container_port: container_port.into(),
        }
    }

    #[test]
    fn compose_reports_each_low_host_port() {
        let mut spec = bare(Platform::Docker);
        spec.ports = vec![
            set(port(Some(80), "8080"), 5),
            set(port(Some(8443), "443"), 6),
            set(port(Some(443), "8443"), 7),
        ];
        assert_eq!(run(check, &spec), [("PC6008", 5), ("PC6008", 7)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` publishes privileged host port 80 (container port 8080)"
        );
    }

    #[test]
    fn compose_ephemeral_and_high_ports_pass() {
        let mut spec = bare(Platform::Docker);
        spec.ports = vec![
            set(port(None, "80"), 5),
            set(port(Some(0), "80"), 6),
            set(port(Some(1024), "80"), 7),
        ];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_host_port_below_1024_is_reported() {
        let mut spec = bare(Platform::Kubernetes);
        assert!(run(check, &spec).is_empty());
        spec.ports = vec![set(port(Some(53), "53/UDP"), 20)];
        assert_eq!(run(check, &spec), [("PC6008", 20)]);
        spec.ports = vec![set(port(Some(8053), "53/UDP"), 20)];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn live_podman_binding_is_judged_the_same_way() {
        let mut spec = bare(Platform::Podman);
        spec.ports = vec![set(port(Some(22), "22/tcp"), 0)];
        assert_eq!(run(check, &spec), [("PC6008", 0)]);
        spec.ports = vec![set(port(Some(2222), "22/tcp"), 0)];
        assert!(run(check, &spec).is_empty());
    }
}
