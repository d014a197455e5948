//! PC7006: a deprecated storage driver, or a changed devicemapper base size.

use super::Rule;
use crate::finding::Severity;

pub static LEGACY_STORAGE_DRIVER: Rule = Rule {
    code: "PC7006",
    name: "legacy-storage-driver",
    summary: "The engine uses a deprecated storage driver or changes the devicemapper base size",
    severity: Severity::Info,
    tags: &[
        "CIS-Docker-1.6.0:2.6",
        "CIS-Docker-1.7.0:2.6",
        "CIS-Docker-1.6.0:2.11",
        "CIS-Docker-1.7.0:2.11",
    ],
    aliases: &[],
    help: r#"## What it catches
A Docker engine whose storage driver (`/info` `Driver`, daemon.json `storage-driver`) is
`aufs`, `devicemapper` or the original `overlay`, and a daemon.json `storage-opts` entry that
sets `dm.basesize`. On Podman only `aufs` and `devicemapper` count: Podman's `overlay` is the
current driver, not Docker's legacy one. Compose files and Kubernetes manifests are not read.

## Why it matters
These drivers are deprecated or removed (aufs since Docker 24, devicemapper since Docker 25,
`overlay` in favour of `overlay2`): they are known to crash kernels or exhaust thin pools, and an
upgrade will not start with them. Growing the devicemapper base size lets every container fill
more of the pool. Move to `overlay2` before the next upgrade.

## Example
```json
{ "storage-driver": "devicemapper", "storage-opts": ["dm.basesize=50G"] }
```
Use instead:
```json
{ "storage-driver": "overlay2" }
```
"#,
    enabled_by_default: true,
};
