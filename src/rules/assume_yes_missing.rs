//! PC4010: a package manager left to ask for confirmation.

use super::Rule;
use crate::finding::Severity;

pub static ASSUME_YES_MISSING: Rule = Rule {
    code: "PC4010",
    name: "assume-yes-missing",
    summary: "A package manager command waits for a confirmation nobody can give",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DL3014", "DL3030", "DL3034", "DL3038", "DS-0021"],
    help: r#"## What it catches
A package manager command in a `RUN` that asks "continue? [y/N]" before it changes anything,
given without the option that answers yes; the finding points at the subcommand:
- `apt-get` (or `apt`, `aptitude`) `install`, `reinstall`, `remove`, `purge`, `autoremove`,
  `upgrade`, `dist-upgrade`, `full-upgrade` or `build-dep` without `-y`, `--yes`,
  `--assume-yes`, `-qq` (`-q -q`, `-q=2`) or `-o APT::Get::Assume-Yes=true`;
- `yum`, `dnf` or `microdnf` `install`, `groupinstall`, `localinstall`, `reinstall`, `remove`,
  `erase`, `upgrade`, `update`, `downgrade` or `distro-sync` without `-y` or `--assumeyes`;
- `zypper` `install`/`in`, `remove`/`rm`, `source-install`/`si`, `patch`, `update`/`up` or
  `dist-upgrade`/`dup` without `-n`/`--non-interactive` (before the subcommand) or
  `-y`/`--no-confirm`.

A command fed by `yes |` is answered and not reported.

## Why it matters
A build has no terminal: the question reads end-of-file and the package manager aborts, so the
build fails, or, with some managers and versions, hangs until it times out. Answering in the
command keeps the step working the same way everywhere.

## Example
```dockerfile
RUN apt-get update && apt-get install --no-install-recommends curl
```
Use instead:
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```
"#,
    enabled_by_default: true,
};
