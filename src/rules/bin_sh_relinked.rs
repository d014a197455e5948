//! PC8041: a RUN replaces /bin/sh with a link to another shell.

use super::Rule;
use crate::finding::Severity;

pub static BIN_SH_RELINKED: Rule = Rule {
    code: "PC8041",
    name: "bin-sh-relinked",
    summary: "A RUN replaces /bin/sh with a link instead of using SHELL",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DL4005"],
    help: r#"## What it catches
`ln` in a `RUN` script whose link name is `/bin/sh` (such as `ln -sf /bin/bash /bin/sh`). The
finding points at `/bin/sh`.

## Why it matters
The goal is usually to run the following `RUN` scripts with bash. Relinking `/bin/sh` does
that by changing the image for everyone: the base image's own scripts, package maintainer
scripts and anything run with `sh` at runtime now get a different shell than their authors
tested, and a package update can put the original link back. `SHELL` changes the shell of
the build steps only, and says so where a reader looks for it.

## Example
```dockerfile
RUN ln -sf /bin/bash /bin/sh
RUN source /opt/env.sh && make
```
Use instead:
```dockerfile
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN source /opt/env.sh && make
```
"#,
    enabled_by_default: true,
};
