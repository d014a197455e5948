//! PC8026: WORKDIR on a directory the kernel or the engine mounts over.

use super::Rule;
use crate::finding::Severity;

pub static WORKDIR_ON_SYSTEM_PATH: Rule = Rule {
    code: "PC8026",
    name: "workdir-on-system-path",
    summary: "WORKDIR is a system directory such as /proc or /dev",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DS-0030"],
    help: r#"## What it catches
A `WORKDIR` that is, or lies under, `/proc`, `/boot`, `/dev`, `/initrd` or `/lost+found`.
The path is resolved through the stage's `ARG` and `ENV` values and normalised (`/srv/../proc`
is `/proc`) first. A value that depends on a variable whose value cannot be known is reported
only when its known beginning already places it under one of these directories.

## Why it matters
These directories belong to the system. At run time the engine mounts `procfs` on `/proc`
and a `tmpfs` with device nodes on `/dev`, hiding whatever the build wrote there, and
`/boot`, `/initrd` and `/lost+found` are left over from host file systems. Files of the
application placed there vanish, or end up mixed with files the system owns.

## Example
```dockerfile
WORKDIR /dev/app
```
Use instead:
```dockerfile
WORKDIR /srv/app
```
"#,
    enabled_by_default: true,
};
