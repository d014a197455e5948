//! BuildKit's `# check=` directive, applied as policy to the findings of BuildKit's checks.
//!
//! `# check=skip=<Check,…|all>;error=<bool>;experimental=<Check,…|all>` at the top of a
//! Dockerfile (or the `BUILDKIT_DOCKERFILE_CHECK` build argument, which replaces it) says which
//! BuildKit checks run and whether their findings fail the build. BuildKit also merges the same
//! comment when it sits directly above an instruction, for the checks about that instruction.
//!
//! Our rules answer to BuildKit check names through their aliases, so a finding is governed by
//! the directive when one of its effective aliases is a BuildKit check:
//! - `skip` takes the named BuildKit aliases off it (`all`: every BuildKit alias); a finding
//!   left with no alias is dropped, one that still answers to another tool (`DL3025`,
//!   `DS-0022`…) is kept under those ids, since those tools know nothing of the directive;
//! - `experimental` turns on the experimental checks (`InvalidDefinitionDescription`), which are
//!   otherwise off; `skip` does not touch them, as in BuildKit;
//! - `error=true` reports the findings that still carry a BuildKit alias at `error`.
//!
//! Findings without a BuildKit alias are left to the configuration alone.

use std::collections::BTreeMap;

use crate::dockerfile::ast::{Dockerfile, Span};
use crate::finding::{Finding, Severity};
use crate::rules::Rule;

use super::Config;

/// Every check BuildKit's linter knows (`frontend/dockerfile/linter/ruleset.go`).
pub const BUILDKIT_CHECKS: &[&str] = &[
    "StageNameCasing",
    "FromAsCasing",
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "JSONArgsRecommended",
    "MaintainerDeprecated",
    "UndefinedArgInFrom",
    "WorkdirRelativePath",
    "UndefinedVar",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "InvalidBaseImagePlatform",
    "RedundantTargetPlatform",
    "SecretsUsedInArgOrEnv",
    "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed",
    "CopyIgnoredFile",
    "InvalidDefinitionDescription",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
];

/// The checks BuildKit keeps off unless `experimental=` names them.
pub const EXPERIMENTAL_CHECKS: &[&str] = &["InvalidDefinitionDescription"];

/// The build argument that replaces the directive.
pub const BUILD_ARG: &str = "BUILDKIT_DOCKERFILE_CHECK";

/// One `check=` value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckOptions {
    pub skip_all: bool,
    pub skip: Vec<String>,
    pub error: bool,
    pub experimental_all: bool,
    pub experimental: Vec<String>,
}

impl CheckOptions {
    /// Reads a `check=` value as BuildKit does: `key=value` options separated by `;`, names
    /// separated by `,`. An empty value is no option at all.
    pub fn parse(value: &str) -> Result<CheckOptions, String> {
        let mut options = CheckOptions::default();
        let value = value.trim();
        if value.is_empty() {
            return Ok(options);
        }
        for part in value.split(';') {
            let Some((key, value)) = part.split_once('=') else {
                return Err(format!(
                    "`{}` is not an option: write `skip=…`, `error=…` or `experimental=…`",
                    part.trim()
                ));
            };
            let value = value.trim();
            let names = || -> Vec<String> {
                value
                    .split(',')
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty())
                    .collect()
            };
            match key.trim() {
                "skip" if value == "all" => options.skip_all = true,
                "skip" => options.skip = names(),
                "experimental" if value == "all" => options.experimental_all = true,
                "experimental" => options.experimental = names(),
                "error" => {
                    options.error = parse_bool(value).ok_or_else(|| {
                        format!("`error={value}` is not a boolean: write `error=true` or `error=false`")
                    })?;
                }
                other => {
                    return Err(format!(
                        "`{other}` is not a check option: the options are `skip`, `error` and `experimental`"
                    ))
                }
            }
        }
        Ok(options)
    }

    /// This directive with `other` merged in (lists joined, flags or-ed).
    fn merged(&self, other: &CheckOptions) -> CheckOptions {
        let mut skip = self.skip.clone();
        skip.extend(other.skip.iter().cloned());
        let mut experimental = self.experimental.clone();
        experimental.extend(other.experimental.iter().cloned());
        CheckOptions {
            skip_all: self.skip_all || other.skip_all,
            skip,
            error: self.error || other.error,
            experimental_all: self.experimental_all || other.experimental_all,
            experimental,
        }
    }

    fn enables_experimental(&self, name: &str) -> bool {
        self.experimental_all || self.experimental.iter().any(|n| n == name)
    }

    fn skips(&self, name: &str) -> bool {
        self.skip_all || self.skip.iter().any(|n| n == name)
    }

    /// Whether the check named `name` runs under these options.
    fn runs(&self, name: &str) -> bool {
        if EXPERIMENTAL_CHECKS.contains(&name) {
            self.enables_experimental(name)
        } else {
            !self.skips(name)
        }
    }
}

