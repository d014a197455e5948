//! PC1010: an exec session (or a Compose lifecycle hook) runs privileged or as root.

use super::Rule;
use crate::finding::Severity;

pub static PRIVILEGED_EXEC_SESSION: Rule = Rule {
    code: "PC1010",
    name: "privileged-exec-session",
    summary: "A process was started in the container with --privileged or as root",
    severity: Severity::Warning,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:5.23",
        "CIS-Docker-1.7.0:5.23",
        "CIS-Docker-1.6.0:5.24",
        "CIS-Docker-1.7.0:5.24",
    ],
    aliases: &[],
    help: r#"## What it catches
On a live Docker or Podman container: each exec session (`ExecIDs`, as `docker exec` starts them)
that runs with `--privileged`, or as `root`, UID `0` or `root:…`. A session without `--user` runs
as the container's user, so it is reported only when the container itself runs as root. In
Compose files, the same for `post_start` and `pre_stop` lifecycle hooks with `privileged: true`
or `user: root`. Kubernetes has no equivalent setting (`kubectl exec` runs as the container's
user and cannot raise privileges).

## Why it matters
An exec session with `--privileged` gets every capability and device, even when the container was
started unprivileged: it silently undoes the container's hardening for whatever runs in it. A root
exec session in a container that runs as a normal user does the same for file permissions. Only
sessions still known to the engine are visible; audit exec events for the history.

## Example
```console
$ docker exec --privileged --user root web sh
```
```yaml
services:
  web:
    image: example/web:5
    user: "10001"
    post_start:
      - command: ["chown", "-R", "10001", "/data"]
        user: root
```
Use instead: run maintenance as the container's own user, or in a short-lived, separately
reviewed container; for file ownership, prepare the volume in the image or with an init step
that runs only with the one capability it needs (`CHOWN`).
"#,
    enabled_by_default: true,
};
