//! Running the rules: a keyword prefilter, then each triggered rule's regex over the content.
//!
//! The prefilter is one ASCII case-insensitive Aho-Corasick automaton over every rule's
//! keywords; only rules with a keyword hit (or no keywords at all) run their regex. A triggered
//! regex runs over the whole content rather than windows around the hits: the `regex` crate's
//! own literal prefilter makes that pass cheap, and windows would need a size that no rule's
//! shape bounds (a PEM block is kilobytes) and would report a match twice when windows overlap.

use std::fmt;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;

use super::rules::Rule;
use crate::finding::Severity;

/// How much of the content is checked for NUL bytes to tell binary from text.
const BINARY_PROBE: usize = 8 * 1024;

/// Paths skipped by default: test fixtures, whose secrets are fakes by design, and the
/// package managers' own indexes of what packages installed (file lists, checksums, symbol
/// tables, package descriptions and debconf question texts): text written from package
/// metadata, which on a Debian base is almost half of all the text there is. Debconf's answers
/// (`config.dat`, `passwords.dat`) are still read.
pub const DEFAULT_SKIP_PATHS: &[&str] = &[
    "**/testdata/**",
    "**/test/fixtures/**",
    "**/tests/fixtures/**",
    "**/spec/fixtures/**",
    "**/__fixtures__/**",
    "/var/lib/dpkg/info/*.{list,md5sums,symbols,shlibs,triggers,conffiles,templates}",
    "/var/lib/dpkg/{status,status-old,available,available-old}",
    "/var/cache/debconf/templates.dat{,-old}",
    "/var/lib/apt/lists/**",
    "/lib/apk/db/installed",
];

/// One secret found. Holds only the masked secret: no field, and so no `Debug` or JSON output,
/// ever carries the value itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretMatch {
    pub rule_id: String,
    pub title: String,
    pub severity: Severity,
    /// The file path, or the text source (`ENV AWS_KEY`, `history[3]`).
    pub source: String,
    /// 1-based line of the secret's first character.
    pub line: usize,
    /// 1-based column, in characters, of the secret's first character.
    pub column: usize,
    /// Byte range of the secret in the scanned content.
    pub start: usize,
    pub end: usize,
    /// The secret masked by [`mask`].
    pub masked: String,
}

impl fmt::Display for SecretMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} ({}): {}",
            self.source, self.line, self.column, self.title, self.rule_id, self.masked
        )
    }
}

