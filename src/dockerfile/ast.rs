//! The syntax tree of a Dockerfile, as BuildKit reads it, with byte spans for everything.
//!
//! Spans are byte ranges into [`Dockerfile::source`]. Arguments are taken from the *logical*
//! line (physical lines joined at continuations, comment lines dropped); [`LogicalLine`] maps an
//! offset in that joined text back to the source byte it came from, so a finding about the
//! fourth line of a continued `RUN` can point at that line and column.

use std::ops::Range;

/// A half-open byte range `[start, end)` into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A parsed Dockerfile.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    /// The complete source text (a BOM, if any, is kept here; spans account for it).
    pub source: String,
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`) from the top of the file.
    pub directives: Vec<Directive>,
    /// The escape token in force: `\` or `` ` ``.
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Every comment line in the file, including those inside continuations (for pragmas).
    pub comments: Vec<Comment>,
    /// Problems found while parsing. Parsing always continues with the next instruction.
    pub diagnostics: Vec<ParseDiagnostic>,
}

/// A parser directive such as `# escape=\``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    /// The whole directive line, without its line ending.
    pub span: Span,
}

/// A comment line: `text` is everything after the `#`, untrimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    /// From the `#` to the end of the line (line ending excluded).
    pub span: Span,
}

/// The instructions BuildKit knows, plus `Unknown` for anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Keyword {
    pub const KNOWN: [(&'static str, Keyword); 18] = [
        ("add", Keyword::Add),
        ("arg", Keyword::Arg),
        ("cmd", Keyword::Cmd),
        ("copy", Keyword::Copy),
        ("entrypoint", Keyword::Entrypoint),
        ("env", Keyword::Env),
        ("expose", Keyword::Expose),
        ("from", Keyword::From),
        ("healthcheck", Keyword::Healthcheck),
        ("label", Keyword::Label),
        ("maintainer", Keyword::Maintainer),
        ("onbuild", Keyword::Onbuild),
        ("run", Keyword::Run),
        ("shell", Keyword::Shell),
        ("stopsignal", Keyword::Stopsignal),
        ("user", Keyword::User),
        ("volume", Keyword::Volume),
        ("workdir", Keyword::Workdir),
    ];

    /// Case-insensitive lookup; anything not known is `Unknown`.
    pub fn parse(word: &str) -> Keyword {
        Self::KNOWN
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(word))
            .map_or(Keyword::Unknown, |(_, k)| *k)
    }

    /// The upper-case spelling used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }
}

/// One instruction. For `ONBUILD X`, `onbuild` holds the parsed `X` (spans still index the file).
#[derive(Debug, Clone)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword exactly as written (`From`, `run`…), with its span.
    pub keyword_text: String,
    pub keyword_span: Span,
    /// From the first character of the keyword to the end of the last line consumed, heredoc
    /// bodies included (line ending excluded).
    pub span: Span,
    /// 1-based first and last physical line (continuations, skipped comment/blank lines inside
    /// the continuation, and heredoc bodies included), as BuildKit counts them.
    pub start_line: usize,
    pub end_line: usize,
    /// The joined logical line, starting at the keyword, with its map back to the source.
    pub line: LogicalLine,
    pub flags: Vec<Flag>,
    /// Logical range of the text after the keyword and flags (and a `--` ending them), trimmed:
    /// BuildKit's "rest" of the line that the arguments are read from.
    pub rest: Range<usize>,
    /// Arguments as BuildKit's parser produces them (see the conformance dump format): for
    /// ENV/LABEL, `key, value, "="` triples (or `key, value, ""` for the legacy form).
    pub args: Vec<Arg>,
    /// Whether the arguments came from a JSON array (exec form).
    pub json_form: bool,
    /// Heredocs opened on this instruction's line, in order.
    pub heredocs: Vec<Heredoc>,
    /// For `ONBUILD`, the wrapped instruction.
    pub onbuild: Option<Box<Instruction>>,
    /// Comment lines directly above this instruction (no blank line in between), nearest last.
    pub prev_comments: Vec<Comment>,
}

