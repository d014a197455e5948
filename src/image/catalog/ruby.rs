//! Installed Ruby gems: the specifications RubyGems writes when it installs a gem,
//! `…/specifications/NAME-VERSION[-PLATFORM].gemspec`, and the default gems shipped with Ruby in
//! `…/specifications/default/` (Bundler's `/usr/local/bundle`, `/usr/local/lib/ruby/gems/*`,
//! Debian's `/var/lib/gems/*` and `/usr/share/rubygems-integration/*`).
//!
//! An installed gemspec is Ruby code RubyGems generated (`s.name = "rake".freeze`,
//! `s.version = "13.0.6"`, or `Gem::Version.new("…")` in older ones); it is read as text, never
//! evaluated. When the assignments cannot be read, the `# stub: NAME VERSION PLATFORM` comment
//! RubyGems writes at the top, then the file name, give the name and version.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::extract::ExtractCataloger;
use super::{purl, Ecosystem, EntryInfo, FoundIn, Package};

/// Largest gemspec read.
pub const MAX_GEMSPEC_SIZE: u64 = 1 << 20;

/// Finds installed Ruby gems. See the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct RubyCataloger;

/// What a specification says of its gem.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Gem {
    name: String,
    version: String,
    /// Left out for `ruby`, the platform of pure-Ruby gems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    platform: Option<String>,
}

/// Whether `path` is an installed gem specification.
pub fn is_gemspec_path(path: &str) -> bool {
    let Some(stem) = path.strip_suffix(".gemspec") else {
        return false;
    };
    let Some((dir, file)) = stem.rsplit_once('/') else {
        return false;
    };
    !file.is_empty()
        && (dir.ends_with("/specifications") || dir.ends_with("/specifications/default"))
}

static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*[a-z_][a-z0-9_]*\.(name|version|platform)[ \t]*=[ \t]*(.+?)[ \t]*$")
        .expect("valid regex")
});

/// The value of a Ruby string expression as RubyGems writes it: `"x"`, `'x'`, `%q{x}`,
/// `"x".freeze`, `Gem::Version.new("x")`.
fn ruby_string(expression: &str) -> Option<String> {
    let mut text = expression.trim();
    text = text.strip_suffix(".freeze").unwrap_or(text).trim();
    for wrapper in ["Gem::Version.new(", "Gem::Platform.new("] {
        if let Some(inner) = text.strip_prefix(wrapper).and_then(|t| t.strip_suffix(')')) {
            text = inner.trim();
            text = text.strip_suffix(".freeze").unwrap_or(text).trim();
        }
    }
    let inner = if let Some(rest) = text.strip_prefix("%q").or_else(|| text.strip_prefix("%Q")) {
        let close = match rest.chars().next()? {
            '{' => '}',
            '(' => ')',
            '[' => ']',
            '<' => '>',
            other => other,
        };
        rest.get(1..)?.strip_suffix(close)?
    } else {
        let quote = text.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        text.get(1..)?.strip_suffix(quote)?
    };
    let value = inner.trim();
    let valid = !value.is_empty()
        && value.len() <= 256
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\''));
    valid.then(|| value.to_string())
}

/// `(name, version, platform)` from the file name `NAME-VERSION[-PLATFORM].gemspec`: the version
/// starts at the last `-` followed by a digit that is itself followed by a version.
fn from_file_name(path: &str) -> Option<(String, String, Option<String>)> {
    let stem = path.rsplit('/').next()?.strip_suffix(".gemspec")?;
    let bytes = stem.as_bytes();
    let split = (1..bytes.len())
        .rev()
        .find(|&i| bytes[i - 1] == b'-' && bytes[i].is_ascii_digit() && i >= 2)?;
    let name = &stem[..split - 1];
    let (version, platform) = match stem[split..].split_once('-') {
        Some((version, platform)) => (version, Some(platform.to_string())),
        None => (&stem[split..], None),
    };
    Some((name.to_string(), version.to_string(), platform))
}

