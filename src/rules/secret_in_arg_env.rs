//! PC2001 and PC2002: secrets written into ARG or ENV, or into a container's environment.

use super::Rule;
use crate::finding::Severity;

/// Name parts that mark a secret (BuildKit's list), unless an allowed part is present too.
const SECRET_PARTS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
const ALLOWED_PARTS: &[&str] = &["public", "file", "version"];
/// Credential variables whose names do not split into a secret part.
const KNOWN_SECRET_NAMES: &[&str] = &["PGPASSWORD", "MYSQL_PWD", "AWS_ACCESS_KEY_ID"];
/// Names that look secret but hold public data by convention.
const KNOWN_PUBLIC_NAMES: &[&str] = &["GPG_KEY", "GPG_KEYS", "GPG_KEY_ID"];

/// Whether a variable name looks like it holds a secret. It lives beside the rule whose help
/// documents it, so the Dockerfile linter and the runtime checks apply the same heuristic.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if KNOWN_PUBLIC_NAMES.contains(&upper.as_str()) {
        return false;
    }
    if KNOWN_SECRET_NAMES.contains(&upper.as_str()) {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split(['_', '-', '.']).collect();
    parts.iter().any(|p| SECRET_PARTS.contains(p))
        && !parts.iter().any(|p| ALLOWED_PARTS.contains(p))
}

pub static SECRET_NAME_IN_ARG_ENV: Rule = Rule {
    code: "PC2001",
    name: "secret-name-in-arg-env",
    summary: "An ARG, ENV or container environment variable is named like a secret",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:4.10", "CIS-Docker-1.7.0:4.10"],
    aliases: &["SecretsUsedInArgOrEnv", "DL3064", "DS-0031", "CIS-DI-0010"],
    help: r#"## What it catches
A variable whose name, split at `_`, `-` and `.`, contains a word such as `password`,
`passwd`, `pword`, `secret`, `token`, `key`, `apikey`, `auth`, `credential` or `credentials`,
unless it also contains `public`, `file` or `version` (`GPG_KEY_FILE`, `PUBLIC_KEY` and
`TOKEN_VERSION` are fine). Well-known credential variables such as `AWS_SECRET_ACCESS_KEY`,
`GITHUB_TOKEN`, `PGPASSWORD` or `OPENAI_API_KEY` always count.

- Dockerfiles: every `ARG` or `ENV` with such a name, with or without a value.
- Containers: such a variable given a literal value in a Compose service's `environment`, a
  Kubernetes container's `env[].value`, or a live container's `Config.Env` (which includes the
  image's `ENV`). Empty values, references (`${DB_PASSWORD}`, Kubernetes `$(VAR)`), booleans
  and values taken from a secret (`valueFrom.secretKeyRef`, a bare Compose `KEY` passed through
  from the host) are not reported.
- Images (`portcullis scan`): such a variable given a literal value in the image
  configuration's `Env`, with the same exceptions.

## Why it matters
`ARG` values are recorded in the image history and `ENV` values in its configuration: anyone
who can pull the image can read them with `docker history` or `docker inspect`. A container's
environment is just as visible: it sits in the Compose file or manifest in the repository, in
`docker inspect` output, and in `/proc/<pid>/environ` of every process of the container. Pass
build secrets with `RUN --mount=type=secret`, and runtime secrets as files (Compose `secrets`,
a Kubernetes Secret volume) or at least from a Secret object.

## Example
```dockerfile
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
```
```yaml
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: hunter22
```
Use instead:
```dockerfile
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
```
```yaml
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets: [db_password]
secrets:
  db_password:
    file: ./db_password.txt
```
"#,
    enabled_by_default: true,
};

pub static SECRET_VALUE_IN_ARG_ENV: Rule = Rule {
    code: "PC2002",
    name: "secret-value-in-arg-env",
    summary: "An ARG default or ENV value contains what looks like a real credential",
    severity: Severity::Error,
    tags: &["security", "CIS-Docker-1.6.0:4.10", "CIS-Docker-1.7.0:4.10"],
    aliases: &[],
    help: r#"## What it catches
A literal value in `ARG name=value` or `ENV name=value` that has the shape of a credential: a
cloud access key (`AKIA…`), a GitHub, GitLab, Slack, Stripe or npm token, a private key block,
a URL with a password in it, or a non-trivial literal assigned to a name that
`secret-name-in-arg-env` considers secret. Values that only refer to other variables
(`$TOKEN`) or that are obvious placeholders (`changeme`, `xxx`, empty) are not reported. The
message never repeats the value in full.

## Why it matters
Unlike a secret *name*, which may be filled in safely at build time, a secret *value* is in
the source repository and in every image built from it. Treat it as leaked: revoke it, then
pass the replacement with `RUN --mount=type=secret`.

## Example
```dockerfile
ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
```
Use instead:
```dockerfile
RUN --mount=type=secret,id=aws,target=/root/.aws/credentials aws s3 cp s3://bucket/file /srv/
```
"#,
    enabled_by_default: true,
};
