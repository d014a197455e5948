//! One shell word as the shell reads it: quotes and escapes removed, `$NAME`/`${NAME}` replaced
//! when the value is known, unquoted expansions split into fields, and the command substitutions
//! it holds located so their commands can be walked too.
//!
//! Input is the word exactly as written (a byte slice of the script being walked); every
//! position returned is a byte offset into that slice.

use std::ops::Range;

use crate::dockerfile::expand::Lookup;

/// Variables known while walking a script: `ARG`/`ENV` values in scope, then the script's own
/// assignments. A name mapped to `None` is set to something that cannot be known statically.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    entries: Vec<(String, Option<String>)>,
}

impl Vars {
    pub fn new(known: impl IntoIterator<Item = (String, Option<String>)>) -> Self {
        Vars {
            entries: known.into_iter().collect(),
        }
    }

    /// The value of `name`, when it is known.
    pub fn get(&self, name: &str) -> Option<&str> {
        Lookup::lookup(self.entries.as_slice(), name)
    }

    pub fn set(&mut self, name: &str, value: Option<String>) {
        match self.entries.iter_mut().rev().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((name.to_owned(), value)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A command substitution inside a word: `$(…)` or `` `…` ``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitution {
    /// The whole substitution, `$(` to `)`.
    pub whole: Range<usize>,
    /// The script inside.
    pub body: Range<usize>,
    /// Backquoted: its body needs `\``, `\\` and `\$` unescaped before it is a script.
    pub backquoted: bool,
}

/// A word after expansion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    /// The fields the word becomes: one in general, several when an unquoted expansion holds
    /// blanks, none when an unquoted expansion is empty and nothing else is there.
    pub fields: Vec<String>,
    /// False when some part could not be known: a variable without a known value, a command
    /// substitution, arithmetic.
    pub complete: bool,
    pub substitutions: Vec<Substitution>,
}

/// Expands one word. `split`: unquoted expansions are split into fields (false for the value of
/// an assignment, which the shell never splits).
pub fn expand(raw: &str, vars: &Vars, split: bool) -> Expanded {
    let mut lexer = Lexer {
        raw,
        pos: 0,
        vars,
        split,
        out: Expanded {
            complete: true,
            ..Expanded::default()
        },
        field: String::new(),
        has_field: false,
    };
    lexer.run();
    lexer.out
}

/// The text a shell gets as the script of `sh -c WORD`: quotes and escapes removed, expansions
/// and substitutions left as written (the inner shell expands them again, with the same
/// values). Returns the text, the offset in `raw` every text byte comes from (one more entry
/// for the end), and the substitutions the *outer* shell runs, as ranges of the text.
pub fn script_text(raw: &str) -> (String, Vec<usize>, Vec<Range<usize>>) {
    let mut text = String::with_capacity(raw.len());
    let mut origin = Vec::with_capacity(raw.len() + 1);
    let mut outer = Vec::new();
    let bytes = raw.as_bytes();
    let mut i = 0;
    let push = |text: &mut String, origin: &mut Vec<usize>, s: &str, at: usize| {
        for k in 0..s.len() {
            origin.push(at + k);
        }
        text.push_str(s);
    };
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match (quote, b) {
            (None, b'\'') => {
                let end = raw[i + 1..].find('\'').map_or(raw.len(), |e| i + 1 + e);
                push(&mut text, &mut origin, &raw[i + 1..end], i + 1);
                i = (end + 1).min(raw.len());
            }
            (None, b'"') => {
                quote = Some(b'"');
                i += 1;
            }
            (Some(b'"'), b'"') => {
                quote = None;
                i += 1;
            }
            (_, b'\\') => {
                let next = raw[i + 1..].chars().next();
                match next {
                    Some('\n') => i += 2,
                    Some(c) if quote.is_none() || matches!(c, '"' | '\\' | '$' | '`') => {
                        let mut buf = [0; 4];
                        push(&mut text, &mut origin, c.encode_utf8(&mut buf), i);
                        i += 1 + c.len_utf8();
                    }
                    _ => {
                        push(&mut text, &mut origin, "\\", i);
                        i += 1;
                    }
                }
            }
            (_, b'$') if raw[i..].starts_with("$(") || raw[i..].starts_with("${") => {
                let end = if bytes[i + 1] == b'(' {
                    matching(raw, i + 1, b'(', b')')
                } else {
                    matching(raw, i + 1, b'{', b'}')
                };
                let start = text.len();
                push(&mut text, &mut origin, &raw[i..end], i);
                if bytes[i + 1] == b'(' && !raw[i..].starts_with("$((") {
                    outer.push(start..text.len());
                }
                i = end;
            }
            (_, b'`') => {
                let end = backquote_end(raw, i);
                let start = text.len();
                push(&mut text, &mut origin, &raw[i..end], i);
                outer.push(start..text.len());
                i = end;
            }
            _ => {
                let c = raw[i..].chars().next().unwrap_or(' ');
                let mut buf = [0; 4];
                push(&mut text, &mut origin, c.encode_utf8(&mut buf), i);
                i += c.len_utf8();
            }
        }
    }
    origin.push(raw.len());
    (text, origin, outer)
}

/// The body of a backquoted substitution as a script: `\``, `\\` and `\$` lose their
/// backslash. Returns the text and the offset in `body` each byte comes from (plus the end).
pub fn unbackquote(body: &str) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(body.len());
    let mut origin = Vec::with_capacity(body.len() + 1);
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let (c, at) = match (c, chars.peek()) {
            ('\\', Some(&(_, n))) if matches!(n, '`' | '\\' | '$') => {
                chars.next();
                (n, i)
            }
            _ => (c, i),
        };
        for k in 0..c.len_utf8() {
            origin.push(at + k);
        }
        text.push(c);
    }
    origin.push(body.len());
    (text, origin)
}

