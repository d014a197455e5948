//! The vulnerability database against a local stand-in for the OSV bucket: first download and
//! index, conditional re-checks, interrupted and resumed transfers, damaged exports, server
//! errors, the scan's download step, and `portcullis db` through the binary.
//!
//! The exports are real records from the shared data (golang/vulndb, PyPA, RustSec), zipped at
//! test time. Without the shared data the tests are skipped (under `CI=true` they fail).

mod common;
#[path = "common/osv_mirror.rs"]
mod osv_mirror;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use osv_mirror::{json_records, pypa_records, zip_of, Fault, Mirror};
use portcullis::http::{RetryPolicy, Timeouts};
use portcullis::vuln::db::{
    prepare_for_scan, update, Database, DbError, SourceKind, UpdateOptions, Updated,
};
use portcullis::vuln::osv::{base_ecosystem, Advisory};
use sha2::Digest;

/// Exports built once per test binary.
struct Exports {
    /// 400 Go records (GO-2020-0001, gin, among them).
    go: Vec<u8>,
    go_records: Vec<(String, Vec<u8>)>,
    /// Another 400 Go records: a later version of the export.
    go_later: Vec<u8>,
    /// PyPA records of a few packages, as JSON.
    pypi: Vec<u8>,
    /// 300 RustSec records (smallvec's RUSTSEC-2018-0003 among them).
    crates: Vec<u8>,
}

fn exports() -> Option<&'static Exports> {
    static EXPORTS: OnceLock<Option<Exports>> = OnceLock::new();
    EXPORTS
        .get_or_init(|| {
            let go = common::shared_subdir("vulndata/go/osv")?;
            let pypa = common::shared_subdir("vulndata/pypa/vulns")?;
            let rustsec = common::shared_subdir("vulndata/rustsec/crates")?;
            let go_records = json_records(&go, 400, &[]);
            let later: Vec<(String, Vec<u8>)> =
                json_records(&go, 800, &[]).into_iter().skip(400).collect();
            Some(Exports {
                go: zip_of(&go_records),
                go_later: zip_of(&later),
                go_records,
                pypi: zip_of(&pypa_records(&pypa, &["django", "jw.util", "aiohttp"])),
                crates: zip_of(&json_records(&rustsec, 300, &["RUSTSEC-2018-0003.json"])),
            })
        })
        .as_ref()
}

