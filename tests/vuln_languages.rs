//! Known vulnerabilities of language packages, end to end: real fixtures, built or installed
//! here by the real tools, scanned against the real advisories of `../shared/vulndata`.
//!
//! - Python: urllib3 installed by pip (`--target`) at 1.24.1 and at 2.0.7 into an image's
//!   `site-packages`, against `pypa/vulns`. Which PYSEC records apply is decided by an
//!   independent oracle: OSV's sorted-events walk in Python, over PEP 440 versions of Python's
//!   own `packaging` library (pip's vendored copy when it is not installed).
//! - Rust: two tiny crates built with `cargo auditable`, depending on smallvec 0.6.10 and 1.6.1,
//!   against `rustsec/crates`. The expectation was checked by hand with SemVer's rules and is
//!   pinned to the records' own range text, so a change of the data fails loudly.
//! - Go: binaries built by the installed Go toolchain, vendoring a module recorded as
//!   `github.com/gin-gonic/gin` v1.5.0, v1.6.0 or v1.9.1 (the Go module proxy is not reachable,
//!   so its code is a stub; the build information is the linker's own), against `go/osv`. The
//!   `stdlib` package has the toolchain's version; the records that apply to it and to the module
//!   are decided by a small SemVer comparison written here.
//!
//! Every fixed twin must report no advisory of its package, and every finding carries its
//! ecosystem and the fixed version of the record's range that holds the installed version.
//!
//! The images are one-layer OCI layouts packed by GNU tar from a root staged on disk: the shared
//! hand-written tar of `tests/common/image_services.rs` gives every file mode 0644, and the Go
//! and Rust catalogers only read executables.

// The shared helpers re-export some functions this file does not call (`xmllint_validate`).
#[allow(unused_imports)]
mod common;

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use common::{json_schema_errors, manifest_dir, portcullis, shared_file, unavailable};
use portcullis::image::source::digest::sha256_digest;
use serde_json::{json, Value};

/// Advisory id → the fixed version of the record's range that holds the installed version
/// (`None`: the range is open).
type Expected = BTreeMap<String, Option<String>>;

// ---------------------------------------------------------------------------------------------
// Images and scans

/// A root filesystem staged on disk.
struct Root {
    dir: tempfile::TempDir,
}

impl Root {
    fn new() -> Self {
        Root {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// Copies `from` (a file, or a directory with everything under it) to `to` in the root;
    /// file modes are kept.
    fn copy(&self, from: &Path, to: &str) -> &Self {
        fn copy_tree(from: &Path, to: &Path) {
            if from.is_dir() {
                std::fs::create_dir_all(to).expect("create a directory of the root");
                for entry in std::fs::read_dir(from).expect("read a fixture directory") {
                    let entry = entry.expect("a fixture directory entry");
                    copy_tree(&entry.path(), &to.join(entry.file_name()));
                }
            } else {
                std::fs::create_dir_all(to.parent().expect("a parent")).expect("create parents");
                std::fs::copy(from, to).expect("copy a fixture file");
            }
        }
        copy_tree(from, &self.dir.path().join(to));
        self
    }

    /// The root as a one-layer OCI layout in `layout`, tagged `test`; returns the reference.
    fn image(&self, layout: &Path) -> String {
        let mut top: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("read the root")
            .map(|e| e.expect("a root entry").file_name().into_string().unwrap())
            .collect();
        top.sort();
        let output = Command::new("tar")
            .args([
                "--create",
                "--file=-",
                "--sort=name",
                "--owner=0",
                "--group=0",
            ])
            .args(["--numeric-owner", "--mtime=@0", "-C"])
            .arg(self.dir.path())
            .args(&top)
            .stderr(Stdio::inherit())
            .output()
            .expect("run GNU tar");
        assert!(output.status.success(), "tar failed");
        let layer = put_blob(layout, &output.stdout);
        let config = json!({
            "created": "1970-01-01T00:00:00Z",
            "architecture": "amd64",
            "os": "linux",
            "config": {"Env": ["PATH=/usr/local/bin:/usr/bin:/bin"]},
            "rootfs": {"type": "layers", "diff_ids": [layer.0]},
            "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "fixture"}],
        });
        let config = put_blob(layout, config.to_string().as_bytes());
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": config.0, "size": config.1},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                        "digest": layer.0, "size": layer.1}],
        });
        let manifest = put_blob(layout, manifest.to_string().as_bytes());
        let index = json!({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest.0,
            "size": manifest.1,
            "annotations": {"org.opencontainers.image.ref.name": "test"},
        }]});
        std::fs::write(layout.join("index.json"), index.to_string()).expect("write index.json");
        std::fs::write(
            layout.join("oci-layout"),
            r#"{"imageLayoutVersion":"1.0.0"}"#,
        )
        .expect("write oci-layout");
        format!("oci:{}:test", layout.display())
    }
}

