//! PC4020: `cd` in a RUN script instead of WORKDIR.

use super::Rule;
use crate::finding::Severity;

pub static CD_INSTEAD_OF_WORKDIR: Rule = Rule {
    code: "PC4020",
    name: "cd-instead-of-workdir",
    summary: "A RUN script changes directory with cd instead of using WORKDIR",
    severity: Severity::Warning,
    tags: &["maintainability"],
    aliases: &["DL3003", "DS-0013"],
    help: r#"## What it catches
`cd` as a command in a `RUN` script, including after `&&`, inside `sh -c`, in heredoc scripts
and in `ONBUILD RUN`. Each `RUN` is reported once, at its first `cd`.

## Why it matters
A `cd` lasts only until the end of its `RUN`: the next instruction starts again in the
directory that `WORKDIR` set. Scripts that hop around with `cd` hide where files end up, break
when a step is split in two, and give later `COPY`, `RUN` and `CMD` instructions a different
directory from the one the reader expects. `WORKDIR` states the directory once, creates it if
needed, and applies to every following instruction. Many tools also take a directory option
(`make -C`, `tar -C`, `git -C`, `npm --prefix`).

## Example
```dockerfile
RUN cd /src/app && make install
```
Use instead:
```dockerfile
WORKDIR /src/app
RUN make install
```
"#,
    enabled_by_default: true,
};