fn parse(path: &str, bytes: &[u8]) -> Result<Gem, String> {
    let text = String::from_utf8_lossy(bytes);
    let (mut name, mut version, mut platform) = (None, None, None);
    for captures in ASSIGNMENT.captures_iter(&text) {
        let slot = match &captures[1] {
            "name" => &mut name,
            "version" => &mut version,
            _ => &mut platform,
        };
        if slot.is_none() {
            *slot = ruby_string(&captures[2]);
        }
    }
    if let (Some(name), Some(version)) = (&name, &version) {
        let platform = platform.filter(|p| p != "ruby");
        return Ok(Gem {
            name: name.clone(),
            version: version.clone(),
            platform,
        });
    }
    // `# stub: rake 13.0.6 ruby lib`
    let stub = text.lines().take(5).find_map(|line| {
        let mut words = line.strip_prefix("# stub: ")?.split_whitespace();
        Some((
            words.next()?.to_string(),
            words.next()?.to_string(),
            words.next().map(str::to_string),
        ))
    });
    match stub.or_else(|| from_file_name(path)) {
        Some((name, version, platform)) => Ok(Gem {
            name,
            version,
            platform: platform.filter(|p| p != "ruby"),
        }),
        None => Err("no gem name and version in the specification or its file name".into()),
    }
}

impl ExtractCataloger for RubyCataloger {
    const NAME: &'static str = "ruby";
    type Record = Gem;

    fn wants_file(&self, entry: &EntryInfo<'_>) -> bool {
        entry.size <= MAX_GEMSPEC_SIZE && is_gemspec_path(entry.path)
    }

    fn is_candidate(&self, path: &str) -> bool {
        is_gemspec_path(path)
    }

    fn record(&self, path: &str, bytes: &[u8]) -> Option<Result<Gem, String>> {
        Some(parse(path, bytes))
    }

