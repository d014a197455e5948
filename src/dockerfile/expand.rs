//! BuildKit's shell-word lexer and expander, as the builder applies it to `FROM`, `ENV`, `ARG`,
//! `COPY`, `WORKDIR`… arguments.
//!
//! This is not a shell. It removes quotes and expands `$NAME` / `${NAME…}` exactly the way
//! BuildKit's `shell.Lex` does, including its quirks (see the conformance vectors in
//! `buildkit/shell/` and `tests/conformance_buildkit_shell.rs`):
//!
//! - `'…'` is literal, the escape token included; an unterminated quote is an error.
//! - `"…"` expands `$`; the escape token escapes only `"`, `$` and itself, before anything else it
//!   is kept (`"a\tb"` stays `a\tb`).
//! - Outside quotes the escape token escapes any character and is removed; a trailing lone escape
//!   token is dropped.
//! - `$NAME` and `${NAME}`; unset variables expand to nothing. Names are letters, digits and `_`.
//!   `$` followed by digits takes all the digits (`$999aaa` → `aaa`), a special parameter
//!   (`@ * # ? - $ !`) is taken alone (`$@@@` → `@@`). Positional and special parameters are
//!   never set. A `$` that starts no name stays literal (`$.` → `$.`).
//! - `${V:-w}`, `${V-w}`, `${V:+w}`, `${V+w}`, `${V:?msg}`, `${V?msg}`; the word `w` is itself
//!   lexed (quotes, escapes, nested expansions).
//! - `${V#pat}`, `${V##pat}`, `${V%pat}`, `${V%%pat}`, `${V/pat/repl}`, `${V//pat/repl}` with
//!   `*` and `?` wildcards (no `[…]` classes, like BuildKit). Quoted or escaped wildcard
//!   characters are literal.
//! - `${}`, `${:…}`, `${{…`, `${V:=w}`, `${V=w}`, `${V:w}`, `${V:#…}` and a missing `}` are errors.
//!
//! [`Lexer::process_words`] additionally splits into fields: unquoted whitespace separates words
//! and the value of an *unquoted* expansion is split on whitespace; quoted text never is.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// The word lexer. `escape` is the Dockerfile's escape token: `\` (default) or `` ` ``.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lexer {
    pub escape: char,
}

impl Default for Lexer {
    fn default() -> Self {
        Lexer { escape: '\\' }
    }
}

/// Where variable values come from. Implemented for maps, slices of pairs (the last entry for a
/// name wins, like repeated `ENV`), references, and `()` (nothing is set).
pub trait Lookup {
    fn lookup(&self, name: &str) -> Option<&str>;
}

impl Lookup for HashMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Lookup for BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Lookup for [(String, String)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Lookup for [(&str, &str)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }
}

impl<const N: usize> Lookup for [(&str, &str); N] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}

impl Lookup for Vec<(String, String)> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}

/// A scope of names whose value may be unknown (`None`): unknown values are unset.
impl Lookup for [(String, Option<String>)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.as_deref())
    }
}

impl Lookup for () {
    fn lookup(&self, _name: &str) -> Option<&str> {
        None
    }
}

impl<T: Lookup + ?Sized> Lookup for &T {
    fn lookup(&self, name: &str) -> Option<&str> {
        (**self).lookup(name)
    }
}

/// The result of expanding one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    pub value: String,
    /// Every variable the word references, in source order (an outer `${A:-$B}` before `B`),
    /// including those in a modifier word whose value ended up unused.
    pub references: Vec<VarRef>,
}

/// One `$NAME` or `${NAME…}` in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// Whether the variable was set (possibly to the empty string) when the word was expanded.
    pub set: bool,
    /// Byte range of the whole reference in the input word: `$NAME` or `${…}` with its braces.
    pub range: Range<usize>,
}

impl VarRef {
    /// Positional (`$1`, `$001`) and special (`$@`, `$#`…) parameters, which are never set in a
    /// Dockerfile; callers checking for undefined variables usually skip these.
    pub fn is_special(&self) -> bool {
        self.name
            .chars()
            .next()
            .is_some_and(|c| c.is_numeric() || is_special_param(c))
    }
}

