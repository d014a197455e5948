//! PC5005: the container sees the host's /proc and /sys entries unmasked.

use super::Rule;
use crate::finding::Severity;

pub static PROC_MASK_DISABLED: Rule = Rule {
    code: "PC5005",
    name: "proc-mask-disabled",
    summary: "The container's /proc and /sys masks are turned off",
    severity: Severity::Warning,
    tags: &["security", "PSS:baseline:procMount"],
    aliases: &["KSV-0027"],
    help: r#"## What it catches
The masks the engine lays over sensitive `/proc` and `/sys` entries turned off: Compose or
Docker `security_opt: [systempaths=unconfined]`, Podman `--security-opt unmask=ALL`, Kubernetes
`securityContext.procMount: Unmasked`, and a live container whose `HostConfig.MaskedPaths` and
`HostConfig.ReadonlyPaths` are both empty.

Unset is fine everywhere: Docker, Podman and the Kubernetes runtimes mask these paths by
default. A live privileged container never has them masked; that is reported once, as
`privileged-container`.

## Why it matters
The masked entries (`/proc/kcore`, `/proc/sysrq-trigger`, `/proc/keys`, `/sys/firmware`…) leak
host memory and kernel state or let a process act on the whole host. The read-only ones
(`/proc/sys`, `/proc/irq`…) would otherwise let root in the container tune the host's kernel.

## Example
```yaml
services:
  tool:
    image: registry.example.com/tool:2.1
    security_opt: ["systempaths=unconfined"]
```
Use instead:
```yaml
services:
  tool:
    image: registry.example.com/tool:2.1
```
"#,
    enabled_by_default: true,
};
