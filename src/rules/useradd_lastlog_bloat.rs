//! PC4022: useradd with a large UID and without --no-log-init.

use super::Rule;
use crate::finding::Severity;

pub static USERADD_LASTLOG_BLOAT: Rule = Rule {
    code: "PC4022",
    name: "useradd-lastlog-bloat",
    summary: "useradd creates a user with a large UID without --no-log-init",
    severity: Severity::Warning,
    tags: &["hygiene"],
    aliases: &["DL3046"],
    help: r#"## What it catches
`useradd -u <uid>` (or `--uid`) in a `RUN` script where the UID has more than five digits and
neither `-l` nor `--no-log-init` is given. A UID taken from an `ARG` or `ENV` with a known value
is checked too. The finding points at the UID.

## Why it matters
`useradd` records every user in `/var/log/lastlog` and `/var/log/faillog`, files indexed by
UID. For a UID such as `1000000` they become sparse files of hundreds of megabytes. A sparse
file takes no disk space on the host, but image layers are tar archives that store every byte,
so the layer (and every pull of the image) grows by the full size. `--no-log-init` skips those
records, which a container does not need.

## Example
```dockerfile
RUN useradd -u 1000000 app
```
Use instead:
```dockerfile
RUN useradd --no-log-init -u 1000000 app
```
"#,
    enabled_by_default: true,
};
