//! PC4002: no health check is defined for the image or the container.

use super::Rule;
use crate::finding::Severity;

pub static MISSING_HEALTHCHECK: Rule = Rule {
    code: "PC4002",
    name: "missing-healthcheck",
    summary: "No health check is defined for the image or the container",
    severity: Severity::Info,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:4.6",
        "CIS-Docker-1.7.0:4.6",
        "CIS-Docker-1.6.0:5.27",
        "CIS-Docker-1.7.0:5.27",
    ],
    aliases: &[
        "DS-0026",
        "CKV_DOCKER_2",
        "CIS-DI-0006",
        "DL3057",
        "CKV_K8S_8",
        "CKV_K8S_9",
    ],
    help: r#"## What it catches
- Dockerfiles: the stage that becomes the image (the last one) has no `HEALTHCHECK` of its own
  and does not inherit one from an earlier stage it is built `FROM`. `HEALTHCHECK NONE` is a
  decision (often to drop a base image's check that does not fit) and is not reported.
- Compose: a service without `healthcheck` (its image may still define one, which Docker then
  uses: the message says so), or one that turns the check off with `disable: true` or
  `test: ["NONE"]`.
- Kubernetes: a container with neither a `livenessProbe` nor a `readinessProbe`. Kubernetes
  ignores the image's `HEALTHCHECK`, so only probes count.
- Live Docker or Podman containers: `Config.Healthcheck` is absent (the engine has already
  merged the image's check into it, so nothing checks this container) or its test is `NONE`.
- Images (`portcullis scan`): the image configuration has no `Healthcheck`. As in a
  Dockerfile, `HEALTHCHECK NONE` is a decision and is not reported.

## Why it matters
Without a health check the engine only knows whether the process exists, not whether it
works: a hung server keeps receiving traffic and is never restarted. The CIS Docker Benchmark
asks for one in every image (4.6) and checks at runtime that containers have one (5.27).

## Example
```yaml
services:
  web:
    image: nginx:1.27
    healthcheck:
      disable: true
```
Use instead:
```yaml
services:
  web:
    image: nginx:1.27
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://localhost/"]
      interval: 30s
      timeout: 3s
```
In Kubernetes, give the container probes:
```yaml
containers:
  - name: web
    image: nginx:1.27
    readinessProbe:
      httpGet: { path: /, port: 80 }
    livenessProbe:
      httpGet: { path: /, port: 80 }
```
In a Dockerfile:
```dockerfile
FROM nginx:1.27
COPY site /usr/share/nginx/html
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost/ || exit 1
```
"#,
    enabled_by_default: true,
};
