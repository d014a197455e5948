//! PC6006: the kernel's OOM killer is disabled for the container.

use super::Rule;
use crate::finding::Severity;

pub static OOM_KILLER_DISABLED: Rule = Rule {
    code: "PC6006",
    name: "oom-killer-disabled",
    summary: "The out-of-memory killer is disabled for the container",
    severity: Severity::Warning,
    tags: &["security"],
    aliases: &[],
    help: r#"## What it catches
A container run with the kernel's out-of-memory killer turned off: Compose
`oom_kill_disable: true`, or `HostConfig.OomKillDisable` of a live Docker or Podman container.
The message says whether the container also lacks a memory limit, which makes it much worse.
Kubernetes has no such setting.

## Why it matters
When a container with the OOM killer disabled reaches its memory limit, its processes hang
instead of being killed. Without a memory limit the host itself runs out of memory, and the
kernel kills other processes, possibly the engine, to recover.

## Example
```yaml
services:
  cache:
    image: example/cache:1.0
    oom_kill_disable: true
```
Use instead:
```yaml
services:
  cache:
    image: example/cache:1.0
    mem_limit: 1g
```
"#,
    enabled_by_default: true,
};
