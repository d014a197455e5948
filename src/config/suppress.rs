//! Inline suppressions: comments that silence rules for an instruction, a stage or a file.
//!
//! ```dockerfile
//! # portcullis ignore=PC3003,DL3020 reason="pinned by the base image"
//! RUN apt-get install -y curl
//! # portcullis global ignore=missing-healthcheck
//! # portcullis stage ignore=PC1001
//! # hadolint ignore=DL3008,SC2086
//! # hadolint global ignore=DL3006
//! # hadolint stage ignore=DL3002
//! ```
//!
//! Grammar (both tools): `#`, optional blanks, `portcullis` or `hadolint`, blanks, an optional
//! `global` or `stage` and blanks, `ignore`, `=`, then ids separated by commas (blanks allowed
//! around `=` and commas). An id is a code, name or alias, matched alias-aware through
//! [`Finding::is_named_by`]. After the list: an optional `reason="…"` (or `reason=word`) and an
//! optional trailing `# comment`. A comment that starts like a pragma but breaks this grammar
//! is reported as malformed rather than silently doing nothing.
//!
//! Scopes:
//! - **next instruction** (no keyword): the instruction below the comment, with only comment
//!   lines in between (a blank line detaches it, as hadolint's "next line" rule would). A
//!   pragma on a comment line *inside* a continued instruction applies to that instruction.
//! - **stage**: from the next instruction to the line before the following `FROM` (written
//!   above a `FROM`, it covers that whole stage, the `FROM` line included).
//! - **global**: the whole file, wherever the comment is.
//!
//! Every id that suppressed nothing, every unknown id and every malformed pragma comes back in
//! [`Applied::unused`], so stale and misspelt suppressions are visible.

use std::collections::BTreeSet;

use super::{find_rule, suggest};
use crate::dockerfile::{Dockerfile, Keyword, Span};
use crate::finding::Finding;
use crate::rules::{self, Rule};
use crate::source::LineIndex;
use crate::timestamp::Date;

/// Which tool's pragma syntax a suppression was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Portcullis,
    Hadolint,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The next instruction (or the instruction the comment sits inside).
    Instruction,
    /// Until the next `FROM`.
    Stage,
    /// The whole file.
    File,
}

/// The 1-based lines a suppression covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cover {
    /// No instruction to apply to (end of file, or a blank line in between).
    Nothing,
    Lines {
        first: usize,
        last: usize,
    },
    File,
}

/// One parsed pragma comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub tool: Tool,
    pub scope: Scope,
    /// The ids as written, in order.
    pub rules: Vec<String>,
    /// `reason="…"`, if given.
    pub reason: Option<String>,
    /// `until=YYYY-MM-DD`: the last day the suppression applies.
    pub until: Option<Date>,
    /// The comment, from `#` to the end of its line.
    pub span: Span,
    pub text: String,
    /// 1-based line of the comment.
    pub line: usize,
    cover: Cover,
    /// Per id: whether it names a rule of the catalogue.
    known: Vec<bool>,
}

impl Suppression {
    /// Whether a finding on 1-based `line` (`None`: about the whole file) is in scope.
    pub fn covers(&self, line: Option<u32>) -> bool {
        match (self.cover, line) {
            (Cover::File, _) => true,
            (Cover::Lines { first, last }, Some(line)) => (first..=last).contains(&(line as usize)),
            _ => false,
        }
    }

    /// The 1-based line range covered, `None` for file scope or when nothing is covered.
    pub fn lines(&self) -> Option<std::ops::RangeInclusive<usize>> {
        match self.cover {
            Cover::Lines { first, last } => Some(first..=last),
            _ => None,
        }
    }
}

