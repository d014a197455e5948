//! PC8010: an instruction other than ARG before the first FROM.

use super::Rule;
use crate::finding::Severity;

pub static INSTRUCTION_BEFORE_FROM: Rule = Rule {
    code: "PC8010",
    name: "instruction-before-from",
    summary: "An instruction other than ARG comes before the first FROM",
    severity: Severity::Error,
    tags: &["correctness"],
    aliases: &["DL3061"],
    help: r#"## What it catches
Any instruction before the first `FROM` other than `ARG`. Comments and parser directives
(`# syntax=`, `# escape=`, `# check=`) may come first; unknown instructions are reported by
`invalid-instruction` instead.

## Why it matters
Until a `FROM` starts a stage there is no image to run or change; only `ARG` declarations
(which `FROM` lines can use) are allowed there. The builder stops at such a line.

## Example
```dockerfile
LABEL org.opencontainers.image.source="https://example.com/app"
FROM alpine:3.20
```
Use instead:
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="https://example.com/app"
```
"#,
    enabled_by_default: true,
};
