//! PC1012: a file or directory in the image is writable by every user.

use super::Rule;
use crate::finding::Severity;

pub static WORLD_WRITABLE_FILE: Rule = Rule {
    code: "PC1012",
    name: "world-writable-file",
    summary: "A file or directory in the image is writable by every user",
    severity: Severity::Warning,
    tags: &["security"],
    aliases: &[],
    help: r#"## What it catches
Regular files and directories of an image's final filesystem whose mode gives write permission
to others (`o+w`, such as `0666`, `0777` or `1777`), outside the shared temporary directories
`/tmp`, `/var/tmp`, `/dev/shm`, `/run/lock` and `/var/lock`. Symbolic links (always `0777`)
and device nodes are not reported. Findings are grouped by the layer that introduced the
paths.

In Dockerfiles, the instructions that set such modes: `chmod` in a `RUN` script (octal modes
such as `777` or `0666`, or symbolic ones such as `a+w`, `o+w`, `o=rwx`, with or without `-R`),
`mkdir -m` and `install -m` with such a mode, and `COPY --chmod`/`ADD --chmod`. The finding
points at the mode. Paths that are all in the shared temporary directories above are not
reported.

## Why it matters
Any user of the container, including the unprivileged one it should run as, can change a
world-writable program, script or configuration file, and whoever runs it next (often root,
or the application) runs the changed version. A world-writable directory lets anyone replace
the files in it. Such modes usually come from a blanket `chmod -R 777` that was meant to fix
a permission error.

## Example
```dockerfile
FROM debian:12-slim
COPY app /opt/app
RUN chmod -R 777 /opt/app
USER 10001
```
Use instead: give the files to the user that needs to write them, and only what it writes:
```dockerfile
FROM debian:12-slim
COPY app /opt/app
RUN mkdir /opt/app/data && chown 10001:10001 /opt/app/data
USER 10001
```
"#,
    enabled_by_default: true,
};
