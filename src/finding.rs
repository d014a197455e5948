//! The one data model every engine emits and every reporter reads.
//!
//! Engines produce [`Finding`]s; the policy layer (config, suppressions, threshold) filters them
//! and settles their severity; reporters turn a [`Report`] into bytes. Nothing in here knows
//! about Dockerfiles or output formats.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::rules::Rule;

/// How serious a finding is. Ordered: `Style < Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Style,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Style,
        Severity::Info,
        Severity::Warning,
        Severity::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Style => "style",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "style" => Ok(Severity::Style),
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}` (expected error, warning, info or style)"
            )),
        }
    }
}

/// A 1-based line and column. Columns count Unicode code points, so a tab or a multi-byte
/// character is one column; SARIF runs declare `columnKind: unicodeCodePoints` to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// A region of a text file: `start` inclusive, `end` exclusive (the column just after the last
/// character), plus the byte range it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Region {
    pub start: Position,
    pub end: Position,
    #[serde(skip)]
    pub bytes: (usize, usize),
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The path as the user gave it (relative paths stay relative), `-` for standard input.
    pub path: PathBuf,
    /// `None` for findings about a whole file.
    pub region: Option<Region>,
}

/// One problem found by one rule at one place.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    /// The effective severity: the rule's default unless the policy overrode it.
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// Upstream ids (hadolint, BuildKit, Trivy, Checkov…) this particular finding corresponds to;
    /// all of the rule's aliases unless the check narrowed them. A rule that covers several
    /// upstream checks (say, package caches for apt and for pip) names the ones that apply, so
    /// that `# hadolint ignore=DL3009` silences the apt case only; a finding no upstream tool
    /// would make has none.
    pub aliases: Vec<&'static str>,
    /// Stable identity across unrelated edits; filled by [`assign_fingerprints`].
    pub fingerprint: String,
    /// The live object the finding is about (a running container, the engine), when there is
    /// one. Its location may still be a file: the Compose line that declared the container.
    pub object: Option<LiveObject>,
}

/// A live object of a container engine, named as SARIF logical locations name things.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveObject {
    /// `container` or `engine`.
    pub kind: &'static str,
    /// The short name: the container's name, the engine's product and version.
    pub name: String,
    /// A URI that tells the object apart from every other: `docker://HOST/containers/NAME`.
    pub uri: String,
}

impl Finding {
    pub fn new(rule: &'static Rule, message: impl Into<String>, location: Location) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            location,
            aliases: rule.aliases.to_vec(),
            fingerprint: String::new(),
            object: None,
        }
    }

    pub fn with_object(mut self, object: LiveObject) -> Self {
        self.object = Some(object);
        self
    }

    pub fn with_aliases(mut self, aliases: &[&'static str]) -> Self {
        self.aliases = aliases.to_vec();
        self
    }

    /// The upstream ids that apply to this finding.
    pub fn effective_aliases(&self) -> &[&'static str] {
        &self.aliases
    }

    /// Whether `id` (our code, our name, or an upstream alias) names this finding.
    pub fn is_named_by(&self, id: &str) -> bool {
        self.rule.code.eq_ignore_ascii_case(id)
            || self.rule.name.eq_ignore_ascii_case(id)
            || self
                .effective_aliases()
                .iter()
                .any(|alias| alias.eq_ignore_ascii_case(id))
    }

    pub fn line(&self) -> Option<u32> {
        self.location.region.map(|r| r.start.line)
    }
}

/// Gives every finding a fingerprint made from what it is about, not where it is: the rule, the
/// file, the flagged text with whitespace folded, and how many identical findings came before it
/// in the same file. Moving unrelated lines therefore keeps fingerprints stable.
pub fn assign_fingerprints(
    findings: &mut [Finding],
    source_of: impl Fn(&Location) -> Option<Arc<str>>,
) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for finding in findings.iter_mut() {
        let text = match (finding.location.region, source_of(&finding.location)) {
            (Some(region), Some(source)) => {
                let (start, end) = region.bytes;
                let line_start = source[..start.min(source.len())]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let line_end = source[end.min(source.len())..]
                    .find('\n')
                    .map_or(source.len(), |i| end + i);
                crate::source::fold_whitespace(&source[line_start..line_end.max(line_start)])
            }
            _ => String::new(),
        };
        let key = format!(
            "{}\0{}\0{}\0{}",
            finding.rule.code,
            finding.location.path.display(),
            text,
            finding.message
        );
        let occurrence = seen.entry(key.clone()).or_default();
        let mut hasher = Sha256::new();
        hasher.update(key.as_bytes());
        hasher.update(occurrence.to_le_bytes());
        *occurrence += 1;
        finding.fingerprint = crate::hex::encode(&hasher.finalize()[..16]);
    }
}

/// Which engine produced a run. Each engine is one SARIF run with its own `automationDetails.id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Dockerfile,
    Image,
    Runtime,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Dockerfile => "dockerfile",
            Engine::Image => "image",
            Engine::Runtime => "runtime",
        }
    }

    /// SARIF `automationDetails.id`: category plus a trailing slash, as GitHub expects.
    pub fn automation_id(self) -> String {
        format!("portcullis/{}/", self.as_str())
    }
}

/// One input an engine looked at (a Dockerfile, later an image or a manifest).
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    /// The text of the target when it is a text file: reporters use it for snippets.
    pub source: Option<Arc<str>>,
    /// The rules that were evaluated on this target (JUnit lists passing ones too).
    pub rules: Vec<&'static Rule>,
    /// Set when the target could not be analysed completely.
    pub error: Option<String>,
}

/// What one engine produced in one invocation.
#[derive(Debug, Clone)]
pub struct EngineRun {
    pub engine: Engine,
    pub targets: Vec<Target>,
    pub findings: Vec<Finding>,
}

impl EngineRun {
    pub fn new(engine: Engine) -> Self {
        EngineRun {
            engine,
            targets: Vec::new(),
            findings: Vec::new(),
        }
    }

    pub fn source_of(&self, path: &std::path::Path) -> Option<Arc<str>> {
        self.targets
            .iter()
            .find(|t| t.path == path)
            .and_then(|t| t.source.clone())
    }

    /// All rules evaluated on any target, de-duplicated, in catalogue order.
    pub fn rules(&self) -> Vec<&'static Rule> {
        let mut rules: Vec<&'static Rule> = self
            .targets
            .iter()
            .flat_map(|t| t.rules.iter().copied())
            .chain(self.findings.iter().map(|f| f.rule))
            .collect();
        rules.sort_by_key(|r| r.code);
        rules.dedup_by_key(|r| r.code);
        rules
    }
}

/// Everything reporters need: the runs, and how the invocation ended.
#[derive(Debug, Clone)]
pub struct Report {
    pub runs: Vec<EngineRun>,
    /// The process exit code this invocation ends with (0, 1 or 2).
    pub exit_code: i32,
    /// Errors that made the run incomplete (unreadable file, bad config…), for `invocations`.
    pub errors: Vec<String>,
    /// The command line, for SARIF `invocations[].commandLine`.
    pub command_line: String,
    /// The severity at or above which findings fail the run; `None` when findings never do.
    pub failure_threshold: Option<Severity>,
    /// Images that were scanned, with their inventories (empty for `lint`).
    pub images: Vec<crate::image::scanned::ScannedImage>,
    /// When the invocation started (GitLab security reports carry it); `None` in fixtures.
    pub started_at: Option<std::time::SystemTime>,
}

impl Report {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.runs.iter().flat_map(|r| r.findings.iter())
    }
}
