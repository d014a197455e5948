//! The human view, modelled on rustc and ruff:
//!
//! ```text
//! Dockerfile:5:1: error[PC1001 root-user] the last USER is root
//!   |
//! 5 | USER root
//!   | ^^^^^^^^^
//!   = help: The container runs as root
//! ```
//!
//! followed by the errors that made the run incomplete and a one-line summary.

use std::fmt::Display;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::source::{last_line, SourceLines};
use super::summary::{self, Counts};
use super::RenderOptions;
use crate::finding::{Engine, EngineRun, Finding, Region, Report, Severity};
use crate::vuln::severity::Level;
use crate::vuln::vulnerability::Vulnerability;

/// Tabs are shown as this many spaces so that carets line up.
const TAB_WIDTH: usize = 4;

pub(crate) fn render(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let paint = Painter {
        color: options.color,
    };
    let bold = |text: &str| paint.apply(Style::new().bold(), text);
    super::inventory::write_images(out, &report.images, &bold)?;
    let mut findings: Vec<(&EngineRun, &Finding)> = report
        .runs
        .iter()
        .flat_map(|run| run.findings.iter().map(move |f| (run, f)))
        .collect();
    findings.sort_by(|a, b| summary::order(a.1, b.1));
    for &(run, finding) in &findings {
        write_finding(out, &paint, finding, run)?;
        writeln!(out)?;
    }
    write_errors(out, &paint, report)?;
    write_summary(out, &paint, report)
}

fn write_finding(
    out: &mut dyn Write,
    paint: &Painter,
    finding: &Finding,
    run: &EngineRun,
) -> io::Result<()> {
    let path = printable(&finding.location.path.to_string_lossy());
    let location = match finding.location.region {
        Some(r) => format!("{path}:{}:{}:", r.start.line, r.start.column),
        None => format!("{path}:"),
    };
    let severity = severity_style(finding.severity);
    writeln!(
        out,
        "{} {} {}",
        paint.apply(Style::new().bold(), location),
        paint.apply(
            severity,
            format_args!(
                "{}[{} {}]",
                finding.severity, finding.rule.code, finding.rule.name
            )
        ),
        paint.apply(Style::new().bold(), printable(&finding.message)),
    )?;

    let source = run.source_of(&finding.location.path);
    let rows = match (finding.location.region, source.as_deref()) {
        (Some(region), Some(text)) => snippet(&SourceLines::new(text), &region),
        _ => Vec::new(),
    };
    let width = rows
        .iter()
        .filter_map(|row| row.number)
        .max()
        .map_or(1, |n| n.to_string().len());
    write_rows(out, paint, &rows, width, severity)?;
    writeln!(
        out,
        "{:width$} {}",
        "",
        paint.apply(
            Style::new().dimmed(),
            format_args!("= help: {}", finding.rule.summary)
        )
    )
}

/// The snippet block: numbered lines in a gutter, carets under the span.
fn write_rows(
    out: &mut dyn Write,
    paint: &Painter,
    rows: &[Row],
    width: usize,
    severity: Style,
) -> io::Result<()> {
    let gutter = Style::new()
        .bold()
        .fg_color(Some(AnsiColor::BrightBlue.into()));
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "{:width$} {}", "", paint.apply(gutter, "|"))?;
    for row in rows {
        match row.number {
            Some(n) => writeln!(
                out,
                "{} {}",
                paint.apply(gutter, format_args!("{n:>width$} |")),
                row.text
            )?,
            None => writeln!(out, "{}", paint.apply(gutter, "..."))?,
        }
        if let Some((indent, carets)) = row.underline {
            writeln!(
                out,
                "{:width$} {} {:indent$}{}",
                "",
                paint.apply(gutter, "|"),
                "",
                paint.apply(severity, "^".repeat(carets)),
            )?;
        }
    }
    Ok(())
}

/// One line of a snippet: a numbered source line with an optional underline, or an elision.
struct Row {
    number: Option<u32>,
    text: String,
    /// Display columns before the carets, and how many carets.
    underline: Option<(usize, usize)>,
}

/// The lines to show for a region: the whole region when it spans at most two lines, else its
/// first and last lines around an elision.
fn snippet(src: &SourceLines<'_>, region: &Region) -> Vec<Row> {
    let first = region.start.line;
    let last = last_line(region);
    let Some(first_text) = src.line(first) else {
        return Vec::new();
    };
    if first == last {
        let to = region.end.column.max(region.start.column);
        return vec![row(first, first_text, region.start.column, to)];
    }
    let line_end = |text: &str| text.chars().count() as u32 + 1;
    let mut rows = vec![row(
        first,
        first_text,
        region.start.column,
        line_end(first_text),
    )];
    let Some(last_text) = src.line(last) else {
        return rows;
    };
    if last > first + 1 {
        rows.push(Row {
            number: None,
            text: String::new(),
            underline: None,
        });
    }
    let end = if last == region.end.line {
        region.end.column
    } else {
        line_end(last_text)
    };
    // Underline the last line from its first non-blank character: indentation is not code.
    let from = last_text
        .chars()
        .position(|c| !c.is_whitespace())
        .map_or(1, |i| i as u32 + 1)
        .min(end.saturating_sub(1).max(1));
    rows.push(row(last, last_text, from, end));
    rows
}

