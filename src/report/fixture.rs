//! A small hand-built report that exercises every reporter: a multi-line region, Unicode in a
//! snippet, a file-level finding, an info-level finding, a target that failed, a clean target
//! and an invocation-wide error. The rules are test-only so catalogue edits never churn the
//! snapshots.

use std::path::PathBuf;
use std::sync::Arc;

use super::source::SourceLines;
use super::RenderOptions;
use crate::finding::{
    assign_fingerprints, Engine, EngineRun, Finding, Location, Position, Region, Report, Severity,
    Target,
};
use crate::rules::Rule;

const HELP: &str = "## What it catches\nA test rule's problem, with `code`.\n\n\
                    ## Why it matters\nBecause tests need one.\n\n\
                    ## Example\n```dockerfile\nFROM scratch\n```\n";

pub(crate) static ROOT_USER: Rule = Rule {
    code: "PC1001",
    name: "root-user",
    summary: "The container runs as root",
    severity: Severity::Error,
    tags: &["security", "CIS-Docker-1.6.0:4.1"],
    aliases: &["DL3002", "CKV_DOCKER_8"],
    help: HELP,
    enabled_by_default: true,
};

pub(crate) static SECRET_IN_ENV: Rule = Rule {
    code: "PC2001",
    name: "secret-value-in-arg-env",
    summary: "A secret is written into the image through ARG or ENV",
    severity: Severity::Error,
    tags: &["security"],
    aliases: &["SecretsUsedInArgOrEnv"],
    help: HELP,
    enabled_by_default: true,
};

pub(crate) static PACKAGE_CACHE_LEFT: Rule = Rule {
    code: "PC4001",
    name: "package-cache-left",
    summary: "A package manager cache is left in the image",
    severity: Severity::Warning,
    tags: &[],
    aliases: &["DL3009", "DL3042"],
    help: HELP,
    enabled_by_default: true,
};

pub(crate) static MISSING_HEALTHCHECK: Rule = Rule {
    code: "PC4002",
    name: "missing-healthcheck",
    summary: "The image has no HEALTHCHECK",
    severity: Severity::Info,
    tags: &["CIS-Docker-1.6.0:4.6"],
    aliases: &["DS026"],
    help: HELP,
    enabled_by_default: true,
};

pub(crate) static MAINTAINER_DEPRECATED: Rule = Rule {
    code: "PC4003",
    name: "maintainer-deprecated",
    summary: "MAINTAINER is deprecated",
    severity: Severity::Style,
    tags: &[],
    aliases: &["DL4000"],
    help: HELP,
    enabled_by_default: true,
};

static ALL_RULES: [&Rule; 5] = [
    &ROOT_USER,
    &SECRET_IN_ENV,
    &PACKAGE_CACHE_LEFT,
    &MISSING_HEALTHCHECK,
    &MAINTAINER_DEPRECATED,
];

const DOCKERFILE: &str = "\
FROM ubuntu:22.04
ENV GREETING=\"Grüße 🐳\" API_TOKEN=s3cr3t
RUN apt-get update && \\
    apt-get install -y curl
USER root
";

const CLEAN: &str = "FROM alpine:3.20\nUSER app\nHEALTHCHECK CMD true\n";

/// Options with a fixed version so snapshots survive releases.
pub(crate) fn options() -> RenderOptions {
    RenderOptions {
        color: false,
        tool_version: "1.2.3",
    }
}

/// A region given as 1-based (line, column) pairs, with its byte range filled in.
pub(crate) fn region(source: &str, start: (u32, u32), end: (u32, u32)) -> Region {
    let start = Position {
        line: start.0,
        column: start.1,
    };
    let end = Position {
        line: end.0,
        column: end.1,
    };
    let lines = SourceLines::new(source);
    let bytes = (
        lines.offset(start).expect("start inside the source"),
        lines.offset(end).expect("end inside the source"),
    );
    Region { start, end, bytes }
}

fn at(path: &str, region: Option<Region>) -> Location {
    Location {
        path: PathBuf::from(path),
        region,
    }
}

/// The report every snapshot renders.
pub(crate) fn test_fixture() -> Report {
    let mut run = EngineRun::new(Engine::Dockerfile);
    run.targets = vec![
        target("Dockerfile", Some(DOCKERFILE), None),
        target("services/api/Dockerfile", Some(CLEAN), None),
        target(
            "broken dir/Dockerfile.dev",
            None,
            Some("unterminated heredoc starting at line 3"),
        ),
    ];
    let cache = Finding::new(
        &PACKAGE_CACHE_LEFT,
        "apt-get lists are left in the image; remove /var/lib/apt/lists/* in the same RUN",
        at("Dockerfile", Some(region(DOCKERFILE, (3, 5), (4, 28)))),
    )
    .with_aliases(&["DL3009"]);
    let mut secret = Finding::new(
        &SECRET_IN_ENV,
        "ENV API_TOKEN holds what looks like a secret",
        at("Dockerfile", Some(region(DOCKERFILE, (2, 24), (2, 40)))),
    );
    // The policy layer may lower a rule's severity; reporters use the finding's.
    secret.severity = Severity::Warning;
    run.findings = vec![
        Finding::new(
            &ROOT_USER,
            "the last USER is root",
            at("Dockerfile", Some(region(DOCKERFILE, (5, 1), (5, 10)))),
        ),
        secret,
        cache,
        Finding::new(
            &MISSING_HEALTHCHECK,
            "no HEALTHCHECK instruction in the final stage",
            at("Dockerfile", None),
        ),
    ];
    let sources = run.clone();
    assign_fingerprints(&mut run.findings, |loc| sources.source_of(&loc.path));
    Report {
        runs: vec![run],
        exit_code: 2,
        errors: vec!["cannot read .hadolint.yaml: permission denied".into()],
        command_line: "portcullis lint --format sarif Dockerfile services/api/Dockerfile".into(),
        failure_threshold: Some(Severity::Warning),
        images: Vec::new(),
    }
}

/// A report whose only target is clean, as after a successful run.
pub(crate) fn clean_fixture() -> Report {
    let mut run = EngineRun::new(Engine::Dockerfile);
    run.targets = vec![target("Dockerfile", Some(CLEAN), None)];
    Report {
        runs: vec![run],
        exit_code: 0,
        errors: Vec::new(),
        command_line: String::new(),
        failure_threshold: Some(Severity::Warning),
        images: Vec::new(),
    }
}

/// A report with a run that looked at nothing.
pub(crate) fn empty_fixture() -> Report {
    Report {
        runs: vec![EngineRun::new(Engine::Dockerfile)],
        exit_code: 0,
        errors: Vec::new(),
        command_line: String::new(),
        failure_threshold: Some(Severity::Warning),
        images: Vec::new(),
    }
}

fn target(path: &str, source: Option<&str>, error: Option<&str>) -> Target {
    Target {
        path: PathBuf::from(path),
        source: source.map(Arc::from),
        rules: if error.is_some() {
            Vec::new()
        } else {
            ALL_RULES.to_vec()
        },
        error: error.map(str::to_owned),
    }
}
