//! Heredoc openers (`<<EOF`, `<<-EOF`, `3<<"EOF"`) as BuildKit finds them: the logical line is
//! lexed into shell words and every word matching `^(\d*)<<(-?)\s*([^<]*)$` whose delimiter is a
//! single word opens a heredoc. Reading the bodies is the reader's job.

use std::ops::Range;

use super::lines::is_re_space;
use super::shlex::{self, Mode};
use crate::dockerfile::ast::{Instruction, Keyword};

/// A heredoc opener found on an instruction line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Opener {
    pub name: String,
    pub strip_tabs: bool,
    pub quoted: bool,
    pub fd: Option<u32>,
    /// Logical range of the opener word.
    pub range: Range<usize>,
}

/// RUN, COPY and ADD (also wrapped in ONBUILD) in shell form may open heredocs.
pub(super) fn can_contain(instr: &Instruction) -> bool {
    let target = match (&instr.keyword, &instr.onbuild) {
        (Keyword::Onbuild, Some(inner)) => inner.as_ref(),
        _ => instr,
    };
    matches!(target.keyword, Keyword::Run | Keyword::Copy | Keyword::Add) && !target.json_form
}

/// The openers on `line`, in order. `Err` carries a message where BuildKit fails the parse.
pub(super) fn openers(line: &str) -> Result<Vec<Opener>, String> {
    if !line.contains("<<") {
        return Ok(Vec::new());
    }
    // BuildKit ignores lexing errors here: the line then simply opens no heredoc.
    let raw = Mode {
        raw_quotes: true,
        raw_escapes: true,
    };
    let Some(words) = shlex::words(line, raw) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for word in words {
        if let Some(head) = parse_word(&word.text)? {
            found.push(Opener {
                name: head.name,
                strip_tabs: head.strip_tabs,
                quoted: head.quoted,
                fd: head.fd,
                range: word.range,
            });
        }
    }
    Ok(found)
}

/// What one opener word says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Head {
    pub name: String,
    pub strip_tabs: bool,
    pub quoted: bool,
    pub fd: Option<u32>,
}

/// BuildKit's `ParseHeredoc` on one (raw) word.
pub(super) fn parse_word(word: &str) -> Result<Option<Head>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (strip_tabs, after) = match after.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, after),
    };
    let rest = after.trim_start_matches(is_re_space);
    if rest.is_empty() || rest.contains('<') {
        return Ok(None);
    }
    let lex_error = || format!("failed to process heredoc delimiter {rest:?}");
    let cooked = Mode {
        raw_quotes: false,
        raw_escapes: false,
    };
    let words = shlex::words(rest, cooked).ok_or_else(lex_error)?;
    let [name] = words.as_slice() else {
        return Ok(None);
    };
    let raw_quotes = Mode {
        raw_quotes: true,
        raw_escapes: false,
    };
    let raw_words = shlex::words(rest, raw_quotes).ok_or_else(lex_error)?;
    let [raw_name] = raw_words.as_slice() else {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    };
    let quotes = |s: &str| s.chars().filter(|c| matches!(c, '\'' | '"')).count();
    Ok(Some(Head {
        name: name.text.clone(),
        strip_tabs,
        // Quoting any part of the delimiter turns expansion off.
        quoted: quotes(&name.text) != quotes(&raw_name.text),
        fd: (digits > 0).then(|| word[..digits].parse().unwrap_or(0)),
    }))
}

/// `<<-` bodies lose the leading tabs of every line.
pub(super) fn strip_leading_tabs(line: &str) -> &str {
    line.trim_start_matches('\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(word: &str) -> Option<Head> {
        parse_word(word).unwrap()
    }

    #[test]
    fn opener_words() {
        let h = head("<<EOF").unwrap();
        assert_eq!(
            (h.name.as_str(), h.strip_tabs, h.quoted, h.fd),
            ("EOF", false, false, None)
        );
        let h = head("<<-EOT").unwrap();
        assert!(h.strip_tabs);
        let h = head("3<<\"EOF\"").unwrap();
        assert_eq!((h.name.as_str(), h.quoted, h.fd), ("EOF", true, Some(3)));
        assert!(head("<<'EOF'").unwrap().quoted);
        let h = head("<<E\"O\"F").unwrap();
        assert_eq!((h.name.as_str(), h.quoted), ("EOF", true));
        // A backslash is not a quote for BuildKit: the body is still expanded.
        let h = head("<<\\EOF").unwrap();
        assert_eq!((h.name.as_str(), h.quoted), ("EOF", false));
        assert_eq!(head("<<"), None);
        assert_eq!(head("<<-"), None);
        assert_eq!(head("cat<<EOF"), None);
        assert_eq!(head("<<EOF<x"), None);
        assert_eq!(head("<<'a b'").unwrap().name, "a b");
    }

    #[test]
    fn openers_on_a_line() {
        let found = openers("RUN <<A cat > a && <<-\"B\" cat > b").unwrap();
        let names: Vec<_> = found.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["A", "B"]);
        assert_eq!(found[0].range, 4..7);
        assert_eq!(found[1].range, 19..25);
        assert!(openers("RUN echo '<<EOF'").unwrap().is_empty());
        assert!(openers("RUN echo \"<<EOF").unwrap().is_empty());
        assert!(openers("RUN cat << EOF").unwrap().is_empty());
        assert!(openers("COPY <<EOF /dest").unwrap().len() == 1);
    }
}
