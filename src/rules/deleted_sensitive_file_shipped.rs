//! PC2010: a sensitive file deleted by a later layer still ships in the layer that added it.

use super::Rule;
use crate::finding::Severity;

pub static DELETED_SENSITIVE_FILE_SHIPPED: Rule = Rule {
    code: "PC2010",
    name: "deleted-sensitive-file-shipped",
    summary:
        "A sensitive file is deleted by a later layer but still ships in the layer that added it",
    severity: Severity::Error,
    tags: &["security"],
    aliases: &[],
    help: r#"## What it catches
Files that a layer of the image adds and a later layer deletes (a whiteout, or an opaque
directory above them), when their name says they are sensitive: private keys (`id_rsa`,
`id_ed25519`, `*.key`, `*.p12`, `*.pfx`, `*.jks`, `*.keystore`, PEM files named as keys),
credential files (`.aws/credentials`, `.docker/config.json`, `.npmrc`, `.pypirc`, `.netrc`,
`.git-credentials`, `.pgpass`, `.htpasswd`, dotenv files, Terraform state), GnuPG secret
keyrings, and the password hash files with their backups (`/etc/shadow`, `/etc/shadow-`,
`/etc/gshadow-`, `shadow.bak`…). The finding names the layer that still holds the file and
the layer that deleted it. The content is not read: a file with no recognisable secret inside
is reported too (a secret that is recognised is reported by `secret-in-image` as well).

## Why it matters
Deleting a file in a later build step hides it from the final filesystem, not from the image:
every layer is shipped as it was built, and anyone who can pull the image can unpack the layer
that added the file (`docker save`, `crane export`, `skopeo copy`) and read it.

## Example
```dockerfile
FROM debian:12
COPY id_rsa /root/.ssh/id_rsa
RUN git clone git@example.com:team/app.git /app
RUN rm /root/.ssh/id_rsa
```
Use instead: give the step the key for its own duration only, so that no layer records it:
```dockerfile
# syntax=docker/dockerfile:1
FROM debian:12
RUN --mount=type=ssh git clone git@example.com:team/app.git /app
```
"#,
    enabled_by_default: true,
};
