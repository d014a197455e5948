//! Known vulnerabilities of a real Debian 12 package set, against real advisory data.
//!
//! The image holds the frozen dpkg status of a debootstrapped bookworm minbase and its
//! os-release (`../shared/vulndata/debian-12-changelog`). Its advisories were derived from the
//! real Debian changelogs, and `expected.json` was computed with `dpkg --compare-versions`: the
//! scan must report exactly those (package, CVE) pairs with the same installed and fixed
//! versions. The real bookworm DSAs of `../shared/vulndata/debian-dsa` (converted to OSV here,
//! one record per CVE as its README says) must match nothing on the same status, and must
//! match exactly the glibc ones once libc6 is made older — checked against `dpkg
//! --compare-versions` itself when dpkg is installed.

mod common;
#[path = "common/image_services.rs"]
mod services;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{portcullis, shared_file, unavailable};
use serde_json::{json, Value};
use services::{file, oci_layout, LayerSpec};

fn changelog_dir() -> Option<PathBuf> {
    shared_file("vulndata/debian-12-changelog/expected.json")
        .map(|p| p.parent().expect("a directory").to_path_buf())
}

/// An OCI layout tagged `test` with a Debian 12 root holding `status` as the dpkg database.
fn debian_image(dir: &Path, status: &str, data: &Path) -> String {
    let read = |name: &str| std::fs::read(data.join(name)).expect("read the frozen Debian data");
    oci_layout(
        dir,
        "test",
        "amd64",
        &[LayerSpec {
            files: vec![
                file("etc/os-release", read("os-release")),
                file("etc/debian_version", read("debian_version")),
                file("var/lib/dpkg/status", status),
            ],
            gzip: true,
        }],
    );
    format!("oci:{}:test", dir.display())
}

/// The frozen minbase as an image: the data directory, the layout (kept alive) and its reference.
fn minbase_image() -> Option<(PathBuf, tempfile::TempDir, String)> {
    let data = changelog_dir()?;
    let status = std::fs::read_to_string(data.join("debian-12-minbase.status")).unwrap();
    let layout = tempfile::tempdir().unwrap();
    let reference = debian_image(layout.path(), &status, &data);
    Some((data, layout, reference))
}

fn scan_json(reference: &str, db: &Path, extra: &[&str]) -> Value {
    let output = portcullis()
        .args(["scan", reference, "--offline", "--db"])
        .arg(db)
        .args(["-f", "json"])
        .args(extra)
        .output()
        .expect("run portcullis");
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "scan failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON report")
}

