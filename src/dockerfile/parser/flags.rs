//! Builder flags (`--name=value`) at the start of an instruction's arguments.
//!
//! Mirrors BuildKit's `extractBuilderFlags`: words starting with `--` are flags; quotes group and
//! are removed; a backslash keeps the next character (BuildKit hard-codes `\` here, whatever the
//! escape directive says); a bare `--` ends the flags and is dropped.

use std::ops::Range;

use super::lines::is_space;
use crate::dockerfile::ast::{Flag, LogicalLine};

/// Reads flags from `line.text[from..end]`; returns them and the logical offset where the
/// remaining arguments begin.
pub(super) fn extract(line: &LogicalLine, from: usize, end: usize) -> (Vec<Flag>, usize) {
    let text = &line.text[..end];
    let mut flags = Vec::new();
    let mut pos = from;
    loop {
        pos += text[pos..].len() - text[pos..].trim_start_matches(is_space).len();
        if pos >= end || !text[pos..].starts_with("--") {
            return (flags, pos.min(end));
        }
        let (raw, word_end) = read_word(text, pos);
        if raw == "--" {
            return (flags, word_end);
        }
        flags.push(make_flag(line, raw, pos..word_end));
        pos = word_end;
    }
}

/// One flag word starting at `start`: its unquoted, unescaped text and where it ends.
fn read_word(text: &str, start: usize) -> (String, usize) {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut chars = text[start..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            None if is_space(c) => return (out, start + i),
            None if c == '\'' || c == '"' => quote = Some(c),
            Some(q) if c == q => quote = None,
            _ if c == '\\' => match chars.next() {
                Some((_, next)) => out.push(next),
                // A trailing backslash is dropped (and closes an open quote).
                None => quote = None,
            },
            _ => out.push(c),
        }
    }
    (out, text.len())
}

fn make_flag(line: &LogicalLine, raw: String, logical: Range<usize>) -> Flag {
    let body = raw.get(2..).unwrap_or("");
    let (name, value) = match body.split_once('=') {
        Some((n, v)) => (n.to_string(), Some(v.to_string())),
        None => (body.to_string(), None),
    };
    Flag {
        name,
        value,
        span: line.span(logical.clone()),
        raw,
        logical,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::parser::lines::LogicalBuilder;

    fn run(text: &str) -> (Vec<Flag>, String) {
        let mut b = LogicalBuilder::default();
        b.push(text, 100);
        let line = b.finish(100);
        let (flags, rest) = extract(&line, 0, text.len());
        (flags, text[rest..].to_string())
    }

    #[test]
    fn plain_flags_and_rest() {
        let (flags, rest) = run("--from=build --link  src dst");
        assert_eq!(rest, "src dst");
        assert_eq!(flags[0].name, "from");
        assert_eq!(flags[0].value.as_deref(), Some("build"));
        assert_eq!(flags[0].raw, "--from=build");
        assert_eq!(flags[0].logical, 0..12);
        assert_eq!(flags[0].span.start, 100);
        assert_eq!(flags[1].name, "link");
        assert_eq!(flags[1].value, None);
        assert_eq!(flags[1].logical, 13..19);
    }

    #[test]
    fn quotes_and_escapes_are_removed() {
        let (flags, rest) = run(r#"--mount="type=a b" --x='c\'d' --y=e\ f g"#);
        assert_eq!(flags[0].raw, "--mount=type=a b");
        assert_eq!(flags[1].raw, "--x=c'd");
        assert_eq!(flags[2].raw, "--y=e f");
        assert_eq!(rest, "g");
    }

    #[test]
    fn double_dash_ends_flags() {
        let (flags, rest) = run("--a=1 -- --b x");
        assert_eq!(flags.len(), 1);
        assert_eq!(rest.trim(), "--b x");
        let (flags, rest) = run("--");
        assert!(flags.is_empty());
        assert_eq!(rest, "");
        let (flags, rest) = run("-x --a");
        assert!(flags.is_empty());
        assert_eq!(rest, "-x --a");
    }

    #[test]
    fn flag_at_end_and_trailing_backslash() {
        let (flags, rest) = run("--a=\"x\\");
        assert_eq!(flags[0].raw, "--a=x");
        assert_eq!(rest, "");
        let (flags, _) = run("--a=\"unterminated value");
        assert_eq!(flags[0].raw, "--a=unterminated value");
    }
}
