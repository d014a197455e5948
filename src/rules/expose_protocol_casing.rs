//! PC9010: EXPOSE protocol written in upper or mixed case.

use super::Rule;
use crate::finding::Severity;

pub static EXPOSE_PROTOCOL_CASING: Rule = Rule {
    code: "PC9010",
    name: "expose-protocol-casing",
    summary: "The protocol of an EXPOSE port is not written in lower case",
    severity: Severity::Style,
    tags: &["maintainability"],
    aliases: &["ExposeProtoCasing"],
    help: r#"## What it catches
An `EXPOSE` port whose protocol suffix is `tcp`, `udp` or `sctp` in anything but lower case:
`EXPOSE 80/TCP`, `EXPOSE 53/Udp`. The finding points at the protocol.

## Why it matters
The builder accepts any casing and stores the protocol in lower case, so `80/TCP` works but
reads differently from what ends up in the image configuration, and tools that compare port
specs as text treat `80/TCP` and `80/tcp` as different ports.

## Example
```dockerfile
EXPOSE 8080/TCP
```
Use instead:
```dockerfile
EXPOSE 8080/tcp
```
"#,
    enabled_by_default: true,
};
