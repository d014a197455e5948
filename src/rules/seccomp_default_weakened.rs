//! PC7015: the daemon runs containers without seccomp by default.

use super::Rule;
use crate::finding::Severity;

pub static SECCOMP_DEFAULT_WEAKENED: Rule = Rule {
    code: "PC7015",
    name: "seccomp-default-weakened",
    summary: "The engine runs containers without a seccomp profile by default",
    severity: Severity::Error,
    tags: &["security", "CIS-Docker-1.6.0:2.17", "CIS-Docker-1.7.0:2.17"],
    aliases: &[],
    help: r#"## What it catches
An engine whose default seccomp profile is `unconfined`: the live engine's `/info`
`SecurityOptions` has `name=seccomp,profile=unconfined` (Docker or Podman), or the daemon.json
sets `"seccomp-profile": "unconfined"`. The built-in profile (`builtin`, `default`) and custom
profile files are not reported. Containers that turn seccomp off themselves, in Compose files,
Kubernetes manifests or live containers, are the container seccomp rule's concern.

## Why it matters
The default seccomp profile blocks dozens of system calls that containers do not need and
that kernel exploits rely on (`keyctl`, `bpf`, `userfaultfd`, mounting, loading modules). With
the daemon default turned off, every container on the engine runs without that filter unless it
asks for one.

## Example
```json
{ "seccomp-profile": "unconfined" }
```
Use instead: remove the key (the built-in profile applies), or point it at a reviewed profile:
```json
{ "seccomp-profile": "/etc/docker/seccomp/default.json" }
```
"#,
    enabled_by_default: true,
};
