//! PC5004: a Kubernetes container runs without a seccomp profile because none was asked for.

use super::Rule;
use crate::finding::Severity;

pub static SECCOMP_PROFILE_UNSET: Rule = Rule {
    code: "PC5004",
    name: "seccomp-profile-unset",
    summary: "The Kubernetes container sets no seccomp profile, so none is applied",
    severity: Severity::Warning,
    tags: &["security", "PSS:restricted:seccompProfile"],
    aliases: &["KSV-0030", "CKV_K8S_31"],
    help: r#"## What it catches
A Kubernetes container whose effective `securityContext.seccompProfile` (its own, or the pod's
when it sets none) is missing or is not of type `RuntimeDefault` or `Localhost`. The old
annotations `runtime/default`, `docker/default` and `localhost/<profile>` count as set. An
explicit `Unconfined` is reported by `seccomp-disabled` instead.

Only Kubernetes is checked: Docker and Podman apply their default profile to every container
that does not ask for another, while the kubelet applies none unless told to (or unless the
node enables `seccompDefault`, which a manifest cannot show).

## Why it matters
Without a profile every system call of the host kernel is reachable from the container,
including the rarely needed ones that kernel exploits and escapes use. The Pod Security
Standards' restricted profile requires one.

## Example
```yaml
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
```
Use instead:
```yaml
spec:
  securityContext:
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
```
"#,
    enabled_by_default: true,
};
