//! JUnit XML in the Jenkins `junit-10.xsd` dialect, for the GitLab and Jenkins test widgets.
//!
//! One `<testsuite>` per target, one `<testcase>` per rule evaluated on it, passing ones
//! included, so that fixing a problem shows up as a resolved failure. Test names carry no line
//! numbers: GitLab matches tests across commits by (classname, name).

use std::collections::BTreeMap;
use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use super::summary;
use super::{RenderOptions, TOOL_NAME};
use crate::finding::{Finding, Report, Target};
use crate::image::catalog::Package;
use crate::image::scanned::ScannedImage;
use crate::rules::Rule;
use crate::vuln::severity::Level;
use crate::vuln::vulnerability::Vulnerability;

/// The suite holding errors that are not about one target (bad configuration and the like).
const INVOCATION_SUITE: &str = "portcullis invocation";

pub(crate) fn render(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut junit = quick_junit::Report::new(TOOL_NAME);
    for run in &report.runs {
        for target in &run.targets {
            let findings: Vec<&Finding> = run
                .findings
                .iter()
                .filter(|f| f.location.path == target.path)
                .collect();
            let mut suite = suite(target, &findings, options);
            let scanned = report
                .images
                .iter()
                .find(|image| target.path.as_os_str() == image.reference.as_str());
            if let Some(image) = scanned {
                suite.add_test_cases(package_cases(image));
            }
            junit.add_test_suite(suite);
        }
    }
    if !report.errors.is_empty() {
        junit.add_test_suite(invocation_suite(&report.errors));
    }
    let xml = junit.to_string().map_err(io::Error::other)?;
    out.write_all(without_skipped_total(&xml).as_bytes())
}

fn suite(target: &Target, findings: &[&Finding], options: &RenderOptions) -> TestSuite {
    let path = target.path.to_string_lossy();
    let mut suite = TestSuite::new(path.as_ref());
    suite.add_property(Property::new("portcullis.version", options.tool_version));
    if let Some(error) = &target.error {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status
            .set_type("analysis-error")
            .set_message(error.as_str())
            .set_description(format!("{path}: could not be analysed completely: {error}"));
        suite.add_test_case(test_case("analysis", &path, status));
    }
    // Rules evaluated here, plus any rule that reported here without being listed.
    let mut by_rule: BTreeMap<&str, (&Rule, Vec<&Finding>)> = target
        .rules
        .iter()
        .map(|rule| (rule.code, (*rule, Vec::new())))
        .collect();
    for finding in summary::sorted(findings.iter().copied()) {
        by_rule
            .entry(finding.rule.code)
            .or_insert_with(|| (finding.rule, Vec::new()))
            .1
            .push(finding);
    }
    for (rule, findings) in by_rule.values() {
        let status = if findings.is_empty() {
            TestCaseStatus::success()
        } else {
            failure(rule, findings)
        };
        suite.add_test_case(test_case(
            &format!("{} {}", rule.code, rule.name),
            &path,
            status,
        ));
    }
    suite
}

/// A failed rule: the message names the first finding, the body lists them all.
fn failure(rule: &Rule, findings: &[&Finding]) -> TestCaseStatus {
    let first = findings[0];
    let mut message = format!("{}: {}", first.severity, first.message);
    if findings.len() > 1 {
        message.push_str(&format!(" (+{} more)", findings.len() - 1));
    }
    let mut body: Vec<String> = findings
        .iter()
        .map(|f| {
            let path = f.location.path.display();
            match f.location.region {
                Some(r) => format!(
                    "{path}:{}:{}: {}: {}",
                    r.start.line, r.start.column, f.severity, f.message
                ),
                None => format!("{path}: {}: {}", f.severity, f.message),
            }
        })
        .collect();
    body.push(String::new());
    body.push(format!("{} {}: {}", rule.code, rule.name, rule.summary));
    body.push(rule.help_uri());
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_type(rule.code)
        .set_message(message)
        .set_description(body.join("\n"));
    status
}

/// One test case per package of a scanned image (when vulnerabilities were matched): it fails
/// with the package's reported vulnerabilities, so upgrading shows as a fixed test.
fn package_cases(image: &ScannedImage) -> Vec<TestCase> {
    if image.vulnerabilities.is_none() {
        return Vec::new();
    }
    let mut by_package: BTreeMap<usize, Vec<&Vulnerability>> = BTreeMap::new();
    for vulnerability in image.reported_vulnerabilities() {
        by_package
            .entry(vulnerability.package)
            .or_default()
            .push(vulnerability);
    }
    image
        .packages
        .iter()
        .enumerate()
        .map(|(index, package)| {
            // Names carry no version: upgrading must keep the test's identity.
            let mut name = format!("{} {}", package.ecosystem, package.name);
            if let Some(path) = package.evidence.first() {
                name.push_str(&format!(" ({path})"));
            }
            let status = match by_package.get(&index) {
                None => TestCaseStatus::success(),
                Some(found) => vulnerable(package, found),
            };
            test_case(&name, &image.reference, status)
        })
        .collect()
}

fn vulnerable(package: &Package, found: &[&Vulnerability]) -> TestCaseStatus {
    let worst = found
        .iter()
        .map(|v| v.severity.level)
        .max()
        .unwrap_or(Level::Unknown);
    let message = format!(
        "{} {}: {} known {} (worst: {worst})",
        package.name,
        package.version,
        found.len(),
        if found.len() == 1 {
            "vulnerability"
        } else {
            "vulnerabilities"
        }
    );
    let body: Vec<String> = found
        .iter()
        .map(|v| {
            let summary = v.summary.as_deref().unwrap_or("");
            format!(
                "{} [{}] fix: {} {summary}",
                v.id,
                v.severity.level,
                v.fix.describe()
            )
        })
        .collect();
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_type("vulnerability")
        .set_message(message)
        .set_description(body.join("\n"));
    status
}

