//! Physical lines and the line-level rules BuildKit applies before any instruction is split:
//! line endings, the BOM, parser directives, continuation detection and the joined logical line.

use std::ops::Range;

use crate::dockerfile::ast::{LogicalLine, Segment};

/// BuildKit's scanner rejects longer lines (`bufio.MaxScanTokenSize - 1`).
pub(super) const MAX_LINE_LEN: usize = 65_535;

/// One physical line of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PhysLine {
    /// First byte of the line (after the BOM on the first line).
    pub start: usize,
    /// End of the text: trailing `\r`/`\n` excluded, as BuildKit's `trimNewline` does.
    pub content_end: usize,
    /// Start of the next line (after the `\n`).
    pub end: usize,
    /// Longer than BuildKit's scanner accepts.
    pub too_long: bool,
}

/// Splits at `\n`, like BuildKit's scanner; a trailing newline does not start another line.
pub(super) fn split_lines(src: &str) -> Vec<PhysLine> {
    let bytes = src.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| start + p + 1);
        let has_newline = bytes[end - 1] == b'\n';
        let mut content_end = end;
        while content_end > start && matches!(bytes[content_end - 1], b'\n' | b'\r') {
            content_end -= 1;
        }
        let scanned_len = end - start - usize::from(has_newline);
        lines.push(PhysLine {
            start,
            content_end,
            end,
            too_long: scanned_len > MAX_LINE_LEN,
        });
        start = end;
    }
    if let Some(first) = lines.first_mut() {
        if src.starts_with('\u{feff}') {
            first.start = 3;
            first.content_end = first.content_end.max(3);
        }
    }
    lines
}

/// Go's `unicode.IsSpace`, which matches Rust's `char::is_whitespace` (the White_Space property).
pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// The separator BuildKit splits keywords and whitespace-delimited arguments on: `[\t\v\f\r ]`.
pub(super) fn is_field_space(c: char) -> bool {
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// RE2's `\s`: `[\t\n\f\r ]` (no vertical tab).
pub(super) fn is_re_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// `range` with Go's `strings.TrimSpace` applied.
pub(super) fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start_matches(is_space).len());
    let end = range.start + slice.trim_end_matches(is_space).len();
    start..end.max(start)
}

/// A parser directive line matched by `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DirectiveMatch {
    /// Lower-cased key.
    pub name: String,
    pub value: String,
}

/// Matches a (left-trimmed) line against BuildKit's directive pattern; any key is accepted here.
pub(super) fn match_directive(text: &str) -> Option<DirectiveMatch> {
    let body = text.strip_prefix('#')?.trim_start_matches(is_re_space);
    let mut chars = body.char_indices();
    let (_, first) = chars.next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let key_end = chars
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map_or(body.len(), |(i, _)| i);
    let after_key = body[key_end..].trim_start_matches(is_re_space);
    let after_eq = after_key.strip_prefix('=')?;
    let value_part = after_eq.trim_start_matches(is_re_space);
    let value = if value_part.is_empty() {
        // `(.+?)` still needs one character: the regex gives back the last blank to it.
        let last = after_eq.chars().next_back()?;
        last.to_string()
    } else {
        value_part.trim_end_matches(is_re_space).to_string()
    };
    Some(DirectiveMatch {
        name: body[..key_end].to_ascii_lowercase(),
        value,
    })
}

/// If `text` continues onto the next line, how much of it is kept.
///
/// BuildKit's pattern is ``([^E])E[ \t]*$|^E[ \t]*$`` (E = escape token): the token must end the
/// line (blanks aside) and must not itself be escaped. The token and blanks are dropped.
pub(super) fn continuation_cut(text: &str, escape: char) -> Option<usize> {
    let body = text.trim_end_matches([' ', '\t']);
    let cut = body.strip_suffix(escape)?.len();
    match body[..cut].chars().next_back() {
        None => Some(0),
        Some(prev) if prev != escape => Some(cut),
        Some(_) => None,
    }
}

/// Accumulates the joined logical line and its map back to source bytes.
#[derive(Debug, Default)]
pub(super) struct LogicalBuilder {
    line: LogicalLine,
}

impl LogicalBuilder {
    /// Appends `chunk`, which starts at byte `source` of the file.
    pub fn push(&mut self, chunk: &str, source: usize) {
        if chunk.is_empty() {
            return;
        }
        self.line.segments.push(Segment {
            logical: self.line.text.len(),
            source,
        });
        self.line.text.push_str(chunk);
    }