fn options(mirror: &Mirror) -> UpdateOptions {
    UpdateOptions {
        base_url: mirror.base_url(),
        progress: false,
        timeouts: Timeouts {
            connect: Duration::from_secs(5),
            response: Duration::from_secs(10),
            read: Duration::from_secs(10),
        },
        retry: RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
            max_total: Duration::from_secs(20),
        },
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn ids(advisories: Vec<Advisory>) -> Vec<String> {
    advisories.into_iter().map(|a| a.id).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A database with Go version 1 in it, and the mirror serving it.
fn with_go(exports: &Exports) -> (Mirror, tempfile::TempDir, String) {
    let mirror = Mirror::start();
    let etag = mirror.publish("Go", exports.go.clone());
    let dir = tempfile::tempdir().unwrap();
    let summary = update(dir.path(), &names(&["Go"]), &options(&mirror)).unwrap();
    assert!(summary.is_complete(), "{summary:?}");
    mirror.clear_requests();
    (mirror, dir, etag)
}

fn gin_ids(dir: &Path) -> Vec<String> {
    let db = Database::open(dir).unwrap();
    ids(db.advisories("Go", "github.com/gin-gonic/gin").unwrap())
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.contains(".zip.part"))
        .collect()
}

#[test]
fn first_update_builds_indexes_and_lookups_find_every_record() {
    let Some(exports) = exports() else { return };
    let mirror = Mirror::start();
    let go_etag = mirror.publish("Go", exports.go.clone());
    mirror.publish("PyPI", exports.pypi.clone());
    mirror.publish("crates.io", exports.crates.clone());
    let dir = tempfile::tempdir().unwrap();

    let summary = update(
        dir.path(),
        &names(&["Go", "PyPI", "crates.io"]),
        &options(&mirror),
    )
    .unwrap();
    assert!(summary.is_complete(), "{summary:?}");
    for entry in &summary.ecosystems {
        assert!(
            matches!(
                entry.result,
                Ok(Updated::Downloaded {
                    skipped: 0,
                    resumed_from: None,
                    ..
                })
            ),
            "{entry:?}"
        );
    }
    let paths: Vec<String> = mirror.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        ["/Go/all.zip", "/PyPI/all.zip", "/crates.io/all.zip"]
    );
    assert!(mirror.requests()[0].header("if-none-match").is_none());

    let db = Database::open(dir.path()).unwrap();
    assert!(db.warnings().is_empty(), "{:?}", db.warnings());
    // Every affected Go package of every record finds exactly its advisories.
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, bytes) in &exports.go_records {
        let advisory: Advisory = serde_json::from_slice(bytes).unwrap();
        for package in advisory.affected.iter().filter_map(|a| a.package.as_ref()) {
            assert_eq!(base_ecosystem(&package.ecosystem), "Go");
            expected
                .entry(package.name.clone())
                .or_default()
                .insert(advisory.id.clone());
        }
    }
    assert!(expected.len() > 200, "{}", expected.len());
    for (name, want) in &expected {
        let got = ids(db.advisories("Go", name).unwrap());
        assert_eq!(got, want.iter().cloned().collect::<Vec<_>>(), "{name}");
    }
    assert!(
        ids(db.advisories("Go", "github.com/gin-gonic/gin").unwrap())
            .contains(&"GO-2020-0001".to_owned())
    );
    assert!(db
        .advisories("Go", "GITHUB.COM/gin-gonic/gin")
        .unwrap()
        .is_empty());
    // PyPI names are compared after PEP 503 normalisation.
    assert!(!db.advisories("PyPI", "Django").unwrap().is_empty());
    assert_eq!(
        ids(db.advisories("PyPI", "JW_Util").unwrap()),
        ids(db.advisories("PyPI", "jw.util").unwrap())
    );
    assert!(!db.advisories("PyPI", "jw-util").unwrap().is_empty());
    assert!(ids(db.advisories("crates.io", "smallvec").unwrap())
        .contains(&"RUSTSEC-2018-0003".to_owned()));

    let status = db.status();
    let go = status.iter().find(|s| s.ecosystem == "Go").unwrap();
    assert_eq!(go.kind, SourceKind::Index);
    assert_eq!(go.advisories, exports.go_records.len());
    assert_eq!(go.etag.as_deref(), Some(go_etag.as_str()));
    assert_eq!(go.sha256.as_deref(), Some(sha256_hex(&exports.go).as_str()));
    assert_eq!(go.source, format!("{}/Go/all.zip", mirror.base_url()));
    assert!(go.last_modified.is_some());
    assert_eq!(
        status
            .iter()
            .map(|s| s.ecosystem.as_str())
            .collect::<Vec<_>>(),
        ["Go", "PyPI", "crates.io"]
    );
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn a_second_update_is_conditional_and_a_304_only_refreshes_the_check_time() {
    let Some(exports) = exports() else { return };
    let (mirror, dir, etag) = with_go(exports);
    let before = Database::open(dir.path()).unwrap().status()[0].clone();
    std::thread::sleep(Duration::from_millis(1100)); // times are kept in whole seconds

    // No ecosystem named: the ones already there.
    let summary = update(dir.path(), &[], &options(&mirror)).unwrap();
    assert!(
        matches!(
            summary.ecosystems[0].result,
            Ok(Updated::NotModified { advisories }) if advisories == exports.go_records.len()
        ),
        "{summary:?}"
    );
    let requests = mirror.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("if-none-match"), Some(etag.as_str()));
    assert_eq!(
        requests[0].header("if-modified-since"),
        before.last_modified.as_deref()
    );
    assert!(requests[0].header("range").is_none());

    let after = Database::open(dir.path()).unwrap().status()[0].clone();
    assert_eq!(after.fetched_at, before.fetched_at);
    assert!(after.checked_at > before.checked_at);
    assert_eq!(after.sha256, before.sha256);

    // A new version is downloaded and replaces the old one.
    let new_etag = mirror.publish("Go", exports.go_later.clone());
    let summary = update(dir.path(), &[], &options(&mirror)).unwrap();
    assert!(matches!(
        summary.ecosystems[0].result,
        Ok(Updated::Downloaded { .. })
    ));
    let db = Database::open(dir.path()).unwrap();
    assert_eq!(db.status()[0].etag.as_deref(), Some(new_etag.as_str()));
    assert!(
        gin_ids(dir.path()).is_empty(),
        "gin's advisories are in the first 400 only"
    );
}