/// A numbered row underlining columns `from..to` (1-based, `to` exclusive).
fn row(number: u32, text: &str, from: u32, to: u32) -> Row {
    let widths: Vec<usize> = text.chars().map(char_width).collect();
    let width_of = |columns: std::ops::Range<usize>| -> usize {
        columns.map(|i| widths.get(i).copied().unwrap_or(1)).sum()
    };
    let from = from.max(1) as usize - 1;
    let to = (to.max(1) as usize - 1).max(from);
    Row {
        number: Some(number),
        text: printable(&text.replace('\t', &" ".repeat(TAB_WIDTH))),
        underline: Some((width_of(0..from), width_of(from..to).max(1))),
    }
}

/// Replaces control characters with U+FFFD (whitespace ones with a space): a hostile file must
/// not drive the terminal through escape sequences in its text. One character for one keeps
/// columns aligned.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// How many terminal columns a character takes. An approximation without a width table:
/// combining marks take none, East Asian wide characters and emoji take two.
fn char_width(c: char) -> usize {
    match c {
        '\t' => TAB_WIDTH,
        '\u{0300}'..='\u{036F}' | '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}' => 0,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{303E}'
        | '\u{3041}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{1F300}'..='\u{1F64F}'
        | '\u{1F900}'..='\u{1F9FF}'
        | '\u{20000}'..='\u{3FFFD}' => 2,
        _ => 1,
    }
}

fn write_errors(out: &mut dyn Write, paint: &Painter, report: &Report) -> io::Result<()> {
    let label = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
    let mut failed: Vec<_> = report
        .runs
        .iter()
        .flat_map(|run| run.targets.iter())
        .filter_map(|t| t.error.as_ref().map(|e| (&t.path, e)))
        .collect();
    failed.sort();
    for (path, error) in failed {
        writeln!(
            out,
            "{} could not analyse {}: {}",
            paint.apply(label, "error:"),
            printable(&path.to_string_lossy()),
            printable(error)
        )?;
    }
    for error in &report.errors {
        writeln!(out, "{} {}", paint.apply(label, "error:"), printable(error))?;
    }
    if summary::incomplete(report) {
        writeln!(out)?;
    }
    Ok(())
}

