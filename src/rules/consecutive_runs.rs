//! PC4024: short RUN instructions in a row that could be one.

use super::Rule;
use crate::finding::Severity;

pub static CONSECUTIVE_RUNS: Rule = Rule {
    code: "PC4024",
    name: "consecutive-runs",
    summary: "Short RUN instructions with the same flags follow each other",
    severity: Severity::Info,
    tags: &["hygiene"],
    aliases: &["DL3059"],
    help: r#"## What it catches
A `RUN` that directly follows another `RUN` (comments in between do not count) with exactly the
same flags, when both scripts have at most two commands. The later `RUN` is reported. Exec-form
`RUN ["…"]` and `RUN` instructions with heredoc scripts are left alone, since they are usually
written that way on purpose.

## Why it matters
Each `RUN` makes a layer. Short steps in a row add layers, and with them size and pull time:
a file created in one layer and removed in the next still ships in the first. Joining them with
`&&` makes one layer and keeps related commands together. Keep steps apart when they change at
different rates and you want the build cache to reuse the first one.

## Example
```dockerfile
RUN mkdir -p /srv/app
RUN chown app /srv/app
```
Use instead:
```dockerfile
RUN mkdir -p /srv/app && chown app /srv/app
```
"#,
    enabled_by_default: true,
};