/// Why a word could not be expanded. `offset` is the byte offset in the input word of the
/// construct at fault: the `$` of a substitution or the opening quote.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    #[error("syntax error: missing '}}'")]
    MissingBrace { offset: usize },
    #[error("syntax error: bad substitution")]
    BadSubstitution { offset: usize },
    #[error("unsupported modifier ({modifier}) in substitution")]
    UnsupportedModifier { modifier: String, offset: usize },
    #[error("unexpected end of statement while looking for matching {}", quote_name(*.quote))]
    UnterminatedQuote { quote: char, offset: usize },
    /// `${V?msg}` / `${V:?msg}` with `V` unset (or empty for `:?`).
    #[error("{name}: {message}")]
    Required {
        name: String,
        message: String,
        offset: usize,
    },
}

impl ExpandError {
    pub fn offset(&self) -> usize {
        match self {
            ExpandError::MissingBrace { offset }
            | ExpandError::BadSubstitution { offset }
            | ExpandError::UnsupportedModifier { offset, .. }
            | ExpandError::UnterminatedQuote { offset, .. }
            | ExpandError::Required { offset, .. } => *offset,
        }
    }
}

fn quote_name(quote: char) -> &'static str {
    if quote == '\'' {
        "single-quote"
    } else {
        "double-quote"
    }
}

impl Lexer {
    pub fn new(escape: char) -> Self {
        Lexer { escape }
    }

    /// Expands `word` as one word: quotes removed, variables expanded, no field splitting.
    pub fn process_word(
        &self,
        word: &str,
        env: &(impl Lookup + ?Sized),
    ) -> Result<Expansion, ExpandError> {
        let (pieces, references) = self.scan(word, env)?;
        let value = pieces.into_iter().map(|p| p.text).collect();
        Ok(Expansion { value, references })
    }

    /// Expands `word` and splits it into fields the way BuildKit does for `ProcessWords`.
    /// Empty fields are dropped (`""` alone gives no word, as in BuildKit).
    pub fn process_words(
        &self,
        word: &str,
        env: &(impl Lookup + ?Sized),
    ) -> Result<Vec<String>, ExpandError> {
        let (pieces, _) = self.scan(word, env)?;
        let mut fields = Fields::default();
        for piece in &pieces {
            match piece.kind {
                Kind::Unquoted => piece.text.chars().for_each(|c| fields.add_char(c)),
                Kind::Quoted => fields.add_raw(&piece.text),
            }
        }
        Ok(fields.finish())
    }

    fn scan<L: Lookup + ?Sized>(
        &self,
        word: &str,
        env: &L,
    ) -> Result<(Vec<Piece>, Vec<VarRef>), ExpandError> {
        let mut scanner = Scanner {
            src: word,
            pos: 0,
            escape: self.escape,
            env,
            refs: Vec::new(),
        };
        let (pieces, _) = scanner.word(&[])?;
        Ok((pieces.0, scanner.refs))
    }
}

/// Whether a piece of output came from quoted/escaped text or not. Unquoted text is split into
/// fields by `process_words`, and its `*`/`?` are wildcards inside a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unquoted,
    Quoted,
}

#[derive(Debug, Clone)]
struct Piece {
    text: String,
    kind: Kind,
}

/// Output of a lexed word, adjacent pieces of the same kind merged.
#[derive(Debug, Default)]
struct Pieces(Vec<Piece>);

impl Pieces {
    fn push_str(&mut self, kind: Kind, text: &str) {
        match self.0.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            _ => self.0.push(Piece {
                text: text.to_owned(),
                kind,
            }),
        }
    }

    fn push_char(&mut self, kind: Kind, c: char) {
        let mut buf = [0u8; 4];
        self.push_str(kind, c.encode_utf8(&mut buf));
    }

    fn extend(&mut self, other: Pieces) {
        for piece in other.0 {
            self.push_str(piece.kind, &piece.text);
        }
    }

    fn text(&self) -> String {
        self.0.iter().map(|p| p.text.as_str()).collect()
    }
}

