//! PC5009: a sensitive directory of the host is mounted into the container.

use super::Rule;
use crate::finding::Severity;

pub static SENSITIVE_HOST_PATH_MOUNTED: Rule = Rule {
    code: "PC5009",
    name: "sensitive-host-path-mounted",
    summary: "A sensitive host directory is mounted into the container",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:5.6", "CIS-Docker-1.7.0:5.6"],
    aliases: &["KSV-0121"],
    help: r#"## What it catches
A bind mount (Compose `volumes`, live `Mounts` of type `bind`) or Kubernetes `hostPath` volume
whose host path, after normalising slashes, `.` and `..`, is one of

- `/`, `/bin`, `/boot`, `/dev`, `/etc`, `/home`, `/lib`, `/lib64`, `/proc`, `/root`, `/run`,
  `/sbin`, `/sys`, `/usr`, `/var/run`, `/var/lib/docker`, `/var/lib/containers`,
  `/var/lib/containerd`, `/var/lib/kubelet`, or
- anything below `/boot`, `/dev`, `/etc`, `/proc`, `/root` or `/sys` (such as `/etc/kubernetes`,
  `/proc/1`, `/dev/sda`).

Read-only mounts are reported too; the message says whether the mount is writable, which is
the worse case. Read-only mounts of public data under `/etc` (`/etc/localtime`,
`/etc/timezone`, `/etc/machine-id`, `/etc/ssl/certs`) are not reported. Engine sockets
(`/var/run/docker.sock`…) are reported by `engine-socket-mounted` instead. Relative Compose
paths are not host system directories and are not reported. The list is the same for every
source: Docker and Podman mount nothing from the host by default, Kubernetes neither.

## Why it matters
These directories hold the host's configuration and credentials (`/etc/shadow`, kubelet and
SSH keys), its kernel and boot files, the state of its container engine and the live kernel
interfaces (`/proc`, `/sys`, `/dev`). Written to, they give the container the host; even read,
they leak secrets and let an attacker plan the escape.

## Example
```yaml
spec:
  containers:
    - name: agent
      image: registry.example.com/agent:3.0
      volumeMounts: [{name: host-etc, mountPath: /host/etc}]
  volumes:
    - name: host-etc
      hostPath: {path: /etc}
```
Use instead: mount only the file the workload needs, read-only, or pass it as a ConfigMap:
```yaml
      volumeMounts: [{name: machine-id, mountPath: /etc/machine-id, readOnly: true}]
  volumes:
    - name: machine-id
      hostPath: {path: /var/lib/dbus/machine-id, type: File}
```
"#,
    enabled_by_default: true,
};
