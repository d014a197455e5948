//! A small POSIX shell tokenizer for the scripts inside `RUN`.
//!
//! It splits a script into simple commands (at `&&`, `||`, `;`, `&`, `|`, newlines and
//! parentheses), removes quotes, drops redirections and keeps the byte range of every word, so
//! command and flag rules can point at the exact word. It also looks inside `sh -c '…'`. It does
//! not evaluate anything; the shell-aware rule set (issue "complete Dockerfile rule set") will
//! swap in a full parser behind the same `Command` view.

use std::ops::Range;

/// One word of a command, quotes removed, with its byte range in the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub range: Range<usize>,
}

/// A simple command: leading `NAME=value` assignments, then the words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    pub assignments: Vec<Word>,
    pub words: Vec<Word>,
    /// This command's output is piped into the next command.
    pub pipes_into_next: bool,
    /// This command reads the previous command's output.
    pub piped_from_previous: bool,
}

/// Wrappers that run the command named after them.
const WRAPPERS: &[&str] = &[
    "sudo", "env", "exec", "nohup", "time", "command", "nice", "stdbuf", "gosu", "su-exec",
];

impl Command {
    /// The command name as written (first word), if any.
    pub fn head(&self) -> Option<&Word> {
        self.words.first()
    }

    /// The program actually run, looking through wrappers such as `sudo`, `env X=1`, `exec`:
    /// returns the index of its word in `words`.
    pub fn program_index(&self) -> Option<usize> {
        let mut index = 0;
        while let Some(word) = self.words.get(index) {
            let name = basename(&word.text);
            if !WRAPPERS.contains(&name) {
                return Some(index);
            }
            index += 1;
            // Skip the wrapper's own options and assignments (`env -i A=1`, `sudo -u app`).
            // `gosu`/`su-exec` take a user first.
            if matches!(name, "gosu" | "su-exec") {
                index += 1;
            }
            while let Some(next) = self.words.get(index) {
                let t = next.text.as_str();
                if t.starts_with('-') {
                    index += 1;
                    if matches!(name, "sudo")
                        && matches!(t, "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-U")
                    {
                        index += 1;
                    }
                } else if name == "env" && is_assignment(t) {
                    index += 1;
                } else {
                    break;
                }
            }
        }
        None
    }

    /// The basename of the program run (`apt-get` for `/usr/bin/apt-get`).
    pub fn program(&self) -> Option<&str> {
        self.program_index().map(|i| basename(&self.words[i].text))
    }

    /// The words after the program.
    pub fn args(&self) -> &[Word] {
        match self.program_index() {
            Some(i) => &self.words[i + 1..],
            None => &[],
        }
    }

    /// The first non-option argument after the program (`install` in `apt-get -y install x`).
    pub fn subcommand(&self) -> Option<&Word> {
        self.args().iter().find(|w| !w.text.starts_with('-'))
    }

    /// Whether any argument is the flag: a long name (`--insecure`, also `--insecure=x`) or a
    /// short letter, alone or bundled (`-k`, `-fsSLk`).
    pub fn flag(&self, short: Option<char>, long: Option<&str>) -> Option<&Word> {
        self.args()
            .iter()
            .find(|w| word_is_flag(&w.text, short, long))
    }

    /// The whole command (first to last word) as a range.
    pub fn range(&self) -> Range<usize> {
        let first = self.assignments.first().or(self.words.first());
        let last = self.words.last().or(self.assignments.last());
        match (first, last) {
            (Some(f), Some(l)) => f.range.start..l.range.end,
            _ => 0..0,
        }
    }
}

/// Whether `text` is the flag given by `short` or `long`.
pub fn word_is_flag(text: &str, short: Option<char>, long: Option<&str>) -> bool {
    if let Some(name) = text.strip_prefix("--") {
        let name = name.split('=').next().unwrap_or(name);
        return long == Some(name);
    }
    match (text.strip_prefix('-'), short) {
        (Some(letters), Some(c)) if !letters.is_empty() => {
            letters.chars().all(|l| l.is_ascii_alphanumeric()) && letters.contains(c)
        }
        _ => false,
    }
}

