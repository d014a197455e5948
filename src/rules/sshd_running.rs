//! PC6011: the container runs an SSH daemon.

use super::Rule;
use crate::finding::Severity;

pub static SSHD_RUNNING: Rule = Rule {
    code: "PC6011",
    name: "sshd-running",
    summary: "The container runs an SSH daemon",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:5.7", "CIS-Docker-1.7.0:5.7"],
    aliases: &[],
    help: r#"## What it catches
- Live Docker or Podman containers: an `sshd` process in the container's process list (the
  engine's `top`), such as `/usr/sbin/sshd -D` or a session `sshd: user@pts/0`. Other
  programs that merely mention sshd, like `grep sshd`, do not count.
- Compose and Kubernetes: a `command`/`entrypoint` (`command`/`args`) that starts `sshd`,
  also through `sh -c`, `exec` or similar wrappers, or via `service ssh start`. A daemon
  started by a script inside the image cannot be seen there.

## Why it matters
An SSH server is one more network service to secure, patch and give credentials to, and it
gives access around the engine's own controls and audit trail. Use `docker exec`,
`kubectl exec` or `kubectl debug` to get into a container.

## Example
```yaml
services:
  app:
    image: example/app:3.1
    command: sh -c "/usr/sbin/sshd && exec app"
```
Use instead:
```yaml
services:
  app:
    image: example/app:3.1
    command: app
```
"#,
    enabled_by_default: true,
};
