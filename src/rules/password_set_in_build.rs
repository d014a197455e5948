//! PC2005: a build step sets an account password.

use super::Rule;
use crate::finding::Severity;

pub static PASSWORD_SET_IN_BUILD: Rule = Rule {
    code: "PC2005",
    name: "password-set-in-build",
    summary: "A build step sets an account password",
    severity: Severity::Warning,
    tags: &["security"],
    aliases: &["CKV2_DOCKER_17"],
    help: r#"## What it catches
Commands in a `RUN` script that give an account a password: `chpasswd`, `passwd --stdin`, and
`useradd`/`usermod` with `-p`/`--password` (locking values such as `'*'` or `'!'` are fine).
The finding points at `chpasswd`, `passwd` or the password value.

## Why it matters
The password is usually written in the Dockerfile (`echo 'app:s3cret' | chpasswd`), so it
sits in the repository and in the image history, where `docker history` shows it to anyone
who can pull the image. Even when it comes from elsewhere, its hash ships in `/etc/shadow` of
every container, ready for offline cracking, and every container of the image shares it.
Containers rarely need password logins: run as a user without a password, and give people
access through the orchestrator (`docker exec`, `kubectl exec`) or keys provided at runtime.

## Example
```dockerfile
RUN useradd -m app && echo 'app:s3cret' | chpasswd
```
Use instead:
```dockerfile
RUN useradd -m app
USER app
```
"#,
    enabled_by_default: true,
};
