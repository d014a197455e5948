//! One logical line to one [`Instruction`]: keyword, flags, then the per-instruction argument
//! rules (BuildKit's `splitCommand` + line parsers). Line numbers, spans of the whole
//! instruction, comments and heredocs are filled in by the reader.

use super::lines::{is_field_space, slice_line, trim_range};
use super::{args, flags};
use crate::dockerfile::ast::{
    Arg, Instruction, Keyword, LogicalLine, ParseDiagnostic, ParseErrorKind, Span,
};

/// Builds the instruction on `line` (which starts at the keyword). Parser-level errors, such as
/// a JSON array holding a non-string, are appended to `diags`.
pub(super) fn build(
    line: LogicalLine,
    escape: char,
    diags: &mut Vec<ParseDiagnostic>,
) -> Instruction {
    let text = line.text.as_str();
    let end = text.trim_end().len();
    let keyword_end = text[..end].find(is_field_space).unwrap_or(end);
    let keyword_text = text[..keyword_end].to_string();
    let keyword = Keyword::parse(&keyword_text);

    let mut flags = Vec::new();
    let mut rest = end..end;
    if keyword_end < end {
        let gap = &text[keyword_end..end];
        let after = keyword_end + (gap.len() - gap.trim_start_matches(is_field_space).len());
        let (found, rest_start) = flags::extract(&line, after, end);
        flags = found;
        rest = trim_range(text, rest_start..end);
    }

    let parsed = args::split(keyword, text, rest.clone(), escape);
    for (message, range) in parsed.errors {
        diags.push(ParseDiagnostic {
            kind: ParseErrorKind::Syntax,
            message,
            span: line.span(range),
        });
    }
    let onbuild = (keyword == Keyword::Onbuild && !rest.is_empty())
        .then(|| Box::new(build(slice_line(&line, rest.clone()), escape, diags)));
    let args = parsed
        .args
        .into_iter()
        .map(|p| Arg {
            span: line.span(p.range.clone()),
            value: p.value,
            logical: p.range,
        })
        .collect();

    Instruction {
        keyword,
        keyword_span: line.span(0..keyword_end),
        keyword_text,
        span: line.span(0..end),
        start_line: 0,
        end_line: 0,
        flags,
        rest,
        args,
        json_form: parsed.json,
        heredocs: Vec::new(),
        onbuild,
        prev_comments: Vec::new(),
        line,
    }
}

/// Gives an instruction (and any ONBUILD trigger inside it) its extent in the file.
pub(super) fn place(instr: &mut Instruction, span: Span, start_line: usize, end_line: usize) {
    instr.span = Span::new(instr.span.start.max(span.start).min(span.end), span.end);
    instr.start_line = start_line;
    instr.end_line = end_line;
    if let Some(inner) = instr.onbuild.as_deref_mut() {
        place(inner, span, start_line, end_line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::parser::lines::LogicalBuilder;

    fn build_text(text: &str) -> (Instruction, Vec<ParseDiagnostic>) {
        let mut b = LogicalBuilder::default();
        b.push(text, 0);
        let mut diags = Vec::new();
        let instr = build(b.finish(0), '\\', &mut diags);
        (instr, diags)
    }

    #[test]
    fn keyword_flags_and_args() {
        let (i, d) = build_text("copy --from=a  --link x y  ");
        assert!(d.is_empty());
        assert_eq!(i.keyword, Keyword::Copy);
        assert_eq!(i.keyword_text, "copy");
        assert_eq!(i.keyword_span, Span::new(0, 4));
        assert_eq!(i.flags.len(), 2);
        let values: Vec<_> = i.args.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(values, ["x", "y"]);
        assert_eq!(i.args[1].span, Span::new(24, 25));
        assert_eq!(i.rest(), "x y");
    }

    #[test]
    fn onbuild_nests() {
        let (i, _) = build_text("ONBUILD RUN [\"a\"]");
        let inner = i.onbuild.as_deref().unwrap();
        assert_eq!(inner.keyword, Keyword::Run);
        assert!(inner.json_form);
        assert_eq!(inner.keyword_span, Span::new(8, 11));
        assert_eq!(inner.args[0].span, Span::new(13, 16));
        assert!(i.args.is_empty());
        let (bare, _) = build_text("ONBUILD");
        assert!(bare.onbuild.is_none());
    }

    #[test]
    fn keyword_split_only_on_ascii_blanks() {
        let (i, _) = build_text("RUN\u{a0}x");
        assert_eq!(i.keyword, Keyword::Unknown);
        assert_eq!(i.keyword_text, "RUN\u{a0}x");
        assert_eq!(i.args.len(), 1);
    }
}
