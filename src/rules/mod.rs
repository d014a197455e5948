//! The rule catalogue: one file per rule with its metadata and help, one sorted list of them.
//!
//! A rule is a concern ("the container runs as root"), not a check of one engine: the Dockerfile
//! linter, the image scanner and the runtime checker all report the same rule when they see the
//! same problem. Our codes (`PC1001`) and names (`root-user`) are stable and never reused;
//! upstream ids (hadolint `DL…`, BuildKit check names, Trivy `DS-…`, Checkov `CKV…`, CIS
//! sections) are aliases, so their pragmas and configs keep working.

use crate::finding::Severity;

mod add_instead_of_copy;
mod base_image_unpinned;
pub mod catalogue_doc;
mod chmod_setuid;
mod empty_continuation;
mod invalid_instruction;
mod maintainer_deprecated;
mod missing_healthcheck;
mod package_cache_left;
mod pipe_to_shell;
mod root_user;
mod secret_in_arg_env;
mod sudo_usage;
mod syntax_error;
mod tls_verification_disabled;
mod unknown_flag;
mod untrusted_registry;
mod unused_suppression;
mod update_without_install;
mod workdir_relative;

/// Metadata and documentation of one rule.
#[derive(Debug)]
pub struct Rule {
    /// Our stable code, `PC` + four digits. The first digit is the family (see `docs/rules.md`).
    pub code: &'static str,
    /// Short kebab-case name describing the problem.
    pub name: &'static str,
    /// One sentence: what is wrong. Used as SARIF `shortDescription` and in listings.
    pub summary: &'static str,
    pub severity: Severity,
    /// `security` for rules whose findings are security problems (SARIF `security-severity`),
    /// and benchmark sections such as `CIS-Docker-1.6.0:4.1`.
    pub tags: &'static [&'static str],
    /// Upstream ids this rule answers to.
    pub aliases: &'static [&'static str],
    /// Markdown with the fixed headings `## What it catches`, `## Why it matters`, `## Example`.
    pub help: &'static str,
    /// Rules that only run when configured (like hadolint's trusted registries) are off until then.
    pub enabled_by_default: bool,
}

impl Rule {
    pub fn is_security(&self) -> bool {
        self.tags.contains(&"security")
    }

    /// SARIF `security-severity` (a CVSS-like score GitHub maps onto critical/high/medium/low).
    pub fn security_severity(&self) -> Option<&'static str> {
        if !self.is_security() {
            return None;
        }
        Some(match self.severity {
            Severity::Error => "8.0",
            Severity::Warning => "5.5",
            Severity::Info => "3.0",
            Severity::Style => "1.0",
        })
    }

    /// Whether `id` is this rule's code, name or one of its aliases (case-insensitive).
    pub fn is_named_by(&self, id: &str) -> bool {
        self.code.eq_ignore_ascii_case(id)
            || self.name.eq_ignore_ascii_case(id)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
    }

    /// Where the generated reference documents this rule.
    pub fn help_uri(&self) -> String {
        format!(
            "https://github.com/portcullis-security/portcullis/blob/main/docs/rules.md#{}",
            self.code.to_ascii_lowercase()
        )
    }
}

pub use add_instead_of_copy::ADD_INSTEAD_OF_COPY;
pub use base_image_unpinned::BASE_IMAGE_UNPINNED;
pub use chmod_setuid::CHMOD_SETUID;
pub use empty_continuation::EMPTY_CONTINUATION;
pub use invalid_instruction::INVALID_INSTRUCTION;
pub use maintainer_deprecated::MAINTAINER_DEPRECATED;
pub use missing_healthcheck::MISSING_HEALTHCHECK;
pub use package_cache_left::PACKAGE_CACHE_LEFT;
pub use pipe_to_shell::PIPE_TO_SHELL;
pub use root_user::ROOT_USER;
pub use secret_in_arg_env::{SECRET_NAME_IN_ARG_ENV, SECRET_VALUE_IN_ARG_ENV};
pub use sudo_usage::SUDO_USAGE;
pub use syntax_error::SYNTAX_ERROR;
pub use tls_verification_disabled::TLS_VERIFICATION_DISABLED;
pub use unknown_flag::UNKNOWN_FLAG;
pub use untrusted_registry::UNTRUSTED_REGISTRY;
pub use unused_suppression::UNUSED_SUPPRESSION;
pub use update_without_install::UPDATE_WITHOUT_INSTALL;
pub use workdir_relative::WORKDIR_RELATIVE;