/// Masks a secret: at most its first 4 and last 2 characters stay, never more than a third of
/// it; secrets shorter than 12 characters are masked entirely. Line breaks (PEM bodies) become
/// `*` too, so the result is one line.
pub fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let n = chars.len();
    let (head, tail) = if n < 12 {
        (0, 0)
    } else {
        let budget = n / 3;
        let head = budget.min(4);
        (head, (budget - head).min(2))
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if (i < head || i >= n - tail) && !c.is_control() {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Placeholder values any rule ignores: documentation examples, template variables, fillers.
fn is_placeholder(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    const MARKERS: &[&str] = &[
        "example",
        "xxxx",
        "****",
        "changeme",
        "change_me",
        "placeholder",
        "redacted",
        "dummy",
        "your_",
        "your-",
        "<",
        ">",
        "${",
        "{{",
        "$(",
    ];
    if MARKERS.iter().any(|m| lower.contains(m)) || secret.starts_with('$') {
        return true;
    }
    // One character repeated after the last separator (`ghp_000000…`, `aaaaaaaa…`).
    let tail = secret
        .rsplit(['_', '-', '.', ':', '/'])
        .next()
        .unwrap_or(secret);
    let mut chars = tail.chars();
    tail.len() >= 8 && chars.next().is_some_and(|first| chars.all(|c| c == first))
}

/// The rule set, compiled once, run over any number of files (from any number of threads).
/// Clones share the compiled regexes.
#[derive(Clone)]
pub struct SecretScanner {
    rules: Vec<Rule>,
    /// Over every distinct keyword; `None` when no rule has one.
    keywords: Option<AhoCorasick>,
    /// Per keyword pattern, the rules it triggers.
    keyword_rules: Vec<Vec<usize>>,
    /// Rules without keywords: always run.
    unconditional: Vec<usize>,
    skip_paths: GlobSet,
}

impl fmt::Debug for SecretScanner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretScanner")
            .field(
                "rules",
                &self.rules.iter().map(|r| &r.id).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl SecretScanner {
    /// A scanner over `rules`, skipping [`DEFAULT_SKIP_PATHS`].
    pub fn new(rules: Vec<Rule>) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut unconditional = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            if rule.keywords.is_empty() {
                unconditional.push(index);
            }
            for keyword in &rule.keywords {
                let keyword = keyword.to_ascii_lowercase();
                match patterns.iter().position(|p| *p == keyword) {
                    Some(at) => keyword_rules[at].push(index),
                    None => {
                        patterns.push(keyword);
                        keyword_rules.push(vec![index]);
                    }
                }
            }
        }
        let keywords = (!patterns.is_empty()).then(|| {
            // A DFA: twice the speed of the default NFA on text, for a few hundred KiB (the
            // keywords share no distinctive bytes, so there is no prefilter to lean on).
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("keyword automaton")
        });
        let skip_paths = globs(DEFAULT_SKIP_PATHS).expect("default skip globs");
        SecretScanner {
            rules,
            keywords,
            keyword_rules,
            unconditional,
            skip_paths,
        }
    }

    /// Replaces the skipped path globs (`**/testdata/**`...); an empty list skips nothing.
    pub fn with_skip_paths(mut self, patterns: &[&str]) -> Result<Self, globset::Error> {
        self.skip_paths = globs(patterns)?;
        Ok(self)
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Whether files at `path` are skipped (test fixtures).
    pub fn skips_path(&self, path: &str) -> bool {
        self.skip_paths.is_match(path)
    }

    /// Whether `content` is binary: a NUL byte in its first 8 KiB (ELF, archives, images,
    /// compiled message catalogues all have one).
    pub fn is_binary(content: &[u8]) -> bool {
        content[..content.len().min(BINARY_PROBE)].contains(&0)
    }

    /// Secrets in a file's content. Binary content (a NUL in the first 8 KiB) and skipped paths
    /// yield nothing.
    pub fn scan(&self, path: &str, content: &[u8]) -> Vec<SecretMatch> {
        if Self::is_binary(content) || self.skips_path(path) {
            return Vec::new();
        }
        self.scan_file_text(path, content)
    }

    /// [`Self::scan`] without its checks, for a caller that made them already (the image scan
    /// decides on the path and the binary probe while the layer streams by).
    pub(crate) fn scan_file_text(&self, path: &str, content: &[u8]) -> Vec<SecretMatch> {
        self.scan_content(path, Some(path), content)
    }

    /// Secrets in a short text that is not a file: an ENV value, a label, a history
    /// `created_by` line. `source` names it in the matches; path-constrained rules do not run.
    pub fn scan_text(&self, source: &str, text: &str) -> Vec<SecretMatch> {
        self.scan_content(source, None, text.as_bytes())
    }

    /// The rules a keyword in `content` triggers (plus those without keywords), in rule order.
    fn triggered(&self, content: &[u8]) -> Vec<usize> {
        let mut on = vec![false; self.rules.len()];
        for &index in &self.unconditional {
            on[index] = true;
        }
        if let Some(automaton) = &self.keywords {
            let mut seen = vec![false; self.keyword_rules.len()];
            let mut remaining = seen.len();
            for hit in automaton.find_overlapping_iter(content) {
                let pattern = hit.pattern().as_usize();
                if !seen[pattern] {
                    seen[pattern] = true;
                    for &index in &self.keyword_rules[pattern] {
                        on[index] = true;
                    }
                    remaining -= 1;
                    if remaining == 0 {
                        break;
                    }
                }
            }
        }
        on.iter()
            .enumerate()
            .filter_map(|(index, &on)| on.then_some(index))
            .collect()
    }

    fn scan_content(&self, source: &str, path: Option<&str>, content: &[u8]) -> Vec<SecretMatch> {
        let mut found: Vec<(usize, SecretMatch)> = Vec::new();
        for index in self.triggered(content) {
            let rule = &self.rules[index];
            if !rule.applies_to(path) {
                continue;
            }
            for captures in rule.regex.regex().captures_iter(content) {
                let Some(secret) = captures.name("secret") else {
                    continue;
                };
                let Ok(value) = std::str::from_utf8(secret.as_bytes()) else {
                    continue;
                };
                if value.is_empty()
                    || is_placeholder(value)
                    || rule.allow.iter().any(|a| a.is_match(value))
                    || rule.validate.is_some_and(|check| !check(value))
                {
                    continue;
                }
                let (line, column) = position(content, secret.start());
                found.push((
                    index,
                    SecretMatch {
                        rule_id: rule.id.clone(),
                        title: rule.title.clone(),
                        severity: rule.severity,
                        source: source.to_string(),
                        line,
                        column,
                        start: secret.start(),
                        end: secret.end(),
                        masked: mask(value),
                    },
                ));
            }
        }
        // One report per byte range: the earlier rule (the more specific one) wins.
        found.sort_by_key(|(index, m)| (m.start, m.end, *index));
        found.dedup_by(|b, a| a.1.start == b.1.start && a.1.end == b.1.end);
        found.into_iter().map(|(_, m)| m).collect()
    }
}

fn globs(patterns: &[&str]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(Glob::new(pattern)?);
    }
    builder.build()
}

/// 1-based line and column (in characters) of byte `offset`.
fn position(content: &[u8], offset: usize) -> (usize, usize) {
    let before = &content[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::secrets::rules::{builtin_rules, RuleSpec};

    fn key() -> String {
        // Generated at run time: AKIA + 16 base32 characters.
        let tail: String = (0..16u8)
            .map(|i| (b'A' + (i * 7 + 3) % 26) as char)
            .collect();
        format!("AKIA{tail}")
    }

    #[test]
    fn mask_keeps_at_most_four_and_two_and_a_third() {
        assert_eq!(mask("abcdefghijklmnopqr"), "abcd************qr");
        assert_eq!(mask("abcdefghijkl"), "abcd********");
        assert_eq!(mask("abcdefghijklmno"), "abcd**********o");
        assert_eq!(mask("short"), "*****");
        assert_eq!(mask("abcdefghijk"), "***********");
        assert_eq!(
            mask("ab\ncdefghijklmnopqrstuvwxyz")
                .chars()
                .filter(|&c| c == '\n')
                .count(),
            0
        );
        for n in 0..200 {
            let secret: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            let masked = mask(&secret);
            let visible = masked.chars().filter(|&c| c != '*').count();
            assert!(visible * 3 <= n, "{n}: {masked}");
            assert!(visible <= 6);
            assert_eq!(masked.chars().count(), n);
        }
    }

    #[test]
    fn matches_never_show_the_secret() {
        let scanner = SecretScanner::new(builtin_rules());
        let key = key();
        let text = format!("export AWS_ACCESS_KEY_ID={key}\n");
        let found = scanner.scan("etc/profile", text.as_bytes());
        assert_eq!(found.len(), 1);
        let debug = format!("{found:?}");
        let display = found[0].to_string();
        let json = serde_json::to_string(&found).unwrap();
        for shown in [&debug, &display, &json] {
            assert!(!shown.contains(&key), "{shown}");
            assert!(shown.contains("AKIA"), "{shown}");
        }
    }

    #[test]
    fn line_and_column_are_one_based_in_characters() {
        let scanner = SecretScanner::new(builtin_rules());
        let key = key();
        let text = format!("first line\nsecond\n  é = \"{key}\"\n");
        let found = scanner.scan("a.txt", text.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].column), (3, 8));
        assert_eq!(&text[found[0].start..found[0].end], key);
        let first = scanner.scan_text("ENV KEY", &key);
        assert_eq!((first[0].line, first[0].column, first[0].start), (1, 1, 0));
        assert_eq!(first[0].source, "ENV KEY");
    }

    #[test]
    fn binary_content_is_skipped() {
        let scanner = SecretScanner::new(builtin_rules());
        let mut content = b"\x7fELF\0\0\0".to_vec();
        content.extend_from_slice(key().as_bytes());
        assert!(scanner.scan("usr/bin/tool", &content).is_empty());
        // A NUL after the first 8 KiB does not make the file binary.
        let mut late = vec![b' '; 9000];
        late.extend_from_slice(key().as_bytes());
        late.push(0);
        assert_eq!(scanner.scan("late.txt", &late).len(), 1);
    }

    #[test]
    fn fixture_paths_are_skipped_and_configurable() {
        let scanner = SecretScanner::new(builtin_rules());
        let text = key();
        for path in [
            "src/pkg/testdata/creds.txt",
            "/usr/lib/python3/dist-packages/x/tests/fixtures/key.pem",
            "app/test/fixtures/aws.env",
        ] {
            assert!(scanner.scan(path, text.as_bytes()).is_empty(), "{path}");
        }
        // Documentation is scanned: secrets in docs are still secrets.
        assert_eq!(
            scanner
                .scan("usr/share/doc/app/README.md", text.as_bytes())
                .len(),
            1
        );
        // Package manager indexes are skipped; debconf's answers are not.
        for path in [
            "/var/lib/dpkg/info/libc6:amd64.symbols",
            "/var/lib/dpkg/info/bash.list",
            "/var/lib/dpkg/status",
            "/var/cache/debconf/templates.dat-old",
            "/var/lib/apt/lists/mirror.example_debian_dists_bookworm_main_binary-amd64_Packages",
        ] {
            assert!(scanner.skips_path(path), "{path}");
        }
        for path in [
            "/var/cache/debconf/passwords.dat",
            "/var/lib/dpkg/info/app.postinst",
            "/var/lib/dpkg/status.d/app",
        ] {
            assert!(!scanner.skips_path(path), "{path}");
        }
        let scanner = scanner.with_skip_paths(&[]).unwrap();
        assert_eq!(
            scanner
                .scan("src/pkg/testdata/creds.txt", text.as_bytes())
                .len(),
            1
        );
        let scanner = scanner.with_skip_paths(&["**/*.md"]).unwrap();
        assert!(scanner
            .scan("usr/share/doc/app/README.md", text.as_bytes())
            .is_empty());
    }

    #[test]
    fn rules_without_a_keyword_hit_are_not_evaluated() {
        // The regex alone would match `abc0123456789`; without its keyword it must not run.
        let rule = RuleSpec {
            id: "keyed".into(),
            title: "Keyed".into(),
            severity: Severity::Error,
            keywords: vec!["ZZKW".into()],
            regex: "(?P<secret>abc[0-9]{10})".into(),
            path: None,
            allow: vec![],
        }
        .compile()
        .unwrap();
        let scanner = SecretScanner::new(vec![rule]);
        assert!(scanner.scan("a", b"value abc0123456789").is_empty());
        assert_eq!(
            scanner.scan("a", b"zzkw: abc0123456789").len(),
            1,
            "keywords ignore case"
        );
        assert_eq!(scanner.triggered(b"nothing here"), Vec::<usize>::new());
        assert_eq!(scanner.triggered(b"..ZzKw.."), vec![0]);
    }

    #[test]
    fn keyword_prefilter_selects_exactly_the_rules_named() {
        let scanner = SecretScanner::new(builtin_rules());
        let ids = |content: &[u8]| -> Vec<String> {
            scanner
                .triggered(content)
                .into_iter()
                .map(|i| scanner.rules()[i].id.clone())
                .collect()
        };
        assert!(ids(b"plain words, nothing else").is_empty());
        assert_eq!(ids(b"GHP_"), ["github-pat"]);
        // A shared keyword triggers every rule that lists it.
        assert_eq!(ids(b"https://x"), ["git-credentials", "url-password"]);
    }

    #[test]
    fn one_report_per_byte_range() {
        let scanner = SecretScanner::new(builtin_rules());
        let text = format!("https://user:{}@github.com\n", "Zq8rT5mW2nB7vK4x");
        let found = scanner.scan("root/.git-credentials", text.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule_id, "git-credentials");
    }
}
