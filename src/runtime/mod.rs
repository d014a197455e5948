//! Runtime configuration: how containers run and are declared to run (Compose files,
//! Kubernetes manifests, the container engine).
//!
//! So far: `yaml` reads YAML documents with the position of every key and value, and
//! `kubernetes` finds the pod specs and containers of workload manifests. The rules that
//! evaluate them, Compose, and the engine client come next.

pub mod kubernetes;
pub mod yaml;
