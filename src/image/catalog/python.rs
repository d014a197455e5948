//! Installed Python distributions: `*.dist-info/METADATA` (wheels, pip), `*.egg-info/PKG-INFO`
//! and `*.egg-info` files (setuptools, and most Debian-managed `python3-*` packages in
//! `/usr/lib/python3/dist-packages`), and `*.egg/EGG-INFO/PKG-INFO` (unzipped eggs), anywhere in
//! the image: system `site-packages`/`dist-packages`, virtualenvs, `pip install --target`.
//!
//! The metadata files are RFC 822 style headers followed by the long description, which can be
//! large; [`Cataloger::extract`] keeps only `Name` and `Version`, so the walk holds a few bytes per
//! distribution. Zipped eggs (`*.egg` files) are not read.
//!
//! [`Cataloger::extract`]: super::Cataloger::extract

use super::extract::ExtractCataloger;
use super::{purl, Ecosystem, EntryInfo, FoundIn, Package};

/// Largest metadata file read (a long description can run to hundreds of kilobytes).
pub const MAX_METADATA_SIZE: u64 = 16 << 20;

/// Finds installed Python distributions. See the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct PythonCataloger;

/// Whether `path` is a metadata file of an installed distribution.
pub fn is_metadata_path(path: &str) -> bool {
    if path.ends_with(".dist-info/METADATA")
        || path.ends_with(".egg-info/PKG-INFO")
        || path.ends_with(".egg/EGG-INFO/PKG-INFO")
    {
        return true;
    }
    // A bare `NAME-VERSION.egg-info` file (distutils, many Debian packages).
    path.ends_with(".egg-info") && file_name(path).len() > ".egg-info".len()
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// PEP 503 name normalisation: lower case, runs of `-`, `_` and `.` become one `-`.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_separator = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '_' | '.') {
            if !in_separator {
                out.push('-');
            }
            in_separator = true;
        } else {
            out.extend(ch.to_lowercase());
            in_separator = false;
        }
    }
    out
}

/// The header section of a core-metadata file (everything before the first empty line), as
/// `(field, value)` pairs in order; continuation lines (starting with a space or a tab) are
/// joined to the previous value with a space. Lines that are neither a header nor a
/// continuation are skipped, as Python's lenient email parser does.
pub fn parse_headers(text: &str) -> Vec<(String, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                if !value.is_empty() {
                    value.push(' ');
                }
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((field, value)) = line.split_once(':') {
            let field = field.trim();
            if !field.is_empty() && !field.contains(char::is_whitespace) {
                headers.push((field.to_string(), value.trim().to_string()));
            }
        }
    }
    headers
}

/// `Name` and `Version` of a metadata file, or why they are unusable.
fn name_and_version(bytes: &[u8]) -> Result<(String, String), String> {
    let text = String::from_utf8_lossy(bytes);
    let headers = parse_headers(&text);
    let field = |wanted: &str| {
        headers
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.as_str())
    };
    let name = field("Name").ok_or("no `Name` header: not a core-metadata file")?;
    let version = field("Version").ok_or("no `Version` header")?;
    let valid = |value: &str, max: usize| {
        !value.is_empty() && value.len() <= max && !value.chars().any(char::is_control)
    };
    if !valid(name, 256) {
        return Err(format!("invalid `Name` header {name:?}"));
    }
    if !valid(version, 128) || version.contains(char::is_whitespace) {
        return Err(format!("invalid `Version` header {version:?}"));
    }
    Ok((name.to_string(), version.to_string()))
}

impl ExtractCataloger for PythonCataloger {
    const NAME: &'static str = "python";
    /// `Name` and `Version`.
    type Record = (String, String);

    fn wants_file(&self, entry: &EntryInfo<'_>) -> bool {
        entry.size <= MAX_METADATA_SIZE && is_metadata_path(entry.path)
    }

    fn is_candidate(&self, path: &str) -> bool {
        is_metadata_path(path)
    }

    fn record(&self, _path: &str, bytes: &[u8]) -> Option<Result<Self::Record, String>> {
        Some(name_and_version(bytes))
    }

