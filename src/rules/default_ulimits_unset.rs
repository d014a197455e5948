//! PC7008: dockerd sets no default ulimits.

use super::Rule;
use crate::finding::Severity;

pub static DEFAULT_ULIMITS_UNSET: Rule = Rule {
    code: "PC7008",
    name: "default-ulimits-unset",
    summary: "dockerd sets no default ulimits for containers",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:2.8", "CIS-Docker-1.7.0:2.8"],
    aliases: &[],
    help: r#"## What it catches
A daemon.json without `default-ulimits` (or with an empty one). The Engine API does not show
the daemon's defaults, so the rule needs the daemon.json (readable locally, or given with
`--daemon-config`); without it nothing is reported. Docker only: Podman takes its defaults
from `containers.conf`. Compose files and Kubernetes manifests are not read; per-container
`ulimits` are another rule's concern.

## Why it matters
Without defaults, containers inherit dockerd's own limits, which service managers set very high
(often unlimited open files). One runaway container can then exhaust file handles or processes
for the whole host. Daemon-wide defaults cap every container that does not set its own.

## Example
```json
{ "log-level": "info" }
```
Use instead:
```json
{
  "log-level": "info",
  "default-ulimits": {
    "nofile": { "Name": "nofile", "Soft": 1024, "Hard": 4096 },
    "nproc": { "Name": "nproc", "Soft": 1024, "Hard": 2048 }
  }
}
```
"#,
    enabled_by_default: true,
};
