//! PC8042: a pipeline in a RUN hides the failure of its first commands.

use super::Rule;
use crate::finding::Severity;

pub static PIPE_FAILURE_MASKED: Rule = Rule {
    code: "PC8042",
    name: "pipe-failure-masked",
    summary: "A RUN pipeline runs without pipefail, so only its last command can fail the build",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DL4006"],
    help: r#"## What it catches
A pipeline (`a | b`) in a `RUN` script when `pipefail` is not on. It is on when the `SHELL` in
effect is bash, zsh, ash or ksh started with `-o pipefail` (`SHELL` set earlier in the stage or
in the stage it is built from), when the script runs `set -o pipefail` (`set -euo pipefail`)
before the pipeline, or when the pipeline runs inside `bash -o pipefail -c '…'`. A heredoc
script with its own `#!` line runs under that interpreter, so the `SHELL`'s options do not
reach it. Stages whose `SHELL` is PowerShell or `cmd` are left alone.

Each `RUN` is reported once: at its first pipeline whose producer can really fail (`curl`,
`tar`…), else at its first pipeline. A pipeline fed only by `echo`, `printf`, `yes` or `true`
(`echo "$SUM  file" | sha256sum -c -`, `echo 'user:pw' | chpasswd`) is reported with a note
that the risk is low; for `yes`, whose SIGPIPE would fail the pipeline under pipefail, the
message suggests the consumer's own non-interactive option instead. For `ONBUILD RUN`, the
`SHELL` in effect at the end of the stage counts, since that is what the image passes on.

## Why it matters
A shell reports a pipeline's exit status as that of its last command. In
`curl -fsSL https://example.com/key | gpg --dearmor -o key.gpg`, a failed download still lets
the step succeed, and the image is built with an empty or broken file. With `pipefail`, any
failing command fails the pipeline and the build stops where the problem is.

## Example
```dockerfile
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
```
Use instead:
```dockerfile
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
```
"#,
    enabled_by_default: true,
};