fn invocation_suite(errors: &[String]) -> TestSuite {
    let mut suite = TestSuite::new(INVOCATION_SUITE);
    for (i, error) in errors.iter().enumerate() {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status
            .set_type("invocation-error")
            .set_message(error.as_str());
        suite.add_test_case(test_case(
            &format!("error {}", i + 1),
            INVOCATION_SUITE,
            status,
        ));
    }
    suite
}

fn test_case(name: &str, classname: &str, status: TestCaseStatus) -> TestCase {
    let mut case = TestCase::new(name, status);
    case.set_classname(classname);
    case
}

/// quick-junit always writes `skipped` on `<testsuites>`, which `junit-10.xsd` does not allow
/// there. We never skip a test, so the attribute carries nothing and is dropped.
fn without_skipped_total(xml: &str) -> String {
    let Some(start) = xml.find("<testsuites") else {
        return xml.to_owned();
    };
    let tag_end = xml[start..].find('>').map_or(xml.len(), |i| start + i);
    match xml[start..tag_end].find(" skipped=\"0\"") {
        Some(at) => {
            let at = start + at;
            format!("{}{}", &xml[..at], &xml[at + " skipped=\"0\"".len()..])
        }
        None => xml.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{
        all_fixtures, clean_fixture, image_fixture, options, runtime_fixture,
    };
    use crate::report::{render_to_string, test_fixture, Format};
    use crate::test_support::{shared_file, xmllint_validate};

    fn xml(report: &Report) -> String {
        render_to_string(Format::Junit, report, &options())
    }

    #[test]
    fn snapshot_of_the_fixture() {
        insta::assert_snapshot!(xml(&test_fixture()));
    }

    #[test]
    fn snapshot_of_a_runtime_run() {
        insta::assert_snapshot!(xml(&runtime_fixture()));
    }

    #[test]
    fn output_validates_against_junit_10_xsd() {
        let Some(xsd) = shared_file("schemas/junit/junit-10.xsd") else {
            return;
        };
        for report in all_fixtures() {
            let Some(outcome) = xmllint_validate(&xsd, &xml(&report)) else {
                return;
            };
            if let Err(complaints) = outcome {
                panic!("{complaints}\n{}", xml(&report));
            }
        }
    }

    #[test]
    fn the_xsd_check_catches_what_quick_junit_writes_by_default() {
        let Some(xsd) = shared_file("schemas/junit/junit-10.xsd") else {
            return;
        };
        let raw = quick_junit::Report::new("x").to_string().unwrap();
        if let Some(outcome) = xmllint_validate(&xsd, &raw) {
            assert!(
                outcome.is_err(),
                "quick-junit's `skipped` total is valid now"
            );
        }
    }

    #[test]
    fn counts_match_the_fixture() {
        let out = xml(&test_fixture());
        // 5 rules on each of 2 analysed targets; the broken target and the invocation each
        // have one error case.
        assert!(
            out.contains(r#"<testsuites name="portcullis" tests="12" failures="4" errors="2">"#),
            "{out}"
        );
    }

    #[test]
    fn a_clean_target_passes_every_rule() {
        let out = xml(&clean_fixture());
        assert!(
            out.contains(r#"tests="5" failures="0" errors="0""#),
            "{out}"
        );
        assert!(!out.contains("<failure"));
    }

    #[test]
    fn a_failure_names_the_first_finding_and_counts_the_rest() {
        let report = test_fixture();
        let first = &report.runs[0].findings[0];
        let mut second = first.clone();
        second.message = "again".into();
        let TestCaseStatus::NonSuccess {
            message,
            ty,
            description,
            ..
        } = failure(first.rule, &[first, &second])
        else {
            panic!("a rule with findings fails");
        };
        assert_eq!(
            message.unwrap().as_str(),
            "error: the last USER is root (+1 more)"
        );
        assert_eq!(ty.unwrap().as_str(), "PC1001");
        let description = description.unwrap().into_string();
        assert!(
            description.contains("Dockerfile:5:1: error: again"),
            "{description}"
        );
        assert!(description.ends_with("#pc1001"), "{description}");
    }

    #[test]
    fn the_skipped_total_is_removed_only_from_the_root() {
        let xml = "<?xml?>\n<testsuites name=\"p\" tests=\"1\" skipped=\"0\" failures=\"0\">\n<testsuite skipped=\"0\"/>";
        assert_eq!(
            without_skipped_total(xml),
            "<?xml?>\n<testsuites name=\"p\" tests=\"1\" failures=\"0\">\n<testsuite skipped=\"0\"/>"
        );
    }

    #[test]
    fn one_case_per_package_fails_with_its_vulnerabilities() {
        let out = xml(&image_fixture());
        assert!(out.contains(r#"<testcase name="Debian libssl3 (/var/lib/dpkg/status)" classname="registry.example.com/team/app:1.4""#), "{out}");
        assert!(
            out.contains("libssl3 3.0.11-1~deb12u1: 1 known vulnerability (worst: critical)"),
            "{out}"
        );
        assert!(
            out.contains("libc6 2.36-9+deb12u7: 1 known vulnerability (worst: medium)"),
            "{out}"
        );
        assert!(out.contains(r#"<testcase name="Debian base-files (/var/lib/dpkg/status)" classname="registry.example.com/team/app:1.4"/>"#), "{out}");
        // The suppressed CVE-2024-0003 is not a failure.
        assert!(!out.contains("CVE-2024-0003"), "{out}");
    }
}
