//! Secret detection in text (issue 8): [`image`] wires it into the image scan (every layer's
//! files, the config's `ENV` values, labels and history).
//!
//! [`rules`] holds the built-in rule set (and [`rules::RuleSpec`], extra rules from
//! configuration); [`scanner::SecretScanner`] runs them over file contents or short texts (ENV
//! values, labels, history `created_by` lines). One Aho-Corasick automaton over every rule's
//! keywords decides which rules run at all, so a file without any keyword costs one pass.
//! Matches carry only the masked secret ([`mask`]), never the secret itself.

pub mod image;
pub mod rules;
pub mod scanner;

pub use rules::{builtin_rules, optional_rules, Pattern, Rule, RuleError, RuleSpec};
pub use scanner::{mask, SecretMatch, SecretScanner};
