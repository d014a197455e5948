//! Specs for the checks' unit tests: a bare container of each platform, and evidence that
//! names a line so a test can tell which setting a violation points at.

use std::path::PathBuf;

use crate::finding::{Position, Region};
use crate::runtime::spec::{
    ContainerSpec, EngineDefaults, Evidence, Platform, Setting, Subject, SubjectKind, Violation,
};
use crate::runtime::tree::Located;

/// Evidence at `line` of `spec.yml`.
pub fn line(line: u32) -> Evidence {
    let position = Position { line, column: 1 };
    Evidence::File(Located {
        file: PathBuf::from("spec.yml"),
        region: Some(Region {
            start: position,
            end: position,
            bytes: (0, 0),
        }),
    })
}

/// A setting read at `at` (a line of `spec.yml`).
pub fn set<T>(value: T, at: u32) -> Setting<T> {
    Setting::new(value, line(at))
}

/// A container of `platform` with nothing set, declared at line 1.
pub fn bare(platform: Platform) -> ContainerSpec {
    let kind = match platform {
        Platform::Kubernetes => SubjectKind::KubernetesContainer {
            workload: "Deployment/app".into(),
        },
        Platform::Docker => SubjectKind::ComposeService,
        Platform::Podman => SubjectKind::LiveContainer,
    };
    ContainerSpec::new(
        Subject {
            kind,
            name: "app".into(),
            declared_at: line(1),
        },
        platform,
    )
}

/// A container of `platform` that adds `caps`, the first at line 10, the next at 11…
pub fn adding(platform: Platform, caps: &[&str]) -> ContainerSpec {
    let mut spec = bare(platform);
    spec.cap_add = caps
        .iter()
        .zip(10..)
        .map(|(cap, line)| set(cap.to_string(), line))
        .collect();
    spec
}

/// The (rule code, line) of each violation, for compact assertions.
pub fn found(violations: &[Violation]) -> Vec<(&'static str, u32)> {
    violations
        .iter()
        .map(|v| {
            let line = match &v.at {
                Evidence::File(located) => located.line().unwrap_or(0),
                Evidence::Field(_) => 0,
            };
            (v.rule.code, line)
        })
        .collect()
}

/// Runs `check` with the engine defaults of a plain rootful engine.
pub fn run(
    check: fn(&ContainerSpec, &EngineDefaults) -> Vec<Violation>,
    spec: &ContainerSpec,
) -> Vec<(&'static str, u32)> {
    found(&check(spec, &EngineDefaults::default()))
}
