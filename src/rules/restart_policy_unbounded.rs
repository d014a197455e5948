//! PC6004: an `on-failure` restart policy retries without a small bound.

use super::Rule;
use crate::finding::Severity;

pub static RESTART_POLICY_UNBOUNDED: Rule = Rule {
    code: "PC6004",
    name: "restart-policy-unbounded",
    summary: "The on-failure restart policy has no retry limit or one above 5",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:5.15", "CIS-Docker-1.7.0:5.15"],
    aliases: &[],
    help: r#"## What it catches
A restart policy of `on-failure` with no retry limit, a limit of `0` (which Docker reads as
"no limit") or a limit above 5:
- Compose: `restart: on-failure` or `on-failure:N`, and `deploy.restart_policy` with
  `condition: on-failure` and `max_attempts`;
- live Docker or Podman containers: `HostConfig.RestartPolicy` (`Name` and
  `MaximumRetryCount`).

`always` and `unless-stopped` (and Compose's `condition: any`) are not reported: they are the
deliberate choice for a service that must stay up, Docker waits longer and longer between
restarts, and a crash loop shows in the restart count. The rule is about `on-failure`, whose
purpose is to give up on a failing container. Kubernetes `restartPolicy` has no retry count,
so the rule never fires for manifests.

## Why it matters
A container that fails on every start and is retried without end keeps consuming the host's
resources and floods the logs, and may hide a denial of service. A small bound makes the
failure visible and stops the loop.

## Example
```yaml
services:
  job:
    image: example/job:1.0
    restart: on-failure
```
Use instead:
```yaml
services:
  job:
    image: example/job:1.0
    restart: on-failure:5
```
"#,
    enabled_by_default: true,
};
