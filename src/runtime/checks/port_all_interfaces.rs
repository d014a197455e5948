//! PC6009 `port-all-interfaces`: a published port listens on every interface of the host.

use std::net::IpAddr;

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, Violation};

/// Whether a bind address means every interface: empty, `0.0.0.0`, `::` or `[::]`.
pub(crate) fn is_all_interfaces(address: &str) -> bool {
    let address = address.trim().trim_start_matches('[').trim_end_matches(']');
    address.is_empty()
        || address
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_unspecified())
}

pub fn check(spec: &ContainerSpec, engine: &EngineDefaults) -> Vec<Violation> {
    // `host-port` reports every Kubernetes hostPort, whatever its hostIP.
    if spec.platform == Platform::Kubernetes {
        return Vec::new();
    }
    // Where the engine binds ports that name no address (the daemon's `ip` setting).
    let default_bind = engine
        .default_bind_ip
        .as_deref()
        .filter(|ip| !is_all_interfaces(ip));
    let mut violations: Vec<Violation> = spec
        .ports
        .iter()
        .filter_map(|port| {
            let address = port.value.host_ip.as_deref().or(default_bind);
            if address.is_some_and(|ip| !is_all_interfaces(ip)) {
                return None;
            }
            let on = match address {
                Some(ip) => format!("on all interfaces ({ip})"),
                None => "on all interfaces (no address given)".to_owned(),
            };
            let message = match port.value.host_port {
                Some(host_port) => format!(
                    "{} publishes host port {host_port} (container port {}) {on}",
                    spec.subject, port.value.container_port
                ),
                None => format!(
                    "{} publishes container port {} on an ephemeral host port {on}",
                    spec.subject, port.value.container_port
                ),
            };
            Some(Violation::new(
                &rules::PORT_ALL_INTERFACES,
                message,
                &port.at,
            ))
        })
        .collect();
    if let Some(all) = spec.publish_all_ports.as_ref().filter(|s| s.value) {
        if default_bind.is_none() {
            violations.push(Violation::new(
                &rules::PORT_ALL_INTERFACES,
                format!(
                    "{} publishes all its exposed ports (`-P`) on all interfaces",
                    spec.subject
                ),
                &all.at,
            ));
        }
    }
    violations
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, found, run, set};
    use crate::runtime::spec::PublishedPort;

    fn port(host_ip: Option<&str>, host_port: Option<u32>) -> PublishedPort {
        PublishedPort {
            host_ip: host_ip.map(str::to_owned),
            host_port,
            container_port: "80".into(),
        }
    }

    #[test]
    fn unspecified_addresses_in_every_spelling() {
        for all in ["", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"] {
            assert!(is_all_interfaces(all), "{all:?}");
        }
        for one in ["127.0.0.1", "::1", "[::1]", "10.0.0.5"] {
            assert!(!is_all_interfaces(one), "{one:?}");
        }
    }

    #[test]
    fn compose_ports_without_or_with_unspecified_address_are_reported() {
        let mut spec = bare(Platform::Docker);
        spec.ports = vec![
            set(port(None, Some(8080)), 4),
            set(port(Some("0.0.0.0"), Some(8081)), 5),
            set(port(Some("[::]"), Some(8082)), 6),
            set(port(None, None), 7),
        ];
        assert_eq!(
            run(check, &spec),
            [("PC6009", 4), ("PC6009", 5), ("PC6009", 6), ("PC6009", 7)]
        );
        let messages: Vec<String> = check(&spec, &EngineDefaults::default())
            .into_iter()
            .map(|v| v.message)
            .collect();
        assert_eq!(
            messages[0],
            "service `app` publishes host port 8080 (container port 80) on all interfaces (no address given)"
        );
        assert_eq!(
            messages[3],
            "service `app` publishes container port 80 on an ephemeral host port on all interfaces (no address given)"
        );
    }

    #[test]
    fn compose_ports_bound_to_one_address_pass() {
        let mut spec = bare(Platform::Docker);
        spec.ports = vec![
            set(port(Some("127.0.0.1"), Some(8080)), 4),
            set(port(Some("::1"), Some(8081)), 5),
        ];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn daemon_default_bind_address_covers_ports_without_one() {
        let engine = EngineDefaults {
            default_bind_ip: Some("127.0.0.1".into()),
            ..EngineDefaults::default()
        };
        let mut spec = bare(Platform::Docker);
        spec.ports = vec![
            set(port(None, Some(8080)), 4),
            set(port(Some("0.0.0.0"), Some(8081)), 5),
        ];
        spec.publish_all_ports = Some(set(true, 6));
        assert_eq!(found(&check(&spec, &engine)), [("PC6009", 5)]);
        let unspecified = EngineDefaults {
            default_bind_ip: Some("0.0.0.0".into()),
            ..EngineDefaults::default()
        };
        assert_eq!(found(&check(&spec, &unspecified)).len(), 3);
    }

    #[test]
    fn live_podman_publish_all_is_reported_and_false_passes() {
        let mut spec = bare(Platform::Podman);
        spec.publish_all_ports = Some(set(false, 0));
        assert!(run(check, &spec).is_empty());
        spec.publish_all_ports = Some(set(true, 0));
        assert_eq!(run(check, &spec), [("PC6009", 0)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "container `app` publishes all its exposed ports (`-P`) on all interfaces"
        );
    }

    #[test]
    fn kubernetes_host_ports_are_left_to_host_port() {
        let mut spec = bare(Platform::Kubernetes);
        spec.ports = vec![set(port(None, Some(8080)), 4)];
        assert!(run(check, &spec).is_empty());
    }
}
