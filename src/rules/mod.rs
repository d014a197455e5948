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
mod credential_file;
mod duplicate_uid_gid;
mod empty_continuation;
mod empty_password;
mod invalid_instruction;
mod maintainer_deprecated;
mod missing_healthcheck;
mod package_cache_left;
mod pipe_to_shell;
mod root_user;
mod secret_in_arg_env;
mod secret_in_image;
mod sudo_usage;
mod syntax_error;
mod tls_verification_disabled;
mod unknown_flag;
mod unnecessary_file;
mod untrusted_registry;
mod unused_suppression;
mod update_without_install;
mod volume_on_system_path;
mod workdir_relative;
mod world_writable_file;
// PC1 runtime rule modules
mod capabilities_not_dropped;
mod capability_added;
mod dangerous_capability;
mod privilege_escalation_allowed;
mod privileged_container;
mod privileged_exec_session;
mod root_group;
mod service_account_token_mounted;
// PC5 runtime rule modules
mod apparmor_disabled;
mod engine_socket_mounted;
mod host_devices_exposed;
mod host_namespace_shared;
mod host_path_volume;
mod mount_propagation_shared;
mod proc_mask_disabled;
mod root_filesystem_writable;
mod seccomp_disabled;
mod seccomp_profile_unset;
mod selinux_disabled;
mod sensitive_host_path_mounted;
mod unsafe_sysctl;
mod volume_type_restricted;
mod windows_host_process;
// PC6 runtime rule modules
mod cgroup_parent_custom;
mod cpu_unlimited;
mod host_port;
mod image_tag_mutable;
mod memory_unlimited;
mod oom_killer_disabled;
mod pids_unlimited;
mod port_all_interfaces;
mod privileged_port;
mod restart_policy_unbounded;
mod sshd_running;
mod ulimits_unset;
// PC7 runtime rule modules
mod authorization_plugin_missing;
mod daemon_rootful;
mod debug_logging;
mod default_ulimits_unset;
mod experimental_enabled;
mod insecure_registry;
mod inter_container_communication;
mod iptables_disabled;
mod legacy_storage_driver;
mod live_restore_off;
mod logging_local_only;
mod new_privileges_by_default;
mod resource_limits_unenforced;
mod seccomp_default_weakened;
mod swarm_mode_enabled;
mod tcp_socket_without_tls;
mod userland_proxy_on;
mod userns_remap_off;