#[test]
fn an_interrupted_transfer_keeps_the_old_data_and_the_next_update_resumes_it() {
    let Some(exports) = exports() else { return };
    let (mirror, dir, old_etag) = with_go(exports);
    let old_gin = gin_ids(dir.path());
    assert!(!old_gin.is_empty());

    let new_etag = mirror.publish("Go", exports.go_later.clone());
    let cut = exports.go_later.len() / 5;
    // Every attempt of this run breaks off (the first, then two resumptions).
    mirror.fault(Fault::CutAfter(cut), 3);
    let summary = update(dir.path(), &names(&["Go"]), &options(&mirror)).unwrap();
    let error = summary.ecosystems[0].result.as_ref().unwrap_err();
    assert!(matches!(error, DbError::Download { .. }), "{error}");
    let text = error.to_string();
    assert!(
        text.contains("/Go/all.zip") && text.contains("broke off 3 times"),
        "{text}"
    );
    assert!(text.contains("resumes"), "{text}");
    // Within the run, the transfer was resumed from where it stopped each time.
    let ranges: Vec<Option<String>> = mirror
        .requests()
        .iter()
        .map(|r| r.header("range").map(str::to_owned))
        .collect();
    assert_eq!(
        ranges,
        [
            None,
            Some(format!("bytes={cut}-")),
            Some(format!("bytes={}-", 2 * cut))
        ]
    );

    // The old data is untouched and fully usable.
    assert_eq!(gin_ids(dir.path()), old_gin);
    let status = Database::open(dir.path()).unwrap().status();
    assert_eq!(status[0].etag.as_deref(), Some(old_etag.as_str()));

    // The next update continues the partial download.
    let part = dir.path().join(".Go.zip.part");
    let kept = std::fs::metadata(&part).unwrap().len();
    assert_eq!(kept, 3 * cut as u64);
    mirror.clear_requests();
    let summary = update(dir.path(), &names(&["Go"]), &options(&mirror)).unwrap();
    assert!(
        matches!(
            summary.ecosystems[0].result,
            Ok(Updated::Downloaded { resumed_from: Some(at), .. }) if at == kept
        ),
        "{summary:?}"
    );
    let request = &mirror.requests()[0];
    assert_eq!(
        request.header("range"),
        Some(format!("bytes={kept}-").as_str())
    );
    assert_eq!(request.header("if-range"), Some(new_etag.as_str()));
    assert_eq!(request.header("if-none-match"), Some(old_etag.as_str()));

    let db = Database::open(dir.path()).unwrap();
    let status = &db.status()[0];
    assert_eq!(status.etag.as_deref(), Some(new_etag.as_str()));
    assert_eq!(
        status.sha256.as_deref(),
        Some(sha256_hex(&exports.go_later).as_str())
    );
    assert!(gin_ids(dir.path()).is_empty());
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn a_resumed_download_restarts_when_the_export_changed_meanwhile() {
    let Some(exports) = exports() else { return };
    let (mirror, dir, _) = with_go(exports);
    mirror.publish("Go", exports.go_later.clone());
    mirror.fault(Fault::CutAfter(1000), 3);
    let summary = update(dir.path(), &names(&["Go"]), &options(&mirror)).unwrap();
    assert!(summary.ecosystems[0].result.is_err());
    // Meanwhile the export changed again: If-Range no longer matches, the server sends it whole.
    let newest = mirror.publish("Go", exports.go.clone());
    mirror.clear_requests();
    let summary = update(dir.path(), &names(&["Go"]), &options(&mirror)).unwrap();
    assert!(
        matches!(
            summary.ecosystems[0].result,
            Ok(Updated::Downloaded {
                resumed_from: None,
                ..
            })
        ),
        "{summary:?}"
    );
    assert!(mirror.requests()[0].header("range").is_some());
    let db = Database::open(dir.path()).unwrap();
    assert_eq!(db.status()[0].etag.as_deref(), Some(newest.as_str()));
    assert_eq!(
        db.status()[0].sha256.as_deref(),
        Some(sha256_hex(&exports.go).as_str())
    );
}

#[test]
fn a_damaged_export_is_refused_and_the_old_data_kept() {
    let Some(exports) = exports() else { return };
    let (mirror, dir, old_etag) = with_go(exports);
    let old_gin = gin_ids(dir.path());

    // Not a zip at all.
    mirror.publish(
        "Go",
        b"<html>Service temporarily replaced by a captive portal</html>".to_vec(),
    );
    let summary = update(dir.path(), &names(&["Go"]), &options(&mirror)).unwrap();
    let error = summary.ecosystems[0].result.as_ref().unwrap_err();
    assert!(matches!(error, DbError::CorruptExport { .. }), "{error}");
    assert!(
        error.to_string().contains("previous data is kept"),
        "{error}"
    );

    // A zip whose damaged bytes fail its CRC check.
    let mut damaged = exports.go.clone();
    let middle = damaged.len() / 2;
    for byte in &mut damaged[middle..middle + 64] {
        *byte ^= 0x5a;
    }
    mirror.publish("Go", damaged);
    let summary = update(dir.path(), &names(&["Go"]), &options(&mirror)).unwrap();
    let error = summary.ecosystems[0].result.as_ref().unwrap_err();
    assert!(
        matches!(
            error,
            DbError::CorruptExport { .. } | DbError::CorruptRecord { .. }
        ),
        "{error}"
    );

    // A record cut short inside an otherwise good zip.
    let mut records = exports.go_records[..50].to_vec();
    records[10].1.truncate(40);
    mirror.publish("Go", zip_of(&records));
    let summary = update(dir.path(), &names(&["Go"]), &options(&mirror)).unwrap();
    let error = summary.ecosystems[0].result.as_ref().unwrap_err();
    match error {
        DbError::CorruptRecord { entry, .. } => assert_eq!(entry, &records[10].0),
        other => panic!("{other}"),
    }

    assert_eq!(gin_ids(dir.path()), old_gin);
    let db = Database::open(dir.path()).unwrap();
    assert_eq!(db.status()[0].etag.as_deref(), Some(old_etag.as_str()));
    assert!(db.warnings().is_empty(), "{:?}", db.warnings());
    // Nothing half-done is left to be resumed: the next attempt downloads afresh.
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn records_that_do_not_fit_the_model_are_skipped_and_reported() {
    let Some(exports) = exports() else { return };
    let mirror = Mirror::start();
    let mut records = exports.go_records[..20].to_vec();
    records.push((
        "GO-9999-0001.json".into(),
        br#"{"id":"GO-9999-0001","affected":[{"package":{"ecosystem":"Go","name":"m"},
            "ranges":[{"type":"FUTURE","events":[{"introduced":"0"}]}]}]}"#
            .to_vec(),
    ));
    mirror.publish("Go", zip_of(&records));
    let dir = tempfile::tempdir().unwrap();
    let summary = update(dir.path(), &names(&["Go"]), &options(&mirror)).unwrap();
    assert!(
        matches!(
            summary.ecosystems[0].result,
            Ok(Updated::Downloaded {
                advisories: 20,
                skipped: 1,
                ..
            })
        ),
        "{summary:?}"
    );
    let db = Database::open(dir.path()).unwrap();
    assert_eq!(db.status()[0].skipped, 1);
    assert_eq!(db.warnings().len(), 1);
    assert!(
        db.warnings()[0].contains("GO-9999-0001.json"),
        "{:?}",
        db.warnings()
    );
}

