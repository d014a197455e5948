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
mod apt_in_script;
mod as_keyword_casing;
mod assume_yes_missing;
pub mod base_image_platform_mismatch;
mod base_image_unpinned;
mod bin_sh_relinked;
mod cd_instead_of_workdir;
mod check_directive_invalid;
mod chmod_setuid;
mod command_options;
mod consecutive_runs;
mod copied_archive_extracted;
mod copy_from_own_stage;
mod copy_from_unknown_stage;
mod copy_multiple_sources_to_file;
mod copy_relative_without_workdir;
mod copy_source_ignored;
mod copy_whole_filesystem;
mod curl_and_wget_mixed;
mod definition_description_invalid;
pub mod dockerignore;
mod download_unverified;
mod duplicate_stage_name;
mod env_same_statement_reference;
mod expose;
mod expose_host_mapping;
mod expose_port_invalid;
mod expose_protocol_casing;
mod instruction_before_from;
mod instruction_casing_inconsistent;
mod invalid_default_base_image;
mod label_key_invalid;
mod label_schema;
mod legacy_key_value_format;
mod maintainer_deprecated;
mod missing_healthcheck;
mod overridden_instruction;
mod package_cache_left;
mod package_managers;
mod package_version_unpinned;
mod parse_problems;
mod password_set_in_build;
mod pipe_failure_masked;
mod pipe_to_shell;
mod platform_hardcoded;
mod platform_redundant;
mod recommended_packages_installed;
mod reserved_stage_name;
mod root_user;
mod runtime_command_in_build;
mod secret_build_arg_in_run;
mod secret_in_arg_env;
mod shell_form_cmd;
mod shell_script_problem;
mod shell_syntax_error;
mod ssh_port_exposed;
mod stage_name_casing;
mod sudo_usage;
mod system_upgrade_in_build;
mod tls_verification_disabled;
mod undefined_arg_in_from;
mod undefined_variable;
mod untrusted_registry;
mod update_without_install;
mod user_not_numeric;
mod useradd_lastlog_bloat;
mod wget_progress_output;
mod whole_context_copied;
mod workdir_on_system_path;
mod workdir_relative;
mod world_writable_file;

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
    Check {
        rules: &[&rules::COPY_FROM_UNKNOWN_STAGE],
        run: copy_from_unknown_stage::check,
    },
    Check {
        rules: &[&rules::COPY_FROM_OWN_STAGE],
        run: copy_from_own_stage::check,
    },
    Check {
        rules: &[&rules::DUPLICATE_STAGE_NAME],
        run: duplicate_stage_name::check,
    },
    Check {
        rules: &[&rules::RESERVED_STAGE_NAME],
        run: reserved_stage_name::check,
    },
    Check {
        rules: &[&rules::PLATFORM_HARDCODED],
        run: platform_hardcoded::check,
    },
    Check {
        rules: &[&rules::PLATFORM_REDUNDANT],
        run: platform_redundant::check,
    },
    Check {
        rules: &[&rules::COPY_WHOLE_FILESYSTEM],
        run: copy_whole_filesystem::check,
    },
    Check {
        rules: &[&rules::COPY_RELATIVE_WITHOUT_WORKDIR],
        run: copy_relative_without_workdir::check,
    },
    Check {
        rules: &[&rules::COPY_MULTIPLE_SOURCES_TO_FILE],
        run: copy_multiple_sources_to_file::check,
    },
    Check {
        rules: &[&rules::INSTRUCTION_BEFORE_FROM],
        run: instruction_before_from::check,
    },
    Check {
        rules: &[&rules::STAGE_NAME_CASING],
        run: stage_name_casing::check,
    },
    Check {
        rules: &[&rules::AS_KEYWORD_CASING],
        run: as_keyword_casing::check,
    },
    Check {
        rules: &[&rules::DEFINITION_DESCRIPTION_INVALID],
        run: definition_description_invalid::check,
    },
    Check {
        rules: &[&rules::SSH_PORT_EXPOSED],
        run: ssh_port_exposed::check,
    },
    Check {
        rules: &[&rules::EXPOSE_PORT_INVALID],
        run: expose_port_invalid::check,
    },
    Check {
        rules: &[&rules::EXPOSE_HOST_MAPPING],
        run: expose_host_mapping::check,
    },
    Check {
        rules: &[&rules::OVERRIDDEN_INSTRUCTION],
        run: overridden_instruction::check,
    },
    Check {
        rules: &[&rules::SHELL_FORM_CMD],
        run: shell_form_cmd::check,
    },
    Check {
        rules: &[&rules::ENV_SAME_STATEMENT_REFERENCE],
        run: env_same_statement_reference::check,
    },
    Check {
        rules: &[&rules::USER_NOT_NUMERIC],
        run: user_not_numeric::check,
    },
    Check {
        rules: &[&rules::WORKDIR_ON_SYSTEM_PATH],
        run: workdir_on_system_path::check,
    },
    Check {
        rules: &[&rules::EXPOSE_PROTOCOL_CASING],
        run: expose_protocol_casing::check,
    },
    Check {
        rules: &[&rules::LABEL_KEY_INVALID],
        run: label_key_invalid::check,
    },
    Check {
        rules: &[&rules::INSTRUCTION_CASING_INCONSISTENT],
        run: instruction_casing_inconsistent::check,
    },
    Check {
        rules: &[&rules::LEGACY_KEY_VALUE_FORMAT],
        run: legacy_key_value_format::check,
    },
    Check {
        rules: &[&rules::PACKAGE_VERSION_UNPINNED],
        run: package_version_unpinned::check,
    },
    Check {
        rules: &[&rules::ASSUME_YES_MISSING],
        run: assume_yes_missing::check,
    },
    Check {
        rules: &[&rules::RECOMMENDED_PACKAGES_INSTALLED],
        run: recommended_packages_installed::check,
    },
    Check {
        rules: &[&rules::APT_IN_SCRIPT],
        run: apt_in_script::check,
    },
    Check {
        rules: &[&rules::SYSTEM_UPGRADE_IN_BUILD],
        run: system_upgrade_in_build::check,
    },
    Check {
        rules: &[&rules::WORLD_WRITABLE_FILE],
        run: world_writable_file::check,
    },
    Check {
        rules: &[&rules::PASSWORD_SET_IN_BUILD],
        run: password_set_in_build::check,
    },
    Check {
        rules: &[&rules::SECRET_BUILD_ARG_IN_RUN],
        run: secret_build_arg_in_run::check,
    },
    Check {
        rules: &[&rules::DOWNLOAD_UNVERIFIED],
        run: download_unverified::check,
    },
    Check {
        rules: &[&rules::CD_INSTEAD_OF_WORKDIR],
        run: cd_instead_of_workdir::check,
    },
    Check {
        rules: &[&rules::COPIED_ARCHIVE_EXTRACTED],
        run: copied_archive_extracted::check,
    },
    Check {
        rules: &[&rules::USERADD_LASTLOG_BLOAT],
        run: useradd_lastlog_bloat::check,
    },
    Check {
        rules: &[&rules::WGET_PROGRESS_OUTPUT],
        run: wget_progress_output::check,
    },
    Check {
        rules: &[&rules::CONSECUTIVE_RUNS],
        run: consecutive_runs::check,
    },
    Check {
        rules: &[&rules::CURL_AND_WGET_MIXED],
        run: curl_and_wget_mixed::check,
    },
    Check {
        rules: &[&rules::RUNTIME_COMMAND_IN_BUILD],
        run: runtime_command_in_build::check,
    },
    Check {
        rules: &[&rules::BIN_SH_RELINKED],
        run: bin_sh_relinked::check,
    },
    Check {
        rules: &[&rules::PIPE_FAILURE_MASKED],
        run: pipe_failure_masked::check,
    },
    Check {
        rules: &[&rules::WHOLE_CONTEXT_COPIED],
        run: whole_context_copied::check,
    },
    Check {
        rules: &[&rules::UNDEFINED_VARIABLE],
        run: undefined_variable::check,
    },
    Check {
        rules: &[&rules::UNDEFINED_ARG_IN_FROM],
        run: undefined_arg_in_from::check,
    },
    Check {
        rules: &[&rules::INVALID_DEFAULT_BASE_IMAGE],
        run: invalid_default_base_image::check,
    },
    Check {
        rules: &[&rules::BASE_IMAGE_PLATFORM_MISMATCH],
        run: base_image_platform_mismatch::check,
    },
    Check {
        rules: &[&rules::COPY_SOURCE_IGNORED],
        run: copy_source_ignored::check,
    },
    Check {
        rules: &[&rules::CHECK_DIRECTIVE_INVALID],
        run: check_directive_invalid::check,
    },
    Check {
        rules: &[
            &rules::LABEL_MISSING,
            &rules::LABEL_NOT_IN_SCHEMA,
            &rules::LABEL_VALUE_INVALID,
        ],
        run: label_schema::check,
    },
    Check {
        rules: &[&rules::SHELL_SCRIPT_PROBLEM],
        run: shell_script_problem::check,
    },
    Check {
        rules: &[&rules::SHELL_SYNTAX_ERROR],
        run: shell_syntax_error::check,
    },
];

