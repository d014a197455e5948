//! PC8051: FROM uses an ARG that is not declared before the first FROM.

use super::Rule;
use crate::finding::Severity;

pub static UNDEFINED_ARG_IN_FROM: Rule = Rule {
    code: "PC8051",
    name: "undefined-arg-in-from",
    summary: "FROM uses a variable that no ARG before the first FROM declares",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["UndefinedArgInFrom"],
    help: r#"## What it catches
A variable in the image or the `--platform` of a `FROM` that is neither declared by an `ARG`
before the first `FROM` nor one of the platform arguments BuildKit predefines
(`TARGETPLATFORM`, `BUILDARCH`…). The finding points at the variable and suggests the closest
declared name.

## Why it matters
`FROM` lines only see global `ARG`s. An `ARG` declared inside a stage, or a misspelt name,
expands to nothing, so the build pulls another image than intended (`FROM node:$NODE_VERSON`
is `node:`) or fails.

## Example
```dockerfile
ARG NODE_VERSION=20
FROM node:${NODE_VERSON}-slim
```
Use instead:
```dockerfile
ARG NODE_VERSION=20
FROM node:${NODE_VERSION}-slim
```
"#,
    enabled_by_default: true,
};
