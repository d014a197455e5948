//! The build context of a Dockerfile and its `.dockerignore`, read the way BuildKit reads them.
//!
//! The ignore file is `<Dockerfile>.dockerignore` next to the Dockerfile when there is one,
//! else `.dockerignore` at the root of the context. Each line is a pattern; `#` lines are
//! comments, blank lines are skipped, `!` re-includes what an earlier pattern excluded, and the
//! last pattern that matches a path decides. Patterns are cleaned like paths (`./a//b/` is
//! `a/b`, a leading `/` is dropped) and matched against context-relative paths with Go's
//! `filepath.Match` syntax — `*` and `?` do not cross `/`, `[a-z]` and `[^a-z]` are classes,
//! `\` escapes — plus `**`, which matches any number of directories. A path is ignored when it
//! or one of its parent directories matches.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where a Dockerfile's build reads its files from.
#[derive(Debug, Clone)]
pub struct BuildContext {
    /// The context directory.
    pub dir: PathBuf,
    /// The ignore file in force, if any.
    pub ignore: Option<Arc<IgnoreFile>>,
}

impl BuildContext {
    /// The context of `dockerfile`: `context` when given, else the Dockerfile's directory.
    /// `None` when the directory cannot be read (standard input without `--context`).
    pub fn for_dockerfile(dockerfile: &Path, context: Option<&Path>) -> Option<BuildContext> {
        ContextCache::default().for_dockerfile(dockerfile, context)
    }
}

/// The build contexts of one run. Every Dockerfile of a directory, or every one built with
/// the same `--context`, shares its context's `.dockerignore`: it is read once, not per file.
#[derive(Debug, Default)]
pub struct ContextCache {
    /// Per context directory: `None` when it is not a directory, else its `.dockerignore`.
    roots: Mutex<HashMap<PathBuf, Option<Option<Arc<IgnoreFile>>>>>,
}

impl ContextCache {
    /// [`BuildContext::for_dockerfile`], reading each context directory once.
    pub fn for_dockerfile(
        &self,
        dockerfile: &Path,
        context: Option<&Path>,
    ) -> Option<BuildContext> {
        let stdin = dockerfile.as_os_str() == "-";
        let dockerfile_dir = match dockerfile.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let dir = match context {
            Some(dir) => dir.to_path_buf(),
            None if stdin => return None,
            None => dockerfile_dir.clone(),
        };
        let root_ignore = self.root(&dir)?;
        // `<Dockerfile>.dockerignore` next to the Dockerfile wins over the context's.
        let own = dockerfile.file_name().filter(|_| !stdin).and_then(|name| {
            let mut name = name.to_os_string();
            name.push(".dockerignore");
            read_ignore_file(dockerfile_dir.join(name))
        });
        Some(BuildContext {
            dir,
            ignore: own.map(Arc::new).or(root_ignore),
        })
    }

    /// `None` when `dir` is not a directory, else its `.dockerignore`, read at the first ask.
    fn root(&self, dir: &Path) -> Option<Option<Arc<IgnoreFile>>> {
        let roots = || self.roots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = roots().get(dir) {
            return known.clone();
        }
        // Read without holding the lock: the other threads go on with their own contexts.
        let found = dir
            .is_dir()
            .then(|| read_ignore_file(dir.join(".dockerignore")).map(Arc::new));
        roots().entry(dir.to_path_buf()).or_insert(found).clone()
    }
}

