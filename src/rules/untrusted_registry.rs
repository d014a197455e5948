//! PC3002: the base image comes from a registry that is not trusted.

use super::Rule;
use crate::finding::Severity;

pub static UNTRUSTED_REGISTRY: Rule = Rule {
    code: "PC3002",
    name: "untrusted-registry",
    summary: "The base image comes from a registry outside the trusted list",
    severity: Severity::Error,
    tags: &[
        "security",
        "supply-chain",
        "CIS-Docker-1.6.0:4.2",
        "CIS-Docker-1.7.0:4.2",
    ],
    aliases: &["DL3026"],
    help: r#"## What it catches
A `FROM` image whose registry is not in `trusted-registries` (under `[dockerfile]` in
`.portcullis.toml`, or `trustedRegistries` in `.hadolint.yaml`). Entries may be exact hosts
(`registry.example.com`), wildcards (`*.example.com`) or `*`. Images without a registry host
come from `docker.io`. The rule is off until a trusted list is configured.

## Why it matters
Organisations that mirror and scan approved base images want every build to start from them;
a `FROM` pointing anywhere else bypasses that control.

## Example
With `trusted-registries = ["registry.example.com"]`:
```dockerfile
FROM ghcr.io/someone/base:1.0
```
Use instead:
```dockerfile
FROM registry.example.com/mirror/base:1.0
```
"#,
    enabled_by_default: false,
};