mod apt_in_script;
mod as_keyword_casing;
mod assume_yes_missing;
mod base_image_platform_mismatch;
mod bin_sh_relinked;
mod cd_instead_of_workdir;
mod check_directive_invalid;
mod consecutive_runs;
mod content_trust_not_enforced;
mod copied_archive_extracted;
mod copy_from_own_stage;
mod copy_from_unknown_stage;
mod copy_multiple_sources_to_file;
mod copy_relative_without_workdir;
mod copy_source_ignored;
mod copy_whole_filesystem;
mod curl_and_wget_mixed;
mod definition_description_invalid;
mod deleted_sensitive_file_shipped;
mod download_unverified;
mod duplicate_stage_name;
mod env_same_statement_reference;
mod expose_host_mapping;
mod expose_port_invalid;
mod expose_protocol_casing;
mod inline_suppression;
mod instruction_before_from;
mod instruction_casing_inconsistent;
mod invalid_default_base_image;
mod label_key_invalid;
mod label_missing;
mod label_not_in_schema;
mod label_value_invalid;
mod legacy_key_value_format;
mod overridden_instruction;
mod package_version_unpinned;
mod password_set_in_build;
mod pipe_failure_masked;
mod platform_hardcoded;
mod platform_redundant;
mod recommended_packages_installed;
mod reserved_stage_name;
mod runtime_command_in_build;
mod secret_build_arg_in_run;
mod shell_form_cmd;
mod shell_script_problem;
mod shell_syntax_error;
mod ssh_port_exposed;
mod stage_name_casing;
mod suppression_expired;
mod system_upgrade_in_build;
mod undefined_arg_in_from;
mod undefined_variable;
mod user_not_numeric;
mod useradd_lastlog_bloat;
mod wget_progress_output;
mod whole_context_copied;
mod workdir_on_system_path;

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
pub use credential_file::CREDENTIAL_FILE;
pub use duplicate_uid_gid::DUPLICATE_UID_GID;
pub use empty_continuation::EMPTY_CONTINUATION;
pub use empty_password::EMPTY_PASSWORD;
pub use invalid_instruction::INVALID_INSTRUCTION;
pub use maintainer_deprecated::MAINTAINER_DEPRECATED;
pub use missing_healthcheck::MISSING_HEALTHCHECK;
pub use package_cache_left::PACKAGE_CACHE_LEFT;
pub use pipe_to_shell::PIPE_TO_SHELL;
pub use root_user::ROOT_USER;
pub use secret_in_arg_env::{SECRET_NAME_IN_ARG_ENV, SECRET_VALUE_IN_ARG_ENV};
pub use secret_in_image::SECRET_IN_IMAGE;
pub use sudo_usage::SUDO_USAGE;
pub use syntax_error::SYNTAX_ERROR;
pub use tls_verification_disabled::TLS_VERIFICATION_DISABLED;
pub use unknown_flag::UNKNOWN_FLAG;
pub use unnecessary_file::UNNECESSARY_FILE;
pub use untrusted_registry::UNTRUSTED_REGISTRY;
pub use unused_suppression::UNUSED_SUPPRESSION;
pub use update_without_install::UPDATE_WITHOUT_INSTALL;
pub use volume_on_system_path::VOLUME_ON_SYSTEM_PATH;
pub use workdir_relative::WORKDIR_RELATIVE;
pub use world_writable_file::WORLD_WRITABLE_FILE;
// PC1 runtime rule exports
pub use capabilities_not_dropped::CAPABILITIES_NOT_DROPPED;
pub use capability_added::CAPABILITY_ADDED;
pub use dangerous_capability::DANGEROUS_CAPABILITY;
pub use privilege_escalation_allowed::PRIVILEGE_ESCALATION_ALLOWED;
pub use privileged_container::PRIVILEGED_CONTAINER;
pub use privileged_exec_session::PRIVILEGED_EXEC_SESSION;
pub use root_group::ROOT_GROUP;
pub use service_account_token_mounted::SERVICE_ACCOUNT_TOKEN_MOUNTED;
// PC5 runtime rule exports
pub use apparmor_disabled::APPARMOR_DISABLED;
pub use engine_socket_mounted::ENGINE_SOCKET_MOUNTED;
pub use host_devices_exposed::HOST_DEVICES_EXPOSED;
pub use host_namespace_shared::HOST_NAMESPACE_SHARED;
pub use host_path_volume::HOST_PATH_VOLUME;
pub use mount_propagation_shared::MOUNT_PROPAGATION_SHARED;
pub use proc_mask_disabled::PROC_MASK_DISABLED;
pub use root_filesystem_writable::ROOT_FILESYSTEM_WRITABLE;
pub use seccomp_disabled::SECCOMP_DISABLED;
pub use seccomp_profile_unset::SECCOMP_PROFILE_UNSET;
pub use selinux_disabled::SELINUX_DISABLED;
pub use sensitive_host_path_mounted::SENSITIVE_HOST_PATH_MOUNTED;
pub use unsafe_sysctl::UNSAFE_SYSCTL;
pub use volume_type_restricted::VOLUME_TYPE_RESTRICTED;
pub use windows_host_process::WINDOWS_HOST_PROCESS;
// PC6 runtime rule exports
pub use cgroup_parent_custom::CGROUP_PARENT_CUSTOM;
pub use cpu_unlimited::CPU_UNLIMITED;
pub use host_port::HOST_PORT;
pub use image_tag_mutable::IMAGE_TAG_MUTABLE;
pub use memory_unlimited::MEMORY_UNLIMITED;
pub use oom_killer_disabled::OOM_KILLER_DISABLED;
pub use pids_unlimited::PIDS_UNLIMITED;
pub use port_all_interfaces::PORT_ALL_INTERFACES;
pub use privileged_port::PRIVILEGED_PORT;
pub use restart_policy_unbounded::RESTART_POLICY_UNBOUNDED;
pub(crate) use secret_in_arg_env::is_secret_name;
pub use sshd_running::SSHD_RUNNING;
pub use ulimits_unset::ULIMITS_UNSET;
// PC7 runtime rule exports
pub use authorization_plugin_missing::AUTHORIZATION_PLUGIN_MISSING;
pub use daemon_rootful::DAEMON_ROOTFUL;
pub use debug_logging::DEBUG_LOGGING;
pub use default_ulimits_unset::DEFAULT_ULIMITS_UNSET;
pub use experimental_enabled::EXPERIMENTAL_ENABLED;
pub use insecure_registry::INSECURE_REGISTRY;
pub use inter_container_communication::INTER_CONTAINER_COMMUNICATION;
pub use iptables_disabled::IPTABLES_DISABLED;
pub use legacy_storage_driver::LEGACY_STORAGE_DRIVER;
pub use live_restore_off::LIVE_RESTORE_OFF;
pub use logging_local_only::LOGGING_LOCAL_ONLY;
pub use new_privileges_by_default::NEW_PRIVILEGES_BY_DEFAULT;
pub use resource_limits_unenforced::RESOURCE_LIMITS_UNENFORCED;
pub use seccomp_default_weakened::SECCOMP_DEFAULT_WEAKENED;
pub use swarm_mode_enabled::SWARM_MODE_ENABLED;
pub use tcp_socket_without_tls::TCP_SOCKET_WITHOUT_TLS;
pub use userland_proxy_on::USERLAND_PROXY_ON;
pub use userns_remap_off::USERNS_REMAP_OFF;

