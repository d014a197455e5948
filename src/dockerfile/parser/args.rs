//! Splitting the rest of an instruction (after keyword and flags) into arguments, one rule per
//! instruction family, exactly as BuildKit's line parsers do. Every argument keeps the logical
//! range it was read from.

use std::ops::Range;

use super::json;
use super::lines::{is_field_space, is_space};
use crate::dockerfile::ast::Keyword;

/// One argument: its value and the logical range it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Piece {
    pub value: String,
    pub range: Range<usize>,
}

/// The arguments of one instruction.
#[derive(Debug, Default)]
pub(super) struct Parsed {
    pub args: Vec<Piece>,
    pub json: bool,
    /// Errors BuildKit's parser would stop at: message and logical range.
    pub errors: Vec<(String, Range<usize>)>,
}

impl Parsed {
    fn of(args: Vec<Piece>) -> Self {
        Parsed {
            args,
            ..Parsed::default()
        }
    }
}

const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// Splits `text[rest]` (already trimmed) for `keyword`. ONBUILD is handled by the caller.
pub(super) fn split(keyword: Keyword, text: &str, rest: Range<usize>, escape: char) -> Parsed {
    use Keyword::*;
    match keyword {
        Add | Copy | Volume => maybe_json(text, rest, true),
        Run | Cmd | Entrypoint | Shell => maybe_json(text, rest, false),
        Healthcheck => healthcheck(text, rest),
        Env | Label => name_value(text, rest, escape, keyword),
        Arg => Parsed::of(words(text, rest, escape)),
        From | Expose => Parsed::of(fields(text, rest)),
        Maintainer | User | Workdir | Stopsignal => Parsed::of(whole(text, rest)),
        Onbuild => Parsed::default(),
        // BuildKit keeps unknown instructions with a single empty argument.
        Unknown => Parsed::of(vec![Piece {
            value: String::new(),
            range: rest,
        }]),
    }
}

fn piece(text: &str, range: Range<usize>) -> Piece {
    Piece {
        value: text[range.clone()].to_string(),
        range,
    }
}

/// The whole rest as one argument; nothing when empty.
fn whole(text: &str, rest: Range<usize>) -> Vec<Piece> {
    if rest.is_empty() {
        Vec::new()
    } else {
        vec![piece(text, rest)]
    }
}

/// Split on runs of `[\t\v\f\r ]`, no quote handling (FROM, EXPOSE, and the non-JSON list form).
pub(super) fn fields(text: &str, rest: Range<usize>) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text[rest.clone()].char_indices() {
        let at = rest.start + i;
        match (is_field_space(c), start) {
            (true, Some(s)) => {
                out.push(piece(text, s..at));
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(piece(text, s..rest.end));
    }
    out
}

/// JSON array of strings, else the whole rest (RUN/CMD/ENTRYPOINT/SHELL) or whitespace fields
/// (ADD/COPY/VOLUME, `as_list`).
fn maybe_json(text: &str, rest: Range<usize>, as_list: bool) -> Parsed {
    // Go trims leading Unicode spaces before looking for the array (only HEALTHCHECK's rest
    // can still have some here).
    let body = text[rest.clone()].trim_start_matches(is_space);
    let body_start = rest.end - body.len();
    if body.starts_with('[') {
        if let Some(items) = json::parse_array(body, body_start) {
            let mut parsed = Parsed {
                json: true,
                ..Parsed::default()
            };
            for item in items {
                match item.value {
                    Some(value) => parsed.args.push(Piece {
                        value,
                        range: item.range,
                    }),
                    None if parsed.errors.is_empty() => {
                        parsed
                            .errors
                            .push((NOT_STRING_ARRAY.to_string(), item.range));
                    }
                    None => {}
                }
            }
            return parsed;
        }
    }
    Parsed::of(if as_list {
        fields(text, rest)
    } else {
        whole(text, rest)
    })
}

/// `HEALTHCHECK [flags] TYPE rest`: the type word, then the rest as for CMD.
fn healthcheck(text: &str, rest: Range<usize>) -> Parsed {
    // BuildKit tests single bytes with unicode.IsSpace here, i.e. ASCII whitespace.
    let is_sep = |c: char| c.is_ascii_whitespace() || c == '\x0b';
    let body = &text[rest.clone()];
    let sep = rest.start + body.find(is_sep).unwrap_or(body.len());
    if sep == rest.start {
        return Parsed::default();
    }
    let next =
        sep + (text[sep..rest.end].len() - text[sep..rest.end].trim_start_matches(is_sep).len());
    let mut parsed = maybe_json(text, next..rest.end, false);
    parsed.args.insert(0, piece(text, rest.start..sep));
    parsed
}

/// BuildKit's `parseWords`: whitespace-separated words, quotes and escapes kept in the word.
pub(super) fn words(text: &str, rest: Range<usize>, escape: char) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut start: Option<usize> = None;
    let mut blank_ok = false;
    let mut quote: Option<char> = None;
    let body = &text[rest.clone()];
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = rest.start + i;
        let Some(word_start) = start else {
            if is_space(c) {
                continue;
            }
            start = Some(at);
            // Re-handle this character as the first of the word.
            push_word_char(&mut word, &mut quote, &mut blank_ok, c, &mut chars, escape);
            continue;
        };
        if quote.is_none() && is_space(c) {
            if blank_ok || !word.is_empty() {
                out.push(Piece {
                    value: std::mem::take(&mut word),
                    range: word_start..at,
                });
            }
            word.clear();
            start = None;
            blank_ok = false;
            continue;
        }
        push_word_char(&mut word, &mut quote, &mut blank_ok, c, &mut chars, escape);
    }
    if let Some(word_start) = start {
        if blank_ok || !word.is_empty() {
            out.push(Piece {
                value: word,
                range: word_start..rest.end,
            });
        }
    }
    out
}

