//! PC5016: the image declares a volume on /sys, /dev or /proc.

use super::Rule;
use crate::finding::Severity;

pub static VOLUME_ON_SYSTEM_PATH: Rule = Rule {
    code: "PC5016",
    name: "volume-on-system-path",
    summary: "The image declares a volume on /sys, /dev or /proc",
    severity: Severity::Warning,
    tags: &["security"],
    aliases: &["DKL-DI-0002"],
    help: r#"## What it catches
An image whose configuration (`VOLUME` in its Dockerfile, or in a base image's) declares a
volume at `/sys`, `/dev` or `/proc`, or below them.

## Why it matters
These paths are where the kernel and the engine expose devices and process information to the
container. A volume there hides what the engine mounts (the masked and read-only parts of
`/proc` and `/sys`, the device nodes it allows), and whoever runs the container is invited to
bind the host's directory in its place, which hands the container the host's devices or kernel
settings.

## Example
```dockerfile
FROM debian:12-slim
VOLUME /sys/fs/cgroup
```
Use instead: declare volumes only for the application's data, such as `VOLUME /var/lib/app`,
and let the engine manage the system paths.
"#,
    enabled_by_default: true,
};
