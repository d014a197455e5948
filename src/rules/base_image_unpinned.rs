//! PC3001: the base image is not pinned.

use super::Rule;
use crate::finding::Severity;

pub static BASE_IMAGE_UNPINNED: Rule = Rule {
    code: "PC3001",
    name: "base-image-unpinned",
    summary: "The base image is not pinned to a version",
    severity: Severity::Warning,
    tags: &[
        "security",
        "supply-chain",
        "CIS-Docker-1.6.0:4.2",
        "CIS-Docker-1.7.0:4.2",
    ],
    aliases: &["DL3006", "DL3007", "DS-0001", "CKV_DOCKER_7", "DKL-DI-0006"],
    help: r#"## What it catches
A `FROM` whose image has no tag, or the tag `latest`, after resolving `ARG` defaults and
`--build-arg` values. With `require-digest = true` under `[dockerfile]` in `.portcullis.toml`,
any image not pinned by an `@sha256:` digest is reported too. `scratch`, earlier build stages
and references that cannot be resolved statically are skipped.

## Why it matters
An unpinned base image changes under you: two builds of the same commit can differ, a broken
or compromised upstream release flows straight into production, and vulnerability reports
cannot be tied to what actually shipped. A tag can be moved; a digest cannot.

## Example
```dockerfile
FROM python
```
Use instead:
```dockerfile
FROM python:3.12-slim-bookworm@sha256:<digest of the image you tested>
```
"#,
    enabled_by_default: true,
};
