//! PC5003: the container runs without a seccomp filter.

use super::Rule;
use crate::finding::Severity;

pub static SECCOMP_DISABLED: Rule = Rule {
    code: "PC5003",
    name: "seccomp-disabled",
    summary: "The container runs with seccomp unconfined",
    severity: Severity::Error,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:5.22",
        "CIS-Docker-1.7.0:5.22",
        "PSS:baseline:seccompProfile",
    ],
    aliases: &["KSV-0104"],
    help: r#"## What it catches
A seccomp profile of `unconfined`: Compose and live Docker or Podman `security_opt`
`seccomp=unconfined` (or the older `seccomp:unconfined`), and Kubernetes
`seccompProfile.type: Unconfined` on the pod or the container (or the old `unconfined` seccomp
annotations). A custom profile, given as a path or inline JSON, is not reported.

Docker and Podman apply their default profile when none is named, so an unset profile is fine
there. Kubernetes applies none unless asked: that is `seccomp-profile-unset`. A live privileged
container never has a filter; that is reported once, as `privileged-container`.

## Why it matters
The default profiles block a few dozen system calls (`keyctl`, `bpf`, `unshare`, `mount`,
`kexec_load`…) that containers do not need and that many kernel exploits and escapes use.
Without it, every system call of the kernel is reachable from the container.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  securityContext:
    seccompProfile: {type: Unconfined}
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
```
Use instead:
```yaml
spec:
  securityContext:
    seccompProfile: {type: RuntimeDefault}
```
"#,
    enabled_by_default: true,
};
