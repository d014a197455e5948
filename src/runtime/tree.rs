//! The owned YAML tree of Compose projects and Kubernetes manifests: every node and key
//! remembers the file and region it came from.
//!
//! Merging several Compose files and `extends` bases mixes nodes of different files in one
//! service, so the borrowed `marked_yaml` nodes (one tree per file, positions without a file)
//! cannot represent the result: this tree owns its text and carries the file with each position.

use std::fmt;
use std::path::{Path, PathBuf};

use marked_yaml::types::MarkedScalarNode;
use marked_yaml::{Node, Span};

use crate::finding::Region;
use crate::runtime::yaml::Document;
use crate::source::LineIndex;

/// A place in a Compose file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub file: PathBuf,
    /// `None` when the parser gave no position (it always does for parsed nodes).
    pub region: Option<Region>,
}

impl Located {
    /// The 1-based line, when known.
    pub fn line(&self) -> Option<u32> {
        self.region.map(|region| region.start.line)
    }
}

/// `file:line:column`, or the file alone without a position.
impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.region {
            Some(region) => write!(
                f,
                "{}:{}:{}",
                self.file.display(),
                region.start.line,
                region.start.column
            ),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// A mapping key and where its text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub at: Located,
}

/// The shape of a node. Scalars stay text (after interpolation), as Compose reads them;
/// accessors convert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueKind {
    /// Entries in file order; keys are unique.
    Map(Vec<(Key, Value)>),
    Seq(Vec<Value>),
    Scalar(String),
    /// An empty value, `~` or `null` (unquoted).
    Null,
}

/// A node of the tree and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub kind: ValueKind,
    pub at: Located,
}

impl Value {
    pub fn new(kind: ValueKind, at: Located) -> Value {
        Value { kind, at }
    }

    /// The entry `key` of a mapping, with its key (where findings about the key point).
    pub fn get(&self, key: &str) -> Option<(&Key, &Value)> {
        self.entries()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, v)| (k, v))
    }

    /// The value at a path of mapping keys, e.g. `["deploy", "resources", "limits"]`.
    pub fn path(&self, keys: &[&str]) -> Option<&Value> {
        keys.iter()
            .try_fold(self, |node, key| node.get(key).map(|(_, value)| value))
    }

    /// The entries of a mapping.
    pub fn entries(&self) -> Option<&[(Key, Value)]> {
        match &self.kind {
            ValueKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Scalar(text) => Some(text),
            _ => None,
        }
    }

    /// A scalar read as a boolean the way Compose converts values: `true`, `yes`, `y`, `on`
    /// and `false`, `no`, `n`, `off`, in any case (interpolated values are text, so quoting
    /// does not matter).
    pub fn as_bool(&self) -> Option<bool> {
        match self.as_str()?.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "on" => Some(true),
            "false" | "no" | "n" | "off" => Some(false),
            _ => None,
        }
    }

    /// A scalar read as an integer.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_str()?.trim().parse().ok()
    }

    pub fn as_seq(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, ValueKind::Null)
    }

    /// Equal content, wherever the two nodes come from.
    pub fn same(&self, other: &Value) -> bool {
        match (&self.kind, &other.kind) {
            (ValueKind::Map(a), ValueKind::Map(b)) => {
                a.len() == b.len()
                    && a.iter().all(|(key, value)| {
                        other
                            .get(&key.name)
                            .is_some_and(|(_, theirs)| value.same(theirs))
                    })
            }
            (ValueKind::Seq(a), ValueKind::Seq(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
            }
            (a, b) => a == b,
        }
    }

    /// Every scalar of the tree, for in-place rewriting (interpolation).
    pub(crate) fn for_each_scalar(&mut self, visit: &mut impl FnMut(&mut String, &Located)) {
        match &mut self.kind {
            ValueKind::Map(entries) => entries
                .iter_mut()
                .for_each(|(_, value)| value.for_each_scalar(visit)),
            ValueKind::Seq(items) => items
                .iter_mut()
                .for_each(|item| item.for_each_scalar(visit)),
            ValueKind::Scalar(text) => visit(text, &self.at),
            ValueKind::Null => {}
        }
    }
}

/// Builds owned values from one parsed document of `file`, whose text is `text`.
pub struct Converter<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub index: &'a LineIndex<'a>,
    pub document: &'a Document,
}

