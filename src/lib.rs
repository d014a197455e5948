//! Portcullis: one gate for container security.
//!
//! Data flows one way: sources → engines → [`finding::Finding`]s → policy ([`config`]) →
//! reporters ([`report`]). Engines know nothing about output formats; reporters know nothing
//! about Dockerfiles.

pub mod annotate;
pub mod check;
pub mod cli;
pub mod config;
pub mod diff;
pub mod dockerfile;
pub mod engine;
pub mod finding;
pub(crate) mod hex;
pub mod http;
pub mod image;
pub mod lint;
pub mod reference;
pub mod report;
pub mod rules;
pub mod runtime;
pub mod source;
pub mod suggest;
#[cfg(test)]
pub(crate) mod test_support;
pub mod timestamp;
pub mod vuln;
pub mod walk;
