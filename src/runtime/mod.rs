//! Runtime configuration: how containers run and are declared to run (Compose files,
//! Kubernetes manifests, the container engine).
//!
//! So far: `yaml` reads YAML documents with the position of every key and value;
//! `kubernetes` finds the pod specs and containers of workload manifests; `compose` builds
//! the merged services of a Compose project (override files, `extends`, interpolation,
//! profiles) with the file and position of every value; `engine` asks a running Docker or
//! podman engine (Engine API, version negotiated) for its daemon settings and the typed
//! inspect data of its containers. The rules that evaluate them come next.

pub mod compose;
pub mod engine;
pub mod kubernetes;
pub mod yaml;
