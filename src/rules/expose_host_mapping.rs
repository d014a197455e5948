//! PC8021: EXPOSE with a host address or a host port.

use super::Rule;
use crate::finding::Severity;

pub static EXPOSE_HOST_MAPPING: Rule = Rule {
    code: "PC8021",
    name: "expose-host-mapping",
    summary: "EXPOSE names a host IP address or host port, which only publishing can set",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["ExposeInvalidFormat"],
    help: r#"## What it catches
An `EXPOSE` port spec in the `docker run -p` format: with a host port
(`EXPOSE 8080:80`) or a host IP address (`EXPOSE 127.0.0.1:8080:80`, `EXPOSE [::1]:80:80`).
Variables are resolved through the stage's `ARG` and `ENV` values first.

## Why it matters
`EXPOSE` only records which ports the container listens on; it cannot publish anything on the
host. The builder drops the address and the host port, keeps the container port, and warns
that the format will become an error. The mapping belongs to whoever runs the container
(`docker run -p`, Compose `ports`, a Kubernetes Service).

## Example
```dockerfile
EXPOSE 127.0.0.1:8080:80
```
Use instead:
```dockerfile
EXPOSE 80
```
and publish it with `docker run -p 127.0.0.1:8080:80 image`.
"#,
    enabled_by_default: true,
};
