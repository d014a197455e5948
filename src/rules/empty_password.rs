//! PC1013: an account of the image has an empty password.

use super::Rule;
use crate::finding::Severity;

pub static EMPTY_PASSWORD: Rule = Rule {
    code: "PC1013",
    name: "empty-password",
    summary: "An account in the image's /etc/shadow has an empty password",
    severity: Severity::Error,
    tags: &["security"],
    aliases: &["DKL-LI-0001"],
    help: r#"## What it catches
Accounts in the final image's `/etc/shadow` whose password field is empty. Locked or
password-less accounts (`*`, `!`, `!!`, `!*`, or any value starting with `!` or `*`) and
hashed passwords are fine. The finding names the account, never the field's content.

## Why it matters
An empty password field means no password: anyone who reaches a login prompt, `su` or any
other PAM service of the container becomes that user without credentials. An unprivileged
process that can run `su` gets the account's privileges, root's if it is `root`. Such entries
usually come from `passwd -d` or from hand-edited account files meant for debugging.

## Example
```dockerfile
FROM debian:12-slim
RUN passwd -d root
```
Use instead: leave the account locked, and run as an unprivileged user:
```dockerfile
FROM debian:12-slim
RUN useradd --system --uid 10001 app
USER 10001
```
"#,
    enabled_by_default: true,
};
