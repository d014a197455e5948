//! PC0002: an instruction BuildKit does not know.

use super::Rule;
use crate::finding::Severity;

pub static INVALID_INSTRUCTION: Rule = Rule {
    code: "PC0002",
    name: "unknown-instruction",
    summary: "The instruction is not one that BuildKit knows",
    severity: Severity::Error,
    tags: &["correctness"],
    aliases: &[],
    help: r#"## What it catches
A line whose first word is not a Dockerfile instruction: usually a misspelling (`RUNN`,
`COPPY`), or a shell command left on its own line because the previous line forgot its
trailing backslash.

## Why it matters
BuildKit stops with `unknown instruction`. The message names the closest real instruction.

## Example
```dockerfile
RUN apt-get update &&
    apt-get install -y curl
```
Use instead:
```dockerfile
RUN apt-get update && \
    apt-get install -y curl
```
"#,
    enabled_by_default: true,
};