/// Writes a blob; returns its digest and size.
fn put_blob(layout: &Path, data: &[u8]) -> (String, usize) {
    let digest = sha256_digest(data);
    let dir = layout.join("blobs/sha256");
    std::fs::create_dir_all(&dir).expect("create blobs/sha256");
    std::fs::write(dir.join(&digest["sha256:".len()..]), data).expect("write a blob");
    (digest, data.len())
}

/// `portcullis scan IMAGE --offline --db DB -f json`: the report, valid against its schema.
fn scan(root: &Root, db: &Path) -> Value {
    let layout = tempfile::tempdir().expect("temporary directory");
    let reference = root.image(layout.path());
    let output = portcullis()
        .args(["scan", &reference, "--offline", "--db"])
        .arg(db)
        .args(["-f", "json"])
        .output()
        .expect("run portcullis");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "scan failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    let schema = manifest_dir().join("docs/schemas/portcullis-report.schema.json");
    let errors = json_schema_errors(&schema, &report);
    assert!(
        errors.is_empty(),
        "the report breaks its schema: {errors:#?}"
    );
    report
}

/// One reported vulnerability, with the evidence of its package.
#[derive(Debug, Clone)]
struct Finding {
    id: String,
    advisories: Vec<String>,
    package_name: String,
    package_version: String,
    purl: String,
    ecosystem: String,
    fix_state: String,
    fix_version: Option<String>,
}

fn findings(report: &Value) -> Vec<Finding> {
    let image = &report["images"][0];
    image["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities were matched")
        .iter()
        .map(|v| Finding {
            id: v["id"].as_str().unwrap().to_owned(),
            advisories: v["advisories"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_owned())
                .collect(),
            package_name: v["package_name"].as_str().unwrap().to_owned(),
            package_version: v["package_version"].as_str().unwrap().to_owned(),
            purl: v["purl"].as_str().unwrap().to_owned(),
            ecosystem: v["ecosystem"].as_str().unwrap().to_owned(),
            fix_state: v["fix"]["state"].as_str().unwrap().to_owned(),
            fix_version: v["fix"]["version"].as_str().map(str::to_owned),
        })
        .collect()
}

/// (name, version, purl, ecosystem) of every package found.
fn packages(report: &Value) -> BTreeSet<(String, String, String, String)> {
    report["images"][0]["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            let text = |key: &str| p[key].as_str().unwrap().to_owned();
            (
                text("name"),
                text("version"),
                text("purl"),
                text("ecosystem"),
            )
        })
        .collect()
}

/// Asserts that the findings of package `name` at `version` report exactly the advisories of
/// `expected`, in `ecosystem`, each with the record's fix (the highest by `order` when one
/// finding merges several advisories, as every fix must then be applied).
fn assert_reported(
    all: &[Finding],
    name: &str,
    version: &str,
    ecosystem: &str,
    expected: &Expected,
    order: impl Fn(&str, &str) -> Ordering,
) {
    let of_package: Vec<&Finding> = all.iter().filter(|f| f.package_name == name).collect();
    let reported: BTreeSet<&str> = of_package
        .iter()
        .flat_map(|f| f.advisories.iter().map(String::as_str))
        .collect();
    let wanted: BTreeSet<&str> = expected.keys().map(String::as_str).collect();
    let missing: Vec<_> = wanted.difference(&reported).collect();
    let extra: Vec<_> = reported.difference(&wanted).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{name} {version}: missing {missing:?}, unexpected {extra:?}"
    );
    for finding in of_package {
        assert_eq!(finding.package_version, version, "{finding:?}");
        assert_eq!(finding.ecosystem, ecosystem, "{finding:?}");
        let fixes: Vec<&str> = finding
            .advisories
            .iter()
            .filter_map(|a| expected[a].as_deref())
            .collect();
        let highest = fixes.iter().copied().max_by(|a, b| order(a, b));
        match highest {
            Some(fix) => {
                assert_eq!(finding.fix_state, "fixed", "{finding:?}");
                assert_eq!(finding.fix_version.as_deref(), Some(fix), "{finding:?}");
            }
            None => assert_eq!(finding.fix_state, "not_fixed", "{finding:?}"),
        }
    }
}

