//! PC7004: dockerd may not manage the firewall.

use super::Rule;
use crate::finding::Severity;

pub static IPTABLES_DISABLED: Rule = Rule {
    code: "PC7004",
    name: "iptables-disabled",
    summary: "dockerd is not allowed to manage the host firewall",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:2.4", "CIS-Docker-1.7.0:2.4"],
    aliases: &[],
    help: r#"## What it catches
A daemon.json that sets `"iptables": false`. The Engine API does not show this setting, so the
rule needs the daemon.json (readable locally, or given with `--daemon-config`); without it
nothing is reported. Docker only: Podman's networking (netavark, CNI) is configured elsewhere.
Compose files and Kubernetes manifests are not read.

## Why it matters
dockerd keeps the host firewall in step with its networks: isolation between networks, `icc`
off, published ports bound to one address. With `iptables` off none of that is enforced (dockerd
even refuses `icc: false` then), and hand-written rules drift out of date as containers come
and go.

## Example
```json
{ "iptables": false }
```
Use instead:
```json
{ "iptables": true }
```
"#,
    enabled_by_default: true,
};