#[test]
fn server_errors_are_retried_with_backoff() {
    let Some(exports) = exports() else { return };
    let mirror = Mirror::start();
    mirror.publish("Go", exports.go.clone());
    mirror.fault(Fault::Status(503), 1);
    mirror.fault(Fault::Status(500), 1);
    let dir = tempfile::tempdir().unwrap();
    let summary = update(dir.path(), &names(&["Go"]), &options(&mirror)).unwrap();
    assert!(summary.is_complete(), "{summary:?}");
    assert_eq!(mirror.requests().len(), 3);
    assert!(!gin_ids(dir.path()).is_empty());
}

#[test]
fn server_errors_that_persist_fail_with_advice_and_keep_the_old_data() {
    let Some(exports) = exports() else { return };
    let (mirror, dir, _) = with_go(exports);
    let old_gin = gin_ids(dir.path());
    mirror.publish("Go", exports.go_later.clone());
    mirror.fault(Fault::Status(503), 10);
    let summary = update(dir.path(), &names(&["Go"]), &options(&mirror)).unwrap();
    assert!(!summary.is_complete());
    let error = summary.ecosystems[0].result.as_ref().unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains(&format!("{}/Go/all.zip", mirror.base_url())),
        "{text}"
    );
    assert!(
        text.contains("gave up after 3 attempts") && text.contains("503"),
        "{text}"
    );
    assert!(
        text.contains("--offline") && text.contains("--db-base-url"),
        "{text}"
    );
    assert_eq!(mirror.requests().len(), 3);
    assert_eq!(gin_ids(dir.path()), old_gin);
}