/// Runs `command`; `None` when it cannot be started.
fn output_of(command: &mut Command) -> Option<Output> {
    command.stdin(Stdio::null()).output().ok()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The cargo scratch directory kept between runs (`target/tmp`), for build caches.
fn cargo_tmp(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

// ---------------------------------------------------------------------------------------------
// Python: urllib3 from PyPI against the PYSEC records

const PYTHON_PACKAGE: &str = "urllib3";
const PYTHON_VULNERABLE: &str = "1.24.1";
/// The highest fixed version of every urllib3 record (PYSEC-2023-212, 2.0.x).
const PYTHON_FIXED: &str = "2.0.7";
const SITE_PACKAGES: &str = "usr/local/lib/python3.11/site-packages";

/// The PYSEC records, `vulns/<package>/PYSEC-*.yaml`.
fn pypa_vulns() -> Option<PathBuf> {
    let record = shared_file("vulndata/pypa/vulns/urllib3/PYSEC-2023-212.yaml")?;
    Some(record.parent()?.parent()?.to_path_buf())
}

/// `pip install --no-deps --target` of `package==version` into a new directory.
fn pip_install(package: &str, version: &str) -> Option<tempfile::TempDir> {
    let target = tempfile::tempdir().expect("temporary directory");
    let requirement = format!("{package}=={version}");
    let Some(output) = output_of(
        Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--no-deps",
                "--no-compile",
                "--quiet",
            ])
            .args([
                "--disable-pip-version-check",
                "--only-binary=:all:",
                "--target",
            ])
            .arg(target.path())
            .arg(&requirement),
    ) else {
        return unavailable("python3 not found (pip installs the Python fixtures)".into());
    };
    if !output.status.success() {
        return unavailable(format!(
            "pip install {requirement} failed (is PyPI reachable?): {}",
            text(&output.stderr)
        ));
    }
    Some(target)
}

/// OSV evaluation of PyPI records, by Python's `packaging` (PEP 440 versions and names). Reads
/// `{"package", "installed", "records"}` and prints `{"affected": {id: fix}, "order": [fixes]}`.
const PEP440_ORACLE: &str = r#"
import json, sys
try:
    from packaging.utils import canonicalize_name
    from packaging.version import InvalidVersion, Version
except ImportError:  # pip vendors the same library
    from pip._vendor.packaging.utils import canonicalize_name
    from pip._vendor.packaging.version import InvalidVersion, Version

query = json.load(sys.stdin)
installed = Version(query["installed"])
wanted = canonicalize_name(query["package"])

def sorted_events(events):
    keyed = []
    for event in events:
        (kind, text), = event.items()
        assert kind in ("introduced", "fixed", "last_affected"), kind
        at = None if kind == "introduced" and text == "0" else Version(text)
        keyed.append((at, kind, text))
    keyed.sort(key=lambda e: (0,) if e[0] is None else (1, e[0]))
    return keyed

def walk(events):
    """Whether the range holds `installed`, and the fix that closes its interval."""
    affected = False
    for at, kind, _ in events:
        if kind == "introduced" and (at is None or installed >= at):
            affected = True
        elif kind == "fixed" and installed >= at:
            affected = False
        elif kind == "last_affected" and installed > at:
            affected = False
    fix = None
    if affected:
        fix = next((t for at, k, t in events if k == "fixed" and at > installed), None)
    return affected, fix

def same(text):
    try:
        return Version(text) == installed
    except InvalidVersion:
        return False

result, fixes = {}, set()
for record in query["records"]:
    if record.get("withdrawn"):
        continue
    for affected in record.get("affected", []):
        package = affected.get("package") or {}
        if package.get("ecosystem") != "PyPI" or canonicalize_name(package["name"]) != wanted:
            continue
        ranges = [sorted_events(r["events"]) for r in affected.get("ranges", [])
                  if r["type"] == "ECOSYSTEM"]
        for events in ranges:
            fixes.update(t for _, k, t in events if k == "fixed")
        inside = [fix for hit, fix in map(walk, ranges) if hit]
        listed = any(same(v) for v in affected.get("versions", []))
        if inside or listed:
            candidates = [f for f in inside if f is not None] or [
                t for events in ranges for at, k, t in events if k == "fixed" and at > installed]
            result[record["id"]] = min(candidates, key=Version) if candidates else None
            break
json.dump({"affected": result, "order": sorted(fixes, key=Version)}, sys.stdout)
"#;

