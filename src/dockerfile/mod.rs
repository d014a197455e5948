//! The Dockerfile front end: a BuildKit-faithful parser with spans, BuildKit's word expansion,
//! a stage model with ARG/ENV scoping, and the Dockerfile checks.

pub mod ast;
pub mod checks;
pub mod expand;
pub mod parser;
pub mod shell;
pub mod shellcheck;
pub mod stages;

pub use ast::*;
pub use parser::parse;
