//! PC5007: the container joins a namespace of the host.

use super::Rule;
use crate::finding::Severity;

pub static HOST_NAMESPACE_SHARED: Rule = Rule {
    code: "PC5007",
    name: "host-namespace-shared",
    summary: "The container shares a namespace with the host",
    severity: Severity::Error,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:5.10",
        "CIS-Docker-1.7.0:5.10",
        "CIS-Docker-1.6.0:5.16",
        "CIS-Docker-1.7.0:5.16",
        "CIS-Docker-1.6.0:5.17",
        "CIS-Docker-1.7.0:5.17",
        "CIS-Docker-1.6.0:5.21",
        "CIS-Docker-1.7.0:5.21",
        "CIS-Docker-1.6.0:5.31",
        "CIS-Docker-1.7.0:5.31",
        "PSS:baseline:hostNamespaces",
    ],
    aliases: &[
        "KSV-0009",
        "CKV_K8S_19",
        "KSV-0010",
        "CKV_K8S_17",
        "KSV-0008",
        "CKV_K8S_18",
    ],
    help: r#"## What it catches
A container that joins one of the host's namespaces instead of getting its own, one finding per
namespace:

| Namespace | Compose | Kubernetes | Live container |
|---|---|---|---|
| network | `network_mode: host` | `hostNetwork: true` | `HostConfig.NetworkMode` `host` |
| PID | `pid: host` | `hostPID: true` | `HostConfig.PidMode` `host` |
| IPC | `ipc: host` | `hostIPC: true` | `HostConfig.IpcMode` `host` |
| UTS | `uts: host` | (follows `hostNetwork`) | `HostConfig.UTSMode` `host` |
| user | `userns_mode: host` | — | `HostConfig.UsernsMode` `host` |
| cgroup | `cgroup: host` | — | `HostConfig.CgroupnsMode` `host` |

Each finding carries only the upstream ids of its namespace (network: KSV-0009, CKV_K8S_19;
PID: KSV-0010, CKV_K8S_17; IPC: KSV-0008, CKV_K8S_18). Every platform gives containers private
namespaces by default, so only an explicit choice is reported. With a rootless engine "host"
means the engine's own namespaces, which limits the damage but not the exposure to the
engine's other processes.

## Why it matters
The host network lets the container bind any host port and reach services listening on
localhost; the host PID namespace lets it see, signal and (with ptrace) inspect every process
of the host, including their environment; the host IPC namespace exposes shared memory of host
processes. The user namespace escapes userns remapping, so root in the container is root on
the host again.

## Example
```yaml
services:
  agent:
    image: registry.example.com/agent:3.0
    pid: host
    network_mode: host
```
Use instead:
```yaml
services:
  agent:
    image: registry.example.com/agent:3.0
    ports: ["127.0.0.1:9100:9100"]
```
"#,
    enabled_by_default: true,
};
