//! PC8025: USER given as a name instead of a numeric UID.

use super::Rule;
use crate::finding::Severity;

pub static USER_NOT_NUMERIC: Rule = Rule {
    code: "PC8025",
    name: "user-not-numeric",
    summary: "USER names the user instead of giving a numeric UID",
    severity: Severity::Info,
    tags: &["correctness"],
    aliases: &["DL3066"],
    help: r#"## What it catches
A `USER` whose user part (before any `:group`) is a name such as `app`, `nobody` or `root`
rather than a number such as `10001` (for `root`, write `0`). Whether the final image runs
as root is the root-user rule's concern; this one is only about how the user is written.

A user taken from a variable is reported when no `ARG` of the stage (or before the first
`FROM`) declares that variable: its value then comes from `ENV`, here or in the base image
(`USER $APP_UID` in the .NET images), and is a name, or cannot be seen to be numeric from
the Dockerfile. An `ENV` that sets it to a number is fine. A build argument
(`ARG APP_USER` then `USER $APP_USER`) is chosen by whoever runs the build and is not
reported.

## Why it matters
A name only means something inside the image's `/etc/passwd`. Anything that looks at the
image from the outside sees just the string: Kubernetes' `runAsNonRoot: true` cannot tell
whether `app` is root, so it refuses to start the pod unless `runAsUser` is also set, and
admission policies, scanners and file ownership on mounted volumes cannot verify it either.
A numeric UID is unambiguous everywhere and needs no passwd entry.

## Example
```dockerfile
RUN useradd --system --uid 10001 app
USER app
```
Use instead:
```dockerfile
RUN useradd --system --uid 10001 app
USER 10001
```
"#,
    enabled_by_default: true,
};