/// The PYSEC records of `package` that apply at `version`, by [`PEP440_ORACLE`], and every
/// fixed version of those records in PEP 440 order.
fn pep440_expected(vulns: &Path, package: &str, version: &str) -> Option<(Expected, Vec<String>)> {
    let mut records = Vec::new();
    for entry in std::fs::read_dir(vulns.join(package)).expect("the package's records") {
        let path = entry.expect("a record").path();
        let yaml = std::fs::read_to_string(&path).expect("read a record");
        let record: Value = serde_yaml_ng::from_str(&yaml)
            .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
        records.push(record);
    }
    let query = json!({"package": package, "installed": version, "records": records});
    let child = Command::new("python3")
        .args(["-c", PEP440_ORACLE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return unavailable("python3 not found (the PEP 440 oracle)".into());
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(query.to_string().as_bytes())
        .expect("feed the oracle");
    let output = child.wait_with_output().expect("run the oracle");
    if !output.status.success() {
        let stderr = text(&output.stderr);
        if stderr.contains("ModuleNotFoundError") {
            return unavailable(format!("neither packaging nor pip's copy of it: {stderr}"));
        }
        panic!("the PEP 440 oracle failed: {stderr}");
    }
    let answer: Value = serde_json::from_slice(&output.stdout).expect("the oracle's JSON");
    let expected = answer["affected"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, fix)| (id.clone(), fix.as_str().map(str::to_owned)))
        .collect();
    let order = answer["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    Some((expected, order))
}

/// Scans an image holding urllib3 `version` as pip installed it; returns the report, the
/// oracle's expectation and its order of fixed versions.
fn python_case(version: &str) -> Option<(Value, Expected, Vec<String>)> {
    let vulns = pypa_vulns()?;
    let (expected, order) = pep440_expected(&vulns, PYTHON_PACKAGE, version)?;
    let installed = pip_install(PYTHON_PACKAGE, version)?;
    let dist_info = installed
        .path()
        .join(format!("{PYTHON_PACKAGE}-{version}.dist-info"));
    assert!(
        dist_info.join("METADATA").is_file(),
        "pip wrote no {}",
        dist_info.display()
    );
    let root = Root::new();
    root.copy(installed.path(), SITE_PACKAGES);
    let report = scan(&root, &vulns);
    assert!(packages(&report).contains(&(
        PYTHON_PACKAGE.to_owned(),
        version.to_owned(),
        format!("pkg:pypi/{PYTHON_PACKAGE}@{version}"),
        "PyPI".to_owned(),
    )));
    Some((report, expected, order))
}

#[test]
fn python_urllib3_1_24_1_reports_exactly_the_pysec_records_pep440_puts_it_in() {
    let Some((report, expected, order)) = python_case(PYTHON_VULNERABLE) else {
        return;
    };
    // 7 of urllib3's 11 records: not PYSEC-2017-98 (1.17 ≤ v < 1.18.1), PYSEC-2018-32
    // (fixed 1.23), PYSEC-2020-149 (from 1.25.2), PYSEC-2021-59 (from 1.26.0).
    assert_eq!(expected.len(), 7, "{expected:?}");
    // A two-interval record: the fix is that of the 1.x interval, not of the 2.0 one.
    assert_eq!(
        expected.get("PYSEC-2023-192"),
        Some(&Some("1.26.17".to_owned()))
    );
    let all = findings(&report);
    let rank = |v: &str| order.iter().position(|o| o == v).expect("a known fix");
    assert_reported(
        &all,
        PYTHON_PACKAGE,
        PYTHON_VULNERABLE,
        "PyPI",
        &expected,
        |a, b| rank(a).cmp(&rank(b)),
    );
    assert!(all.iter().all(|f| f.package_name == PYTHON_PACKAGE
        && f.purl == format!("pkg:pypi/urllib3@{PYTHON_VULNERABLE}")
        && f.id.starts_with("CVE-")));
}

#[test]
fn python_urllib3_2_0_7_the_fixed_twin_reports_no_urllib3_advisory() {
    let Some((report, expected, order)) = python_case(PYTHON_FIXED) else {
        return;
    };
    assert_eq!(expected, Expected::new(), "the oracle finds 2.0.7 affected");
    // 2.0.7 is the highest fix any urllib3 record names.
    assert_eq!(order.last().map(String::as_str), Some(PYTHON_FIXED));
    let urllib3: Vec<Finding> = findings(&report)
        .into_iter()
        .filter(|f| f.package_name == PYTHON_PACKAGE)
        .collect();
    assert!(urllib3.is_empty(), "{urllib3:#?}");
}

// ---------------------------------------------------------------------------------------------
// Rust: cargo-auditable binaries against the RustSec records

const RUST_VULNERABLE: &str = "0.6.10";
/// The highest fix of every smallvec record (RUSTSEC-2021-0003, 1.x).
const RUST_FIXED: &str = "1.6.1";

/// Every RustSec record about smallvec, with its ranges as written (checked by hand against
/// 0.6.10 and 1.6.1 with SemVer's rules).
const SMALLVEC_RECORDS: [(&str, &str); 5] = [
    (
        "RUSTSEC-2018-0003",
        r#"[{"events":[{"introduced":"0.3.2"},{"fixed":"0.3.4"},{"introduced":"0.4.0-0"},{"fixed":"0.4.5"},{"introduced":"0.5.0-0"},{"fixed":"0.5.1"},{"introduced":"0.6.0-0"},{"fixed":"0.6.3"}],"type":"SEMVER"}]"#,
    ),
    (
        "RUSTSEC-2018-0018",
        r#"[{"events":[{"introduced":"0.0.0-0"},{"fixed":"0.6.13"}],"type":"SEMVER"}]"#,
    ),
    (
        "RUSTSEC-2019-0009",
        r#"[{"events":[{"introduced":"0.6.5"},{"fixed":"0.6.10"}],"type":"SEMVER"}]"#,
    ),
    (
        "RUSTSEC-2019-0012",
        r#"[{"events":[{"introduced":"0.6.3"},{"fixed":"0.6.10"}],"type":"SEMVER"}]"#,
    ),
    (
        "RUSTSEC-2021-0003",
        r#"[{"events":[{"introduced":"0.6.3"},{"fixed":"0.6.14"},{"introduced":"1.0.0"},{"fixed":"1.6.1"}],"type":"SEMVER"}]"#,
    ),
];

/// The RustSec records; fails when the smallvec records are not exactly [`SMALLVEC_RECORDS`].
fn rustsec_crates() -> Option<PathBuf> {
    let dir = shared_file("vulndata/rustsec/crates/RUSTSEC-2021-0003.json")?
        .parent()?
        .to_path_buf();
    let mut smallvec = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("read the RustSec records") {
        let path = entry.expect("a record").path();
        let record: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read a record"))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for affected in record["affected"].as_array().into_iter().flatten() {
            if affected["package"]["name"] == "smallvec" {
                assert_eq!(affected["package"]["ecosystem"], "crates.io");
                assert!(record.get("withdrawn").is_none());
                smallvec.insert(
                    record["id"].as_str().unwrap().to_owned(),
                    affected["ranges"].to_string(),
                );
            }
        }
    }
    let pinned: BTreeMap<String, String> = SMALLVEC_RECORDS
        .iter()
        .map(|(id, ranges)| (id.to_string(), ranges.to_string()))
        .collect();
    assert_eq!(
        smallvec, pinned,
        "the smallvec records changed: check them again by hand"
    );
    Some(dir)
}

/// `cargo auditable build` of a binary crate `name` depending on smallvec `=version`; the two
/// crates share a target directory kept between runs, so only the first build compiles much.
fn auditable_binary(name: &str, version: &str) -> Option<PathBuf> {
    let available = output_of(Command::new("cargo").args(["auditable", "--version"]))
        .is_some_and(|o| o.status.success());
    if !available {
        return unavailable(
            "cargo-auditable not installed (scripts/test.sh: cargo install cargo-auditable)".into(),
        );
    }
    let krate = cargo_tmp("vuln_languages").join(name);
    let target = cargo_tmp("vuln_languages").join("target");
    std::fs::create_dir_all(krate.join("src")).expect("create the crate");
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nsmallvec = \"={version}\"\n\n[profile.dev]\ndebug = 0\n\n\
             [workspace]\n"
        ),
    )
    .expect("write Cargo.toml");
    std::fs::write(
        krate.join("src/main.rs"),
        "fn main() {\n    let mut v: smallvec::SmallVec<[u8; 4]> = smallvec::SmallVec::new();\n    \
         v.push(1);\n    println!(\"{}\", v.len());\n}\n",
    )
    .expect("write main.rs");
    let cargo = |args: &[&str]| {
        Command::new("cargo")
            .args(args)
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", &target)
            .stdin(Stdio::null())
            .output()
            .expect("run cargo")
    };
    let fetched = cargo(&["fetch", "--quiet"]);
    if !fetched.status.success() {
        return unavailable(format!(
            "cargo fetch smallvec {version} failed (is crates.io reachable?): {}",
            text(&fetched.stderr)
        ));
    }
    let built = cargo(&["auditable", "build", "--offline", "--quiet"]);
    assert!(
        built.status.success(),
        "cargo auditable build failed: {}",
        text(&built.stderr)
    );
    Some(target.join("debug").join(name))
}

