//! YAML documents with the line and column of every key and value, so that a finding points
//! at the exact key of a Compose service or a Kubernetes container spec.
//!
//! A file may hold several documents (`---`); each is parsed on its own, so one that does not
//! parse leaves the others readable, and every position is that of the whole file. Events come
//! from `saphyr_parser` with their spans; a small loader here builds them into `marked_yaml`'s
//! nodes (a start for scalars, start and end for collections), which callers walk in place and
//! [`crate::runtime::tree::Converter`] turns into an owned tree.
//!
//! Anchors, aliases and merge keys are read as Compose and Kubernetes read them:
//! - a node reached through an alias (`*base`) is a copy of its anchored definition
//!   (`&base`), positions included: a finding about it points where it is written;
//! - `<<: *base` (or an inline mapping) and `<<: [*a, *b]` merge mappings (YAML 1.1's merge
//!   key): the mapping's own keys win over merged ones, wherever they stand, and an earlier
//!   mapping of the list wins over a later one; merged entries take the place of the `<<` key;
//! - a repeated key keeps its last value, at its last place and with its last key;
//! - aliases copy at most [`MAX_ALIAS_NODES`] nodes into a document and nodes nest at most
//!   [`MAX_DEPTH`] levels (a "billion laughs" document is an error naming the alias); an
//!   alias of an anchor not defined before it, or of the node it sits in, is an error naming
//!   it.
//!
//! Tags (`!!str`, `!reset`) are refused, and a document's top level must be a mapping.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode, MarkedSequenceNode};
use marked_yaml::{Marker, Node, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use crate::finding::{Position, Region};
use crate::source::LineIndex;

/// The most nodes that aliases may copy into one document: far above any real Compose file or
/// manifest, far below what exhausts memory.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// The deepest nesting of mappings and sequences (aliases included), so that walking and
/// dropping the tree (recursive) stays well inside a thread's stack.
pub const MAX_DEPTH: usize = 512;

/// A YAML parse error with its 1-based position in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct YamlError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// One document of a YAML file. Its nodes' markers are positions in the whole file (1-based
/// line and column, the column counting characters).
#[derive(Debug)]
pub struct Document {
    pub root: Node,
}

/// The documents of `text`, empty ones (a leading `---`, comments only) left out. A document
/// that does not parse is an error naming its position; the caller decides whether the others
/// are still read, so they are returned one by one.
pub fn documents(text: &str) -> Vec<Result<Document, YamlError>> {
    let mut out = Vec::new();
    // Characters before the current piece, counted incrementally (markers count characters).
    let (mut counted_bytes, mut counted_chars) = (0, 0);
    for piece in split_documents(text) {
        if piece
            .text
            .lines()
            .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'))
        {
            continue;
        }
        counted_chars += text[counted_bytes..piece.start].chars().count();
        counted_bytes = piece.start;
        let place = Place {
            line_offset: piece.line_offset,
            first_line_shift: piece.first_line_shift,
            char_offset: counted_chars,
        };
        out.push(
            Loader::new(piece.text, place)
                .load()
                .map(|root| Document { root }),
        );
    }
    out
}

/// A document's text and where it starts in the file.
struct Piece<'t> {
    text: &'t str,
    /// Its byte offset in the file.
    start: usize,
    /// Lines before its first line.
    line_offset: u32,
    /// Characters before it on its first line (`--- {a: 1}`: 4).
    first_line_shift: u32,
}

/// Splits at document markers (`---` and `...` lines at column 0). A marker line may carry
/// content after `--- `, which stays in the document.
fn split_documents(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut start_line = 0u32;
    let mut shift = 0;
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        let opener = bare == "---" || bare.starts_with("--- ") || bare.starts_with("---\t");
        let closer = bare == "...";
        if opener || closer {
            pieces.push(Piece {
                text: &text[start..offset],
                start,
                line_offset: start_line,
                first_line_shift: shift,
            });
            if opener && bare.len() > 3 {
                // `--- value`: the content after the marker belongs to the next document.
                start = offset + 4;
                start_line = number as u32;
                shift = 4;
            } else {
                start = offset + line.len();
                start_line = number as u32 + 1;
                shift = 0;
            }
        }
        offset += line.len();
    }
    pieces.push(Piece {
        text: &text[start..],
        start,
        line_offset: start_line,
        first_line_shift: shift,
    });
    pieces
}

