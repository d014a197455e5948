//! PC5012: a Kubernetes pod uses a hostPath volume.

use super::Rule;
use crate::finding::Severity;

pub static HOST_PATH_VOLUME: Rule = Rule {
    code: "PC5012",
    name: "host-path-volume",
    summary: "The pod mounts a hostPath volume",
    severity: Severity::Warning,
    tags: &["security", "PSS:baseline:hostPathVolumes"],
    aliases: &["KSV-0023"],
    help: r#"## What it catches
Every `hostPath` volume of a Kubernetes pod, whatever its path: the Pod Security Standards
baseline forbids them. Paths that are sensitive in themselves (`/etc`, `/var/lib/kubelet`…) are
also reported by `sensitive-host-path-mounted`, and engine sockets by `engine-socket-mounted`.
Compose bind mounts and live containers' bind mounts are a normal way to share files on a
single host and are not reported by this rule.

## Why it matters
A `hostPath` ties the pod to whatever is on the node's disk, bypasses the storage layer's
access control, and is a frequent first step of node takeovers: a writable path the kubelet or
another daemon reads is enough. Pods that are moved to another node silently see other data.

## Example
```yaml
spec:
  containers:
    - name: cache
      image: registry.example.com/cache:2.0
      volumeMounts: [{name: data, mountPath: /data}]
  volumes:
    - name: data
      hostPath: {path: /mnt/cache}
```
Use instead:
```yaml
  volumes:
    - name: data
      persistentVolumeClaim: {claimName: cache-data}
```
"#,
    enabled_by_default: true,
};