/// BuildKit's field builder: whitespace ends a non-empty word; raw (quoted) text always joins
/// the current word.
#[derive(Default)]
struct Fields {
    words: Vec<String>,
    word: String,
}

impl Fields {
    fn add_char(&mut self, c: char) {
        if c.is_whitespace() {
            if !self.word.is_empty() {
                self.words.push(std::mem::take(&mut self.word));
            }
        } else {
            self.word.push(c);
        }
    }

    fn add_raw(&mut self, text: &str) {
        self.word.push_str(text);
    }

    fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(self.word);
        }
        self.words
    }
}

fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || c == '_'
}

struct Scanner<'a, L: Lookup + ?Sized> {
    src: &'a str,
    pos: usize,
    escape: char,
    env: &'a L,
    refs: Vec<VarRef>,
}

impl<L: Lookup + ?Sized> Scanner<'_, L> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Lexes until one of `stops` (consumed, and returned) or the end of input (`None`).
    fn word(&mut self, stops: &[char]) -> Result<(Pieces, Option<char>), ExpandError> {
        let mut out = Pieces::default();
        while let Some(c) = self.peek() {
            if stops.contains(&c) {
                self.next();
                return Ok((out, Some(c)));
            }
            match c {
                '\'' => {
                    let text = self.single_quoted()?;
                    out.push_str(Kind::Quoted, &text);
                }
                '"' => {
                    let text = self.double_quoted()?;
                    out.push_str(Kind::Quoted, &text);
                }
                '$' => {
                    let pieces = self.dollar()?;
                    out.extend(pieces);
                }
                _ => {
                    self.next();
                    if c == self.escape {
                        // A lone escape token at the very end is dropped.
                        match self.next() {
                            Some(escaped) => out.push_char(Kind::Quoted, escaped),
                            None => break,
                        }
                    } else {
                        out.push_char(Kind::Unquoted, c);
                    }
                }
            }
        }
        Ok((out, None))
    }

    fn single_quoted(&mut self) -> Result<String, ExpandError> {
        let offset = self.pos;
        self.next();
        let rest = &self.src[self.pos..];
        let Some(end) = rest.find('\'') else {
            return Err(ExpandError::UnterminatedQuote {
                quote: '\'',
                offset,
            });
        };
        let text = rest[..end].to_owned();
        self.pos += end + 1;
        Ok(text)
    }

    fn double_quoted(&mut self) -> Result<String, ExpandError> {
        let offset = self.pos;
        self.next();
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ExpandError::UnterminatedQuote { quote: '"', offset });
            };
            match c {
                '"' => {
                    self.next();
                    return Ok(out);
                }
                '$' => out.push_str(&self.dollar()?.text()),
                _ => {
                    self.next();
                    if c == self.escape {
                        match self.peek() {
                            // Inside double quotes only these can be escaped; elsewhere the
                            // escape token is kept, as in POSIX sh.
                            Some(e) if e == '"' || e == '$' || e == self.escape => {
                                self.next();
                                out.push(e);
                            }
                            // Dropped; the missing `"` is reported on the next turn.
                            None => {}
                            Some(_) => out.push(c),
                        }
                    } else {
                        out.push(c);
                    }
                }
            }
        }
    }

    /// Reads a parameter name after `$` / `${`: all digits, one special character, or a run of
    /// letters, digits and `_`. Empty if nothing can start a name.
    fn name(&mut self) -> String {
        let start = self.pos;
        match self.peek() {
            Some(c) if c.is_numeric() => {
                while self.peek().is_some_and(char::is_numeric) {
                    self.next();
                }
            }
            Some(c) if is_special_param(c) => {
                self.next();
            }
            _ => {
                while self.peek().is_some_and(is_name_char) {
                    self.next();
                }
            }
        }
        self.src[start..self.pos].to_owned()
    }

    fn get(&self, name: &str) -> Option<String> {
        // Positional and special parameters are never set in a Dockerfile.
        let first = name.chars().next()?;
        if first.is_numeric() || is_special_param(first) {
            return None;
        }
        self.env.lookup(name).map(str::to_owned)
    }

    /// Handles `$…` at the current position.
    fn dollar(&mut self) -> Result<Pieces, ExpandError> {
        let start = self.pos;
        self.next();
        let mut out = Pieces::default();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                out.push_char(Kind::Unquoted, '$');
                return Ok(out);
            }
            let value = self.get(&name);
            self.refs.push(VarRef {
                name,
                set: value.is_some(),
                range: start..self.pos,
            });
            out.push_str(Kind::Unquoted, value.as_deref().unwrap_or(""));
            return Ok(out);
        }
        self.next();
        match self.peek() {
            None => return Err(ExpandError::MissingBrace { offset: start }),
            Some('{' | '}' | ':') => return Err(ExpandError::BadSubstitution { offset: start }),
            _ => {}
        }
        let name = self.name();
        if name.is_empty() {
            return Err(ExpandError::BadSubstitution { offset: start });
        }
        let value = self.get(&name);
        // Reserve the slot so the outer reference precedes references nested in its word.
        let slot = self.refs.len();
        let op = match self.next() {
            None => return Err(ExpandError::MissingBrace { offset: start }),
            Some('}') => Op::Plain,
            Some(':') => match self.next() {
                None => return Err(ExpandError::MissingBrace { offset: start }),
                Some('-') => Op::Default { colon: true },
                Some('+') => Op::Alternate { colon: true },
                Some('?') => Op::Required { colon: true },
                Some(m) => {
                    return Err(ExpandError::UnsupportedModifier {
                        modifier: format!(":{m}"),
                        offset: start,
                    })
                }
            },
            Some('-') => Op::Default { colon: false },
            Some('+') => Op::Alternate { colon: false },
            Some('?') => Op::Required { colon: false },
            Some(c @ ('#' | '%')) => {
                let longest = self.peek() == Some(c);
                if longest {
                    self.next();
                }
                if c == '#' {
                    Op::RemovePrefix { longest }
                } else {
                    Op::RemoveSuffix { longest }
                }
            }
            Some('/') => {
                let all = self.peek() == Some('/');
                if all {
                    self.next();
                }
                Op::Replace { all }
            }
            Some(m) => {
                return Err(ExpandError::UnsupportedModifier {
                    modifier: m.to_string(),
                    offset: start,
                })
            }
        };

        let (word, replacement) = match op {
            Op::Plain => (Pieces::default(), None),
            Op::Replace { .. } => {
                let (pattern, stop) = self.brace_word(start, &['/', '}'])?;
                let replacement = if stop == '/' {
                    self.brace_word(start, &['}'])?.0.text()
                } else {
                    String::new()
                };
                (pattern, Some(replacement))
            }
            _ => (self.brace_word(start, &['}'])?.0, None),
        };
        self.refs.insert(
            slot,
            VarRef {
                name: name.clone(),
                set: value.is_some(),
                range: start..self.pos,
            },
        );

        let current = value.as_deref().unwrap_or("");
        let empty = current.is_empty();
        match op {
            Op::Plain => out.push_str(Kind::Unquoted, current),
            Op::Default { colon } => {
                if value.is_none() || (colon && empty) {
                    out.extend(word);
                } else {
                    out.push_str(Kind::Unquoted, current);
                }
            }
            Op::Alternate { colon } => {
                if value.is_some() && !(colon && empty) {
                    out.extend(word);
                }
            }
            Op::Required { colon } => {
                let problem = if value.is_none() {
                    Some("is not allowed to be unset")
                } else if colon && empty {
                    Some("is not allowed to be empty")
                } else {
                    None
                };
                if let Some(default_message) = problem {
                    let message = word.text();
                    return Err(ExpandError::Required {
                        name,
                        message: if message.is_empty() {
                            default_message.to_owned()
                        } else {
                            message
                        },
                        offset: start,
                    });
                }
                out.push_str(Kind::Unquoted, current);
            }
            Op::RemovePrefix { longest } => {
                let pattern = Pattern::new(&word);
                out.push_str(Kind::Unquoted, pattern.remove_prefix(current, longest));
            }
            Op::RemoveSuffix { longest } => {
                let pattern = Pattern::new(&word);
                out.push_str(Kind::Unquoted, pattern.remove_suffix(current, longest));
            }
            Op::Replace { all } => {
                let pattern = Pattern::new(&word);
                let replacement = replacement.unwrap_or_default();
                out.push_str(Kind::Unquoted, &pattern.replace(current, &replacement, all));
            }
        }
        Ok(out)
    }

    /// Lexes a modifier word inside `${…}` up to one of `stops`. Like BuildKit, a failure that
    /// ran into the end of input is reported as the missing `}` of the substitution at `start`.
    fn brace_word(&mut self, start: usize, stops: &[char]) -> Result<(Pieces, char), ExpandError> {
        match self.word(stops) {
            Ok((word, Some(stop))) => Ok((word, stop)),
            Ok((_, None)) => Err(ExpandError::MissingBrace { offset: start }),
            // Both mean the input ended inside the braces.
            Err(ExpandError::UnterminatedQuote { .. } | ExpandError::MissingBrace { .. }) => {
                Err(ExpandError::MissingBrace { offset: start })
            }
            Err(e) => Err(e),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Plain,
    Default { colon: bool },
    Alternate { colon: bool },
    Required { colon: bool },
    RemovePrefix { longest: bool },
    RemoveSuffix { longest: bool },
    Replace { all: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Char(char),
    /// `?`: any one character.
    One,
    /// `*`: any run of characters.
    Many,
}

/// A glob pattern from a lexed modifier word: `*` and `?` are wildcards only where they were
/// neither quoted nor escaped.
struct Pattern(Vec<Tok>);

impl Pattern {
    fn new(word: &Pieces) -> Self {
        let mut toks = Vec::new();
        for piece in &word.0 {
            for c in piece.text.chars() {
                toks.push(match (piece.kind, c) {
                    (Kind::Unquoted, '*') => Tok::Many,
                    (Kind::Unquoted, '?') => Tok::One,
                    _ => Tok::Char(c),
                });
            }
        }
        Pattern(toks)
    }

    /// Whether the pattern matches all of `text`.
    fn matches(&self, text: &str) -> bool {
        fn go(toks: &[Tok], text: &str) -> bool {
            match toks.split_first() {
                None => text.is_empty(),
                Some((Tok::Many, rest)) => {
                    // Try every split point, shortest first.
                    text.char_indices()
                        .map(|(i, _)| i)
                        .chain(std::iter::once(text.len()))
                        .any(|i| go(rest, &text[i..]))
                }
                Some((tok, rest)) => {
                    let mut chars = text.chars();
                    match (chars.next(), tok) {
                        (Some(_), Tok::One) => go(rest, chars.as_str()),
                        (Some(c), Tok::Char(p)) if c == *p => go(rest, chars.as_str()),
                        _ => false,
                    }
                }
            }
        }
        go(&self.0, text)
    }

    fn remove_prefix<'t>(&self, text: &'t str, longest: bool) -> &'t str {
        let mut ends: Vec<usize> = boundaries(text).collect();
        if longest {
            ends.reverse();
        }
        ends.into_iter()
            .find(|&end| self.matches(&text[..end]))
            .map_or(text, |end| &text[end..])
    }

    fn remove_suffix<'t>(&self, text: &'t str, longest: bool) -> &'t str {
        let mut starts: Vec<usize> = boundaries(text).collect();
        if !longest {
            starts.reverse();
        }
        starts
            .into_iter()
            .find(|&start| self.matches(&text[start..]))
            .map_or(text, |start| &text[..start])
    }

    /// Replaces the first (or every) leftmost-longest non-empty match.
    fn replace(&self, text: &str, replacement: &str, all: bool) -> String {
        let mut out = String::new();
        let mut pos = 0;
        let mut replaced = false;
        while pos < text.len() && (all || !replaced) {
            let found = boundaries(&text[pos..])
                .skip(1)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .find(|&len| self.matches(&text[pos..pos + len]));
            match found {
                Some(len) => {
                    out.push_str(replacement);
                    pos += len;
                    replaced = true;
                }
                None => {
                    let c = text[pos..].chars().next().expect("pos < len");
                    out.push(c);
                    pos += c.len_utf8();
                }
            }
        }
        out.push_str(&text[pos..]);
        out
    }
}

