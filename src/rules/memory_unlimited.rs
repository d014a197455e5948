//! PC6001: the container has no memory limit.

use super::Rule;
use crate::finding::Severity;

pub static MEMORY_UNLIMITED: Rule = Rule {
    code: "PC6001",
    name: "memory-unlimited",
    summary: "The container has no memory limit",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:5.11", "CIS-Docker-1.7.0:5.11"],
    aliases: &["KSV-0018", "CKV_K8S_13"],
    help: r#"## What it catches
A container that may use as much memory as the host has:
- Compose: a service with neither `mem_limit` nor `deploy.resources.limits.memory`, or a limit
  of `0`;
- Kubernetes: a container without `resources.limits.memory` (a request alone is no limit);
- live Docker or Podman containers: `HostConfig.Memory` is `0`.

Docker, Podman and Kubernetes all default to no limit, so an absent setting is reported on
every platform. A namespace `LimitRange` that injects limits is not visible in the manifest:
suppress the rule for such namespaces.

## Why it matters
One leaking or attacked container can take the host's memory, and the kernel's OOM killer may
then pick other containers, or the engine itself, as victims. A limit keeps the damage inside
the container that caused it.

## Example
```yaml
services:
  api:
    image: example/api:1.4
```
Use instead:
```yaml
services:
  api:
    image: example/api:1.4
    mem_limit: 512m
```
In Kubernetes: `resources: { limits: { memory: 512Mi } }`.
"#,
    enabled_by_default: true,
};
