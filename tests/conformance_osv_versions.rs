//! osv-scalibr's version-ordering vectors (`osv-versions/testdata/*.txt`), run against
//! `portcullis::vuln::version` as described in `osv-versions/README.md`: every `A OP B` line
//! must parse on both sides and compare as `OP` in both directions, through both
//! `Scheme::compare` and `Version::cmp_same_scheme`. The README's invalid-version expectations
//! are checked too.
//!
//! The vectors are not part of this repository: they are read from `PORTCULLIS_CONFORMANCE_DIR`
//! (default `../shared/conformance`). A missing directory fails under `CI=true` and is skipped
//! elsewhere.

mod common;

use common::conformance_dir;

use std::cmp::Ordering;
use std::path::Path;

use portcullis::vuln::version::Scheme;

fn read(dir: &Path, name: &str) -> String {
    let path = dir.join("osv-versions/testdata").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn symbol(order: Ordering) -> &'static str {
    match order {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    }
}

/// Runs every vector of `name` through `scheme`; returns the number of lines that passed and
/// one message per failing line.
fn run_file(dir: &Path, name: &str, scheme: Scheme) -> (usize, Vec<String>) {
    let text = read(dir, name);
    let (mut passed, mut failures) = (0, Vec::new());
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        if line.is_empty() || line.starts_with("# ") || line.starts_with("// ") {
            continue;
        }
        let fields: Vec<&str> = line.split(' ').collect();
        let [a, op, b] = fields[..] else {
            failures.push(format!("{name}:{number}: malformed vector {line:?}"));
            continue;
        };
        let expected = match op {
            "<" => Ordering::Less,
            "=" => Ordering::Equal,
            ">" => Ordering::Greater,
            other => {
                failures.push(format!("{name}:{number}: unknown operator {other:?}"));
                continue;
            }
        };
        match check(scheme, a, b, expected) {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("{name}:{number} [{scheme}] `{line}`: {why}")),
        }
    }
    (passed, failures)
}

fn check(scheme: Scheme, a: &str, b: &str, expected: Ordering) -> Result<(), String> {
    let va = scheme.parse(a).map_err(|e| e.to_string())?;
    let vb = scheme.parse(b).map_err(|e| e.to_string())?;
    let results = [
        ("compare(a, b)", scheme.compare(a, b), expected),
        ("compare(b, a)", scheme.compare(b, a), expected.reverse()),
        (
            "a.cmp_same_scheme(b)",
            Ok(va.cmp_same_scheme(&vb)),
            expected,
        ),
        (
            "b.cmp_same_scheme(a)",
            Ok(vb.cmp_same_scheme(&va)),
            expected.reverse(),
        ),
    ];
    for (what, got, want) in results {
        let got = got.map_err(|e| format!("{what}: {e}"))?;
        if got != want {
            return Err(format!(
                "{what} gave {} instead of {}",
                symbol(got),
                symbol(want)
            ));
        }
    }
    Ok(())
}

