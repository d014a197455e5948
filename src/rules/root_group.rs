//! PC1009: the container runs with the root group.

use super::Rule;
use crate::finding::Severity;

pub static ROOT_GROUP: Rule = Rule {
    code: "PC1009",
    name: "root-group",
    summary:
        "The container runs with the root group (GID 0) as its primary or a supplementary group",
    severity: Severity::Info,
    tags: &["security"],
    aliases: &["KSV-0116"],
    help: r#"## What it catches
An explicit group 0: Compose `user: "1000:0"` or `user: "app:root"` and `group_add: [0]` or
`[root]`; Kubernetes `runAsGroup: 0`, `supplementalGroups` containing 0 or `fsGroup: 0` (pod
level counts for every container); a live container's `Config.User` with group 0 or
`HostConfig.GroupAdd`. A group that is not set is left alone, on every platform: the image
decides it.

## Why it matters
Many files in images and on volumes are owned by group `root` and writable by it, on the
assumption that only root runs there. A non-root user that is also in group 0 can edit them,
which undoes much of running as non-root. Give the process a group of its own.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      securityContext:
        runAsUser: 10001
        runAsGroup: 0
        fsGroup: 0
```
Use instead:
```yaml
      securityContext:
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
```
"#,
    enabled_by_default: true,
};
