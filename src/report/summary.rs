//! What every reporter agrees on: the order of findings and how they are counted.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::path::Path;

use crate::finding::{Finding, Report, Severity};

/// Reading order: by path, then position (file-level findings first), then code. Every format
/// uses it so that outputs are deterministic and diff well.
pub(crate) fn order(a: &Finding, b: &Finding) -> Ordering {
    let position = |f: &Finding| f.location.region.map(|r| (r.start, r.end));
    a.location
        .path
        .cmp(&b.location.path)
        .then_with(|| position(a).cmp(&position(b)))
        .then_with(|| a.rule.code.cmp(b.rule.code))
}

/// Findings in [`order`].
pub(crate) fn sorted<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<&'a Finding> {
    let mut findings: Vec<&Finding> = findings.into_iter().collect();
    findings.sort_by(|a, b| order(a, b));
    findings
}

/// Finding counts per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Indexed like [`Severity::ALL`].
    by_severity: [usize; 4],
}

impl Counts {
    pub(crate) fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut counts = Counts::default();
        for finding in findings {
            counts.by_severity[finding.severity as usize] += 1;
        }
        counts
    }

    pub(crate) fn get(&self, severity: Severity) -> usize {
        self.by_severity[severity as usize]
    }

    pub(crate) fn total(&self) -> usize {
        self.by_severity.iter().sum()
    }

    /// Most severe first, as people read summaries.
    pub(crate) fn most_severe_first(&self) -> impl Iterator<Item = (Severity, usize)> + '_ {
        Severity::ALL.iter().rev().map(|&s| (s, self.get(s)))
    }
}

/// The distinct paths of all targets in the report.
pub(crate) fn target_paths(report: &Report) -> BTreeSet<&Path> {
    report
        .runs
        .iter()
        .flat_map(|run| run.targets.iter().map(|t| t.path.as_path()))
        .collect()
}

/// Whether anything kept the invocation from analysing everything it was asked to.
pub(crate) fn incomplete(report: &Report) -> bool {
    !report.errors.is_empty()
        || report
            .runs
            .iter()
            .any(|run| run.targets.iter().any(|t| t.error.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_fixture;

    #[test]
    fn findings_sort_by_path_position_and_code() {
        let report = test_fixture();
        let order: Vec<_> = sorted(report.findings())
            .into_iter()
            .map(|f| (f.location.path.display().to_string(), f.line(), f.rule.code))
            .collect();
        let mut expected = order.clone();
        expected.sort();
        assert_eq!(order, expected);
        // File-level findings come before positioned ones in the same file.
        assert_eq!(order[0].1, None);
    }

    #[test]
    fn counts_add_up() {
        let report = test_fixture();
        let counts = Counts::of(report.findings());
        assert_eq!(counts.total(), report.findings().count());
        assert_eq!(
            counts
                .most_severe_first()
                .map(|(s, _)| s)
                .collect::<Vec<_>>(),
            [
                Severity::Error,
                Severity::Warning,
                Severity::Info,
                Severity::Style
            ]
        );
    }
}
