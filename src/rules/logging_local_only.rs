//! PC7011: container logs stay on the host.

use super::Rule;
use crate::finding::Severity;

pub static LOGGING_LOCAL_ONLY: Rule = Rule {
    code: "PC7011",
    name: "logging-local-only",
    summary: "Container logs stay on the host instead of going to a central log service",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:2.13", "CIS-Docker-1.7.0:2.13"],
    aliases: &[],
    help: r#"## What it catches
A Docker engine whose default logging driver (`/info` `LoggingDriver`, daemon.json
`log-driver`, default `json-file`) is `json-file` or `local`, which keep logs in files next to
the containers, or `none`, which keeps none. `journald` and `syslog` hand logs to the host's log
system, where forwarding is usually set up, and are not reported. Podman's compat `/info`
leaves the driver empty (it is set in `containers.conf`), so Podman is not reported. Compose
files and Kubernetes manifests are not read.

## Why it matters
Logs that exist only on the host disappear with it, and an intruder who reaches the host can
edit them. A central log service keeps the record out of reach and in one place for review.

## Example
```json
{ "log-driver": "json-file" }
```
Use instead:
```json
{ "log-driver": "fluentd", "log-opts": { "fluentd-address": "logs.internal:24224" } }
```
"#,
    enabled_by_default: true,
};
