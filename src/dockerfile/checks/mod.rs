//! The Dockerfile checks: one file per rule, each a `check(&mut Context)` with its tests.
//!
//! A check reads the parsed file through [`Context`] (stages, scopes, RUN scripts with spans)
//! and reports findings with exact spans; it never decides severity or suppression — that is
//! the policy layer's job.

use std::path::Path;
use std::rc::Rc;

use super::ast::{Dockerfile, Instruction, Keyword, Span};
use super::shell::{self, Command};
use super::stages::{arg_declarations, env_pairs, Build};
use crate::finding::{Finding, Location};
use crate::reference::Reference;
use crate::rules::{self, Rule};
use crate::source::LineIndex;

mod add_instead_of_copy;
mod base_image_unpinned;
mod chmod_setuid;
mod maintainer_deprecated;
mod missing_healthcheck;
mod package_cache_left;
mod package_managers;
mod parse_problems;
mod pipe_to_shell;
mod root_user;
mod secret_in_arg_env;
mod sudo_usage;
mod tls_verification_disabled;
mod untrusted_registry;
mod update_without_install;
mod workdir_relative;

/// A check and the rules it can report.
pub struct Check {
    pub rules: &'static [&'static Rule],
    pub run: fn(&mut Context),
}

/// Every Dockerfile check. `unused-suppression` is reported by the policy layer, not here.
pub static CHECKS: &[Check] = &[
    Check {
        rules: &[
            &rules::SYNTAX_ERROR,
            &rules::INVALID_INSTRUCTION,
            &rules::UNKNOWN_FLAG,
            &rules::EMPTY_CONTINUATION,
        ],
        run: parse_problems::check,
    },
    Check {
        rules: &[&rules::ROOT_USER],
        run: root_user::check,
    },
    Check {
        rules: &[&rules::SUDO_USAGE],
        run: sudo_usage::check,
    },
    Check {
        rules: &[&rules::CHMOD_SETUID],
        run: chmod_setuid::check,
    },
    Check {
        rules: &[
            &rules::SECRET_NAME_IN_ARG_ENV,
            &rules::SECRET_VALUE_IN_ARG_ENV,
        ],
        run: secret_in_arg_env::check,
    },
    Check {
        rules: &[&rules::BASE_IMAGE_UNPINNED],
        run: base_image_unpinned::check,
    },
    Check {
        rules: &[&rules::UNTRUSTED_REGISTRY],
        run: untrusted_registry::check,
    },
    Check {
        rules: &[&rules::TLS_VERIFICATION_DISABLED],
        run: tls_verification_disabled::check,
    },
    Check {
        rules: &[&rules::PIPE_TO_SHELL],
        run: pipe_to_shell::check,
    },
    Check {
        rules: &[&rules::ADD_INSTEAD_OF_COPY],
        run: add_instead_of_copy::check,
    },
    Check {
        rules: &[&rules::MISSING_HEALTHCHECK],
        run: missing_healthcheck::check,
    },
    Check {
        rules: &[&rules::UPDATE_WITHOUT_INSTALL],
        run: update_without_install::check,
    },
    Check {
        rules: &[&rules::PACKAGE_CACHE_LEFT],
        run: package_cache_left::check,
    },
    Check {
        rules: &[&rules::WORKDIR_RELATIVE],
        run: workdir_relative::check,
    },
    Check {
        rules: &[&rules::MAINTAINER_DEPRECATED],
        run: maintainer_deprecated::check,
    },
];

/// Settings checks read; filled from the resolved configuration.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Registries base images may come from (empty: any).
    pub trusted_registries: Vec<String>,
    /// Base images must be pinned by digest.
    pub require_digest: bool,
}

/// What a check sees, and where it reports.
pub struct Context<'a> {
    pub file: &'a Dockerfile,
    pub build: &'a Build<'a>,
    pub options: &'a Options,
    path: &'a Path,
    index: LineIndex<'a>,
    runs: Rc<[Vec<RunScript<'a>>]>,
    findings: Vec<Finding>,
}

