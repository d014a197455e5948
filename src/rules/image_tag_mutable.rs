//! PC3005: the container's image reference can change under it.

use super::Rule;
use crate::finding::Severity;

pub static IMAGE_TAG_MUTABLE: Rule = Rule {
    code: "PC3005",
    name: "image-tag-mutable",
    summary: "The container's image has no tag or uses latest, and no digest",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:5.28", "CIS-Docker-1.7.0:5.28"],
    aliases: &["KSV-0013", "CKV_K8S_14", "CKV_K8S_43"],
    help: r#"## What it catches
An image reference without a tag (`nginx`, `ghcr.io/org/app`) or with the tag `latest`, and
without an `@sha256:` digest. Read from a Compose service's `image`, a Kubernetes container's
`image`, and a live container's `Config.Image`. A reference pinned by digest always passes,
whatever its tag; other tags pass too, although Checkov's CKV_K8S_43 asks for a digest
everywhere. Services that are only built (`build:` without `image`) are not checked.

## Why it matters
`latest`, or no tag, is whatever was pushed last: two hosts, or two restarts of the same
pod, can run different code, a rollback has nothing to return to, and a compromised registry
account silently changes what runs. A specific tag, better a digest, makes deployments
repeatable and reviewable.

## Example
```yaml
services:
  web:
    image: nginx:latest
```
Use instead:
```yaml
services:
  web:
    image: nginx:1.27.3
```
or, to pin the exact content, add the digest the registry reports: `nginx:1.27.3@sha256:…`.
"#,
    enabled_by_default: true,
};
