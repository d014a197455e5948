//! A Markdown summary for pull-request comments (GitHub, GitLab) and CI job summaries
//! (`$GITHUB_STEP_SUMMARY`): the outcome, counts per engine, the most severe findings, the
//! vulnerabilities of each image and the errors that made the run incomplete.
//!
//! The first line is a hidden marker by which annotators find their previous comment and update
//! it instead of adding another. Everything taken from the report is escaped, so a message
//! cannot add links, HTML or formatting, and the whole text stays under GitHub's comment limit
//! (65,536 characters) whatever the input: tables are capped, cells are cut, and as a last
//! resort the text is truncated with a note.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::summary::{self, Counts};
use super::text::plural;
use super::RenderOptions;
use crate::finding::{Engine, Finding, Report};
use crate::image::scanned::ScannedImage;
use crate::vuln::severity::Level;
use crate::vuln::vulnerability::Vulnerability;

/// The first line of every summary.
pub const MARKER: &str = "<!-- portcullis-summary -->";
/// The most the summary takes, in bytes (never fewer than characters): GitHub's comment and
/// check-run summary limit is 65,535 characters, and annotators may add a line of their own.
pub(crate) const MAX_BYTES: usize = 64_000;
const FINDING_ROWS: usize = 30;
const VULNERABILITY_ROWS: usize = 30;
const IMAGE_ROWS: usize = 20;
const ERROR_ROWS: usize = 20;
/// Characters of report text per table cell or list item.
const CELL_CHARS: usize = 200;
/// Longer reference URLs are not linked.
const MAX_URL: usize = 500;
const TRUNCATED: &str = "\n\n> **Note:** this summary was cut to fit in a comment; the SARIF, \
                         JSON and JUnit reports have everything.\n";

pub(crate) fn render(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(capped(summary(report, options)).as_bytes())
}

/// The whole summary, before the size cap.
fn summary(report: &Report, options: &RenderOptions) -> String {
    let mut md = format!("{MARKER}\n");
    headline(&mut md, report);
    engine_counts(&mut md, report);
    findings(&mut md, report);
    vulnerabilities(&mut md, report);
    errors(&mut md, report);
    let _ = writeln!(md, "\n<sub>portcullis {}</sub>", options.tool_version);
    md
}

fn headline(md: &mut String, report: &Report) {
    let findings = report.findings().count();
    let vulnerabilities = reported(report).count();
    let mut found = Vec::new();
    if findings > 0 {
        found.push(plural(findings, "finding", "findings"));
    }
    if vulnerabilities > 0 {
        found.push(plural(
            vulnerabilities,
            "known vulnerability",
            "known vulnerabilities",
        ));
    }
    let incomplete = report.exit_code == 2 || summary::incomplete(report);
    let (icon, outcome) = if incomplete {
        ("⚠️", "incomplete".to_owned())
    } else if found.is_empty() {
        ("✅", "clean".to_owned())
    } else {
        let icon = if report.exit_code == 1 { "❌" } else { "✅" };
        (icon, found.join(", "))
    };
    let _ = writeln!(md, "## {icon} Portcullis: {outcome}\n");

    let status = if incomplete {
        let detail = if found.is_empty() {
            String::new()
        } else {
            format!(" ({})", found.join(", "))
        };
        format!(
            "**Incomplete**: {} kept portcullis from checking everything; the results below{detail} are partial.",
            plural(error_count(report), "error", "errors")
        )
    } else if report.exit_code == 1 {
        let mut causes = Vec::new();
        if let Some(threshold) = report.failure_threshold {
            causes.push(format!("findings at or above `{threshold}`"));
        }
        if report.images.iter().any(|i| i.vulnerabilities.is_some()) {
            causes.push("vulnerabilities at or above the `--fail-on` level".to_owned());
        }
        if causes.is_empty() {
            "**Failed**.".to_owned()
        } else {
            format!("**Failed**: {} fail this run.", causes.join(" or "))
        }
    } else {
        match report.failure_threshold {
            Some(threshold) => format!("**Passed**: nothing at or above `{threshold}`."),
            None => "**Passed**.".to_owned(),
        }
    };
    let _ = writeln!(md, "{status}");
}

