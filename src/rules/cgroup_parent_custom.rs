//! PC6007: the container is placed under a custom cgroup parent.

use super::Rule;
use crate::finding::Severity;

pub static CGROUP_PARENT_CUSTOM: Rule = Rule {
    code: "PC6007",
    name: "cgroup-parent-custom",
    summary: "The container runs under a custom cgroup parent",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:5.25", "CIS-Docker-1.7.0:5.25"],
    aliases: &[],
    help: r#"## What it catches
A container placed in a cgroup of its own choosing instead of the engine's: Compose
`cgroup_parent`, or a non-empty `HostConfig.CgroupParent` of a live Docker or Podman
container. Kubernetes has no such setting.

## Why it matters
The cgroup parent decides which resource limits and accounting apply to the container. A
custom parent can escape the limits the engine or the host's administrator set for
containers, or share a budget with unrelated processes. Confirm the parent is intended and
limited; otherwise remove the setting.

## Example
```yaml
services:
  app:
    image: example/app:3.1
    cgroup_parent: /system.slice
```
Use instead:
```yaml
services:
  app:
    image: example/app:3.1
```
"#,
    enabled_by_default: true,
};
