//! PC8001: COPY --from names no earlier stage.

use super::Rule;
use crate::finding::Severity;

pub static COPY_FROM_UNKNOWN_STAGE: Rule = Rule {
    code: "PC8001",
    name: "copy-from-unknown-stage",
    summary: "COPY --from names neither an earlier stage nor an image",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DL3022"],
    help: r#"## What it catches
A `COPY --from=<value>` (after resolving `ARG` and `ENV` values) where the value
- is not the name of a stage defined before the `COPY` and does not look like an image
  reference (it has no `:`, `/` or `@`), or
- names a stage that is only defined further down the file, or
- is a stage number that is not lower than the number of the current stage (stages count
  from 0 in file order).

A `--from` that names the current stage by name is reported by `copy-from-own-stage`.

## Why it matters
When no stage has the name, the builder quietly treats it as an image and tries to pull it
from a registry: a typo in a stage name becomes a pull of some unrelated public image, or a
confusing "not found" error. A stage can only copy from stages that come before it.

## Example
```dockerfile
FROM golang:1.22 AS build
RUN go build -o /out/app ./cmd/app
FROM gcr.io/distroless/static
COPY --from=bulid /out/app /app
```
Use instead:
```dockerfile
FROM golang:1.22 AS build
RUN go build -o /out/app ./cmd/app
FROM gcr.io/distroless/static
COPY --from=build /out/app /app
```
"#,
    enabled_by_default: true,
};