/// Scans an image with the binary of crate `name` (smallvec `version`) in /usr/local/bin.
fn rust_case(name: &str, version: &str) -> Option<Value> {
    let crates = rustsec_crates()?;
    let binary = auditable_binary(name, version)?;
    let root = Root::new();
    root.copy(&binary, &format!("usr/local/bin/{name}"));
    let report = scan(&root, &crates);
    let found = packages(&report);
    assert!(found.contains(&(
        "smallvec".to_owned(),
        version.to_owned(),
        format!("pkg:cargo/smallvec@{version}"),
        "crates.io".to_owned(),
    )));
    assert!(
        found.iter().any(|(n, v, ..)| n == name && v == "0.1.0"),
        "{found:?}"
    );
    Some(report)
}

/// `x.y.z` numbers, enough to order the smallvec fixes.
fn numeric(version: &str) -> Vec<u64> {
    version.split('.').map(|n| n.parse().unwrap()).collect()
}

#[test]
fn rust_smallvec_0_6_10_in_an_auditable_binary_reports_its_rustsec_records() {
    let Some(report) = rust_case("vuln-fixture-smallvec-old", RUST_VULNERABLE) else {
        return;
    };
    // 0.6.10 is inside [0.0.0-0, 0.6.13) and [0.6.3, 0.6.14); RUSTSEC-2019-0009 and -0012 are
    // fixed in 0.6.10 itself, RUSTSEC-2018-0003's last interval ends at 0.6.3.
    let expected: Expected = [
        ("RUSTSEC-2018-0018", "0.6.13"),
        ("RUSTSEC-2021-0003", "0.6.14"),
    ]
    .into_iter()
    .map(|(id, fix)| (id.to_owned(), Some(fix.to_owned())))
    .collect();
    let all = findings(&report);
    assert_reported(
        &all,
        "smallvec",
        RUST_VULNERABLE,
        "crates.io",
        &expected,
        |a, b| numeric(a).cmp(&numeric(b)),
    );
    assert!(all
        .iter()
        .all(|f| f.package_name == "smallvec" && f.purl == "pkg:cargo/smallvec@0.6.10"));
}