    fn packages(&self, gem: Gem, found: FoundIn<'_>, _: &mut Vec<String>) -> Vec<Package> {
        let platform = gem.platform.as_deref().unwrap_or("");
        let purl = purl(
            "gem",
            None,
            &gem.name,
            &gem.version,
            &[("platform", platform)],
        );
        vec![found.package(Ecosystem::RubyGems, gem.name, gem.version, purl)]
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::process::Command;

    use super::super::testing::{ids, TestImage};
    use super::*;

    /// As RubyGems 3 writes an installed specification.
    const RAKE: &str = "# -*- encoding: utf-8 -*-\n# stub: rake 13.0.6 ruby lib\n\n\
        Gem::Specification.new do |s|\n  s.name = \"rake\".freeze\n  s.version = \"13.0.6\"\n\n\
        \x20 s.required_rubygems_version = Gem::Requirement.new(\">= 1.3.2\".freeze) if s.respond_to? :required_rubygems_version=\n\
        \x20 s.metadata = { \"bug_tracker_uri\" => \"https://github.com/ruby/rake/issues\" } if s.respond_to? :metadata=\n\
        \x20 s.require_paths = [\"lib\".freeze]\n  s.authors = [\"Hiroshi SHIBATA\".freeze]\n\
        \x20 s.date = \"2021-07-09\"\n  s.rubygems_version = \"3.3.5\".freeze\n\
        \x20 s.summary = \"Rake is a Make-like program implemented in Ruby\".freeze\n\
        \x20 s.installed_by_version = \"3.3.5\" if s.respond_to? :installed_by_version\nend\n";

    const NOKOGIRI: &str = "# stub: nokogiri 1.15.4 x86_64-linux lib\n\
        Gem::Specification.new do |s|\n  s.name = \"nokogiri\".freeze\n  s.version = \"1.15.4\"\n\
        \x20 s.platform = \"x86_64-linux\".freeze\nend\n";

    /// As RubyGems 1.x wrote them.
    const OLD: &str = "Gem::Specification.new do |s|\n  s.name = %q{json}\n\
        \x20 s.version = Gem::Version.new(\"1.8.6\")\nend\n";

    #[test]
    fn installed_and_default_gems_are_found() {
        let image = TestImage::new()
            .file(
                1,
                "/usr/local/bundle/specifications/rake-13.0.6.gemspec",
                RAKE,
            )
            .file(
                1,
                "/usr/local/bundle/specifications/nokogiri-1.15.4-x86_64-linux.gemspec",
                NOKOGIRI,
            )
            .file(
                0,
                "/usr/lib/ruby/gems/3.1.0/specifications/default/json-1.8.6.gemspec",
                OLD,
            )
            .file(
                0,
                "/usr/lib/ruby/gems/3.1.0/gems/rake-13.0.6/rake.gemspec",
                RAKE,
            )
            .file(
                2,
                "/var/lib/gems/3.1.0/specifications/net-http2-0.18.5.gemspec",
                "# unreadable: generated by an unknown tool\nGem::Specification.load(__FILE__)\n",
            );
        let (packages, problems) = image.run(&RubyCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        let ids: Vec<_> = ids(&packages);
        assert_eq!(
            ids,
            vec![
                ("json", "1.8.6", "pkg:gem/json@1.8.6", Some(0)),
                (
                    "nokogiri",
                    "1.15.4",
                    "pkg:gem/nokogiri@1.15.4?platform=x86_64-linux",
                    Some(1)
                ),
                ("rake", "13.0.6", "pkg:gem/rake@13.0.6", Some(1)),
                ("net-http2", "0.18.5", "pkg:gem/net-http2@0.18.5", Some(2)),
            ]
        );
        assert_eq!(
            packages[2].evidence,
            vec!["/usr/local/bundle/specifications/rake-13.0.6.gemspec"]
        );
        assert_eq!(packages[2].ecosystem, Ecosystem::RubyGems);
    }

    #[test]
    fn file_names_split_at_the_version() {
        let split = |name: &str| from_file_name(&format!("/s/specifications/{name}.gemspec"));
        assert_eq!(
            split("rake-13.0.6"),
            Some(("rake".into(), "13.0.6".into(), None))
        );
        assert_eq!(
            split("aws-sdk-s3-1.136.0"),
            Some(("aws-sdk-s3".into(), "1.136.0".into(), None))
        );
        assert_eq!(
            split("nokogiri-1.15.4-x86_64-linux"),
            Some((
                "nokogiri".into(),
                "1.15.4".into(),
                Some("x86_64-linux".into())
            ))
        );
        assert_eq!(split("noversion"), None);
        assert_eq!(split("-1.0"), None);
    }

    #[test]
    fn an_unidentifiable_gemspec_is_a_problem() {
        let image = TestImage::new()
            .file(0, "/g/specifications/broken.gemspec", "s.name = \"x\"\n")
            .file(
                0,
                "/g/specifications/binary.gemspec",
                [0xffu8, 0, 0x80, 0x81],
            )
            .file(
                0,
                "/g/specifications/quoted-1.0.gemspec",
                "s.name = \"a b\"\ns.version = \"1\"\n",
            );
        let (packages, problems) = image.run(&RubyCataloger);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("/g/specifications/binary.gemspec: no gem name"));
        // A name with a space is not taken; the file name is.
        assert_eq!(packages.len(), 1);
        assert_eq!(
            (packages[0].name.as_str(), packages[0].version.as_str()),
            ("quoted", "1.0")
        );
    }

    /// The gems of the machine's Ruby (Debian's `ruby` package: default gems and
    /// rubygems-integration ones), cataloged from their specification directories, equal what
    /// `gem list` reports.
    #[test]
    fn the_machine_gems_equal_what_gem_list_reports() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        let env = Command::new("ruby")
            .args([
                "-e",
                "puts Gem::Specification.dirs; puts Gem.default_specifications_dir",
            ])
            .output();
        let Some(env) = env.ok().filter(|o| o.status.success()) else {
            assert!(!ci, "ruby is missing under CI (Debian package ruby)");
            eprintln!("skipped: no ruby");
            return;
        };
        let list = Command::new("ruby")
            .args([
                "-e",
                "Gem::Specification.each { |s| puts \"#{s.name} #{s.version}\" }",
            ])
            .output()
            .unwrap();
        let expected: BTreeSet<String> = String::from_utf8_lossy(&list.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        let mut image = TestImage::new();
        for dir in String::from_utf8_lossy(&env.stdout).lines() {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if entry.file_type().is_ok_and(|t| t.is_file()) {
                    image = image.file(0, &path.to_string_lossy(), std::fs::read(&path).unwrap());
                }
            }
        }
        let (packages, problems) = image.run(&RubyCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        let found: BTreeSet<String> = packages
            .iter()
            .map(|p| format!("{} {}", p.name, p.version))
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(found, expected);
    }
}
