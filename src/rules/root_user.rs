//! PC1001: the container runs as root.

use super::Rule;
use crate::finding::Severity;

pub static ROOT_USER: Rule = Rule {
    code: "PC1001",
    name: "root-user",
    summary: "The container runs as root",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:4.1"],
    aliases: &[
        "DL3002",
        "DS-0002",
        "CKV_DOCKER_3",
        "CKV_DOCKER_8",
        "CIS-DI-0001",
    ],
    help: r#"## What it catches
The final stage of a Dockerfile sets no `USER` at all, or its last `USER` is `root`, `0`,
`root:group` or `0:gid`. Values that come from `ARG` or `ENV` are resolved first. A final stage
built `FROM` an earlier stage inherits that stage's `USER`.

## Why it matters
A process running as root inside the container is root on the host's kernel: one escape or
one writable host mount away from the host. Running as an unprivileged user is the first item
of the CIS Docker Benchmark's image section (4.1).

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
"#,
    enabled_by_default: true,
};
