//! Known vulnerabilities of Alpine packages, against Alpine's real secfixes data.
//!
//! `../shared/vulndata/alpine-secdb/v3.11/main.yaml` lists, per origin package, the version
//! that fixed each CVE. It is converted here to OSV the way the OSV Alpine feed is built: one
//! record per (package, fixed version, CVE), ecosystem `Alpine:v3.11`, `introduced 0` to
//! `fixed`. The image is an Alpine 3.11 root with an apk database of binary packages whose
//! origins are in that data. The expected findings are worked out below from the secfixes
//! entries themselves; they exercise origin lookup, apk's `-rN` ordering, one CVE fixed on two
//! branches (merged into one finding with the later fix), and release isolation.

mod common;
#[path = "common/image_services.rs"]
mod services;

use std::collections::BTreeSet;
use std::path::Path;

use common::{portcullis, shared_file};
use serde_json::{json, Value};
use services::{file, oci_layout, LayerSpec};

/// An apk database record: binary package `name` at `version`, built from `origin`.
fn apk_record(name: &str, version: &str, origin: &str) -> String {
    format!("P:{name}\nV:{version}\nA:x86_64\nT:{name}\no:{origin}\n\n")
}

const INSTALLED: [(&str, &str, &str); 5] = [
    ("libcrypto1.1", "1.1.1d-r2", "openssl"),
    ("libssl1.1", "1.1.1d-r2", "openssl"),
    ("musl", "1.1.24-r0", "musl"),
    ("busybox", "1.31.1-r9", "busybox"),
    ("ssl_client", "1.30.1-r1", "busybox"),
];

fn alpine_image(dir: &Path, version_id: &str) -> String {
    let installed: String = INSTALLED
        .iter()
        .map(|(name, version, origin)| apk_record(name, version, origin))
        .collect();
    let os_release = format!(
        "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID={version_id}\nPRETTY_NAME=\"Alpine Linux v{version_id}\"\n"
    );
    oci_layout(
        dir,
        "test",
        "amd64",
        &[LayerSpec {
            files: vec![
                file("etc/os-release", os_release),
                file("lib/apk/db/installed", installed),
            ],
            gzip: true,
        }],
    );
    format!("oci:{}:test", dir.display())
}

/// The secfixes of v3.11/main as OSV records in `out`; returns how many were written.
fn secdb_records(out: &Path) -> Option<usize> {
    let path = shared_file("vulndata/alpine-secdb/v3.11/main.yaml")?;
    let secdb: Value = serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(secdb["distroversion"], "v3.11");
    let mut written = 0;
    for package in secdb["packages"].as_array().unwrap() {
        let name = package["pkg"]["name"].as_str().unwrap();
        let Some(secfixes) = package["pkg"]["secfixes"].as_object() else {
            continue;
        };
        for (fixed, cves) in secfixes {
            for cve in cves
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                // Some entries carry a note after the id ("CVE-2019-1234 (something)").
                let cve = cve.split_whitespace().next().unwrap_or(cve);
                let id = format!("x_ALPINE-{name}-{fixed}-{cve}");
                let record = json!({
                    "id": id,
                    "aliases": [cve],
                    "affected": [{
                        "package": {"ecosystem": "Alpine:v3.11", "name": name},
                        "ranges": [{"type": "ECOSYSTEM",
                                    "events": [{"introduced": "0"}, {"fixed": fixed}]}],
                    }],
                });
                std::fs::write(out.join(format!("{id}.json")), record.to_string()).unwrap();
                written += 1;
            }
        }
    }
    Some(written)
}

fn findings(reference: &str, db: &Path) -> (Value, BTreeSet<(String, String, String)>) {
    let output = portcullis()
        .args(["scan", reference, "--offline", "--db"])
        .arg(db)
        .args(["-f", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let found = report["images"][0]["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["package_name"].as_str().unwrap().to_owned(),
                v["id"].as_str().unwrap().to_owned(),
                v["fix"]["version"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    (report, found)
}

#[test]
fn alpine_packages_match_their_origin_in_their_release() {
    let db = tempfile::tempdir().unwrap();
    let Some(records) = secdb_records(db.path()) else {
        return;
    };
    assert!(records > 500, "{records} records");

    let layout = tempfile::tempdir().unwrap();
    let (report, found) = findings(&alpine_image(layout.path(), "3.11.6"), db.path());
    let image = &report["images"][0];
    assert_eq!(image["packages"].as_array().unwrap().len(), 5);
    // openssl: 1.1.1d-r2 is past the fixes of 1.1.1a-r0, 1.1.1b-r1 and 1.1.1d-r1, not of
    // 1.1.1d-r3 (CVE-2019-1551); both binaries built from it are affected.
    // busybox 1.31.1-r9 is past every busybox fix; ssl_client, built from busybox 1.30.1-r1,
    // is past 1.29.3-r10 (CVE-2018-20679) but not 1.30.1-r2: CVE-2019-5747, listed under both
    // versions, is one finding whose fix is the later one. musl 1.1.24-r0 is past 1.1.23-r2.
    let expected: BTreeSet<(String, String, String)> = [
        ("libcrypto1.1", "CVE-2019-1551", "1.1.1d-r3"),
        ("libssl1.1", "CVE-2019-1551", "1.1.1d-r3"),
        ("ssl_client", "CVE-2019-5747", "1.30.1-r2"),
    ]
    .iter()
    .map(|(p, c, f)| (p.to_string(), c.to_string(), f.to_string()))
    .collect();
    assert_eq!(found, expected);
    let ssl_client = image["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["package_name"] == "ssl_client")
        .unwrap();
    assert_eq!(ssl_client["ecosystem"], "Alpine:v3.11");
    assert_eq!(ssl_client["matched_name"], "busybox");
    assert_eq!(
        ssl_client["advisories"],
        json!(["x_ALPINE-busybox-1.30.1-r2-CVE-2019-5747"]),
        "the 1.29.3-r10 record does not apply to 1.30.1-r1"
    );

    // The same packages on Alpine 3.10: v3.11 records do not apply.
    let layout = tempfile::tempdir().unwrap();
    let (_, found) = findings(&alpine_image(layout.path(), "3.10.9"), db.path());
    assert_eq!(found, BTreeSet::new());
}
