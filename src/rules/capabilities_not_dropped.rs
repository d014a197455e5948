//! PC1007: the container keeps its platform's default capabilities instead of dropping them all.

use super::Rule;
use crate::finding::Severity;

pub static CAPABILITIES_NOT_DROPPED: Rule = Rule {
    code: "PC1007",
    name: "capabilities-not-dropped",
    summary: "The container does not drop all capabilities, so it keeps the platform's default set",
    severity: Severity::Warning,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:5.4",
        "CIS-Docker-1.7.0:5.4",
        "PSS:restricted:capabilities",
    ],
    aliases: &["KSV-0003", "KSV-0106", "CKV_K8S_37", "CKV_K8S_28"],
    help: r#"## What it catches
A container whose drop list (Compose `cap_drop`, Kubernetes `securityContext.capabilities.drop`,
a live container's `HostConfig.CapDrop`) neither contains `ALL` nor names every capability of the
platform's default set. The message says what is kept: Docker keeps 14 capabilities including
`NET_RAW`, Podman 11 (without `NET_RAW`), and a Kubernetes container whatever its runtime grants
(containerd grants Docker's set); Kubernetes is reported unless the list contains `ALL` itself,
as the restricted Pod Security Standard requires. That profile also allows adding
back only `NET_BIND_SERVICE` after `drop: [ALL]`, so adding back another capability of the
default set (`CHOWN`, `SETUID`…) is reported here too; capabilities beyond the default set are
reported by `capability-added` and `dangerous-capability`. Privileged containers are left to
`privileged-container`.

## Why it matters
Most services need none of the default capabilities once they are started: no raw sockets, no
`chown`, no `setuid`. Each one left in place is privilege an attacker inherits with the process,
`NET_RAW` being the classic one (ARP and DNS spoofing on the container network). Dropping
everything and adding back the one or two a process needs is the least-privilege baseline the
restricted profile enforces.

## Example
```yaml
services:
  web:
    image: example/web:5
    cap_drop: [NET_RAW]
```
Use instead:
```yaml
services:
  web:
    image: example/web:5
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
```
For Kubernetes, `securityContext.capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}`.
"#,
    enabled_by_default: true,
};
