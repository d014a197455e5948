//! PC8002: COPY --from names the stage it is in.

use super::Rule;
use crate::finding::Severity;

pub static COPY_FROM_OWN_STAGE: Rule = Rule {
    code: "PC8002",
    name: "copy-from-own-stage",
    summary: "COPY --from names the stage the COPY is in",
    severity: Severity::Error,
    tags: &["correctness"],
    aliases: &["DL3023", "DS-0006"],
    help: r#"## What it catches
A `COPY --from=<name>` inside the stage that is itself called `<name>` (names compare without
regard to case, as the builder compares them).

## Why it matters
A stage cannot copy out of its own result while it is still being built: the builder stops
with a circular dependency error. The intended source is almost always another stage, or the
build context (no `--from` at all).

## Example
```dockerfile
FROM node:20 AS assets
COPY --from=assets /src/dist /srv/dist
```
Use instead:
```dockerfile
FROM node:20 AS assets
RUN npm ci && npm run build
FROM nginx:1.27
COPY --from=assets /src/dist /srv/dist
```
"#,
    enabled_by_default: true,
};
