//! PC9001: a stage name with upper-case letters.

use super::Rule;
use crate::finding::Severity;

pub static STAGE_NAME_CASING: Rule = Rule {
    code: "PC9001",
    name: "stage-name-casing",
    summary: "A stage name contains upper-case letters",
    severity: Severity::Style,
    tags: &["style"],
    aliases: &["StageNameCasing"],
    help: r#"## What it catches
A `FROM … AS <name>` whose name is not all lower case.

## Why it matters
Stage names are case-insensitive: the builder lower-cases them, so `AS Build` is the stage
`build`. Writing them in lower case everywhere keeps `COPY --from`, `FROM <stage>` and
`--target` references looking like the name they resolve to.

## Example
```dockerfile
FROM golang:1.22 AS BuildEnv
```
Use instead:
```dockerfile
FROM golang:1.22 AS buildenv
```
"#,
    enabled_by_default: true,
};
