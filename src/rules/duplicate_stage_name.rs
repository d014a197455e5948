//! PC8003: two stages share a name.

use super::Rule;
use crate::finding::Severity;

pub static DUPLICATE_STAGE_NAME: Rule = Rule {
    code: "PC8003",
    name: "duplicate-stage-name",
    summary: "Two FROM instructions give their stages the same name",
    severity: Severity::Error,
    tags: &["correctness"],
    aliases: &["DL3024", "DuplicateStageName", "DS-0012", "CKV_DOCKER_11"],
    help: r#"## What it catches
A `FROM … AS <name>` whose name an earlier stage already uses. Names are compared without
regard to case, as the builder compares them, so `AS Build` and `AS build` clash. The finding
points at the second name and says where the first one is.

## Why it matters
`COPY --from=<name>`, `FROM <name>` and `--target <name>` can each refer to only one stage.
With two stages of that name, which one is meant is decided by the builder, not by the
reader, and different tools decide differently.

## Example
```dockerfile
FROM node:20 AS build
RUN npm ci && npm run build
FROM golang:1.22 AS build
RUN go build ./...
```
Use instead:
```dockerfile
FROM node:20 AS web-build
RUN npm ci && npm run build
FROM golang:1.22 AS api-build
RUN go build ./...
```
"#,
    enabled_by_default: true,
};