impl Converter<'_> {
    fn at(&self, region: Option<Region>) -> Located {
        Located {
            file: self.file.to_path_buf(),
            region,
        }
    }

    /// Where `node` is: a scalar's text (its quotes included), a collection's span.
    pub fn located(&self, node: &Node) -> Located {
        match node {
            Node::Scalar(scalar) => self.at(self.scalar_region(scalar)),
            Node::Sequence(items) => self.span_located(items.span()),
            Node::Mapping(mapping) => self.span_located(mapping.span()),
        }
    }

    /// Where a collection with `span` is (from its first item or key to its end).
    pub fn span_located(&self, span: &Span) -> Located {
        self.at(self.document.region(self.index, span, 0))
    }

    /// Where a mapping key is (the key text itself).
    pub fn key_located(&self, key: &MarkedScalarNode) -> Located {
        self.at(self.document.key_region(self.index, key))
    }

    /// The region of a scalar. The parser marks only where a scalar starts: a plain one ends
    /// after its text, a quoted one at its closing quote (escapes make the text shorter than
    /// the source).
    fn scalar_region(&self, scalar: &MarkedScalarNode) -> Option<Region> {
        let text = scalar.as_str();
        let region = self
            .document
            .region(self.index, scalar.span(), text.chars().count())?;
        let start = region.bytes.0;
        let bytes = self.text.as_bytes();
        let Some(&quote @ (b'"' | b'\'')) = bytes.get(start) else {
            return Some(region);
        };
        let mut i = start + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                b if b == quote => {
                    let end = i + 1;
                    return Some(Region {
                        start: region.start,
                        end: self.index.position(end),
                        bytes: (start, end),
                    });
                }
                _ => i += 1,
            }
        }
        Some(region)
    }

    pub fn value(&self, node: &Node) -> Value {
        match node {
            Node::Scalar(scalar) => {
                let text = scalar.as_str();
                let region = self.scalar_region(scalar);
                let quoted = region.is_some_and(|region| {
                    matches!(self.text.as_bytes().get(region.bytes.0), Some(b'"' | b'\''))
                });
                let null = !quoted && matches!(text, "" | "~" | "null" | "Null" | "NULL");
                let kind = if null {
                    ValueKind::Null
                } else {
                    ValueKind::Scalar(text.to_owned())
                };
                Value::new(kind, self.at(region))
            }
            Node::Sequence(items) => Value::new(
                ValueKind::Seq(items.iter().map(|item| self.value(item)).collect()),
                self.at(self.document.region(self.index, items.span(), 0)),
            ),
            Node::Mapping(mapping) => Value::new(
                ValueKind::Map(
                    mapping
                        .iter()
                        .map(|(key, value)| {
                            let key = Key {
                                name: key.as_str().to_owned(),
                                at: self.at(self.document.key_region(self.index, key)),
                            };
                            (key, self.value(value))
                        })
                        .collect(),
                ),
                self.at(self.document.region(self.index, mapping.span(), 0)),
            ),
        }
    }
}

/// The text items of a list value, for tests.
#[cfg(test)]
pub(crate) fn test_strings(value: &Value) -> Vec<&str> {
    value
        .as_seq()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::yaml::documents;

    fn convert(text: &str) -> Value {
        let docs = documents(text);
        let document = docs[0].as_ref().unwrap();
        let index = LineIndex::new(text);
        let converter = Converter {
            file: Path::new("c.yml"),
            text,
            index: &index,
            document,
        };
        converter.value(&document.root)
    }

    #[test]
    fn keys_and_values_keep_their_positions_and_nulls_are_recognised() {
        let text = "a:\n  b: [x, 'null']\n  c: ~\n  d: \"\"\n  e:\n";
        let root = convert(text);
        let (key, a) = root.get("a").unwrap();
        assert_eq!(key.at.to_string(), "c.yml:1:1");
        let (key, b) = a.get("b").unwrap();
        assert_eq!(key.at.line(), Some(2));
        let items = b.as_seq().unwrap();
        assert_eq!(items[0].as_str(), Some("x"));
        assert_eq!(items[1].as_str(), Some("null"), "a quoted null is text");
        let x = items[0].at.region.unwrap();
        assert_eq!((x.start.line, x.start.column), (2, 7));
        let quoted = items[1].at.region.unwrap();
        assert_eq!(&text[quoted.bytes.0..quoted.bytes.1], "'null'");
        assert_eq!((quoted.start.column, quoted.end.column), (10, 16));
        assert!(a.get("c").unwrap().1.is_null());
        assert_eq!(a.get("d").unwrap().1.as_str(), Some(""));
        assert!(a.get("e").unwrap().1.is_null());
        assert_eq!(root.path(&["a", "b"]).unwrap().as_seq().unwrap().len(), 2);
    }

    #[test]
    fn booleans_follow_compose_and_sameness_ignores_positions() {
        let one = convert("a: [On, no, 'true', maybe]\n");
        let items = one.get("a").unwrap().1.as_seq().unwrap();
        let read: Vec<_> = items.iter().map(Value::as_bool).collect();
        assert_eq!(read, [Some(true), Some(false), Some(true), None]);
        let two = convert("\n\na: [On, no, 'true', maybe]\n");
        assert!(one.same(&two));
        assert_ne!(one, two, "positions differ");
    }
}
