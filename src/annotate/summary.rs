//! The one summary comment or note a run keeps on a pull or merge request: the Markdown
//! report when there is one, else a table of counts; found again by its hidden first line.

use super::report::ReportFile;
use crate::finding::Severity;
pub use crate::report::SUMMARY_MARKER as MARKER;

/// Whether a comment is ours: its body starts with the marker (a reply quoting it does not).
pub fn is_summary(body: &str) -> bool {
    body.trim_start().starts_with(MARKER)
}

/// `body` with the marker first, once.
pub fn with_marker(body: &str) -> String {
    if is_summary(body) {
        body.to_owned()
    } else {
        format!("{MARKER}\n{body}")
    }
}

/// A short Markdown summary from the report's counts, for when no `--markdown` file is given.
pub fn counts_summary(report: &ReportFile) -> String {
    let mut text = format!("{MARKER}\n### Portcullis — {}\n\n", title(report));
    let counts = report.counts();
    if counts.iter().any(|&(_, n)| n > 0) {
        text.push_str("| Severity | Findings |\n| --- | ---: |\n");
        for (severity, n) in counts.iter().rev() {
            text.push_str(&format!("| {severity} | {n} |\n"));
        }
    }
    if !report.errors.is_empty() {
        text.push_str("\nThe run was incomplete:\n\n");
        for error in &report.errors {
            let line = error.replace(['\r', '\n'], " ");
            text.push_str(&format!("- {line}\n"));
        }
    }
    text
}

/// `Failed: 6 findings (3 warnings, 3 info)`.
pub fn title(report: &ReportFile) -> String {
    let outcome = match report.exit_code {
        0 => "Passed",
        1 => "Failed",
        _ => "Incomplete",
    };
    let counts = report.counts();
    let total: usize = counts.iter().map(|&(_, n)| n).sum();
    if total == 0 {
        return format!("{outcome}: no findings");
    }
    let parts: Vec<String> = counts
        .iter()
        .rev()
        .filter(|&&(_, n)| n > 0)
        .map(|&(severity, n)| format!("{n} {}", noun(severity, n)))
        .collect();
    format!(
        "{outcome}: {total} finding{} ({})",
        if total == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

fn noun(severity: Severity, n: usize) -> String {
    match severity {
        Severity::Error | Severity::Warning if n != 1 => format!("{severity}s"),
        _ => severity.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::report::read;
    use crate::report::fixture::{clean_fixture, test_fixture};

    #[test]
    fn the_marker_goes_first_once() {
        assert_eq!(with_marker("# hi"), format!("{MARKER}\n# hi"));
        let already = format!("{MARKER}\n# hi");
        assert_eq!(with_marker(&already), already);
        assert!(is_summary(&format!("\n{MARKER}\nx")));
        assert!(!is_summary(&format!("> {MARKER}\n> quoted")));
    }

    #[test]
    fn counts_summary_and_title() {
        let report = read(&test_fixture());
        let text = counts_summary(&report);
        assert!(text.starts_with(MARKER), "{text}");
        assert!(text.contains("| error | 1 |"), "{text}");
        assert!(title(&report).contains("4 findings"), "{}", title(&report));
        let clean = read(&clean_fixture());
        assert!(title(&clean).ends_with("no findings"), "{}", title(&clean));
        assert!(!counts_summary(&clean).contains("| Severity"));
    }
}
