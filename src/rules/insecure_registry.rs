//! PC7005: the engine trusts a registry without TLS verification.

use super::Rule;
use crate::finding::Severity;

pub static INSECURE_REGISTRY: Rule = Rule {
    code: "PC7005",
    name: "insecure-registry",
    summary: "The engine pulls from a registry without TLS verification",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:2.5", "CIS-Docker-1.7.0:2.5"],
    aliases: &[],
    help: r#"## What it catches
Each registry the engine reaches without verified TLS, one finding per registry: the live
engine's `/info` `RegistryConfig.InsecureRegistryCIDRs` (without dockerd's built-in
`127.0.0.0/8` and `::1/128`) and the registries marked `Secure: false` in
`RegistryConfig.IndexConfigs` (Podman lists its `registries.conf` insecure registries only
there), and the daemon.json's `insecure-registries`. Compose files and Kubernetes manifests are
not read.

## Why it matters
Images from an insecure registry travel over plain HTTP or unverified TLS: anyone on the network
path can serve a different image, which then runs with whatever privileges its containers get.
Give the registry a certificate (a private CA goes in `/etc/docker/certs.d/<registry>/ca.crt`)
instead of turning verification off.

## Example
```json
{ "insecure-registries": ["registry.internal:5000"] }
```
Use instead: remove the entry and install the registry's CA certificate as
`/etc/docker/certs.d/registry.internal:5000/ca.crt`.
"#,
    enabled_by_default: true,
};
