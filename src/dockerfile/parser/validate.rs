//! The checks BuildKit's `instructions` package makes once the parser has split a line: known
//! instructions, accepted flags (see `flag_rules`), argument counts and ONBUILD triggers.

use super::{flag_rules, heredoc, suggest};
use crate::dockerfile::ast::{Instruction, Keyword, ParseDiagnostic, ParseErrorKind, Span};

/// Appends every problem with `instr` (and its ONBUILD trigger) to `out`.
pub(super) fn check(instr: &Instruction, out: &mut Vec<ParseDiagnostic>) {
    let mut v = Validator { instr, out };
    v.run();
}

struct Validator<'a> {
    instr: &'a Instruction,
    out: &'a mut Vec<ParseDiagnostic>,
}

impl Validator<'_> {
    fn report(&mut self, kind: ParseErrorKind, message: String, span: Span) {
        self.out.push(ParseDiagnostic {
            kind,
            message,
            span,
        });
    }

    fn syntax(&mut self, message: String, span: Span) {
        self.report(ParseErrorKind::Syntax, message, span);
    }

    /// The keyword and all arguments: where "wrong number of arguments" points.
    fn args_span(&self) -> Span {
        self.instr
            .args
            .iter()
            .fold(self.instr.keyword_span, |acc, a| acc.cover(a.span))
    }

    fn run(&mut self) {
        let instr = self.instr;
        if instr.keyword == Keyword::Unknown {
            self.unknown_instruction();
            return;
        }
        // BuildKit never parses the flags of `HEALTHCHECK NONE`.
        let healthcheck_none = instr.keyword == Keyword::Healthcheck
            && instr
                .args
                .first()
                .is_some_and(|a| a.value.eq_ignore_ascii_case("none"));
        if !healthcheck_none {
            self.flags();
        }
        self.arguments();
        if let Some(inner) = &instr.onbuild {
            self.trigger(inner);
            check(inner, self.out);
        }
    }

    fn unknown_instruction(&mut self) {
        let instr = self.instr;
        let word = &instr.keyword_text;
        let names = Keyword::KNOWN.iter().map(|(name, _)| *name);
        let suggestion = suggest::closest(word, names, false);
        let mut message = if word.is_empty() {
            "empty instruction: only a line continuation".to_string()
        } else {
            format!("unknown instruction: {}", word.to_uppercase())
        };
        if let Some(s) = &suggestion {
            message.push_str(&format!(" (did you mean {s}?)"));
        }
        let span = if word.is_empty() {
            instr.span
        } else {
            instr.keyword_span
        };
        self.report(
            ParseErrorKind::UnknownInstruction { suggestion },
            message,
            span,
        );
    }

    fn flags(&mut self) {
        for (message, span) in flag_rules::problems(self.instr.keyword, &self.instr.flags) {
            self.report(ParseErrorKind::UnknownFlag, message, span);
        }
    }

    fn arguments(&mut self) {
        let instr = self.instr;
        let name = instr.keyword.as_str();
        let args = &instr.args;
        let n = args.len();
        match instr.keyword {
            Keyword::From => self.stage_args(),
            Keyword::Add | Keyword::Copy => {
                if n < 2 {
                    self.syntax(
                        format!(
                            "{name} requires at least two arguments, but only {} provided. \
                             Destination could not be determined.",
                            if n == 1 { "one was" } else { "none were" }
                        ),
                        self.args_span(),
                    );
                } else if is_heredoc_word(&args[n - 1].value) {
                    self.syntax(
                        format!("{name} cannot accept a heredoc as a destination"),
                        args[n - 1].span,
                    );
                }
            }
            Keyword::Env | Keyword::Label | Keyword::Arg => {
                if n == 0 {
                    self.syntax(
                        format!("{name} requires at least one argument"),
                        self.args_span(),
                    );
                }
                let step = if instr.keyword == Keyword::Arg { 1 } else { 3 };
                for key in args.iter().step_by(step) {
                    let blank = if step == 1 {
                        key.value.starts_with('=')
                    } else {
                        key.value.is_empty()
                    };
                    if blank {
                        self.syntax(format!("{name} names can not be blank"), key.span);
                    }
                }
            }
            Keyword::Expose | Keyword::Onbuild if n == 0 && instr.onbuild.is_none() => {
                self.syntax(
                    format!("{name} requires at least one argument"),
                    self.args_span(),
                );
            }
            Keyword::Volume => {
                if n == 0 {
                    self.syntax(
                        format!("{name} requires at least one argument"),
                        self.args_span(),
                    );
                }
                for arg in args.iter().filter(|a| a.value.trim().is_empty()) {
                    self.syntax(
                        "VOLUME specified can not be an empty string".into(),
                        arg.span,
                    );
                }
            }
            Keyword::Maintainer | Keyword::User | Keyword::Workdir | Keyword::Stopsignal
                if n != 1 =>
            {
                self.syntax(
                    format!("{name} requires exactly one argument"),
                    self.args_span(),
                );
            }
            Keyword::Shell => {
                if n == 0 {
                    self.syntax(
                        format!("{name} requires at least one argument"),
                        self.args_span(),
                    );
                } else if !instr.json_form {
                    self.syntax(
                        format!("{name} requires the arguments to be in JSON form"),
                        self.args_span(),
                    );
                }
            }
            Keyword::Healthcheck => self.healthcheck_args(),
            _ => {}
        }
    }

    fn stage_args(&mut self) {
        let args = &self.instr.args;
        match args.len() {
            1 => {}
            3 if args[1].value.eq_ignore_ascii_case("as") => {
                let name = args[2].value.to_lowercase();
                if !is_stage_name(&name) {
                    self.syntax(
                        format!(
                            "invalid name for build stage: {:?}, name can't start with a number \
                             or contain symbols",
                            args[2].value
                        ),
                        args[2].span,
                    );
                }
            }
            _ => self.syntax(
                "FROM requires either one or three arguments".into(),
                self.args_span(),
            ),
        }
    }

    fn healthcheck_args(&mut self) {
        let args = &self.instr.args;
        let Some(kind) = args.first() else {
            self.syntax(
                "HEALTHCHECK requires at least one argument".into(),
                self.args_span(),
            );
            return;
        };
        match kind.value.to_uppercase().as_str() {
            "NONE" if args.len() > 1 => self.syntax(
                "HEALTHCHECK NONE takes no arguments".into(),
                args[1].span.cover(args[args.len() - 1].span),
            ),
            "NONE" => {}
            "CMD" if args.len() == 1 => {
                self.syntax("Missing command after HEALTHCHECK CMD".into(), kind.span);
            }
            "CMD" => {}
            other => self.syntax(
                format!("Unknown type {other:?} in HEALTHCHECK (try CMD)"),
                kind.span,
            ),
        }
    }

    /// What BuildKit refuses as an ONBUILD trigger.
    fn trigger(&mut self, inner: &Instruction) {
        let message = match inner.keyword {
            Keyword::Onbuild => "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string(),
            Keyword::From | Keyword::Maintainer => format!(
                "{} isn't allowed as an ONBUILD trigger",
                inner.keyword.as_str()
            ),
            _ => return,
        };
        self.syntax(message, inner.keyword_span);
    }
}

fn is_heredoc_word(word: &str) -> bool {
    matches!(heredoc::parse_word(word), Ok(Some(_)))
}

/// `^[a-z][a-z0-9-_.]*$`
fn is_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}
