//! PC8023: CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form.

use super::Rule;
use crate::finding::Severity;

pub static SHELL_FORM_CMD: Rule = Rule {
    code: "PC8023",
    name: "shell-form-cmd",
    summary: "CMD, ENTRYPOINT or HEALTHCHECK CMD uses shell form instead of a JSON array",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["DL3025", "JSONArgsRecommended"],
    help: r#"## What it catches
A `CMD` or `ENTRYPOINT` written as plain text (`CMD node server.js`) instead of a JSON array
(`CMD ["node", "server.js"]`), and a `HEALTHCHECK CMD` written the same way. The finding
points at the command text. Words that start with `--` right after the keyword
(`CMD --verbose`) are still shell form, although BuildKit reads them as flags and rejects
them.

hadolint's DL3025 reports every such instruction. BuildKit's JSONArgsRecommended is about
`CMD` and `ENTRYPOINT` only, and stays quiet once a `SHELL` instruction has set a shell
earlier in the stage or in a stage it is built from: those findings, and the ones about
`HEALTHCHECK`, only answer to DL3025.

## Why it matters
The shell form runs the command as `/bin/sh -c "…"`, so the shell, not your program, becomes
PID 1 of the container. `docker stop` and Kubernetes send SIGTERM to PID 1, and most shells
neither forward it nor exit on it: the program gets no chance to shut down cleanly and is
killed with SIGKILL when the grace period ends. Ctrl-C of `docker run` does not reach it
either. A shell-form `ENTRYPOINT` also ignores `CMD` and any arguments given to
`docker run`.

When the command needs the shell (variables, `&&`), run it through an explicit shell and
let it `exec` the program, so that the program replaces the shell as PID 1.

A shell-form `HEALTHCHECK CMD` starts a shell in the container for every probe: an extra
process each time, and a probe that can never succeed in an image that has no `/bin/sh`
(distroless, scratch), which leaves the container marked unhealthy.

## Example
```dockerfile
ENTRYPOINT /usr/local/bin/app --port $PORT
```
Use instead:
```dockerfile
ENTRYPOINT ["/bin/sh", "-c", "exec /usr/local/bin/app --port \"$PORT\""]
```
or, when no shell feature is needed, `ENTRYPOINT ["/usr/local/bin/app", "--port", "8080"]`.
"#,
    enabled_by_default: true,
};