/// Every char boundary of `text`, `0` and `text.len()` included, ascending.
fn boundaries(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Vec<(String, String)> {
        [
            ("PWD", "/home"),
            ("EMPTY", ""),
            ("SPACE", "a  b"),
            ("PATH", "/usr/local/bin:/usr/bin:/bin"),
            ("FILE", "archive.tar.gz"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn word(input: &str) -> Result<String, ExpandError> {
        Lexer::default()
            .process_word(input, &env())
            .map(|e| e.value)
    }

    fn words(input: &str) -> Vec<String> {
        Lexer::default().process_words(input, &env()).unwrap()
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(word(r#"a'$PWD'"$PWD"\$PWD"#).unwrap(), "a$PWD/home$PWD");
        assert_eq!(word(r#""a\tb\"c""#).unwrap(), r#"a\tb"c"#);
        assert_eq!(word(r"a\tb\").unwrap(), "atb");
        assert!(matches!(
            word("ab'cd"),
            Err(ExpandError::UnterminatedQuote {
                quote: '\'',
                offset: 2
            })
        ));
        assert!(matches!(
            word(r#"x"cd\""#),
            Err(ExpandError::UnterminatedQuote {
                quote: '"',
                offset: 1
            })
        ));
    }

    #[test]
    fn backtick_escape_token() {
        let lexer = Lexer::new('`');
        let e = lexer.process_word(r"C:\dir`$PWD`", &env()).unwrap();
        assert_eq!(e.value, r"C:\dir$PWD");
        assert!(e.references.is_empty());
        let e = lexer.process_word(r#""a`"b`$PWD\x""#, &env()).unwrap();
        assert_eq!(e.value, r#"a"b$PWD\x"#);
    }

    #[test]
    fn default_alternate_and_required_with_and_without_colon() {
        assert_eq!(word("${EMPTY:-d}${EMPTY-d}${UNSET-d}").unwrap(), "dd");
        assert_eq!(
            word("${EMPTY:+a}${EMPTY+b}${UNSET+c}${PWD:+d}").unwrap(),
            "bd"
        );
        assert_eq!(word("${EMPTY?}").unwrap(), "");
        assert_eq!(
            word("${UNSET?must be set}").unwrap_err().to_string(),
            "UNSET: must be set"
        );
        assert_eq!(
            word("x${EMPTY:?}").unwrap_err(),
            ExpandError::Required {
                name: "EMPTY".into(),
                message: "is not allowed to be empty".into(),
                offset: 1
            }
        );
        assert_eq!(
            word("${UNSET:?}").unwrap_err().to_string(),
            "UNSET: is not allowed to be unset"
        );
    }

    #[test]
    fn unsupported_and_malformed_substitutions() {
        let err = |s: &str| word(s).unwrap_err();
        assert_eq!(
            err("${PWD:=x}").to_string(),
            "unsupported modifier (:=) in substitution"
        );
        assert_eq!(
            err("${PWD=x}").to_string(),
            "unsupported modifier (=) in substitution"
        );
        assert_eq!(
            err("${PWD:#x}").to_string(),
            "unsupported modifier (:#) in substitution"
        );
        assert_eq!(err("ab${}"), ExpandError::BadSubstitution { offset: 2 });
        assert_eq!(err("${.}"), ExpandError::BadSubstitution { offset: 0 });
        assert_eq!(err("a${PWD"), ExpandError::MissingBrace { offset: 1 });
        assert_eq!(err("${X:-'abc}"), ExpandError::MissingBrace { offset: 0 });
        assert_eq!(err("${").to_string(), "syntax error: missing '}'");
    }

    #[test]
    fn parameters_and_names() {
        assert_eq!(word("$12ab${3}$@@ $.$").unwrap(), "ab@ $.$");
        assert_eq!(word("$PWD_x${PWD}_x").unwrap(), "/home_x");
    }

    #[test]
    fn references_are_recorded_in_order_with_ranges() {
        let input = "a$PWD${UNSET:-${EMPTY}}$1";
        let e = Lexer::default().process_word(input, &env()).unwrap();
        let refs: Vec<_> = e
            .references
            .iter()
            .map(|r| (r.name.as_str(), r.set, &input[r.range.clone()]))
            .collect();
        assert_eq!(
            refs,
            [
                ("PWD", true, "$PWD"),
                ("UNSET", false, "${UNSET:-${EMPTY}}"),
                ("EMPTY", true, "${EMPTY}"),
                ("1", false, "$1"),
            ]
        );
        assert!(e.references[3].is_special());
        assert!(!e.references[0].is_special());
    }

    #[test]
    fn pattern_removal() {
        assert_eq!(word("${FILE#*.}").unwrap(), "tar.gz");
        assert_eq!(word("${FILE##*.}").unwrap(), "gz");
        assert_eq!(word("${FILE%.*}").unwrap(), "archive.tar");
        assert_eq!(word("${FILE%%.*}").unwrap(), "archive");
        assert_eq!(word("${FILE%.g?}").unwrap(), "archive.tar");
        assert_eq!(word("${FILE#nomatch}").unwrap(), "archive.tar.gz");
        // A quoted or escaped `*` is literal.
        assert_eq!(word(r#"${FILE#"*"}"#).unwrap(), "archive.tar.gz");
        assert_eq!(word(r"${FILE#\*}").unwrap(), "archive.tar.gz");
        assert_eq!(word("${UNSET##*}").unwrap(), "");
    }

    #[test]
    fn substitution() {
        assert_eq!(
            word("${PATH/bin/BIN}").unwrap(),
            "/usr/local/BIN:/usr/bin:/bin"
        );
        assert_eq!(
            word("${PATH//bin/BIN}").unwrap(),
            "/usr/local/BIN:/usr/BIN:/BIN"
        );
        assert_eq!(word("${PATH//:*}").unwrap(), "/usr/local/bin");
        assert_eq!(word("${FILE/a?/X}").unwrap(), "Xchive.tar.gz");
        assert_eq!(word("${FILE//}").unwrap(), "archive.tar.gz");
        assert_eq!(word("${PWD/home/$PWD}").unwrap(), "//home");
        assert_eq!(
            word("${PWD/home").unwrap_err(),
            ExpandError::MissingBrace { offset: 0 }
        );
    }

    #[test]
    fn field_splitting() {
        assert_eq!(words(" a  b\\ c "), ["a", "b c"]);
        assert_eq!(words("x${SPACE}y"), ["xa", "by"]);
        assert_eq!(words("x\"${SPACE}\"y"), ["xa  by"]);
        // The default word keeps its quoted parts whole.
        assert_eq!(words("${UNSET:-\"p q\" r}"), ["p q", "r"]);
        assert_eq!(words("\"\" a"), ["a"]);
        assert_eq!(words(""), Vec::<String>::new());
    }

    #[test]
    fn lookup_impls() {
        let mut map = HashMap::new();
        map.insert("A".to_string(), "1".to_string());
        let lexer = Lexer::default();
        assert_eq!(lexer.process_word("$A", &map).unwrap().value, "1");
        let tree: BTreeMap<String, String> = map.into_iter().collect();
        assert_eq!(lexer.process_word("$A", &tree).unwrap().value, "1");
        assert_eq!(
            lexer
                .process_word("$A", &[("A", "x"), ("A", "2")])
                .unwrap()
                .value,
            "2"
        );
        assert_eq!(lexer.process_word("a$A", &()).unwrap().value, "a");
        let slice: &[(&str, &str)] = &[("A", "3")];
        assert_eq!(lexer.process_word("$A", slice).unwrap().value, "3");
    }
}