/// Go's `strconv.ParseBool`.
fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// The value of a `check=` written in a comment (`text` is what follows the `#`), as BuildKit
/// recognises directives: `key = value` with a case-insensitive key.
pub fn comment_value(text: &str) -> Option<&str> {
    let text = text.trim();
    let (key, value) = text.split_once('=')?;
    key.trim()
        .eq_ignore_ascii_case("check")
        .then(|| value.trim())
        .filter(|v| !v.is_empty())
}

/// The directive of a file and the per-instruction ones, ready to judge findings.
#[derive(Debug, Clone, Default)]
pub struct CheckPolicy {
    file: CheckOptions,
    /// Byte range (comments above included) of each instruction that has its own `check=`.
    instructions: Vec<(Span, CheckOptions)>,
}

impl CheckPolicy {
    /// Reads the policy of `file`; `BUILDKIT_DOCKERFILE_CHECK` in `build_args` replaces the
    /// file's directive. Values that cannot be read count as no directive (the
    /// `check-directive-invalid` rule reports them).
    pub fn of(file: &Dockerfile, build_args: &BTreeMap<String, String>) -> CheckPolicy {
        let file_value = match build_args.get(BUILD_ARG) {
            Some(value) => Some(value.as_str()),
            None => file
                .directives
                .iter()
                .find(|d| d.name == "check")
                .map(|d| d.value.as_str()),
        };
        let file_options = file_value
            .and_then(|v| CheckOptions::parse(v).ok())
            .unwrap_or_default();
        let mut instructions = Vec::new();
        for instruction in &file.instructions {
            let mut options: Option<CheckOptions> = None;
            for comment in &instruction.prev_comments {
                let Some(parsed) =
                    comment_value(&comment.text).and_then(|v| CheckOptions::parse(v).ok())
                else {
                    continue;
                };
                options = Some(options.unwrap_or_default().merged(&parsed));
            }
            if let Some(options) = options {
                let start = instruction
                    .prev_comments
                    .first()
                    .map_or(instruction.span.start, |c| c.span.start);
                instructions.push((Span::new(start, instruction.span.end), options));
            }
        }
        CheckPolicy {
            file: file_options,
            instructions,
        }
    }

    /// The options in force at byte `offset`.
    fn at(&self, offset: usize) -> CheckOptions {
        self.instructions
            .iter()
            .filter(|(span, _)| span.start <= offset && offset <= span.end)
            .fold(self.file.clone(), |acc, (_, o)| acc.merged(o))
    }

    /// Whether the directive turns on `rule` although the configuration may keep it off: an
    /// experimental BuildKit check named by `experimental=` anywhere in the file.
    pub fn enables(&self, rule: &Rule) -> bool {
        rule.aliases
            .iter()
            .filter(|a| EXPERIMENTAL_CHECKS.contains(a))
            .any(|name| {
                self.file.enables_experimental(name)
                    || self
                        .instructions
                        .iter()
                        .any(|(_, o)| o.enables_experimental(name))
            })
    }

