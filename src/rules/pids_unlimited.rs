//! PC6003: the container can create any number of processes.

use super::Rule;
use crate::finding::Severity;

pub static PIDS_UNLIMITED: Rule = Rule {
    code: "PC6003",
    name: "pids-unlimited",
    summary: "The container has no limit on the number of processes",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:5.29", "CIS-Docker-1.7.0:5.29"],
    aliases: &[],
    help: r#"## What it catches
A container without a PIDs cgroup limit:
- Compose: no `pids_limit` or `deploy.resources.limits.pids`, or a value of `0` or `-1`;
- live containers: `HostConfig.PidsLimit` is null, `0` or `-1`.

Platform defaults count: Docker sets no limit, so an absent setting is reported; Podman
limits every container to 2048 processes by default, so an absent setting is fine there and
only an explicit `0` or `-1` is reported. Kubernetes has no per-container field (the kubelet's
`podPidsLimit` is node configuration), so the rule never fires for manifests.

## Why it matters
A fork bomb, or a leak of threads or child processes, in one container exhausts the host's
process table and stops every other container and service from starting new processes.

## Example
```yaml
services:
  app:
    image: example/app:3.1
    pids_limit: -1
```
Use instead:
```yaml
services:
  app:
    image: example/app:3.1
    pids_limit: 200
```
"#,
    enabled_by_default: true,
};
