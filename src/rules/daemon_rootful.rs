//! PC7001: the container engine runs as root.

use super::Rule;
use crate::finding::Severity;

pub static DAEMON_ROOTFUL: Rule = Rule {
    code: "PC7001",
    name: "daemon-rootful",
    summary: "The container engine runs as root rather than rootless",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:2.1", "CIS-Docker-1.7.0:2.1"],
    aliases: &[],
    help: r#"## What it catches
A live Docker engine whose `/info` `SecurityOptions` has no `name=rootless`, or a Podman engine
whose `/info` says `Rootless: false`. A daemon.json alone cannot tell how dockerd was started,
so only an explicit `"rootless": false` counts there. Compose files and Kubernetes manifests do
not configure the engine and are not read.

## Why it matters
A rootful engine and its containers run under the host's root account: whoever escapes a
container, or reaches the engine's socket, is root on the host. A rootless engine (Docker's
rootless mode, Podman as an ordinary user) runs in a user namespace, so the same escape lands in
an unprivileged account. Some workloads need a rootful engine; this is advice, not a defect.

## Example
```json
{ "rootless": false }
```
Use instead: install Docker's rootless mode (`dockerd-rootless-setuptool.sh install`) and point
`DOCKER_HOST` at `unix://$XDG_RUNTIME_DIR/docker.sock`, or run Podman's service as an ordinary
user (`systemctl --user enable --now podman.socket`).
"#,
    enabled_by_default: true,
};