impl<'a> Context<'a> {
    pub fn new(
        file: &'a Dockerfile,
        build: &'a Build<'a>,
        options: &'a Options,
        path: &'a Path,
    ) -> Self {
        Context {
            file,
            build,
            options,
            path,
            index: LineIndex::new(&file.source),
            runs: effective_instructions(file)
                .filter(|(_, i, _)| i.keyword == Keyword::Run)
                .map(|(n, i, onbuild)| RunScript::of(file, n, i, onbuild))
                .collect(),
            findings: Vec::new(),
        }
    }

    /// Reports a finding at `span`; returns it so the check can name the upstream ids that
    /// apply (`.aliases = …`).
    pub fn report(
        &mut self,
        rule: &'static Rule,
        message: impl Into<String>,
        span: Span,
    ) -> &mut Finding {
        let location = Location {
            path: self.path.to_path_buf(),
            region: Some(self.index.region(span)),
        };
        self.findings.push(Finding::new(rule, message, location));
        self.findings.last_mut().expect("just pushed")
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    /// Every instruction with its index, `ONBUILD` ones unwrapped (flagged by `onbuild`).
    pub fn instructions(&self) -> impl Iterator<Item = (usize, &'a Instruction, bool)> + 'a {
        effective_instructions(self.file)
    }

    /// The base image of every stage built from an image (not `scratch`, not an earlier
    /// stage), when it is known statically.
    pub fn external_bases(&self) -> Vec<BaseImage> {
        self.build
            .stages
            .iter()
            .filter(|stage| stage.parent.is_none())
            .filter_map(|stage| {
                let text = stage.base.clone()?;
                if text.eq_ignore_ascii_case("scratch") {
                    return None;
                }
                let reference = Reference::parse(&text)?;
                let from = &self.file.instructions[stage.from];
                let span = from.args.first().map_or(from.keyword_span, |a| a.span);
                Some(BaseImage {
                    span,
                    text,
                    reference,
                })
            })
            .collect()
    }

    /// Every variable that `ARG` and `ENV` instructions declare, with spans of name and value.
    pub fn assignments(&self) -> Vec<Assignment> {
        let mut out = Vec::new();
        for (_, instruction, _) in self.instructions() {
            match instruction.keyword {
                Keyword::Env => {
                    let spans = instruction.args.chunks(3).filter(|c| c.len() >= 2);
                    for ((name, value), args) in env_pairs(instruction).into_iter().zip(spans) {
                        out.push(Assignment {
                            keyword: Keyword::Env,
                            name,
                            value: Some(value),
                            name_span: args[0].span,
                            value_span: args[1].span,
                        });
                    }
                }
                Keyword::Arg => {
                    for ((name, value), arg) in arg_declarations(instruction)
                        .into_iter()
                        .zip(&instruction.args)
                    {
                        // `NAME=default`: the name is the text before the first `=`.
                        let split = (arg.span.start + name.len()).min(arg.span.end);
                        out.push(Assignment {
                            keyword: Keyword::Arg,
                            name,
                            value,
                            name_span: Span::new(arg.span.start, split),
                            value_span: Span::new((split + 1).min(arg.span.end), arg.span.end),
                        });
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The shell scripts of every `RUN` (and `ONBUILD RUN`), with their commands.
    pub fn run_scripts(&self) -> impl Iterator<Item = &RunScript<'a>> {
        self.runs.iter().flatten()
    }

    /// The scripts of each `RUN`, grouped by instruction: one group is one layer. Tokenized
    /// once per file, shared by every check.
    pub fn runs(&self) -> Rc<[Vec<RunScript<'a>>]> {
        Rc::clone(&self.runs)
    }
}

/// Every instruction with its index, `ONBUILD` ones unwrapped (flagged by the `bool`).
fn effective_instructions(file: &Dockerfile) -> impl Iterator<Item = (usize, &Instruction, bool)> {
    file.instructions
        .iter()
        .enumerate()
        .map(|(n, i)| match &i.onbuild {
            Some(inner) => (n, inner.as_ref(), true),
            None => (n, i, false),
        })
}

/// A stage's base image.
pub struct BaseImage {
    /// The image word of the `FROM`.
    pub span: Span,
    /// The reference with build arguments expanded.
    pub text: String,
    pub reference: Reference,
}

/// One variable declared by `ARG` or `ENV`; `value` is as written (quotes kept), `None` for
/// an `ARG` without default.
pub struct Assignment {
    pub keyword: Keyword,
    pub name: String,
    pub value: Option<String>,
    pub name_span: Span,
    pub value_span: Span,
}

/// One shell script of a `RUN`: its shell-form line, or a heredoc body run as a script.
pub struct RunScript<'a> {
    /// Index of the instruction in the file (of the `ONBUILD` for wrapped ones).
    pub index: usize,
    pub instruction: &'a Instruction,
    pub onbuild: bool,
    pub commands: Vec<Command>,
    origin: ScriptOrigin,
}

enum ScriptOrigin {
    /// Offsets are relative to this logical offset of the instruction line.
    Line(usize),
    /// Offsets are relative to this source byte (heredoc bodies are verbatim source).
    Source(usize),
    /// Exec form: every word is one argument; offsets index into `args`.
    Exec,
}

impl<'a> RunScript<'a> {
    fn of(
        file: &'a Dockerfile,
        index: usize,
        instruction: &'a Instruction,
        onbuild: bool,
    ) -> Vec<Self> {
        let mut scripts = Vec::new();
        if instruction.json_form {
            let words = instruction
                .args
                .iter()
                .enumerate()
                .map(|(n, a)| shell::Word {
                    text: a.value.clone(),
                    range: n..n + 1,
                })
                .collect();
            let mut commands = vec![Command {
                words,
                ..Command::default()
            }];
            // `["sh", "-c", "script"]` is a script after all.
            if commands[0].program().is_some_and(shell::is_shell)
                && instruction.args.len() == 3
                && instruction.args[1].value.starts_with('-')
                && instruction.args[1].value.contains('c')
            {
                commands = shell::commands(&instruction.args[2].value);
                for command in &mut commands {
                    for w in command
                        .words
                        .iter_mut()
                        .chain(command.assignments.iter_mut())
                    {
                        w.range = 2..3;
                    }
                }
            }
            scripts.push(RunScript {
                index,
                instruction,
                onbuild,
                commands,
                origin: ScriptOrigin::Exec,
            });
            return scripts;
        }
        let rest = instruction.rest.clone();
        let line_commands = shell::commands(instruction.rest());
        let stdin_is_script = heredoc_is_script(&line_commands);
        scripts.push(RunScript {
            index,
            instruction,
            onbuild,
            commands: line_commands,
            origin: ScriptOrigin::Line(rest.start),
        });
        for (n, heredoc) in instruction.heredocs.iter().enumerate() {
            let fed_to_shell = n == 0 && heredoc.fd.is_none_or(|fd| fd == 0) && stdin_is_script;
            if !fed_to_shell || has_foreign_shebang(&heredoc.content) {
                continue;
            }
            let body = &file.source[heredoc.body_span.start..heredoc.body_span.end];
            scripts.push(RunScript {
                index,
                instruction,
                onbuild,
                commands: shell::commands(body),
                origin: ScriptOrigin::Source(heredoc.body_span.start),
            });
        }
        scripts
    }

    /// The source span of a word (or any range) of this script.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        match self.origin {
            ScriptOrigin::Line(base) => self
                .instruction
                .line
                .span(base + range.start..base + range.end),
            ScriptOrigin::Source(base) => Span::new(base + range.start, base + range.end),
            ScriptOrigin::Exec => {
                let args = &self.instruction.args;
                match (args.get(range.start), args.get(range.end.saturating_sub(1))) {
                    (Some(first), Some(last)) => first.span.cover(last.span),
                    _ => self.instruction.span,
                }
            }
        }
    }

    /// The `--mount` flags of this RUN that keep a directory out of the layer
    /// (`type=cache` or `type=tmpfs`), as their target paths.
    pub fn cache_mount_targets(&self) -> Vec<String> {
        self.instruction
            .flags
            .iter()
            .filter(|f| f.name == "mount")
            .filter_map(|f| f.value.as_deref())
            .filter_map(|value| {
                let mut kind = None;
                let mut target = None;
                for field in value.split(',') {
                    let (key, val) = field.split_once('=').unwrap_or((field, ""));
                    match key.trim() {
                        "type" => kind = Some(val.trim().to_owned()),
                        "target" | "dst" | "destination" => target = Some(val.trim().to_owned()),
                        _ => {}
                    }
                }
                matches!(kind.as_deref(), Some("cache" | "tmpfs")).then_some(target?)
            })
            .collect()
    }
}

/// Whether the stdin heredoc of `RUN <cmd> <<EOF` is a shell script: the line runs nothing but
/// a shell (`RUN <<EOF`, `RUN bash <<EOF`, `RUN sh -e <<EOF`).
fn heredoc_is_script(line_commands: &[Command]) -> bool {
    match line_commands {
        [] => true,
        [only] => {
            only.program().is_some_and(shell::is_shell)
                && only.args().iter().all(|w| w.text.starts_with('-'))
        }
        _ => false,
    }
}

/// A heredoc whose first line is a `#!` naming something other than a POSIX-like shell.
fn has_foreign_shebang(content: &str) -> bool {
    let Some(shebang) = content.lines().next().and_then(|l| l.strip_prefix("#!")) else {
        return false;
    };
    let mut words = shebang.split_whitespace();
    let mut program = words.next().map(shell::basename).unwrap_or_default();
    if program == "env" {
        program = words
            .find(|w| !w.starts_with('-'))
            .map(shell::basename)
            .unwrap_or_default();
    }
    !shell::is_shell(program)
}

/// Runs every check on a parsed file.
pub fn run_all(
    file: &Dockerfile,
    build: &Build<'_>,
    options: &Options,
    path: &Path,
    enabled: impl Fn(&Rule) -> bool,
) -> Vec<Finding> {
    let mut context = Context::new(file, build, options, path);
    for check in CHECKS {
        if check.rules.iter().any(|r| enabled(r)) {
            (check.run)(&mut context);
        }
    }
    let mut findings = context.into_findings();
    findings.retain(|f| enabled(f.rule));
    findings
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the checks' own tests.
    use super::*;
    use std::collections::BTreeMap;

    /// Lints `source` with default options and returns the findings of `rule`.
    pub fn findings(rule: &Rule, source: &str) -> Vec<Finding> {
        findings_with(rule, source, &Options::default())
    }

    pub fn findings_with(rule: &Rule, source: &str, options: &Options) -> Vec<Finding> {
        let file = crate::dockerfile::parse(source);
        let args = BTreeMap::new();
        let build = Build::new(&file, &args);
        run_all(&file, &build, options, Path::new("Dockerfile"), |_| true)
            .into_iter()
            .filter(|f| f.rule.code == rule.code)
            .collect()
    }

    /// `(line, column)` of each finding's start.
    pub fn positions(rule: &Rule, source: &str) -> Vec<(u32, u32)> {
        findings(rule, source)
            .iter()
            .filter_map(|f| f.location.region.map(|r| (r.start.line, r.start.column)))
            .collect()
    }

    /// The source text each finding of `rule` points at.
    pub fn flagged(rule: &Rule, source: &str) -> Vec<String> {
        findings(rule, source)
            .iter()
            .filter_map(|f| {
                f.location
                    .region
                    .map(|r| source[r.bytes.0..r.bytes.1].to_owned())
            })
            .collect()
    }
}
