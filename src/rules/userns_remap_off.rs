//! PC7009: user-namespace remapping is off.

use super::Rule;
use crate::finding::Severity;

pub static USERNS_REMAP_OFF: Rule = Rule {
    code: "PC7009",
    name: "userns-remap-off",
    summary: "Root in a container is root on the host because user-namespace remapping is off",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:2.9", "CIS-Docker-1.7.0:2.9"],
    aliases: &[],
    help: r#"## What it catches
A rootful Docker engine without user-namespace remapping: the live engine's `/info`
`SecurityOptions` has no `name=userns`, or the daemon.json leaves `userns-remap` out or empty.
A rootless engine is remapped by design and never reported. Podman's `/info` does not show
remapping (it is set per container or in `containers.conf`), so Podman is not reported either.
Compose files and Kubernetes manifests are not read.

## Why it matters
Without remapping, UID 0 in a container is UID 0 on the host: a process that escapes, or a file
it writes through a host mount, has the host's root identity. With `userns-remap`, container
root maps to an unprivileged range of host UIDs.

## Example
```json
{ "userns-remap": "" }
```
Use instead:
```json
{ "userns-remap": "default" }
```
"#,
    enabled_by_default: true,
};
