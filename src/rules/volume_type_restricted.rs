//! PC5013: a Kubernetes pod uses a volume type the restricted profile does not allow.

use super::Rule;
use crate::finding::Severity;

pub static VOLUME_TYPE_RESTRICTED: Rule = Rule {
    code: "PC5013",
    name: "volume-type-restricted",
    summary: "The pod uses a volume type outside the restricted profile's list",
    severity: Severity::Info,
    tags: &["security", "PSS:restricted:restrictedVolumes"],
    aliases: &["KSV-0028"],
    help: r#"## What it catches
A Kubernetes pod volume of any type other than `configMap`, `csi`, `downwardAPI`, `emptyDir`,
`ephemeral`, `persistentVolumeClaim`, `projected` and `secret`: `nfs`, `iscsi`, `rbd`,
`cephfs`, `gitRepo` and the other in-tree types. `hostPath` volumes, which the restricted
profile forbids too, are reported by `host-path-volume` instead. Compose and live containers
have no such notion.

## Why it matters
The allowed types go through the cluster's storage layer (claims, CSI drivers) or hold data the
API server manages. The others are mounted by the kubelet on the pod's behalf from addresses
written in the pod itself, with node credentials and drivers, which pod authors should not
control in a restricted namespace.

## Example
```yaml
  volumes:
    - name: shared
      nfs: {server: nfs.internal, path: /exports/shared}
```
Use instead (an administrator provides the NFS share as a PersistentVolume):
```yaml
  volumes:
    - name: shared
      persistentVolumeClaim: {claimName: shared}
```
"#,
    enabled_by_default: true,
};