/// Why a suppression (or one id of it) is reported back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnusedKind {
    /// These ids suppressed no finding.
    Unmatched,
    /// The comment applies to no instruction (nothing follows, or a blank line separates it).
    Detached,
    /// The id names no rule (`suggestion`: the closest known id).
    UnknownRule { suggestion: Option<String> },
    /// The comment starts like a pragma but cannot be read; nothing is suppressed.
    Malformed { message: String },
    /// `until=` is in the past: the suppression no longer applies.
    Expired { until: Date, reason: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedSuppression {
    /// The comment, from `#` to the end of its line.
    pub span: Span,
    pub text: String,
    /// The ids concerned (empty for a malformed pragma).
    pub rules: Vec<String>,
    pub kind: UnusedKind,
}

/// The outcome of [`Suppressions::apply`].
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub kept: Vec<Finding>,
    /// Findings a suppression silenced (for SARIF `suppressions` or a verbose listing).
    pub suppressed: Vec<Finding>,
    /// Sorted by position in the file.
    pub unused: Vec<UnusedSuppression>,
}

/// All pragma comments of one Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    items: Vec<Suppression>,
    /// Unknown ids and malformed pragmas, reported by every `apply`.
    problems: Vec<UnusedSuppression>,
}

impl Suppressions {
    /// Reads the pragmas of `dockerfile`, checking ids against the rule catalogue.
    pub fn new(dockerfile: &Dockerfile) -> Self {
        Suppressions::with_catalogue(dockerfile, rules::CATALOGUE)
    }

    pub fn with_catalogue(dockerfile: &Dockerfile, catalogue: &[&'static Rule]) -> Self {
        let index = LineIndex::new(&dockerfile.source);
        let line_of = |offset: usize| index.position(offset).line as usize;
        let comment_lines: BTreeSet<usize> = dockerfile
            .comments
            .iter()
            .map(|c| line_of(c.span.start))
            .collect();
        let mut instructions: Vec<(usize, usize, bool)> = dockerfile
            .instructions
            .iter()
            .map(|i| {
                (
                    i.start_line,
                    i.end_line.max(i.start_line),
                    i.keyword == Keyword::From,
                )
            })
            .collect();
        instructions.sort_unstable();

        let mut suppressions = Suppressions::default();
        for comment in &dockerfile.comments {
            let text = dockerfile
                .source
                .get(comment.span.start..comment.span.end)
                .map_or_else(|| format!("#{}", comment.text), str::to_owned);
            let parsed = match parse_pragma(&comment.text) {
                None => continue,
                Some(Err(message)) => {
                    suppressions.problems.push(UnusedSuppression {
                        span: comment.span,
                        text,
                        rules: Vec::new(),
                        kind: UnusedKind::Malformed { message },
                    });
                    continue;
                }
                Some(Ok(parsed)) => parsed,
            };
            let line = line_of(comment.span.start);
            let cover = cover(parsed.scope, line, &instructions, &comment_lines);
            let known: Vec<bool> = parsed
                .rules
                .iter()
                .map(|id| find_rule(catalogue, id).is_some())
                .collect();
            // hadolint pragmas name ShellCheck codes and DL rules Portcullis may not cover
            // yet: silently keep them, so a repository switching over stays clean. Our own
            // pragmas name our rules, so an unknown id there is a typo worth reporting.
            let report_unknown = parsed.tool != Tool::Hadolint;
            for (id, _) in parsed
                .rules
                .iter()
                .zip(&known)
                .filter(|(_, known)| report_unknown && !**known)
            {
                suppressions.problems.push(UnusedSuppression {
                    span: comment.span,
                    text: text.clone(),
                    rules: vec![id.clone()],
                    kind: UnusedKind::UnknownRule {
                        suggestion: suggest(catalogue, id),
                    },
                });
            }
            suppressions.items.push(Suppression {
                tool: parsed.tool,
                scope: parsed.scope,
                rules: parsed.rules,
                reason: parsed.reason,
                until: parsed.until,
                span: comment.span,
                text,
                line,
                cover,
                known,
            });
        }
        suppressions
    }

    pub fn iter(&self) -> impl Iterator<Item = &Suppression> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.problems.is_empty()
    }

