//! PC8054: a COPY or ADD source is excluded from the build context by .dockerignore.

use super::Rule;
use crate::finding::Severity;

pub static COPY_SOURCE_IGNORED: Rule = Rule {
    code: "PC8054",
    name: "copy-source-ignored",
    summary: "A COPY or ADD source is excluded from the build context by .dockerignore",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["CopyIgnoredFile"],
    help: r#"## What it catches
A source of `COPY` or `ADD` (from the build context, not `--from` a stage or a URL) that the
ignore file excludes, either itself or through one of its parent directories. The ignore file
is `<Dockerfile>.dockerignore` next to the Dockerfile if there is one, else `.dockerignore` in
the build context (the Dockerfile's directory, or `portcullis lint --context DIR`). The
finding names the pattern and its line.

Like BuildKit, the check stays quiet when the ignore file has `!` exceptions, because a file
can be re-included inside an excluded directory.

## Why it matters
The builder never receives ignored files, so the instruction fails with "not found", or — with
a wildcard source — silently copies less than intended.

## Example
```dockerfile
# .dockerignore contains: config/
COPY config/app.yaml /etc/app/
```
Use instead: remove `config/` from `.dockerignore`, or exclude only what must stay out
(`config/*.local.yaml`), then:
```dockerfile
COPY config/app.yaml /etc/app/
```
"#,
    enabled_by_default: true,
};
