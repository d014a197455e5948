//! PC1006: the container adds a capability that amounts to control of the host.

use super::Rule;
use crate::finding::Severity;

pub static DANGEROUS_CAPABILITY: Rule = Rule {
    code: "PC1006",
    name: "dangerous-capability",
    summary: "The container adds a capability that lets it take over the host",
    severity: Severity::Error,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:5.4",
        "CIS-Docker-1.7.0:5.4",
        "PSS:baseline:capabilities",
    ],
    aliases: &["KSV-0005", "CKV_K8S_39"],
    help: r#"## What it catches
Compose `cap_add`, Kubernetes `securityContext.capabilities.add` or a live container's
`HostConfig.CapAdd` containing `SYS_ADMIN`, `SYS_MODULE`, `SYS_PTRACE`, `SYS_RAWIO`,
`DAC_READ_SEARCH`, `NET_ADMIN`, `BPF`, `PERFMON`, `SYS_BOOT` or `ALL` (with or without the
`CAP_` prefix, in any case). None of them is in Docker's, Podman's or Kubernetes' default set,
so the platform does not matter. One finding per capability; these are not reported again by
`capability-added`.

## Why it matters
Each of these is a known escape route: `SYS_ADMIN` can mount filesystems and escape through
cgroups, `SYS_MODULE` loads kernel code, `SYS_PTRACE` reads and rewrites other processes,
`DAC_READ_SEARCH` opens host files by handle (the "shocker" escape), `SYS_RAWIO` and `BPF` reach
kernel memory, `NET_ADMIN` rewires the host's networking when it shares the host network, and
`ALL` is all of them. The Docker Bench community checks C.5.3.x flag the first four.

## Example
```yaml
services:
  debug:
    image: example/tools:3
    cap_add: [SYS_ADMIN, SYS_PTRACE]
```
Use instead: run the tool on the host, or give the service only the narrow capability it needs:
```yaml
services:
  debug:
    image: example/tools:3
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
```
"#,
    enabled_by_default: true,
};
