//! PC8050 undefined-variable (BuildKit's UndefinedVar).
//!
//! Only the instructions the builder expands itself are read; each variable reference is
//! checked against what is defined just before the instruction: ARG and ENV of the stage and of
//! the stages it is built from, the base image's usual environment, and the arguments BuildKit
//! predefines.

use std::collections::BTreeSet;

use super::Context;
use crate::dockerfile::ast::{Instruction, Keyword, Span};
use crate::dockerfile::expand::{Lexer, Lookup, VarRef};
use crate::dockerfile::stages::{arg_declarations, env_pairs, PLATFORM_ARGS, PROXY_ARGS};
use crate::rules::UNDEFINED_VARIABLE;

/// Arguments the builder provides without a declaration besides the proxies: BuildKit's own
/// settings.
const BUILDKIT_ARGS: &[&str] = &[
    "SOURCE_DATE_EPOCH",
    "BUILDKIT_CACHE_MOUNT_NS",
    "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
    "BUILDKIT_INLINE_CACHE",
    "BUILDKIT_MULTI_PLATFORM",
    "BUILDKIT_SANDBOX_HOSTNAME",
    "BUILDKIT_SYNTAX",
    "BUILDKIT_BUILD_NAME",
    "BUILDKIT_DOCKERFILE_CHECK",
    "BUILDKIT_SBOM_SCAN_CONTEXT",
    "BUILDKIT_SBOM_SCAN_STAGE",
];

/// Variables base images commonly set in their configuration. BuildKit reads the real image
/// configuration; a static linter can only know the usual ones of widely used images.
const BASE_IMAGE_ENV: &[&str] = &[
    "PATH",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "TZ",
    "DEBIAN_FRONTEND",
    "GPG_KEY",
    "GOSU_VERSION",
    // golang
    "GOLANG_VERSION",
    "GOPATH",
    "GOTOOLCHAIN",
    // python
    "PYTHON_VERSION",
    "PYTHON_SHA256",
    "PYTHON_PIP_VERSION",
    "PYTHON_SETUPTOOLS_VERSION",
    "PYTHON_GET_PIP_URL",
    "PYTHON_GET_PIP_SHA256",
    // node
    "NODE_VERSION",
    "YARN_VERSION",
    // java, maven, gradle, tomcat
    "JAVA_HOME",
    "JAVA_VERSION",
    "JDK_VERSION",
    "JRE_VERSION",
    "MAVEN_HOME",
    "MAVEN_CONFIG",
    "MAVEN_VERSION",
    "GRADLE_HOME",
    "GRADLE_VERSION",
    "CATALINA_HOME",
    "TOMCAT_MAJOR",
    "TOMCAT_VERSION",
    "TOMCAT_NATIVE_LIBDIR",
    // ruby
    "RUBY_VERSION",
    "RUBY_MAJOR",
    "RUBY_DOWNLOAD_SHA256",
    "GEM_HOME",
    "BUNDLE_PATH",
    "BUNDLE_APP_CONFIG",
    "BUNDLE_SILENCE_ROOT_WARNING",
    // php
    "PHP_INI_DIR",
    "PHP_VERSION",
    "PHP_URL",
    "PHP_ASC_URL",
    "PHP_SHA256",
    "PHP_CFLAGS",
    "PHP_CPPFLAGS",
    "PHP_LDFLAGS",
    "PHPIZE_DEPS",
    "APACHE_CONFDIR",
    "APACHE_ENVVARS",
    // rust
    "RUSTUP_HOME",
    "CARGO_HOME",
    "RUST_VERSION",
    // .NET
    "DOTNET_VERSION",
    "ASPNET_VERSION",
    "ASPNETCORE_HTTP_PORTS",
    "DOTNET_RUNNING_IN_CONTAINER",
    "DOTNET_SDK_VERSION",
    "APP_UID",
    // web servers and databases
    "NGINX_VERSION",
    "NJS_VERSION",
    "NJS_RELEASE",
    "PKG_RELEASE",
    "DYNPKG_RELEASE",
    "HTTPD_PREFIX",
    "HTTPD_VERSION",
    "HTTPD_SHA256",
    "PG_MAJOR",
    "PG_VERSION",
    "PGDATA",
    "MYSQL_MAJOR",
    "MYSQL_VERSION",
    "MARIADB_VERSION",
    "MONGO_VERSION",
    "REDIS_VERSION",
    "REDIS_DOWNLOAD_URL",
    "REDIS_DOWNLOAD_SHA",
];