/// Where a document's text is in its file, to turn the parser's markers (relative to the
/// document) into the file's.
#[derive(Debug, Clone, Copy)]
struct Place {
    line_offset: u32,
    first_line_shift: u32,
    char_offset: usize,
}

/// A mapping or sequence being read.
struct Frame {
    /// Where its content starts (after any anchor).
    start: Marker,
    /// The anchor id it defines (0: none).
    anchor: usize,
    /// Nodes created before it started, to size it when it is anchored.
    created_before: usize,
    /// The deepest nesting among its children (0: none, or scalars only).
    height: usize,
    /// Where its items or entries start in the loader's stack of them.
    first: usize,
    body: Body,
}

enum Body {
    Sequence,
    Mapping {
        /// A key read, waiting for its value; `true` for the merge key `<<`.
        key: Option<(MarkedScalarNode, bool)>,
        merges: bool,
    },
}

struct Entry {
    key: MarkedScalarNode,
    value: Node,
    merge: bool,
}

/// A completed anchored node, for its aliases.
struct Anchored {
    node: Node,
    /// Nodes in it (aliases in it expanded).
    size: usize,
    height: usize,
}

/// Builds one document's nodes from the parser's events.
struct Loader<'t> {
    text: &'t str,
    place: Place,
    /// Lines of `text`, for character → byte offsets when it is not ASCII.
    lines: Option<LineIndex<'t>>,
    stack: Vec<Frame>,
    /// The items of the sequences being read, and the entries of the mappings, each frame's
    /// after its parent's (one buffer each: no growing vector per collection).
    items: Vec<Node>,
    entries: Vec<Entry>,
    anchors: HashMap<usize, Anchored>,
    /// Nodes created so far, aliases counted by the size of what they copy.
    created: usize,
    /// Nodes copied by aliases so far.
    expanded: usize,
    root: Option<Node>,
}

