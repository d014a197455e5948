//! PC5008: host devices are passed into the container.

use super::Rule;
use crate::finding::Severity;

pub static HOST_DEVICES_EXPOSED: Rule = Rule {
    code: "PC5008",
    name: "host-devices-exposed",
    summary: "A host device is exposed to the container",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:5.18", "CIS-Docker-1.7.0:5.18"],
    aliases: &[],
    help: r#"## What it catches
Each device the container is given access to: Compose `devices`, `device_cgroup_rules`,
`gpus` and `deploy.resources.reservations.devices`, and a live Docker or Podman container's
`HostConfig.Devices`, `DeviceCgroupRules` and `DeviceRequests`. No platform passes devices by
default. Kubernetes has no such field; a `hostPath` under `/dev` is reported by
`sensitive-host-path-mounted` and `host-path-volume` instead. A privileged container gets all
devices; that is reported as `privileged-container`.

## Why it matters
A device node is a direct line to a kernel driver: a block device gives raw access to the
host's disks, `/dev/mem` or `/dev/kmsg` to kernel state, and a device cgroup rule such as
`c *:* rmw` lets the container create any of them. Pass only the devices the workload needs,
read-only where possible.

## Example
```yaml
services:
  encoder:
    image: registry.example.com/encoder:5.2
    device_cgroup_rules: ["c *:* rmw"]
```
Use instead (the one device it needs):
```yaml
services:
  encoder:
    image: registry.example.com/encoder:5.2
    devices: ["/dev/dri/renderD128:/dev/dri/renderD128"]
```
"#,
    enabled_by_default: true,
};
