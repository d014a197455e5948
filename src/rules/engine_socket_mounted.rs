//! PC5010: the container can talk to a container engine's API.

use super::Rule;
use crate::finding::Severity;

pub static ENGINE_SOCKET_MOUNTED: Rule = Rule {
    code: "PC5010",
    name: "engine-socket-mounted",
    summary: "A container engine's API socket is mounted into the container",
    severity: Severity::Error,
    tags: &["security", "CIS-Docker-1.6.0:5.32", "CIS-Docker-1.7.0:5.32"],
    aliases: &["KSV-0006", "CKV_K8S_27"],
    help: r#"## What it catches
A bind mount (Compose `volumes`, live `Mounts`) or Kubernetes `hostPath` volume whose host path
ends in an engine socket: `docker.sock`, `podman.sock`, `containerd.sock`, `crio.sock`,
`cri-dockerd.sock` or `dockershim.sock` (so also rootless sockets under `/run/user/<uid>/`), and
Compose `use_api_socket: true`, which mounts the Docker socket together with the user's
registry credentials. Read-only mounts count: a socket is usable whatever the mount mode.

## Why it matters
Whoever can talk to the engine can start a privileged container with the host's `/` mounted:
access to the socket is root on the host. With `use_api_socket` the container also receives
the registry credentials of whoever ran Compose.

## Example
```yaml
services:
  ci-runner:
    image: registry.example.com/runner:17
    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]
```
Use instead: build with a daemonless tool (BuildKit rootless, Buildah, Kaniko) or give the
runner its own engine in a separate VM, and reach it over TLS:
```yaml
services:
  ci-runner:
    image: registry.example.com/runner:17
    environment:
      DOCKER_HOST: tcp://builder.internal:2376
      DOCKER_TLS_VERIFY: "1"
```
"#,
    enabled_by_default: true,
};
