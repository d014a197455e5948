//! Reading lines and regions back out of a target's text.
//!
//! Reporters work from the public line/column coordinates (1-based, columns in Unicode code
//! points) rather than `Region::bytes`, so snippets always agree with the positions shown.

use crate::finding::{Position, Region};

/// A source text split into lines once.
pub(crate) struct SourceLines<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> SourceLines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceLines { text, starts }
    }

    /// Line `n` (1-based) without its line terminator.
    pub(crate) fn line(&self, n: u32) -> Option<&'a str> {
        let index = usize::try_from(n).ok()?.checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let line = &self.text[start..end];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// The byte offset of `pos`. The column just past the end of a line is allowed (regions
    /// are end-exclusive).
    pub(crate) fn offset(&self, pos: Position) -> Option<usize> {
        let line = self.line(pos.line)?;
        let line_start = self.starts[pos.line as usize - 1];
        let column = usize::try_from(pos.column).ok()?.checked_sub(1)?;
        let within = line
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(line.len()))
            .nth(column)?;
        Some(line_start + within)
    }

    /// The exact text a region covers, if its positions fall inside the source.
    pub(crate) fn slice(&self, region: &Region) -> Option<&'a str> {
        let start = self.offset(region.start)?;
        let end = self.offset(region.end)?;
        self.text.get(start..end.max(start))
    }
}

/// The last line a region really covers: an end at column 1 of a later line means the region
/// stops at the end of the previous line.
pub(crate) fn last_line(region: &Region) -> u32 {
    if region.end.line > region.start.line && region.end.column <= 1 {
        region.end.line - 1
    } else {
        region.end.line.max(region.start.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    #[test]
    fn lines_drop_their_terminators() {
        let src = SourceLines::new("a\r\nbé\n\nlast");
        assert_eq!(src.line(1), Some("a"));
        assert_eq!(src.line(2), Some("bé"));
        assert_eq!(src.line(3), Some(""));
        assert_eq!(src.line(4), Some("last"));
        assert_eq!(src.line(5), None);
        assert_eq!(src.line(0), None);
    }

    #[test]
    fn offsets_count_code_points_and_allow_the_end_of_a_line() {
        let src = SourceLines::new("x\nGrüße 🐳 ok\n");
        assert_eq!(src.offset(pos(2, 1)), Some(2));
        assert_eq!(src.offset(pos(2, 4)), Some(2 + "Grü".len()));
        assert_eq!(src.offset(pos(2, 9)), Some(2 + "Grüße 🐳 ".len()));
        assert_eq!(src.offset(pos(2, 11)), Some(2 + "Grüße 🐳 ok".len()));
        assert_eq!(src.offset(pos(2, 12)), None);
        assert_eq!(src.offset(pos(2, 0)), None);
    }

    #[test]
    fn slices_follow_positions_across_lines() {
        let src = SourceLines::new("RUN a && \\\n    b\nUSER x\n");
        let region = Region {
            start: pos(1, 5),
            end: pos(2, 6),
            bytes: (0, 0),
        };
        assert_eq!(src.slice(&region), Some("a && \\\n    b"));
        assert_eq!(last_line(&region), 2);
        let to_next_line = Region {
            start: pos(3, 1),
            end: pos(4, 1),
            bytes: (0, 0),
        };
        assert_eq!(last_line(&to_next_line), 3);
    }
}
