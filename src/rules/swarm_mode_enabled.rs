//! PC7017: the engine is a swarm node.

use super::Rule;
use crate::finding::Severity;

pub static SWARM_MODE_ENABLED: Rule = Rule {
    code: "PC7017",
    name: "swarm-mode-enabled",
    summary: "The engine is a swarm node",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:5.1", "CIS-Docker-1.7.0:5.1"],
    aliases: &[],
    help: r#"## What it catches
A live Docker engine whose `/info` `Swarm.LocalNodeState` is `active`, `pending` or `locked`.
Swarm mode is not a daemon.json setting, so a file alone is never reported; Podman has no swarm
mode (its `/info` always says `inactive`). Compose files and Kubernetes manifests are not read.
Suppress the rule where the swarm is intended.

## Why it matters
A swarm node opens cluster ports (2377 for management on managers, 7946 for gossip, 4789 for
overlay traffic) and accepts tasks from the swarm's managers. On a host that does not need to be
part of a cluster, that is attack surface with no use.

## Example
A single host that ran `docker swarm init` once to try a stack, and kept it.
Use instead: leave the swarm with `docker swarm leave --force` (on the last manager), and
deploy with Compose.
"#,
    enabled_by_default: true,
};
