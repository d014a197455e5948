//! PC1002: sudo used in a build step.

use super::Rule;
use crate::finding::Severity;

pub static SUDO_USAGE: Rule = Rule {
    code: "PC1002",
    name: "sudo-usage",
    summary: "A build step runs a command through sudo",
    severity: Severity::Error,
    tags: &["security"],
    aliases: &["DL3004", "DS-0010", "CKV2_DOCKER_1", "DKL-DI-0001"],
    help: r#"## What it catches
`sudo` as a command anywhere in a `RUN` script: after `&&`, in pipelines, inside `sh -c`, and
in heredoc scripts.

In images (`portcullis scan`), the same in the `RUN` steps the image history records.

## Why it matters
`sudo` has unpredictable TTY and signal behaviour inside containers, and keeping it in an image
gives anyone who gets a shell a ready way to root. Build steps already run as whatever `USER`
says; switch with `USER` around the step, and use `gosu` or `su-exec` if an entrypoint must
drop privileges.

## Example
```dockerfile
USER app
RUN sudo apt-get install -y curl
```
Use instead:
```dockerfile
USER root
RUN apt-get install -y curl
USER app
```
"#,
    enabled_by_default: true,
};