/// Targets and findings by severity, one row per engine that ran.
fn engine_counts(md: &mut String, report: &Report) {
    let mut engines: BTreeMap<Engine, (usize, Vec<&Finding>)> = BTreeMap::new();
    for run in &report.runs {
        let (targets, findings) = engines.entry(run.engine).or_default();
        *targets += run.targets.len();
        findings.extend(&run.findings);
    }
    if engines.values().all(|(targets, _)| *targets == 0) {
        let _ = writeln!(md, "\nNothing was checked: no targets were found.");
        return;
    }
    let _ = writeln!(
        md,
        "\n| Engine | Targets | Error | Warning | Info | Style |\n|---|---:|---:|---:|---:|---:|"
    );
    for (engine, (targets, findings)) in &engines {
        let counts = Counts::of(findings.iter().copied());
        let cells: Vec<String> = counts
            .most_severe_first()
            .map(|(_, n)| n.to_string())
            .collect();
        let _ = writeln!(
            md,
            "| {} | {targets} | {} |",
            engine.as_str(),
            cells.join(" | ")
        );
    }
}

/// The most severe findings first, in reading order within a severity.
fn findings(md: &mut String, report: &Report) {
    let mut findings = summary::sorted(report.findings());
    if findings.is_empty() {
        return;
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let _ = writeln!(
        md,
        "\n### Findings\n\n| Severity | Rule | Location | Message |\n|---|---|---|---|"
    );
    for finding in findings.iter().take(FINDING_ROWS) {
        let location = match finding.line() {
            Some(line) => format!("{}:{line}", finding.location.path.display()),
            None => finding.location.path.display().to_string(),
        };
        let _ = writeln!(
            md,
            "| {} | {} {} | {} | {} |",
            finding.severity,
            link(finding.rule.code, &finding.rule.help_uri()),
            escape(finding.rule.name),
            code_cell(&location),
            with_code_spans(&finding.message)
        );
    }
    more(md, findings.len(), FINDING_ROWS, "finding", "findings");
}

fn vulnerabilities(md: &mut String, report: &Report) {
    if report.images.is_empty() {
        return;
    }
    let _ = writeln!(md, "\n### Vulnerabilities");
    let matched: Vec<&ScannedImage> = report
        .images
        .iter()
        .filter(|i| i.vulnerabilities.is_some())
        .collect();
    if !matched.is_empty() {
        let _ = writeln!(
            md,
            "\n| Image | Critical | High | Medium | Low | Other | Suppressed |\n\
             |---|---:|---:|---:|---:|---:|---:|"
        );
    }
    for image in matched.iter().take(IMAGE_ROWS) {
        let count = |levels: &[Level]| {
            image
                .reported_vulnerabilities()
                .filter(|v| levels.contains(&v.severity.level))
                .count()
        };
        let suppressed = image.vulnerabilities.iter().flatten().count()
            - image.reported_vulnerabilities().count()
            + image.suppressed_hidden;
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {suppressed} |",
            code_cell(&image.reference),
            count(&[Level::Critical]),
            count(&[Level::High]),
            count(&[Level::Medium]),
            count(&[Level::Low]),
            count(&[Level::Negligible, Level::Unknown]),
        );
    }
    more(md, matched.len(), IMAGE_ROWS, "image", "images");
    let unmatched: Vec<String> = report
        .images
        .iter()
        .filter(|i| i.vulnerabilities.is_none())
        .map(|i| escape(&i.reference))
        .collect();
    if !unmatched.is_empty() {
        let _ = writeln!(
            md,
            "\nNot matched against vulnerability data: {}.",
            unmatched.join(", ")
        );
    }

    // Most severe first; among equals, the ones with a fix first: they can be acted on now.
    let mut rows: Vec<(&ScannedImage, &Vulnerability)> = matched
        .iter()
        .flat_map(|image| image.reported_vulnerabilities().map(move |v| (*image, v)))
        .collect();
    if rows.is_empty() {
        return;
    }
    rows.sort_by(|(_, a), (_, b)| {
        b.severity
            .level
            .cmp(&a.severity.level)
            .then_with(|| a.fix.version().is_none().cmp(&b.fix.version().is_none()))
            .then_with(|| a.id.cmp(&b.id))
    });
    let _ = writeln!(
        md,
        "\n| Severity | Vulnerability | Package | Installed | Fixed in | Image | Dockerfile |\n\
         |---|---|---|---|---|---|---|"
    );
    for (image, vulnerability) in rows.iter().take(VULNERABILITY_ROWS) {
        let package = &image.packages[vulnerability.package];
        let id = match vulnerability.references.first() {
            Some(url) => link(&vulnerability.id, url),
            None => escape(&vulnerability.id),
        };
        let origin = image.origin(package).map_or_else(
            || "–".to_owned(),
            |o| code_cell(&format!("{}:{}", o.path.display(), o.line)),
        );
        let _ = writeln!(
            md,
            "| {} | {id} | {} | {} | {} | {} | {origin} |",
            vulnerability.severity.level,
            escape(&package.name),
            escape(&package.version),
            escape(vulnerability.fix.describe()),
            code_cell(&image.reference),
        );
    }
    more(
        md,
        rows.len(),
        VULNERABILITY_ROWS,
        "vulnerability",
        "vulnerabilities",
    );
}

