//! PC1011: a Kubernetes pod mounts its service-account token.

use super::Rule;
use crate::finding::Severity;

pub static SERVICE_ACCOUNT_TOKEN_MOUNTED: Rule = Rule {
    code: "PC1011",
    name: "service-account-token-mounted",
    summary: "The pod mounts a Kubernetes service-account token that its containers may not need",
    severity: Severity::Info,
    tags: &["security"],
    aliases: &["KSV-0036", "CKV_K8S_38"],
    help: r#"## What it catches
A Kubernetes pod spec that does not set `automountServiceAccountToken: false`. Kubernetes mounts
the token by default, so a missing setting is reported, as is an explicit `true`. The service
account's own `automountServiceAccountToken` is not visible in the workload manifest: set it on
the pod to make the intent explicit. Compose services and live Docker or Podman containers have
no service-account token, so this rule reads Kubernetes manifests only.

## Why it matters
The token is an API credential: anyone who gets code execution in any container of the pod can
read it from `/var/run/secrets/kubernetes.io/serviceaccount/token` and act on the cluster with
the service account's permissions, which tend to grow over time. Most workloads never call the
Kubernetes API and should not carry the credential at all.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: web
          image: example/web:5
```
Use instead:
```yaml
    spec:
      automountServiceAccountToken: false
      containers:
        - name: web
          image: example/web:5
```
"#,
    enabled_by_default: true,
};
