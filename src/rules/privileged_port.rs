//! PC6008: a port below 1024 of the host is published.

use super::Rule;
use crate::finding::Severity;

pub static PRIVILEGED_PORT: Rule = Rule {
    code: "PC6008",
    name: "privileged-port",
    summary: "A privileged host port (below 1024) is published",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:5.8", "CIS-Docker-1.7.0:5.8"],
    aliases: &["KSV-0117"],
    help: r#"## What it catches
A port of the host below 1024 mapped into the container:
- Compose: a `ports` entry whose host (published) port is below 1024, such as `"80:8080"` or
  `published: 443`;
- Kubernetes: a container port with a `hostPort` below 1024;
- live Docker or Podman containers: `HostConfig.PortBindings` with such a `HostPort`.

Ports the engine picks itself (`"8080"` alone, `-P`) are above 1023 and not reported. The rule
looks at the host side of the mapping; Trivy's KSV-0117 looks at the `containerPort` instead,
which only matters to the container's own user.

## Why it matters
Ports below 1024 are where the host's well-known services listen (SSH, DNS, HTTP, SMTP), and
only root may normally bind them. Publishing a container on one lets it take the place of a
host service and receive traffic clients trust. Bind a high port, and let a load balancer or
reverse proxy own the well-known one.

## Example
```yaml
services:
  web:
    image: example/web:1.0
    ports:
      - "80:8080"
```
Use instead:
```yaml
services:
  web:
    image: example/web:1.0
    ports:
      - "127.0.0.1:8080:8080"
```
"#,
    enabled_by_default: true,
};