fn read_ignore_file(path: PathBuf) -> Option<IgnoreFile> {
    let bytes = std::fs::read(&path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some(IgnoreFile::parse(path, &text))
}

/// A parsed `.dockerignore`.
#[derive(Debug, Clone)]
pub struct IgnoreFile {
    pub path: PathBuf,
    pub patterns: Vec<Pattern>,
}

/// One pattern line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The cleaned pattern, without its `!`.
    pub text: String,
    /// `!pattern`: re-includes matching paths.
    pub exclusion: bool,
    /// 1-based line in the ignore file.
    pub line: usize,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`: one character other than `/`.
    One,
    /// `*`: any run of characters other than `/`.
    Star,
    /// `**/` or `**` inside a pattern: any number of whole directories (`(.*/)?`).
    Dirs,
    /// `**` at the end: anything at all.
    Rest,
    /// `[…]`: ranges (inclusive) and whether the class is negated.
    Class(Vec<(char, char)>, bool),
}

impl IgnoreFile {
    /// Reads the patterns of an ignore file. Lines that cannot be patterns (a lone `!`) are
    /// skipped.
    pub fn parse(path: PathBuf, text: &str) -> IgnoreFile {
        let mut patterns = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = if n == 0 {
                line.trim_start_matches('\u{feff}')
            } else {
                line
            };
            if line.starts_with('#') {
                continue;
            }
            let mut pattern = line.trim();
            if pattern.is_empty() {
                continue;
            }
            let exclusion = pattern.starts_with('!');
            if exclusion {
                pattern = pattern[1..].trim();
                if pattern.is_empty() {
                    continue;
                }
            }
            let mut cleaned = clean(pattern);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            if cleaned == "." {
                continue;
            }
            let tokens = compile(&cleaned);
            patterns.push(Pattern {
                text: cleaned,
                exclusion,
                line: n + 1,
                tokens,
            });
        }
        IgnoreFile { path, patterns }
    }

    /// Whether some pattern starts with `!`. BuildKit then does not judge COPY sources, since a
    /// file inside an excluded directory may be re-included.
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// Whether a pattern excludes every entry of the context root (`*`, `**`, `**/*`).
    pub fn ignores_root(&self) -> bool {
        self.patterns
            .iter()
            .any(|p| !p.exclusion && matches!(p.text.as_str(), "*" | "**" | "**/*"))
    }

    /// The pattern that excludes `path` (context-relative, `/`-separated) or one of its parent
    /// directories, following BuildKit's order: the last matching pattern decides. `None` when
    /// the path is sent to the builder.
    pub fn excluding(&self, path: &str) -> Option<&Pattern> {
        let path = clean(path);
        let chars: Vec<char> = path.trim_start_matches('/').chars().collect();
        // The path and each parent directory (`a/b/c`: `a/b/c`, `a`, `a/b`), read once for
        // every pattern.
        let candidates: Vec<&[char]> = std::iter::once(&chars[..])
            .chain(
                (0..chars.len())
                    .filter(|&i| chars[i] == '/')
                    .map(|i| &chars[..i]),
            )
            .collect();
        let mut decided: Option<&Pattern> = None;
        for pattern in &self.patterns {
            // An exclusion only matters once something matched, an inclusion only before.
            if pattern.exclusion != decided.is_some() {
                continue;
            }
            if candidates.iter().any(|c| match_tokens(&pattern.tokens, c)) {
                decided = (!pattern.exclusion).then_some(pattern);
            }
        }
        decided
    }
}

fn match_tokens(tokens: &[Token], text: &[char]) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        return text.is_empty();
    };
    match first {
        Token::Rest => true,
        Token::Star => {
            let mut i = 0;
            loop {
                if match_tokens(rest, &text[i..]) {
                    return true;
                }
                if i == text.len() || text[i] == '/' {
                    return false;
                }
                i += 1;
            }
        }
        Token::Dirs => {
            // Zero directories, or any prefix that ends with `/`.
            match_tokens(rest, text)
                || (0..text.len())
                    .filter(|&i| text[i] == '/')
                    .any(|i| match_tokens(rest, &text[i + 1..]))
        }
        Token::One => {
            matches!(text.first(), Some(c) if *c != '/') && match_tokens(rest, &text[1..])
        }
        Token::Char(c) => text.first() == Some(c) && match_tokens(rest, &text[1..]),
        Token::Class(ranges, negated) => match text.first() {
            Some(&c) if c != '/' || *negated => {
                let inside = ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi);
                inside != *negated && match_tokens(rest, &text[1..])
            }
            _ => false,
        },
    }
}

fn compile(pattern: &str) -> Vec<Token> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                tokens.push(if i >= chars.len() {
                    Token::Rest
                } else {
                    Token::Dirs
                });
                continue;
            }
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::One),
            '\\' => {
                i += 1;
                tokens.push(Token::Char(chars.get(i).copied().unwrap_or('\\')));
            }
            '[' => {
                if let Some((class, next)) = class(&chars, i + 1) {
                    tokens.push(class);
                    i = next;
                    continue;
                }
                tokens.push(Token::Char('['));
            }
            c => tokens.push(Token::Char(c)),
        }
        i += 1;
    }
    tokens
}

/// Reads a class starting after its `[`; returns the token and the index after `]`.
fn class(chars: &[char], mut i: usize) -> Option<(Token, usize)> {
    let negated = chars.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let mut c = *chars.get(i)?;
        if c == ']' && !first {
            return Some((Token::Class(ranges, negated), i + 1));
        }
        first = false;
        if c == '\\' {
            i += 1;
            c = *chars.get(i)?;
        }
        let mut hi = c;
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|n| *n != ']') {
            i += 2;
            hi = chars[i];
            if hi == '\\' {
                i += 1;
                hi = *chars.get(i)?;
            }
        }
        ranges.push((c, hi));
        i += 1;
    }
}

