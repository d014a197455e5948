//! PC5014: the container sets a kernel parameter outside the safe set.

use super::Rule;
use crate::finding::Severity;

pub static UNSAFE_SYSCTL: Rule = Rule {
    code: "PC5014",
    name: "unsafe-sysctl",
    summary: "The container sets a sysctl outside the safe set",
    severity: Severity::Warning,
    tags: &["security", "PSS:baseline:sysctls"],
    aliases: &["KSV-0026"],
    help: r#"## What it catches
Each sysctl a container sets — Compose `sysctls` (map or list), Kubernetes
`spec.securityContext.sysctls`, a live container's `HostConfig.Sysctls` — whose name (with `.`
or `/` separators) is not in the Kubernetes safe set: `kernel.shm_rmid_forced`,
`net.ipv4.ip_local_port_range`, `net.ipv4.ip_local_reserved_ports`,
`net.ipv4.ip_unprivileged_port_start`, `net.ipv4.ping_group_range`, `net.ipv4.tcp_syncookies`,
`net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes`,
`net.ipv4.tcp_fin_timeout`, `net.ipv4.tcp_rmem` and `net.ipv4.tcp_wmem`. The same list applies
to Docker and Podman, which accept any namespaced sysctl: outside the safe set, namespaced or
not, a sysctl needs a review.

## Why it matters
The safe sysctls are namespaced and cannot starve or affect other containers. Others either
change the node's kernel for everyone (when not namespaced) or weaken isolation inside the
network or IPC namespace in ways the kernel does not account per container (memory of message
queues and shared memory, routing and forwarding).

## Example
```yaml
services:
  proxy:
    image: haproxy:3.0
    sysctls:
      net.ipv4.ip_forward: 1
      net.ipv4.ip_unprivileged_port_start: 0
```
Use instead:
```yaml
services:
  proxy:
    image: haproxy:3.0
    sysctls:
      net.ipv4.ip_unprivileged_port_start: 0
```
"#,
    enabled_by_default: true,
};