impl<'t> Loader<'t> {
    fn new(text: &'t str, place: Place) -> Loader<'t> {
        Loader {
            text,
            place,
            lines: (!text.is_ascii()).then(|| LineIndex::new(text)),
            stack: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            anchors: HashMap::new(),
            created: 0,
            expanded: 0,
            root: None,
        }
    }

    /// The document's root: a mapping (an empty one for a document without content).
    fn load(mut self) -> Result<Node, YamlError> {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|error| self.scan_error(&error))?;
            match event {
                Event::StreamEnd | Event::DocumentEnd => break,
                event => self.event(event, span)?,
            }
        }
        let root = match self.root.take() {
            Some(root) => root,
            None => {
                let here = self.marker(&saphyr_parser::Marker::new(0, 1, 0));
                Node::from(MarkedMappingNode::new_empty(Span::new_with_marks(
                    here, here,
                )))
            }
        };
        if root.as_mapping().is_none() {
            return Err(self.error_at(root.span().start(), "the document is not a mapping"));
        }
        Ok(root)
    }

    fn event(&mut self, event: Event<'_>, span: saphyr_parser::Span) -> Result<(), YamlError> {
        match event {
            Event::Scalar(_, _, _, Some(_))
            | Event::SequenceStart(_, Some(_))
            | Event::MappingStart(_, Some(_)) => {
                Err(self.error(&span.start, "tags are not supported here"))
            }
            Event::Scalar(value, style, anchor, None) => {
                let start = if anchor == 0 {
                    span.start
                } else {
                    // The span starts at the anchor; the text at the scalar, or right after
                    // the anchor when it is empty.
                    let content = self.content_start(&span.start);
                    if content.index() >= span.end.index() {
                        span.end
                    } else {
                        content
                    }
                };
                let merge = style == ScalarStyle::Plain && value == "<<";
                let node = MarkedScalarNode::new(Span::new_start(self.marker(&start)), value);
                self.created += 1;
                if anchor != 0 {
                    self.anchors.insert(
                        anchor,
                        Anchored {
                            node: Node::Scalar(node.clone()),
                            size: 1,
                            height: 0,
                        },
                    );
                }
                self.push(Node::Scalar(node), 0, merge)
            }
            Event::SequenceStart(anchor, None) => self.open(anchor, &span, Body::Sequence),
            Event::MappingStart(anchor, None) => self.open(
                anchor,
                &span,
                Body::Mapping {
                    key: None,
                    merges: false,
                },
            ),
            Event::SequenceEnd | Event::MappingEnd => self.close(&span.start),
            Event::Alias(id) => self.alias(id, &span),
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => Ok(()),
            Event::StreamEnd | Event::DocumentEnd => Ok(()),
        }
    }

    fn open(
        &mut self,
        anchor: usize,
        span: &saphyr_parser::Span,
        body: Body,
    ) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                &span.start,
                &format!("mappings and lists nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        let start = if anchor == 0 {
            span.start
        } else {
            self.content_start(&span.start)
        };
        let first = match body {
            Body::Sequence => self.items.len(),
            Body::Mapping { .. } => self.entries.len(),
        };
        self.stack.push(Frame {
            start: self.marker(&start),
            anchor,
            created_before: self.created,
            height: 0,
            first,
            body,
        });
        self.created += 1;
        Ok(())
    }

    fn close(&mut self, end: &saphyr_parser::Marker) -> Result<(), YamlError> {
        let frame = self.stack.pop().expect("the parser balances collections");
        let span = Span::new_with_marks(frame.start, self.marker(end));
        let node = match frame.body {
            Body::Sequence => {
                let items = self.items.drain(frame.first..).collect();
                Node::from(MarkedSequenceNode::new(span, items))
            }
            Body::Mapping { merges: false, .. } => {
                let mut mapping = MarkedMappingNode::new_empty(span);
                mapping.reserve(self.entries.len() - frame.first);
                for Entry { key, value, .. } in self.entries.drain(frame.first..) {
                    insert_last(&mut mapping, key, value);
                }
                Node::from(mapping)
            }
            Body::Mapping { merges: true, .. } => {
                let entries = self.entries.split_off(frame.first);
                Node::from(self.merged(span, entries)?)
            }
        };
        let height = frame.height + 1;
        if frame.anchor != 0 {
            self.anchors.insert(
                frame.anchor,
                Anchored {
                    node: node.clone(),
                    size: self.created - frame.created_before,
                    height,
                },
            );
        }
        self.push(node, height, false)
    }

    /// Copies the anchored node an alias names.
    fn alias(&mut self, id: usize, span: &saphyr_parser::Span) -> Result<(), YamlError> {
        let Some(anchored) = self.anchors.get(&id) else {
            // The parser knows the name, so its node is still open: the alias is inside it.
            let name = self.source(span);
            return Err(self.error(
                &span.start,
                &format!("alias `{name}` refers to a node that contains it"),
            ));
        };
        let (size, height) = (anchored.size, anchored.height);
        if self.expanded + size > MAX_ALIAS_NODES {
            let name = self.source(span);
            return Err(self.error(
                &span.start,
                &format!(
                    "alias `{name}`: aliases expand this document to more than \
                     {MAX_ALIAS_NODES} nodes"
                ),
            ));
        }
        if self.stack.len() + height > MAX_DEPTH {
            let name = self.source(span);
            return Err(self.error(
                &span.start,
                &format!("alias `{name}` nests mappings and lists deeper than {MAX_DEPTH} levels"),
            ));
        }
        let node = self.anchors[&id].node.clone();
        self.expanded += size;
        self.created += size;
        self.push(node, height, false)
    }

    /// Adds a completed node to the collection being read, or makes it the root.
    fn push(&mut self, node: Node, height: usize, merge_key: bool) -> Result<(), YamlError> {
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        parent.height = parent.height.max(height);
        match &mut parent.body {
            Body::Sequence => self.items.push(node),
            Body::Mapping { key, merges } => match key.take() {
                Some((key, merge)) => {
                    *merges |= merge;
                    self.entries.push(Entry {
                        key,
                        value: node,
                        merge,
                    });
                }
                None => match node {
                    Node::Scalar(scalar) => *key = Some((scalar, merge_key)),
                    other => {
                        return Err(self
                            .error_at(other.span().start(), "a mapping key must be a plain value"))
                    }
                },
            },
        }
        Ok(())
    }

    /// The mapping of `entries`, some of them `<<` entries to merge.
    fn merged(&self, span: Span, entries: Vec<Entry>) -> Result<MarkedMappingNode, YamlError> {
        let mut mapping = MarkedMappingNode::new_empty(span);
        let own: HashSet<String> = entries
            .iter()
            .filter(|entry| !entry.merge)
            .map(|entry| entry.key.as_str().to_owned())
            .collect();
        for Entry { key, value, merge } in entries {
            if !merge {
                insert_last(&mut mapping, key, value);
                continue;
            }
            let sources = match value {
                Node::Mapping(source) => vec![source],
                Node::Sequence(mut list) => {
                    let mut sources = Vec::with_capacity(list.len());
                    for item in std::mem::take(&mut *list) {
                        match item {
                            Node::Mapping(source) => sources.push(source),
                            other => return Err(self.merge_error(&other, &key)),
                        }
                    }
                    sources
                }
                other => return Err(self.merge_error(&other, &key)),
            };
            for mut source in sources {
                for (key, value) in std::mem::take(&mut *source) {
                    if !own.contains(key.as_str()) && !mapping.contains_key(key.as_str()) {
                        mapping.insert(key, value);
                    }
                }
            }
        }
        Ok(mapping)
    }

    fn merge_error(&self, value: &Node, key: &MarkedScalarNode) -> YamlError {
        let at = value.span().start().or(key.span().start());
        self.error_at(
            at,
            "`<<` merges a mapping or a list of mappings, not this value",
        )
    }

    /// Where a node's content starts after its properties (`&anchor`, then spaces, comments
    /// and line breaks) that start at `at`.
    fn content_start(&self, at: &saphyr_parser::Marker) -> saphyr_parser::Marker {
        let (mut index, mut line, mut col) = (at.index(), at.line(), at.col());
        let mut chars = self.text[self.byte_offset(at)..].chars().peekable();
        let mut in_property = false;
        let mut in_comment = false;
        while let Some(&c) = chars.peek() {
            match c {
                '\n' => {
                    (in_property, in_comment) = (false, false);
                    line += 1;
                    col = 0;
                    index += 1;
                    chars.next();
                    continue;
                }
                _ if in_comment => {}
                ' ' | '\t' | '\r' => in_property = false,
                ',' | '[' | ']' | '{' | '}' if in_property => break,
                _ if in_property => {}
                '&' | '!' => in_property = true,
                '#' => in_comment = true,
                _ => break,
            }
            index += 1;
            col += 1;
            chars.next();
        }
        saphyr_parser::Marker::new(index, line, col)
    }

    /// The byte offset in the document's text of a parser marker.
    fn byte_offset(&self, at: &saphyr_parser::Marker) -> usize {
        match &self.lines {
            None => at.index().min(self.text.len()),
            Some(lines) => lines.offset(Position {
                line: at.line() as u32,
                column: at.col() as u32 + 1,
            }),
        }
    }

    /// The source text of a span (an alias's `*name`).
    fn source(&self, span: &saphyr_parser::Span) -> &'t str {
        let start = self.byte_offset(&span.start);
        let end = self.byte_offset(&span.end).max(start);
        &self.text[start..end]
    }

    /// A parser marker as a position in the file.
    fn marker(&self, at: &saphyr_parser::Marker) -> Marker {
        let shift = if at.line() <= 1 {
            self.place.first_line_shift as usize
        } else {
            0
        };
        Marker::new(
            0,
            self.place.char_offset + at.index(),
            at.line().max(1) + self.place.line_offset as usize,
            at.col() + 1 + shift,
        )
    }

    fn error(&self, at: &saphyr_parser::Marker, message: &str) -> YamlError {
        self.error_at(Some(&self.marker(at)), message)
    }

    fn error_at(&self, at: Option<&Marker>, message: &str) -> YamlError {
        YamlError {
            line: at.map_or(self.place.line_offset + 1, |m| m.line() as u32),
            column: at.map_or(1, |m| m.column() as u32),
            message: message.to_owned(),
        }
    }

    fn scan_error(&self, error: &ScanError) -> YamlError {
        let at = error.marker();
        let message: Cow<'_, str> = if error.info().contains("unknown anchor") {
            let name: String = self.text[self.byte_offset(at)..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
                .collect();
            format!("unknown alias `{name}`: no anchor of that name before it in the document")
                .into()
        } else {
            error.info().into()
        };
        self.error(at, &message)
    }
}

