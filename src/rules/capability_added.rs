//! PC1005: the container adds capabilities beyond its platform's default set.

use super::Rule;
use crate::finding::Severity;

pub static CAPABILITY_ADDED: Rule = Rule {
    code: "PC1005",
    name: "capability-added",
    summary: "The container adds Linux capabilities beyond the platform's default set",
    severity: Severity::Warning,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:5.4",
        "CIS-Docker-1.7.0:5.4",
        "PSS:baseline:capabilities",
    ],
    aliases: &["KSV-0022", "CKV_K8S_25"],
    help: r#"## What it catches
Each capability in Compose `cap_add`, Kubernetes `securityContext.capabilities.add` or a live
container's `HostConfig.CapAdd` that the platform would not grant anyway. The default set is the
platform's own: Docker's 14 capabilities, Podman's 11 (no `NET_RAW`, `MKNOD` or `AUDIT_WRITE`),
and for Kubernetes the Pod Security Standards' baseline list (Docker's set without `NET_RAW`).
So `cap_add: [NET_RAW]` is reported on Podman and Kubernetes but not on Docker, where it changes
nothing. Capabilities that hand over the host (`SYS_ADMIN`, `ALL`…) are reported by
`dangerous-capability` instead, not twice.

## Why it matters
Every added capability is kernel privilege that root in the container can use against the host
or its neighbours: raw sockets for spoofing, `SYS_TIME` for the host clock, `SYS_NICE` to starve
other workloads. Add only what a process provably needs, and prefer dropping everything first.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: ping}
spec:
  containers:
    - name: ping
      image: example/ping:2
      securityContext:
        capabilities:
          add: [NET_RAW, SYS_TIME]
```
Use instead:
```yaml
      securityContext:
        capabilities:
          drop: [ALL]
          add: [NET_BIND_SERVICE]
```
"#,
    enabled_by_default: true,
};
