//! PC7007: the engine API listens on TCP without verified TLS.

use super::Rule;
use crate::finding::Severity;

pub static TCP_SOCKET_WITHOUT_TLS: Rule = Rule {
    code: "PC7007",
    name: "tcp-socket-without-tls",
    summary: "The engine API is served over TCP without verified TLS",
    severity: Severity::Error,
    tags: &["security", "CIS-Docker-1.6.0:2.7", "CIS-Docker-1.7.0:2.7"],
    aliases: &[],
    help: r#"## What it catches
Each TCP address in a daemon.json's `hosts` (`tcp://…`, or a bare `host:port`) when
`tlsverify` is not `true` (`tls` alone encrypts but lets any client in), and a live engine that
Portcullis itself reached over plain `tcp://` (Docker or Podman). The listening addresses are
not in the Engine API, so a daemon started with `-H tcp://…` on its command line is found only
when it is reached that way. Compose files and Kubernetes manifests are not read.

## Why it matters
Whoever can call the engine API can start a privileged container that mounts the host's root
filesystem: the API is root on the host. Without client-certificate verification, anyone who
can reach the port has that power, and without TLS the traffic can also be read and altered.

## Example
```json
{ "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"] }
```
Use instead:
```json
{
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
  "tlsverify": true,
  "tlscacert": "/etc/docker/tls/ca.pem",
  "tlscert": "/etc/docker/tls/server-cert.pem",
  "tlskey": "/etc/docker/tls/server-key.pem"
}
```
"#,
    enabled_by_default: true,
};
