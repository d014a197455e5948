//! PC6012: the image declares the SSH port.

use super::Rule;
use crate::finding::Severity;

pub static SSH_PORT_EXPOSED: Rule = Rule {
    code: "PC6012",
    name: "ssh-port-exposed",
    summary: "The image exposes port 22, the SSH port",
    severity: Severity::Warning,
    tags: &["security"],
    aliases: &["DS-0004", "CKV_DOCKER_1"],
    help: r#"## What it catches
An `EXPOSE` that declares TCP port 22: `EXPOSE 22`, `EXPOSE 22/tcp`, a range such as
`EXPOSE 20-30`, or a variable that resolves to one of those through the stage's `ARG` and `ENV`
values. `22/udp` is not SSH and is not reported; a variable whose value cannot be known is
skipped.

## Why it matters
Port 22 in an image says that the container is meant to be reached over SSH, which means an
SSH daemon, keys or passwords inside the image, and a way into the container that bypasses
the engine's own access control and audit trail. `docker exec`, `kubectl exec` and
`kubectl debug` give the same access without a network service to secure and patch.

## Example
```dockerfile
RUN apt-get install -y openssh-server
EXPOSE 22 8080
CMD ["/usr/sbin/sshd", "-D"]
```
Use instead:
```dockerfile
EXPOSE 8080
CMD ["app"]
```
"#,
    enabled_by_default: true,
};
