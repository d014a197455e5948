//! PC7012: the daemon does not set no-new-privileges for every container.

use super::Rule;
use crate::finding::Severity;

pub static NEW_PRIVILEGES_BY_DEFAULT: Rule = Rule {
    code: "PC7012",
    name: "new-privileges-by-default",
    summary: "Containers may gain new privileges unless each one opts out",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:2.14", "CIS-Docker-1.7.0:2.14"],
    aliases: &[],
    help: r#"## What it catches
A Docker daemon that does not apply `no-new-privileges` to every container. Docker 24 and later
show the setting in `/info` `SecurityOptions` (`name=no-new-privileges`); older engines only in
the daemon.json (`"no-new-privileges": true`). When neither the engine nor a daemon.json can
tell, nothing is reported: give the daemon.json (readable locally, or with `--daemon-config`)
to check an older engine. Podman's `/info` never shows the setting (it is in
`containers.conf`), so Podman is not reported. Compose files, Kubernetes manifests and live
containers are checked one by one by the container rules, which count this daemon default.

## Why it matters
Without `no-new-privileges`, a process in a container can gain privileges through setuid or
file-capability binaries, for example a setuid `su` or a vulnerable helper left in the image.
A daemon-wide default protects every container, including those whose authors forgot.

## Example
```json
{ "no-new-privileges": false }
```
Use instead:
```json
{ "no-new-privileges": true }
```
"#,
    enabled_by_default: true,
};
