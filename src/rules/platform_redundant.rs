//! PC8006: FROM --platform=$TARGETPLATFORM.

use super::Rule;
use crate::finding::Severity;

pub static PLATFORM_REDUNDANT: Rule = Rule {
    code: "PC8006",
    name: "platform-redundant",
    summary: "FROM --platform is set to the target platform, which is already the default",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DL3065", "RedundantTargetPlatform"],
    help: r#"## What it catches
`FROM --platform=$TARGETPLATFORM` or `FROM --platform=${TARGETPLATFORM}`.

## Why it matters
Every stage is built for the target platform unless told otherwise, so the flag changes
nothing. It suggests a choice was made where none was, and is easily confused with the
`$BUILDPLATFORM` that cross-compiling stages actually need.

## Example
```dockerfile
FROM --platform=$TARGETPLATFORM debian:12-slim
```
Use instead:
```dockerfile
FROM debian:12-slim
```
"#,
    enabled_by_default: true,
};