pub(crate) fn check(ctx: &mut Context) {
    let lexer = Lexer::new(ctx.file.escape);
    let mut reports: Vec<(Span, String)> = Vec::new();
    for stage in &ctx.build.stages {
        let lineage = ctx.build.lineage(stage.index);
        let mut defined: BTreeSet<String> = BTreeSet::new();
        // ARGs and ENVs of the stages this one is built on count as defined (BuildKit carries
        // their build args over as well as their environment).
        for ancestor in lineage.iter().skip(1).rev() {
            for instruction in &ctx.file.instructions[ancestor.body.clone()] {
                defined.extend(declared_names(instruction));
            }
        }
        let root = lineage.last().map_or(stage, |s| *s);
        let from_scratch = root
            .base
            .as_deref()
            .is_some_and(|b| b.eq_ignore_ascii_case("scratch"));
        for at in stage.body.clone() {
            let instruction = &ctx.file.instructions[at];
            let words = expanded_words(instruction, &ctx.file.source);
            if words.is_empty() {
                defined.extend(declared_names(instruction));
                continue;
            }
            // BuildKit expands ARG defaults one declaration at a time.
            let mut local: Vec<String> = Vec::new();
            let same_statement: Vec<String> = match instruction.keyword {
                Keyword::Env => env_pairs(instruction).into_iter().map(|(n, _)| n).collect(),
                _ => Vec::new(),
            };
            for word in words {
                // Without a `$` there is nothing to look up.
                let references = if word.text.contains('$') {
                    match lexer.process_word(&word.text, &AllSet) {
                        Ok(expansion) => expansion.references,
                        Err(_) => continue,
                    }
                } else {
                    Vec::new()
                };
                for reference in references {
                    let name = &reference.name;
                    if reference.is_special()
                        || has_fallback(&word.text, &reference)
                        || defined.contains(name)
                        || local.contains(name)
                        || same_statement.contains(name)
                        || PROXY_ARGS.contains(&name.as_str())
                        || BUILDKIT_ARGS.contains(&name.as_str())
                        || (!from_scratch && BASE_IMAGE_ENV.contains(&name.as_str()))
                        || name == "PATH"
                    {
                        continue;
                    }
                    let span = word.span_of(instruction, reference.range.clone());
                    reports.push((span, message(name, &defined, &local, from_scratch)));
                }
                if let Some(declares) = &word.declares {
                    local.push(declares.clone());
                }
            }
            defined.extend(declared_names(instruction));
        }
    }
    for (span, message) in reports {
        ctx.report(&UNDEFINED_VARIABLE, message, span);
    }
}

fn message(name: &str, defined: &BTreeSet<String>, local: &[String], scratch: bool) -> String {
    if PLATFORM_ARGS.contains(&name) {
        return format!(
            "`${name}` is predefined for FROM lines only: declare `ARG {name}` in this stage before using it, or it expands to an empty string"
        );
    }
    let mut options: Vec<&str> = defined.iter().map(String::as_str).collect();
    options.extend(local.iter().map(String::as_str));
    if !scratch {
        options.extend(BASE_IMAGE_ENV);
    }
    options.push("PATH");
    let hint = closest(name, &options).map_or_else(
        || ": declare it with `ARG` or `ENV` before it is used".to_owned(),
        |s| format!("; did you mean `${s}`?"),
    );
    format!(
        "`${name}` is not defined by any ARG or ENV in scope, so it expands to an empty string{hint}"
    )
}

