//! The build as BuildKit sees it: stages, what each is built from, and the ARG/ENV values in
//! scope at every instruction.
//!
//! Scoping follows BuildKit: ARGs before the first `FROM` are global and only usable in `FROM`
//! lines unless a stage re-declares them; `--build-arg` overrides ARG defaults; ENV values
//! are expanded when set and persist into stages built `FROM` this one, ARGs do not.

use std::collections::BTreeMap;

use super::ast::{Dockerfile, Instruction, Keyword};
use super::expand::Lexer;

/// ARGs BuildKit defines in the global scope without a declaration. Their values depend on the
/// build platform, so expansions that use them are not statically known; a stage sees them only
/// once it declares them.
pub const PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETOSVERSION",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDOSVERSION",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// Proxy settings every build step receives without a declaration.
pub const PROXY_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// One stage: a `FROM` and the instructions up to the next `FROM`.
#[derive(Debug, Clone)]
pub struct Stage {
    pub index: usize,
    /// Index of the `FROM` instruction in `Dockerfile::instructions`.
    pub from: usize,
    /// Indices of the stage's other instructions.
    pub body: std::ops::Range<usize>,
    /// The base image as written (`$BASE`, `node:20`).
    pub base_raw: String,
    /// The base image with global ARGs expanded; `None` if it cannot be known statically.
    pub base: Option<String>,
    /// The `AS name`, lower-cased as BuildKit compares stage names.
    pub name: Option<String>,
    /// The earlier stage this one is built from, if its base names one.
    pub parent: Option<usize>,
}

/// What a `COPY --from=<value>` refers to (see [`Build::copy_source`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopySource {
    /// A stage of this file, by name or by index.
    Stage(usize),
    /// Something that looks like an image reference.
    Image,
    /// Neither a stage nor recognisably an image; BuildKit would try to pull it as an image.
    Unknown,
}

/// A value as far as it can be known without running the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub value: String,
    /// False when the value used a variable whose value is unknown (unset, or set by the
    /// platform or the base image).
    pub complete: bool,
}

/// Stages and scopes of one Dockerfile.
#[derive(Debug)]
pub struct Build<'a> {
    pub file: &'a Dockerfile,
    pub stages: Vec<Stage>,
    lexer: Lexer,
    build_args: &'a BTreeMap<String, String>,
    /// Global ARGs with their values (None: declared without a default and not given).
    global_args: Vec<(String, Option<String>)>,
}

impl<'a> Build<'a> {
    pub fn new(file: &'a Dockerfile, build_args: &'a BTreeMap<String, String>) -> Self {
        let lexer = Lexer::new(file.escape);
        let mut build = Build {
            file,
            stages: Vec::new(),
            lexer,
            build_args,
            global_args: Vec::new(),
        };
        let froms: Vec<usize> = file
            .instructions
            .iter()
            .enumerate()
            .filter(|(_, i)| i.keyword == Keyword::From)
            .map(|(n, _)| n)
            .collect();
        let globals_end = froms.first().copied().unwrap_or(file.instructions.len());
        for instruction in &file.instructions[..globals_end] {
            if instruction.keyword == Keyword::Arg {
                for (name, default) in arg_declarations(instruction) {
                    let value = build.build_args.get(&name).cloned().or_else(|| {
                        default.map(|d| build.expand_in(&build.global_env(), &d).value)
                    });
                    build.global_args.push((name, value));
                }
            }
        }
        for (index, &from) in froms.iter().enumerate() {
            let end = froms
                .get(index + 1)
                .copied()
                .unwrap_or(file.instructions.len());
            let instruction = &file.instructions[from];
            let words: Vec<&str> = instruction.args.iter().map(|a| a.value.as_str()).collect();
            let base_raw = words.first().copied().unwrap_or_default().to_owned();
            let name = match words.as_slice() {
                [_, as_kw, name, ..] if as_kw.eq_ignore_ascii_case("as") => {
                    Some(name.to_ascii_lowercase())
                }
                _ => None,
            };
            let resolved = build.expand_in(&build.global_env(), &base_raw);
            let base = resolved.complete.then_some(resolved.value);
            let parent = base.as_ref().and_then(|b| {
                let lower = b.to_ascii_lowercase();
                build
                    .stages
                    .iter()
                    .position(|s| s.name.as_deref() == Some(lower.as_str()))
            });
            build.stages.push(Stage {
                index,
                from,
                body: from + 1..end,
                base_raw,
                base,
                name,
                parent,
            });
        }
        build
    }

