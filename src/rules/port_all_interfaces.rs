//! PC6009: a published port listens on every interface of the host.

use super::Rule;
use crate::finding::Severity;

pub static PORT_ALL_INTERFACES: Rule = Rule {
    code: "PC6009",
    name: "port-all-interfaces",
    summary: "A published port is bound to all interfaces of the host",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:5.14", "CIS-Docker-1.7.0:5.14"],
    aliases: &[],
    help: r#"## What it catches
A port published without a host address, or on `0.0.0.0` or `::`:
- Compose: a `ports` entry without `HOST_IP:` (`"8080:80"`, `"80"`), or a long-form entry
  without `host_ip`;
- live Docker or Podman containers: `HostConfig.PortBindings` with an empty, `0.0.0.0` or `::`
  `HostIp`, and `HostConfig.PublishAllPorts` (`-P`), which publishes every exposed port.

An entry without an address is not reported when the daemon is known to bind elsewhere by
default (its `ip` setting). Kubernetes `hostPort`s are reported by `host-port` instead.

## Why it matters
A port bound to all interfaces is reachable from every network the host is on, including
public ones, and Docker's firewall rules bypass host firewalls such as ufw. Bind the port to
the interface that should receive the traffic, often `127.0.0.1` behind a reverse proxy.

## Example
```yaml
services:
  db:
    image: postgres:16
    ports:
      - "5432:5432"
```
Use instead:
```yaml
services:
  db:
    image: postgres:16
    ports:
      - "127.0.0.1:5432:5432"
```
"#,
    enabled_by_default: true,
};
