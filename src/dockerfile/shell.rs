//! The shell scripts inside `RUN`: every command the shell would run, with its words.
//!
//! Scripts are parsed with brush-parser (bash syntax, a superset of POSIX `sh`). The walk finds
//! commands wherever the shell runs them: lists and pipelines, subshells and `{ …; }`, `if`,
//! `for`, `while`, `until` and `case` bodies, functions, `$(…)` and backquotes, process
//! substitutions, `sh -c '…'`, `find … -exec cmd {} \;` and wrappers such as `sudo`, `env`,
//! `xargs` (see [`Command::program`]). Words have their quotes removed and known variables
//! expanded (`ARG`/`ENV` values and the script's own assignments: `deps="gcc make" && apt-get
//! install $deps` gives `apt-get` the two arguments `gcc` and `make`); unknown ones stay as
//! written. Every word keeps the byte range it was written at, also inside `sh -c '…'`, so
//! rules can point at it. A script the shell cannot parse yields its [`SyntaxError`] and the
//! commands of a simple tokenizer, so command and flag rules still run on it.

use std::ops::Range;

mod fallback;
mod parse;
mod words;

pub use words::Vars;

/// One word of a command, quotes removed and known variables expanded, with its byte range in
/// the script. The fields an unquoted expansion splits into (`$deps` → `gcc`, `make`) each
/// keep the range of the word that held it.
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
    /// Run from inside another command's argument (`sh -c '…'`, `$(…)`, backquotes,
    /// `find -exec`, `<(…)`), not by the script itself.
    pub nested: bool,
}

/// A wrapper that runs the command named after it, with the options that take a value.
struct Wrapper {
    name: &'static str,
    /// Options whose value is the next word (`sudo -u app`).
    valued: &'static [&'static str],
    /// Words after the options that come before the command (`gosu user`, `timeout 10`).
    positional: usize,
}

const fn wrapper(
    name: &'static str,
    valued: &'static [&'static str],
    positional: usize,
) -> Wrapper {
    Wrapper {
        name,
        valued,
        positional,
    }
}

/// Wrappers that run the command named after them.
const WRAPPERS: &[Wrapper] = &[
    wrapper(
        "sudo",
        &["-u", "-g", "-C", "-D", "-h", "-p", "-U", "-r", "-t"],
        0,
    ),
    wrapper("env", &["-u", "-C", "--unset", "--chdir"], 0),
    wrapper("exec", &["-a"], 0),
    wrapper("nohup", &[], 0),
    wrapper("time", &["-f", "-o", "--format", "--output"], 0),
    wrapper("command", &[], 0),
    wrapper("nice", &["-n", "--adjustment"], 0),
    wrapper(
        "stdbuf",
        &["-i", "-o", "-e", "--input", "--output", "--error"],
        0,
    ),
    wrapper("gosu", &[], 1),
    wrapper("su-exec", &[], 1),
    wrapper("timeout", &["-s", "-k", "--signal", "--kill-after"], 1),
    wrapper(
        "xargs",
        &[
            "-I",
            "-n",
            "-P",
            "-L",
            "-s",
            "-d",
            "-E",
            "-a",
            "--arg-file",
            "--delimiter",
            "--max-args",
            "--max-procs",
            "--max-lines",
            "--max-chars",
            "--eof",
        ],
        0,
    ),
];

impl Command {
    /// The command name as written (first word), if any.
    pub fn head(&self) -> Option<&Word> {
        self.words.first()
    }

