//! PC7010: no authorization plugin guards the engine API.

use super::Rule;
use crate::finding::Severity;

pub static AUTHORIZATION_PLUGIN_MISSING: Rule = Rule {
    code: "PC7010",
    name: "authorization-plugin-missing",
    summary: "No authorization plugin controls access to the engine API",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:2.12", "CIS-Docker-1.7.0:2.12"],
    aliases: &[],
    help: r#"## What it catches
A Docker engine whose `/info` `Plugins.Authorization` is empty, or a daemon.json without
`authorization-plugins`. Podman has no authorization plugins (access is the socket's file
permissions) and is never reported. Compose files and Kubernetes manifests are not read.

## Why it matters
Without an authorization plugin, every client that reaches the socket may do everything,
including starting privileged containers. A plugin (Open Policy Agent's `opa-docker-authz`,
for example) can refuse `--privileged`, host mounts or `exec` per user.

## Example
```json
{ "authorization-plugins": [] }
```
Use instead:
```json
{ "authorization-plugins": ["opa-docker-authz"] }
```
"#,
    enabled_by_default: true,
};