/// What kept the run from checking everything.
fn errors(md: &mut String, report: &Report) {
    let mut errors: Vec<String> = report
        .runs
        .iter()
        .flat_map(|run| &run.targets)
        .filter_map(|t| {
            let error = t.error.as_ref()?;
            Some(format!("could not analyse {}: {error}", t.path.display()))
        })
        .collect();
    errors.sort();
    errors.extend(report.errors.iter().cloned());
    if errors.is_empty() {
        return;
    }
    let _ = writeln!(md, "\n### Errors\n");
    for error in errors.iter().take(ERROR_ROWS) {
        let _ = writeln!(md, "{}", list_item(error));
    }
    more(md, errors.len(), ERROR_ROWS, "error", "errors");
}

fn error_count(report: &Report) -> usize {
    report.errors.len()
        + report
            .runs
            .iter()
            .flat_map(|run| &run.targets)
            .filter(|t| t.error.is_some())
            .count()
}

fn reported(report: &Report) -> impl Iterator<Item = &Vulnerability> {
    report
        .images
        .iter()
        .flat_map(|i| i.reported_vulnerabilities())
}

/// The line after a capped table or list.
fn more(md: &mut String, total: usize, shown: usize, one: &str, many: &str) {
    if total > shown {
        let hidden = total - shown;
        let noun = if hidden == 1 { one } else { many };
        let _ = writeln!(
            md,
            "\n…and {hidden} more {noun}, in the SARIF, JSON and JUnit reports."
        );
    }
}

/// Report text as inline Markdown for a table cell: one line, at most [`CELL_CHARS`]
/// characters, with the characters that start inline Markdown or HTML escaped. `$` is among
/// them because GitHub and GitLab render `$…$` as maths.
fn escape(text: &str) -> String {
    escape_chars(&cut(text))
}

/// Backslashes before the characters that start inline Markdown or HTML.
fn escape_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if "\\`*_{}[]<>#|~$&!".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A finding's message in a table cell: our messages quote names in backticks, which stay code
/// spans (with `|` escaped, as rows split there first); everything between them is
/// [`escape`]d. Unbalanced backticks (a quoted value holding one) are all escaped instead.
fn with_code_spans(text: &str) -> String {
    let text = cut(text);
    if text.matches('`').count() % 2 == 1 {
        return escape_chars(&text);
    }
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("`{}`", part.replace('|', "\\|"))
            } else {
                escape_chars(part)
            }
        })
        .collect()
}

/// [`escape`]d text after `- `: it must not open a nested list or draw a rule either (`- x`,
/// `+ x`, `---`, `1. x`, `1) x`).
fn list_item(text: &str) -> String {
    let mut item = escape(text);
    let digits = item.chars().take_while(char::is_ascii_digit).count();
    let rest = &item[digits..];
    let numbered = digits > 0
        && rest.starts_with(['.', ')'])
        && rest[1..].chars().next().is_none_or(|c| c == ' ');
    let marker = if item.starts_with(['-', '+']) {
        Some(0)
    } else if numbered {
        Some(digits)
    } else {
        None
    };
    if let Some(at) = marker {
        item.insert(at, '\\');
    }
    format!("- {item}")
}