/// Every rule, sorted by code. The registry tests keep this list sorted and unique.
pub static CATALOGUE: &[&Rule] = &[
    &SYNTAX_ERROR,
    &INVALID_INSTRUCTION,
    &UNKNOWN_FLAG,
    &EMPTY_CONTINUATION,
    &UNUSED_SUPPRESSION,
    &ROOT_USER,
    &SUDO_USAGE,
    &CHMOD_SETUID,
    &SECRET_NAME_IN_ARG_ENV,
    &SECRET_VALUE_IN_ARG_ENV,
    &BASE_IMAGE_UNPINNED,
    &UNTRUSTED_REGISTRY,
    &TLS_VERIFICATION_DISABLED,
    &PIPE_TO_SHELL,
    &ADD_INSTEAD_OF_COPY,
    &MISSING_HEALTHCHECK,
    &UPDATE_WITHOUT_INSTALL,
    &PACKAGE_CACHE_LEFT,
    &WORKDIR_RELATIVE,
    &MAINTAINER_DEPRECATED,
];

/// Finds a rule by code, name or alias.
pub fn lookup(id: &str) -> Option<&'static Rule> {
    CATALOGUE.iter().copied().find(|rule| rule.is_named_by(id))
}

/// The families that a code's first digit stands for.
pub const FAMILIES: &[(&str, &str)] = &[
    (
        "PC0",
        "Input and policy: the file could not be read as written, or a suppression is stale",
    ),
    ("PC1", "Identity and privilege"),
    ("PC2", "Secrets"),
    (
        "PC3",
        "Supply chain: where software comes from and how it is verified",
    ),
    ("PC4", "Build hygiene"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalogue_is_sorted_by_code_and_codes_are_well_formed() {
        let codes: Vec<_> = CATALOGUE.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted);
        for code in codes {
            assert!(
                code.len() == 6
                    && code.starts_with("PC")
                    && code[2..].bytes().all(|b| b.is_ascii_digit()),
                "malformed code {code}"
            );
            assert!(
                FAMILIES.iter().any(|(p, _)| code.starts_with(p)),
                "{code} has no family"
            );
        }
    }

    #[test]
    fn codes_names_and_aliases_are_unique_across_the_catalogue() {
        let mut seen = HashSet::new();
        for rule in CATALOGUE {
            for id in [rule.code, rule.name].iter().chain(rule.aliases) {
                assert!(seen.insert(id.to_ascii_lowercase()), "{id} is used twice");
            }
        }
    }

    #[test]
    fn names_are_kebab_case_and_describe_the_problem() {
        for rule in CATALOGUE {
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit()),
                "{} is not kebab-case",
                rule.name
            );
            assert!(
                !rule.name.starts_with("no-"),
                "{}: name the problem, not a ban",
                rule.name
            );
        }
    }

    #[test]
    fn every_rule_has_help_with_the_fixed_headings() {
        for rule in CATALOGUE {
            for heading in ["## What it catches", "## Why it matters", "## Example"] {
                assert!(
                    rule.help.contains(heading),
                    "{} help lacks `{heading}`",
                    rule.code
                );
            }
            assert!(
                !rule.summary.is_empty() && !rule.summary.ends_with('.'),
                "{}",
                rule.code
            );
        }
    }

    #[test]
    fn lookup_finds_rules_by_code_name_and_alias_in_any_case() {
        assert_eq!(lookup("pc1001").map(|r| r.code), Some("PC1001"));
        assert_eq!(lookup("root-user").map(|r| r.code), Some("PC1001"));
        assert_eq!(lookup("dl3002").map(|r| r.code), Some("PC1001"));
        assert!(lookup("DL9999").is_none());
    }
}
