//! PC5002: SELinux separation is turned off or replaced by a custom label.

use super::Rule;
use crate::finding::Severity;

pub static SELINUX_DISABLED: Rule = Rule {
    code: "PC5002",
    name: "selinux-disabled",
    summary: "SELinux separation is turned off for the container",
    severity: Severity::Warning,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:5.3",
        "CIS-Docker-1.7.0:5.3",
        "PSS:baseline:seLinuxOptions",
    ],
    aliases: &["KSV-0025"],
    help: r#"## What it catches
- Compose and live Docker or Podman containers: `security_opt` `label=disable`, `label:disable`
  or a bare `disable`, and the label type `spc_t` or `unconfined_t` (`label=type:spc_t`), which
  run the process unconfined just the same.
- Kubernetes: `seLinuxOptions` (pod or container) that sets a `user` or a `role`, or a `type`
  other than `container_t`, `container_init_t`, `container_kvm_t` and `container_engine_t` — the
  Pod Security Standards baseline. A `level` alone is allowed.

Leaving SELinux options unset is fine: on SELinux hosts Docker, Podman and the Kubernetes
runtimes label every container `container_t` with its own categories. A live privileged
container always runs without separation; that is reported once, as `privileged-container`.

## Why it matters
SELinux separation is what keeps a container's process from the host's files and from other
containers' files even when it runs as root or escapes its mount namespace. Custom users,
roles or types can grant the process the permissions of a host daemon.

## Example
```yaml
services:
  backup:
    image: restic/restic:0.17.3
    security_opt: ["label=disable"]
    volumes: ["/srv/data:/data:ro"]
```
Use instead (relabel the mount for this container):
```yaml
services:
  backup:
    image: restic/restic:0.17.3
    volumes: ["/srv/data:/data:ro,Z"]
```
"#,
    enabled_by_default: true,
};
