//! Scripts through brush-parser's syntax tree: every simple command the shell would run, in
//! source order, with its words expanded and mapped back to the script.
//!
//! The walk goes into `&&`/`||`/`;`/`&` lists, pipelines, subshells, brace groups, `if`, `for`,
//! `while`, `until`, `case`, function bodies, `$(…)`, backquotes and process substitutions, the
//! script of `sh -c '…'`, and the command of `find … -exec cmd {} \;`. Commands found inside a
//! word or an argument come after the pipeline holding them, so a pipeline's commands stay
//! next to each other. A text that does not parse goes through the fallback tokenizer.

use std::ops::Range;

use brush_parser::ast;
use brush_parser::{ParseError, ParserOptions, SourcePosition, Token, TokenizerError};

use super::words::{self, Vars};
use super::{fallback, is_assignment, script_argument, Command, SyntaxError, Word};

/// How deep `$(…)` and `sh -c` scripts are followed inside each other.
const MAX_DEPTH: usize = 4;

/// Where the bytes of a text being walked come from in the top-level script.
#[derive(Debug, Clone)]
pub(super) enum Origin {
    /// Byte `i` is script byte `base + i`.
    Shift(usize),
    /// Byte `i` is script byte `table[i]`; one more entry for the end of the text.
    Table(Vec<usize>),
    /// Every byte stands for this whole range (a script that came out of a variable).
    Whole(Range<usize>),
}

impl Origin {
    fn at(&self, i: usize) -> usize {
        match self {
            Origin::Shift(base) => base + i,
            Origin::Table(table) => table.get(i).or(table.last()).copied().unwrap_or_default(),
            Origin::Whole(whole) => whole.start,
        }
    }

    fn range(&self, range: Range<usize>) -> Range<usize> {
        if let Origin::Whole(whole) = self {
            return whole.clone();
        }
        let start = self.at(range.start);
        start..self.at(range.end).max(start)
    }

    /// The origin of the text starting at byte `base` of this one.
    fn from(&self, base: usize) -> Origin {
        match self {
            Origin::Shift(b) => Origin::Shift(b + base),
            Origin::Table(table) => Origin::Table(table.get(base..).unwrap_or_default().to_vec()),
            Origin::Whole(whole) => Origin::Whole(whole.clone()),
        }
    }

    /// The origin of a derived text whose byte `i` comes from byte `base + inner[i]` of this one.
    fn compose(&self, base: usize, inner: &[usize]) -> Origin {
        if let Origin::Whole(whole) = self {
            return Origin::Whole(whole.clone());
        }
        Origin::Table(inner.iter().map(|i| self.at(base + i)).collect())
    }
}

/// A text being walked.
struct Text<'t> {
    text: &'t str,
    origin: &'t Origin,
    /// Char index → byte offset, for texts that are not ASCII (brush counts characters).
    chars: Option<Vec<usize>>,
    /// Substitutions an outer shell already ran (`sh -c "$(…)"`): their commands are not
    /// walked a second time.
    opaque: &'t [Range<usize>],
    depth: usize,
    /// Whether syntax errors found here are the script's own (not inside `sh -c '…'`).
    report: bool,
}

impl Text<'_> {
    fn byte(&self, position: &SourcePosition) -> usize {
        let index = position.index;
        match &self.chars {
            Some(chars) => chars.get(index).copied().unwrap_or(self.text.len()),
            None => index.min(self.text.len()),
        }
    }

    /// The bytes of a brush span, leading blanks and line continuations trimmed (brush starts
    /// a token's span where the blank before it started).
    fn span(&self, span: &brush_parser::SourceSpan) -> Range<usize> {
        let end = self.byte(&span.end);
        let mut start = self.byte(&span.start).min(end);
        let bytes = self.text.as_bytes();
        while start < end {
            match bytes[start] {
                b' ' | b'\t' | b'\r' | b'\n' => start += 1,
                b'\\' if bytes.get(start + 1) == Some(&b'\n') => start += 2,
                _ => break,
            }
        }
        start.min(end)..end
    }
}