    /// Splits the findings of this Dockerfile into kept and suppressed ones. A finding is
    /// suppressed when a suppression covers its line and one of its known ids names it; every
    /// such suppression counts as used.
    pub fn apply(&self, findings: Vec<Finding>) -> Applied {
        self.apply_on(findings, Date::today())
    }

    /// [`Suppressions::apply`] as of `today`: a suppression whose `until=` date is before
    /// `today` suppresses nothing and is reported as expired.
    pub fn apply_on(&self, findings: Vec<Finding>, today: Date) -> Applied {
        let expired = |s: &Suppression| s.until.is_some_and(|until| until < today);
        let mut used: Vec<Vec<bool>> = self
            .items
            .iter()
            .map(|s| vec![false; s.rules.len()])
            .collect();
        let mut applied = Applied::default();
        for finding in findings {
            let mut hit = false;
            for (s, used) in self.items.iter().zip(used.iter_mut()) {
                if expired(s) || !s.covers(finding.line()) {
                    continue;
                }
                for ((id, known), used) in s.rules.iter().zip(&s.known).zip(used.iter_mut()) {
                    if *known && finding.is_named_by(id) {
                        *used = true;
                        hit = true;
                    }
                }
            }
            if hit {
                applied.suppressed.push(finding);
            } else {
                applied.kept.push(finding);
            }
        }

        applied.unused = self.problems.clone();
        for (s, used) in self.items.iter().zip(&used) {
            if let (true, Some(until)) = (expired(s), s.until) {
                applied.unused.push(UnusedSuppression {
                    span: s.span,
                    text: s.text.clone(),
                    rules: s.rules.clone(),
                    kind: UnusedKind::Expired {
                        until,
                        reason: s.reason.clone(),
                    },
                });
                continue;
            }
            let idle: Vec<String> = s
                .rules
                .iter()
                .zip(&s.known)
                .zip(used)
                // ShellCheck codes only match when ShellCheck ran; hadolint files name them
                // whether or not it did, so they are never reported as unused.
                .filter(|((id, known), used)| {
                    **known && !**used && !crate::dockerfile::shellcheck::is_code(id)
                })
                .map(|((id, _), _)| id.clone())
                .collect();
            if idle.is_empty() {
                continue;
            }
            applied.unused.push(UnusedSuppression {
                span: s.span,
                text: s.text.clone(),
                rules: idle,
                kind: if s.cover == Cover::Nothing {
                    UnusedKind::Detached
                } else {
                    UnusedKind::Unmatched
                },
            });
        }
        applied.unused.sort_by_key(|u| u.span.start);
        applied
    }
}

