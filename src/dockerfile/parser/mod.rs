//! A Dockerfile parser that reads files exactly as BuildKit does, with byte spans everywhere.
//!
//! It never fails and never panics: what BuildKit would reject becomes a [`ParseDiagnostic`]
//! and parsing goes on with the next instruction.
//!
//! Layout: `lines` (physical lines, directives, continuations) feeds the `reader` loop,
//! which hands each logical line to `instruction` (keyword, `flags`, `args`, `json`),
//! reads heredoc bodies found by `heredoc` (via `shlex`), and finally runs `validate`
//! (BuildKit's per-instruction checks, with `flag_rules`, `mount`, `values` and
//! `suggest`).
//!
//! [`ParseDiagnostic`]: crate::dockerfile::ast::ParseDiagnostic

mod args;
mod flag_rules;
mod flags;
mod heredoc;
mod instruction;
mod json;
mod lines;
mod mount;
mod reader;
mod shlex;
mod suggest;
mod validate;
mod values;

#[cfg(test)]
mod tests;

use super::ast::Dockerfile;

/// What [`parse_with`] checks beyond BuildKit's parser proper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Also apply BuildKit's instruction checks: known instructions, accepted flags and their
    /// values, argument counts. Off, only what BuildKit's parser itself rejects is reported.
    pub validate: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions { validate: true }
    }
}

/// Parses a Dockerfile with all checks on.
pub fn parse(source: &str) -> Dockerfile {
    parse_with(source, ParseOptions::default())
}

/// Parses a Dockerfile with the given options.
pub fn parse_with(source: &str, options: ParseOptions) -> Dockerfile {
    reader::Reader::new(source).run(options)
}
