//! Walks the physical lines as BuildKit's `Parse` loop does: directives at the top, comments,
//! blank lines, continuation joining, then heredoc bodies after the instruction line.

use super::heredoc::{self, Opener};
use super::lines::{self, LogicalBuilder, PhysLine, MAX_LINE_LEN};
use super::{instruction, validate, ParseOptions};
use crate::dockerfile::ast::{
    Comment, Directive, Dockerfile, Heredoc, Instruction, LogicalLine, ParseDiagnostic,
    ParseErrorKind, Span,
};

pub(super) struct Reader<'a> {
    src: &'a str,
    lines: Vec<PhysLine>,
    /// Index of the next physical line to read.
    next: usize,
    escape: char,
    directives_done: bool,
    seen_directives: Vec<String>,
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    /// Comments directly above the next instruction.
    pending: Vec<Comment>,
    instructions: Vec<Instruction>,
    diagnostics: Vec<ParseDiagnostic>,
}

impl<'a> Reader<'a> {
    pub fn new(src: &'a str) -> Self {
        Reader {
            src,
            lines: lines::split_lines(src),
            next: 0,
            escape: '\\',
            directives_done: false,
            seen_directives: Vec::new(),
            directives: Vec::new(),
            comments: Vec::new(),
            pending: Vec::new(),
            instructions: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    pub fn run(mut self, options: ParseOptions) -> Dockerfile {
        while let Some(index) = self.take_line() {
            let line = self.lines[index];
            let raw = &self.src[line.start..line.content_end];
            let text_start = line.content_end - raw.trim_start().len();
            let text = &self.src[text_start..line.content_end];
            if !self.directives_done && self.directive(text, line) {
                continue;
            }
            if text.starts_with('#') {
                self.comment(text_start, line.content_end, true);
                continue;
            }
            let cut = lines::continuation_cut(text, self.escape);
            if cut.is_none() && text.is_empty() {
                // A blank line separates comments from the next instruction.
                self.pending.clear();
                continue;
            }
            self.instruction(index, text_start, cut, options);
        }
        if self.instructions.is_empty() {
            let end = self.src.len();
            self.syntax("file with no instructions".into(), Span::new(end, end));
        }
        // Source order, whichever stage found the problem.
        self.diagnostics.sort_by_key(|d| d.span.start);
        Dockerfile {
            source: self.src.to_string(),
            directives: self.directives,
            escape: self.escape,
            instructions: self.instructions,
            comments: self.comments,
            diagnostics: self.diagnostics,
        }
    }

    /// The next physical line (its index), reporting it if BuildKit would find it too long.
    fn take_line(&mut self) -> Option<usize> {
        let index = self.next;
        let line = *self.lines.get(index)?;
        self.next += 1;
        if line.too_long {
            self.syntax(
                format!("dockerfile line greater than max allowed size of {MAX_LINE_LEN}"),
                Span::new(line.start, line.content_end),
            );
        }
        Some(index)
    }

    fn syntax(&mut self, message: String, span: Span) {
        self.diagnostics.push(ParseDiagnostic {
            kind: ParseErrorKind::Syntax,
            message,
            span,
        });
    }

    /// Handles a possible parser directive; `true` when the line was one (valid or not).
    fn directive(&mut self, text: &str, line: PhysLine) -> bool {
        let found = lines::match_directive(text)
            .filter(|m| matches!(m.name.as_str(), "syntax" | "escape" | "check"));
        let Some(found) = found else {
            self.directives_done = true;
            return false;
        };
        let span = Span::new(line.start, line.content_end);
        if self.seen_directives.contains(&found.name) {
            let message = format!("only one {} parser directive can be used", found.name);
            self.syntax(message, span);
            return true;
        }
        self.seen_directives.push(found.name.clone());
        if found.name == "escape" {
            match found.value.as_str() {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                other => {
                    let message = format!("invalid escape token '{other}' does not match ` or \\");
                    self.syntax(message, span);
                    return true;
                }
            }
        }
        self.directives.push(Directive {
            name: found.name,
            value: found.value,
            span,
        });
        true
    }

    /// Records the comment whose `#` is at `hash`. Only comments between instructions can
    /// document the next one; an empty `#` line resets that block, as in BuildKit.
    fn comment(&mut self, hash: usize, end: usize, between_instructions: bool) {
        let comment = Comment {
            text: self.src[hash + 1..end].to_string(),
            span: Span::new(hash, end),
        };
        if between_instructions {
            if comment.text.trim().is_empty() {
                self.pending.clear();
            } else {
                self.pending.push(comment.clone());
            }
        }
        self.comments.push(comment);
    }

    /// Reads the instruction starting on line `first` (text at `text_start`), its continuation
    /// lines and heredoc bodies.
    fn instruction(
        &mut self,
        first: usize,
        text_start: usize,
        cut: Option<usize>,
        options: ParseOptions,
    ) {
        let first_line = self.lines[first];
        let text = &self.src[text_start..first_line.content_end];
        let mut builder = LogicalBuilder::default();
        builder.push(&text[..cut.unwrap_or(text.len())], text_start);
        let mut last = first;
        let mut continuing = cut.is_some();
        while continuing {
            let Some(index) = self.take_line() else { break };
            last = index;
            let line = self.lines[index];
            let raw = &self.src[line.start..line.content_end];
            let trimmed = raw.trim_start();
            if trimmed.starts_with('#') {
                // Comment lines inside a continuation are dropped (and do not end it).
                self.comment(line.content_end - trimmed.len(), line.content_end, false);
                continue;
            }
            if trimmed.is_empty() {
                self.diagnostics.push(ParseDiagnostic {
                    kind: ParseErrorKind::EmptyContinuation,
                    message: "empty continuation line; empty continuation lines will become \
                              errors in a future release"
                        .into(),
                    span: Span::new(line.start, line.content_end),
                });
                continue;
            }
            match lines::continuation_cut(raw, self.escape) {
                Some(keep) => builder.push(&raw[..keep], line.start),
                None => {
                    builder.push(raw, line.start);
                    continuing = false;
                }
            }
        }

        let joined = builder.finish(text_start);
        // Only a leading lone continuation can leave whitespace before the keyword.
        let lead = joined.text.len() - joined.text.trim_start().len();
        let line = lines::slice_line(&joined, lead..joined.text.len());
        let mut instr = instruction::build(line, self.escape, &mut self.diagnostics);

        let mut heredocs = Vec::new();
        if heredoc::can_contain(&instr) {
            match heredoc::openers(&instr.line.text) {
                Ok(openers) => {
                    for opener in openers {
                        heredocs.push(self.heredoc_body(opener, &instr.line));
                    }
                    last = last.max(self.next.saturating_sub(1));
                }
                Err(message) => {
                    let span = instr.line.span(0..instr.line.text.len());
                    self.syntax(message, span);
                }
            }
        }

        let span = Span::new(text_start, self.lines[last].content_end);
        instr.span = span;
        instruction::place(&mut instr, span, first + 1, last + 1);
        instr.prev_comments = std::mem::take(&mut self.pending);
        // The heredocs belong to the trigger too, where `effective()` finds them.
        if let Some(inner) = instr.onbuild.as_deref_mut() {
            inner.heredocs = heredocs.clone();
        }
        instr.heredocs = heredocs;
        if options.validate {
            validate::check(&instr, &mut self.diagnostics);
        }
        self.instructions.push(instr);
    }

    /// Reads one heredoc body, up to the line equal to its delimiter.
    fn heredoc_body(&mut self, opener: Opener, line: &LogicalLine) -> Heredoc {
        let opener_span = line.span(opener.range.clone());
        let body_start = self
            .lines
            .get(self.next)
            .map_or(self.src.len(), |l| l.start);
        let mut body_end = body_start;
        let mut content = String::new();
        let terminator_span = loop {
            let Some(index) = self.take_line() else {
                self.syntax("unterminated heredoc".into(), opener_span);
                break Span::new(self.src.len(), self.src.len());
            };
            let l = self.lines[index];
            let text = &self.src[l.start..l.content_end];
            let candidate = if opener.strip_tabs {
                heredoc::strip_leading_tabs(text)
            } else {
                text
            };
            if candidate == opener.name {
                break Span::new(l.start, l.content_end);
            }
            let raw = &self.src[l.start..l.end];
            content.push_str(if opener.strip_tabs {
                heredoc::strip_leading_tabs(raw)
            } else {
                raw
            });
            body_end = l.content_end;
        };
        Heredoc {
            name: opener.name,
            strip_tabs: opener.strip_tabs,
            quoted: opener.quoted,
            fd: opener.fd,
            content,
            opener_span,
            body_span: Span::new(body_start, body_end),
            terminator_span,
        }
    }
}
