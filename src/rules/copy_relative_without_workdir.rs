//! PC8008: COPY/ADD to a relative destination before any WORKDIR.

use super::Rule;
use crate::finding::Severity;

pub static COPY_RELATIVE_WITHOUT_WORKDIR: Rule = Rule {
    code: "PC8008",
    name: "copy-relative-without-workdir",
    summary: "COPY or ADD writes to a relative destination while no WORKDIR is set",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DL3045"],
    help: r#"## What it catches
A `COPY` or `ADD` whose destination, after resolving `ARG` and `ENV` values, is a relative
path (such as `.` or `app/`) when no `WORKDIR` comes before it in the stage or in the
earlier stages it is built `FROM`. A destination that starts with a variable whose value is
not known is taken to be absolute. hadolint checks `COPY` only, so its id is attached to
`COPY` findings only.

## Why it matters
A relative destination is resolved against the working directory of the base image, which
the Dockerfile does not show and which changes when the base image does (it is `/` for most
images, something else for many language images). Set `WORKDIR` first or give an absolute
path, so the files land where the rest of the Dockerfile expects them.

## Example
```dockerfile
FROM python:3.12-slim
COPY requirements.txt .
```
Use instead:
```dockerfile
FROM python:3.12-slim
WORKDIR /srv/app
COPY requirements.txt .
```
"#,
    enabled_by_default: true,
};