/// (package, cve, installed, fixed) of every reported (not suppressed) vulnerability.
fn reported(report: &Value) -> BTreeSet<(String, String, String, String)> {
    report["images"][0]["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities were matched")
        .iter()
        .filter(|v| v.get("suppression").is_none())
        .map(|v| {
            (
                v["package_name"].as_str().unwrap().to_owned(),
                v["id"].as_str().unwrap().to_owned(),
                v["package_version"].as_str().unwrap().to_owned(),
                v["fix"]["version"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_minbase_status_reports_exactly_the_changelog_oracle() {
    let Some((data, _layout, reference)) = minbase_image() else {
        return;
    };
    let report = scan_json(&reference, &data.join("osv"), &[]);

    let image = &report["images"][0];
    assert_eq!(image["packages"].as_array().unwrap().len(), 88);
    assert_eq!(image["distro"]["version_id"], "12");

    let expected: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(data.join("expected.json")).unwrap())
            .unwrap();
    let expected: BTreeSet<(String, String, String, String)> = expected
        .iter()
        .map(|e| {
            (
                e["package"].as_str().unwrap().to_owned(),
                e["cve"].as_str().unwrap().to_owned(),
                e["installed_version"].as_str().unwrap().to_owned(),
                e["fixed_version"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(expected.len(), 24);
    let got = reported(&report);
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:#?}\nextra {extra:#?}"
    );

    // Each finding names the advisory it came from and the source package it was matched by.
    for v in image["vulnerabilities"].as_array().unwrap() {
        let advisory = v["advisories"][0].as_str().unwrap();
        assert!(advisory.starts_with("x_deb12-"), "{advisory}");
        assert!(v["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == advisory));
        assert_eq!(v["ecosystem"], "Debian:12");
        assert_eq!(v["fix"]["state"], "fixed");
    }
    let perl_base = image["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["package_name"] == "perl-base")
        .unwrap();
    assert_eq!(perl_base["matched_name"], "perl");
    // bash is a binNMU (5.2.15-2+b13 from source 5.2.15-2) and has no advisory: nothing.
    assert!(!got.iter().any(|(package, ..)| package == "bash"));
}

/// The bookworm DSAs as OSV records: one per (DSA, CVE, fixed bookworm source version).
fn dsa_records(out: &Path) -> Option<usize> {
    let dir = shared_file("vulndata/debian-dsa/manifest.json")?
        .parent()
        .unwrap()
        .to_path_buf();
    let mut written = 0;
    for sub in ["DSA", "edge-cases"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let record: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let dsa = record["Header"]["ID"].as_str().unwrap();
            let annotations = record["Annotations"].as_array().unwrap();
            let cves: Vec<&str> = annotations
                .iter()
                .filter(|a| a["Type"] == "xref")
                .flat_map(|a| a["Bugs"].as_array().unwrap())
                .filter_map(Value::as_str)
                .collect();
            for fixed in annotations.iter().filter(|a| {
                a["Type"] == "package" && a["Release"] == "bookworm" && a["Kind"] == "fixed"
            }) {
                for cve in &cves {
                    let id = format!("x_{dsa}-{cve}");
                    let osv = json!({
                        "schema_version": "1.7.5",
                        "id": id,
                        "modified": "2026-11-28T00:00:00Z",
                        "aliases": [cve],
                        "related": [dsa],
                        "affected": [{
                            "package": {"ecosystem": "Debian:12", "name": fixed["Package"]},
                            "ranges": [{"type": "ECOSYSTEM", "events": [
                                {"introduced": "0"}, {"fixed": fixed["Version"]}]}],
                        }],
                    });
                    std::fs::write(out.join(format!("{id}.json")), osv.to_string()).unwrap();
                    written += 1;
                }
            }
        }
    }
    Some(written)
}

#[test]
fn real_dsas_match_only_when_the_installed_version_is_older() {
    let Some(data) = changelog_dir() else { return };
    let db = tempfile::tempdir().unwrap();
    let Some(records) = dsa_records(db.path()) else {
        return;
    };
    assert!(records > 40, "{records} records");
    let status = std::fs::read_to_string(data.join("debian-12-minbase.status")).unwrap();

    let layout = tempfile::tempdir().unwrap();
    let reference = debian_image(layout.path(), &status, &data);
    assert_eq!(
        reported(&scan_json(&reference, db.path(), &[])),
        BTreeSet::new()
    );

    // libc6 and libc-bin built from an older glibc: every glibc DSA up to deb12u7 applies.
    let old = "Source: glibc (2.36-9+deb12u2)";
    let edited: String = status
        .split("\n\n")
        .map(|stanza| {
            if stanza.starts_with("Package: libc6\n") || stanza.starts_with("Package: libc-bin\n") {
                stanza
                    .lines()
                    .filter(|l| !l.starts_with("Source:"))
                    .map(|l| {
                        if l.starts_with("Version:") {
                            format!("{l}\n{old}")
                        } else {
                            l.to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                stanza.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let layout = tempfile::tempdir().unwrap();
    let reference = debian_image(layout.path(), &edited, &data);
    let got = reported(&scan_json(&reference, db.path(), &[]));
    let glibc_cves = [
        ("CVE-2023-4911", "2.36-9+deb12u3"),
        ("CVE-2023-6246", "2.36-9+deb12u4"),
        ("CVE-2023-6779", "2.36-9+deb12u4"),
        ("CVE-2023-6780", "2.36-9+deb12u4"),
        ("CVE-2024-2961", "2.36-9+deb12u6"),
        ("CVE-2024-33599", "2.36-9+deb12u7"),
        ("CVE-2024-33600", "2.36-9+deb12u7"),
        ("CVE-2024-33601", "2.36-9+deb12u7"),
        ("CVE-2024-33602", "2.36-9+deb12u7"),
    ];
    let installed = |package: &str| {
        let stanza = edited
            .split("\n\n")
            .find(|s| s.starts_with(&format!("Package: {package}\n")))
            .unwrap();
        stanza
            .lines()
            .find_map(|l| l.strip_prefix("Version: "))
            .unwrap()
            .to_owned()
    };
    let expected: BTreeSet<_> = ["libc-bin", "libc6"]
        .iter()
        .flat_map(|package| {
            glibc_cves.iter().map(move |(cve, fixed)| {
                (
                    package.to_string(),
                    cve.to_string(),
                    installed(package),
                    fixed.to_string(),
                )
            })
        })
        .collect();
    assert_eq!(got, expected);

    // The same decisions as dpkg itself, when it is here.
    if std::process::Command::new("dpkg")
        .arg("--version")
        .output()
        .is_err()
    {
        unavailable::<()>("dpkg not found: the cross-check with dpkg --compare-versions".into());
        return;
    }
    for (_, fixed) in glibc_cves {
        let lt = std::process::Command::new("dpkg")
            .args(["--compare-versions", "2.36-9+deb12u2", "lt", fixed])
            .status()
            .unwrap();
        assert!(
            lt.success(),
            "dpkg says 2.36-9+deb12u2 is not below {fixed}"
        );
    }
}

/// Runs `scan` in `cwd` (where ignore files are picked up) and returns exit code, report and
/// standard error.
fn scan_in(cwd: &Path, reference: &str, db: &Path, extra: &[&str]) -> (i32, Value, String) {
    let output = portcullis()
        .current_dir(cwd)
        .args(["scan", reference, "--offline", "--db"])
        .arg(db)
        .args(["-f", "json"])
        .args(extra)
        .output()
        .expect("run portcullis");
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    (
        output.status.code().unwrap_or(-1),
        report,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn ids_of(report: &Value) -> BTreeSet<(String, String)> {
    reported(report)
        .into_iter()
        .map(|(package, id, ..)| (package, id))
        .collect()
}

#[test]
fn triage_severity_and_exit_codes_through_the_command_line() {
    let Some((data, _layout, reference)) = minbase_image() else {
        return;
    };
    // The changelog records, plus one without a fix for zlib.
    let db = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(data.join("osv")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, db.path().join(path.file_name().unwrap())).unwrap();
    }
    let unfixed = json!({"id": "x_unfixed-zlib", "aliases": ["CVE-2099-1000"],
        "affected": [{"package": {"ecosystem": "Debian:12", "name": "zlib"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]});
    std::fs::write(db.path().join("x_unfixed-zlib.json"), unfixed.to_string()).unwrap();
    let cwd = tempfile::tempdir().unwrap();

    let (code, all, _) = scan_in(cwd.path(), &reference, db.path(), &[]);
    assert_eq!(code, 0, "no --fail-on: vulnerabilities alone never fail");
    let all = ids_of(&all);
    assert_eq!(all.len(), 25);
    assert!(all.contains(&("zlib1g".into(), "CVE-2099-1000".into())));

    // These records carry no rating: they are `unknown`, below every named level.
    assert_eq!(
        scan_in(cwd.path(), &reference, db.path(), &["--fail-on", "low"]).0,
        0
    );
    assert_eq!(
        scan_in(cwd.path(), &reference, db.path(), &["--fail-on", "unknown"]).0,
        1
    );
    let (_, high_only, _) = scan_in(
        cwd.path(),
        &reference,
        db.path(),
        &["--severity", "high,critical"],
    );
    assert!(ids_of(&high_only).is_empty());

    let (_, fixed_only, _) = scan_in(cwd.path(), &reference, db.path(), &["--ignore-unfixed"]);
    assert_eq!(ids_of(&fixed_only).len(), 24);
    assert_eq!(fixed_only["images"][0]["suppressed"], 1);

    // An ignore file (one package only), an expired entry, a .trivyignore and a VEX statement.
    std::fs::write(
        cwd.path().join(".portcullis-ignore.toml"),
        "[[ignore]]\nid = \"CVE-2024-22365\"\npackage = \"libpam-modules\"\nreason = \"not reachable\"\n\n\
         [[ignore]]\nid = \"CVE-2026-103111\"\nreason = \"was accepted once\"\nuntil = 2020-01-01\n",
    )
    .unwrap();
    std::fs::write(
        cwd.path().join(".trivyignore"),
        "# accepted\nCVE-2025-6020\n",
    )
    .unwrap();
    let vex = cwd.path().join("apt.vex.json");
    std::fs::write(
        &vex,
        json!({
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.invalid/vex/1",
            "author": "test",
            "timestamp": "2026-11-01T00:00:00Z",
            "version": 1,
            "statements": [{
                "vulnerability": {"name": "CVE-2026-109518"},
                "products": [{"@id": "pkg:deb/debian/apt"}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path"
            }]
        })
        .to_string(),
    )
    .unwrap();
    let vex_arg = vex.display().to_string();
    let (code, triaged, stderr) = scan_in(
        cwd.path(),
        &reference,
        db.path(),
        &["--vex", &vex_arg, "--show-suppressed"],
    );
    assert_eq!(code, 0);
    assert!(
        stderr.contains("2020-01-01"),
        "the expired entry is named: {stderr}"
    );
    let expected: BTreeSet<(String, String)> = all
        .iter()
        .filter(|(package, id)| {
            !(package == "libpam-modules" && id == "CVE-2024-22365")
                && id != "CVE-2025-6020"
                && !(package == "apt" && id == "CVE-2026-109518")
        })
        .cloned()
        .collect();
    assert_eq!(ids_of(&triaged), expected);
    assert!(expected.contains(&("libapt-pkg6.0".into(), "CVE-2026-109518".into())));
    assert!(
        expected.contains(&("libpcre2-8-0".into(), "CVE-2026-103111".into())),
        "expired"
    );
    let kinds: BTreeSet<String> = triaged["images"][0]["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["suppression"]["kind"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(kinds, BTreeSet::from(["ignored".into(), "vex".into()]));
    assert_eq!(
        all.len() - expected.len(),
        6,
        "1 ignored + 4 trivyignored + 1 VEX"
    );

    // A malformed ignore file makes the run incomplete and says where.
    std::fs::write(
        cwd.path().join(".portcullis-ignore.toml"),
        "[[ignore]]\nid = \"X\"\npakage = \"y\"\nreason = \"r\"\n",
    )
    .unwrap();
    let output = portcullis()
        .current_dir(cwd.path())
        .args(["scan", &reference, "--offline", "--db"])
        .arg(db.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(".portcullis-ignore.toml:3") && stderr.contains("pakage"),
        "{stderr}"
    );
}