/// Go's `path.Clean`: one `/` between elements, no `.` elements, `..` resolved lexically, no
/// trailing `/`; `.` for an empty result.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Check options whose build context is the current directory with `ignore` as its
/// `.dockerignore` (`None`: no ignore file), for the tests of the checks that read it.
#[cfg(test)]
pub(crate) fn options_with_ignore(ignore: Option<&str>) -> super::Options {
    super::Options {
        context: Some(BuildContext {
            dir: PathBuf::from("."),
            ignore: ignore.map(|t| Arc::new(IgnoreFile::parse(PathBuf::from(".dockerignore"), t))),
        }),
        ..super::Options::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> IgnoreFile {
        IgnoreFile::parse(PathBuf::from(".dockerignore"), text)
    }

    fn ignored(text: &str, path: &str) -> bool {
        file(text).excluding(path).is_some()
    }

    #[test]
    fn cleans_like_go() {
        assert_eq!(clean("./a//b/"), "a/b");
        assert_eq!(clean("a/../../b"), "../b");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean(""), ".");
        assert_eq!(clean("./"), ".");
    }

    #[test]
    fn reads_lines_comments_and_exclusions() {
        let f = file("\u{feff}# comment\n\n  /node_modules/  \n!keep.txt\n!\n.\n *.md\n");
        let texts: Vec<_> = f
            .patterns
            .iter()
            .map(|p| (p.text.as_str(), p.exclusion, p.line))
            .collect();
        assert_eq!(
            texts,
            [
                ("node_modules", false, 3),
                ("keep.txt", true, 4),
                ("*.md", false, 7)
            ]
        );
        assert!(f.has_exclusions());
        assert!(!file("a\n b # not a comment\n").has_exclusions());
    }

    #[test]
    fn star_and_question_mark_stay_within_a_directory() {
        assert!(ignored("*.md", "README.md"));
        assert!(!ignored("*.md", "docs/README.md"));
        assert!(ignored("docs/*.md", "docs/a.md"));
        assert!(ignored("?.txt", "a.txt"));
        assert!(!ignored("?.txt", "ab.txt"));
        assert!(!ignored("a?b", "a/b"));
    }

    #[test]
    fn double_star_spans_directories() {
        assert!(ignored("**/*.pem", "key.pem"));
        assert!(ignored("**/*.pem", "a/b/key.pem"));
        assert!(ignored("**/.git", ".git"));
        assert!(ignored("a/**/z", "a/z"));
        assert!(ignored("a/**/z", "a/b/c/z"));
        assert!(!ignored("a/**/z", "b/z"));
        assert!(ignored("build/**", "build/x/y"));
        assert!(ignored("**", "anything/at/all"));
    }

    #[test]
    fn classes_and_escapes() {
        assert!(ignored("file[0-9].txt", "file7.txt"));
        assert!(!ignored("file[0-9].txt", "filex.txt"));
        assert!(ignored("file[^0-9].txt", "filex.txt"));
        assert!(ignored(r"\*.txt", "*.txt"));
        assert!(!ignored(r"\*.txt", "a.txt"));
    }

    #[test]
    fn parent_directories_count_and_the_last_match_decides() {
        assert!(ignored("node_modules", "node_modules/x/index.js"));
        assert!(ignored("docs/internal", "./docs//internal/a/b.md"));
        assert!(!ignored("docs/internal", "docs/internals/a.md"));
        assert!(ignored("secrets", "secrets"));
        assert!(!ignored("src/x", "src"));
        assert!(!ignored("*.md\n!README.md", "README.md"));
        assert!(ignored("*.md\n!README.md\nREADME*", "README.md"));
        let f = file("docs\n!docs/keep.md\n");
        assert_eq!(f.excluding("docs/other.md").map(|p| p.line), Some(1));
        assert!(f.excluding("docs/keep.md").is_none());
    }

    #[test]
    fn root_patterns() {
        assert!(file("*\n!src\n").ignores_root());
        assert!(file("**/*").ignores_root());
        assert!(!file("*.md").ignores_root());
    }

    #[test]
    fn finds_the_dockerfile_specific_ignore_file_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dockerfile = dir.path().join("app.Dockerfile");
        std::fs::write(&dockerfile, "FROM a\n").expect("write");
        std::fs::write(dir.path().join(".dockerignore"), "common\n").expect("write");
        let context = BuildContext::for_dockerfile(&dockerfile, None).expect("context");
        let ignore = context.ignore.expect("ignore file");
        assert_eq!(ignore.patterns[0].text, "common");
        std::fs::write(dir.path().join("app.Dockerfile.dockerignore"), "own\n").expect("write");
        let context = BuildContext::for_dockerfile(&dockerfile, None).expect("context");
        assert_eq!(context.ignore.expect("ignore").patterns[0].text, "own");
        assert!(BuildContext::for_dockerfile(Path::new("-"), None).is_none());
        let other = tempfile::tempdir().expect("tempdir");
        let context =
            BuildContext::for_dockerfile(Path::new("-"), Some(other.path())).expect("context");
        assert!(context.ignore.is_none());
    }

    #[test]
    fn a_run_reads_each_context_once_and_still_prefers_own_ignore_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(".dockerignore"), "common\n").expect("write");
        std::fs::write(dir.path().join("b.Dockerfile.dockerignore"), "own\n").expect("write");
        let cache = ContextCache::default();
        let first = |name: &str| {
            let context = cache
                .for_dockerfile(&dir.path().join(name), None)
                .expect("context");
            context.ignore.expect("ignore file").patterns[0]
                .text
                .clone()
        };
        assert_eq!(first("a.Dockerfile"), "common");
        // Read once: the shared file is not read again for the next Dockerfile of the run.
        std::fs::remove_file(dir.path().join(".dockerignore")).expect("remove");
        assert_eq!(first("c.Dockerfile"), "common");
        assert_eq!(first("b.Dockerfile"), "own");
        let missing = dir.path().join("nowhere");
        assert!(cache
            .for_dockerfile(&dir.path().join("a.Dockerfile"), Some(&missing))
            .is_none());
    }
}