#[test]
fn an_unknown_ecosystem_fails_alone() {
    let Some(exports) = exports() else { return };
    let mirror = Mirror::start();
    mirror.publish("crates.io", exports.crates.clone());
    let dir = tempfile::tempdir().unwrap();
    let summary = update(
        dir.path(),
        &names(&["Crates", "crates.io"]),
        &options(&mirror),
    )
    .unwrap();
    let error = summary.ecosystems[0].result.as_ref().unwrap_err();
    assert!(matches!(error, DbError::NotFound { .. }), "{error}");
    assert!(error.to_string().contains("/Crates/all.zip"), "{error}");
    assert!(summary.ecosystems[1].result.is_ok());
    assert_eq!(mirror.requests().len(), 2, "a 404 is not retried");
}

#[test]
fn a_scan_downloads_only_the_ecosystems_it_lacks() {
    let Some(exports) = exports() else { return };
    let (mirror, dir, _) = with_go(exports);
    mirror.publish("PyPI", exports.pypi.clone());
    mirror.publish("crates.io", exports.crates.clone());
    let needed = names(&["Go", "PyPI"]);
    let (db, warnings) = prepare_for_scan(
        dir.path(),
        &needed,
        false,
        Duration::from_secs(3600),
        &options(&mirror),
    )
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let paths: Vec<String> = mirror.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        ["/PyPI/all.zip"],
        "Go is there already; crates.io is not needed"
    );
    assert!(db.has_ecosystem("PyPI") && db.has_ecosystem("Go") && !db.has_ecosystem("crates.io"));

    // Offline: nothing is fetched, what is missing is a warning; old data is a warning too.
    mirror.clear_requests();
    let needed = names(&["Go", "crates.io"]);
    let (db, warnings) =
        prepare_for_scan(dir.path(), &needed, true, Duration::ZERO, &options(&mirror)).unwrap();
    assert!(mirror.requests().is_empty());
    assert!(!db.has_ecosystem("crates.io"));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings
        .iter()
        .any(|w| w.contains("no crates.io vulnerability data")));
    assert!(warnings
        .iter()
        .any(|w| w.contains("the Go vulnerability data") && w.contains("db update")));

    // A failed download is a warning, and the scan goes on with what there is.
    mirror.fault(Fault::Status(503), 10);
    let (db, warnings) = prepare_for_scan(
        dir.path(),
        &needed,
        false,
        Duration::from_secs(3600),
        &options(&mirror),
    )
    .unwrap();
    assert!(db.has_ecosystem("Go") && !db.has_ecosystem("crates.io"));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("crates.io packages were not checked: cannot download"));
}

// ---------------------------------------------------------------------------------------------
// Through the binary

fn portcullis(dir: &Path) -> assert_cmd::Command {
    let mut cmd = common::portcullis();
    cmd.env_remove("PORTCULLIS_DB_BASE_URL")
        .env_remove("PORTCULLIS_DB_DIR")
        .env("PORTCULLIS_DB_DIR", dir);
    cmd
}

