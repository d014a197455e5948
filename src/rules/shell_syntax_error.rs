//! PC0010: a RUN script the shell cannot parse.

use super::Rule;
use crate::finding::Severity;

pub static SHELL_SYNTAX_ERROR: Rule = Rule {
    code: "PC0010",
    name: "shell-syntax-error",
    summary: "A RUN script has a shell syntax error, so the step fails when it is built",
    severity: Severity::Error,
    tags: &["correctness"],
    aliases: &["SC1009", "SC1072", "SC1073"],
    help: r#"## What it catches
Shell scripts of `RUN` steps that a POSIX shell or bash refuses before running anything: a
quote, `$(`, `${` or backquote that is never closed, an `if` without `fi`, a loop without
`done`, a `case` without `esac`, a `{` without `}`, a pipe or `&&` with no command after it, a
here-document that never ends. It reads shell-form `RUN` lines (also after `ONBUILD`), the
script of `RUN ["sh", "-c", "…"]`, command substitutions, and heredoc bodies run by a POSIX
shell (by `#!` line, by the shell named on the `RUN` line, or by `SHELL`). The finding points
at the line and column where the problem is, inside continued lines and heredoc bodies too.

Only scripts run by `sh`, `bash`, `dash`, `ash` or busybox are checked: not those of a
PowerShell, cmd, zsh or ksh `SHELL`, of a Windows base image without a `SHELL`, or after a
`# hadolint shell=powershell` comment. The other rules still see the commands of a broken
script, split the simple way at `&&`, `;` and pipes.

## Why it matters
The build stops at this step with a shell error, often after a long download or compile in
earlier steps, and the message the shell prints points at the joined line, not at the line you
wrote. Catching it in review saves a build round trip.

## Example
```dockerfile
RUN if [ -f /etc/debian_version ]; then \
      apt-get update; \
    done
```
Use instead:
```dockerfile
RUN if [ -f /etc/debian_version ]; then \
      apt-get update; \
    fi
```
"#,
    enabled_by_default: true,
};
