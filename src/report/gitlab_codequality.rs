//! GitLab Code Quality (`artifacts:reports:codequality`): the Code Climate issue subset that the
//! merge-request widget reads on every tier, so that free tiers see image vulnerabilities too
//! (the container-scanning widget is Ultimate-only).
//!
//! GitLab shows an issue only for a file of the repository. Findings about live objects without
//! a file (a container, the engine) are left out, and so are vulnerabilities of packages whose
//! Dockerfile line is unknown; SARIF, JUnit and the container-scanning report carry them.
//!
//! Severities, monotone with SARIF's levels and with vulnerabilities ranked as our own
//! severities are (critical and high vulnerabilities are errors): `blocker` is kept for
//! critical vulnerabilities, error and high are `critical`, warning and medium `major`, info
//! and low `minor`, style and the rest `info`.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Component, Path};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::source::last_line;
use super::summary;
use super::RenderOptions;
use crate::finding::{Finding, Report, Severity};
use crate::image::scanned::ScannedImage;
use crate::source::fold_whitespace;
use crate::vuln::severity::Level;
use crate::vuln::vulnerability::Vulnerability;

#[derive(Serialize)]
struct Issue {
    /// Code Climate requires it; GitLab ignores it.
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: String,
    description: String,
    content: Content,
    categories: [&'static str; 1],
    location: IssueLocation,
    severity: &'static str,
    fingerprint: String,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

pub(crate) fn render(
    report: &Report,
    _options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut issues: Vec<Issue> = summary::sorted(report.findings())
        .into_iter()
        .filter_map(finding_issue)
        .collect();
    let mut vulnerabilities: Vec<Issue> = report
        .images
        .iter()
        .flat_map(|image| {
            image
                .reported_vulnerabilities()
                .filter_map(move |v| vulnerability_issue(image, v))
        })
        .collect();
    vulnerabilities.sort_by(|a, b| {
        (&a.location.path, a.location.lines.begin, &a.check_name).cmp(&(
            &b.location.path,
            b.location.lines.begin,
            &b.check_name,
        ))
    });
    issues.extend(vulnerabilities);
    make_fingerprints_unique(&mut issues);
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

fn finding_issue(finding: &Finding) -> Option<Issue> {
    let path = repository_path(&finding.location.path)?;
    let lines = finding
        .location
        .region
        .map_or(Lines { begin: 1, end: 1 }, |r| {
            let begin = r.start.line.max(1);
            Lines {
                begin,
                end: last_line(&r).max(begin),
            }
        });
    let rule = finding.rule;
    let category = if rule.is_security() {
        "Security"
    } else if finding.severity == Severity::Style {
        "Style"
    } else {
        "Bug Risk"
    };
    Some(Issue {
        kind: "issue",
        check_name: format!("{} {}", rule.code, rule.name),
        description: fold_whitespace(&finding.message),
        content: Content {
            body: format!("{}. See {}", rule.summary, rule.help_uri()),
        },
        categories: [category],
        location: IssueLocation { path, lines },
        severity: finding_severity(finding.severity),
        fingerprint: finding.fingerprint.clone(),
    })
}

/// A vulnerability on the Dockerfile line that installed its package, if that line is known.
fn vulnerability_issue(image: &ScannedImage, vulnerability: &Vulnerability) -> Option<Issue> {
    let package = &image.packages[vulnerability.package];
    let origin = image.origin(package)?;
    let path = repository_path(&origin.path)?;
    let line = u32::try_from(origin.line).unwrap_or(u32::MAX).max(1);
    let fix = match vulnerability.fix.version() {
        Some(version) => format!("fixed in {version}"),
        None => vulnerability.fix.describe().to_owned(),
    };
    let mut body = vulnerability
        .summary
        .as_deref()
        .map_or_else(String::new, |s| format!("{}\n\n", fold_whitespace(s)));
    body.push_str(&format!(
        "Fixed version of {}: {}.",
        package.name,
        vulnerability.fix.describe()
    ));
    if let Some(url) = vulnerability.references.first() {
        body.push_str(&format!(" See {url}"));
    }
    // The image's fingerprint survives rebuilds and retags; the path tells apart images built
    // from different Dockerfiles. Line numbers stay out so that moving lines changes nothing.
    let digest = Sha256::new()
        .chain_update(image.fingerprint(vulnerability))
        .chain_update([0])
        .chain_update(&path)
        .finalize();
    Some(Issue {
        kind: "issue",
        check_name: vulnerability.id.clone(),
        description: fold_whitespace(&format!(
            "{} ({}) in {} {} of image {}: {fix}",
            vulnerability.id,
            vulnerability.severity.level,
            package.name,
            package.version,
            image.reference
        )),
        content: Content { body },
        categories: ["Security"],
        location: IssueLocation {
            path,
            lines: Lines {
                begin: line,
                end: line,
            },
        },
        severity: vulnerability_severity(vulnerability.severity.level),
        fingerprint: crate::hex::encode(&digest[..16]),
    })
}

fn finding_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "minor",
        Severity::Style => "info",
    }
}

fn vulnerability_severity(level: Level) -> &'static str {
    match level {
        Level::Critical => "blocker",
        Level::High => "critical",
        Level::Medium => "major",
        Level::Low => "minor",
        Level::Negligible | Level::Unknown => "info",
    }
}

