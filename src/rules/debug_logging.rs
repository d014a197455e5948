//! PC7003: the engine logs at debug level.

use super::Rule;
use crate::finding::Severity;

pub static DEBUG_LOGGING: Rule = Rule {
    code: "PC7003",
    name: "debug-logging",
    summary: "The engine logs at debug level",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:2.3", "CIS-Docker-1.7.0:2.3"],
    aliases: &[],
    help: r#"## What it catches
An engine in debug mode: the live engine's `/info` says `Debug: true` (Docker and Podman), or
the daemon.json sets `"debug": true` or `"log-level"` to `debug` or `trace`. The log level
itself is not in the Engine API, so `log-level` needs the daemon.json (readable locally, or
given with `--daemon-config`). Compose files and Kubernetes manifests are not read.

## Why it matters
Debug logs record every API request in detail, including container configurations, environment
variables and registry exchanges, and grow fast enough to bury the events worth auditing. The
CIS benchmark asks for the `info` level: enough to review what happened, without the noise and
the leaked details.

## Example
```json
{ "debug": true, "log-level": "debug" }
```
Use instead:
```json
{ "log-level": "info" }
```
"#,
    enabled_by_default: true,
};
