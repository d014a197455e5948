//! PC5015: a Windows pod runs as a HostProcess container.

use super::Rule;
use crate::finding::Severity;

pub static WINDOWS_HOST_PROCESS: Rule = Rule {
    code: "PC5015",
    name: "windows-host-process",
    summary: "The pod runs Windows HostProcess containers",
    severity: Severity::Error,
    tags: &["security", "PSS:baseline:windowsHostProcess"],
    aliases: &["KSV-0103"],
    help: r#"## What it catches
A Kubernetes pod or container with `securityContext.windowsOptions.hostProcess: true`. Only
Kubernetes has HostProcess containers; Compose and live Docker or Podman containers are not
checked.

## Why it matters
A HostProcess container is a process on the Windows node itself: it shares the node's network,
filesystem and processes and can run as `NT AUTHORITY\SYSTEM`. It is the Windows counterpart of
a privileged container with every host namespace, and the Pod Security Standards baseline
forbids it.

## Example
```yaml
spec:
  securityContext:
    windowsOptions:
      hostProcess: true
      runAsUserName: "NT AUTHORITY\\SYSTEM"
  hostNetwork: true
```
Use instead: run the task as a node-level service managed outside Kubernetes, or as an
ordinary Windows container:
```yaml
spec:
  securityContext:
    windowsOptions:
      runAsUserName: "ContainerUser"
```
"#,
    enabled_by_default: true,
};
