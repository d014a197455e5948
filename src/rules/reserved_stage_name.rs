//! PC8004: a stage named `scratch` or `context`.

use super::Rule;
use crate::finding::Severity;

pub static RESERVED_STAGE_NAME: Rule = Rule {
    code: "PC8004",
    name: "reserved-stage-name",
    summary: "A stage is named with a word the builder reserves",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DL3063", "ReservedStageName"],
    help: r#"## What it catches
A `FROM … AS scratch` or `FROM … AS context` (in any case).

## Why it matters
`scratch` already means the empty image and `context` is how named build contexts are
referred to. A stage with one of these names makes `FROM scratch` or `COPY --from=context`
mean something else than every reader expects, depending on the builder.

## Example
```dockerfile
FROM alpine:3.20 AS scratch
RUN apk add --no-cache ca-certificates
```
Use instead:
```dockerfile
FROM alpine:3.20 AS certs
RUN apk add --no-cache ca-certificates
```
"#,
    enabled_by_default: true,
};
