//! PC1008: no-new-privileges is not in effect for the container.

use super::Rule;
use crate::finding::Severity;

pub static PRIVILEGE_ESCALATION_ALLOWED: Rule = Rule {
    code: "PC1008",
    name: "privilege-escalation-allowed",
    summary:
        "The container's processes can gain privileges through setuid binaries or file capabilities",
    severity: Severity::Warning,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:5.26",
        "CIS-Docker-1.7.0:5.26",
        "PSS:restricted:allowPrivilegeEscalation",
    ],
    aliases: &["KSV-0001", "CKV_K8S_20"],
    help: r#"## What it catches
A container whose processes may gain privileges they did not start with. Compose services and
live Docker or Podman containers are reported when `security_opt` (`HostConfig.SecurityOpt`)
does not contain `no-new-privileges` (or `no-new-privileges:true`) and the engine does not apply
it by default (`"no-new-privileges": true` in `daemon.json`, shown as `name=no-new-privileges`
in `docker info`); an explicit `no-new-privileges:false` is reported even then, since it overrides
the daemon. Podman shows the effective option on each container. A Kubernetes container is
reported unless `securityContext.allowPrivilegeEscalation` is `false`, which the restricted Pod
Security Standard requires; Kubernetes has no cluster-wide default for it. Privileged Kubernetes
containers are skipped: the API rejects `allowPrivilegeEscalation: false` for them, and
`privileged-container` already reports them.

## Why it matters
Without the kernel's `no_new_privs` flag, a process that executes a setuid-root binary (`su`,
`sudo`, `ping` on older images) or a file with capabilities gains those privileges, turning a
compromised unprivileged user into root inside the container. The flag costs nothing for
services that never need it.

## Example
```yaml
services:
  api:
    image: example/api:7
    user: "10001"
```
Use instead:
```yaml
services:
  api:
    image: example/api:7
    user: "10001"
    security_opt: ["no-new-privileges:true"]
```
For Kubernetes, `securityContext: {allowPrivilegeEscalation: false}` on every container.
"#,
    enabled_by_default: true,
};