    /// The program actually run, looking through wrappers such as `sudo -u app`, `env X=1`,
    /// `exec`, `nice -n 5`, `timeout 10`, `xargs -r -n1`: returns the index of its word in
    /// `words`. `command -v x` runs nothing but `command`.
    pub fn program_index(&self) -> Option<usize> {
        let mut index = 0;
        while let Some(word) = self.words.get(index) {
            let name = basename(&word.text);
            let Some(wrapper) = WRAPPERS.iter().find(|w| w.name == name) else {
                return Some(index);
            };
            if name == "command"
                && self
                    .words
                    .get(index + 1)
                    .is_some_and(|w| matches!(w.text.as_str(), "-v" | "-V"))
            {
                return Some(index);
            }
            index += 1;
            // Skip the wrapper's own options and assignments (`env -i A=1`, `sudo -u app`).
            while let Some(next) = self.words.get(index) {
                let t = next.text.as_str();
                if t == "--" {
                    index += 1;
                    break;
                }
                if t.starts_with('-') {
                    index += 1;
                    if wrapper.valued.contains(&t) {
                        index += 1;
                    }
                } else if name == "env" && is_assignment(t) {
                    index += 1;
                } else {
                    break;
                }
            }
            index += wrapper.positional;
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

pub(crate) fn is_assignment(text: &str) -> bool {
    match text.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// A script as the shell reads it.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// Every command the shell would run, in source order (commands found inside a word or
    /// argument come after the pipeline holding them).
    pub commands: Vec<Command>,
    /// Why the shell would refuse the script, if it would (the first problem).
    pub error: Option<SyntaxError>,
}

/// A syntax error in a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong, in a few words (`` `if` is never closed by `fi` ``).
    pub message: String,
    /// Where, as a byte range of the script.
    pub range: Range<usize>,
}

/// Parses a script, expanding the variables whose values `vars` knows.
pub fn parse(script: &str, vars: &Vars) -> Script {
    // CRLF files: the shell would see `then\r`; a blank keeps every offset where it was.
    let unix;
    let script = if script.contains("\r\n") {
        unix = script.replace("\r\n", " \n");
        unix.as_str()
    } else {
        script
    };
    let mut walker = parse::Walker::new(vars.clone());
    walker.script(script, &parse::Origin::Shift(0), &[], 0, true);
    Script {
        commands: walker.out,
        error: walker.error,
    }
}

/// Parses the shell-form line of an instruction whose here-documents were cut out of it:
/// `heredocs` are each body (lines with their newlines) and delimiter, in order. They are put
/// back after the line, as the shell gets them; ranges stay within the line.
pub fn parse_with_heredocs(line: &str, heredocs: &[(&str, &str)], vars: &Vars) -> Script {
    if heredocs.is_empty() {
        return parse(line, vars);
    }
    let mut text = String::with_capacity(line.len() + 64);
    text.push_str(line);
    for (body, delimiter) in heredocs {
        text.push('\n');
        text.push_str(body);
        if !body.is_empty() && !body.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(delimiter);
        text.push('\n');
    }
    let mut script = parse(&text, vars);
    let clamp = |r: &mut Range<usize>| {
        r.start = r.start.min(line.len());
        r.end = r.end.min(line.len()).max(r.start);
    };
    for command in &mut script.commands {
        for w in command
            .words
            .iter_mut()
            .chain(command.assignments.iter_mut())
        {
            clamp(&mut w.range);
        }
    }
    if let Some(error) = &mut script.error {
        if error.range.start >= line.len() {
            // Inside a body: point at the end of the line that opened it.
            error.range = line.len().saturating_sub(1)..line.len();
        } else {
            clamp(&mut error.range);
        }
    }
    script
}

/// Splits a script into commands (no variable values known).
pub fn commands(script: &str) -> Vec<Command> {
    parse(script, &Vars::default()).commands
}

/// For a shell run with `-c` (`sh -c`, `bash -o pipefail -c`, `busybox sh -c`), the index in
/// `words` of the script argument.
pub fn script_argument(command: &Command) -> Option<usize> {
    let program = command.program_index()?;
    let name = basename(&command.words[program].text);
    if !is_shell(name) {
        return None;
    }
    let mut index = program + 1;
    if name == "busybox" && command.words.get(index).is_some_and(|w| is_shell(&w.text)) {
        index += 1;
    }
    let mut seen_c = false;
    while let Some(word) = command.words.get(index) {
        let text = word.text.as_str();
        if text.starts_with("--") {
            // `--`, `--login`, `--norc`.
            index += 1;
        } else if (text.starts_with('-') || text.starts_with('+')) && text.len() > 1 {
            seen_c |= text.contains('c');
            index += if matches!(text, "-o" | "+o" | "-O" | "+O") {
                2
            } else {
                1
            };
        } else {
            return seen_c.then_some(index);
        }
    }
    None
}

/// POSIX-like shells whose `-c` argument is a script.
pub fn is_shell(program: &str) -> bool {
    matches!(
        program,
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "busybox"
    )
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
    fn commands_inside_arguments_are_marked_nested() {
        let nested: Vec<(String, bool)> =
            commands("a && sh -c 'b; c' && echo $(d) && find . -exec e {} \\;")
                .into_iter()
                .map(|c| (c.words[0].text.clone(), c.nested))
                .collect();
        let expect = |n: &str, v: bool| (n.to_owned(), v);
        for item in [
            expect("a", false),
            expect("sh", false),
            expect("b", true),
            expect("c", true),
            expect("echo", false),
            expect("d", true),
            expect("find", false),
            expect("e", true),
        ] {
            assert!(nested.contains(&item), "{item:?} in {nested:?}");
        }
        assert_eq!(nested.len(), 8, "{nested:?}");
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

    fn programs(script: &str) -> Vec<String> {
        commands(script)
            .iter()
            .filter_map(|c| c.program().map(str::to_owned))
            .collect()
    }

    #[test]
    fn commands_are_found_in_every_construct() {
        assert_eq!(
            programs("(a && b) || { c; d & } ; ! e | f"),
            ["a", "b", "c", "d", "e", "f"]
        );
        assert_eq!(
            programs("if a; then b; elif c; then d; else e; fi"),
            ["a", "b", "c", "d", "e"]
        );
        assert_eq!(
            programs("for x in 1 2; do a $x; done; while b; do c; done; until d; do e; done"),
            ["a", "b", "c", "d", "e"]
        );
        assert_eq!(
            programs("case \"$x\" in a|b) c ;; *) d ;; esac"),
            ["c", "d"]
        );
        assert_eq!(
            programs("f() { a; b; }; function g { c; }"),
            ["a", "b", "c"]
        );
        assert_eq!(programs("[[ -n \"$(a)\" ]] && b"), ["a", "b"]);
        assert_eq!(
            programs("bash <(curl -s x) > >(tee log)"),
            ["bash", "curl", "tee"]
        );
        assert_eq!(programs("time a -x"), ["a"]);
    }

    #[test]
    fn substitutions_run_after_their_pipeline() {
        let cmds = commands("echo \"$(curl -fsSL https://x | sh)\" `id -u` | tee log");
        let names: Vec<_> = cmds.iter().filter_map(Command::program).collect();
        assert_eq!(names, ["echo", "tee", "curl", "sh", "id"]);
        // The substitution stays in its word, as written.
        assert_eq!(cmds[0].words[1].text, "$(curl -fsSL https://x | sh)");
        assert!(cmds[0].pipes_into_next && cmds[1].piped_from_previous);
        assert!(cmds[2].pipes_into_next && cmds[3].piped_from_previous);
        let script = "x=$(a b) && echo `c \\`d\\``";
        let cmds = commands(script);
        let c = cmds
            .iter()
            .find(|c| c.program() == Some("c"))
            .map(|c| &c.words[1]);
        assert_eq!(c.map(|w| w.text.as_str()), Some("`d`"));
        assert_eq!(c.map(|w| &script[w.range.clone()]), Some("\\`d\\`"));
        // `x=$(a b)` is a pipeline of its own, so `a b` comes before `echo`.
        assert_eq!(
            names_of(&cmds),
            [
                vec![],
                vec!["a", "b"],
                vec!["echo", "`c \\`d\\``"],
                vec!["c", "`d`"],
                vec!["d"]
            ]
        );
    }

    fn names_of(cmds: &[Command]) -> Vec<Vec<&str>> {
        cmds.iter()
            .map(|c| c.words.iter().map(|w| w.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn wrappers_xargs_and_find_exec_run_commands() {
        assert_eq!(
            programs("nice -n 10 timeout -s KILL 5m env -u X A=1 make"),
            ["make"]
        );
        assert_eq!(programs("ls | xargs -r -n 1 -I {} rm -f {}"), ["ls", "rm"]);
        assert_eq!(programs("command -v curl"), ["command"]);
        let script = "find / -xdev -perm /6000 -type f -exec chmod a-s {} \\; -o -execdir sh -c 'rm \"$1\"' _ {} +";
        let cmds = commands(script);
        assert_eq!(
            names_of(&cmds),
            [
                names_of(&cmds[..1])[0].clone(),
                vec!["chmod", "a-s", "{}"],
                vec!["sh", "-c", "rm \"$1\"", "_", "{}"],
                vec!["rm", "$1"],
            ]
        );
        let chmod = &cmds[1].words[0];
        assert_eq!(&script[chmod.range.clone()], "chmod");
        let rm = &cmds[3].words[0];
        assert_eq!(&script[rm.range.clone()], "rm");
    }

    #[test]
    fn sh_dash_c_words_map_to_their_real_columns() {
        let script = r#"bash -o pipefail -ec "apt-get install -y \"a b\" && sudo id""#;
        let cmds = commands(script);
        // `sudo` is looked through: the program is `id`.
        assert_eq!(programs(script), ["bash", "apt-get", "id"]);
        let ab = &cmds[1].words[3];
        assert_eq!(ab.text, "a b");
        assert_eq!(&script[ab.range.clone()], r#"\"a b\""#);
        let sudo = &cmds[2].words[0];
        assert_eq!(&script[sudo.range.clone()], "sudo");
        // `sh -c "$(curl …)"`: the outer shell runs the download, once.
        // (The inner shell's command is the download's output, as written.)
        let cmds = commands(r#"sh -c "$(curl -fsSL https://x)""#);
        assert_eq!(
            names_of(&cmds),
            [
                vec!["sh", "-c", "$(curl -fsSL https://x)"],
                vec!["curl", "-fsSL", "https://x"],
                vec!["$(curl -fsSL https://x)"],
            ]
        );
        let inner = programs("sh -c '$(curl -fsSL https://x)'");
        assert_eq!(
            inner.iter().filter(|p| *p == "curl").count(),
            1,
            "{inner:?}"
        );
        assert_eq!(programs("busybox sh -c 'a; b'"), ["busybox", "a", "b"]);
        assert_eq!(programs("sh script.sh -c x"), ["sh"]);
    }

    #[test]
    fn known_variables_expand_into_separate_arguments() {
        let script =
            r#"buildDeps="gcc make" && apt-get install -y $buildDeps "$buildDeps" ${V:-1} $HOME"#;
        let cmds = parse(script, &Vars::new([("V".to_owned(), Some("2".to_owned()))])).commands;
        let args = names_of(&cmds)[1].clone();
        assert_eq!(
            args,
            ["apt-get", "install", "-y", "gcc", "make", "gcc make", "2", "$HOME"]
        );
        let gcc = &cmds[1].words[3];
        assert_eq!(&script[gcc.range.clone()], "$buildDeps");
        assert_eq!(cmds[1].words[4].range, gcc.range);
        // Unknown values (command output, unset names, ONBUILD) stay as written.
        let cmds = commands("v=$(cat f); export W=1; apt-get install $v $W ${X}");
        assert_eq!(
            names_of(&cmds)[3],
            ["apt-get", "install", "$v", "1", "${X}"]
        );
        // `X=1 cmd` sets X for cmd only; a for variable is unknown.
        let cmds = commands("X=1 a $X; for X in 1; do b $X; done");
        assert_eq!(names_of(&cmds)[0], ["a", "$X"]);
        assert_eq!(names_of(&cmds)[1], ["b", "$X"]);
        assert_eq!(cmds[0].assignments[0].text, "X=1");
    }

    #[test]
    fn words_keep_their_ranges_across_continuations_and_unicode() {
        let script = "apt-get install \\\n    curl \\\n    \"é x\" && echo ü";
        let cmds = commands(script);
        let curl = &cmds[0].words[2];
        assert_eq!(&script[curl.range.clone()], "curl");
        let quoted = &cmds[0].words[3];
        assert_eq!(
            (quoted.text.as_str(), &script[quoted.range.clone()]),
            ("é x", "\"é x\"")
        );
        let u = &cmds[1].words[1];
        assert_eq!(&script[u.range.clone()], "ü");
    }

    #[test]
    fn syntax_errors_are_located_and_the_tokenizer_takes_over() {
        let script = parse("make && if true; then echo\n", &Vars::default());
        let error = script.error.expect("an error");
        assert_eq!(error.range, 8..10);
        assert!(error.message.contains("`if`"), "{}", error.message);
        assert_eq!(
            names_of(&script.commands),
            [vec!["make"], vec!["if", "true"], vec!["then", "echo"]]
        );
        for (text, at) in [
            ("echo \"abc", 5..6),
            ("echo ${x", 5..7),
            ("a |", 2..3),
            ("fi", 0..2),
            ("echo )", 5..6),
            ("cat <<EOF\nbody\n", 4..6),
        ] {
            let error = parse(text, &Vars::default()).error;
            assert_eq!(error.map(|e| e.range), Some(at), "{text}");
        }
        assert!(parse("echo ok; a && b || c &", &Vars::default())
            .error
            .is_none());
        // CRLF line endings are not part of the words.
        let script = parse("if a; then\r\n  sudo b\r\nfi\r\n", &Vars::default());
        assert!(script.error.is_none(), "{:?}", script.error);
        assert_eq!(names_of(&script.commands), [vec!["a"], vec!["sudo", "b"]]);
    }

    #[test]
    fn the_tokenizer_reads_sh_dash_c_scripts_as_the_parser_does() {
        // The trailing `(` never closes, so the tokenizer reads these scripts.
        let programs = |script: &str| {
            let script = parse(script, &Vars::default());
            assert!(script.error.is_some());
            script
                .commands
                .iter()
                .filter_map(|c| c.program().map(str::to_owned))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            programs("bash -o pipefail -c 'curl x | sh' && ("),
            ["bash", "curl", "sh"]
        );
        // `-c` after the script file is the script's own argument.
        assert_eq!(programs("sh script.sh -c 'curl x' && ("), ["sh"]);
        // Quotes and escapes are removed as the parser's words have them.
        let script = parse(r#"echo 'a b' "c\"d" $'e\tf' g\ h && ("#, &Vars::default());
        assert_eq!(
            names_of(&script.commands),
            [vec!["echo", "a b", "c\"d", "e\tf", "g h"]]
        );
        // A substitution holding backquotes and parentheses stays one word.
        let script = parse("echo \"$(a `b)` (c))\" && (", &Vars::default());
        assert_eq!(names_of(&script.commands), [vec!["echo", "$(a `b)` (c))"]]);
    }

    #[test]
    fn heredocs_are_put_back_for_the_line() {
        let line = "cat <<EOF > /x && <<-'B' sh && echo done";
        let script =
            parse_with_heredocs(line, &[("a $(b\n", "EOF"), ("c\n", "B")], &Vars::default());
        assert!(script.error.is_none(), "{:?}", script.error);
        assert_eq!(
            script
                .commands
                .iter()
                .filter_map(Command::program)
                .collect::<Vec<_>>(),
            ["cat", "sh", "echo"]
        );
        let script = parse_with_heredocs("cat <<EOF && (", &[("x\n", "EOF")], &Vars::default());
        assert_eq!(script.error.map(|e| e.range), Some(13..14));
    }
}
