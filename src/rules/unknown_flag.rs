//! PC0003: a flag the instruction does not accept.

use super::Rule;
use crate::finding::Severity;

pub static UNKNOWN_FLAG: Rule = Rule {
    code: "PC0003",
    name: "unknown-flag",
    summary: "The instruction is given a flag or flag value it does not accept",
    severity: Severity::Error,
    tags: &["correctness"],
    aliases: &[],
    help: r#"## What it catches
A flag that the instruction does not take (`COPY --chmown`), or a value BuildKit rejects, such
as an unknown `--mount` type or key, `--network=bridge`, or `--security=privileged`.

## Why it matters
BuildKit refuses to build. Other linters stop reading the file at the first unknown flag;
Portcullis reports it and checks the rest.

## Example
```dockerfile
RUN --mount=type=cache,targte=/root/.cache pip install -r requirements.txt
```
Use instead:
```dockerfile
RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt
```
"#,
    enabled_by_default: true,
};