    /// What the (already expanded) value of a `COPY --from` names: the first stage with that
    /// name (ignoring case, as BuildKit does) or that index, else an image reference when it
    /// looks like one (`:`, `/` or `@`). Where the stage sits relative to the COPY is left to
    /// the caller.
    pub fn copy_source(&self, value: &str) -> CopySource {
        let lower = value.to_ascii_lowercase();
        if let Some(stage) = self
            .stages
            .iter()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
        {
            return CopySource::Stage(stage.index);
        }
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            return match value.parse::<usize>() {
                Ok(index) if index < self.stages.len() => CopySource::Stage(index),
                _ => CopySource::Unknown,
            };
        }
        if value.contains([':', '/', '@']) {
            CopySource::Image
        } else {
            CopySource::Unknown
        }
    }

    /// The stage that becomes the image (the last one).
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The stage an instruction belongs to (`None` for global ARGs before the first `FROM`).
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        self.stages
            .iter()
            .find(|s| s.from == instruction || s.body.contains(&instruction))
    }

    /// The chain of stages a stage is built on, itself first.
    pub fn lineage(&self, stage: usize) -> Vec<&Stage> {
        let mut chain = vec![&self.stages[stage]];
        while let Some(parent) = chain.last().and_then(|s| s.parent) {
            if chain.iter().any(|s| s.index == parent) {
                break;
            }
            chain.push(&self.stages[parent]);
        }
        chain
    }

    /// The variables in scope just before instruction `at` of `stage`: (name, value or None
    /// when unknown).
    pub fn scope_before(&self, stage: usize, at: usize) -> Vec<(String, Option<String>)> {
        let mut env: Vec<(String, Option<String>)> = Vec::new();
        // ENV persists from the stages this one is built on, oldest first.
        let lineage = self.lineage(stage);
        for ancestor in lineage.iter().skip(1).rev() {
            self.apply(&mut env, ancestor.body.clone(), true);
        }
        let own = &self.stages[stage];
        self.apply(&mut env, own.body.start..at.min(own.body.end), false);
        env
    }

    /// Expands `word` as BuildKit would at instruction `at` of `stage`.
    pub fn resolve(&self, stage: usize, at: usize, word: &str) -> Resolved {
        // Without a `$` nothing is looked up: the scope need not be worked out.
        if !word.contains('$') {
            return self.expand_in(&[], word);
        }
        let scope = self.scope_before(stage, at);
        self.expand_in(&scope, word)
    }

    fn apply(
        &self,
        env: &mut Vec<(String, Option<String>)>,
        range: std::ops::Range<usize>,
        env_only: bool,
    ) {
        // Everything already in scope came from ENV (ARGs are not inherited).
        let mut set_by_env: Vec<String> = env.iter().map(|(n, _)| n.clone()).collect();
        for instruction in &self.file.instructions[range] {
            match instruction.keyword {
                Keyword::Env => {
                    for (name, raw) in env_pairs(instruction) {
                        let value = self.expand_in(env, &raw);
                        set_by_env.push(name.clone());
                        set(env, name, value.complete.then_some(value.value));
                    }
                }
                Keyword::Arg if !env_only => {
                    for (name, default) in arg_declarations(instruction) {
                        // An ENV of the same name wins over the ARG.
                        if set_by_env.contains(&name) {
                            continue;
                        }
                        let value = self
                            .build_args
                            .get(&name)
                            .cloned()
                            .or_else(|| match default {
                                Some(d) => {
                                    let r = self.expand_in(env, &d);
                                    r.complete.then_some(r.value)
                                }
                                None => self
                                    .global_args
                                    .iter()
                                    .find(|(n, _)| n == &name)
                                    .and_then(|(_, v)| v.clone()),
                            });
                        set(env, name, value);
                    }
                }
                _ => {}
            }
        }
    }

    fn global_env(&self) -> Vec<(String, Option<String>)> {
        let mut env = self.global_args.clone();
        for name in PLATFORM_ARGS {
            if !env.iter().any(|(n, _)| n == name) {
                env.push(((*name).to_owned(), None));
            }
        }
        env
    }

    fn expand_in(&self, env: &[(String, Option<String>)], word: &str) -> Resolved {
        match self.lexer.process_word(word, env) {
            Ok(expansion) => Resolved {
                complete: expansion.references.iter().all(|r| r.set),
                value: expansion.value,
            },
            Err(_) => Resolved {
                value: word.to_owned(),
                complete: false,
            },
        }
    }
}