pub use apt_in_script::APT_IN_SCRIPT;
pub use as_keyword_casing::AS_KEYWORD_CASING;
pub use assume_yes_missing::ASSUME_YES_MISSING;
pub use base_image_platform_mismatch::BASE_IMAGE_PLATFORM_MISMATCH;
pub use bin_sh_relinked::BIN_SH_RELINKED;
pub use cd_instead_of_workdir::CD_INSTEAD_OF_WORKDIR;
pub use check_directive_invalid::CHECK_DIRECTIVE_INVALID;
pub use consecutive_runs::CONSECUTIVE_RUNS;
pub use content_trust_not_enforced::CONTENT_TRUST_NOT_ENFORCED;
pub use copied_archive_extracted::COPIED_ARCHIVE_EXTRACTED;
pub use copy_from_own_stage::COPY_FROM_OWN_STAGE;
pub use copy_from_unknown_stage::COPY_FROM_UNKNOWN_STAGE;
pub use copy_multiple_sources_to_file::COPY_MULTIPLE_SOURCES_TO_FILE;
pub use copy_relative_without_workdir::COPY_RELATIVE_WITHOUT_WORKDIR;
pub use copy_source_ignored::COPY_SOURCE_IGNORED;
pub use copy_whole_filesystem::COPY_WHOLE_FILESYSTEM;
pub use curl_and_wget_mixed::CURL_AND_WGET_MIXED;
pub use definition_description_invalid::DEFINITION_DESCRIPTION_INVALID;
pub use deleted_sensitive_file_shipped::DELETED_SENSITIVE_FILE_SHIPPED;
pub use download_unverified::DOWNLOAD_UNVERIFIED;
pub use duplicate_stage_name::DUPLICATE_STAGE_NAME;
pub use env_same_statement_reference::ENV_SAME_STATEMENT_REFERENCE;
pub use expose_host_mapping::EXPOSE_HOST_MAPPING;
pub use expose_port_invalid::EXPOSE_PORT_INVALID;
pub use expose_protocol_casing::EXPOSE_PROTOCOL_CASING;
pub use inline_suppression::INLINE_SUPPRESSION;
pub use instruction_before_from::INSTRUCTION_BEFORE_FROM;
pub use instruction_casing_inconsistent::INSTRUCTION_CASING_INCONSISTENT;
pub use invalid_default_base_image::INVALID_DEFAULT_BASE_IMAGE;
pub use label_key_invalid::LABEL_KEY_INVALID;
pub use label_missing::LABEL_MISSING;
pub use label_not_in_schema::LABEL_NOT_IN_SCHEMA;
pub use label_value_invalid::LABEL_VALUE_INVALID;
pub use legacy_key_value_format::LEGACY_KEY_VALUE_FORMAT;
pub use overridden_instruction::OVERRIDDEN_INSTRUCTION;
pub use package_version_unpinned::PACKAGE_VERSION_UNPINNED;
pub use password_set_in_build::PASSWORD_SET_IN_BUILD;
pub use pipe_failure_masked::PIPE_FAILURE_MASKED;
pub use platform_hardcoded::PLATFORM_HARDCODED;
pub use platform_redundant::PLATFORM_REDUNDANT;
pub use recommended_packages_installed::RECOMMENDED_PACKAGES_INSTALLED;
pub use reserved_stage_name::RESERVED_STAGE_NAME;
pub use runtime_command_in_build::RUNTIME_COMMAND_IN_BUILD;
pub use secret_build_arg_in_run::SECRET_BUILD_ARG_IN_RUN;
pub use shell_form_cmd::SHELL_FORM_CMD;
pub use shell_script_problem::SHELL_SCRIPT_PROBLEM;
pub use shell_syntax_error::SHELL_SYNTAX_ERROR;
pub use ssh_port_exposed::SSH_PORT_EXPOSED;
pub use stage_name_casing::STAGE_NAME_CASING;
pub use suppression_expired::SUPPRESSION_EXPIRED;
pub use system_upgrade_in_build::SYSTEM_UPGRADE_IN_BUILD;
pub use undefined_arg_in_from::UNDEFINED_ARG_IN_FROM;
pub use undefined_variable::UNDEFINED_VARIABLE;
pub use user_not_numeric::USER_NOT_NUMERIC;
pub use useradd_lastlog_bloat::USERADD_LASTLOG_BLOAT;
pub use wget_progress_output::WGET_PROGRESS_OUTPUT;
pub use whole_context_copied::WHOLE_CONTEXT_COPIED;
pub use workdir_on_system_path::WORKDIR_ON_SYSTEM_PATH;

