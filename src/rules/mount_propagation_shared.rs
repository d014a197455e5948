//! PC5011: mounts propagate between the container and the host.

use super::Rule;
use crate::finding::Severity;

pub static MOUNT_PROPAGATION_SHARED: Rule = Rule {
    code: "PC5011",
    name: "mount-propagation-shared",
    summary: "A mount propagates mounts back to the host",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:5.20", "CIS-Docker-1.7.0:5.20"],
    aliases: &[],
    help: r#"## What it catches
A mount whose propagation is `shared` or `rshared`: Compose `bind.propagation` or a `shared`
mode in the short syntax, a live container's `Mounts[].Propagation`, and Kubernetes
`volumeMounts[].mountPropagation: Bidirectional`. The default everywhere is private (Docker,
Podman: `rprivate`; Kubernetes: `None`), and one-way propagation from the host (`slave`,
`rslave`, `HostToContainer`) is not reported.

## Why it matters
With shared propagation, mounts made inside the container appear on the host and in every
other container sharing that mount: a compromised container can shadow host directories or
expose its own filesystems to others. Only storage drivers (CSI node plugins) need it, and they
are privileged anyway.

## Example
```yaml
services:
  sync:
    image: registry.example.com/sync:1.2
    volumes:
      - type: bind
        source: /srv/exports
        target: /exports
        bind: {propagation: rshared}
```
Use instead:
```yaml
        bind: {propagation: rslave}
```
"#,
    enabled_by_default: true,
};
