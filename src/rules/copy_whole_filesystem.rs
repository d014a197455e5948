//! PC8007: COPY --from=<stage> / /.

use super::Rule;
use crate::finding::Severity;

pub static COPY_WHOLE_FILESYSTEM: Rule = Rule {
    code: "PC8007",
    name: "copy-whole-filesystem",
    summary: "COPY --from copies the whole filesystem of another stage or image",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DL3067"],
    help: r#"## What it catches
A `COPY --from=…` with `/` among its sources and `/` as its destination.

## Why it matters
Copying a whole root filesystem over another one carries everything along: package
databases, caches, compilers, shells and files that overwrite the target's own `/etc`. The
point of a multi-stage build, a small final image with only what it needs, is lost, and the
result is hard to reason about. Copy the directories the image needs.

## Example
```dockerfile
FROM debian:12 AS build
RUN make install DESTDIR=/out
FROM gcr.io/distroless/base
COPY --from=build / /
```
Use instead:
```dockerfile
FROM debian:12 AS build
RUN make install DESTDIR=/out
FROM gcr.io/distroless/base
COPY --from=build /out/usr/local/bin/ /usr/local/bin/
```
"#,
    enabled_by_default: true,
};