    fn packages(
        &self,
        record: Self::Record,
        found: FoundIn<'_>,
        _: &mut Vec<String>,
    ) -> Vec<Package> {
        let (name, version) = record;
        let normalized = normalize_name(&name);
        let purl = purl("pypi", None, &normalized, &version, &[]);
        vec![Package {
            source_name: Some(normalized),
            ..found.package(Ecosystem::PyPI, name, version, purl)
        }]
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;
    use std::process::Command;

    use super::super::testing::{ids, TestImage};
    use super::super::{Cataloger, Want};
    use super::*;

    const REQUESTS: &str = "Metadata-Version: 2.1\r\nName: requests\r\nVersion: 2.31.0\r\n\
        Summary: Python HTTP for Humans.\r\nHome-page: https://requests.readthedocs.io\r\n\
        License: Apache 2.0\r\nRequires-Dist: charset-normalizer (<4,>=2)\r\n\r\n\
        # Requests\r\n\r\nName: not-a-header\r\nVersion: 9.9\r\n";

    const ZOPE_PKG_INFO: &str = "Metadata-Version: 1.1\nName: zope.interface\nVersion: 5.5.2\n\
        Summary: Interfaces for Python\nDescription: ========\n        zope.interface\n        \
        ========\n        \nPlatform: UNKNOWN\n";

    fn run(image: TestImage) -> (Vec<Package>, Vec<String>) {
        image.run(&PythonCataloger)
    }

    #[test]
    fn names_are_normalised_as_pep_503_says() {
        assert_eq!(normalize_name("Foo.Bar__baz-Qux"), "foo-bar-baz-qux");
        assert_eq!(normalize_name("zope.interface"), "zope-interface");
        assert_eq!(normalize_name("PyYAML"), "pyyaml");
        assert_eq!(normalize_name("a-_.b"), "a-b");
    }

    #[test]
    fn headers_end_at_the_first_empty_line_and_continue_on_indented_lines() {
        let headers =
            parse_headers("Name: x\nSummary: one\n  two\n\tthree\nbroken line\n\nName: y\n");
        assert_eq!(
            headers,
            vec![
                ("Name".to_string(), "x".to_string()),
                ("Summary".to_string(), "one two three".to_string()),
            ]
        );
    }

    #[test]
    fn every_kind_of_installed_metadata_is_found() {
        let image = TestImage::new()
            .file(
                1,
                "/usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA",
                REQUESTS,
            )
            .file(
                1,
                "/usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/RECORD",
                "x",
            )
            .file(
                0,
                "/usr/lib/python3/dist-packages/zope.interface-5.5.2.egg-info/PKG-INFO",
                ZOPE_PKG_INFO,
            )
            .file(
                0,
                "/usr/lib/python3/dist-packages/python_apt-2.6.0.egg-info",
                "Metadata-Version: 1.1\nName: python-apt\nVersion: 2.6.0\n",
            )
            .file(
                2,
                "/opt/venv/lib/python3.11/site-packages/Six-1.16.0-py3.11.egg/EGG-INFO/PKG-INFO",
                "Metadata-Version: 1.2\nName: Six\nVersion: 1.16.0\n",
            )
            .file(
                2,
                "/src/app/PKG-INFO",
                "Metadata-Version: 1.2\nName: app\nVersion: 1\n",
            );
        let (packages, problems) = run(image);
        assert!(problems.is_empty(), "{problems:?}");
        let found: Vec<_> = ids(&packages);
        assert_eq!(
            found,
            vec![
                ("Six", "1.16.0", "pkg:pypi/six@1.16.0", Some(2)),
                ("python-apt", "2.6.0", "pkg:pypi/python-apt@2.6.0", Some(0)),
                (
                    "zope.interface",
                    "5.5.2",
                    "pkg:pypi/zope-interface@5.5.2",
                    Some(0)
                ),
                ("requests", "2.31.0", "pkg:pypi/requests@2.31.0", Some(1)),
            ]
        );
        let requests = &packages[3];
        assert_eq!(requests.ecosystem, Ecosystem::PyPI);
        assert_eq!(requests.cataloger, "python");
        assert_eq!(requests.source_name.as_deref(), Some("requests"));
        assert_eq!(
            requests.evidence,
            vec!["/usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA"]
        );
    }

    #[test]
    fn an_upgrade_in_a_later_layer_wins_and_a_deletion_removes() {
        let meta = |v: &str| format!("Metadata-Version: 2.1\nName: urllib3\nVersion: {v}\n");
        let path = "/usr/local/lib/python3.11/site-packages/urllib3.dist-info/METADATA";
        let gone = "/usr/local/lib/python3.11/site-packages/idna-3.4.dist-info/METADATA";
        let image = TestImage::new()
            .file(0, path, meta("1.26.0"))
            .file(3, path, meta("2.0.7"))
            .file(0, gone, "Name: idna\nVersion: 3.4\n")
            .delete(2, gone);
        let (packages, _) = run(image);
        assert_eq!(packages.len(), 1);
        assert_eq!(
            (packages[0].version.as_str(), packages[0].layer),
            ("2.0.7", Some(3))
        );
    }

    #[test]
    fn malformed_metadata_is_a_problem_not_a_package() {
        let dir = "/usr/lib/python3.11/site-packages";
        let image = TestImage::new()
            .file(
                0,
                &format!("{dir}/a.dist-info/METADATA"),
                "Metadata-Version: 2.1\nVersion: 1.0\n",
            )
            .file(
                0,
                &format!("{dir}/b.dist-info/METADATA"),
                "Name: b\nSummary: no version\n",
            )
            .file(
                0,
                &format!("{dir}/c.dist-info/METADATA"),
                [0xff, 0xfe, 0, 1, 2, 3],
            )
            .file(
                0,
                &format!("{dir}/d.dist-info/METADATA"),
                "Name: d\nVersion: 1.0 beta\n",
            )
            .file(
                0,
                &format!("{dir}/e.dist-info/METADATA"),
                "\nName: e\nVersion: 1\n",
            )
            .file(
                0,
                &format!("{dir}/f.dist-info/METADATA"),
                "Name: ok\nVersion: 1\n",
            );
        let (packages, problems) = run(image);
        assert_eq!(packages.len(), 1, "{packages:?}");
        assert_eq!(packages[0].name, "ok");
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems[0].starts_with(&format!("{dir}/a.dist-info/METADATA: no `Name`")));
        assert!(problems[1].contains("no `Version`"));
        assert!(problems[3].contains("invalid `Version`"));
    }

