//! PC4002: the final image has no HEALTHCHECK.

use super::Rule;
use crate::finding::Severity;

pub static MISSING_HEALTHCHECK: Rule = Rule {
    code: "PC4002",
    name: "missing-healthcheck",
    summary: "The final image defines no HEALTHCHECK",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:4.6"],
    aliases: &["DS-0026", "CKV_DOCKER_2", "CIS-DI-0006", "DL3057"],
    help: r#"## What it catches
The stage that becomes the image (the last one) has no `HEALTHCHECK` of its own and does not
inherit one from an earlier stage it is built `FROM`. `HEALTHCHECK NONE` is a decision and is
not reported.

## Why it matters
Without a health check the engine only knows whether the process exists, not whether it
works: a hung server keeps receiving traffic and is never restarted. The CIS Docker Benchmark
(4.6) asks for one in every image.

## Example
```dockerfile
FROM nginx:1.27
COPY site /usr/share/nginx/html
```
Use instead:
```dockerfile
FROM nginx:1.27
COPY site /usr/share/nginx/html
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost/ || exit 1
```
"#,
    enabled_by_default: true,
};
