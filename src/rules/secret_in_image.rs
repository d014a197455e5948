//! PC2004: a secret (token, key, password) in a file of any layer or in the image config.

use super::Rule;
use crate::finding::Severity;

pub static SECRET_IN_IMAGE: Rule = Rule {
    code: "PC2004",
    name: "secret-in-image",
    summary: "The image contains a secret in a file of one of its layers or in its configuration",
    severity: Severity::Error,
    tags: &["security"],
    aliases: &[],
    help: r#"## What it catches
Secrets found by content, not by name: cloud access keys, GitHub, GitLab and other service
tokens, private keys, passwords in connection strings. Every regular text file of every layer
is read (up to 10 MiB; binary files are skipped, by name for formats that are binary by
definition and else by content), so a file deleted by a later layer is still reported, with the
layer that deleted it; the image configuration's `ENV` values, labels and history steps are
read too. Test fixtures and package manager indexes are not read by default
(`[image.secrets] skip-paths` in `.portcullis.toml` changes that, and `[[image.secrets.rules]]`
adds rules). Placeholders (`example`, `changeme`, `${VAR}`, repeated
characters) are not reported. Only the masked secret is ever shown. The severity is that of
the secret rule that matched. `--no-secrets` skips the check.

## Why it matters
Everyone who can pull the image can read every layer and its configuration
(`docker history`, `docker inspect`). Deleting a file in a later layer does not remove it from
the layer that added it: the secret ships with the image. A leaked token must be revoked, not
just removed from the next build.

## Example
```dockerfile
FROM alpine:3.20
ENV AWS_ACCESS_KEY_ID=AKIA…
COPY .git /app/.git
RUN rm /app/.git/config
```
Use instead: keep secrets out of the build context (`.dockerignore`) and the configuration,
and give build steps secrets through BuildKit:
```dockerfile
# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=secret,id=aws,target=/root/.aws/credentials ./fetch-assets
```
"#,
    enabled_by_default: true,
};