#[test]
fn rust_smallvec_1_6_1_the_fixed_twin_reports_no_smallvec_advisory() {
    let Some(report) = rust_case("vuln-fixture-smallvec-fixed", RUST_FIXED) else {
        return;
    };
    let smallvec: Vec<Finding> = findings(&report)
        .into_iter()
        .filter(|f| f.package_name == "smallvec")
        .collect();
    assert!(smallvec.is_empty(), "{smallvec:#?}");
}

// ---------------------------------------------------------------------------------------------
// Go: binaries of the installed toolchain against the Go vulnerability database

const GIN: &str = "github.com/gin-gonic/gin";

/// A SemVer version as the Go records write them: `1.19.8`, `1.21.0-rc.4`, `1.1.0-0`,
/// `1.3.1-0.20190301021747-ccb9e902956d`.
#[derive(Debug, PartialEq, Eq)]
struct SemVer {
    core: [u64; 3],
    pre: Vec<String>,
}

impl SemVer {
    fn parse(text: &str) -> SemVer {
        let text = text.strip_prefix('v').unwrap_or(text);
        let text = text.split('+').next().unwrap();
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, pre.split('.').map(str::to_owned).collect()),
            None => (text, Vec::new()),
        };
        let numbers: Vec<u64> = core
            .split('.')
            .map(|n| n.parse().unwrap_or_else(|_| panic!("not SemVer: {text}")))
            .collect();
        SemVer {
            core: numbers
                .try_into()
                .unwrap_or_else(|_| panic!("not x.y.z: {text}")),
            pre,
        }
    }
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        let identifier = |a: &String, b: &String| match (a.parse::<u64>(), b.parse::<u64>()) {
            (Ok(a), Ok(b)) => a.cmp(&b),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            (Err(_), Err(_)) => a.cmp(b),
        };
        self.core
            .cmp(&other.core)
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self
                    .pre
                    .iter()
                    .zip(&other.pre)
                    .map(|(a, b)| identifier(a, b))
                    .find(|o| o.is_ne())
                    .unwrap_or_else(|| self.pre.len().cmp(&other.pre.len())),
            })
    }
}

impl PartialOrd for SemVer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn semver_order(a: &str, b: &str) -> Ordering {
    SemVer::parse(a).cmp(&SemVer::parse(b))
}

/// The directory of Go records and every record that is not withdrawn, parsed once.
fn go_records() -> Option<&'static (PathBuf, Vec<Value>)> {
    static RECORDS: OnceLock<Option<(PathBuf, Vec<Value>)>> = OnceLock::new();
    RECORDS
        .get_or_init(|| {
            let dir = shared_file("vulndata/go/osv/GO-2020-0001.json")?
                .parent()?
                .to_path_buf();
            let mut records = Vec::new();
            for entry in std::fs::read_dir(&dir).expect("read the Go records") {
                let path = entry.expect("a record").path();
                let record: Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).expect("read a record"))
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                if record.get("withdrawn").is_none() {
                    records.push(record);
                }
            }
            assert!(records.len() > 4000, "{} Go records", records.len());
            Some((dir, records))
        })
        .as_ref()
}