/// Work found inside a pipeline, done once the pipeline's own commands are out.
enum Job<'a> {
    /// A script inside a word: a substitution, or the script of `sh -c`.
    Text {
        text: String,
        origin: Origin,
        opaque: Vec<Range<usize>>,
        report: bool,
    },
    /// A list of the syntax tree (process substitution).
    List(&'a ast::CompoundList),
    /// A command run by another one (`find -exec`), with the raw range of each word.
    Command(Command, Vec<Option<Range<usize>>>),
}

/// Walks scripts, collecting commands and the first syntax error.
pub(super) struct Walker {
    pub vars: Vars,
    pub out: Vec<Command>,
    pub error: Option<SyntaxError>,
    /// How many commands or process substitutions the walk is inside of.
    inside: usize,
}

fn options() -> ParserOptions {
    ParserOptions {
        // bash parses extended globs only after `shopt -s extglob`.
        enable_extended_globbing: false,
        ..ParserOptions::default()
    }
}

enum Failure {
    Tokens(TokenizerError),
    Parse(ParseError, Vec<Token>),
}

fn parse(text: &str) -> Result<ast::Program, Failure> {
    let options = options();
    let tokens = brush_parser::uncached_tokenize_str(text, &options.tokenizer_options())
        .map_err(Failure::Tokens)?;
    brush_parser::parse_tokens(&tokens, &options).map_err(|e| Failure::Parse(e, tokens))
}

impl Walker {
    pub fn new(vars: Vars) -> Self {
        Walker {
            vars,
            out: Vec::new(),
            error: None,
            inside: 0,
        }
    }

    /// Walks one script: `opaque` are substitutions an outer shell ran, `report` whether its
    /// syntax errors are the script's own.
    pub fn script(
        &mut self,
        text: &str,
        origin: &Origin,
        opaque: &[Range<usize>],
        depth: usize,
        report: bool,
    ) {
        let t = Text {
            text,
            origin,
            chars: (!text.is_ascii()).then(|| {
                text.char_indices()
                    .map(|(i, _)| i)
                    .chain(std::iter::once(text.len()))
                    .collect()
            }),
            opaque,
            depth,
            report,
        };
        match parse(text) {
            Ok(program) => {
                for list in &program.complete_commands {
                    self.list(&t, list);
                }
            }
            Err(failure) => {
                if t.report && self.error.is_none() {
                    let (message, range) = locate(&t, failure);
                    self.error = Some(SyntaxError {
                        message,
                        range: origin.range(range),
                    });
                }
                for mut command in fallback::commands(text) {
                    command.nested = depth > 0 || self.inside > 0;
                    for w in command
                        .words
                        .iter_mut()
                        .chain(command.assignments.iter_mut())
                    {
                        w.range = origin.range(w.range.clone());
                    }
                    self.out.push(command);
                }
            }
        }
    }

    fn list(&mut self, t: &Text, list: &ast::CompoundList) {
        for item in &list.0 {
            let and_or = &item.0;
            self.pipeline(t, &and_or.first);
            for next in &and_or.additional {
                match next {
                    ast::AndOr::And(p) | ast::AndOr::Or(p) => self.pipeline(t, p),
                }
            }
        }
    }

    fn pipeline(&mut self, t: &Text, pipeline: &ast::Pipeline) {
        let mut later = Vec::new();
        let n = pipeline.seq.len();
        for (k, command) in pipeline.seq.iter().enumerate() {
            let first = self.out.len();
            self.command(t, command, &mut later);
            if n > 1 && self.out.len() > first {
                if k > 0 {
                    self.out[first].piped_from_previous = true;
                }
                if k + 1 < n {
                    let last = self.out.len() - 1;
                    self.out[last].pipes_into_next = true;
                }
            }
        }
        self.run(t, later);
    }

