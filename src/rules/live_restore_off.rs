//! PC7013: containers stop when dockerd does.

use super::Rule;
use crate::finding::Severity;

pub static LIVE_RESTORE_OFF: Rule = Rule {
    code: "PC7013",
    name: "live-restore-off",
    summary: "Containers stop whenever dockerd stops or restarts",
    severity: Severity::Info,
    tags: &["CIS-Docker-1.6.0:2.15", "CIS-Docker-1.7.0:2.15"],
    aliases: &[],
    help: r#"## What it catches
A Docker engine without live restore: `/info` `LiveRestoreEnabled: false`, or a daemon.json
that leaves `live-restore` out or sets it to `false`. Swarm nodes are not reported (dockerd
refuses live restore in swarm mode), nor is Podman, which has no daemon to restart (its
`/info` always says `false`). Compose files and Kubernetes manifests are not read.

## Why it matters
Without live restore, upgrading or restarting dockerd stops every container on the host. With
it, containers keep running while the daemon is away, so security updates of the engine can be
applied without an outage, and are less likely to be postponed.

## Example
```json
{ "live-restore": false }
```
Use instead:
```json
{ "live-restore": true }
```
"#,
    enabled_by_default: true,
};
