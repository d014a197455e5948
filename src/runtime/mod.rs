//! Runtime configuration: how containers run and are declared to run (Compose files,
//! Kubernetes manifests, the container engine), checked with one rule set.
//!
//! Sources: `yaml` and `tree` read YAML with the position of every key and value; `compose`
//! builds the merged services of a Compose project; `kubernetes` finds the pod specs of workload
//! manifests; `engine` asks a running Docker or podman engine for its settings and containers.
//! Each source becomes the neutral [`spec::ContainerSpec`] (`adapt` for declared containers,
//! `live` for running ones) or a [`daemon::DaemonSpec`]; `checks` and `daemon::checks` hold one
//! check per rule over those specs; `evaluate` ties it together into findings.

pub mod adapt;
pub mod checks;
pub mod compose;
pub mod daemon;
pub mod engine;
pub mod evaluate;
pub mod kubernetes;
pub mod live;
pub mod spec;
pub mod tree;
pub mod yaml;
