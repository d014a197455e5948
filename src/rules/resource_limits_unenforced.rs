//! PC7018: container limits are silently ignored.

use super::Rule;
use crate::finding::Severity;

pub static RESOURCE_LIMITS_UNENFORCED: Rule = Rule {
    code: "PC7018",
    name: "resource-limits-unenforced",
    summary: "The engine cannot enforce container memory, CPU or PIDs limits",
    severity: Severity::Warning,
    tags: &["security"],
    aliases: &[],
    help: r#"## What it catches
A live engine that cannot apply the limits containers ask for: `/info` `CgroupDriver: none`
(typically a rootless engine on a host without cgroup v2 delegation), or `MemoryLimit`,
`CpuCfsQuota` or `PidsLimit` reported as `false`, one finding per missing feature. Docker and
Podman report these the same way. A daemon.json cannot show this, and Compose files and
Kubernetes manifests are not read: it is the engine that ignores their limits.

## Why it matters
Memory, CPU and PIDs limits set in Compose files, manifests or `docker run` are accepted and then
silently not enforced: one container can take all of the host's memory or processes while its
configuration looks safe. Every limit-related finding on such an engine is a false sense of
security until the host supports them.

## Example
`/info` of a rootless engine on a cgroup v1 host:
```json
{ "CgroupDriver": "none", "MemoryLimit": false, "PidsLimit": false, "CpuCfsQuota": false }
```
Use instead: boot the host with cgroup v2 (`systemd.unified_cgroup_hierarchy=1`) and delegate
the controllers to the user (`Delegate=cpu cpuset io memory pids` for `user@.service`).
"#,
    enabled_by_default: true,
};
