//! PC2006: a RUN reads a secret from a build argument.

use super::Rule;
use crate::finding::Severity;

pub static SECRET_BUILD_ARG_IN_RUN: Rule = Rule {
    code: "PC2006",
    name: "secret-build-arg-in-run",
    summary: "A RUN reads a secret passed as a build argument",
    severity: Severity::Warning,
    tags: &["security"],
    aliases: &[],
    help: r#"## What it catches
An `ARG` whose name looks like a secret (the same names as `secret-name-in-arg-env`, such as
`NPM_TOKEN` or `DB_PASSWORD`) that a later `RUN` of the same stage uses: its script reads the
variable (`$NPM_TOKEN`, `${NPM_TOKEN}`, also in heredocs and `sh -c`), so the finding points at
that reference. When no `RUN` of the stage names the variable, the first `RUN` after the `ARG`
is reported, because build arguments are in the environment of every `RUN` that follows them,
where tools such as npm or pip pick them up. An `ENV` of the same name is left to
`secret-name-in-arg-env`, and a `RUN` that mounts a secret into that variable
(`--mount=type=secret,env=NPM_TOKEN`) is fine.

## Why it matters
`secret-name-in-arg-env` reports the declaration; this rule reports the step that exposes the
value. BuildKit records the build arguments a `RUN` sees in the image history
(`RUN |1 NPM_TOKEN=… /bin/sh -c npm ci`), so anyone who can pull the image, or read the build
cache or log, can read the token. A secret mount gives the step the value without writing it
into any layer, the history or the cache key.

## Example
```dockerfile
ARG NPM_TOKEN
RUN NPM_TOKEN=$NPM_TOKEN npm ci
```
Use instead (build with `docker build --secret id=NPM_TOKEN,env=NPM_TOKEN .`):
```dockerfile
RUN --mount=type=secret,id=NPM_TOKEN,env=NPM_TOKEN npm ci
```
"#,
    enabled_by_default: true,
};
