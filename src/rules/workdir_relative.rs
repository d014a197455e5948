//! PC4005: WORKDIR with a relative path.

use super::Rule;
use crate::finding::Severity;

pub static WORKDIR_RELATIVE: Rule = Rule {
    code: "PC4005",
    name: "workdir-relative",
    summary: "WORKDIR is set to a relative path",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DL3000", "WorkdirRelativePath", "DS-0009", "CKV_DOCKER_10"],
    help: r#"## What it catches
A `WORKDIR` whose path, after resolving `ARG` and `ENV` values, does not start with `/` (or a
Windows drive such as `C:\`).

## Why it matters
A relative `WORKDIR` is resolved against whatever the previous one was, which may come from
the base image and change when it does. An absolute path says where files go.

## Example
```dockerfile
WORKDIR app
```
Use instead:
```dockerfile
WORKDIR /srv/app
```
"#,
    enabled_by_default: true,
};