    /// The configuration's verdict on each finding ([`Config::apply`]), with the directive
    /// applied to the findings of BuildKit checks: a BuildKit alias the directive turns off is
    /// taken off the finding, which is dropped only when no alias is left that the directive
    /// does not govern (hadolint's, Trivy's… still report it); `error=true` raises the findings
    /// that still carry a BuildKit alias.
    pub fn apply(&self, config: &Config, findings: Vec<Finding>) -> Vec<Finding> {
        let mut out = Vec::with_capacity(findings.len());
        for mut finding in findings {
            let names: Vec<&'static str> = finding
                .effective_aliases()
                .iter()
                .copied()
                .filter(|a| BUILDKIT_CHECKS.contains(a))
                .collect();
            if names.is_empty() {
                if config.is_finding_enabled(&finding) {
                    finding.severity = config.severity_for(&finding);
                    out.push(finding);
                }
                continue;
            }
            let offset = finding.location.region.map_or(0, |r| r.bytes.0);
            let options = self.at(offset);
            let (running, off): (Vec<&'static str>, Vec<&'static str>) =
                names.iter().partition(|n| options.runs(n));
            if !off.is_empty() {
                finding.aliases.retain(|a| !off.contains(a));
                if finding.aliases.is_empty() {
                    continue;
                }
            }
            // An experimental check the directive turns on runs even when the configuration
            // keeps its rule off.
            let forced = running
                .iter()
                .any(|n| EXPERIMENTAL_CHECKS.contains(n) && options.enables_experimental(n));
            if !forced && !config.is_finding_enabled(&finding) {
                continue;
            }
            finding.severity = if options.error && !running.is_empty() {
                Severity::Error
            } else {
                config.severity_for(&finding)
            };
            out.push(finding);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::finding::Location;
    use crate::rules;
    use crate::source::LineIndex;

    #[test]
    fn parses_options_like_buildkit() {
        assert_eq!(CheckOptions::parse("").unwrap(), CheckOptions::default());
        let o = CheckOptions::parse(" skip = A, B ;error=true; experimental=all").unwrap();
        assert_eq!(o.skip, ["A", "B"]);
        assert!(o.error && o.experimental_all && !o.skip_all);
        assert!(CheckOptions::parse("skip=all").unwrap().skip_all);
        assert!(!CheckOptions::parse("error=F").unwrap().error);
        assert_eq!(
            CheckOptions::parse("error=yes").unwrap_err(),
            "`error=yes` is not a boolean: write `error=true` or `error=false`"
        );
        assert_eq!(
            CheckOptions::parse("skip").unwrap_err(),
            "`skip` is not an option: write `skip=…`, `error=…` or `experimental=…`"
        );
        assert!(CheckOptions::parse("ignore=x").is_err());
    }

    #[test]
    fn recognises_check_comments() {
        assert_eq!(comment_value(" check=skip=all"), Some("skip=all"));
        assert_eq!(comment_value("CHECK = error=true "), Some("error=true"));
        assert_eq!(comment_value(" checks=skip=all"), None);
        assert_eq!(comment_value(" just a comment"), None);
    }

    /// A finding of `rule` at the start of line `line` of `source`.
    fn at_line(rule: &'static Rule, source: &str, line: u32) -> Finding {
        let index = LineIndex::new(source);
        let start = index.offset(crate::finding::Position { line, column: 1 });
        let location = Location {
            path: Path::new("Dockerfile").to_path_buf(),
            region: Some(index.region(Span::new(start, start + 1))),
        };
        Finding::new(rule, "m", location)
    }

    /// The policy of `source`, without build arguments.
    fn policy_of(source: &str) -> CheckPolicy {
        CheckPolicy::of(&crate::dockerfile::parse(source), &BTreeMap::new())
    }

    fn codes(findings: &[Finding]) -> Vec<(&'static str, Severity)> {
        findings.iter().map(|f| (f.rule.code, f.severity)).collect()
    }

    #[test]
    fn skip_drops_findings_that_only_buildkit_reports() {
        let source = "# check=skip=UndefinedVar\nFROM a:1\nCOPY $NOPE /x\nRUN sudo x\n";
        let policy = policy_of(source);
        let config = Config::default();
        let findings = vec![
            at_line(&rules::UNDEFINED_VARIABLE, source, 3),
            at_line(&rules::SUDO_USAGE, source, 4),
        ];
        assert_eq!(
            codes(&policy.apply(&config, findings)),
            [("PC1002", rules::SUDO_USAGE.severity)]
        );

        let source = "# check=skip=all\nFROM a:1 AS Build\nCOPY $NOPE /x\nRUN sudo x\n";
        let policy = policy_of(source);
        let findings = vec![
            at_line(&rules::STAGE_NAME_CASING, source, 2),
            at_line(&rules::UNDEFINED_VARIABLE, source, 3),
            at_line(&rules::SUDO_USAGE, source, 4),
        ];
        assert_eq!(
            codes(&policy.apply(&config, findings)),
            [("PC1002", rules::SUDO_USAGE.severity)]
        );
    }

    #[test]
    fn skip_only_takes_the_buildkit_alias_off_a_finding_other_tools_make() {
        let source = "# check=skip=MaintainerDeprecated\nFROM a:1\nMAINTAINER me\n";
        let policy = policy_of(source);
        let kept = policy.apply(
            &Config::default(),
            vec![at_line(&rules::MAINTAINER_DEPRECATED, source, 3)],
        );
        assert_eq!(
            codes(&kept),
            [("PC4006", rules::MAINTAINER_DEPRECATED.severity)]
        );
        assert!(!kept[0].is_named_by("MaintainerDeprecated"));
        assert!(kept[0].is_named_by("DL4000") && kept[0].is_named_by("DS-0022"));

        // `all` too: the finding keeps its hadolint, Trivy and Checkov ids.
        let source = "# check=skip=all\nFROM a:1 AS b\nFROM a:1 AS b\n";
        let policy = policy_of(source);
        let kept = policy.apply(
            &Config::default(),
            vec![at_line(&rules::DUPLICATE_STAGE_NAME, source, 3)],
        );
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].aliases, ["DL3024", "DS-0012", "CKV_DOCKER_11"]);
    }