/// Every rule, sorted by code. The registry tests keep this list sorted and unique.
pub static CATALOGUE: &[&Rule] = &[
    &SYNTAX_ERROR,
    &INVALID_INSTRUCTION,
    &UNKNOWN_FLAG,
    &EMPTY_CONTINUATION,
    &UNUSED_SUPPRESSION,
    &SUPPRESSION_EXPIRED,
    &INLINE_SUPPRESSION,
    &SHELL_SCRIPT_PROBLEM,
    &SHELL_SYNTAX_ERROR,
    &ROOT_USER,
    &SUDO_USAGE,
    &CHMOD_SETUID,
    // PC1 runtime rules
    &PRIVILEGED_CONTAINER,
    &CAPABILITY_ADDED,
    &DANGEROUS_CAPABILITY,
    &CAPABILITIES_NOT_DROPPED,
    &PRIVILEGE_ESCALATION_ALLOWED,
    &ROOT_GROUP,
    &PRIVILEGED_EXEC_SESSION,
    &SERVICE_ACCOUNT_TOKEN_MOUNTED,
    &WORLD_WRITABLE_FILE,
    &EMPTY_PASSWORD,
    &DUPLICATE_UID_GID,
    &SECRET_NAME_IN_ARG_ENV,
    &SECRET_VALUE_IN_ARG_ENV,
    &CREDENTIAL_FILE,
    &SECRET_IN_IMAGE,
    &PASSWORD_SET_IN_BUILD,
    &SECRET_BUILD_ARG_IN_RUN,
    &WHOLE_CONTEXT_COPIED,
    &DELETED_SENSITIVE_FILE_SHIPPED,
    &BASE_IMAGE_UNPINNED,
    &UNTRUSTED_REGISTRY,
    &TLS_VERIFICATION_DISABLED,
    &PIPE_TO_SHELL,
    // PC3 runtime rules
    &IMAGE_TAG_MUTABLE,
    &PACKAGE_VERSION_UNPINNED,
    &DOWNLOAD_UNVERIFIED,
    &CONTENT_TRUST_NOT_ENFORCED,
    &ADD_INSTEAD_OF_COPY,
    &MISSING_HEALTHCHECK,
    &UPDATE_WITHOUT_INSTALL,
    &PACKAGE_CACHE_LEFT,
    &WORKDIR_RELATIVE,
    &MAINTAINER_DEPRECATED,
    &UNNECESSARY_FILE,
    &ASSUME_YES_MISSING,
    &RECOMMENDED_PACKAGES_INSTALLED,
    &APT_IN_SCRIPT,
    &SYSTEM_UPGRADE_IN_BUILD,
    &CD_INSTEAD_OF_WORKDIR,
    &COPIED_ARCHIVE_EXTRACTED,
    &USERADD_LASTLOG_BLOAT,
    &WGET_PROGRESS_OUTPUT,
    &CONSECUTIVE_RUNS,
    &CURL_AND_WGET_MIXED,
    // PC5 runtime rules
    &APPARMOR_DISABLED,
    &SELINUX_DISABLED,
    &SECCOMP_DISABLED,
    &SECCOMP_PROFILE_UNSET,
    &PROC_MASK_DISABLED,
    &ROOT_FILESYSTEM_WRITABLE,
    &HOST_NAMESPACE_SHARED,
    &HOST_DEVICES_EXPOSED,
    &SENSITIVE_HOST_PATH_MOUNTED,
    &ENGINE_SOCKET_MOUNTED,
    &MOUNT_PROPAGATION_SHARED,
    &HOST_PATH_VOLUME,
    &VOLUME_TYPE_RESTRICTED,
    &UNSAFE_SYSCTL,
    &WINDOWS_HOST_PROCESS,
    &VOLUME_ON_SYSTEM_PATH,
    // PC6 runtime rules
    &MEMORY_UNLIMITED,
    &CPU_UNLIMITED,
    &PIDS_UNLIMITED,
    &RESTART_POLICY_UNBOUNDED,
    &ULIMITS_UNSET,
    &OOM_KILLER_DISABLED,
    &CGROUP_PARENT_CUSTOM,
    &PRIVILEGED_PORT,
    &PORT_ALL_INTERFACES,
    &HOST_PORT,
    &SSHD_RUNNING,
    &SSH_PORT_EXPOSED,
    // PC7 runtime rules
    &DAEMON_ROOTFUL,
    &INTER_CONTAINER_COMMUNICATION,
    &DEBUG_LOGGING,
    &IPTABLES_DISABLED,
    &INSECURE_REGISTRY,
    &LEGACY_STORAGE_DRIVER,
    &TCP_SOCKET_WITHOUT_TLS,
    &DEFAULT_ULIMITS_UNSET,
    &USERNS_REMAP_OFF,
    &AUTHORIZATION_PLUGIN_MISSING,
    &LOGGING_LOCAL_ONLY,
    &NEW_PRIVILEGES_BY_DEFAULT,
    &LIVE_RESTORE_OFF,
    &USERLAND_PROXY_ON,
    &SECCOMP_DEFAULT_WEAKENED,
    &EXPERIMENTAL_ENABLED,
    &SWARM_MODE_ENABLED,
    &RESOURCE_LIMITS_UNENFORCED,
    &COPY_FROM_UNKNOWN_STAGE,
    &COPY_FROM_OWN_STAGE,
    &DUPLICATE_STAGE_NAME,
    &RESERVED_STAGE_NAME,
    &PLATFORM_HARDCODED,
    &PLATFORM_REDUNDANT,
    &COPY_WHOLE_FILESYSTEM,
    &COPY_RELATIVE_WITHOUT_WORKDIR,
    &COPY_MULTIPLE_SOURCES_TO_FILE,
    &INSTRUCTION_BEFORE_FROM,
    &EXPOSE_PORT_INVALID,
    &EXPOSE_HOST_MAPPING,
    &OVERRIDDEN_INSTRUCTION,
    &SHELL_FORM_CMD,
    &ENV_SAME_STATEMENT_REFERENCE,
    &USER_NOT_NUMERIC,
    &WORKDIR_ON_SYSTEM_PATH,
    &RUNTIME_COMMAND_IN_BUILD,
    &BIN_SH_RELINKED,
    &PIPE_FAILURE_MASKED,
    &UNDEFINED_VARIABLE,
    &UNDEFINED_ARG_IN_FROM,
    &INVALID_DEFAULT_BASE_IMAGE,
    &BASE_IMAGE_PLATFORM_MISMATCH,
    &COPY_SOURCE_IGNORED,
    &CHECK_DIRECTIVE_INVALID,
    &STAGE_NAME_CASING,
    &AS_KEYWORD_CASING,
    &DEFINITION_DESCRIPTION_INVALID,
    &EXPOSE_PROTOCOL_CASING,
    &LABEL_KEY_INVALID,
    &INSTRUCTION_CASING_INCONSISTENT,
    &LEGACY_KEY_VALUE_FORMAT,
    &LABEL_MISSING,
    &LABEL_NOT_IN_SCHEMA,
    &LABEL_VALUE_INVALID,
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
    (
        "PC5",
        "Isolation: kernel confinement, host namespaces, mounts and devices",
    ),
    ("PC6", "Resources, ports and availability"),
    (
        "PC7",
        "Engine configuration: how the Docker or Podman daemon is set up",
    ),
    (
        "PC8",
        "Build correctness: instructions that fail, are ignored, or do not do what they seem to",
    ),
    (
        "PC9",
        "Style and consistency: casing, formats and labels that make Dockerfiles easier to read and maintain",
    ),
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
