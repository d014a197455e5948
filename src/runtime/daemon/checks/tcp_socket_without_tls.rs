//! PC7007: the engine API listens on TCP without verified TLS (CIS 2.7).

use crate::engine::Endpoint;
use crate::rules;
use crate::runtime::daemon::DaemonSpec;
use crate::runtime::spec::{Evidence, Violation};

/// Schemes of local sockets; anything else in `hosts` (`tcp://…`, a bare `host:port`) is TCP.
const LOCAL: &[&str] = &["unix://", "fd://", "npipe://"];

/// The daemon.json's TCP `hosts` when `tlsverify` is not on; failing that, the plain `tcp://`
/// endpoint the engine was reached through (the listening addresses are not in the API).
pub fn check(daemon: &DaemonSpec) -> Vec<Violation> {
    let verified = daemon.tls_verify.as_ref().is_some_and(|s| s.value);
    let encrypted = daemon.tls.as_ref().is_some_and(|s| s.value);
    let how = if encrypted {
        "with TLS but without verifying clients (`tlsverify` is not true)"
    } else {
        "without TLS"
    };
    let mut found: Vec<Violation> = daemon
        .hosts
        .iter()
        .filter(|host| !verified && is_tcp(&host.value))
        .map(|host| {
            Violation::new(
                &rules::TCP_SOCKET_WITHOUT_TLS,
                format!(
                    "{} serves its API on `{}` {how}",
                    daemon.name,
                    host.value.trim()
                ),
                &host.at,
            )
        })
        .collect();
    // The file already names the socket, with a line.
    if found.is_empty() {
        if let Some(endpoint @ Endpoint::Tcp(_)) = &daemon.endpoint {
            found.push(Violation::new(
                &rules::TCP_SOCKET_WITHOUT_TLS,
                format!(
                    "{} is reached over plain TCP at {endpoint}: anyone who can connect there \
                     controls the engine",
                    daemon.name
                ),
                &Evidence::Field(endpoint.to_string()),
            ));
        }
    }
    found
}

fn is_tcp(host: &str) -> bool {
    let host = host.trim();
    !host.is_empty() && !LOCAL.iter().any(|scheme| host.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::daemon::checks::testing::*;
    use serde_json::json;

    #[test]
    fn tcp_hosts_need_tlsverify() {
        let text = "{\n  \"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2375\", \"fd://\"]\n}";
        let spec = config(text);
        assert_eq!(run(check, &spec), [("PC7007", "daemon.json:2:44".into())]);
        assert_eq!(
            check(&spec)[0].message,
            "dockerd serves its API on `tcp://0.0.0.0:2375` without TLS"
        );
        let tls_only = config("{\"hosts\": [\"10.0.0.5:2376\"], \"tls\": true}");
        assert!(check(&tls_only)[0]
            .message
            .contains("without verifying clients"));
        let verified = config("{\"hosts\": [\"tcp://0.0.0.0:2376\"], \"tlsverify\": true}");
        assert!(run(check, &verified).is_empty());
        assert!(run(check, &config("{\"hosts\": [\"unix:///run/docker.sock\"]}")).is_empty());
    }

    #[test]
    fn a_plain_tcp_connection_is_evidence_enough() {
        let plain = Endpoint::Tcp("10.1.2.3:2375".into());
        let spec = docker_on(docker_info(), json!([]), &plain);
        assert_eq!(
            run(check, &spec),
            [("PC7007", "tcp://10.1.2.3:2375".into())]
        );
        assert!(run(check, &docker(docker_info())).is_empty(), "unix socket");
        // podman system service over TCP has no TLS at all.
        let mut podman = podman(podman_info());
        podman.endpoint = Some(plain);
        assert_eq!(run(check, &podman).len(), 1);
        assert!(run(check, &self::podman(podman_info())).is_empty());
    }

    #[test]
    fn the_file_line_replaces_the_connection() {
        let spec = docker_on(
            docker_info(),
            json!([]),
            &Endpoint::Tcp("10.1.2.3:2375".into()),
        )
        .with_config(
            std::path::Path::new("daemon.json"),
            "{\n  \"hosts\": [\"tcp://0.0.0.0:2375\"]\n}",
        )
        .unwrap();
        assert_eq!(run(check, &spec), [("PC7007", "daemon.json:2:13".into())]);
    }
}
