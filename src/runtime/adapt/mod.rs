//! Declared containers as [`ContainerSpec`](crate::runtime::spec::ContainerSpec)s: the services
//! of a merged Compose project and the containers of Kubernetes manifests.
//!
//! The adapters only translate: every key that decides how a container runs becomes the
//! matching spec field with the position of the text that set it, and what a key leaves unset
//! stays unset (the checks know each platform's defaults). Where a source spreads one concern
//! over several keys (Compose's `cpus`/`cpu_quota`/`deploy.resources.limits.cpus`, Kubernetes'
//! pod- and container-level `securityContext`), the adapter resolves the effective value the
//! way the platform does and points at the key that won.
//!
//! Value conventions shared with the live-container adapter (`crate::runtime::live`):
//! memory limits keep the text as written (`512m`, `1Gi`); CPU limits read `0.5 CPUs`,
//! `quota 50000` or `512 shares`; sysctls are `name=value`; ulimits their name; device requests
//! `all nvidia devices`, cgroup rules `cgroup rule c 1:3 mr`; container ports `80/tcp`.

pub mod compose;
pub mod kubernetes;

pub use compose::{project_specs, service_spec};
pub use kubernetes::{manifest_specs, ManifestSpecs};

/// How a device request reads in messages: `all nvidia devices`, `2 GPU device(s)`.
pub(crate) fn device_request(kind: Option<&str>, count: Option<DeviceCount>) -> String {
    let kind = kind.map(|k| format!("{k} ")).unwrap_or_default();
    match count {
        Some(DeviceCount::All) | None => format!("all {kind}devices"),
        Some(DeviceCount::Count(n)) => format!("{n} {kind}device(s)"),
        Some(DeviceCount::Ids(ids)) => format!("{kind}devices {ids}"),
    }
}

/// How many devices a request asks for.
pub(crate) enum DeviceCount {
    All,
    Count(i64),
    /// Explicit ids, comma-separated.
    Ids(String),
}

/// Reading positions back in the adapters' tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::runtime::spec::{Evidence, Setting};

    /// (line, column) of a file position.
    pub fn pos(at: &Evidence) -> (u32, u32) {
        match at {
            Evidence::File(located) => {
                let region = located.region.expect("a position");
                (region.start.line, region.start.column)
            }
            Evidence::Field(field) => panic!("not a file position: {field}"),
        }
    }

    /// (value, line, column) of each setting.
    pub fn all<T: Clone>(settings: &[Setting<T>]) -> Vec<(T, u32, u32)> {
        settings
            .iter()
            .map(|s| {
                let (line, column) = pos(&s.at);
                (s.value.clone(), line, column)
            })
            .collect()
    }

    /// (value, line, column) of a setting that must be there.
    pub fn one<T: Clone>(setting: &Option<Setting<T>>) -> (T, u32, u32) {
        let setting = setting.as_ref().expect("set");
        let (line, column) = pos(&setting.at);
        (setting.value.clone(), line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_requests_read_like_the_live_ones() {
        assert_eq!(
            device_request(Some("nvidia"), Some(DeviceCount::All)),
            "all nvidia devices"
        );
        assert_eq!(
            device_request(Some("GPU"), Some(DeviceCount::Count(2))),
            "2 GPU device(s)"
        );
        assert_eq!(
            device_request(None, Some(DeviceCount::Ids("0,1".into()))),
            "devices 0,1"
        );
        assert_eq!(device_request(None, None), "all devices");
    }
}