    #[test]
    fn skipped_and_error_leave_a_finding_that_other_tools_make_at_its_severity() {
        // `CMD cat /out` is both hadolint's DL3025 and BuildKit's JSONArgsRecommended.
        let body = "FROM a:1\nCMD cat /out\n";
        let finding = |source: &str| {
            at_line(&rules::SHELL_FORM_CMD, source, 3)
                .with_aliases(&["DL3025", "JSONArgsRecommended"])
        };
        let source = format!("# check=skip=JSONArgsRecommended;error=true\n{body}");
        let policy = policy_of(&source);
        let kept = policy.apply(&Config::default(), vec![finding(&source)]);
        assert_eq!(codes(&kept), [("PC8023", rules::SHELL_FORM_CMD.severity)]);
        assert_eq!(kept[0].aliases, ["DL3025"]);

        // Not skipped: raised, with both ids.
        let source = format!("# check=error=true\n{body}");
        let policy = policy_of(&source);
        let kept = policy.apply(&Config::default(), vec![finding(&source)]);
        assert_eq!(codes(&kept), [("PC8023", Severity::Error)]);
        assert_eq!(kept[0].aliases, ["DL3025", "JSONArgsRecommended"]);

        // Skipping another check changes nothing for it.
        let source = format!("# check=skip=StageNameCasing;error=true\n{body}");
        let policy = policy_of(&source);
        let kept = policy.apply(&Config::default(), vec![finding(&source)]);
        assert_eq!(codes(&kept), [("PC8023", Severity::Error)]);
        assert_eq!(kept[0].aliases, ["DL3025", "JSONArgsRecommended"]);

        // A finding narrowed to JSONArgsRecommended alone goes with the skip.
        let source = format!("# check=skip=JSONArgsRecommended\n{body}");
        let policy = policy_of(&source);
        let only_buildkit =
            at_line(&rules::SHELL_FORM_CMD, &source, 3).with_aliases(&["JSONArgsRecommended"]);
        assert!(policy
            .apply(&Config::default(), vec![only_buildkit])
            .is_empty());
    }

    #[test]
    fn a_finding_narrowed_to_non_buildkit_aliases_is_not_skipped() {
        let source = "# check=skip=MaintainerDeprecated\nFROM a:1\nMAINTAINER me\n";
        let policy = policy_of(source);
        let finding = at_line(&rules::MAINTAINER_DEPRECATED, source, 3).with_aliases(&["DL4000"]);
        assert_eq!(policy.apply(&Config::default(), vec![finding]).len(), 1);
    }

    #[test]
    fn error_true_raises_buildkit_findings_only() {
        let source = "# check=error=true\nFROM a:1\nMAINTAINER me\nRUN sudo x\n";
        let policy = policy_of(source);
        let findings = vec![
            at_line(&rules::MAINTAINER_DEPRECATED, source, 3),
            at_line(&rules::SUDO_USAGE, source, 4),
        ];
        assert_eq!(
            codes(&policy.apply(&Config::default(), findings)),
            [
                ("PC4006", Severity::Error),
                ("PC1002", rules::SUDO_USAGE.severity)
            ]
        );
    }