/// The Go records whose SEMVER ranges for `module` hold `version` (`1.19.8`): OSV's walk over
/// the events in version order.
fn go_expected(records: &[Value], module: &str, version: &str) -> Expected {
    let installed = SemVer::parse(version);
    let mut expected = Expected::new();
    for record in records {
        for affected in record["affected"].as_array().into_iter().flatten() {
            if affected["package"]["ecosystem"] != "Go" || affected["package"]["name"] != module {
                continue;
            }
            let mut fixes: Vec<Option<String>> = Vec::new();
            for range in affected["ranges"].as_array().into_iter().flatten() {
                assert_eq!(range["type"], "SEMVER", "{}", record["id"]);
                let mut events: Vec<(Option<SemVer>, &str, &str)> = range["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|event| {
                        let (kind, at) = event.as_object().unwrap().iter().next().unwrap();
                        let at = at.as_str().unwrap();
                        let parsed = (at != "0").then(|| SemVer::parse(at));
                        (parsed, kind.as_str(), at)
                    })
                    .collect();
                // `None` ("0") sorts first.
                events.sort_by(|a, b| a.0.cmp(&b.0));
                let mut inside = false;
                for (at, kind, _) in &events {
                    let reached = at.as_ref().is_none_or(|at| installed >= *at);
                    match *kind {
                        "introduced" if reached => inside = true,
                        "fixed" if reached => inside = false,
                        "last_affected" if at.as_ref().is_some_and(|at| installed > *at) => {
                            inside = false
                        }
                        "introduced" | "fixed" | "last_affected" => {}
                        other => panic!("{}: event {other}", record["id"]),
                    }
                }
                if inside {
                    let fix = events
                        .iter()
                        .find(|(at, kind, _)| {
                            *kind == "fixed" && at.as_ref().is_some_and(|at| *at > installed)
                        })
                        .map(|(_, _, text)| text.to_string());
                    fixes.push(fix);
                }
            }
            if !fixes.is_empty() {
                let lowest = fixes
                    .into_iter()
                    .flatten()
                    .min_by(|a, b| semver_order(a, b));
                expected.insert(record["id"].as_str().unwrap().to_owned(), lowest);
                break;
            }
        }
    }
    expected
}

