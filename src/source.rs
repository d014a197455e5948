//! Turning byte offsets into the 1-based line/column positions users and reporters see.

use crate::dockerfile::Span;
use crate::finding::{Position, Region};

/// Line starts of a text, for offset → position look-ups in O(log n).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, line_starts }
    }

    /// The position of a byte offset; columns count code points. Offsets inside a multi-byte
    /// character are rounded down to its start.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: (line + 1) as u32,
            column: column as u32,
        }
    }

    /// The byte offset of a 1-based line and column (code points); past the end of a line it
    /// is the line's end, past the last line the text's end.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self
            .line_starts
            .get((position.line as usize).saturating_sub(1))
        else {
            return self.text.len();
        };
        let line = &self.text[start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let column = (position.column as usize).saturating_sub(1);
        start
            + line
                .char_indices()
                .nth(column)
                .map_or(line.len(), |(i, _)| i)
    }

    pub fn region(&self, span: Span) -> Region {
        Region {
            start: self.position(span.start),
            end: self.position(span.end.max(span.start)),
            bytes: (span.start, span.end.max(span.start)),
        }
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: u32) -> &'a str {
        let index = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_starts.get(index) else {
            return "";
        };
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Runs of whitespace folded to one space, ends trimmed: text compared without layout.
pub fn fold_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_code_points() {
        let index = LineIndex::new("FROM a\nRUN é x\n");
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(7), Position { line: 2, column: 1 });
        // `x` sits after a two-byte character.
        assert_eq!(index.position(14), Position { line: 2, column: 7 });
        assert_eq!(index.line_text(2), "RUN é x");
        assert_eq!(index.line_text(9), "");
    }

    #[test]
    fn offsets_of_positions_round_trip() {
        let text = "ab\nçd\n\nx";
        let index = LineIndex::new(text);
        for offset in [0, 1, 3, 5, 6, 8, 9] {
            assert_eq!(index.offset(index.position(offset)), offset, "{offset}");
        }
        let at = |line, column| index.offset(Position { line, column });
        assert_eq!(at(2, 99), 6, "past the end of a line: its end");
        assert_eq!(at(9, 1), text.len(), "past the last line: the end");
    }

    #[test]
    fn an_offset_inside_a_character_rounds_down() {
        let index = LineIndex::new("é");
        assert_eq!(index.position(1), Position { line: 1, column: 1 });
    }
}
