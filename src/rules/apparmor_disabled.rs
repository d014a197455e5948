//! PC5001: the container runs without an AppArmor profile.

use super::Rule;
use crate::finding::Severity;

pub static APPARMOR_DISABLED: Rule = Rule {
    code: "PC5001",
    name: "apparmor-disabled",
    summary: "The container runs without AppArmor confinement",
    severity: Severity::Warning,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:5.2",
        "CIS-Docker-1.7.0:5.2",
        "PSS:baseline:appArmorProfile",
    ],
    aliases: &["KSV-0002"],
    help: r#"## What it catches
An AppArmor profile of `unconfined`, wherever it is set: Compose
`security_opt: [apparmor=unconfined]` (or the older `apparmor:unconfined`), a Kubernetes
`securityContext.appArmorProfile.type: Unconfined` (pod or container) or the annotation
`container.apparmor.security.beta.kubernetes.io/<container>: unconfined`, and a live Docker or
Podman container whose `AppArmorProfile` is `unconfined`. A live container with an empty
profile counts too when the engine reports AppArmor on its host (the engine applied none).

Leaving the profile unset is fine: Docker (`docker-default`), Podman and the Kubernetes
container runtimes apply their default profile on AppArmor hosts. A live privileged container
is always unconfined; that is reported once, as `privileged-container`.

## Why it matters
The default profile denies writes to `/proc` and `/sys` entries, mounting, and other operations
that container escapes rely on. Without it, one kernel or runtime bug less stands between the
process and the host.

## Example
```yaml
services:
  web:
    image: nginx:1.27
    security_opt: ["apparmor=unconfined"]
```
Use instead (no option gives the default profile; name a custom one if you need it):
```yaml
services:
  web:
    image: nginx:1.27
    security_opt: ["apparmor=my-nginx-profile"]
```
"#,
    enabled_by_default: true,
};
