//! PC6005: the container overrides no ulimit.

use super::Rule;
use crate::finding::Severity;

pub static ULIMITS_UNSET: Rule = Rule {
    code: "PC6005",
    name: "ulimits-unset",
    summary: "The container overrides no ulimit",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:5.19", "CIS-Docker-1.7.0:5.19"],
    aliases: &[],
    help: r#"## What it catches
A container that sets no resource limit of its own (`nofile`, `nproc`, `core`…):
- Compose: no `ulimits`;
- live Docker or Podman containers: `HostConfig.Ulimits` is empty (Podman's inspect lists the
  limits it applied, so an empty list there means none).

The container then inherits the engine's defaults (the daemon's `default-ulimits`, reported
by its own rule). Kubernetes has no ulimit setting, so the rule never fires for manifests.
This is advice, not a defect: set the limits where the defaults do not fit the workload.

## Why it matters
Per-container limits bound what one process tree may take of the host: open files,
processes, locked memory, core dump size. Stating them keeps the container's behaviour the
same whichever host or daemon configuration runs it.

## Example
```yaml
services:
  app:
    image: example/app:3.1
```
Use instead:
```yaml
services:
  app:
    image: example/app:3.1
    ulimits:
      nofile: { soft: 8192, hard: 16384 }
      nproc: 512
```
"#,
    enabled_by_default: true,
};