/// The toolchain's version as SemVer: `go1.19.8` → `1.19.8`, `go1.21` → `1.21.0`.
fn go_toolchain_version() -> Option<String> {
    let Some(output) = output_of(Command::new("go").args(["env", "GOVERSION"])) else {
        return unavailable("go not found (Debian package golang-go)".into());
    };
    assert!(
        output.status.success(),
        "go env failed: {}",
        text(&output.stderr)
    );
    let release = text(&output.stdout).trim().to_owned();
    let numbers = release
        .strip_prefix("go")
        .filter(|n| n.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
        .unwrap_or_else(|| panic!("not a Go release: {release}"));
    Some(match numbers.split('.').count() {
        2 => format!("{numbers}.0"),
        _ => numbers.to_owned(),
    })
}

/// How the program gets gin.
enum Gin<'a> {
    /// Vendored as `github.com/gin-gonic/gin` at this version.
    Vendored(&'a str),
    /// v1.5.0 required, replaced by the local directory `./gin`.
    ReplacedByDirectory,
}

/// `go build` of a program importing gin (offline), with a build cache kept between runs.
fn go_binary(dir: &Path, gin: Gin<'_>) -> PathBuf {
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let library = "package gin\n\nconst Version = \"stub\"\n";
    write(
        "main.go",
        "package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() { println(gin.Version) }\n",
    );
    let mode = match gin {
        Gin::Vendored(version) => {
            write(
                "go.mod",
                &format!("module example.com/webapp\n\ngo 1.19\n\nrequire {GIN} {version}\n"),
            );
            write(&format!("vendor/{GIN}/gin.go"), library);
            write(
                "vendor/modules.txt",
                &format!("# {GIN} {version}\n## explicit\n{GIN}\n"),
            );
            "-mod=vendor"
        }
        Gin::ReplacedByDirectory => {
            write(
                "go.mod",
                &format!(
                    "module example.com/webapp\n\ngo 1.19\n\nrequire {GIN} v1.5.0\n\n\
                     replace {GIN} => ./gin\n"
                ),
            );
            write("gin/go.mod", &format!("module {GIN}\n\ngo 1.19\n"));
            write("gin/gin.go", library);
            "-mod=mod"
        }
    };
    let binary = dir.join("webapp");
    let output = Command::new("go")
        .args(["build", "-trimpath", "-buildvcs=false", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(dir)
        .env("GOFLAGS", mode)
        .env("GOPROXY", "off")
        .env("GOTOOLCHAIN", "local")
        .env("GOWORK", "off")
        .env("CGO_ENABLED", "0")
        .env("GOOS", "linux")
        .env("GOARCH", "amd64")
        .env("GOPATH", dir.join("gopath"))
        .env("GOCACHE", cargo_tmp("vuln_languages-go-cache"))
        .stdin(Stdio::null())
        .output()
        .expect("run go build");
    assert!(
        output.status.success(),
        "go build failed: {}",
        text(&output.stderr)
    );
    binary
}

/// Scans an image with a Go program built with `gin`; returns the report, the records and
/// the toolchain's version.
fn go_case(gin: Gin<'_>) -> Option<(Value, &'static [Value], String)> {
    let (dir, records) = go_records()?;
    let toolchain = go_toolchain_version()?;
    let work = tempfile::tempdir().expect("temporary directory");
    let binary = go_binary(work.path(), gin);
    let root = Root::new();
    root.copy(&binary, "usr/local/bin/webapp");
    let report = scan(&root, dir);
    assert!(packages(&report).contains(&(
        "stdlib".to_owned(),
        format!("v{toolchain}"),
        format!("pkg:golang/stdlib@v{toolchain}"),
        "Go".to_owned(),
    )));
    Some((report, records.as_slice(), toolchain))
}

/// The findings of the stdlib are exactly the records the oracle puts the toolchain in.
fn assert_stdlib(all: &[Finding], records: &[Value], toolchain: &str) -> usize {
    let expected = go_expected(records, "stdlib", toolchain);
    assert!(!expected.is_empty(), "no stdlib record for Go {toolchain}?");
    assert_reported(
        all,
        "stdlib",
        &format!("v{toolchain}"),
        "Go",
        &expected,
        semver_order,
    );
    expected.len()
}

/// The vendored module at `version`: in the inventory, and reported with exactly the records
/// that hold it.
fn assert_gin(report: &Value, records: &[Value], version: &str) -> Expected {
    assert!(packages(report).contains(&(
        GIN.to_owned(),
        format!("v{version}"),
        format!("pkg:golang/{GIN}@v{version}"),
        "Go".to_owned(),
    )));
    let expected = go_expected(records, GIN, version);
    let all = findings(report);
    assert_reported(
        &all,
        GIN,
        &format!("v{version}"),
        "Go",
        &expected,
        semver_order,
    );
    assert!(
        all.iter()
            .all(|f| f.package_name == GIN || f.package_name == "stdlib"),
        "{all:#?}"
    );
    expected
}

#[test]
fn go_stdlib_and_gin_v1_5_0_report_exactly_the_go_records_that_hold_them() {
    let Some((report, records, toolchain)) = go_case(Gin::Vendored("v1.5.0")) else {
        return;
    };
    let stdlib = assert_stdlib(&findings(&report), records, &toolchain);
    eprintln!("stdlib v{toolchain}: {stdlib} Go records");
    let gin = assert_gin(&report, records, "1.5.0");
    assert_eq!(gin.get("GO-2020-0001"), Some(&Some("1.6.0".to_owned())));
    // GO-2021-0052 (fixed 1.7.7) and GO-2023-1737 (from a 1.3.1 pseudo-version, fixed 1.9.1).
    assert_eq!(gin.len(), 3, "{gin:?}");
}

#[test]
fn go_gin_v1_6_0_is_past_go_2020_0001_but_not_the_later_records() {
    let Some((report, records, _)) = go_case(Gin::Vendored("v1.6.0")) else {
        return;
    };
    let gin = assert_gin(&report, records, "1.6.0");
    assert!(!gin.contains_key("GO-2020-0001"));
    assert_eq!(
        gin.keys().map(String::as_str).collect::<Vec<_>>(),
        ["GO-2021-0052", "GO-2023-1737"]
    );
}

#[test]
fn go_gin_v1_9_1_the_fixed_twin_reports_no_gin_advisory() {
    let Some((report, records, toolchain)) = go_case(Gin::Vendored("v1.9.1")) else {
        return;
    };
    assert_eq!(assert_gin(&report, records, "1.9.1"), Expected::new());
    // The stdlib is the same toolchain's: its findings do not depend on the module.
    assert_stdlib(&findings(&report), records, &toolchain);
}

/// A module replaced by a local directory is not the published code: it has no version to
/// match, and none of the module's advisories may be reported for it.
#[test]
fn go_module_replaced_by_a_directory_reports_no_module_advisory() {
    let Some((report, _, _)) = go_case(Gin::ReplacedByDirectory) else {
        return;
    };
    let go: Vec<(String, String)> = packages(&report)
        .into_iter()
        .filter(|(name, ..)| name != "stdlib")
        .map(|(name, version, ..)| (name, version))
        .collect();
    assert!(go.iter().all(|(_, version)| version == "(devel)"), "{go:?}");
    // The module keeps its own path, not the directory's.
    assert!(
        go.iter()
            .any(|(name, _)| name == "github.com/gin-gonic/gin"),
        "{go:?}"
    );
    let gin: Vec<Finding> = findings(&report)
        .into_iter()
        .filter(|f| f.package_name != "stdlib")
        .collect();
    assert!(gin.is_empty(), "{gin:#?}");
}
