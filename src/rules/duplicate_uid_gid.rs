//! PC1014: several accounts or groups of the image share a numeric id.

use super::Rule;
use crate::finding::Severity;

pub static DUPLICATE_UID_GID: Rule = Rule {
    code: "PC1014",
    name: "duplicate-uid-gid",
    summary: "Several accounts or groups in the image share a user or group id",
    severity: Severity::Warning,
    tags: &["security"],
    aliases: &["DKL-LI-0002"],
    help: r#"## What it catches
User ids shared by several accounts of the final image's `/etc/passwd`, and group ids shared
by several groups of its `/etc/group`. Each shared id is reported once, with the names that
share it.

## Why it matters
The kernel knows only numbers: accounts with the same UID are the same user, whatever their
names, and own each other's files. A second account with UID 0 is a second root that audits
and `USER` reviews overlook, and a shared GID gives one group's members another's files.
Duplicates usually come from `useradd --non-unique`/`-o`, or from appending lines to the
account files by hand.

## Example
```dockerfile
FROM debian:12-slim
RUN useradd --non-unique --uid 0 admin
```
Use instead: give every account and group its own id:
```dockerfile
FROM debian:12-slim
RUN useradd --system --uid 10001 app
USER 10001
```
"#,
    enabled_by_default: true,
};