/// Text as a code span inside a table cell. GitHub and GitLab split rows at `|` before they
/// parse code spans, so it is escaped there too (and shows as `|`); the fence is longer than
/// any run of backticks inside.
fn code_cell(text: &str) -> String {
    let text = cut(text).replace('|', "\\|");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A link when `url` is http(s) and of sensible length, else the escaped text. Characters that
/// would end the link or the table cell are percent-encoded.
fn link(text: &str, url: &str) -> String {
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > MAX_URL {
        return escape(text);
    }
    let mut destination = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:/?#@!$&'*+,;=%".contains(&byte) {
            destination.push(byte as char);
        } else {
            let _ = write!(destination, "%{byte:02X}");
        }
    }
    format!("[{}]({destination})", escape(text))
}

/// Whitespace folded to single spaces and the text cut to [`CELL_CHARS`] characters.
fn cut(text: &str) -> String {
    let folded = crate::source::fold_whitespace(text);
    if folded.chars().count() <= CELL_CHARS {
        return folded;
    }
    let mut short: String = folded.chars().take(CELL_CHARS - 1).collect();
    short.push('…');
    short
}

/// The summary, truncated at a line end with a note when it is over [`MAX_BYTES`].
fn capped(mut md: String) -> String {
    if md.len() <= MAX_BYTES {
        return md;
    }
    let mut end = MAX_BYTES - TRUNCATED.len();
    while !md.is_char_boundary(end) {
        end -= 1;
    }
    let end = md[..end].rfind('\n').unwrap_or(end);
    md.truncate(end);
    md.push_str(TRUNCATED);
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::report::fixture::{
        clean_fixture, empty_fixture, image_fixture, options, runtime_fixture,
    };
    use crate::report::{render_to_string, test_fixture, Format};

    fn text(report: &Report) -> String {
        render_to_string(Format::Markdown, report, &options())
    }

    #[test]
    fn snapshot_of_the_fixture() {
        insta::assert_snapshot!(text(&test_fixture()));
    }

    #[test]
    fn snapshot_of_a_clean_run() {
        insta::assert_snapshot!(text(&clean_fixture()));
    }

    #[test]
    fn snapshot_of_an_empty_run() {
        insta::assert_snapshot!(text(&empty_fixture()));
    }

    #[test]
    fn snapshot_of_an_image_with_vulnerabilities() {
        insta::assert_snapshot!(text(&image_fixture()));
    }

    #[test]
    fn snapshot_of_a_runtime_run() {
        insta::assert_snapshot!(text(&runtime_fixture()));
    }

    #[test]
    fn the_marker_comes_first() {
        for report in [test_fixture(), clean_fixture(), image_fixture()] {
            assert!(text(&report).starts_with(&format!("{MARKER}\n## ")));
        }
    }

    #[test]
    fn the_headline_tells_the_outcome() {
        let headline = |report: &Report| text(report).lines().nth(1).unwrap().to_owned();
        assert_eq!(headline(&clean_fixture()), "## ✅ Portcullis: clean");
        assert_eq!(headline(&test_fixture()), "## ⚠️ Portcullis: incomplete");
        assert_eq!(headline(&runtime_fixture()), "## ❌ Portcullis: 3 findings");
        assert_eq!(
            headline(&image_fixture()),
            "## ❌ Portcullis: 2 known vulnerabilities"
        );
        // Findings below the threshold pass.
        let mut passed = runtime_fixture();
        passed.exit_code = 0;
        passed.failure_threshold = Some(Severity::Error);
        let out = text(&passed);
        assert!(out.contains("## ✅ Portcullis: 3 findings\n"), "{out}");
        assert!(
            out.contains("**Passed**: nothing at or above `error`."),
            "{out}"
        );
    }

    #[test]
    fn markdown_in_report_text_is_escaped() {
        assert_eq!(
            escape("a | b\nc [x](http://e) <img> `code` *em* _u_ $x$ #1 ~s~ &amp; !"),
            "a \\| b c \\[x\\](http://e) \\<img\\> \\`code\\` \\*em\\* \\_u\\_ \\$x\\$ \\#1 \
             \\~s\\~ \\&amp; \\!"
        );
        assert_eq!(escape("- 1. version 1.2-3"), "- 1. version 1.2-3");
        assert_eq!(
            with_code_spans("service `web|x` adds *CAP* `SYS_ADMIN`"),
            "service `web\\|x` adds \\*CAP\\* `SYS_ADMIN`"
        );
        assert_eq!(with_code_spans("odd ` tick"), "odd \\` tick");
        // Nothing may open a nested list at the start of a list item.
        assert_eq!(list_item("- x"), "- \\- x");
        assert_eq!(list_item("+ x"), "- \\+ x");
        assert_eq!(list_item("12. x"), "- 12\\. x");
        assert_eq!(list_item("1) x"), "- 1\\) x");
        assert_eq!(list_item("1.2.3 is old"), "- 1.2.3 is old");
        assert_eq!(list_item("# x"), "- \\# x");
        assert_eq!(list_item("---"), "- \\---");
        assert_eq!(list_item("7."), "- 7\\.");
        assert_eq!(escape(&"é".repeat(300)).chars().count(), CELL_CHARS);

        assert_eq!(code_cell("Dockerfile:5"), "`Dockerfile:5`");
        assert_eq!(code_cell("a|b"), "`a\\|b`");
        assert_eq!(code_cell("x `y` z"), "``x `y` z``");
        assert_eq!(code_cell("`edge"), "`` `edge ``");

        assert_eq!(
            link("CVE-1", "https://e.example/a b|c(d)"),
            "[CVE-1](https://e.example/a%20b%7Cc%28d%29)"
        );
        assert_eq!(link("x", "javascript:alert(1)"), "x");
    }

    #[test]
    fn a_hostile_message_stays_inside_its_cell() {
        let mut report = test_fixture();
        report.runs[0].findings[0].message =
            "evil |\n| injected | row |\n<script>alert(1)</script> [click](https://e.example)"
                .into();
        let out = text(&report);
        let row = out
            .lines()
            .find(|l| l.contains("evil"))
            .expect("the finding's row");
        // Every `|` of the message is escaped: the row keeps its five separators.
        let separators = row.matches('|').count() - row.matches("\\|").count();
        assert_eq!(separators, 5, "{row}");
        assert!(
            !out.contains("<script>") && !out.contains("[click]("),
            "{out}"
        );
    }

    #[test]
    fn tables_are_capped() {
        let mut report = runtime_fixture();
        let finding = report.runs[0].findings[0].clone();
        report.runs[0].findings = vec![finding; 45];
        let out = text(&report);
        let rows = out.lines().filter(|l| l.starts_with("| error |")).count();
        assert_eq!(rows, FINDING_ROWS);
        assert!(
            out.contains("…and 15 more findings, in the SARIF, JSON and JUnit reports."),
            "{out}"
        );
    }

    #[test]
    fn the_summary_fits_in_a_comment_whatever_the_input() {
        // Every cell at its longest, in four-byte characters.
        let mut report = image_fixture();
        let template = {
            let mut image = report.images[0].clone();
            for package in &mut image.packages {
                package.name = "🐳".repeat(300);
                package.version = "📦".repeat(300);
            }
            for origin in image.layer_origins.iter_mut().flatten() {
                origin.path = "🐳/".repeat(150).into();
            }
            image
        };
        report.images = (0..500)
            .map(|i| {
                let mut image = template.clone();
                image.reference = format!("registry.example.com/{}/{i}:1", "🐳".repeat(300));
                image
            })
            .collect();
        report.errors = (0..500)
            .map(|i| format!("error {i}: {}", "🐳".repeat(300)))
            .collect();
        let mut lint = test_fixture().runs.remove(0);
        for finding in &mut lint.findings {
            finding.message = "🐳".repeat(300);
        }
        lint.findings = lint.findings.iter().cycle().take(10_000).cloned().collect();
        report.runs.push(lint);

        let full = summary(&report, &options());
        assert!(full.len() > MAX_BYTES, "the test must exceed the limit");
        let out = text(&report);
        assert!(out.len() <= MAX_BYTES, "{} bytes", out.len());
        assert!(out.starts_with(&format!("{MARKER}\n")));
        assert!(out.ends_with(TRUNCATED));
        // The cut falls at the end of a line: no half row before the note.
        let kept = &out[..out.len() - TRUNCATED.len()];
        assert!(full.starts_with(&format!("{kept}\n")));

        // Nothing is cut when it fits.
        assert!(!text(&image_fixture()).contains("was cut"));
    }

    #[test]
    fn capping_keeps_whole_characters() {
        let md = format!("{MARKER}\n{}", "🐳".repeat(MAX_BYTES));
        let out = capped(md);
        assert!(out.len() <= MAX_BYTES);
        assert!(out.ends_with(TRUNCATED));
    }
}
