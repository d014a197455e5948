//! `portcullis check`'s own pieces: finding a repository's inputs, baselines, and keeping
//! what changed since a git ref. The command (src/cli/check.rs) runs the three engines over
//! them side by side.

pub mod baseline;
pub mod changed;
pub mod discover;
