//! PC7014: published ports go through the userland proxy.

use super::Rule;
use crate::finding::Severity;

pub static USERLAND_PROXY_ON: Rule = Rule {
    code: "PC7014",
    name: "userland-proxy-on",
    summary: "Published ports go through dockerd's userland proxy",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:2.16", "CIS-Docker-1.7.0:2.16"],
    aliases: &[],
    help: r#"## What it catches
A daemon.json that does not set `"userland-proxy": false` (dockerd's default is `true`). The
Engine API does not show this setting, so the rule needs the daemon.json (readable locally, or
given with `--daemon-config`); without it nothing is reported. Rootless engines are not
reported (RootlessKit needs the proxy), nor is Podman, which has no such proxy. Compose files and
Kubernetes manifests are not read.

## Why it matters
With the proxy on, every published port also starts a `docker-proxy` process on the host (as
root, for a rootful engine) that forwards in user space the traffic the kernel's NAT rules do
not handle, such as connections from the host itself. That is more privileged code listening on
the host. With the proxy off, hairpin NAT in the kernel does the same job.

## Example
```json
{ "userland-proxy": true }
```
Use instead:
```json
{ "userland-proxy": false }
```
"#,
    enabled_by_default: true,
};
