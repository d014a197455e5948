//! PC7016: experimental features are on.

use super::Rule;
use crate::finding::Severity;

pub static EXPERIMENTAL_ENABLED: Rule = Rule {
    code: "PC7016",
    name: "experimental-enabled",
    summary: "The engine runs with experimental features enabled",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:2.18", "CIS-Docker-1.7.0:2.18"],
    aliases: &[],
    help: r#"## What it catches
A Docker engine with experimental features: `/info` `ExperimentalBuild: true`, or
`"experimental": true` in the daemon.json. Podman's compat `/info` always says `true`, so
Podman is not reported. Compose files and Kubernetes manifests are not read.

## Why it matters
Experimental features are unfinished: their behaviour, API and security properties may change
without notice and they get less review. A production engine should run only supported code
paths.

## Example
```json
{ "experimental": true }
```
Use instead:
```json
{ "experimental": false }
```
"#,
    enabled_by_default: true,
};
