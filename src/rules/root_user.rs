//! PC1001: the container runs as root (Dockerfile `USER`, Compose `user`, Kubernetes
//! `runAsNonRoot`/`runAsUser`, a live container's `Config.User`).

use super::Rule;
use crate::finding::Severity;

pub static ROOT_USER: Rule = Rule {
    code: "PC1001",
    name: "root-user",
    summary: "The container runs as root",
    severity: Severity::Warning,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:4.1",
        "CIS-Docker-1.7.0:4.1",
        "PSS:restricted:runAsNonRoot",
        "PSS:restricted:runAsUser",
    ],
    aliases: &[
        "DL3002",
        "DS-0002",
        "CKV_DOCKER_3",
        "CKV_DOCKER_8",
        "CIS-DI-0001",
        "KSV-0012",
        "KSV-0105",
        "CKV_K8S_23",
        "CKV_K8S_40",
    ],
    help: r#"## What it catches
- **Dockerfile**: the final stage sets no `USER` at all, or its last `USER` is `root`, `0`,
  `root:group` or `0:gid`. Values that come from `ARG` or `ENV` are resolved first. A final stage
  built `FROM` an earlier stage inherits that stage's `USER`.
- **Compose**: a service whose `user` is `root` or `0` (with any group), or that sets no `user`:
  then the image's `USER` decides, and the finding asks to make sure it is not root.
- **Kubernetes**: a container whose effective `runAsUser` (container or pod `securityContext`)
  is `0`, or that sets neither `runAsNonRoot: true` nor a non-zero `runAsUser`, as the
  restricted Pod Security Standard requires.
- **Live containers** (Docker, Podman): `Config.User` is empty, `0`, `root`, `0:…` or `root:…`.
  The engine has already merged the image's `USER` into it, so empty really means root.
- **Images** (`portcullis scan`): the image configuration's `User` is empty, `0`, `root`,
  `0:…` or `root:…`: a container started without `--user` runs as root.

## Why it matters
A process running as root inside the container is root on the host's kernel: one escape or
one writable host mount away from the host. Running as an unprivileged user is the first item
of the CIS Docker Benchmark's image section (4.1). On a rootless engine root in the container
maps to an unprivileged host user, which limits the damage but not the exposure of the
container's own files.

## Example
```dockerfile
FROM debian:12-slim
COPY app /usr/local/bin/app
CMD ["app"]
```
Use instead:
```dockerfile
FROM debian:12-slim
RUN useradd --system --uid 10001 app
COPY app /usr/local/bin/app
USER 10001
CMD ["app"]
```
In Compose, `user: root` becomes `user: "10001:10001"`. In Kubernetes:
```yaml
      containers:
        - name: app
          image: example/app:1
          securityContext:
            runAsUser: 0
```
Use instead:
```yaml
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
```
"#,
    enabled_by_default: true,
};
