//! PC8020: an EXPOSE port spec the builder cannot read.

use super::Rule;
use crate::finding::Severity;

pub static EXPOSE_PORT_INVALID: Rule = Rule {
    code: "PC8020",
    name: "expose-port-invalid",
    summary: "An EXPOSE port is out of range, malformed or uses an unknown protocol",
    severity: Severity::Error,
    tags: &["correctness"],
    aliases: &["DL3011", "DS-0008"],
    help: r#"## What it catches
A port spec of `EXPOSE` that the builder rejects:
- a port number above 65535 (`EXPOSE 80000`), or a range whose end is above it or below its
  start (`EXPOSE 8000-70000`, `EXPOSE 9000-8000`); these findings answer to hadolint's DL3011
  and Trivy's DS-0008;
- a port that is not a number or range (`EXPOSE http`, `EXPOSE 80-90-100`), a protocol other
  than `tcp`, `udp` or `sctp` (`EXPOSE 53/dns`), an invalid IP address before the ports, or a
  host port range whose size differs from the container range.

Variables are resolved through the stage's `ARG` and `ENV` values first; a spec whose value
cannot be known is skipped.

## Why it matters
Valid ports run from 0 to 65535. BuildKit stops the build at an `EXPOSE` it cannot read, and a
spec that other tools accept silently documents a port that does not exist.

## Example
```dockerfile
EXPOSE 80800
```
Use instead:
```dockerfile
EXPOSE 8080
```
"#,
    enabled_by_default: true,
};