    #[test]
    fn huge_and_unrelated_files_are_not_wanted() {
        let entry = |path, size| EntryInfo {
            path,
            size,
            mode: 0o644,
        };
        let c = PythonCataloger;
        assert_eq!(
            c.wants(&entry("/x/a.dist-info/METADATA", 100)),
            Want::Extract
        );
        assert_eq!(
            c.wants(&entry("/x/a.dist-info/METADATA", MAX_METADATA_SIZE + 1)),
            Want::No
        );
        assert_eq!(c.wants(&entry("/x/a.dist-info/RECORD", 100)), Want::No);
        assert_eq!(c.wants(&entry("/x/.egg-info", 100)), Want::No);
        assert_eq!(c.wants(&entry("/x/PKG-INFO", 100)), Want::No);
        // The extract is small whatever the description's length.
        let long = format!("Name: big\nVersion: 1\n\n{}", "x".repeat(1 << 20));
        assert!(
            c.extract("/x/big.dist-info/METADATA", long.as_bytes())
                .unwrap()
                .len()
                < 100
        );
    }

    /// Catalogs a real `site-packages`/`dist-packages` directory of this machine through the
    /// cataloger, as the walk would hand it over.
    fn catalog_host_dir(dir: &Path) -> (Vec<Package>, Vec<String>) {
        let mut image = TestImage::new();
        let mut stack = vec![(dir.to_path_buf(), 0)];
        while let Some((dir, depth)) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() && depth < 1 {
                    stack.push((path, depth + 1));
                } else if kind.is_file() && is_metadata_path(&path.to_string_lossy()) {
                    let content = std::fs::read(&path).expect("readable");
                    image = image.file(0, &path.to_string_lossy(), content);
                }
            }
        }
        image.run(&PythonCataloger)
    }

    /// What Python itself reports as installed in `dir` (`importlib.metadata`), as
    /// `normalised-name==version`.
    fn ground_truth(python: &str, dir: &Path) -> Option<BTreeSet<String>> {
        let script = "import importlib.metadata as m, re, sys\n\
            for d in m.distributions(path=[sys.argv[1]]):\n\
            \x20   n = d.metadata['Name']\n\
            \x20   if n: print(re.sub(r'[-_.]+', '-', n).lower() + '==' + d.version)\n";
        let out = Command::new(python)
            .args(["-c", script])
            .arg(dir)
            .output()
            .ok()?;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::to_string)
                .collect(),
        )
    }

    fn assert_matches_python(python: &str, dir: &Path) {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        if !dir.is_dir() {
            assert!(!ci, "{} is missing under CI", dir.display());
            eprintln!("skipped: no {}", dir.display());
            return;
        }
        let Some(expected) = ground_truth(python, dir) else {
            assert!(!ci, "{python} cannot run under CI");
            eprintln!("skipped: no {python}");
            return;
        };
        let (packages, problems) = catalog_host_dir(dir);
        assert!(problems.is_empty(), "{problems:?}");
        let found: BTreeSet<String> = packages
            .iter()
            .map(|p| {
                format!(
                    "{}=={}",
                    p.source_name.as_deref().unwrap_or_default(),
                    p.version
                )
            })
            .collect();
        assert!(
            !expected.is_empty(),
            "nothing installed in {}",
            dir.display()
        );
        assert_eq!(found, expected, "{}", dir.display());
    }

    /// Debian-managed distributions (`python3-*` packages in `/usr/lib/python3/dist-packages`,
    /// mostly `.egg-info` directories and files) — the ones Trivy misses — equal what Debian's
    /// own Python reports.
    #[test]
    fn debian_dist_packages_equal_what_python_reports() {
        assert_matches_python(
            "/usr/bin/python3",
            Path::new("/usr/lib/python3/dist-packages"),
        );
    }

    /// pip-installed distributions of the interpreter on `PATH` equal what it reports.
    #[test]
    fn pip_site_packages_equal_what_python_reports() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        let out = Command::new("python3")
            .args([
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ])
            .output();
        let Some(out) = out.ok().filter(|o| o.status.success()) else {
            assert!(!ci, "python3 is missing under CI");
            eprintln!("skipped: no python3");
            return;
        };
        let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert_matches_python("python3", Path::new(&dir));
    }
}
