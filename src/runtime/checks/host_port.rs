//! PC6010 `host-port`: a Kubernetes container binds a port of the node.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, Violation};

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    // Compose files and live containers publish ports by design: `port-all-interfaces` and
    // `privileged-port` judge how. A Kubernetes spec's ports are exactly its hostPorts.
    if spec.platform != Platform::Kubernetes {
        return Vec::new();
    }
    spec.ports
        .iter()
        .map(|port| {
            let host_port = port
                .value
                .host_port
                .map_or_else(|| "a port".to_owned(), |p| format!("port {p}"));
            let address = port
                .value
                .host_ip
                .as_deref()
                .map(|ip| format!(" on {ip}"))
                .unwrap_or_default();
            Violation::new(
                &rules::HOST_PORT,
                format!(
                    "{} binds node {host_port}{address} with hostPort (container port {})",
                    spec.subject, port.value.container_port
                ),
                &port.at,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::PublishedPort;

    fn port(host_ip: Option<&str>, host_port: u32) -> PublishedPort {
        PublishedPort {
            host_ip: host_ip.map(str::to_owned),
            host_port: Some(host_port),
            container_port: "8080".into(),
        }
    }

    #[test]
    fn kubernetes_reports_each_host_port_whatever_its_address() {
        let mut spec = bare(Platform::Kubernetes);
        spec.ports = vec![
            set(port(None, 8080), 21),
            set(port(Some("127.0.0.1"), 9090), 24),
        ];
        assert_eq!(run(check, &spec), [("PC6010", 21), ("PC6010", 24)]);
        let engine = EngineDefaults::default();
        assert_eq!(
            check(&spec, &engine)[1].message,
            "container `app` of Deployment/app binds node port 9090 on 127.0.0.1 with hostPort (container port 8080)"
        );
    }

    #[test]
    fn kubernetes_without_host_ports_passes() {
        assert!(run(check, &bare(Platform::Kubernetes)).is_empty());
    }

    #[test]
    fn compose_and_live_podman_ports_are_not_host_ports() {
        for platform in [Platform::Docker, Platform::Podman] {
            let mut spec = bare(platform);
            spec.ports = vec![set(port(None, 8080), 4)];
            assert!(run(check, &spec).is_empty());
        }
    }
}