/// Settings checks read; filled from the resolved configuration.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Registries base images may come from (empty: any).
    pub trusted_registries: Vec<String>,
    /// Base images must be pinned by digest.
    pub require_digest: bool,
    /// Labels the image must carry, with the type of their values.
    pub label_schema: Vec<(String, crate::config::LabelType)>,
    /// Labels outside the schema are findings.
    pub strict_labels: bool,
    /// ShellCheck, when it runs on RUN scripts.
    pub shellcheck: Option<std::sync::Arc<super::shellcheck::ShellCheck>>,
    /// The build context and its ignore file, for the checks that read them; `None` when it
    /// is not known (standard input without `--context`, unit tests).
    pub context: Option<dockerignore::BuildContext>,
    /// The platforms (`linux/amd64`, `linux/arm64/v8`…) each base image is published for,
    /// keyed by the image as its FROM line resolves; filled only where images are resolved.
    pub base_platforms: std::collections::BTreeMap<String, Vec<String>>,
    /// The platform the build targets; `linux/amd64` when not given.
    pub target_platform: Option<String>,
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
                .map(|(n, i, onbuild)| RunScript::of(file, build, n, i, onbuild))
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
    /// The commands, words expanded with the `ARG`/`ENV` values known at this step.
    pub commands: Vec<Command>,
    /// The interpreter that runs the script: the `SHELL` in force (`["/bin/sh", "-c"]` by
    /// default), or for a heredoc body its `#!` line or the shell named on the `RUN` line.
    pub shell: Vec<String>,
    /// Why the shell would refuse this script, if it would (ranges as for [`Self::span`]).
    pub syntax_error: Option<shell::SyntaxError>,
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
        build: &Build<'_>,
        index: usize,
        instruction: &'a Instruction,
        onbuild: bool,
    ) -> Vec<Self> {
        let mut scripts = Vec::new();
        let shell_words = shell_in_force(file, build, index, onbuild);
        // Values are only looked up for scripts that use a variable. `ONBUILD` steps run in
        // another build, where nothing is known.
        let vars = |text: &str| match build.stage_of(index) {
            Some(stage) if !onbuild && text.contains('$') => {
                shell::Vars::new(build.scope_before(stage.index, index))
            }
            _ => shell::Vars::default(),
        };
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
            let mut syntax_error = None;
            let mut interpreter = Vec::new();
            // `["sh", "-c", "script"]` is a script after all.
            if let Some(n) = shell::script_argument(&commands[0]) {
                let text = &instruction.args[n].value;
                let script = shell::parse(text, &vars(text));
                interpreter = instruction.args[..n]
                    .iter()
                    .map(|a| a.value.clone())
                    .collect();
                commands = script.commands;
                for command in &mut commands {
                    for w in command
                        .words
                        .iter_mut()
                        .chain(command.assignments.iter_mut())
                    {
                        w.range = n..n + 1;
                    }
                }
                syntax_error = script.error.map(|e| shell::SyntaxError {
                    range: n..n + 1,
                    ..e
                });
            }
            scripts.push(RunScript {
                index,
                instruction,
                onbuild,
                commands,
                shell: interpreter,
                syntax_error,
                origin: ScriptOrigin::Exec,
            });
            return scripts;
        }
        let rest = instruction.rest.clone();
        let line = instruction.rest();
        let heredocs: Vec<(&str, &str)> = instruction
            .heredocs
            .iter()
            .map(|h| (h.content.as_str(), h.name.as_str()))
            .collect();
        let line_script = shell::parse_with_heredocs(line, &heredocs, &vars(line));
        let stdin_is_script = heredoc_is_script(&line_script.commands);
        // `RUN bash -e <<EOF`: the body's interpreter is the shell named on the line.
        let line_shell: Option<Vec<String>> = line_script.commands.first().and_then(|c| {
            let at = c.program_index()?;
            Some(c.words[at..].iter().map(|w| w.text.clone()).collect())
        });
        scripts.push(RunScript {
            index,
            instruction,
            onbuild,
            commands: line_script.commands,
            shell: shell_words.clone(),
            syntax_error: line_script.error,
            origin: ScriptOrigin::Line(rest.start),
        });
        for (n, heredoc) in instruction.heredocs.iter().enumerate() {
            let fed_to_shell = n == 0 && heredoc.fd.is_none_or(|fd| fd == 0) && stdin_is_script;
            let shebang = shebang(&heredoc.content);
            if !fed_to_shell || is_foreign(&heredoc.content, shebang.as_deref()) {
                continue;
            }
            let body = &file.source[heredoc.body_span.start..heredoc.body_span.end];
            let script = shell::parse(body, &vars(body));
            let interpreter = shebang
                .or_else(|| line_shell.clone())
                .unwrap_or_else(|| shell_words.clone());
            scripts.push(RunScript {
                index,
                instruction,
                onbuild,
                commands: script.commands,
                shell: interpreter,
                syntax_error: script.error,
                origin: ScriptOrigin::Source(heredoc.body_span.start),
            });
        }
        scripts
    }

    /// Whether the interpreter is a POSIX shell (`sh`, `bash`, `dash`, `ash`, busybox), whose
    /// syntax the parser knows; not PowerShell, cmd, zsh or anything unknown.
    pub fn is_posix_shell(&self) -> bool {
        let mut words = self.shell.iter().map(|w| shell::basename(w));
        let mut program = words.next();
        if program == Some("env") {
            program = words.find(|w| !w.starts_with('-') && !w.contains('='));
        }
        matches!(program, Some("sh" | "bash" | "dash" | "ash" | "busybox"))
    }

    /// The script text the commands were read from (word ranges index into it); `None` for
    /// exec-form RUN, whose words are JSON array elements.
    pub fn text(&self, file: &'a Dockerfile) -> Option<&'a str> {
        match self.origin {
            ScriptOrigin::Line(_) => Some(self.instruction.rest()),
            ScriptOrigin::Source(base) => self
                .instruction
                .heredocs
                .iter()
                .find(|h| h.body_span.start == base)
                .and_then(|h| file.source.get(h.body_span.start..h.body_span.end)),
            ScriptOrigin::Exec => None,
        }
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

/// The interpreter words of a heredoc's `#!` line (`env` looked through), if it has one.
fn shebang(content: &str) -> Option<Vec<String>> {
    let line = content.lines().next()?.strip_prefix("#!")?;
    let mut words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    if words.first().is_some_and(|w| shell::basename(w) == "env") {
        words.remove(0);
        while words.first().is_some_and(|w| w.starts_with('-')) {
            words.remove(0);
        }
    }
    (!words.is_empty()).then_some(words)
}

/// The `SHELL` words in force for instruction `index`: the last `SHELL` of its stage before
/// it or of the stages that stage is built on, else the default. The default is `/bin/sh -c`,
/// `cmd /S /C` for Windows base images (or a file using the backquote escape), or what a
/// `# hadolint shell=…` comment before the instruction names. `ONBUILD` steps run with the
/// shell the image ends with.
fn shell_in_force(
    file: &Dockerfile,
    build: &Build<'_>,
    index: usize,
    onbuild: bool,
) -> Vec<String> {
    let Some(stage) = build.stage_of(index) else {
        return default_shell(file, None, index);
    };
    for (depth, s) in build.lineage(stage.index).into_iter().enumerate() {
        let end = if depth == 0 && !onbuild {
            index.min(s.body.end)
        } else {
            s.body.end
        };
        let found = file.instructions[s.body.start..end.max(s.body.start)]
            .iter()
            .rev()
            .find(|i| i.keyword == Keyword::Shell && i.json_form && !i.args.is_empty());
        if let Some(shell_instruction) = found {
            return shell_instruction
                .args
                .iter()
                .map(|a| a.value.clone())
                .collect();
        }
        if s.parent.is_none() {
            return default_shell(file, Some(s), index);
        }
    }
    default_shell(file, Some(stage), index)
}

fn default_shell(
    file: &Dockerfile,
    root: Option<&super::stages::Stage>,
    index: usize,
) -> Vec<String> {
    let start = file
        .instructions
        .get(index)
        .map_or(usize::MAX, |i| i.span.start);
    let pragma = file
        .comments
        .iter()
        .rev()
        .filter(|c| c.span.start < start)
        .filter_map(|c| {
            let text = c.text.trim_start();
            let rest = text
                .strip_prefix("hadolint")
                .or_else(|| text.strip_prefix("portcullis"))?;
            rest.trim_start().strip_prefix("shell=")
        })
        .next();
    if let Some(name) = pragma {
        return vec![name.trim().to_owned()];
    }
    let base = root
        .map(|s| {
            s.base
                .as_deref()
                .unwrap_or(&s.base_raw)
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let windows = [
        "windows/servercore",
        "windows/nanoserver",
        "mcr.microsoft.com/windows",
        "dotnet/framework",
        "nanoserver",
        "windowsservercore",
    ];
    if file.escape == '`' || windows.iter().any(|w| base.contains(w)) {
        return vec!["cmd".to_owned(), "/S".to_owned(), "/C".to_owned()];
    }
    vec!["/bin/sh".to_owned(), "-c".to_owned()]
}

/// Whether a heredoc whose interpreter words (from [`shebang`]) are `shebang` starts with a
/// `#!` naming something other than a POSIX-like shell.
fn is_foreign(content: &str, shebang: Option<&[String]>) -> bool {
    content.starts_with("#!")
        && !shebang
            .and_then(|words| words.first())
            .is_some_and(|program| shell::is_shell(shell::basename(program)))
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