/// Where a pragma at `line` applies. `instructions` holds (start line, end line, is FROM),
/// sorted.
fn cover(
    scope: Scope,
    line: usize,
    instructions: &[(usize, usize, bool)],
    comment_lines: &BTreeSet<usize>,
) -> Cover {
    if scope == Scope::File {
        return Cover::File;
    }
    let enclosing = instructions
        .iter()
        .find(|(start, end, _)| *start < line && line <= *end);
    let next = instructions.iter().find(|(start, _, _)| *start > line);
    let target = match (enclosing, next) {
        (Some(i), _) => i,
        (None, Some(i)) if scope == Scope::Stage => i,
        // Only comment lines may separate a next-instruction pragma from its instruction.
        (None, Some(i)) if (line + 1..i.0).all(|l| comment_lines.contains(&l)) => i,
        _ => return Cover::Nothing,
    };
    let (first, last, _) = *target;
    match scope {
        Scope::Stage => {
            let last = instructions
                .iter()
                .find(|(start, _, is_from)| *is_from && *start > first)
                .map_or(usize::MAX, |(start, _, _)| start - 1);
            Cover::Lines { first, last }
        }
        _ => Cover::Lines { first, last },
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Parsed {
    tool: Tool,
    scope: Scope,
    rules: Vec<String>,
    reason: Option<String>,
    until: Option<Date>,
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/')
}

/// Reads a comment's text (after `#`). `None`: not a pragma; `Some(Err)`: a broken one.
fn parse_pragma(text: &str) -> Option<Result<Parsed, String>> {
    let s = text.trim_start_matches(is_blank);
    let (tool, rest) = if let Some(rest) = s.strip_prefix("portcullis") {
        (Tool::Portcullis, rest)
    } else if let Some(rest) = s.strip_prefix("hadolint") {
        (Tool::Hadolint, rest)
    } else {
        return None;
    };
    let trimmed = rest.trim_start_matches(is_blank);
    if trimmed.len() == rest.len() {
        return None; // `# hadolintish`, `# portcullis:`
    }
    let mut rest = trimmed;
    let mut scope = Scope::Instruction;
    for (word, s) in [("global", Scope::File), ("stage", Scope::Stage)] {
        if let Some(after) = rest.strip_prefix(word) {
            if after.starts_with(is_blank) {
                scope = s;
                rest = after.trim_start_matches(is_blank);
            }
        }
    }
    let Some(after_ignore) = rest.strip_prefix("ignore") else {
        // `# hadolint shell=bash` or prose; only an explicit scope word commits to a pragma.
        return (scope != Scope::Instruction)
            .then(|| Err("expected `ignore=` after the scope".to_owned()));
    };
    let Some(mut rest) = after_ignore.trim_start_matches(is_blank).strip_prefix('=') else {
        if after_ignore.starts_with(is_id_char) {
            return None; // `# portcullis ignores…` is prose
        }
        return Some(Err("expected `=` after `ignore`".to_owned()));
    };

    let mut rules = Vec::new();
    loop {
        rest = rest.trim_start_matches(is_blank);
        let len = rest.find(|c| !is_id_char(c)).unwrap_or(rest.len());
        if len == 0 {
            let what = if rules.is_empty() { "`ignore=`" } else { "`,`" };
            return Some(Err(format!("expected a rule id after {what}")));
        }
        rules.push(rest[..len].to_owned());
        rest = rest[len..].trim_start_matches(is_blank);
        match rest.strip_prefix(',') {
            Some(after) => rest = after,
            None => break,
        }
    }

    let mut reason = None;
    let mut until = None;
    // `reason=` and `until=` may follow the list, in either order, each at most once.
    while let Some((key, after)) = ["reason", "until"]
        .iter()
        .find_map(|key| rest.strip_prefix(key).map(|after| (*key, after)))
    {
        let Some(value) = after.trim_start_matches(is_blank).strip_prefix('=') else {
            return Some(Err(format!("expected `=` after `{key}`")));
        };
        let value = value.trim_start_matches(is_blank);
        let (text, after) = if let Some(quoted) = value.strip_prefix('"') {
            let Some(end) = quoted.find('"') else {
                return Some(Err(format!("unterminated `{key}=\"…`")));
            };
            (&quoted[..end], &quoted[end + 1..])
        } else {
            let end = value.find(is_blank).unwrap_or(value.len());
            (&value[..end], &value[end..])
        };
        let already = if key == "reason" {
            reason.replace(text.to_owned()).is_some()
        } else {
            let Some(date) = Date::parse(text) else {
                return Some(Err(format!(
                    "`until={text}` is not a date: write `until=YYYY-MM-DD`"
                )));
            };
            until.replace(date).is_some()
        };
        if already {
            return Some(Err(format!("`{key}=` is given twice")));
        }
        rest = after.trim_start_matches(is_blank);
    }
    if !(rest.is_empty() || rest.starts_with('#')) {
        return Some(Err(format!(
            "unexpected `{}` after the rule list",
            rest.trim_end()
        )));
    }
    Some(Ok(Parsed {
        tool,
        scope,
        rules,
        reason,
        until,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::test_rules::{finding_at as at, CACHE, CATALOGUE, HEALTH, PINNING, ROOT};
    use super::*;
    use crate::finding::Location;

    fn doc(source: &str) -> Dockerfile {
        crate::dockerfile::parse(source)
    }

    fn whole_file(rule: &'static Rule) -> Finding {
        Finding::new(
            rule,
            "test",
            Location {
                path: "Dockerfile".into(),
                region: None,
            },
        )
    }

    fn apply(source: &str, findings: Vec<Finding>) -> Applied {
        Suppressions::with_catalogue(&doc(source), CATALOGUE).apply(findings)
    }

    fn kept_lines(applied: &Applied) -> Vec<(&str, Option<u32>)> {
        applied
            .kept
            .iter()
            .map(|f| (f.rule.code, f.line()))
            .collect()
    }

    #[test]
    fn grammar() {
        let ok = |text: &str| parse_pragma(text).unwrap().unwrap();
        let p = ok(" hadolint ignore=DL3008,SC2086");
        assert_eq!((p.tool, p.scope), (Tool::Hadolint, Scope::Instruction));
        assert_eq!(p.rules, ["DL3008", "SC2086"]);
        let p = ok("\tportcullis   global  ignore = PC1001 , root-user # because");
        assert_eq!((p.tool, p.scope), (Tool::Portcullis, Scope::File));
        assert_eq!(p.rules, ["PC1001", "root-user"]);
        let p = ok(" portcullis ignore=PC3003 reason=\"pinned upstream, see #12\" # more");
        assert_eq!(p.reason.as_deref(), Some("pinned upstream, see #12"));
        assert_eq!(
            ok(" portcullis ignore=PC3003 reason=vendor")
                .reason
                .as_deref(),
            Some("vendor")
        );
        assert_eq!(ok(" hadolint stage ignore=DL3002").scope, Scope::Stage);
        assert_eq!(ok("hadolint ignore=DL3008").rules, ["DL3008"]);

        for not_a_pragma in [
            " just a comment",
            " hadolint shell=bash",
            " hadolintignore=DL3008",
            " portcullis: the gate",
            " portcullis ignores nothing",
            " Portcullis ignore=PC1001",
        ] {
            assert_eq!(parse_pragma(not_a_pragma), None, "{not_a_pragma}");
        }
        for broken in [
            " hadolint ignore=DL3008 trailing",
            " hadolint ignore=",
            " hadolint ignore=DL3008,",
            " hadolint ignore DL3008",
            " portcullis global DL3008",
            " portcullis ignore=PC1001 reason=\"open",
        ] {
            assert!(matches!(parse_pragma(broken), Some(Err(_))), "{broken}");
        }
    }

    #[test]
    fn until_date_in_either_order_with_reason() {
        let ok = |text: &str| parse_pragma(text).unwrap().unwrap();
        let p = ok(" portcullis ignore=PC3003 until=2026-12-31 reason=\"vendor fix pending\"");
        assert_eq!(p.until, Date::parse("2026-12-31"));
        assert_eq!(p.reason.as_deref(), Some("vendor fix pending"));
        let p = ok(" hadolint ignore=DL3008 reason=later until=\"2027-01-15\" # note");
        assert_eq!(p.until, Date::parse("2027-01-15"));
        for broken in [
            " portcullis ignore=PC3003 until=2026-13-01",
            " portcullis ignore=PC3003 until=soon",
            " portcullis ignore=PC3003 until=2026-12-31 until=2027-01-01",
            " portcullis ignore=PC3003 reason=a reason=b",
        ] {
            assert!(matches!(parse_pragma(broken), Some(Err(_))), "{broken}");
        }
    }

    #[test]
    fn an_expired_suppression_stops_suppressing_and_says_so() {
        let source =
            "FROM a\n# portcullis ignore=DL3002 until=2026-11-28 reason=\"migrating\"\nUSER root\n";
        let today = Date::parse("2026-11-29").unwrap();
        let suppressions = Suppressions::with_catalogue(&doc(source), CATALOGUE);
        let applied = suppressions.apply_on(vec![at(&ROOT, 3)], today);
        assert_eq!(kept_lines(&applied), [("PC1001", Some(3))]);
        assert!(applied.suppressed.is_empty());
        assert_eq!(applied.unused.len(), 1);
        assert_eq!(
            applied.unused[0].kind,
            UnusedKind::Expired {
                until: Date::parse("2026-11-28").unwrap(),
                reason: Some("migrating".into())
            }
        );

        // The last day still counts.
        let last_day = Date::parse("2026-11-28").unwrap();
        let applied = suppressions.apply_on(vec![at(&ROOT, 3)], last_day);
        assert!(applied.kept.is_empty());
        assert!(applied.unused.is_empty(), "{:?}", applied.unused);
    }

    #[test]
    fn next_instruction_scope() {
        let source = "FROM a\n# hadolint ignore=DL3002\n# an explanation\nUSER root\nUSER root\n";
        let applied = apply(source, vec![at(&ROOT, 4), at(&ROOT, 5), at(&HEALTH, 4)]);
        assert_eq!(
            kept_lines(&applied),
            [("PC1001", Some(5)), ("PC4001", Some(4))]
        );
        assert_eq!(applied.suppressed.len(), 1);
        assert!(applied.unused.is_empty(), "{:?}", applied.unused);
    }

    #[test]
    fn covers_every_line_of_a_continued_instruction() {
        let source = "FROM a\n# portcullis ignore=PC3003\nRUN apt-get update && \\\n    apt-get install -y curl\nRUN x\n";
        let applied = apply(source, vec![at(&PINNING, 4), at(&PINNING, 5)]);
        assert_eq!(kept_lines(&applied), [("PC3003", Some(5))]);
    }

    #[test]
    fn a_pragma_inside_a_continuation_applies_to_that_instruction() {
        let source = "FROM a\nRUN apt-get update && \\\n# hadolint ignore=DL3008\n    apt-get install -y curl\nRUN x\n";
        let applied = apply(source, vec![at(&PINNING, 2), at(&PINNING, 5)]);
        assert_eq!(kept_lines(&applied), [("PC3003", Some(5))]);
    }

    #[test]
    fn a_blank_line_detaches_a_next_instruction_pragma() {
        let source = "FROM a\n# hadolint ignore=DL3002\n\nUSER root\n";
        let applied = apply(source, vec![at(&ROOT, 4)]);
        assert_eq!(applied.kept.len(), 1);
        assert_eq!(applied.unused.len(), 1);
        assert_eq!(applied.unused[0].kind, UnusedKind::Detached);
        assert_eq!(applied.unused[0].rules, ["DL3002"]);
        assert_eq!(applied.unused[0].text, "# hadolint ignore=DL3002");
        assert_eq!(applied.unused[0].span, Span::new(7, 31));

        let at_end = apply("FROM a\n# hadolint ignore=DL3002\n", vec![]);
        assert_eq!(at_end.unused[0].kind, UnusedKind::Detached);
    }

    #[test]
    fn global_scope_covers_everything_including_file_level_findings() {
        let source = "FROM a\nUSER root\n# portcullis global ignore=missing-healthcheck,DL3002\n";
        let applied = apply(
            source,
            vec![at(&ROOT, 2), whole_file(&HEALTH), at(&PINNING, 1)],
        );
        assert_eq!(kept_lines(&applied), [("PC3003", Some(1))]);
        assert!(applied.unused.is_empty());

        // A next-instruction pragma does not cover file-level findings.
        let applied = apply(
            "# hadolint ignore=PC4001\nFROM a\n",
            vec![whole_file(&HEALTH)],
        );
        assert_eq!(applied.kept.len(), 1);
        assert_eq!(applied.unused[0].kind, UnusedKind::Unmatched);
    }

    #[test]
    fn stage_scope_ends_before_the_next_from() {
        let source = "\
# hadolint stage ignore=DL3002
FROM a AS build

USER root
FROM b
USER root
";
        let applied = apply(source, vec![at(&ROOT, 2), at(&ROOT, 4), at(&ROOT, 6)]);
        assert_eq!(kept_lines(&applied), [("PC1001", Some(6))]);

        // Written mid-stage: from the next instruction on.
        let source =
            "FROM a\nUSER root\n# portcullis stage ignore=PC1001\nUSER root\nFROM b\nUSER root\n";
        let applied = apply(source, vec![at(&ROOT, 2), at(&ROOT, 4), at(&ROOT, 6)]);
        assert_eq!(
            kept_lines(&applied),
            [("PC1001", Some(2)), ("PC1001", Some(6))]
        );

        // In the last stage: to the end of the file.
        let source = "FROM a\n# portcullis stage ignore=PC1001\nRUN x\n\nUSER root\n";
        let applied = apply(source, vec![at(&ROOT, 5)]);
        assert!(applied.kept.is_empty());
    }

    #[test]
    fn alias_ids_only_match_findings_with_that_alias() {
        let source = "FROM a\n# hadolint ignore=DL3009\nRUN apt-get update && pip install x\n";
        let apt = at(&CACHE, 3).with_aliases(&["DL3009"]);
        let pip = at(&CACHE, 3).with_aliases(&["DL3042"]);
        let applied = apply(source, vec![apt, pip]);
        assert_eq!(applied.kept.len(), 1);
        assert_eq!(applied.kept[0].aliases, ["DL3042"]);
        assert!(applied.unused.is_empty());

        // By code or name it covers both.
        let source = "FROM a\n# portcullis ignore=package-cache-left\nRUN x\n";
        let apt = at(&CACHE, 3).with_aliases(&["DL3009"]);
        let pip = at(&CACHE, 3).with_aliases(&["DL3042"]);
        assert!(apply(source, vec![apt, pip]).kept.is_empty());
    }

    #[test]
    fn each_idle_id_is_reported() {
        let source = "FROM a\n# hadolint ignore=DL3002,DL3008,root-user\nUSER root\n";
        let applied = apply(source, vec![at(&ROOT, 3)]);
        assert!(applied.kept.is_empty());
        assert_eq!(applied.unused.len(), 1);
        assert_eq!(applied.unused[0].kind, UnusedKind::Unmatched);
        // Both DL3002 and root-user matched the finding; only DL3008 is idle.
        assert_eq!(applied.unused[0].rules, ["DL3008"]);
    }

    #[test]
    fn unknown_ids_and_malformed_pragmas_are_reported() {
        let source =
            "FROM a\n# portcullis ignore=DL3OO2,SC2086\nUSER root\n# portcullis ignore=PC1001 oops\n# hadolint ignore=DL3047,SC2086\nRUN true\n";
        let applied = apply(source, vec![at(&ROOT, 3)]);
        assert_eq!(applied.kept.len(), 1);
        let kinds: Vec<_> = applied
            .unused
            .iter()
            .map(|u| (u.rules.clone(), u.kind.clone()))
            .collect();
        assert_eq!(
            kinds[0],
            (
                vec!["DL3OO2".to_owned()],
                UnusedKind::UnknownRule {
                    suggestion: Some("DL3002".into())
                }
            )
        );
        assert_eq!(
            kinds[1],
            (
                vec!["SC2086".to_owned()],
                UnusedKind::UnknownRule { suggestion: None }
            )
        );
        assert!(
            matches!(kinds[2].1, UnusedKind::Malformed { .. }),
            "{kinds:?}"
        );
        assert_eq!(kinds.len(), 3, "{kinds:?}");
    }

    #[test]
    fn exposes_parsed_suppressions() {
        let source =
            "FROM a\n# portcullis ignore=PC1001 reason=\"base image needs root\"\nUSER root\n";
        let suppressions = Suppressions::with_catalogue(&doc(source), CATALOGUE);
        let s: Vec<_> = suppressions.iter().collect();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].line, 2);
        assert_eq!(s[0].lines(), Some(3..=3));
        assert_eq!(s[0].reason.as_deref(), Some("base image needs root"));
        assert!(s[0].covers(Some(3)) && !s[0].covers(Some(2)) && !s[0].covers(None));
        assert!(Suppressions::with_catalogue(&doc("FROM a\n# hi\n"), CATALOGUE).is_empty());
    }
}