/// Inserts an entry last, replacing an earlier one of the same key (its key too).
fn insert_last(mapping: &mut MarkedMappingNode, key: MarkedScalarNode, value: Node) {
    mapping.remove(key.as_str());
    mapping.insert(key, value);
}

impl Document {
    /// The region of `span` in the file whose text is `index`'s. A span without an end (keys)
    /// covers `length` characters from its start.
    pub fn region(&self, index: &LineIndex<'_>, span: &Span, length: usize) -> Option<Region> {
        let start = span.start()?;
        let start = Position {
            line: start.line() as u32,
            column: start.column() as u32,
        };
        let end = match span.end() {
            // The parser ends a block node at the start of the next line: the previous line's
            // end is where the value ends.
            Some(end) if end.column() == 1 && end.line() as u32 > start.line => {
                let line = end.line() as u32 - 1;
                Position {
                    line,
                    column: index.line_text(line).chars().count() as u32 + 1,
                }
            }
            Some(end) => Position {
                line: end.line() as u32,
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

    /// The 1-based line and column where a node or key starts.
    fn at(span: &Span) -> (usize, usize) {
        let start = span.start().unwrap();
        (start.line(), start.column())
    }

    fn root(text: &str) -> MarkedMappingNode {
        let mut docs = documents(text);
        assert_eq!(docs.len(), 1);
        match docs.remove(0) {
            Ok(document) => document.root.as_mapping().unwrap().clone(),
            Err(error) => panic!("{error}"),
        }
    }

    fn failure(text: &str) -> YamlError {
        documents(text).remove(0).unwrap_err()
    }

    fn keys(mapping: &MarkedMappingNode) -> Vec<&str> {
        mapping.keys().map(|key| key.as_str()).collect()
    }

    const ANCHORS: &str = "\
x-base: &base
  read_only: true
  restart: always
  cap_drop: [ALL]
x-extra: &extra
  restart: \"no\"
  user: \"1000\"
services:
  web:
    image: web
    <<: *base
    init: true
  api:
    <<: [*extra, *base]
    read_only: false
  flow: {<<: *base, image: f}
  tag: &tag  v1
  again: *tag
  caps: &caps
    - NET_ADMIN
  more: *caps
";

    #[test]
    fn aliases_copy_their_anchored_node_with_its_positions() {
        let root = root(ANCHORS);
        let services = root.get_mapping("services").unwrap();
        let base = root.get_mapping("x-base").unwrap();
        assert_eq!(at(base.span()), (2, 3), "the anchor is not the mapping");
        let tag = services.get_node("tag").unwrap();
        assert_eq!(text(tag), Some("v1"));
        assert_eq!(at(tag.span()), (17, 14), "after the anchor and its spaces");
        let again = services.get_node("again").unwrap();
        assert_eq!((text(again), at(again.span())), (Some("v1"), (17, 14)));
        let more = services.get_sequence("more").unwrap();
        assert_eq!(at(more.span()), (20, 5));
        assert_eq!(text(&more[0]), Some("NET_ADMIN"));
        assert_eq!(at(more[0].span()), (20, 7));
    }

    #[test]
    fn merge_keys_merge_with_the_definitions_positions() {
        let root = root(ANCHORS);
        let services = root.get_mapping("services").unwrap();
        // One mapping: merged entries take the place of `<<`, own keys stay.
        let web = services.get_mapping("web").unwrap();
        assert_eq!(
            keys(web),
            ["image", "read_only", "restart", "cap_drop", "init"]
        );
        let (key, value) = entry(web, "read_only").unwrap();
        assert_eq!((at(key.span()), boolean(value)), ((2, 3), Some(true)));
        let (key, value) = entry(web, "cap_drop").unwrap();
        assert_eq!(at(key.span()), (4, 3));
        assert_eq!(at(value.span()), (4, 13));
        let (key, _) = entry(web, "init").unwrap();
        assert_eq!(at(key.span()), (12, 5));
        assert_eq!(at(web.span()), (10, 5));

        // A list: earlier mappings win over later ones, the mapping's own keys over all.
        let api = services.get_mapping("api").unwrap();
        assert_eq!(keys(api), ["restart", "user", "cap_drop", "read_only"]);
        let (key, value) = entry(api, "restart").unwrap();
        assert_eq!((at(key.span()), text(value)), ((6, 3), Some("no")));
        let (key, value) = entry(api, "user").unwrap();
        assert_eq!((at(key.span()), at(value.span())), ((7, 3), (7, 9)));
        let (key, value) = entry(api, "read_only").unwrap();
        assert_eq!((at(key.span()), boolean(value)), ((15, 5), Some(false)));

        // A flow mapping merges the same way.
        let flow = services.get_mapping("flow").unwrap();
        assert_eq!(keys(flow), ["read_only", "restart", "cap_drop", "image"]);
        assert_eq!(flow.get_node("image").and_then(text), Some("f"));
        assert_eq!(at(entry(flow, "restart").unwrap().0.span()), (3, 3));
    }

    #[test]
    fn merge_keys_take_inline_mappings_and_refuse_other_values() {
        let root = root("a:\n  <<: {x: 1, y: 2}\n  y: 3\n'<<': quoted\n");
        let a = root.get_mapping("a").unwrap();
        assert_eq!(keys(a), ["x", "y"]);
        assert_eq!(a.get_node("y").and_then(text), Some("3"));
        assert_eq!(
            root.get_node("<<").and_then(text),
            Some("quoted"),
            "a quoted `<<` is a key"
        );
        let scalar = failure("base: &b plain\nc:\n  <<: *b\n");
        assert_eq!((scalar.line, scalar.column), (1, 10), "{scalar}");
        assert!(scalar.message.contains("`<<`"), "{scalar}");
        let list = failure("m: &m {a: 1}\nc: {<<: [*m, [x]]}\n");
        assert_eq!((list.line, list.column), (2, 14), "{list}");
    }

    #[test]
    fn unknown_and_recursive_aliases_are_errors_at_the_alias() {
        let unknown = failure("a: 1\nb:\n  c: *nowhere\n");
        assert_eq!((unknown.line, unknown.column), (3, 6), "{unknown}");
        assert!(unknown.message.contains("`*nowhere`"), "{unknown}");
        let recursive = failure("a: &loop\n  b: *loop\n");
        assert_eq!((recursive.line, recursive.column), (2, 6), "{recursive}");
        assert!(recursive.message.contains("`*loop`"), "{recursive}");
    }

    #[test]
    fn an_alias_bomb_is_refused_at_the_alias_that_overflows() {
        let mut text = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..10 {
            let aliases = vec![format!("*l{}", level - 1); 10].join(", ");
            text.push_str(&format!("l{level}: &l{level} [{aliases}]\n"));
        }
        let error = failure(&text);
        assert!(error.message.contains("more than 1000000 nodes"), "{error}");
        // l4 holds 111,111 nodes and the aliases before l5 copied 123,440: the eighth `*l4`
        // of l5 passes the bound.
        assert!(error.message.contains("`*l4`"), "{error}");
        assert_eq!(error.line, 6, "{error}");
        let line = text.lines().nth(5).unwrap();
        let column = line.match_indices("*l4").nth(7).unwrap().0;
        assert_eq!(error.column as usize, column + 1, "{error}");
    }

    #[test]
    fn nesting_is_bounded_through_aliases_too() {
        let deep: String = (0..=MAX_DEPTH)
            .map(|level| format!("{}k:\n", " ".repeat(level)))
            .collect();
        let error = failure(&deep);
        assert!(error.message.contains("deeper than"), "{error}");
        let mut text = String::from("a: &a\n");
        for level in 1..MAX_DEPTH - 2 {
            text.push_str(&format!("{}k:\n", " ".repeat(level * 2)));
        }
        text.push_str(&format!("{}v: 1\n", " ".repeat((MAX_DEPTH - 2) * 2)));
        assert!(documents(&text)[0].is_ok());
        text.push_str("b:\n  c:\n    d: *a\n");
        let error = failure(&text);
        assert!(error.message.contains("`*a`"), "{error}");
    }

    #[test]
    fn anchors_belong_to_their_document_and_positions_to_the_file() {
        let file = "a: &x 1\nb: *x\n---\n# two\nc: *x\n--- {d: &y 2, e: *y}\n";
        let docs = documents(file);
        assert_eq!(docs.len(), 3);
        let first = docs[0].as_ref().unwrap().root.as_mapping().unwrap();
        assert_eq!(at(first.get_node("b").unwrap().span()), (1, 7));
        let error = docs[1].as_ref().unwrap_err();
        assert_eq!((error.line, error.column), (5, 4), "{error}");
        let third = docs[2].as_ref().unwrap().root.as_mapping().unwrap();
        let (key, value) = entry(third, "e").unwrap();
        assert_eq!(at(key.span()), (6, 15), "columns after `--- ` count");
        assert_eq!((text(value), at(value.span())), (Some("2"), (6, 12)));
        let index = LineIndex::new(file);
        let region = docs[2].as_ref().unwrap().key_region(&index, key).unwrap();
        assert_eq!(&file[region.bytes.0..region.bytes.1], "e");
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_and_place() {
        let root = root("a: 1\nb: 2\na: 3\n");
        assert_eq!(keys(&root), ["b", "a"]);
        let (key, value) = entry(&root, "a").unwrap();
        assert_eq!((at(key.span()), text(value)), ((3, 1), Some("3")));
    }

    #[test]
    fn tags_and_other_top_levels_are_still_refused() {
        let tag = failure("a: !!str 1\n");
        assert!(tag.message.contains("tags"), "{tag}");
        let list = failure("\n- a\n");
        assert_eq!((list.line, list.column), (2, 1), "{list}");
        assert!(list.message.contains("not a mapping"), "{list}");
        let key = failure("[a]: 1\n");
        assert!(key.message.contains("mapping key"), "{key}");
    }

    #[test]
    fn text_outside_ascii_keeps_character_columns() {
        let root = root("ключ: &z значение\nnext: *z\n");
        let value = root.get_node("next").unwrap();
        assert_eq!((text(value), at(value.span())), (Some("значение"), (1, 10)));
    }
}