/// Index just past the closer matching the opener at `open` (`(` or `{`), quotes respected;
/// the end of `raw` when it never closes.
pub fn matching(raw: &str, open: usize, opener: u8, closer: u8) -> usize {
    let bytes = raw.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\\' => i += 1,
            b'\'' if opener == b'(' || depth > 0 => {
                // Single quotes only quote inside `$(…)` and nested `${…}` words.
                i = raw[i + 1..].find('\'').map_or(raw.len(), |e| i + 1 + e);
            }
            b'"' => i = double_quote_end(raw, i).saturating_sub(1),
            b'`' => i = backquote_end(raw, i).saturating_sub(1),
            _ if b == opener => depth += 1,
            _ if b == closer => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    raw.len()
}

/// Index just past the `"` closing the one at `open`; the end of `raw` when it never closes.
pub fn double_quote_end(raw: &str, open: usize) -> usize {
    let bytes = raw.as_bytes();
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' => return i + 1,
            b'$' if raw[i..].starts_with("$(") => {
                i = matching(raw, i + 1, b'(', b')');
                continue;
            }
            b'`' => {
                i = backquote_end(raw, i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    raw.len()
}

/// Index just past the backquote closing the one at `open` (escaped ones skipped); the end
/// of `raw` when it never closes.
pub fn backquote_end(raw: &str, open: usize) -> usize {
    let bytes = raw.as_bytes();
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'`' => return i + 1,
            _ => {}
        }
        i += 1;
    }
    raw.len()
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

struct Lexer<'a> {
    raw: &'a str,
    pos: usize,
    vars: &'a Vars,
    split: bool,
    out: Expanded,
    field: String,
    /// The current field exists even if empty (`""` makes an empty argument).
    has_field: bool,
}

