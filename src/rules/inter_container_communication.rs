//! PC7002: containers on the default bridge can talk to each other.

use super::Rule;
use crate::finding::Severity;

pub static INTER_CONTAINER_COMMUNICATION: Rule = Rule {
    code: "PC7002",
    name: "inter-container-communication",
    summary: "Containers on the default bridge network can reach each other freely",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:2.2", "CIS-Docker-1.7.0:2.2"],
    aliases: &[],
    help: r#"## What it catches
A Docker engine whose default bridge network allows inter-container communication: the live
engine's bridge network has the option `com.docker.network.bridge.enable_icc` `"true"`, or the
daemon.json sets `"icc": true` or leaves `icc` out (dockerd's default is `true`). An engine
started without a default bridge (`--bridge=none`) has nothing to restrict. Podman has no such
switch and is never reported; Compose files and Kubernetes manifests are not read.

## Why it matters
Every container started without a network of its own lands on the default bridge, where by
default it can open any port of every other such container. One compromised container can then
probe and attack unrelated ones. With `icc` off, containers on the default bridge talk only
through published ports or explicit links; user-defined networks keep working.

## Example
```json
{ "icc": true }
```
Use instead:
```json
{ "icc": false }
```
"#,
    enabled_by_default: true,
};
