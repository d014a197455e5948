//! PC8040: a build step runs a command meant for a running system.

use super::Rule;
use crate::finding::Severity;

pub static RUNTIME_COMMAND_IN_BUILD: Rule = Rule {
    code: "PC8040",
    name: "runtime-command-in-build",
    summary: "A build step runs a command that only makes sense on a running system",
    severity: Severity::Info,
    tags: &["correctness"],
    aliases: &["DL3001"],
    help: r#"## What it catches
These commands run in a `RUN` script (after `&&`, in pipelines, inside `sh -c`, in heredoc
scripts and in `ONBUILD RUN`): `free`, `ifconfig`, `kill`, `mount`, `ps`, `service`,
`shutdown`, `ssh`, `top` and `vim`.

## Why it matters
A build step runs in a throwaway container that has no services, no terminal and usually no
privileges. Processes it starts are gone when the step ends, so `service nginx start` leaves
nothing running in the image. `top`, `vim` and `ssh` wait for a person who is not there and
hang or fail the build. `ps`, `free` and `ifconfig` describe the build container rather than
the image. Commands like these are usually left over from debugging, or they are meant for
container start-up.

## Example
```dockerfile
RUN apt-get install -y nginx && service nginx start
```
Use instead: start the service when the container starts:
```dockerfile
RUN apt-get install -y nginx
CMD ["nginx", "-g", "daemon off;"]
```
"#,
    enabled_by_default: true,
};
