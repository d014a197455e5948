//! PC6010: a Kubernetes container binds a port of the node.

use super::Rule;
use crate::finding::Severity;

pub static HOST_PORT: Rule = Rule {
    code: "PC6010",
    name: "host-port",
    summary: "A Kubernetes container binds a port of the node with hostPort",
    severity: Severity::Warning,
    tags: &["security", "PSS:baseline:hostPorts"],
    aliases: &["KSV-0024", "CKV_K8S_26"],
    help: r#"## What it catches
A container port of a Kubernetes pod spec with a `hostPort`, whether or not `hostIP` narrows
it: one finding per port. The Pod Security Standards' baseline profile forbids them. Only
manifests are read; Compose files and live containers publish ports by design and are
checked by `port-all-interfaces` and `privileged-port`.

## Why it matters
A `hostPort` opens the port on the node itself, outside Services and NetworkPolicies, so the
pod is reachable by anything that can reach the node. It also ties the pod to nodes where the
port is free, limiting scheduling. Expose the pod through a Service instead.

## Example
```yaml
containers:
  - name: web
    image: example/web:1.0
    ports:
      - containerPort: 8080
        hostPort: 8080
```
Use instead:
```yaml
containers:
  - name: web
    image: example/web:1.0
    ports:
      - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
```
"#,
    enabled_by_default: true,
};