fn set(env: &mut Vec<(String, Option<String>)>, name: String, value: Option<String>) {
    match env.iter_mut().find(|(n, _)| *n == name) {
        Some(entry) => entry.1 = value,
        None => env.push((name, value)),
    }
}

/// `ARG a b=1` → `[("a", None), ("b", Some("1"))]` (defaults still unexpanded, quotes kept).
pub fn arg_declarations(instruction: &Instruction) -> Vec<(String, Option<String>)> {
    instruction
        .args
        .iter()
        .map(|arg| match arg.value.split_once('=') {
            Some((name, default)) => (name.to_owned(), Some(default.to_owned())),
            None => (arg.value.clone(), None),
        })
        .collect()
}

/// ENV/LABEL `key, value, sep` triples → `(key, raw value)` pairs.
pub fn env_pairs(instruction: &Instruction) -> Vec<(String, String)> {
    instruction
        .args
        .chunks(3)
        .filter(|c| c.len() >= 2)
        .map(|c| (c[0].value.clone(), c[1].value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::parse;

    fn build_args(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn stages_know_their_base_name_and_parent() {
        let file =
            parse("ARG BASE=debian:12\nFROM $BASE AS Build\nRUN make\nFROM build\nCOPY x y\n");
        let none = BTreeMap::new();
        let build = Build::new(&file, &none);
        assert_eq!(build.stages.len(), 2);
        assert_eq!(build.stages[0].base.as_deref(), Some("debian:12"));
        assert_eq!(build.stages[0].name.as_deref(), Some("build"));
        assert_eq!(build.stages[1].parent, Some(0));
        assert_eq!(build.stages[1].body, 4..5);
    }

    #[test]
    fn build_args_override_defaults_and_platform_args_are_unknown() {
        let file =
            parse("ARG TAG=1\nFROM img:$TAG\nFROM --platform=$BUILDPLATFORM other:${TARGETARCH}\n");
        let args = build_args(&[("TAG", "2")]);
        let build = Build::new(&file, &args);
        assert_eq!(build.stages[0].base.as_deref(), Some("img:2"));
        assert_eq!(build.stages[1].base, None);
    }

    #[test]
    fn global_args_need_redeclaring_inside_a_stage() {
        let file =
            parse("ARG USER_NAME=app\nFROM a:1\nUSER $USER_NAME\nARG USER_NAME\nUSER $USER_NAME\n");
        let none = BTreeMap::new();
        let build = Build::new(&file, &none);
        let first = build.resolve(0, 2, "$USER_NAME");
        assert!(!first.complete);
        let second = build.resolve(0, 4, "$USER_NAME");
        assert_eq!(second.value, "app");
        assert!(second.complete);
    }

    #[test]
    fn env_persists_into_child_stages_and_args_do_not() {
        let file = parse(
            "FROM a:1 AS base\nENV HOME_DIR=/srv\nARG X=1\nFROM base\nWORKDIR $HOME_DIR/$X\n",
        );
        let none = BTreeMap::new();
        let build = Build::new(&file, &none);
        let resolved = build.resolve(1, 4, "$HOME_DIR/$X");
        assert_eq!(resolved.value, "/srv/");
        assert!(!resolved.complete);
        assert_eq!(build.lineage(1).len(), 2);
    }

    #[test]
    fn env_values_are_expanded_when_set() {
        let file = parse("FROM a:1\nARG V=1.2\nENV APP=/opt/app-$V\nWORKDIR $APP\n");
        let none = BTreeMap::new();
        let build = Build::new(&file, &none);
        assert_eq!(build.resolve(0, 3, "$APP").value, "/opt/app-1.2");
    }

    #[test]
    fn copy_sources_are_stages_images_or_unknown() {
        let file = parse("FROM a:1 AS Build\nFROM b:1\nCOPY --from=x a b\n");
        let none = BTreeMap::new();
        let build = Build::new(&file, &none);
        assert_eq!(build.copy_source("BUILD"), CopySource::Stage(0));
        assert_eq!(build.copy_source("1"), CopySource::Stage(1));
        assert_eq!(build.copy_source("2"), CopySource::Unknown);
        assert_eq!(build.copy_source("nginx:1"), CopySource::Image);
        assert_eq!(build.copy_source("ghcr.io/x/y"), CopySource::Image);
        assert_eq!(build.copy_source("builder"), CopySource::Unknown);
    }
}