/// One non-separating character of a word (see [`words`]).
fn push_word_char(
    word: &mut String,
    quote: &mut Option<char>,
    blank_ok: &mut bool,
    c: char,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    escape: char,
) {
    match *quote {
        None => {
            if c == '\'' || c == '"' {
                *quote = Some(c);
                *blank_ok = true;
            }
            if c == escape {
                // Outside quotes the escape token and the next character are both kept; an
                // escape token at the very end is dropped.
                if let Some((_, next)) = chars.next() {
                    word.push(c);
                    word.push(next);
                }
                return;
            }
            word.push(c);
        }
        Some(q) => {
            if c == q {
                *quote = None;
            }
            if c == escape && q != '\'' {
                match chars.next() {
                    Some((_, next)) => {
                        word.push(c);
                        word.push(next);
                    }
                    None => *quote = None,
                }
                return;
            }
            word.push(c);
        }
    }
}

/// ENV and LABEL: `key=value` words, or the legacy `KEY value` form. Produces
/// `key, value, "="` triples (`key, value, ""` for the legacy form).
fn name_value(text: &str, rest: Range<usize>, escape: char, keyword: Keyword) -> Parsed {
    let words = words(text, rest.clone(), escape);
    let Some(first) = words.first() else {
        return Parsed::default();
    };
    let mut parsed = Parsed::default();
    if !first.value.contains('=') {
        let body = &text[rest.clone()];
        let key_end = rest.start + body.find(is_field_space).unwrap_or(body.len());
        let after = &text[key_end..rest.end];
        let value_start = key_end + (after.len() - after.trim_start_matches(is_field_space).len());
        parsed.args.push(piece(text, rest.start..key_end));
        if key_end == rest.end {
            // Points at the whole instruction (the line starts at its keyword).
            parsed.errors.push((
                format!("{} must have two arguments", keyword.as_str()),
                0..rest.end,
            ));
        }
        parsed.args.push(piece(text, value_start..rest.end));
        parsed.args.push(Piece {
            value: String::new(),
            range: rest.end..rest.end,
        });
        return parsed;
    }
    for word in words {
        let Some(eq) = word.value.find('=') else {
            parsed.errors.push((
                format!(
                    "Syntax error - can't find = in {:?}. Must be of the form: name=value",
                    word.value
                ),
                word.range,
            ));
            continue;
        };
        let at = word.range.start + eq;
        parsed.args.push(Piece {
            value: word.value[..eq].to_string(),
            range: word.range.start..at,
        });
        parsed.args.push(Piece {
            value: word.value[eq + 1..].to_string(),
            range: at + 1..word.range.end,
        });
        parsed.args.push(Piece {
            value: "=".to_string(),
            range: at..at + 1,
        });
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(pieces: &[Piece]) -> Vec<&str> {
        pieces.iter().map(|p| p.value.as_str()).collect()
    }

    fn split_all(keyword: Keyword, text: &str) -> Parsed {
        split(keyword, text, 0..text.len(), '\\')
    }

    #[test]
    fn fields_split_on_blanks_only() {
        let p = split_all(Keyword::From, "img AS\tx");
        assert_eq!(vals(&p.args), ["img", "AS", "x"]);
        assert_eq!(p.args[2].range, 7..8);
        let p = split_all(Keyword::Expose, "a\u{a0}b c");
        assert_eq!(vals(&p.args), ["a\u{a0}b", "c"]);
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        let w = words(r#"abc="123 456" def"#, 0..17, '\\');
        assert_eq!(vals(&w), [r#"abc="123 456""#, "def"]);
        assert_eq!(w[1].range, 14..17);
        let w = words(r"a\ b 'c\' x\", 0..12, '\\');
        assert_eq!(vals(&w), [r"a\ b", r"'c\'", "x"]);
        // A quote opened after a single-quoted escape runs to the end.
        let w = words(r"'c\'d' x", 0..8, '\\');
        assert_eq!(vals(&w), [r"'c\'d' x"]);
        let w = words(r#""" ''"#, 0..5, '\\');
        assert_eq!(vals(&w), [r#""""#, "''"]);
        let w = words("a`\"b c", 0..6, '`');
        assert_eq!(vals(&w), ["a`\"b", "c"]);
    }

    #[test]
    fn env_forms() {
        let p = split_all(Keyword::Env, "name value with  spaces");
        assert_eq!(vals(&p.args), ["name", "value with  spaces", ""]);
        assert_eq!(p.args[1].range, 5..23);
        let p = split_all(Keyword::Env, r#"a=1 b="x y" c=d\ e"#);
        assert_eq!(
            vals(&p.args),
            ["a", "1", "=", "b", "\"x y\"", "=", "c", r"d\ e", "="]
        );
        assert_eq!(p.args[3].range, 4..5);
        assert_eq!(p.args[4].range, 6..11);
        assert_eq!(p.args[5].range, 5..6);
        let p = split_all(Keyword::Env, "PATH");
        assert_eq!(p.errors.len(), 1);
        let p = split_all(Keyword::Label, "a=1 b");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(vals(&p.args), ["a", "1", "="]);
    }

    #[test]
    fn maybe_json_forms() {
        let p = split_all(Keyword::Cmd, r#"[ "a", "b" ]"#);
        assert!(p.json);
        assert_eq!(vals(&p.args), ["a", "b"]);
        assert_eq!(p.args[0].range, 2..5);
        let p = split_all(Keyword::Cmd, "['a']");
        assert!(!p.json);
        assert_eq!(vals(&p.args), ["['a']"]);
        let p = split_all(Keyword::Copy, "[ \"a\" b");
        assert_eq!(vals(&p.args), ["[", "\"a\"", "b"]);
        let p = split_all(Keyword::Cmd, r#"[ "echo", [ "nested json" ] ]"#);
        assert!(p.json);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].1, 10..27);
        assert!(split_all(Keyword::Run, "").args.is_empty());
        assert!(split_all(Keyword::Cmd, "[]").args.is_empty());
    }

    #[test]
    fn healthcheck_forms() {
        let p = split_all(Keyword::Healthcheck, "CMD   a b");
        assert_eq!(vals(&p.args), ["CMD", "a b"]);
        let p = split_all(Keyword::Healthcheck, "CMD [\"x\"]");
        assert!(p.json);
        assert_eq!(vals(&p.args), ["CMD", "x"]);
        let p = split_all(Keyword::Healthcheck, "CMD \u{a0}[\"x\"]");
        assert!(p.json);
        assert_eq!(p.args[1].range, 7..10);
        let p = split_all(Keyword::Healthcheck, "NONE");
        assert_eq!(vals(&p.args), ["NONE"]);
        assert!(split_all(Keyword::Healthcheck, "").args.is_empty());
    }

    #[test]
    fn unknown_keeps_one_empty_argument() {
        let p = split(Keyword::Unknown, "FOO bar", 4..7, '\\');
        assert_eq!(vals(&p.args), [""]);
        assert_eq!(p.args[0].range, 4..7);
    }
}
