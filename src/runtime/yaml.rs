//! YAML documents with the line and column of every key and value, so that a finding points
//! at the exact key of a Compose service or a Kubernetes container spec.
//!
//! A file may hold several documents (`---`); each is parsed on its own and keeps the offset
//! of its first line, so positions are those of the whole file. Nodes are `marked_yaml`'s; this
//! module turns their spans into our [`Region`]s and offers the few look-ups callers need.

use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode};
use marked_yaml::{Node, Span};

use crate::finding::{Position, Region};
use crate::source::LineIndex;

/// A YAML parse error with its 1-based position in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct YamlError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// One document of a YAML file.
#[derive(Debug)]
pub struct Document {
    pub root: Node,
    /// Lines before the document's first line in the file.
    line_offset: u32,
}

/// The documents of `text`, empty ones (a leading `---`, comments only) left out. A document
/// that does not parse is an error naming its position; the caller decides whether the others
/// are still read, so they are returned one by one.
pub fn documents(text: &str) -> Vec<Result<Document, YamlError>> {
    let mut out = Vec::new();
    for (line_offset, chunk) in split_documents(text) {
        if chunk
            .lines()
            .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'))
        {
            continue;
        }
        let parsed =
            marked_yaml::parse_yaml(0, chunk).map_err(|error| load_error(&error, line_offset));
        out.push(parsed.map(|root| Document { root, line_offset }));
    }
    out
}

/// Splits at document markers (`---` and `...` lines at column 0), with each piece's line
/// offset. A marker line may carry content after `--- `, which stays in the document.
fn split_documents(text: &str) -> Vec<(u32, &str)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut start_line = 0u32;
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        let opener = bare == "---" || bare.starts_with("--- ") || bare.starts_with("---\t");
        let closer = bare == "...";
        if opener || closer {
            pieces.push((start_line, &text[start..offset]));
            if opener && bare.len() > 3 {
                // `--- value`: the content after the marker belongs to the next document.
                start = offset + 4;
                start_line = number as u32;
            } else {
                start = offset + line.len();
                start_line = number as u32 + 1;
            }
        }
        offset += line.len();
    }
    pieces.push((start_line, &text[start..]));
    pieces
}

fn load_error(error: &marked_yaml::LoadError, line_offset: u32) -> YamlError {
    use marked_yaml::LoadError;
    let (marker, message) = match error {
        LoadError::TopLevelMustBeMapping(m) => {
            (Some(*m), "the document is not a mapping".to_owned())
        }
        LoadError::TopLevelMustBeSequence(m) => (Some(*m), "the document is not a list".to_owned()),
        LoadError::UnexpectedAnchor(m) => (Some(*m), "anchors are not supported here".to_owned()),
        LoadError::MappingKeyMustBeScalar(m) => {
            (Some(*m), "a mapping key must be a plain value".to_owned())
        }
        LoadError::UnexpectedTag(m) => (Some(*m), "tags are not supported here".to_owned()),
        LoadError::ScanError(m, e) => (Some(*m), e.to_string()),
        other => (None, other.to_string()),
    };
    YamlError {
        line: marker.map_or(1, |m| m.line() as u32) + line_offset,
        column: marker.map_or(1, |m| m.column() as u32),
        message,
    }
}

impl Document {
    /// The region of `span` in the file whose text is `index`'s. A span without an end (keys)
    /// covers `length` characters from its start.
    pub fn region(&self, index: &LineIndex<'_>, span: &Span, length: usize) -> Option<Region> {
        let start = span.start()?;
        let start = Position {
            line: start.line() as u32 + self.line_offset,
            column: start.column() as u32,
        };
        let end = match span.end() {
            // marked-yaml ends a block node at the start of the next line: the previous line's
            // end is where the value ends.
            Some(end) if end.column() == 1 && end.line() as u32 + self.line_offset > start.line => {
                let line = end.line() as u32 + self.line_offset - 1;
                Position {
                    line,
                    column: index.line_text(line).chars().count() as u32 + 1,
                }
            }
            Some(end) => Position {
                line: end.line() as u32 + self.line_offset,
                column: end.column() as u32,
            },
            None => Position {
                line: start.line,
                column: start.column + length as u32,
            },
        };
        Some(Region {
            start,
            end,
            bytes: (index.offset(start), index.offset(end)),
        })
    }

    /// The region of a key of a mapping (the key text itself).
    pub fn key_region(&self, index: &LineIndex<'_>, key: &MarkedScalarNode) -> Option<Region> {
        self.region(index, key.span(), key.as_str().chars().count())
    }
}

/// The value of `key` in `mapping`, with the key node (whose position findings use).
pub fn entry<'a>(
    mapping: &'a MarkedMappingNode,
    key: &str,
) -> Option<(&'a MarkedScalarNode, &'a Node)> {
    mapping.iter().find(|(k, _)| k.as_str() == key)
}

/// The text of a scalar node.
pub fn text(node: &Node) -> Option<&str> {
    node.as_scalar().map(|s| s.as_str())
}

/// A scalar read as YAML 1.2's `true`/`false` (any case, as Kubernetes' decoder accepts).
pub fn boolean(node: &Node) -> Option<bool> {
    match text(node)?.to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str =
        "# leading comment\n---\nkind: Pod\nmetadata:\n  name: a\n---\nkind: Service\n...\n";

    #[test]
    fn documents_keep_their_position_in_the_file() {
        let docs: Vec<Document> = documents(TWO).into_iter().map(Result::unwrap).collect();
        assert_eq!(docs.len(), 2, "the comment-only preamble is not a document");
        let index = LineIndex::new(TWO);
        let second = docs[1].root.as_mapping().unwrap();
        let (key, value) = entry(second, "kind").unwrap();
        let region = docs[1].key_region(&index, key).unwrap();
        assert_eq!((region.start.line, region.start.column), (7, 1));
        assert_eq!((region.end.line, region.end.column), (7, 5));
        assert_eq!(&TWO[region.bytes.0..region.bytes.1], "kind");
        assert_eq!(text(value), Some("Service"));
        let name_key = entry(
            entry(docs[0].root.as_mapping().unwrap(), "metadata")
                .unwrap()
                .1
                .as_mapping()
                .unwrap(),
            "name",
        )
        .unwrap()
        .0;
        let region = docs[0].key_region(&index, name_key).unwrap();
        assert_eq!((region.start.line, region.start.column), (5, 3));
    }

    #[test]
    fn a_broken_document_is_an_error_at_its_line_and_the_others_still_parse() {
        let text = "kind: Pod\n---\nkind: [unclosed\n---\nkind: Job\n";
        let docs = documents(text);
        assert_eq!(docs.len(), 3);
        assert!(docs[0].is_ok() && docs[2].is_ok());
        let error = docs[1].as_ref().unwrap_err();
        assert!(error.line >= 3, "{error}");
    }

    #[test]
    fn markers_with_content_and_booleans() {
        let text = "--- {a: true}\n";
        let docs = documents(text);
        let doc = docs[0].as_ref().unwrap();
        let (_, value) = entry(doc.root.as_mapping().unwrap(), "a").unwrap();
        assert_eq!(boolean(value), Some(true));
        let doc = &documents("a: yes\nb: FALSE\n")[0];
        let mapping = doc.as_ref().unwrap().root.as_mapping().unwrap();
        assert_eq!(
            boolean(entry(mapping, "a").unwrap().1),
            None,
            "YAML 1.2: yes is text"
        );
        assert_eq!(boolean(entry(mapping, "b").unwrap().1), Some(false));
    }
}
