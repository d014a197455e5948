//! PC6002: the container has no CPU limit or share.

use super::Rule;
use crate::finding::Severity;

pub static CPU_UNLIMITED: Rule = Rule {
    code: "PC6002",
    name: "cpu-unlimited",
    summary: "The container has no CPU limit or CPU share",
    severity: Severity::Info,
    tags: &["security", "CIS-Docker-1.6.0:5.12", "CIS-Docker-1.7.0:5.12"],
    aliases: &["KSV-0011", "CKV_K8S_11"],
    help: r#"## What it catches
A container whose CPU use is neither capped nor weighted:
- Compose: none of `cpus`, `cpu_quota`, `cpu_shares` or `deploy.resources.limits.cpus`, or
  only zero values;
- Kubernetes: a container without `resources.limits.cpu`;
- live Docker or Podman containers: `HostConfig.NanoCpus`, `CpuQuota` and `CpuShares` are all
  `0`.

No platform sets a CPU limit by default, so an absent setting is reported everywhere.

## Why it matters
A busy or compromised container can starve its neighbours and the host's own services of
CPU. A limit, or at least a share, keeps one container from monopolising the machine. Some
Kubernetes teams deliberately set only CPU requests to avoid throttling; suppress the rule
where that is the policy.

## Example
```yaml
services:
  worker:
    image: example/worker:2.0
```
Use instead:
```yaml
services:
  worker:
    image: example/worker:2.0
    cpus: "1.5"
```
In Kubernetes: `resources: { limits: { cpu: 1500m } }`.
"#,
    enabled_by_default: true,
};