    fn run(&mut self, t: &Text, jobs: Vec<Job>) {
        for job in jobs {
            match job {
                Job::Text {
                    text,
                    origin,
                    opaque,
                    report,
                } => {
                    if t.depth < MAX_DEPTH {
                        // A subshell: its assignments stay inside it.
                        let saved = self.vars.clone();
                        self.script(&text, &origin, &opaque, t.depth + 1, report && t.report);
                        self.vars = saved;
                    }
                }
                Job::List(list) => {
                    self.inside += 1;
                    self.list(t, list);
                    self.inside -= 1;
                }
                Job::Command(mut command, raws) => {
                    let mut later = Vec::new();
                    self.nested(t, &command, &raws, &mut later);
                    command.nested = true;
                    self.out.push(command);
                    self.inside += 1;
                    self.run(t, later);
                    self.inside -= 1;
                }
            }
        }
    }

    fn command<'a>(&mut self, t: &Text, command: &'a ast::Command, later: &mut Vec<Job<'a>>) {
        match command {
            ast::Command::Simple(simple) => self.simple(t, simple, later),
            ast::Command::Compound(compound, redirects) => {
                self.compound(t, compound);
                if let Some(redirects) = redirects {
                    for r in &redirects.0 {
                        self.redirect(t, r, later);
                    }
                }
            }
            ast::Command::Function(function) => {
                self.compound(t, &function.body.0);
            }
            ast::Command::ExtendedTest(test, _) => self.test(t, &test.expr, later),
        }
    }

    fn compound(&mut self, t: &Text, compound: &ast::CompoundCommand) {
        use ast::CompoundCommand as C;
        let mut later = Vec::new();
        match compound {
            C::BraceGroup(group) => self.list(t, &group.list),
            C::Subshell(subshell) => self.list(t, &subshell.list),
            C::ForClause(clause) => {
                for word in clause.values.iter().flatten() {
                    self.substitutions(t, word, &mut later);
                }
                self.run(t, std::mem::take(&mut later));
                self.vars.set(&clause.variable_name, None);
                self.list(t, &clause.body.list);
            }
            C::ArithmeticForClause(clause) => self.list(t, &clause.body.list),
            C::CaseClause(clause) => {
                self.substitutions(t, &clause.value, &mut later);
                self.run(t, std::mem::take(&mut later));
                for item in &clause.cases {
                    if let Some(list) = &item.cmd {
                        self.list(t, list);
                    }
                }
            }
            C::IfClause(clause) => {
                self.list(t, &clause.condition);
                self.list(t, &clause.then);
                for other in clause.elses.iter().flatten() {
                    if let Some(condition) = &other.condition {
                        self.list(t, condition);
                    }
                    self.list(t, &other.body);
                }
            }
            C::WhileClause(clause) | C::UntilClause(clause) => {
                self.list(t, &clause.0);
                self.list(t, &clause.1.list);
            }
            C::Coprocess(coprocess) => {
                self.command(t, &coprocess.body, &mut later);
                self.run(t, later);
            }
            C::Arithmetic(_) => {}
        }
    }

    fn test<'a>(&mut self, t: &Text, expr: &'a ast::ExtendedTestExpr, later: &mut Vec<Job<'a>>) {
        use ast::ExtendedTestExpr as E;
        match expr {
            E::And(a, b) | E::Or(a, b) => {
                self.test(t, a, later);
                self.test(t, b, later);
            }
            E::Not(a) | E::Parenthesized(a) => self.test(t, a, later),
            E::UnaryTest(_, w) => self.substitutions(t, w, later),
            E::BinaryTest(_, a, b) => {
                self.substitutions(t, a, later);
                self.substitutions(t, b, later);
            }
        }
    }

    fn redirect<'a>(&mut self, t: &Text, redirect: &'a ast::IoRedirect, later: &mut Vec<Job<'a>>) {
        match redirect {
            ast::IoRedirect::File(_, _, target) => match target {
                ast::IoFileRedirectTarget::Filename(w)
                | ast::IoFileRedirectTarget::Duplicate(w) => {
                    self.substitutions(t, w, later);
                }
                ast::IoFileRedirectTarget::ProcessSubstitution(_, subshell) => {
                    later.push(Job::List(&subshell.list));
                }
                ast::IoFileRedirectTarget::Fd(_) => {}
            },
            ast::IoRedirect::HereString(_, w) | ast::IoRedirect::OutputAndError(w, _) => {
                self.substitutions(t, w, later);
            }
            ast::IoRedirect::HereDocument(..) => {}
        }
    }

    /// The raw bytes of a word in the text.
    fn raw(&self, t: &Text, word: &ast::Word) -> Option<Range<usize>> {
        word.loc.as_ref().map(|loc| t.span(loc))
    }

    /// Queues the substitutions inside a word that is not an argument.
    fn substitutions(&mut self, t: &Text, word: &ast::Word, later: &mut Vec<Job<'_>>) {
        if let Some(raw) = self.raw(t, word) {
            let expanded = words::expand(&t.text[raw.clone()], &self.vars, false);
            self.queue_substitutions(t, raw.start, &expanded.substitutions, later);
        }
    }

    fn queue_substitutions(
        &self,
        t: &Text,
        base: usize,
        substitutions: &[words::Substitution],
        later: &mut Vec<Job<'_>>,
    ) {
        for sub in substitutions {
            let whole = base + sub.whole.start..base + sub.whole.end;
            if t.opaque
                .iter()
                .any(|o| o.start <= whole.start && whole.end <= o.end)
            {
                continue;
            }
            let body = base + sub.body.start..base + sub.body.end;
            let raw = &t.text[body.clone()];
            let (text, origin) = if sub.backquoted && raw.contains('\\') {
                let (text, inner) = words::unbackquote(raw);
                let origin = t.origin.compose(body.start, &inner);
                (text, origin)
            } else {
                (raw.to_owned(), t.origin.from(body.start))
            };
            later.push(Job::Text {
                text,
                origin,
                opaque: Vec::new(),
                report: true,
            });
        }
    }

    fn simple<'a>(&mut self, t: &Text, simple: &'a ast::SimpleCommand, later: &mut Vec<Job<'a>>) {
        let mut command = Command::default();
        // The raw range of each word of `command.words` that is a whole word as written.
        let mut raws: Vec<Option<Range<usize>>> = Vec::new();
        let mut prefix_assignments: Vec<(String, Option<String>)> = Vec::new();
        // Prefix: assignments and redirections.
        for item in simple.prefix.iter().flat_map(|p| p.0.iter()) {
            match item {
                ast::CommandPrefixOrSuffixItem::AssignmentWord(assignment, word) => {
                    let raw = self.raw(t, word).unwrap_or_else(|| t.span(&assignment.loc));
                    let expanded = words::expand(&t.text[raw.clone()], &self.vars, false);
                    self.queue_substitutions(t, raw.start, &expanded.substitutions, later);
                    let text = expanded.fields.concat();
                    if let Some((name, value)) = text.split_once('=') {
                        // `A+=x` appends to a value that may not be known.
                        let known = expanded.complete && !name.ends_with('+');
                        let name = name.trim_end_matches('+').to_owned();
                        prefix_assignments.push((name, known.then(|| value.to_owned())));
                    }
                    command.assignments.push(Word {
                        text,
                        range: t.origin.range(raw),
                    });
                }
                other => self.item(t, other, &mut command, &mut raws, later),
            }
        }
        if let Some(name) = &simple.word_or_name {
            self.word(t, name, false, &mut command, &mut raws, later);
        }
        for item in simple.suffix.iter().flat_map(|s| s.0.iter()) {
            self.item(t, item, &mut command, &mut raws, later);
        }
        self.track_variables(&command, prefix_assignments);
        self.nested(t, &command, &raws, later);
        for (derived, derived_raws) in exec_commands(&command, &raws) {
            later.push(Job::Command(derived, derived_raws));
        }
        // `RUN <<EOF` is a command of redirections only: nothing runs.
        if !(command.words.is_empty() && command.assignments.is_empty()) {
            command.nested = t.depth > 0 || self.inside > 0;
            self.out.push(command);
        }
    }

    fn item<'a>(
        &mut self,
        t: &Text,
        item: &'a ast::CommandPrefixOrSuffixItem,
        command: &mut Command,
        raws: &mut Vec<Option<Range<usize>>>,
        later: &mut Vec<Job<'a>>,
    ) {
        match item {
            ast::CommandPrefixOrSuffixItem::Word(word) => {
                self.word(t, word, false, command, raws, later);
            }
            ast::CommandPrefixOrSuffixItem::AssignmentWord(_, word) => {
                // `export A="x y"`: a declaration's argument is not split.
                self.word(t, word, true, command, raws, later);
            }
            ast::CommandPrefixOrSuffixItem::IoRedirect(redirect) => {
                self.redirect(t, redirect, later);
            }
            ast::CommandPrefixOrSuffixItem::ProcessSubstitution(_, subshell) => {
                later.push(Job::List(&subshell.list));
            }
        }
    }

    fn word(
        &mut self,
        t: &Text,
        word: &ast::Word,
        assignment: bool,
        command: &mut Command,
        raws: &mut Vec<Option<Range<usize>>>,
        later: &mut Vec<Job<'_>>,
    ) {
        let Some(raw) = self.raw(t, word) else {
            // No position: keep the text, at the end of the previous word.
            let at = command.words.last().map_or(0, |w| w.range.end);
            command.words.push(Word {
                text: word.value.clone(),
                range: at..at,
            });
            raws.push(None);
            return;
        };
        let expanded = words::expand(&t.text[raw.clone()], &self.vars, !assignment);
        self.queue_substitutions(t, raw.start, &expanded.substitutions, later);
        let range = t.origin.range(raw.clone());
        let whole = expanded.fields.len() == 1;
        for text in expanded.fields {
            command.words.push(Word {
                text,
                range: range.clone(),
            });
            raws.push(whole.then(|| raw.clone()));
        }
    }

    /// Assignments that outlive their command: `A=1` alone, `export A=1`, and what `unset`,
    /// `read` and friends make unknown.
    fn track_variables(&mut self, command: &Command, prefix: Vec<(String, Option<String>)>) {
        if command.words.is_empty() {
            for (name, value) in prefix {
                self.vars.set(&name, value);
            }
            return;
        }
        let Some(program) = command.words.first().map(|w| w.text.as_str()) else {
            return;
        };
        let args = &command.words[1..];
        match program {
            "export" | "readonly" | "declare" | "typeset" | "local" => {
                for arg in args {
                    if is_assignment(&arg.text) {
                        if let Some((name, value)) = arg.text.split_once('=') {
                            let known = !value.contains('$') && !value.contains('`');
                            self.vars.set(name, known.then(|| value.to_owned()));
                        }
                    }
                }
            }
            "unset" | "read" | "getopts" | "mapfile" | "readarray" => {
                for arg in args.iter().filter(|a| !a.text.starts_with('-')) {
                    self.vars.set(&arg.text, None);
                }
            }
            _ => {}
        }
    }

    /// `sh -c 'script'`: queues the script, mapped to where each of its bytes is written.
    fn nested(
        &mut self,
        t: &Text,
        command: &Command,
        raws: &[Option<Range<usize>>],
        later: &mut Vec<Job<'_>>,
    ) {
        let Some(body) = script_argument(command) else {
            return;
        };
        match raws.get(body).cloned().flatten() {
            Some(raw) => {
                let (text, inner, outer) = words::script_text(&t.text[raw.clone()]);
                later.push(Job::Text {
                    text,
                    origin: t.origin.compose(raw.start, &inner),
                    opaque: outer,
                    report: false,
                });
            }
            None => {
                // The script came from a variable: every word points at the argument.
                let word = &command.words[body];
                later.push(Job::Text {
                    text: word.text.clone(),
                    origin: Origin::Whole(word.range.clone()),
                    opaque: Vec::new(),
                    report: false,
                });
            }
        }
    }
}

