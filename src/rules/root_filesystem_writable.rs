//! PC5006: the container's root filesystem is writable.

use super::Rule;
use crate::finding::Severity;

pub static ROOT_FILESYSTEM_WRITABLE: Rule = Rule {
    code: "PC5006",
    name: "root-filesystem-writable",
    summary: "The container's root filesystem is writable",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:5.13", "CIS-Docker-1.7.0:5.13"],
    aliases: &["KSV-0014", "CKV_K8S_22"],
    help: r#"## What it catches
A container that does not mount its root filesystem read-only: Compose without
`read_only: true`, Kubernetes without `securityContext.readOnlyRootFilesystem: true`, and a live
Docker or Podman container whose `HostConfig.ReadonlyRootfs` is false. Every platform's default
is a writable root filesystem, so leaving the setting out is reported.

## Why it matters
An attacker who gets code execution in a writable container can drop tools, change binaries
and configuration, or persist until the container is recreated. With a read-only root, only
the volumes and `tmpfs` mounts you chose can be written, and any drift from the image is
impossible rather than merely visible.

## Example
```yaml
services:
  web:
    image: nginx:1.27
```
Use instead (give the process scratch space where it needs it):
```yaml
services:
  web:
    image: nginx:1.27
    read_only: true
    tmpfs: ["/var/cache/nginx", "/var/run"]
```
"#,
    enabled_by_default: true,
};