fn write_summary(out: &mut dyn Write, paint: &Painter, report: &Report) -> io::Result<()> {
    write_findings_summary(out, paint, report)?;
    if report.images.iter().any(|i| i.vulnerabilities.is_some()) {
        let reported: Vec<&Vulnerability> = report
            .images
            .iter()
            .flat_map(|i| i.reported_vulnerabilities())
            .collect();
        let mut line = plural(
            reported.len(),
            "known vulnerability",
            "known vulnerabilities",
        );
        let by_level: Vec<String> = Level::ALL
            .iter()
            .rev()
            .map(|level| {
                (
                    level,
                    reported
                        .iter()
                        .filter(|v| v.severity.level == *level)
                        .count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .map(|(level, n)| format!("{n} {level}"))
            .collect();
        if !by_level.is_empty() {
            line.push_str(&format!(" ({})", by_level.join(", ")));
        }
        line.push_str(&format!(
            " in {}",
            plural(report.images.len(), "image", "images")
        ));
        writeln!(out, "{}", paint.apply(Style::new().bold(), line))?;
    }
    write_incomplete(out, paint, report)
}

/// The findings line; a scan without any findings of its own says nothing here.
fn write_findings_summary(out: &mut dyn Write, paint: &Painter, report: &Report) -> io::Result<()> {
    if report.images.iter().any(|i| i.vulnerabilities.is_some())
        && report.findings().next().is_none()
    {
        return Ok(());
    }
    let targets = summary::target_paths(report).len();
    // Runtime checks look at containers and engines as well as files.
    let files = if report.runs.iter().any(|r| r.engine == Engine::Runtime) {
        plural(targets, "target", "targets")
    } else {
        plural(targets, "file", "files")
    };
    let counts = Counts::of(report.findings());
    let line = if counts.total() == 0 {
        format!("No findings in {files}")
    } else {
        let parts: Vec<String> = counts
            .most_severe_first()
            .filter(|&(_, n)| n > 0)
            .map(|(severity, n)| match severity {
                Severity::Error => plural(n, "error", "errors"),
                Severity::Warning => plural(n, "warning", "warnings"),
                Severity::Info | Severity::Style => format!("{n} {severity}"),
            })
            .collect();
        format!(
            "{} ({}) in {files}",
            plural(counts.total(), "finding", "findings"),
            parts.join(", ")
        )
    };
    writeln!(out, "{}", paint.apply(Style::new().bold(), line))
}

fn write_incomplete(out: &mut dyn Write, paint: &Painter, report: &Report) -> io::Result<()> {
    if summary::incomplete(report) {
        // Commands also list a target's error among the report's: count each once.
        let target_errors = report
            .runs
            .iter()
            .flat_map(|run| &run.targets)
            .filter_map(|t| t.error.as_ref())
            .filter(|e| !report.errors.contains(e))
            .count();
        let errors = report.errors.len() + target_errors;
        writeln!(
            out,
            "{}",
            paint.apply(
                Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
                format_args!(
                    "Analysis incomplete: {} kept portcullis from checking everything",
                    plural(errors, "error", "errors")
                )
            )
        )?;
    }
    Ok(())
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
        Severity::Style => AnsiColor::Magenta,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

/// Applies styles only when colour is on, so plain output never carries escape codes.
struct Painter {
    color: bool,
}

impl Painter {
    fn apply(&self, style: Style, text: impl Display) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{self, clean_fixture, empty_fixture, options};
    use crate::report::{render_to_string, test_fixture, Format};

    fn text(report: &Report) -> String {
        render_to_string(Format::Text, report, &options())
    }

    #[test]
    fn snapshot_of_the_fixture() {
        insta::assert_snapshot!(text(&test_fixture()));
    }

    #[test]
    fn snapshot_of_a_runtime_run() {
        insta::assert_snapshot!(text(&fixture::runtime_fixture()));
    }

    #[test]
    fn snapshot_of_an_image_with_vulnerabilities() {
        insta::assert_snapshot!(text(&fixture::image_fixture()));
    }

    #[test]
    fn snapshot_of_a_clean_run() {
        insta::assert_snapshot!(text(&clean_fixture()), @"No findings in 1 file");
    }

    #[test]
    fn an_empty_run_says_so() {
        assert_eq!(text(&empty_fixture()), "No findings in 0 files\n");
    }

    #[test]
    fn colour_only_when_asked() {
        let report = test_fixture();
        let colored = render_to_string(
            Format::Text,
            &report,
            &RenderOptions {
                color: true,
                ..options()
            },
        );
        assert!(colored.contains("\x1b["));
        assert!(!text(&report).contains('\x1b'));
    }

    #[test]
    fn carets_skip_wide_characters_before_the_span() {
        let src = "ENV X=\"🐳\" TOKEN=abc";
        let region = fixture::region(src, (1, 11), (1, 20));
        let rows = snippet(&SourceLines::new(src), &region);
        // `ENV X="` is 7 columns, the whale 2, `" ` 2 more.
        assert_eq!(rows[0].underline, Some((11, 9)));
    }

    #[test]
    fn tabs_are_expanded_consistently() {
        let rows = snippet(
            &SourceLines::new("\tUSER root"),
            &fixture::region("\tUSER root", (1, 2), (1, 6)),
        );
        assert_eq!(rows[0].text, "    USER root");
        assert_eq!(rows[0].underline, Some((4, 4)));
    }

    #[test]
    fn long_spans_show_first_and_last_lines() {
        let src = "RUN a && \\\n    b && \\\n    c\n";
        let rows = snippet(
            &SourceLines::new(src),
            &fixture::region(src, (1, 5), (3, 6)),
        );
        let numbers: Vec<_> = rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [Some(1), None, Some(3)]);
        assert_eq!(rows[0].underline, Some((4, 6)));
        assert_eq!(rows[2].underline, Some((4, 1)));
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let src = "LABEL x=\"\x1b[2J\" y=1";
        let rows = snippet(
            &SourceLines::new(src),
            &fixture::region(src, (1, 16), (1, 19)),
        );
        assert_eq!(rows[0].text, "LABEL x=\"\u{FFFD}[2J\" y=1");
        assert_eq!(rows[0].underline, Some((15, 3)));
        let mut report = test_fixture();
        report.runs[0].findings[0].message = "bell\x07".into();
        report.errors.push("\x1b]0;title\x07".into());
        assert!(!text(&report).chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn empty_regions_get_one_caret() {
        let rows = snippet(
            &SourceLines::new("FROM x"),
            &fixture::region("FROM x", (1, 7), (1, 7)),
        );
        assert_eq!(rows[0].underline, Some((6, 1)));
    }
}
