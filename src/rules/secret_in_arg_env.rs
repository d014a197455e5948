//! PC2001 and PC2002: secrets written into ARG or ENV.

use super::Rule;
use crate::finding::Severity;

pub static SECRET_NAME_IN_ARG_ENV: Rule = Rule {
    code: "PC2001",
    name: "secret-name-in-arg-env",
    summary: "An ARG or ENV is named like a secret",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:4.10"],
    aliases: &["SecretsUsedInArgOrEnv", "DL3064", "DS-0031", "CIS-DI-0010"],
    help: r#"## What it catches
An `ARG` or `ENV` whose name, split at `_` and `-`, contains a word such as `password`,
`passwd`, `pword`, `secret`, `token`, `key`, `apikey`, `auth`, `credential` or `credentials`,
unless it also contains `public`, `file` or `version` (`GPG_KEY_FILE`, `PUBLIC_KEY` and
`TOKEN_VERSION` are fine). Well-known credential variables such as `AWS_SECRET_ACCESS_KEY`,
`GITHUB_TOKEN` or `OPENAI_API_KEY` always count.

## Why it matters
`ARG` values are recorded in the image history and `ENV` values in its configuration: anyone
who can pull the image can read them with `docker history` or `docker inspect`. Pass secrets to
the steps that need them with `RUN --mount=type=secret` instead.

## Example
```dockerfile
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
```
Use instead:
```dockerfile
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
```
"#,
    enabled_by_default: true,
};

pub static SECRET_VALUE_IN_ARG_ENV: Rule = Rule {
    code: "PC2002",
    name: "secret-value-in-arg-env",
    summary: "An ARG default or ENV value contains what looks like a real credential",
    severity: Severity::Error,
    tags: &["security", "CIS-Docker-1.6.0:4.10"],
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
