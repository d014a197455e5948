//! PC4012: the interactive `apt` front end used in a build script.

use super::Rule;
use crate::finding::Severity;

pub static APT_IN_SCRIPT: Rule = Rule {
    code: "PC4012",
    name: "apt-in-script",
    summary: "A build step runs apt, whose command line is meant for people rather than scripts",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DL3027", "CKV_DOCKER_9"],
    help: r#"## What it catches
The `apt` command run in a `RUN` (also through `sudo`, `env`, `sh -c` and in heredoc scripts),
pointed at the `apt` word. `apt-get` and `apt-cache` are not reported.

## Why it matters
`apt` is the interactive front end: its output, progress display and defaults are tuned for a
person at a terminal and may change from one release to the next, and it warns that its
command line is not stable for scripts. `apt-get` and `apt-cache` do the same work with an
interface that Debian and Ubuntu keep stable, so the build behaves the same on every base
image version.

## Example
```dockerfile
RUN apt update && apt install -y --no-install-recommends curl
```
Use instead:
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
```
"#,
    enabled_by_default: true,
};