impl Instruction {
    /// The text after the keyword and flags, as joined (BuildKit's "rest" of the line).
    pub fn rest(&self) -> &str {
        self.line.text.get(self.rest.clone()).unwrap_or_default()
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// The instruction that takes effect: `self`, or the wrapped one for `ONBUILD`.
    pub fn effective(&self) -> &Instruction {
        self.onbuild.as_deref().unwrap_or(self)
    }
}

/// A flag such as `--mount=type=cache,target=/root/.cache` or `--link`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Without the leading dashes: `mount`.
    pub name: String,
    /// After the first `=`, quotes and escapes removed; `None` for a bare `--link`.
    pub value: Option<String>,
    /// The flag as BuildKit keeps it: `--name=value` with quotes and escapes removed.
    pub raw: String,
    /// Logical range of the flag word as written.
    pub logical: Range<usize>,
    pub span: Span,
}

/// One argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The argument as BuildKit's parser yields it (for JSON form, the decoded string).
    pub value: String,
    /// Logical range the argument was read from (for JSON, the whole string literal with quotes).
    pub logical: Range<usize>,
    pub span: Span,
}

/// A heredoc: `<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter with quotes removed.
    pub name: String,
    /// `<<-`: leading tabs are stripped from body lines and from the terminator.
    pub strip_tabs: bool,
    /// The delimiter was quoted in some way, so the body is not expanded.
    pub quoted: bool,
    /// File descriptor digits before `<<`, if any.
    pub fd: Option<u32>,
    /// The body as BuildKit passes it on: the lines between the opener and the terminator, each
    /// with its trailing newline (tabs stripped for `<<-`).
    pub content: String,
    /// Span of the `<<EOF` word on the instruction line.
    pub opener_span: Span,
    /// Span of the body lines in the source (possibly empty), terminator excluded.
    pub body_span: Span,
    /// Span of the terminator line.
    pub terminator_span: Span,
}

/// The joined logical line of an instruction and the map back to source bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogicalLine {
    pub text: String,
    /// Sorted by logical offset: each segment says that logical bytes from `logical` onwards
    /// come from consecutive source bytes starting at `source`.
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub logical: usize,
    pub source: usize,
}

impl LogicalLine {
    /// The source byte offset of logical byte `offset` (`offset == text.len()` maps to the end of
    /// the last segment).
    pub fn to_source(&self, offset: usize) -> usize {
        let index = self
            .segments
            .partition_point(|s| s.logical <= offset)
            .saturating_sub(1);
        match self.segments.get(index) {
            Some(seg) => seg.source + (offset - seg.logical),
            None => offset,
        }
    }

    /// The source span of a logical range. A range that crosses a continuation covers the
    /// physical text in between (the escape token, line break and indentation).
    pub fn span(&self, range: Range<usize>) -> Span {
        if range.is_empty() {
            let at = self.to_source(range.start);
            return Span::new(at, at);
        }
        Span::new(
            self.to_source(range.start),
            self.to_source(range.end - 1) + 1,
        )
    }
}

/// What went wrong while parsing. Each kind maps to one rule of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// The file cannot be read as a Dockerfile at this point: no instructions, bad JSON array,
    /// `ENV` without a value, unterminated heredoc, bad or repeated directive, over-long line…
    Syntax,
    /// An instruction name BuildKit does not know (`suggestion` holds the closest known one).
    UnknownInstruction { suggestion: Option<String> },
    /// A flag the instruction does not accept, or a flag value BuildKit rejects.
    UnknownFlag,
    /// An empty or whitespace-only line inside a continuation (BuildKit's NoEmptyContinuation).
    EmptyContinuation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDiagnostic {
    pub kind: ParseErrorKind,
    pub message: String,
    pub span: Span,
}
