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

pub(crate) static PRIVILEGED: Rule = Rule {
    code: "PC1004",
    name: "privileged-container",
    summary: "The container runs privileged",
    severity: Severity::Error,
    tags: &[
        "security",
        "CIS-Docker-1.6.0:5.5",
        "PSS:baseline:privileged",
    ],
    aliases: &["KSV-0017"],
    help: HELP,
    enabled_by_default: true,
};

pub(crate) static LIVE_RESTORE_OFF: Rule = Rule {
    code: "PC7013",
    name: "live-restore-off",
    summary: "Containers stop when the daemon stops",
    severity: Severity::Info,
    tags: &["CIS-Docker-1.6.0:2.15"],
    aliases: &[],
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
        started_at: None,
    }
}

/// Every fixture, for the checks each reporter's output must pass whatever it reports.
pub(crate) fn all_fixtures() -> [Report; 5] {
    [
        test_fixture(),
        clean_fixture(),
        empty_fixture(),
        image_fixture(),
        runtime_fixture(),
    ]
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
        started_at: None,
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
        started_at: None,
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

const COMPOSE: &str = "services:\n  web:\n    image: shop/web:1.4\n    privileged: true\n";

/// A runtime run: a Compose file, a container that Compose started (its finding on the Compose
/// line, with the container as its object), a container without a file, and the engine.
pub(crate) fn runtime_fixture() -> Report {
    use crate::finding::LiveObject;

    let container = |name: &str| LiveObject {
        kind: "container",
        name: name.into(),
        uri: format!("docker://build-host/containers/{name}"),
    };
    let engine = LiveObject {
        kind: "engine",
        name: "Docker 20.10.24".into(),
        uri: "docker://build-host".into(),
    };
    let mut run = EngineRun::new(Engine::Runtime);
    let runtime_rules = |target: Target| Target {
        rules: vec![&PRIVILEGED, &LIVE_RESTORE_OFF],
        ..target
    };
    run.targets = vec![
        runtime_rules(target("compose.yaml", Some(COMPOSE), None)),
        runtime_rules(target("docker://build-host/containers/db", None, None)),
        runtime_rules(target("docker://build-host", None, None)),
    ];
    run.findings = vec![
        Finding::new(
            &PRIVILEGED,
            "container `shop-web-1` is privileged",
            at("compose.yaml", Some(region(COMPOSE, (4, 5), (4, 15)))),
        )
        .with_object(container("shop-web-1")),
        Finding::new(
            &PRIVILEGED,
            "container `db` is privileged (HostConfig.Privileged)",
            at("docker://build-host/containers/db", None),
        )
        .with_aliases(&[])
        .with_object(container("db")),
        Finding::new(
            &LIVE_RESTORE_OFF,
            "Docker 20.10.24 stops every container when the daemon stops (/info LiveRestoreEnabled)",
            at("docker://build-host", None),
        )
        .with_object(engine),
    ];
    let sources = run.clone();
    assign_fingerprints(&mut run.findings, |loc| sources.source_of(&loc.path));
    Report {
        runs: vec![run],
        exit_code: 1,
        errors: Vec::new(),
        command_line: "portcullis runtime --all -f sarif".into(),
        failure_threshold: Some(Severity::Info),
        images: Vec::new(),
        started_at: None,
    }
}

/// A scanned image with known vulnerabilities: a fixed critical one on a package installed by a
/// Dockerfile line, an unfixed one in the base image, and one suppressed by an ignore file (as
/// with `--show-suppressed`), plus a package without any.
pub(crate) fn image_fixture() -> Report {
    use crate::image::catalog::{Distro, Ecosystem, Package};
    use crate::image::layers::Compression;
    use crate::image::scan::LayerInfo;
    use crate::image::scanned::{DockerfileLine, ScannedImage};
    use crate::vuln::severity::{Level, Rating};
    use crate::vuln::triage::Suppression;
    use crate::vuln::vulnerability::{Fix, Vulnerability};

    const REFERENCE: &str = "registry.example.com/team/app:1.4";
    let layer = |index: usize, digest: char, created_by: &str| LayerInfo {
        index,
        media_type: "application/vnd.oci.image.layer.v1.tar+gzip".into(),
        digest: format!("sha256:{}", digest.to_string().repeat(64)),
        size: 1000 * (index as u64 + 1),
        diff_id: None,
        created_by: Some(created_by.into()),
        compression: Compression::Gzip,
        entries: 10,
        tar_bytes: 4096,
    };
    let package = |name: &str, version: &str, source: (&str, &str), layer: usize| Package {
        name: name.into(),
        version: version.into(),
        source_name: Some(source.0.into()),
        source_version: Some(source.1.into()),
        ecosystem: Ecosystem::Debian,
        purl: format!("pkg:deb/debian/{name}@{version}?arch=amd64&distro=debian-12"),
        arch: Some("amd64".into()),
        evidence: vec!["/var/lib/dpkg/status".into()],
        layer: Some(layer),
        cataloger: "dpkg",
    };
    let origin = |line: usize, base: bool| {
        Some(DockerfileLine {
            path: PathBuf::from("Dockerfile"),
            line,
            base,
        })
    };
    let vulnerability = |id: &str, package: usize, level: Level, fix: Fix| Vulnerability {
        id: id.into(),
        aliases: vec![format!("DEBIAN-{id}")],
        advisories: vec![format!("DEBIAN-{id}")],
        package,
        ecosystem: "Debian:12".into(),
        matched_name: "openssl".into(),
        matched_version: "3.0.11-1~deb12u1".into(),
        summary: Some(format!("{id} in a test package")),
        severity: Rating {
            level,
            score: (level == Level::Critical).then_some(9.8),
            vector: (level == Level::Critical)
                .then(|| "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into()),
            source: "CVSS_V3".into(),
        },
        fix,
        references: vec![format!("https://osv.dev/vulnerability/DEBIAN-{id}")],
        published: Some("2024-01-02T00:00:00Z".into()),
        suppression: None,
    };
    let mut suppressed = vulnerability(
        "CVE-2024-0003",
        1,
        Level::High,
        Fix::Fixed {
            version: "3.0.13-1~deb12u1".into(),
        },
    );
    suppressed.suppression = Some(Suppression::Ignored {
        source: ".portcullis-ignore.toml:1".into(),
        reason: Some("not reachable in this service".into()),
    });
    let image = ScannedImage {
        reference: REFERENCE.into(),
        manifest_digest: Some(format!("sha256:{}", "d".repeat(64))),
        config_digest: Some(format!("sha256:{}", "c".repeat(64))),
        os: "linux".into(),
        architecture: "amd64".into(),
        distro: Some(Distro {
            id: "debian".into(),
            version_id: Some("12".into()),
            codename: Some("bookworm".into()),
            pretty_name: Some("Debian GNU/Linux 12 (bookworm)".into()),
        }),
        layers: vec![
            layer(0, 'a', "# debian.sh"),
            layer(1, 'b', "RUN /bin/sh -c apt-get install -y openssl"),
        ],
        packages: vec![
            package("libc6", "2.36-9+deb12u7", ("glibc", "2.36-9+deb12u7"), 0),
            package(
                "libssl3",
                "3.0.11-1~deb12u1",
                ("openssl", "3.0.11-1~deb12u1"),
                1,
            ),
            package(
                "base-files",
                "12.4+deb12u5",
                ("base-files", "12.4+deb12u5"),
                0,
            ),
        ],
        layer_origins: vec![origin(1, true), origin(3, false)],
        problems: Vec::new(),
        vulnerabilities: Some(vec![
            vulnerability(
                "CVE-2024-0001",
                1,
                Level::Critical,
                Fix::Fixed {
                    version: "3.0.13-1~deb12u1".into(),
                },
            ),
            vulnerability("CVE-2024-0002", 0, Level::Medium, Fix::NotFixed),
            suppressed,
        ]),
        suppressed_hidden: 0,
    };
    let mut run = EngineRun::new(Engine::Image);
    run.targets = vec![target(REFERENCE, None, None)];
    run.targets[0].rules = Vec::new();
    Report {
        runs: vec![run],
        exit_code: 1,
        errors: Vec::new(),
        command_line: format!("portcullis scan {REFERENCE} --fail-on high"),
        failure_threshold: None,
        images: vec![image],
        started_at: None,
    }
}
