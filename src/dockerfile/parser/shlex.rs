//! The part of BuildKit's shell lexer that heredoc detection relies on: splitting text into
//! words with `\` as the escape character and every variable unset and left as written
//! (BuildKit's `SkipUnsetEnv`). Only word boundaries, quote handling and `${...}` syntax errors
//! matter here; nothing is expanded.

use std::ops::Range;

/// Nested `${...}` words are lexed recursively; hostile nesting fails instead of overflowing.
const MAX_DEPTH: usize = 256;

/// A word and the byte range of the input it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word {
    pub text: String,
    pub range: Range<usize>,
}

/// Lexer options, as BuildKit's `Lex.RawQuotes` / `Lex.RawEscapes`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Mode {
    /// Keep quote characters in the words.
    pub raw_quotes: bool,
    /// Keep escape characters in the words.
    pub raw_escapes: bool,
}

/// Splits `input` into words; `None` where BuildKit's lexer reports an error (unterminated
/// quote, bad `${...}`).
pub(super) fn words(input: &str, mode: Mode) -> Option<Vec<Word>> {
    let mut lexer = Lexer {
        s: input,
        pos: 0,
        raw_quotes: mode.raw_quotes,
        raw_escapes: mode.raw_escapes,
        depth: 0,
    };
    lexer
        .stop_on(None, mode.raw_escapes)
        .map(|(_, words)| words)
}

struct Lexer<'a> {
    s: &'a str,
    pos: usize,
    raw_quotes: bool,
    raw_escapes: bool,
    depth: usize,
}

/// Word accumulation with BuildKit's rules: unquoted blanks split, quoted text never does.
#[derive(Default)]
struct Words {
    word: String,
    in_word: bool,
    start: usize,
    end: usize,
    out: Vec<Word>,
}

impl Words {
    fn begin(&mut self, at: &Range<usize>) {
        if !self.in_word {
            self.start = at.start;
            self.in_word = true;
        }
        self.end = at.end;
    }

    fn add_char(&mut self, c: char, at: Range<usize>) {
        if c.is_whitespace() {
            if self.in_word && !self.word.is_empty() {
                self.flush();
            }
        } else {
            self.add_raw_char(c, at);
        }
    }

    fn add_raw_char(&mut self, c: char, at: Range<usize>) {
        self.begin(&at);
        self.word.push(c);
    }

    fn add_str(&mut self, s: &str, at: Range<usize>) {
        for c in s.chars() {
            self.add_char(c, at.clone());
        }
    }

    fn add_raw_str(&mut self, s: &str, at: Range<usize>) {
        self.begin(&at);
        self.word.push_str(s);
    }

    fn flush(&mut self) {
        self.out.push(Word {
            text: std::mem::take(&mut self.word),
            range: self.start..self.end,
        });
        self.in_word = false;
    }

    fn finish(mut self) -> Vec<Word> {
        if !self.word.is_empty() {
            self.flush();
        }
        self.out
    }
}