pub fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_assignment(text: &str) -> bool {
    match text.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// Splits a script into commands, looking inside `sh -c '…'` (to a small depth).
pub fn commands(script: &str) -> Vec<Command> {
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
    let program = command.program()?;
    if !is_shell(program) {
        return None;
    }
    let args = command.args();
    let c_flag = args.iter().position(|w| {
        w.text.starts_with('-') && !w.text.starts_with("--") && w.text.contains('c')
    })?;
    let body = args.get(c_flag + 1)?;
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

/// POSIX-like shells whose `-c` argument is a script.
pub fn is_shell(program: &str) -> bool {
    matches!(
        program,
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "busybox"
    )
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

    fn word(&mut self) {
        let start = self.pos;
        let mut text = String::new();
        let bytes = self.src.as_bytes();
        while self.pos < self.src.len() {
            let c = self.src[self.pos..].chars().next().unwrap_or(' ');
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' => break,
                '<' | '>' => break,
                '\\' => {
                    self.pos += 1;
                    if let Some(next) = self.src[self.pos..].chars().next() {
                        if next != '\n' {
                            text.push(next);
                        }
                        self.pos += next.len_utf8();
                    }
                }
                '\'' => {
                    let end = self.src[self.pos + 1..]
                        .find('\'')
                        .map(|i| self.pos + 1 + i);
                    let end = end.unwrap_or(self.src.len());
                    text.push_str(&self.src[self.pos + 1..end]);
                    self.pos = (end + 1).min(self.src.len());
                }
                '"' => {
                    self.pos += 1;
                    while self.pos < self.src.len() && bytes[self.pos] != b'"' {
                        let ch = self.src[self.pos..].chars().next().unwrap_or(' ');
                        if ch == '\\' {
                            if let Some(next) = self.src[self.pos + 1..].chars().next() {
                                if matches!(next, '"' | '\\' | '$' | '`') {
                                    text.push(next);
                                } else if next != '\n' {
                                    text.push('\\');
                                    text.push(next);
                                }
                                self.pos += 1 + next.len_utf8();
                                continue;
                            }
                        }
                        if ch == '$' && self.src[self.pos..].starts_with("$(") {
                            let end = self.balanced(self.pos + 1);
                            text.push_str(&self.src[self.pos..end]);
                            self.pos = end;
                            continue;
                        }
                        text.push(ch);
                        self.pos += ch.len_utf8();
                    }
                    self.pos = (self.pos + 1).min(self.src.len());
                }
                '$' if self.src[self.pos..].starts_with("$(") => {
                    let end = self.balanced(self.pos + 1);
                    text.push_str(&self.src[self.pos..end]);
                    self.pos = end;
                }
                '`' => {
                    let end = self.src[self.pos + 1..]
                        .find('`')
                        .map_or(self.src.len(), |i| self.pos + 2 + i);
                    text.push_str(&self.src[self.pos..end]);
                    self.pos = end;
                }
                _ => {
                    text.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        if self.pos == start {
            // Defensive: never loop without progress.
            self.pos += self.src[self.pos..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
            return;
        }
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

    /// End of a `(…)` group opened at `open` (which points at `(`), quotes respected.
    fn balanced(&self, open: usize) -> usize {
        let mut depth = 0usize;
        let mut quote: Option<u8> = None;
        let bytes = self.src.as_bytes();
        let mut i = open;
        while i < bytes.len() {
            let b = bytes[i];
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(b'"'), b'\\') => i += 1,
                (Some(_), _) => {}
                (None, b'\'' | b'"') => quote = Some(b),
                (None, b'\\') => i += 1,
                (None, b'(') => depth += 1,
                (None, b')') => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.src.len()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(script: &str) -> Vec<Vec<String>> {
        commands(script)
            .into_iter()
            .map(|c| c.words.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn splits_at_operators_and_removes_quotes() {
        assert_eq!(
            names("apt-get update && apt-get install -y 'a b' \"c\"; echo x|sh"),
            vec![
                vec!["apt-get", "update"],
                vec!["apt-get", "install", "-y", "a b", "c"],
                vec!["echo", "x"],
                vec!["sh"],
            ]
        );
    }

    #[test]
    fn word_ranges_point_into_the_script() {
        let script = "echo  hi && sudo rm -rf /x";
        let cmds = commands(script);
        let sudo = &cmds[1].words[0];
        assert_eq!(&script[sudo.range.clone()], "sudo");
    }

    #[test]
    fn pipes_are_recorded_on_both_sides() {
        let cmds = commands("curl -fsSL https://x | bash -s -- --flag");
        assert!(cmds[0].pipes_into_next && !cmds[0].piped_from_previous);
        assert!(cmds[1].piped_from_previous && !cmds[1].pipes_into_next);
        let cmds = commands("a || b");
        assert!(!cmds[0].pipes_into_next);
    }

    #[test]
    fn redirections_and_their_targets_are_not_words() {
        assert_eq!(
            names("echo hi > /tmp/x 2>&1 && cat <<EOF >> f"),
            vec![vec!["echo", "hi"], vec!["cat"]]
        );
    }

    #[test]
    fn leading_assignments_are_separated() {
        let cmds = commands("DEBIAN_FRONTEND=noninteractive apt-get install -y x");
        assert_eq!(
            cmds[0].assignments[0].text,
            "DEBIAN_FRONTEND=noninteractive"
        );
        assert_eq!(cmds[0].program(), Some("apt-get"));
    }

    #[test]
    fn program_looks_through_wrappers() {
        let cmds = commands("sudo -u app env -i A=1 /usr/bin/apt-get -y install curl");
        assert_eq!(cmds[0].program(), Some("apt-get"));
        assert_eq!(
            cmds[0].subcommand().map(|w| w.text.as_str()),
            Some("install")
        );
        assert_eq!(cmds[0].head().map(|w| w.text.as_str()), Some("sudo"));
    }

    #[test]
    fn flags_match_long_short_and_bundled_forms() {
        let cmds = commands("curl -fsSLk --retry=3 https://x");
        assert!(cmds[0].flag(Some('k'), Some("insecure")).is_some());
        assert!(cmds[0].flag(None, Some("retry")).is_some());
        assert!(cmds[0].flag(Some('x'), Some("proxy")).is_none());
    }

    #[test]
    fn looks_inside_sh_dash_c_with_exact_offsets() {
        let script = "sh -c 'sudo id && curl -k https://x'";
        let cmds = commands(script);
        let nested: Vec<_> = cmds.iter().filter_map(|c| c.program()).collect();
        assert_eq!(nested, vec!["sh", "id", "curl"]);
        let sudo = &cmds[1].words[0];
        assert_eq!(&script[sudo.range.clone()], "sudo");
    }

    #[test]
    fn command_substitution_stays_inside_its_word() {
        let cmds = commands(r#"sh -c "$(curl -fsSL https://x)""#);
        assert_eq!(cmds[0].words[2].text, "$(curl -fsSL https://x)");
    }

    #[test]
    fn comments_and_line_continuations_are_skipped() {
        assert_eq!(
            names("apt-get install \\\n  curl # trailing\n# whole line\necho"),
            vec![vec!["apt-get", "install", "curl"], vec!["echo"]]
        );
    }

    #[test]
    fn never_panics_on_ragged_input() {
        for s in [
            "'", "\"", "$(", "`", "\\", "a |", "2>&", "é'ü", "((((", "\"\\", "<<<",
        ] {
            let _ = commands(s);
        }
    }
}