    /// The finished line; an empty line still maps offset 0 to `fallback_source`.
    pub fn finish(mut self, fallback_source: usize) -> LogicalLine {
        if self.line.segments.is_empty() {
            self.line.segments.push(Segment {
                logical: 0,
                source: fallback_source,
            });
        }
        self.line
    }
}

/// The part `range` of a logical line as a logical line of its own (same source map).
pub(super) fn slice_line(line: &LogicalLine, range: Range<usize>) -> LogicalLine {
    let mut segments = vec![Segment {
        logical: 0,
        source: line.to_source(range.start),
    }];
    segments.extend(
        line.segments
            .iter()
            .filter(|s| s.logical > range.start && s.logical < range.end)
            .map(|s| Segment {
                logical: s.logical - range.start,
                source: s.source,
            }),
    );
    LogicalLine {
        text: line.text[range].to_string(),
        segments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_offsets_and_strip_endings() {
        let lines = split_lines("a\r\nbb\n\nc");
        let spans: Vec<_> = lines
            .iter()
            .map(|l| (l.start, l.content_end, l.end))
            .collect();
        assert_eq!(spans, vec![(0, 1, 3), (3, 5, 6), (6, 6, 7), (7, 8, 8)]);
        assert!(split_lines("").is_empty());
        assert_eq!(split_lines("x\n").len(), 1);
    }

    #[test]
    fn bom_is_skipped_on_first_line_only() {
        let lines = split_lines("\u{feff}FROM a\n\u{feff}x");
        assert_eq!(lines[0].start, 3);
        assert_eq!(lines[1].start, 10);
    }

    #[test]
    fn lone_cr_does_not_split() {
        let lines = split_lines("a\rb\r\r\n");
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].content_end, 3);
    }

    #[test]
    fn over_long_lines_are_flagged() {
        let ok = "a".repeat(MAX_LINE_LEN);
        assert!(!split_lines(&format!("{ok}\n"))[0].too_long);
        assert!(!split_lines(&ok)[0].too_long);
        assert!(split_lines(&format!("{ok}a\n"))[0].too_long);
    }

    #[test]
    fn directives_follow_the_buildkit_pattern() {
        let m = match_directive("# ESCAPE = ` ").unwrap();
        assert_eq!((m.name.as_str(), m.value.as_str()), ("escape", "`"));
        let m = match_directive("#syntax=docker/dockerfile:1").unwrap();
        assert_eq!(m.value, "docker/dockerfile:1");
        assert_eq!(match_directive("# escape="), None);
        assert_eq!(match_directive("# 1x=y"), None);
        assert_eq!(match_directive("# key value"), None);
        assert_eq!(match_directive("# x=  ").unwrap().value, " ");
        assert_eq!(match_directive("# a = b c ").unwrap().value, "b c");
    }

    #[test]
    fn continuation_matches_the_regex() {
        assert_eq!(continuation_cut("echo \\", '\\'), Some(5));
        assert_eq!(continuation_cut("echo\\  \t", '\\'), Some(4));
        assert_eq!(continuation_cut("\\", '\\'), Some(0));
        assert_eq!(continuation_cut("\\ ", '\\'), Some(0));
        assert_eq!(continuation_cut("a\\\\", '\\'), None);
        assert_eq!(continuation_cut("a\\\\\\", '\\'), None);
        assert_eq!(continuation_cut("echo `", '`'), Some(5));
        assert_eq!(continuation_cut("echo \\", '`'), None);
        assert_eq!(continuation_cut("é\\", '\\'), Some(2));
        assert_eq!(continuation_cut("", '\\'), None);
    }

    #[test]
    fn logical_line_maps_back_to_source() {
        let mut b = LogicalBuilder::default();
        b.push("RUN a ", 10);
        b.push("", 30);
        b.push("  b", 40);
        let line = b.finish(10);
        assert_eq!(line.text, "RUN a   b");
        assert_eq!(line.to_source(0), 10);
        assert_eq!(line.to_source(6), 40);
        assert_eq!(line.span(8..9).start, 42);
        let sub = slice_line(&line, 4..9);
        assert_eq!(sub.text, "a   b");
        assert_eq!(sub.to_source(0), 14);
        assert_eq!(sub.to_source(4), 42);
    }

    #[test]
    fn trim_range_uses_unicode_spaces() {
        assert_eq!(trim_range(" \u{a0}ab\t ", 0..7), 3..5);
        assert_eq!(trim_range("   ", 0..3), 3..3);
    }
}
