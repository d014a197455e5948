//! The JSON ("exec") form: a top-level JSON array, validated and decoded the way Go's
//! `encoding/json` does it, keeping the byte range of every element.
//!
//! Validation is iterative (no recursion), so hostile nesting cannot overflow the stack; like
//! Go, more than 10,000 levels of nesting make the text invalid JSON.

use std::ops::Range;

const MAX_DEPTH: usize = 10_000;

/// One element of the top-level array.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Item {
    /// The decoded string, or `None` when the element is not a string.
    pub value: Option<String>,
    /// The element's text (a string literal includes its quotes), offset by the caller's base.
    pub range: Range<usize>,
}

/// Parses `text` as a complete JSON array. `None` when it is not valid JSON (BuildKit then
/// falls back to the shell form). Ranges are offset by `base`.
pub(super) fn parse_array(text: &str, base: usize) -> Option<Vec<Item>> {
    let mut p = Parser {
        s: text.as_bytes(),
        src: text,
        i: 0,
    };
    p.ws();
    p.expect(b'[')?;
    let mut items = Vec::new();
    p.ws();
    if p.peek() == Some(b']') {
        p.i += 1;
    } else {
        loop {
            p.ws();
            let start = p.i;
            let value = if p.peek() == Some(b'"') {
                Some(p.string()?)
            } else {
                p.value(1)?;
                None
            };
            items.push(Item {
                value,
                range: base + start..base + p.i,
            });
            p.ws();
            match p.bump()? {
                b',' => continue,
                b']' => break,
                _ => return None,
            }
        }
    }
    p.ws();
    (p.i == p.s.len()).then_some(items)
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        Some(b)
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.bump()? == b).then_some(())
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Validates one value of any kind; `depth` counts the enclosing arrays/objects.
    fn value(&mut self, depth: usize) -> Option<()> {
        let mut stack: Vec<u8> = Vec::new();
        loop {
            self.ws();
            match self.peek()? {
                open @ (b'[' | b'{') => {
                    self.i += 1;
                    stack.push(open);
                    if depth + stack.len() > MAX_DEPTH {
                        return None;
                    }
                    self.ws();
                    let close = if open == b'[' { b']' } else { b'}' };
                    if self.peek() == Some(close) {
                        self.i += 1;
                        stack.pop();
                    } else {
                        if open == b'{' {
                            self.key()?;
                        }
                        continue;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // A value is complete: close containers until one expects another element.
            loop {
                let Some(&top) = stack.last() else {
                    return Some(());
                };
                self.ws();
                match (self.bump()?, top) {
                    (b',', b'{') => {
                        self.key()?;
                        break;
                    }
                    (b',', _) => break,
                    (b']', b'[') | (b'}', b'{') => {
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> Option<()> {
        self.ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string()?;
        self.ws();
        self.expect(b':')
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`; Go also fails to decode numbers that overflow
    /// a float64, which makes the whole array invalid.
    fn number(&mut self) -> Option<()> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.bump()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.required_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            self.required_digits()?;
        }
        let n: f64 = self.src[start..self.i].parse().ok()?;
        n.is_finite().then_some(())
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
    }

    fn required_digits(&mut self) -> Option<()> {
        let start = self.i;
        self.digits();
        (self.i > start).then_some(())
    }

    /// A string literal, decoded; lone surrogates become U+FFFD as in Go.
    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let run_start = self.i;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(&self.src[run_start..self.i]);
            match self.bump()? {
                b'"' => return Some(out),
                b'\\' => self.escape(&mut out)?,
                _ => return None,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Option<()> {
        let c = match self.bump()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                if !(0xD800..0xE000).contains(&first) {
                    char::from_u32(first)?
                } else {
                    self.surrogate_pair(first)
                }
            }
            _ => return None,
        };
        out.push(c);
        Some(())
    }

    /// Combines a high surrogate with a following `\uDC00`-`\uDFFF`; otherwise U+FFFD and the
    /// next escape is left to be read on its own.
    fn surrogate_pair(&mut self, high: u32) -> char {
        if (0xD800..0xDC00).contains(&high) && self.s[self.i..].starts_with(b"\\u") {
            let save = self.i;
            self.i += 2;
            if let Some(low) = self.hex4().filter(|l| (0xDC00..0xE000).contains(l)) {
                let combined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                if let Some(c) = char::from_u32(combined) {
                    return c;
                }
            }
            self.i = save;
        }
        '\u{FFFD}'
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.s.get(self.i..self.i + 4)?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16 + char::from(d).to_digit(16)?;
        }
        self.i += 4;
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Option<Vec<Option<String>>> {
        parse_array(text, 0).map(|items| items.into_iter().map(|i| i.value).collect())
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn string_arrays_decode() {
        assert_eq!(values("[]"), Some(vec![]));
        assert_eq!(values("[ \"a\",\t\"b\" ] "), Some(vec![s("a"), s("b")]));
        assert_eq!(
            values(r#"["\" \\ \/ \b \f \n \r \t \u0000 \u2665"]"#),
            Some(vec![s("\" \\ / \u{8} \u{c} \n \r \t \0 ♥")])
        );
        assert_eq!(values(r#"["\ud83d\ude00"]"#), Some(vec![s("😀")]));
        assert_eq!(values(r#"["\ud83d x"]"#), Some(vec![s("\u{FFFD} x")]));
        assert_eq!(values(r#"["\ude00\u0041"]"#), Some(vec![s("\u{FFFD}A")]));
        assert_eq!(values(r#"["\ud83d\u0041"]"#), Some(vec![s("\u{FFFD}A")]));
    }

    #[test]
    fn element_ranges_cover_literals() {
        let items = parse_array(r#"[ "a", 1 ]"#, 10).unwrap();
        assert_eq!(items[0].range, 12..15);
        assert_eq!(items[1].range, 17..18);
        assert_eq!(items[1].value, None);
    }

    #[test]
    fn non_strings_are_valid_json_but_flagged() {
        let v = values(r#"[ "echo", [ "nested json" ], {"a": [1, 2.5e3, true, null]} ]"#).unwrap();
        assert_eq!(v, vec![s("echo"), None, None]);
    }

    #[test]
    fn invalid_json_is_rejected() {
        for bad in [
            "[",
            "['a']",
            r#"["a""#,
            r#"["a",]"#,
            r#"["a"] x"#,
            r#"["a\x"]"#,
            "[\"a\u{1}\"]",
            "[01]",
            "[1.]",
            "[1e400]",
            "[tru]",
            r#"[{"a" 1}]"#,
            r#"[{1: 2}]"#,
            "[[]",
            r#"["\u12"]"#,
        ] {
            assert_eq!(values(bad), None, "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_limited_without_recursion() {
        let deep = format!("[{}{}]", "[".repeat(9_999), "]".repeat(9_999));
        assert!(values(&deep).is_some());
        let too_deep = format!("[{}{}]", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(values(&too_deep), None);
        assert_eq!(values(&"[".repeat(200_000)), None);
    }
}
