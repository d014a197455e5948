//! PC0008: ShellCheck's findings in RUN scripts (`lint --shellcheck`).

use super::Rule;
use crate::finding::Severity;

pub static SHELL_SCRIPT_PROBLEM: Rule = Rule {
    code: "PC0008",
    name: "shell-script-problem",
    summary: "ShellCheck reports a problem in a RUN script",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &[],
    help: r#"## What it catches
What ShellCheck finds in the shell scripts of `RUN` (shell form, `ONBUILD RUN`, and heredoc
scripts run by a POSIX shell or bash): unquoted expansions, unset variables, bashisms under
`/bin/sh`, broken tests and the rest of ShellCheck's catalogue. Each finding carries its
ShellCheck code (`SC2086`…) as its id, so `--disable SC2086`, `# hadolint ignore=SC2086` and
`# portcullis ignore=SC2086` work, and its severity follows ShellCheck's level (error,
warning, info, style). Unlike hadolint, the position is the real line and column inside the
`RUN`, on continuation lines and inside heredocs.

The script is checked as the build would run it: with the shebang of the stage's `SHELL`
(`/bin/sh` by default) and every ARG and ENV name in scope (and the proxy variables) declared,
so variables the build defines are not reported as unset. Scripts for PowerShell or `cmd` are
skipped, and so are SC1090 and SC1091 (files sourced at build time are not available) and
SC2187.

Runs when `shellcheck` is installed (`--shellcheck auto`, the default); `--shellcheck off`
skips it, `--shellcheck required` makes a missing `shellcheck` an error.

## Why it matters
A `RUN` script is a shell script that runs once, unattended, at build time: a word-splitting bug
or a failed command hidden in a pipeline becomes a broken image that still builds.

## Example
```dockerfile
RUN for f in $(ls /opt/app/*.sh); do sh $f; done
```
Use instead:
```dockerfile
RUN for f in /opt/app/*.sh; do sh "$f"; done
```
"#,
    enabled_by_default: true,
};