type Lexed = Option<(String, Vec<Word>)>;

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Reads until `stop` (consumed) or the end; `raw_escapes` applies for this stretch only.
    fn stop_on(&mut self, stop: Option<char>, raw_escapes: bool) -> Lexed {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let result = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        self.depth -= 1;
        result
    }

    fn stop_on_inner(&mut self, stop: Option<char>) -> Lexed {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(c) = self.peek() {
            let at = self.pos;
            if Some(c) == stop {
                self.bump();
                return Some((result, words.finish()));
            }
            match c {
                '$' => {
                    let value = self.dollar()?;
                    result.push_str(&value);
                    words.add_str(&value, at..self.pos);
                }
                '\'' | '"' => {
                    let value = if c == '\'' {
                        self.single_quoted()?
                    } else {
                        self.double_quoted()?
                    };
                    result.push_str(&value);
                    words.add_raw_str(&value, at..self.pos);
                }
                '\\' => {
                    self.bump();
                    if self.raw_escapes {
                        words.add_raw_char(c, at..self.pos);
                        result.push(c);
                    }
                    let Some(next) = self.bump() else { break };
                    words.add_raw_char(next, at..self.pos);
                    result.push(next);
                }
                _ => {
                    self.bump();
                    words.add_char(c, at..self.pos);
                    result.push(c);
                }
            }
        }
        if stop.is_some() {
            return None;
        }
        Some((result, words.finish()))
    }

    fn single_quoted(&mut self) -> Option<String> {
        self.bump();
        let mut out = String::new();
        if self.raw_quotes {
            out.push('\'');
        }
        loop {
            match self.bump()? {
                '\'' => {
                    if self.raw_quotes {
                        out.push('\'');
                    }
                    return Some(out);
                }
                c => out.push(c),
            }
        }
    }

    fn double_quoted(&mut self) -> Option<String> {
        self.bump();
        let mut out = String::new();
        if self.raw_quotes {
            out.push('"');
        }
        loop {
            match self.peek()? {
                '"' => {
                    self.bump();
                    if self.raw_quotes {
                        out.push('"');
                    }
                    return Some(out);
                }
                '$' => {
                    let value = self.dollar()?;
                    out.push_str(&value);
                }
                _ => {
                    let mut c = self.bump()?;
                    if c == '\\' {
                        if self.raw_escapes {
                            out.push(c);
                        }
                        match self.peek() {
                            // An escape at the very end: the missing quote is reported next.
                            None => continue,
                            Some('"' | '$' | '\\') => c = self.bump()?,
                            Some(_) => {}
                        }
                    }
                    out.push(c);
                }
            }
        }
    }

    /// `$name`, `${name}`, `${name<op>word}`, `${name/pat/repl}`: unset, so kept as written.
    fn dollar(&mut self) -> Option<String> {
        self.bump();
        if self.peek() != Some('{') {
            let name = self.name();
            return Some(format!("${name}"));
        }
        self.bump();
        if matches!(self.peek(), None | Some('{' | '}' | ':')) {
            return None;
        }
        let name = self.name();
        match self.bump()? {
            '}' => Some(format!("${{{name}}}")),
            op @ (':' | '+' | '-' | '?' | '#' | '%') => {
                let mut ops = op.to_string();
                let mut kind = Some(op);
                if op == ':' {
                    kind = self.bump();
                    ops.push(kind.unwrap_or('\u{FFFD}'));
                }
                let raw = matches!(kind, Some('#' | '%'));
                let (word, _) = self.stop_on(Some('}'), raw)?;
                Some(format!("${{{name}{ops}{word}}}"))
            }
            '/' => {
                if self.peek() == Some('/') {
                    self.bump();
                }
                let (pattern, _) = self.stop_on(Some('/'), true)?;
                let (replacement, _) = self.stop_on(Some('}'), true)?;
                Some(format!("${{{name}/{pattern}/{replacement}}}"))
            }
            _ => None,
        }
    }

    /// A variable name: digits, one special parameter, or letters/digits/underscores.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_numeric() {
                while let Some(d) = self.peek().filter(|d| d.is_numeric()) {
                    name.push(d);
                    self.bump();
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!') {
                self.bump();
                return c.to_string();
            }
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            name.push(c);
            self.bump();
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: Mode = Mode {
        raw_quotes: true,
        raw_escapes: true,
    };
    const COOKED: Mode = Mode {
        raw_quotes: false,
        raw_escapes: false,
    };

    fn texts(input: &str, mode: Mode) -> Option<Vec<String>> {
        words(input, mode).map(|w| w.into_iter().map(|w| w.text).collect())
    }

    #[test]
    fn raw_words_keep_quotes_and_escapes() {
        assert_eq!(
            texts(r#"RUN cat <<"EOF" a\ b 'c d'"#, RAW).unwrap(),
            ["RUN", "cat", "<<\"EOF\"", r"a\ b", "'c d'"]
        );
        assert_eq!(texts(r#"a"b c"d"#, COOKED).unwrap(), ["ab cd"]);
        assert_eq!(texts(r"a\ b", COOKED).unwrap(), ["a b"]);
    }

    #[test]
    fn variables_stay_as_written() {
        assert_eq!(
            texts("$HOME ${X} ${Y:-a} $1 $@", RAW).unwrap(),
            ["$HOME", "${X}", "${Y:-a}", "$1", "$@"]
        );
        assert_eq!(texts("${Y:-a b}", RAW).unwrap(), ["${Y:-a", "b}"]);
        assert_eq!(texts("${a/b/c}", RAW).unwrap(), ["${a/b/c}"]);
    }

    #[test]
    fn lexer_errors() {
        for bad in [
            "'abc", "\"abc", "${", "${}", "${:x}", "${a", "${a!}", "${a:-b",
        ] {
            assert_eq!(texts(bad, RAW), None, "{bad}");
        }
    }

    #[test]
    fn word_ranges() {
        let w = words("ab  'c d'e", RAW).unwrap();
        assert_eq!(w[0].range, 0..2);
        assert_eq!(w[1].range, 4..10);
    }

    #[test]
    fn deep_nesting_fails_cleanly() {
        let deep = "${a:-".repeat(10_000);
        assert_eq!(texts(&deep, RAW), None);
    }
}