#[test]
fn db_update_and_status_through_the_binary() {
    let Some(exports) = exports() else { return };
    let mirror = Mirror::start();
    mirror.publish("Go", exports.go.clone());
    mirror.publish("crates.io", exports.crates.clone());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");

    let output = portcullis(&db)
        .args([
            "db",
            "update",
            "Go",
            "crates.io",
            "--db-base-url",
            &mirror.base_url(),
        ])
        .output()
        .unwrap();
    let stdout = common::stdout(&output);
    assert_eq!(
        common::exit_code(&output),
        0,
        "{stdout}\n{}",
        common::stderr(&output)
    );
    assert!(
        stdout.contains("Go") && stdout.contains("downloaded"),
        "{stdout}"
    );
    assert!(stdout.contains("2 of 2 ecosystems current"), "{stdout}");

    // Again, through the environment variable and --db: unchanged.
    let output = portcullis(Path::new("/nonexistent"))
        .env("PORTCULLIS_DB_BASE_URL", mirror.base_url())
        .args(["db", "update", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(common::exit_code(&output), 0, "{}", common::stderr(&output));
    assert_eq!(common::stdout(&output).matches("unchanged").count(), 2);

    let output = portcullis(&db)
        .args(["db", "status", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(common::exit_code(&output), 0);
    let status = common::json_stdout(&output);
    let ecosystems = status["ecosystems"].as_array().unwrap();
    assert_eq!(ecosystems.len(), 2);
    assert_eq!(ecosystems[0]["ecosystem"], "Go");
    assert_eq!(ecosystems[0]["kind"], "index");
    assert_eq!(ecosystems[0]["advisories"], exports.go_records.len());
    assert_eq!(ecosystems[0]["sha256"], sha256_hex(&exports.go));
    assert!(ecosystems[0]["fetched_at"].as_str().unwrap().ends_with('Z'));
    assert!(ecosystems[0]["age_seconds"].as_u64().unwrap() < 600);

    let output = portcullis(&db).args(["db", "status"]).output().unwrap();
    let stdout = common::stdout(&output);
    assert!(
        stdout.contains("ECOSYSTEM") && stdout.contains("crates.io"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{}/Go/all.zip", mirror.base_url())),
        "{stdout}"
    );

    // One ecosystem fails: exit 2, the other is still updated.
    mirror.publish("crates.io", exports.crates.clone());
    let output = portcullis(&db)
        .args([
            "db",
            "update",
            "crates.io",
            "Nope",
            "--db-base-url",
            &mirror.base_url(),
        ])
        .output()
        .unwrap();
    assert_eq!(common::exit_code(&output), 2);
    let stderr = common::stderr(&output);
    assert!(
        stderr.contains("Nope") && stderr.contains("/Nope/all.zip"),
        "{stderr}"
    );
    let stdout = common::stdout(&output);
    assert!(stdout.contains("1 of 2 ecosystems current"), "{stdout}");
    assert!(stdout
        .lines()
        .any(|l| l.starts_with("crates.io") && l.contains("downloaded")));
}

#[test]
fn db_status_reads_a_directory_of_records_and_reports_a_missing_database() {
    let Some(pypa) = common::shared_subdir("vulndata/pypa/vulns") else {
        return;
    };
    let output = common::portcullis()
        .args(["db", "status", "--db"])
        .arg(&pypa)
        .output()
        .unwrap();
    assert_eq!(common::exit_code(&output), 0);
    let stdout = common::stdout(&output);
    assert!(
        stdout.contains("PyPI") && stdout.contains("files in"),
        "{stdout}"
    );

    let dir = tempfile::tempdir().unwrap();
    let output = portcullis(&dir.path().join("none"))
        .args(["db", "status"])
        .output()
        .unwrap();
    assert_eq!(common::exit_code(&output), 0);
    assert!(common::stdout(&output).contains("No vulnerability data"));

    let output = portcullis(dir.path())
        .args(["db", "update", "Go", "--db-base-url", "ftp://mirror"])
        .output()
        .unwrap();
    assert_eq!(common::exit_code(&output), 2);
    assert!(
        common::stderr(&output).contains("--db-base-url"),
        "{}",
        common::stderr(&output)
    );
}
