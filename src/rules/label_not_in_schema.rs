//! PC9031: a label outside the configured schema while strict labels are on.

use super::Rule;
use crate::finding::Severity;

pub static LABEL_NOT_IN_SCHEMA: Rule = Rule {
    code: "PC9031",
    name: "label-not-in-schema",
    summary: "A LABEL sets a key that the strict label schema does not list",
    severity: Severity::Info,
    tags: &["maintainability"],
    aliases: &["DL3050"],
    help: r#"## What it catches
With `strict-labels = true`, every `LABEL` key that the label schema does not name, at the key.
Off unless strict labels are configured.

## Why it matters
A strict schema keeps label names uniform across teams, so tools that read them find them:
`org.opencontainers.image.source` rather than `source`, `repo` or `git-url` depending on who
wrote the Dockerfile.

## Example
With `label-schema = { "org.opencontainers.image.source" = "url" }` and `strict-labels = true`:
```dockerfile
LABEL repo="https://example.com/team/app"
```
Use instead:
```dockerfile
LABEL org.opencontainers.image.source="https://example.com/team/app"
```
"#,
    enabled_by_default: false,
};
