//! PC1003: a file in the image has the setuid or setgid bit, or a build step sets it.

use super::Rule;
use crate::finding::Severity;

pub static CHMOD_SETUID: Rule = Rule {
    code: "PC1003",
    name: "setuid-setgid-bit",
    summary: "A file in the image has the setuid or setgid bit, or a build step sets it",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:4.8", "CIS-Docker-1.7.0:4.8"],
    aliases: &["CIS-DI-0008"],
    help: r#"## What it catches
- **Dockerfile**: `chmod` with a symbolic mode that adds `s` (`u+s`, `g+s`, `+s`) or an octal
  mode whose special digit includes 4 (setuid) or 2 (setgid), such as `4755` or `2755`, in a
  `RUN` script; and `COPY`/`ADD --chmod` with such a mode.
- **Images**: every regular file of the final filesystem with the setuid or setgid bit, with
  its owner, mode and the layer that introduced it. The account tools base images ship in
  `/bin`, `/sbin`, `/usr/bin` and `/usr/sbin` (`passwd`, `su`, `chsh`, `chfn`, `gpasswd`,
  `newgrp`, `mount`, `umount`, `unix_chkpwd`, `expiry`, `chage`) are expected and not reported;
  `setuid-allowed` under `[image]` in `.portcullis.toml` replaces that list (absolute paths or
  globs).

## Why it matters
A setuid-root file runs with root's rights whoever starts it: a bug in it is a privilege
escalation. The CIS Docker Benchmark (4.8) asks images to carry only the setuid and setgid
files they really need.

## Example
```dockerfile
RUN chmod u+s /usr/local/bin/helper
```
Use instead: give the helper the one capability it needs, or run it from a process that
already has the rights, and keep its mode at `0755`.
"#,
    enabled_by_default: true,
};