/// The closest of `options` when fewer than 3 edits away (BuildKit's rule), never `name` itself.
pub(crate) fn closest<'a>(name: &str, options: &[&'a str]) -> Option<&'a str> {
    options
        .iter()
        .filter(|o| **o != name)
        .map(|o| (crate::suggest::edit_distance(name, o), *o))
        .filter(|(d, _)| *d < 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

/// Answers every name, so that `${NAME:?}` never stops the scan of a word: only the references
/// matter here, not the value.
pub(crate) struct AllSet;

impl Lookup for AllSet {
    fn lookup(&self, _name: &str) -> Option<&str> {
        Some("x")
    }
}

/// `${NAME:-x}`, `${NAME-x}`, `${NAME:+x}`, `${NAME?msg}`…: the author planned for an unset
/// variable.
fn has_fallback(word: &str, reference: &VarRef) -> bool {
    let text = &word[reference.range.clone()];
    let Some(inner) = text.strip_prefix("${") else {
        return false;
    };
    let after = &inner[reference.name.len().min(inner.len())..];
    let after = after.strip_prefix(':').unwrap_or(after);
    after.starts_with(['-', '+', '?'])
}

/// Names an ARG or ENV instruction declares.
fn declared_names(instruction: &Instruction) -> Vec<String> {
    match instruction.keyword {
        Keyword::Arg => arg_declarations(instruction)
            .into_iter()
            .map(|(n, _)| n)
            .collect(),
        Keyword::Env => env_pairs(instruction).into_iter().map(|(n, _)| n).collect(),
        _ => Vec::new(),
    }
}

/// One word the builder expands, as written, with where it is.
pub(crate) struct ExpandedWord {
    pub text: String,
    /// Logical range of `text` in the instruction line, when `text` is exactly that slice.
    logical: Option<std::ops::Range<usize>>,
    /// Source offset of `text` when it is verbatim source (a heredoc body).
    source_at: Option<usize>,
    /// Where to point when the offsets inside `text` cannot be mapped (JSON strings).
    pub fallback: Span,
    /// For an ARG default: the name it declares (visible to the next declaration).
    declares: Option<String>,
}

impl ExpandedWord {
    /// The source span of `range` (byte offsets into `text`).
    pub fn span_of(&self, instruction: &Instruction, range: std::ops::Range<usize>) -> Span {
        match (&self.logical, self.source_at) {
            (Some(logical), _) => instruction
                .line
                .span(logical.start + range.start..logical.start + range.end),
            (None, Some(at)) => Span::new(at + range.start, at + range.end),
            (None, None) => self.fallback,
        }
    }
}

/// The words of `instruction` the builder expands (none for instructions it leaves alone),
/// leaving out those without a `$`, which reference nothing; ARG defaults are all kept, since
/// each declares a name for the next.
pub(crate) fn expanded_words(instruction: &Instruction, source: &str) -> Vec<ExpandedWord> {
    let text = &instruction.line.text;
    let exact = |value: &str, logical: &std::ops::Range<usize>| {
        (text.get(logical.clone()) == Some(value)).then(|| logical.clone())
    };
    let mut out = Vec::new();
    match instruction.keyword {
        Keyword::Add
        | Keyword::Copy
        | Keyword::Expose
        | Keyword::Stopsignal
        | Keyword::User
        | Keyword::Volume
        | Keyword::Workdir => {
            if matches!(instruction.keyword, Keyword::Add | Keyword::Copy) {
                for flag in &instruction.flags {
                    if !matches!(flag.name.as_str(), "chown" | "chmod") {
                        continue;
                    }
                    let written = text.get(flag.logical.clone()).unwrap_or_default();
                    if !written.contains('$') {
                        continue;
                    }
                    if let Some(eq) = written.find('=') {
                        let start = flag.logical.start + eq + 1;
                        out.push(ExpandedWord {
                            text: written[eq + 1..].to_owned(),
                            logical: Some(start..flag.logical.end),
                            source_at: None,
                            fallback: flag.span,
                            declares: None,
                        });
                    }
                }
            }
            // `COPY <<EOF` bodies are expanded unless the delimiter is quoted; BuildKit leaves
            // their quotes alone, so they are blanked out here (same byte length).
            for heredoc in instruction
                .heredocs
                .iter()
                .filter(|h| !h.quoted && h.content.contains('$'))
            {
                // The body span stops before the last line ending, the content does not.
                let verbatim = source
                    .get(heredoc.body_span.start..heredoc.body_span.end)
                    .and_then(|body| heredoc.content.strip_prefix(body))
                    .is_some_and(|rest| matches!(rest, "" | "\n" | "\r\n"));
                out.push(ExpandedWord {
                    text: heredoc.content.replace(['\'', '"'], "_"),
                    logical: None,
                    source_at: verbatim.then_some(heredoc.body_span.start),
                    fallback: heredoc.opener_span,
                    declares: None,
                });
            }
            for arg in &instruction.args {
                if !arg.value.contains('$')
                    || (arg.value.starts_with("<<") && !instruction.heredocs.is_empty())
                {
                    continue;
                }
                out.push(ExpandedWord {
                    text: arg.value.clone(),
                    logical: if instruction.json_form {
                        None
                    } else {
                        exact(&arg.value, &arg.logical)
                    },
                    source_at: None,
                    fallback: arg.span,
                    declares: None,
                });
            }
        }
        Keyword::Env | Keyword::Label => {
            for triple in instruction.args.chunks(3) {
                let keys_expand = instruction.keyword == Keyword::Label;
                for (n, arg) in triple.iter().take(2).enumerate() {
                    if (n == 0 && !keys_expand) || !arg.value.contains('$') {
                        continue;
                    }
                    out.push(ExpandedWord {
                        text: arg.value.clone(),
                        logical: exact(&arg.value, &arg.logical),
                        source_at: None,
                        fallback: arg.span,
                        declares: None,
                    });
                }
            }
        }
        Keyword::Arg => {
            for arg in &instruction.args {
                let Some((name, default)) = arg.value.split_once('=') else {
                    continue;
                };
                let start = arg.logical.start + name.len() + 1;
                let logical = start..arg.logical.end;
                out.push(ExpandedWord {
                    text: default.to_owned(),
                    logical: (text.get(logical.clone()) == Some(default)).then_some(logical),
                    source_at: None,
                    fallback: arg.span,
                    declares: Some(name.to_owned()),
                });
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::UNDEFINED_VARIABLE;

    fn messages(source: &str) -> Vec<String> {
        findings(&UNDEFINED_VARIABLE, source)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn flags_the_variable_with_a_suggestion() {
        let source = "FROM alpine:3\nARG VERSION=1\nCOPY app-${VERSON}.jar /srv/\n";
        assert_eq!(flagged(&UNDEFINED_VARIABLE, source), ["${VERSON}"]);
        assert_eq!(positions(&UNDEFINED_VARIABLE, source), [(3, 10)]);
        assert_eq!(
            messages(source),
            ["`$VERSON` is not defined by any ARG or ENV in scope, so it expands to an empty string; did you mean `$VERSION`?"]
        );
    }

    #[test]
    fn defined_names_are_fine() {
        let source = "FROM alpine:3 AS base\nENV APP=/srv\nARG USER_ID=1000\n\
                      WORKDIR $APP\nUSER ${USER_ID}\nFROM base\nCOPY x $APP/x\nLABEL v=$USER_ID\n\
                      ENV PATH=$PATH:/opt/bin\n";
        assert!(messages(source).is_empty(), "{:?}", messages(source));
    }

    #[test]
    fn global_args_must_be_redeclared_in_the_stage() {
        let source = "ARG TAG=1\nFROM alpine:$TAG\nLABEL tag=$TAG\nARG TAG\nLABEL again=$TAG\n";
        assert_eq!(flagged(&UNDEFINED_VARIABLE, source), ["$TAG"]);
        assert_eq!(positions(&UNDEFINED_VARIABLE, source), [(3, 11)]);
    }

    #[test]
    fn platform_args_need_a_declaration_with_their_own_message() {
        let source = "FROM alpine:3\nCOPY bin-$TARGETARCH /bin/app\nARG TARGETARCH\nCOPY bin-$TARGETARCH /bin/app2\n";
        let found = messages(source);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("declare `ARG TARGETARCH`"), "{found:?}");
    }

    #[test]
    fn shell_form_run_cmd_and_entrypoint_are_left_to_the_shell() {
        let source = "FROM alpine:3\nRUN echo $UNSET\nCMD echo $UNSET\nENTRYPOINT [\"x\", \"$UNSET\"]\nHEALTHCHECK CMD curl $UNSET\n";
        assert!(messages(source).is_empty());
    }

    #[test]
    fn defaults_proxies_and_base_image_variables_are_not_reported() {
        let source =
            "FROM golang:1.22\nWORKDIR $GOPATH/src\nENV X=${UNSET:-fallback} Y=$HTTP_PROXY\n\
                      ENV J=$JAVA_HOME\n";
        assert!(messages(source).is_empty(), "{:?}", messages(source));
        // `scratch` sets nothing but PATH.
        let scratch = "FROM scratch\nENV J=$JAVA_HOME P=$PATH\n";
        assert_eq!(flagged(&UNDEFINED_VARIABLE, scratch), ["$JAVA_HOME"]);
    }

    #[test]
    fn env_uses_the_values_from_before_the_instruction_and_arg_defaults_chain() {
        // `B=$A` in the same ENV is PC8024's business, not reported twice.
        assert!(messages("FROM a:1\nENV A=1 B=$A\n").is_empty());
        assert!(messages("FROM a:1\nARG A=1 B=$A\n").is_empty());
        assert_eq!(
            flagged(&UNDEFINED_VARIABLE, "FROM a:1\nARG B=$A A=1\n"),
            ["$A"]
        );
    }

    #[test]
    fn flags_copy_flags_and_label_keys() {
        let source = "FROM a:1\nCOPY --chown=$OWNER:app x /x\nLABEL $KEY=v\n";
        assert_eq!(flagged(&UNDEFINED_VARIABLE, source), ["$OWNER", "$KEY"]);
    }

    #[test]
    fn onbuild_is_expanded_later_and_not_checked() {
        assert!(messages("FROM a:1\nONBUILD COPY $SRC /x\n").is_empty());
    }

    #[test]
    fn positions_on_continuation_lines_and_json_form() {
        let source = "FROM a:1\nCOPY a \\\n     b/$DIR_NAME \\\n     /dest/\n";
        assert_eq!(positions(&UNDEFINED_VARIABLE, source), [(3, 8)]);
        let json = "FROM a:1\nCOPY [\"$SRC\", \"/x\"]\n";
        assert_eq!(flagged(&UNDEFINED_VARIABLE, json), ["\"$SRC\""]);
    }

    #[test]
    fn copy_heredoc_bodies_are_expanded_unless_quoted() {
        let source =
            "FROM a:1\nARG NAME=x\nCOPY <<EOF /etc/app.conf\nname=$NAME it's\nport=${PORT}\nEOF\n\
                      COPY <<'EOF' /etc/raw.conf\nport=${PORT}\nEOF\nRUN <<EOF\necho $PORT\nEOF\n";
        assert_eq!(flagged(&UNDEFINED_VARIABLE, source), ["${PORT}"]);
        assert_eq!(positions(&UNDEFINED_VARIABLE, source), [(5, 6)]);
    }

    #[test]
    fn undefined_in_arg_default_inside_a_stage() {
        let source = "ARG G=1\nFROM a:1\nARG V=$G\n";
        assert_eq!(positions(&UNDEFINED_VARIABLE, source), [(3, 7)]);
    }
}