/// Runs the files for `ecosystem`, checks that it maps to `scheme`, and asserts no failures.
fn run_group(ecosystems: &[&str], scheme: Scheme, files: &[&str]) {
    let Some(dir) = conformance_dir("osv-versions/testdata") else {
        return;
    };
    let mut failures = Vec::new();
    for ecosystem in ecosystems {
        if Scheme::for_ecosystem(ecosystem) != Some(scheme) {
            failures.push(format!("for_ecosystem({ecosystem:?}) is not {scheme}"));
        }
    }
    for file in files {
        let (passed, mut file_failures) = run_file(&dir, file, scheme);
        println!(
            "{file} [{scheme}]: {passed} passed, {} failed",
            file_failures.len()
        );
        assert!(passed > 0, "{file}: no vectors ran");
        failures.append(&mut file_failures);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Parsing must fail with an "invalid version" error (and so must comparing with it).
fn assert_invalid(scheme: Scheme, invalid: &[&str], valid_other: &str) {
    let mut failures = Vec::new();
    for version in invalid {
        match scheme.parse(version) {
            Ok(_) => failures.push(format!("{scheme}: `{version}` parsed")),
            Err(e) if !e.to_string().starts_with("invalid ") => {
                failures.push(format!("{scheme}: `{version}`: unexpected error {e}"))
            }
            Err(_) => {}
        }
        if scheme.compare(valid_other, version).is_ok() {
            failures.push(format!(
                "{scheme}: compare(`{valid_other}`, `{version}`) succeeded"
            ));
        }
        if scheme.compare(version, valid_other).is_ok() {
            failures.push(format!(
                "{scheme}: compare(`{version}`, `{valid_other}`) succeeded"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn debian() {
    run_group(
        &["Debian", "Debian:12", "Ubuntu", "Ubuntu:Pro:24.04:LTS"],
        Scheme::Debian,
        &["debian-versions.txt", "debian-versions-generated.txt"],
    );
    assert_invalid(Scheme::Debian, &["1.2.3-not-a-debian:version!@#$"], "1.2.3");
}

#[test]
fn alpine() {
    run_group(
        &["Alpine", "Alpine:v3.20", "Wolfi", "Chainguard", "MinimOS"],
        Scheme::Alpine,
        &["alpine-versions.txt", "alpine-versions-generated.txt"],
    );
}

#[test]
fn red_hat() {
    run_group(
        &[
            "Red Hat",
            "Red Hat:enterprise_linux:9::appstream",
            "Rocky Linux",
            "AlmaLinux",
        ],
        Scheme::Rpm,
        &["redhat-versions.txt"],
    );
}

#[test]
fn semver_npm_crates_hex() {
    run_group(
        &["npm", "crates.io", "Hex"],
        Scheme::Semver,
        &["semver-versions.txt"],
    );
}

#[test]
fn semver_go() {
    run_group(&["Go"], Scheme::Go, &["semver-versions.txt"]);
}

#[test]
fn pypi() {
    run_group(
        &["PyPI"],
        Scheme::Pypi,
        &["pypi-versions.txt", "pypi-versions-generated.txt"],
    );
}

#[test]
fn maven() {
    run_group(
        &["Maven"],
        Scheme::Maven,
        &["maven-versions.txt", "maven-versions-generated.txt"],
    );
}

#[test]
fn rubygems() {
    run_group(
        &["RubyGems"],
        Scheme::RubyGems,
        &["rubygems-versions.txt", "rubygems-versions-generated.txt"],
    );
}

#[test]
fn packagist() {
    run_group(
        &["Packagist"],
        Scheme::Packagist,
        &["packagist-versions.txt", "packagist-versions-generated.txt"],
    );
}

#[test]
fn nuget() {
    run_group(&["NuGet"], Scheme::NuGet, &["nuget-versions.txt"]);
}

#[test]
fn cran() {
    run_group(
        &["CRAN"],
        Scheme::Cran,
        &["cran-versions.txt", "cran-versions-generated.txt"],
    );
    assert_invalid(Scheme::Cran, &["!", "?", "1.a.2", "z.c.3"], "1.0");
}

#[test]
fn hackage() {
    run_group(
        &["Hackage", "GHC"],
        Scheme::Hackage,
        &["hackage-versions.txt"],
    );
    assert_invalid(Scheme::Hackage, &["1.2.3.4.5-notallowed"], "1.2.3");
}

#[test]
fn pub_dart() {
    run_group(&["Pub"], Scheme::Pub, &["pub-versions.txt"]);
}

/// Every ecosystem with vectors parses "" to an "invalid version" error, never to an
/// "unsupported ecosystem" one.
#[test]
fn empty_string_is_an_invalid_version_not_an_unsupported_ecosystem() {
    let ecosystems = [
        "Debian",
        "Ubuntu",
        "Alpine",
        "Red Hat",
        "npm",
        "crates.io",
        "Go",
        "Hex",
        "PyPI",
        "Maven",
        "RubyGems",
        "Packagist",
        "NuGet",
        "CRAN",
        "Hackage",
        "Pub",
    ];
    for ecosystem in ecosystems {
        let scheme = Scheme::for_ecosystem(ecosystem)
            .unwrap_or_else(|| panic!("{ecosystem}: unsupported ecosystem"));
        let err = scheme.parse("").expect_err(ecosystem);
        assert!(
            err.to_string().starts_with("invalid "),
            "{ecosystem}: {err}"
        );
    }
}