impl Lexer<'_> {
    fn run(&mut self) {
        let bytes = self.raw.as_bytes();
        while self.pos < bytes.len() {
            match bytes[self.pos] {
                b'\\' => {
                    self.pos += 1;
                    match self.raw[self.pos..].chars().next() {
                        Some('\n') => self.pos += 1,
                        Some(c) => {
                            self.literal_char(c);
                            self.pos += c.len_utf8();
                        }
                        None => {}
                    }
                }
                b'\'' => {
                    let start = self.pos + 1;
                    let end = self.raw[start..]
                        .find('\'')
                        .map_or(self.raw.len(), |e| start + e);
                    self.literal(&self.raw[start..end]);
                    self.has_field = true;
                    self.pos = (end + 1).min(self.raw.len());
                }
                b'"' => {
                    self.pos += 1;
                    self.has_field = true;
                    self.double_quoted();
                }
                b'$' => self.dollar(false),
                b'`' => self.backquoted(),
                _ => {
                    let c = self.raw[self.pos..].chars().next().unwrap_or(' ');
                    self.literal_char(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        if self.has_field {
            self.out.fields.push(std::mem::take(&mut self.field));
        }
    }

    fn literal(&mut self, s: &str) {
        self.field.push_str(s);
        self.has_field = true;
    }

    fn literal_char(&mut self, c: char) {
        self.field.push(c);
        self.has_field = true;
    }

    /// Inside `"…"`, from just after the opening quote to just after the closing one.
    fn double_quoted(&mut self) {
        let bytes = self.raw.as_bytes();
        while self.pos < bytes.len() {
            match bytes[self.pos] {
                b'"' => {
                    self.pos += 1;
                    return;
                }
                b'\\' => {
                    let next = self.raw[self.pos + 1..].chars().next();
                    match next {
                        Some('\n') => self.pos += 2,
                        Some(c) if matches!(c, '"' | '\\' | '$' | '`') => {
                            self.literal_char(c);
                            self.pos += 2;
                        }
                        _ => {
                            self.literal_char('\\');
                            self.pos += 1;
                        }
                    }
                }
                b'$' => self.dollar(true),
                b'`' => self.backquoted(),
                _ => {
                    let c = self.raw[self.pos..].chars().next().unwrap_or(' ');
                    self.literal_char(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn backquoted(&mut self) {
        let start = self.pos;
        let end = backquote_end(self.raw, start);
        let body_end = if self.raw[..end].ends_with('`') && end > start + 1 {
            end - 1
        } else {
            end
        };
        self.out.substitutions.push(Substitution {
            whole: start..end,
            body: start + 1..body_end,
            backquoted: true,
        });
        self.literal(&self.raw[start..end]);
        self.out.complete = false;
        self.pos = end;
    }

    /// At a `$`.
    fn dollar(&mut self, quoted: bool) {
        let rest = &self.raw[self.pos..];
        let bytes = rest.as_bytes();
        let start = self.pos;
        match bytes.get(1) {
            Some(b'(') if rest.starts_with("$((") => {
                let end = start + matching(rest, 1, b'(', b')');
                self.verbatim(start..end);
            }
            Some(b'(') => {
                let end = start + matching(rest, 1, b'(', b')');
                let body_end = if self.raw[..end].ends_with(')') {
                    end - 1
                } else {
                    end
                };
                self.out.substitutions.push(Substitution {
                    whole: start..end,
                    body: start + 2..body_end.max(start + 2),
                    backquoted: false,
                });
                self.verbatim(start..end);
            }
            Some(b'{') => {
                let end = start + matching(rest, 1, b'{', b'}');
                let inner = &self.raw[start + 2..end.saturating_sub(1).max(start + 2)];
                match self.parameter(inner) {
                    Some(value) => {
                        self.value(&value, quoted);
                        self.pos = end;
                    }
                    None => self.verbatim(start..end),
                }
            }
            Some(b'\'') if !quoted => {
                // ANSI-C quoting: `$'a\tb'`.
                let (text, end) = ansi_c(rest);
                self.literal(&text);
                self.pos = start + end;
            }
            Some(b'"') if !quoted => {
                // `$"…"` (gettext): a double-quoted string.
                self.pos += 2;
                self.has_field = true;
                self.double_quoted();
            }
            Some(&b) if is_name_start(b) => {
                let len = 1 + bytes[1..].iter().take_while(|b| is_name_byte(**b)).count();
                let name = &rest[1..len];
                match self.vars.get(name) {
                    Some(value) => {
                        let value = value.to_owned();
                        self.value(&value, quoted);
                        self.pos = start + len;
                    }
                    None => self.verbatim(start..start + len),
                }
            }
            Some(b) if b.is_ascii_digit() || b"@*#?$!-".contains(b) => {
                self.verbatim(start..start + 2);
            }
            _ => {
                self.literal_char('$');
                self.pos += 1;
            }
        }
    }

    /// Text kept as written because its value is unknown.
    fn verbatim(&mut self, range: Range<usize>) {
        let end = range.end.min(self.raw.len());
        self.literal(&self.raw[range.start..end]);
        self.out.complete = false;
        self.pos = end;
    }

    /// A known expansion: split into fields when unquoted.
    fn value(&mut self, value: &str, quoted: bool) {
        if quoted || !self.split {
            self.field.push_str(value);
            if quoted || !value.is_empty() {
                self.has_field = true;
            }
            return;
        }
        for c in value.chars() {
            if matches!(c, ' ' | '\t' | '\n') {
                if self.has_field {
                    self.out.fields.push(std::mem::take(&mut self.field));
                    self.has_field = false;
                }
            } else {
                self.literal_char(c);
            }
        }
    }

    /// `${…}` (without braces) when its value is known: `NAME`, `NAME:-w`, `NAME-w`, `NAME:+w`,
    /// `NAME+w`. Anything else, or an unknown variable, is `None`.
    fn parameter(&self, inner: &str) -> Option<String> {
        let bytes = inner.as_bytes();
        if !bytes.first().copied().is_some_and(is_name_start) {
            return None;
        }
        let len = bytes.iter().take_while(|b| is_name_byte(**b)).count();
        let (name, op) = inner.split_at(len);
        let value = self.vars.get(name)?;
        let word = |w: &str| {
            let expanded = expand(w, self.vars, false);
            expanded.complete.then(|| expanded.fields.concat())
        };
        match op {
            "" => Some(value.to_owned()),
            _ if op.starts_with(":-") => {
                if value.is_empty() {
                    word(&op[2..])
                } else {
                    Some(value.to_owned())
                }
            }
            _ if op.starts_with('-') => Some(value.to_owned()),
            _ if op.starts_with(":+") => {
                if value.is_empty() {
                    Some(String::new())
                } else {
                    word(&op[2..])
                }
            }
            _ if op.starts_with('+') => word(&op[1..]),
            _ => None,
        }
    }
}

/// Decodes `$'…'` at the start of `rest`: the text and the length consumed.
fn ansi_c(rest: &str) -> (String, usize) {
    let mut text = String::new();
    let mut chars = rest.char_indices().skip(2);
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => return (text, i + 1),
            '\\' => match chars.next() {
                Some((_, 'n')) => text.push('\n'),
                Some((_, 't')) => text.push('\t'),
                Some((_, 'r')) => text.push('\r'),
                Some((_, 'a')) => text.push('\x07'),
                Some((_, 'e' | 'E')) => text.push('\x1b'),
                Some((_, c @ ('\\' | '\'' | '"' | '?'))) => text.push(c),
                Some((_, c)) => {
                    text.push('\\');
                    text.push(c);
                }
                None => {}
            },
            _ => text.push(c),
        }
    }
    (text, rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, Option<&str>)]) -> Vars {
        Vars::new(
            pairs
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.map(str::to_owned))),
        )
    }

    fn fields(raw: &str, v: &Vars) -> Vec<String> {
        expand(raw, v, true).fields
    }

    #[test]
    fn quotes_and_escapes_are_removed() {
        let none = Vars::default();
        assert_eq!(fields(r#"'a b'"c"\ d"#, &none), ["a bc d"]);
        assert_eq!(fields(r#""a\"b\\c\x""#, &none), [r#"a"b\c\x"#]);
        assert_eq!(fields("\"\"", &none), [""]);
        assert_eq!(fields("$'a\\tb'", &none), ["a\tb"]);
        assert_eq!(fields("a\\\nb", &none), ["ab"]);
    }

    #[test]
    fn known_variables_expand_and_unquoted_ones_split() {
        let v = vars(&[
            ("DEPS", Some("gcc  make")),
            ("EMPTY", Some("")),
            ("U", None),
        ]);
        assert_eq!(fields("$DEPS", &v), ["gcc", "make"]);
        assert_eq!(fields("\"$DEPS\"", &v), ["gcc  make"]);
        assert_eq!(fields("x${DEPS}y", &v), ["xgcc", "makey"]);
        assert!(fields("$EMPTY", &v).is_empty());
        assert_eq!(fields("\"$EMPTY\"", &v), [""]);
        assert_eq!(fields("${EMPTY:-dflt}", &v), ["dflt"]);
        assert_eq!(fields("${DEPS:+on}", &v), ["on"]);
        // Unknown values stay as written and make the word incomplete.
        let e = expand("$U/${HOME}/${DEPS#g}", &v, true);
        assert_eq!(e.fields, ["$U/${HOME}/${DEPS#g}"]);
        assert!(!e.complete);
        assert!(expand("a$DEPS", &v, false).complete);
        assert_eq!(expand("a$DEPS", &v, false).fields, ["agcc  make"]);
        assert_eq!(fields("$1$@", &v), ["$1$@"]);
    }

    #[test]
    fn command_substitutions_are_located() {
        let none = Vars::default();
        let raw = r#""$(curl -fsSL "https://x")"`id`$((1+2))"#;
        let e = expand(raw, &none, true);
        assert_eq!(e.fields, [r#"$(curl -fsSL "https://x")`id`$((1+2))"#]);
        assert_eq!(e.substitutions.len(), 2);
        assert_eq!(
            &raw[e.substitutions[0].body.clone()],
            r#"curl -fsSL "https://x""#
        );
        assert_eq!(&raw[e.substitutions[1].body.clone()], "id");
        assert!(e.substitutions[1].backquoted);
    }

    #[test]
    fn script_text_maps_every_byte_back() {
        let raw = r#""echo \"a b\" $(id)""#;
        let (text, origin, outer) = script_text(raw);
        assert_eq!(text, r#"echo "a b" $(id)"#);
        assert_eq!(origin.len(), text.len() + 1);
        let a = text.find('a').unwrap_or_default();
        assert_eq!(&raw[origin[a]..origin[a] + 1], "a");
        assert_eq!(&text[outer[0].clone()], "$(id)");
        let (text, origin, outer) = script_text("'x $(y)'");
        assert_eq!((text.as_str(), origin[0]), ("x $(y)", 1));
        assert!(outer.is_empty());
    }

    #[test]
    fn backquoted_bodies_are_unescaped() {
        let (text, origin) = unbackquote(r"echo \`id\` \$x");
        assert_eq!(text, "echo `id` $x");
        assert_eq!(origin[5], 5);
    }

    #[test]
    fn never_panics_on_ragged_words() {
        let v = vars(&[("A", Some("1"))]);
        for s in [
            "'", "\"", "$(", "`", "\\", "${", "${A", "$'", "$\"", "é$Aü", "\"$(\"", "$((1",
        ] {
            let _ = expand(s, &v, true);
            let _ = script_text(s);
            let _ = unbackquote(s);
        }
    }
}
