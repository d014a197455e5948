//! PC8050: a variable the builder expands is not defined.

use super::Rule;
use crate::finding::Severity;

pub static UNDEFINED_VARIABLE: Rule = Rule {
    code: "PC8050",
    name: "undefined-variable",
    summary: "An instruction uses a variable that no ARG or ENV in scope defines",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["UndefinedVar"],
    help: r#"## What it catches
A `$NAME` or `${NAME}` in an instruction that the builder expands itself — `ADD`, `COPY`
(including `--chown` and `--chmod`), `ENV`, `EXPOSE`, `LABEL`, `STOPSIGNAL`, `USER`,
`VOLUME`, `WORKDIR` and the defaults of `ARG` inside a stage — when nothing defines `NAME` at
that point: no `ARG` or `ENV` earlier in the stage or in the stages it is built from, no
predefined proxy or BuildKit argument, and no variable the base image is known to set (`PATH`
always, and the usual ones of official images such as `JAVA_HOME` or `NODE_VERSION`). The
finding points at the variable and suggests the closest defined name.

Shell-form `RUN`, `CMD` and `ENTRYPOINT` are left alone: the shell expands those, with the
container's environment. A reference with a default (`${NAME:-value}`) is taken as deliberate.
Global `ARG`s (before the first `FROM`) and the platform arguments (`TARGETARCH`…) are only
visible inside a stage once it declares them with `ARG NAME`, so using them without that is
reported too.

## Why it matters
An undefined variable expands to an empty string without any error: `COPY app-$VERSION.jar`
looks for `app-.jar`, `WORKDIR $APP_HOME/src` becomes `/src`. Most of the time it is a typo or
an `ARG` declared before `FROM` and never re-declared in the stage.

## Example
```dockerfile
ARG VERSION=1.4
FROM eclipse-temurin:21
COPY build/app-${VERSION}.jar /srv/app.jar
```
Use instead:
```dockerfile
ARG VERSION=1.4
FROM eclipse-temurin:21
ARG VERSION
COPY build/app-${VERSION}.jar /srv/app.jar
```
"#,
    enabled_by_default: true,
};