    #[test]
    fn a_comment_above_an_instruction_applies_to_that_instruction_only() {
        let source = "FROM a:1\n# check=skip=UndefinedVar\nCOPY $A /a\nCOPY $B /b\n";
        let policy = policy_of(source);
        let findings = vec![
            at_line(&rules::UNDEFINED_VARIABLE, source, 3),
            at_line(&rules::UNDEFINED_VARIABLE, source, 4),
        ];
        let kept = policy.apply(&Config::default(), findings);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].line(), Some(4));
    }

    #[test]
    fn experimental_checks_need_experimental_and_ignore_skip_all() {
        let rule = &rules::DEFINITION_DESCRIPTION_INVALID;
        assert!(rule.aliases.contains(&"InvalidDefinitionDescription"));
        let source =
            "# check=experimental=InvalidDefinitionDescription;skip=all\n# bad\nFROM a:1 AS b\n";
        let policy = policy_of(source);
        assert!(policy.enables(rule));
        assert!(!policy.enables(&rules::MAINTAINER_DEPRECATED));
        let kept = policy.apply(&Config::default(), vec![at_line(rule, source, 3)]);
        assert_eq!(kept.len(), 1);
        let policy = policy_of("# bad\nFROM a:1 AS b\n");
        assert!(!policy.enables(rule));
        let kept = policy.apply(&Config::default(), vec![at_line(rule, source, 3)]);
        assert_eq!(kept.len(), rule.enabled_by_default as usize);
    }

    #[test]
    fn the_build_argument_replaces_the_directive() {
        let source = "# check=skip=MaintainerDeprecated\nFROM a:1\nMAINTAINER me\n";
        let file = crate::dockerfile::parse(source);
        let args: BTreeMap<String, String> = [(BUILD_ARG.to_owned(), "error=true".to_owned())]
            .into_iter()
            .collect();
        let policy = CheckPolicy::of(&file, &args);
        let kept = policy.apply(
            &Config::default(),
            vec![at_line(&rules::MAINTAINER_DEPRECATED, source, 3)],
        );
        assert_eq!(codes(&kept), [("PC4006", Severity::Error)]);
    }

    #[test]
    fn end_to_end_through_the_linter() {
        let lint = |source: &str| {
            let settings = crate::lint::LintSettings::default();
            let (_, findings) =
                crate::lint::lint_source(Path::new("-"), source.to_owned(), &settings);
            findings
                .iter()
                .map(|f| (f.rule.code, f.severity, f.line().unwrap_or(0)))
                .filter(|(code, _, _)| ["PC9003", "PC4006", "PC8050"].contains(code))
                .collect::<Vec<_>>()
        };
        let body = "\n# bad description\nFROM alpine:3 AS build\nMAINTAINER x\nCOPY $NOPE /x\n";
        let directive = "# check=experimental=InvalidDefinitionDescription;error=true\n";
        assert_eq!(
            lint(&format!("{directive}{body}")),
            [
                ("PC9003", Severity::Error, 3),
                ("PC4006", Severity::Error, 5),
                ("PC8050", Severity::Error, 6)
            ]
        );
        assert_eq!(
            lint(body),
            [
                ("PC4006", rules::MAINTAINER_DEPRECATED.severity, 4),
                ("PC8050", rules::UNDEFINED_VARIABLE.severity, 5)
            ]
        );
        // MAINTAINER stays: hadolint (DL4000) and others report it too.
        let skipped = lint(&format!(
            "# check=skip=UndefinedVar,MaintainerDeprecated\n{body}"
        ));
        assert_eq!(
            skipped,
            [("PC4006", rules::MAINTAINER_DEPRECATED.severity, 5)]
        );
    }

    #[test]
    fn an_unreadable_directive_changes_nothing() {
        let source = "# check=skip\nFROM a:1\nMAINTAINER me\n";
        let policy = policy_of(source);
        let kept = policy.apply(
            &Config::default(),
            vec![at_line(&rules::MAINTAINER_DEPRECATED, source, 3)],
        );
        assert_eq!(kept.len(), 1);
    }
}