/// The path as GitLab wants it (relative, `/`-separated, no `./`), or `None` for what is not a
/// file of the repository: a live object's URI, standard input.
fn repository_path(path: &Path) -> Option<String> {
    let text = path.to_str()?;
    if text.contains("://") || text == "-" {
        return None;
    }
    // Absolute paths stay absolute: GitLab lists them but cannot link them to the diff.
    let mut out = String::new();
    for component in path.components() {
        match component {
            Component::Prefix(prefix) => out.push_str(&prefix.as_os_str().to_string_lossy()),
            Component::RootDir => out.push('/'),
            Component::CurDir => {}
            Component::ParentDir | Component::Normal(_) => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&component.as_os_str().to_string_lossy());
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// GitLab merges issues with equal fingerprints in the widget; a repeat (two images built from
/// one Dockerfile, say) gets the fingerprint hashed with its occurrence number.
fn make_fingerprints_unique(issues: &mut [Issue]) {
    let mut seen = HashSet::new();
    for issue in issues {
        let mut occurrence = 1u32;
        let original = issue.fingerprint.clone();
        while !seen.insert(issue.fingerprint.clone()) {
            occurrence += 1;
            let digest = Sha256::new()
                .chain_update(&original)
                .chain_update(occurrence.to_le_bytes())
                .finalize();
            issue.fingerprint = crate::hex::encode(&digest[..16]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{
        all_fixtures, clean_fixture, empty_fixture, image_fixture, options, runtime_fixture,
    };
    use crate::report::{render_to_string, test_fixture, Format};
    use crate::test_support::{json_schema_errors, shared_file};
    use serde_json::Value;

    const SCHEMA: &str = "schemas/gitlab/code-quality/gl-code-quality.local.schema.json";
    const CATEGORIES: [&str; 8] = [
        "Bug Risk",
        "Clarity",
        "Compatibility",
        "Complexity",
        "Duplication",
        "Performance",
        "Security",
        "Style",
    ];

    fn text(report: &Report) -> String {
        render_to_string(Format::GitlabCodequality, report, &options())
    }

    fn issues(report: &Report) -> Vec<Value> {
        serde_json::from_str::<Value>(&text(report))
            .expect("valid JSON")
            .as_array()
            .expect("an array")
            .clone()
    }

    #[test]
    fn snapshot_of_the_fixture() {
        insta::assert_snapshot!(text(&test_fixture()));
    }

    #[test]
    fn snapshot_of_a_runtime_run() {
        insta::assert_snapshot!(text(&runtime_fixture()));
    }

    #[test]
    fn snapshot_of_an_image_with_vulnerabilities() {
        insta::assert_snapshot!(text(&image_fixture()));
    }

    #[test]
    fn clean_and_empty_runs_are_empty_arrays() {
        assert_eq!(text(&clean_fixture()), "[]\n");
        assert_eq!(text(&empty_fixture()), "[]\n");
    }

    #[test]
    fn validates_against_the_schema() {
        let Some(schema) = shared_file(SCHEMA) else {
            return;
        };
        for report in all_fixtures() {
            let errors =
                json_schema_errors(&schema, &serde_json::to_value(issues(&report)).unwrap());
            assert!(errors.is_empty(), "{errors:#?}");
        }
        // The check bites: GitLab knows no `error` severity and needs a line.
        let mut broken = issues(&test_fixture());
        broken[0]["severity"] = "error".into();
        broken[1]["location"]
            .as_object_mut()
            .unwrap()
            .remove("lines");
        let errors = json_schema_errors(&schema, &Value::Array(broken));
        assert_eq!(errors.len(), 2, "{errors:#?}");
    }

    /// What the local schema does not say but GitLab and Code Climate rely on.
    #[test]
    fn gitlab_and_code_climate_invariants_hold() {
        for report in all_fixtures() {
            let out = text(&report);
            assert!(!out.starts_with('\u{feff}'), "GitLab rejects a BOM");
            let issues = issues(&report);
            let fingerprints: HashSet<&str> = issues
                .iter()
                .map(|i| i["fingerprint"].as_str().unwrap())
                .collect();
            assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
            for issue in &issues {
                assert_eq!(issue["type"], "issue");
                let description = issue["description"].as_str().unwrap();
                assert!(!description.contains('\n'), "one line: {description}");
                let categories = issue["categories"].as_array().unwrap();
                assert!(!categories.is_empty());
                assert!(categories
                    .iter()
                    .all(|c| CATEGORIES.contains(&c.as_str().unwrap())));
                let path = issue["location"]["path"].as_str().unwrap();
                assert!(!path.contains("://") && !path.starts_with('/') && !path.starts_with("./"));
                let lines = &issue["location"]["lines"];
                assert!(lines["begin"].as_u64().unwrap() <= lines["end"].as_u64().unwrap());
            }
        }
    }

    #[test]
    fn findings_carry_rule_severity_lines_and_our_fingerprint() {
        let report = test_fixture();
        let issues = issues(&report);
        assert_eq!(issues.len(), 4);
        let by_check = |check: &str| {
            issues
                .iter()
                .find(|i| i["check_name"] == check)
                .unwrap_or_else(|| panic!("no {check}"))
        };
        let root = by_check("PC1001 root-user");
        assert_eq!(root["severity"], "critical");
        assert_eq!(root["categories"], serde_json::json!(["Security"]));
        assert_eq!(root["description"], "the last USER is root");
        assert_eq!(
            root["location"]["lines"],
            serde_json::json!({"begin": 5, "end": 5})
        );
        let finding = report.runs[0]
            .findings
            .iter()
            .find(|f| f.rule.code == "PC1001")
            .unwrap();
        assert_eq!(root["fingerprint"], finding.fingerprint.as_str());
        // Lowered by the policy: the finding's severity counts, not the rule's.
        assert_eq!(
            by_check("PC2001 secret-value-in-arg-env")["severity"],
            "major"
        );
        let cache = by_check("PC4001 package-cache-left");
        assert_eq!(
            cache["location"]["lines"],
            serde_json::json!({"begin": 3, "end": 4})
        );
        assert_eq!(cache["categories"], serde_json::json!(["Bug Risk"]));
        let whole_file = by_check("PC4002 missing-healthcheck");
        assert_eq!(whole_file["severity"], "minor");
        assert_eq!(
            whole_file["location"]["lines"],
            serde_json::json!({"begin": 1, "end": 1})
        );
    }

    #[test]
    fn live_objects_without_a_file_are_left_out() {
        let issues = issues(&runtime_fixture());
        let paths: Vec<&str> = issues
            .iter()
            .map(|i| i["location"]["path"].as_str().unwrap())
            .collect();
        // The container that Compose started stays, on its Compose line; `db` and the engine
        // have no file.
        assert_eq!(paths, ["compose.yaml"]);
        assert_eq!(issues[0]["location"]["lines"]["begin"], 4);
    }

    #[test]
    fn vulnerabilities_sit_on_their_dockerfile_lines() {
        let issues = issues(&image_fixture());
        // The suppressed vulnerability is not reported.
        assert_eq!(issues.len(), 2);
        let critical = &issues[1];
        assert_eq!(critical["check_name"], "CVE-2024-0001");
        assert_eq!(critical["severity"], "blocker");
        assert_eq!(critical["categories"], serde_json::json!(["Security"]));
        assert_eq!(critical["location"]["path"], "Dockerfile");
        assert_eq!(critical["location"]["lines"]["begin"], 3);
        let description = critical["description"].as_str().unwrap();
        assert!(
            description.contains("libssl3 3.0.11-1~deb12u1"),
            "{description}"
        );
        assert!(
            description.contains("fixed in 3.0.13-1~deb12u1"),
            "{description}"
        );
        let base = &issues[0];
        assert_eq!(base["check_name"], "CVE-2024-0002");
        assert_eq!(base["severity"], "major");
        assert_eq!(base["location"]["lines"]["begin"], 1, "the FROM line");
        assert!(base["description"]
            .as_str()
            .unwrap()
            .ends_with("no fix yet"));

        // Without a Dockerfile there is no line to put them on.
        let mut unattributed = image_fixture();
        unattributed.images[0].layer_origins = vec![None, None];
        assert_eq!(text(&unattributed), "[]\n");
    }

    #[test]
    fn vulnerability_fingerprints_survive_retags_and_moved_lines() {
        let before = issues(&image_fixture());
        let mut after = image_fixture();
        after.images[0].reference = "registry.example.com/team/app:1.5".into();
        after.images[0].layer_origins[1].as_mut().unwrap().line = 7;
        let after = issues(&after);
        assert_eq!(before[1]["fingerprint"], after[1]["fingerprint"]);
        assert_eq!(after[1]["location"]["lines"]["begin"], 7);
    }

    #[test]
    fn repeated_issues_get_distinct_fingerprints() {
        // Two images built from the same Dockerfile share their vulnerabilities' identity.
        let mut report = image_fixture();
        let mut twin = report.images[0].clone();
        twin.reference = "registry.example.com/team/app-debug:1.4".into();
        report.images.push(twin);
        let issues = issues(&report);
        assert_eq!(issues.len(), 4);
        let fingerprints: HashSet<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(fingerprints.len(), 4);
    }

    #[test]
    fn paths_are_relative_to_the_repository() {
        let path = |p: &str| repository_path(Path::new(p));
        assert_eq!(
            path("./docker/Dockerfile").as_deref(),
            Some("docker/Dockerfile")
        );
        assert_eq!(path("Dockerfile").as_deref(), Some("Dockerfile"));
        assert_eq!(path("docker://build-host/containers/db"), None);
        assert_eq!(path("-"), None);
        assert_eq!(
            path("/srv/app/Dockerfile").as_deref(),
            Some("/srv/app/Dockerfile")
        );
        assert_eq!(path("../Dockerfile").as_deref(), Some("../Dockerfile"));
    }
}
