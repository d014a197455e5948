//! PC1004: the container runs privileged.

use super::Rule;
use crate::finding::Severity;

pub static PRIVILEGED_CONTAINER: Rule = Rule {
    code: "PC1004",
    name: "privileged-container",
    summary: "The container runs privileged, with every capability and device of the host",
    severity: Severity::Error,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:5.5",
        "CIS-Docker-1.7.0:5.5",
        "PSS:baseline:privileged",
    ],
    aliases: &["KSV-0017", "CKV_K8S_16"],
    help: r#"## What it catches
A container that runs in privileged mode: `privileged: true` on a Compose service,
`securityContext.privileged: true` on a Kubernetes container, `HostConfig.Privileged` on a live
Docker or Podman container. Every platform defaults to unprivileged, so only an explicit setting
is reported.

## Why it matters
A privileged container gets every capability, sees every device of the host, and runs without
the seccomp, AppArmor and SELinux confinement the engine would otherwise apply. Root inside it can
mount the host's disks or load kernel modules: it is the host. Even on a rootless engine it gets
every capability of the user namespace. Grant the single capability or device the workload needs
instead.

## Example
```yaml
services:
  agent:
    image: example/agent:1.4
    privileged: true
```
Use instead:
```yaml
services:
  agent:
    image: example/agent:1.4
    cap_add: [NET_BIND_SERVICE]
    devices: ["/dev/fuse"]
```
"#,
    enabled_by_default: true,
};
