//! The tokenizer used when a script does not parse: it splits the text into simple commands at
//! `&&`, `||`, `;`, `&`, `|`, newlines and parentheses, removes quotes, drops redirections and
//! keeps the byte range of every word, looking inside `sh -c '…'` too. It never fails, so the
//! command and flag rules still see the commands of a script the shell would reject.

use super::words::{backquote_end, double_quote_end, expand, matching, Vars};
use super::{is_assignment, script_argument, Command, Word};

/// Splits a script into commands, looking inside `sh -c '…'` (to a small depth).
pub(super) fn commands(script: &str) -> Vec<Command> {
    let mut out = Vec::new();
    collect(script, 0, 0, &mut out);
    out
}

const MAX_NESTING: usize = 3;

fn collect(script: &str, base: usize, depth: usize, out: &mut Vec<Command>) {
    for mut command in Tokenizer::new(script).run() {
        shift(&mut command, base);
        let nested = nested_script(&command, script, base);
        out.push(command);
        if depth < MAX_NESTING {
            if let Some((text, offset, exact)) = nested {
                let start = out.len();
                collect(&text, offset, depth + 1, out);
                if !exact {
                    // Escapes inside the quoted script make offsets approximate: point every
                    // nested word at the whole quoted argument instead.
                    let whole = offset..offset + text.len();
                    for cmd in &mut out[start..] {
                        for w in cmd.words.iter_mut().chain(cmd.assignments.iter_mut()) {
                            w.range = whole.clone();
                        }
                    }
                }
            }
        }
    }
}

fn shift(command: &mut Command, base: usize) {
    for w in command
        .words
        .iter_mut()
        .chain(command.assignments.iter_mut())
    {
        w.range = w.range.start + base..w.range.end + base;
    }
}

/// For `sh -c 'script'` (also `bash -ec`, `/bin/sh -c`), the script, where it starts, and
/// whether its text maps byte-for-byte onto the source.
fn nested_script(command: &Command, script: &str, base: usize) -> Option<(String, usize, bool)> {
    let body = command.words.get(script_argument(command)?)?;
    let raw = &script[body.range.start - base..body.range.end - base];
    let quoted = raw.len() >= 2
        && ((raw.starts_with('\'') && raw.ends_with('\''))
            || (raw.starts_with('"') && raw.ends_with('"')));
    let exact = quoted && raw[1..raw.len() - 1] == body.text;
    let offset = if quoted {
        body.range.start + 1
    } else {
        body.range.start
    };
    Some((body.text.clone(), offset, exact || raw == body.text))
}

struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    commands: Vec<Command>,
    current: Command,
    pending_redirect: bool,
}

impl<'a> Tokenizer<'a> {
    fn new(src: &'a str) -> Self {
        Tokenizer {
            src,
            pos: 0,
            commands: Vec::new(),
            current: Command::default(),
            pending_redirect: false,
        }
    }

    fn run(mut self) -> Vec<Command> {
        while self.pos < self.src.len() {
            let rest = &self.src[self.pos..];
            let c = rest.chars().next().unwrap_or(' ');
            match c {
                ' ' | '\t' | '\r' => self.pos += 1,
                '\\' if rest[1..].starts_with('\n') => self.pos += 2,
                '\n' | ';' | '(' | ')' => {
                    self.end_command(false);
                    self.pos += 1;
                }
                '&' if !rest.starts_with("&>") => {
                    self.end_command(false);
                    self.pos += if rest.starts_with("&&") { 2 } else { 1 };
                }
                '|' => {
                    if rest.starts_with("||") {
                        self.end_command(false);
                        self.pos += 2;
                    } else {
                        self.end_command(true);
                        self.pos += if rest.starts_with("|&") { 2 } else { 1 };
                    }
                }
                '#' => self.skip_comment(),
                _ if Self::redirection(rest).is_some() => {
                    let (len, takes_target) = Self::redirection(rest).unwrap_or((1, false));
                    self.pos += len;
                    self.pending_redirect = takes_target;
                }
                _ => self.word(),
            }
        }
        self.end_command(false);
        self.commands
    }

    /// A redirection operator at the start of `rest` (`2>&1`, `>>`, `<`, `&>`): its length and
    /// whether a target word follows it.
    fn redirection(rest: &str) -> Option<(usize, bool)> {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let after = &rest[digits..];
        let op = [
            "&>>", ">>", ">&", "<&", ">|", "<<<", "<<-", "<<", "<>", "&>", ">", "<",
        ]
        .iter()
        .find(|op| after.starts_with(**op))?;
        let len = digits + op.len();
        if op.ends_with('&') {
            // `>&2`, `2>&1`, `>&-`: the target is part of the operator.
            let target = after[op.len()..]
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'-')
                .count();
            if target > 0 {
                return Some((len + target, false));
            }
        }
        Some((len, true))
    }

    fn skip_comment(&mut self) {
        let end = self.src[self.pos..]
            .find('\n')
            .map_or(self.src.len(), |i| self.pos + i);
        self.pos = end;
    }

    /// One word: its end found with quotes and substitutions respected, its text as
    /// [`expand`] reads it (no variable values known).
    fn word(&mut self) {
        let start = self.pos;
        let bytes = self.src.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            self.pos = match b {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => {
                    break
                }
                // The escaped character is never a delimiter; a multi-byte one is skipped by
                // the bytes that follow, none of which is one either.
                b'\\' => self.pos + 2,
                b'\'' => self.src[self.pos + 1..]
                    .find('\'')
                    .map_or(self.src.len(), |i| self.pos + i + 2),
                b'"' => double_quote_end(self.src, self.pos),
                b'$' if bytes.get(self.pos + 1) == Some(&b'(') => {
                    matching(self.src, self.pos + 1, b'(', b')')
                }
                b'`' => backquote_end(self.src, self.pos),
                _ => self.pos + 1,
            }
            .min(self.src.len());
        }
        if self.pos == start {
            // Defensive: never loop without progress.
            self.pos += self.src[self.pos..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
            return;
        }
        let text = expand(&self.src[start..self.pos], &Vars::default(), false)
            .fields
            .concat();
        let word = Word {
            text,
            range: start..self.pos,
        };
        if self.pending_redirect {
            self.pending_redirect = false;
        } else if self.current.words.is_empty() && is_assignment(&word.text) {
            self.current.assignments.push(word);
        } else {
            self.current.words.push(word);
        }
    }

    fn end_command(&mut self, piped: bool) {
        self.pending_redirect = false;
        let previous_piped = self.commands.last().is_some_and(|c| c.pipes_into_next);
        if self.current.words.is_empty() && self.current.assignments.is_empty() {
            return;
        }
        let mut command = std::mem::take(&mut self.current);
        command.pipes_into_next = piped;
        command.piped_from_previous = previous_piped;
        self.commands.push(command);
    }
}