/// `find … -exec cmd {} \;` (also `-execdir`, `-ok`, `-okdir`, and `+`): each command run,
/// as a command of its own.
fn exec_commands(
    command: &Command,
    raws: &[Option<Range<usize>>],
) -> Vec<(Command, Vec<Option<Range<usize>>>)> {
    let mut found = Vec::new();
    if command.program() != Some("find") {
        return found;
    }
    let words = &command.words;
    let mut at = 0;
    while let Some(offset) = words[at..]
        .iter()
        .position(|w| matches!(w.text.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir"))
    {
        let start = at + offset + 1;
        let mut end = start;
        while let Some(word) = words.get(end) {
            if word.text == ";" || (word.text == "+" && end > start && words[end - 1].text == "{}")
            {
                break;
            }
            end += 1;
        }
        if end > start {
            found.push((
                Command {
                    words: words[start..end].to_vec(),
                    ..Command::default()
                },
                raws.get(start..end).map(<[_]>::to_vec).unwrap_or_default(),
            ));
        }
        at = end;
    }
    found
}

/// What went wrong, in our words, and where (bytes of the text).
fn locate(t: &Text, failure: Failure) -> (String, Range<usize>) {
    let text = t.text;
    let at = |position: &SourcePosition| {
        let start = t.byte(position);
        let end = text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        start..end
    };
    let end = text.trim_end().len();
    let last = text[..end]
        .char_indices()
        .last()
        .map_or(0..0, |(i, c)| i..i + c.len_utf8());
    match failure {
        Failure::Tokens(error) => match error {
            TokenizerError::UnterminatedSingleQuote(p) => {
                ("this single quote is never closed".into(), at(&p))
            }
            TokenizerError::UnterminatedDoubleQuote(p) => {
                ("this double quote is never closed".into(), at(&p))
            }
            TokenizerError::UnterminatedAnsiCQuote(p) => {
                ("this `$'` quote is never closed".into(), at(&p))
            }
            TokenizerError::UnterminatedBackquote(p) => {
                ("this backquote is never closed".into(), at(&p))
            }
            TokenizerError::UnterminatedExtendedGlob(p) => {
                ("this pattern is never closed".into(), at(&p))
            }
            TokenizerError::UnterminatedEscapeSequence => (
                "the script ends with a backslash that escapes nothing".into(),
                last,
            ),
            TokenizerError::UnterminatedHereDocuments(tags, _) => {
                let tag = tags.split([',', ' ']).find(|s| !s.is_empty()).unwrap_or("");
                let opener = heredoc_opener(text, tag).unwrap_or(last);
                (
                    format!("the here-document is never ended by a line holding only `{tag}`"),
                    opener,
                )
            }
            TokenizerError::MissingHereTag(_) | TokenizerError::MissingHereTagForDocumentBody => (
                "a here-document `<<` is not followed by its delimiter word".into(),
                last,
            ),
            _ => match unclosed(text) {
                Some((start, opener)) => (
                    format!("this `{opener}` is never closed"),
                    start..start + opener.len(),
                ),
                None => ("the script ends in the middle of an expansion".into(), last),
            },
        },
        Failure::Parse(ParseError::ParsingNear(p), tokens) => {
            let start = t.byte(&p);
            let token = tokens
                .iter()
                .find(|tok| t.byte(&tok.location().start) == start);
            match token {
                Some(token) => {
                    let range = t.span(token.location());
                    let shown = token.to_str().trim();
                    let shown = if shown.is_empty() || shown == "\n" {
                        "end of line".to_owned()
                    } else {
                        format!("`{shown}`")
                    };
                    (format!("unexpected {shown} here"), range)
                }
                None => (
                    "the shell cannot read the script from here on".into(),
                    at(&p),
                ),
            }
        }
        Failure::Parse(ParseError::ParsingAtEndOfInput, tokens) => end_of_input(t, &tokens, last),
        Failure::Parse(ParseError::Tokenizing { inner, .. }, _) => {
            locate(t, Failure::Tokens(inner))
        }
    }
}

/// The script ended while something was still open: find what.
fn end_of_input(t: &Text, tokens: &[Token], last: Range<usize>) -> (String, Range<usize>) {
    let mut open: Vec<(&str, Range<usize>)> = Vec::new();
    let mut command_start = true;
    for token in tokens {
        match token {
            Token::Operator(op, loc) => {
                let op = op.as_str();
                if op == "(" {
                    open.push(("(", t.span(loc)));
                } else if op == ")" && open.last().is_some_and(|(o, _)| *o == "(") {
                    open.pop();
                }
                command_start = matches!(
                    op,
                    ";" | "&&" | "||" | "|" | "|&" | "&" | "\n" | "(" | ")" | ";;" | ";&" | ";;&"
                );
            }
            Token::Word(word, loc) => {
                if !command_start {
                    continue;
                }
                let range = t.span(loc);
                let closes = match word.as_str() {
                    "fi" => Some(&["if"][..]),
                    "done" => Some(&["for", "while", "until", "select"][..]),
                    "esac" => Some(&["case"][..]),
                    "}" => Some(&["{"][..]),
                    _ => None,
                };
                match (word.as_str(), closes) {
                    (_, Some(openers)) => match open.last() {
                        Some((o, _)) if openers.contains(o) => {
                            open.pop();
                        }
                        _ => {
                            return (format!("`{word}` has nothing open to close"), range);
                        }
                    },
                    (w @ ("if" | "case" | "for" | "while" | "until" | "select" | "{"), _) => {
                        open.push((w, range));
                    }
                    _ => {}
                }
                command_start = matches!(
                    word.as_str(),
                    "if" | "then"
                        | "else"
                        | "elif"
                        | "do"
                        | "while"
                        | "until"
                        | "{"
                        | "!"
                        | "fi"
                        | "done"
                        | "esac"
                        | "}"
                );
            }
        }
    }
    if let Some((opener, range)) = open.pop() {
        let closer = match opener {
            "if" => "fi",
            "case" => "esac",
            "{" => "}",
            "(" => ")",
            _ => "done",
        };
        return (format!("`{opener}` is never closed by `{closer}`"), range);
    }
    match tokens.iter().rev().find(|tok| tok.to_str().trim() != "") {
        Some(Token::Operator(op, loc)) if matches!(op.as_str(), "&&" | "||" | "|" | "|&") => {
            (format!("`{op}` is not followed by a command"), t.span(loc))
        }
        _ => ("the script ends in the middle of a command".into(), last),
    }
}

/// The `<<TAG` (any quoting, `<<-`) opening the here-document `tag`.
fn heredoc_opener(text: &str, tag: &str) -> Option<Range<usize>> {
    let mut from = 0;
    while let Some(i) = text[from..].find("<<").map(|i| from + i) {
        let rest = text[i + 2..].trim_start_matches('-').trim_start();
        let rest = rest.trim_start_matches(['\'', '"', '\\']);
        if !tag.is_empty() && rest.starts_with(tag) {
            return Some(i..i + 2);
        }
        from = i + 2;
    }
    None
}

/// The innermost `$(`, `${`, `$((`, `"`, `` ` `` or `'` still open at the end of `text`.
fn unclosed(text: &str) -> Option<(usize, &'static str)> {
    let bytes = text.as_bytes();
    let mut open: Vec<(usize, &'static str)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let in_double = open.last().is_some_and(|(_, o)| *o == "\"");
        match bytes[i] {
            b'\\' => i += 1,
            b'\'' if !in_double => match text[i + 1..].find('\'') {
                Some(e) => i += e + 1,
                None => return Some((i, "'")),
            },
            b'"' if in_double => {
                open.pop();
            }
            b'"' => open.push((i, "\"")),
            b'`' if open.last().is_some_and(|(_, o)| *o == "`") => {
                open.pop();
            }
            b'`' => open.push((i, "`")),
            b'$' if text[i..].starts_with("$((") => {
                open.push((i, "$(("));
                i += 2;
            }
            b'$' if text[i..].starts_with("$(") => {
                open.push((i, "$("));
                i += 1;
            }
            b'$' if text[i..].starts_with("${") => {
                open.push((i, "${"));
                i += 1;
            }
            b'(' if !in_double => open.push((i, "(")),
            b')' if !in_double => {
                if open.last().is_some_and(|(_, o)| *o == "$((") && text[i..].starts_with("))") {
                    i += 1;
                }
                if open
                    .last()
                    .is_some_and(|(_, o)| matches!(*o, "(" | "$(" | "$(("))
                {
                    open.pop();
                }
            }
            b'}' if open.last().is_some_and(|(_, o)| *o == "${") => {
                open.pop();
            }
            _ => {}
        }
        i += 1;
    }
    open.into_iter().rev().find(|(_, o)| *o != "(")
}
