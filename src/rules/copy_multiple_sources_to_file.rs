//! PC8009: several sources copied to a destination that is not a directory.

use super::Rule;
use crate::finding::Severity;

pub static COPY_MULTIPLE_SOURCES_TO_FILE: Rule = Rule {
    code: "PC8009",
    name: "copy-multiple-sources-to-file",
    summary: "COPY or ADD has several sources but its destination does not end with a slash",
    severity: Severity::Error,
    tags: &["correctness"],
    aliases: &["DL3021", "DS-0011"],
    help: r#"## What it catches
A `COPY` or `ADD` (shell or JSON form, heredoc sources included) with more than one source
whose destination, after resolving `ARG` and `ENV` values, does not end with `/`, also as an
`ONBUILD` trigger. hadolint and Trivy check the `COPY` instructions of the file's own stages
only, so their ids are attached to those findings only.

## Why it matters
With several sources the destination must be a directory, and the builder only accepts one
spelled with a trailing slash: the build stops with an error at this line.

## Example
```dockerfile
COPY package.json package-lock.json /srv/app
```
Use instead:
```dockerfile
COPY package.json package-lock.json /srv/app/
```
"#,
    enabled_by_default: true,
};
