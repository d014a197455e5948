//! PC2008: the whole build context is copied while secrets are not kept out of it.

use super::Rule;
use crate::finding::Severity;

pub static WHOLE_CONTEXT_COPIED: Rule = Rule {
    code: "PC2008",
    name: "whole-context-copied",
    summary: "The whole build context is copied into the image without excluding secrets",
    severity: Severity::Warning,
    tags: &["security"],
    aliases: &[],
    help: r#"## What it catches
`COPY . <dest>` or `ADD . <dest>` (the whole build context) when there is no ignore file, or
when neither the ignore file nor the instruction's `--exclude` flags exclude `.git`, `.env` and
private key files (`*.pem`, `*.key`, `id_rsa*`). The finding says which of them would be
copied. The ignore file is
`<Dockerfile>.dockerignore` next to the Dockerfile if there is one, else `.dockerignore` in the
build context.

## Why it matters
Whatever sits in the context ends up in a layer: the repository history with every secret ever
committed, local `.env` files with credentials, deploy keys. Anyone who can pull the image can
extract them, and deleting them in a later layer does not remove them.

## Example
```dockerfile
COPY . /srv/app
```
with no `.dockerignore`. Use instead a `.dockerignore` such as:
```text
.git
.env
**/*.pem
**/*.key
**/id_rsa*
```
or copy only what the image needs:
```dockerfile
COPY src/ /srv/app/src/
```
"#,
    enabled_by_default: true,
};
