//! Loading from disk and the order in which the sources answer.

use std::path::Path;

use super::*;

fn day(text: &str) -> Date {
    Date::parse(text).expect("test date")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).expect("write test file");
    path
}

fn options(dir: &Path) -> TriageOptions {
    TriageOptions {
        ignore_unfixed: true,
        ignore_files: Vec::new(),
        discover_in: Some(dir.to_path_buf()),
        vex_files: Vec::new(),
        today: day("2026-06-01"),
    }
}

struct Found {
    ids: Vec<String>,
    purl: &'static str,
    has_fix: bool,
}

impl Found {
    fn new(ids: &[&str], purl: &'static str, has_fix: bool) -> Found {
        Found {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            purl,
            has_fix,
        }
    }

    fn verdict(&self, triage: &Triage) -> Option<Suppression> {
        triage.verdict(&Candidate {
            ids: &self.ids,
            package_name: "openssl",
            package_version: "3.0.11-1~deb12u2",
            purl: self.purl,
            paths: &[],
            has_fix: self.has_fix,
            image_ids: &[],
        })
    }
}

const OPENSSL: &str = "pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12";

fn vex_document(id: &str) -> String {
    format!(
        r#"{{"@context":"https://openvex.dev/ns/v0.2.0","timestamp":"2024-01-01T00:00:00Z",
        "statements":[{{"vulnerability":{{"name":"{id}"}},
        "products":[{{"@id":"pkg:deb/debian/openssl"}}],"status":"not_affected",
        "justification":"vulnerable_code_not_present"}}]}}"#
    )
}

#[test]
fn sources_answer_in_order() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        IGNORE_FILE_NAME,
        "[[ignore]]\nid = \"CVE-1\"\nreason = \"accepted\"\n",
    );
    write(dir.path(), TRIVYIGNORE_NAME, "CVE-1\nCVE-2\n");
    let vex = write(dir.path(), "openssl.vex.json", &vex_document("CVE-3"));
    let mut options = options(dir.path());
    options.vex_files.push(vex.clone());
    let triage = Triage::load(&options).unwrap();
    let source = |name: &str, line: usize| format!("{}:{line}", dir.path().join(name).display());

    assert_eq!(
        Found::new(&["CVE-1"], OPENSSL, false).verdict(&triage),
        Some(Suppression::Ignored {
            source: source(IGNORE_FILE_NAME, 1),
            reason: Some("accepted".into()),
        })
    );
    assert_eq!(
        Found::new(&["CVE-2"], OPENSSL, false).verdict(&triage),
        Some(Suppression::Ignored {
            source: source(TRIVYIGNORE_NAME, 2),
            reason: None,
        })
    );
    assert_eq!(
        Found::new(&["CVE-3"], OPENSSL, false).verdict(&triage),
        Some(Suppression::Vex {
            source: format!("{}#/statements/0", vex.display()),
            status: "not_affected".into(),
            justification: Some("vulnerable_code_not_present".into()),
        })
    );
    assert_eq!(
        Found::new(&["CVE-4"], OPENSSL, false).verdict(&triage),
        Some(Suppression::Unfixed)
    );
    assert_eq!(Found::new(&["CVE-4"], OPENSSL, true).verdict(&triage), None);
    assert!(triage.warnings().is_empty());
}

#[test]
fn nothing_loaded_only_unfixed_applies() {
    let dir = tempfile::tempdir().unwrap();
    let triage = Triage::load(&options(dir.path())).unwrap();
    assert_eq!(
        Found::new(&["CVE-1"], OPENSSL, false).verdict(&triage),
        Some(Suppression::Unfixed)
    );
    let mut default = Triage::default();
    assert_eq!(
        Found::new(&["CVE-1"], OPENSSL, false).verdict(&default),
        None
    );
    default.ignore_unfixed = true;
    assert!(Found::new(&["CVE-1"], OPENSSL, false)
        .verdict(&default)
        .is_some());
}

#[test]
fn expired_entries_warn_and_do_not_apply() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        IGNORE_FILE_NAME,
        "[[ignore]]\nid = \"CVE-1\"\nreason = \"waiting for 3.0.12\"\nuntil = 2026-06-01\n\n\
         [[ignore]]\nid = \"CVE-2\"\nreason = \"r\"\nuntil = \"2026-06-02\"\n",
    );
    write(
        dir.path(),
        TRIVYIGNORE_NAME,
        "CVE-3 exp:2026-05-31\nCVE-4 exp:2026-06-02\n",
    );
    let triage = Triage::load(&options(dir.path())).unwrap();
    let suppressed = |id| {
        matches!(
            Found::new(&[id], OPENSSL, true).verdict(&triage),
            Some(Suppression::Ignored { .. })
        )
    };
    assert!(!suppressed("CVE-1"));
    assert!(suppressed("CVE-2"));
    assert!(!suppressed("CVE-3"));
    assert!(suppressed("CVE-4"));
    let warnings = triage.warnings();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0]
        .contains(".portcullis-ignore.toml:1: the ignore entry for CVE-1 expired on 2026-06-01"));
    assert!(warnings[0].contains("waiting for 3.0.12"));
    assert!(warnings[1].contains(".trivyignore:1: `CVE-3` expired on 2026-05-31"));
}

#[test]
fn explicit_files_pick_the_format_by_extension_and_are_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let ours = write(
        dir.path(),
        IGNORE_FILE_NAME,
        "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\nuntil = 2020-01-01\n",
    );
    let risks = write(
        dir.path(),
        "risks.TOML",
        "[[ignore]]\nid = \"CVE-2\"\nreason = \"r\"\n",
    );
    let plain = write(dir.path(), "ignored-ids.txt", "CVE-3\n");
    let mut options = options(dir.path());
    options.ignore_files = vec![ours, risks, plain];
    let triage = Triage::load(&options).unwrap();
    // Given explicitly and discovered: one warning, not two.
    assert_eq!(triage.warnings().len(), 1, "{:?}", triage.warnings());
    for id in ["CVE-2", "CVE-3"] {
        assert!(
            Found::new(&[id], OPENSSL, true).verdict(&triage).is_some(),
            "{id}"
        );
    }
}

#[test]
fn unreadable_and_malformed_files_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let err = Triage::load(&TriageOptions {
        ignore_files: vec![missing.clone()],
        ..options(dir.path())
    })
    .unwrap_err();
    assert!(matches!(err, TriageError::Read { .. }));
    assert!(err.to_string().contains(&missing.display().to_string()));

    let bad_toml = write(
        dir.path(),
        "bad.toml",
        "[[ignore]]\nid = \"CVE-1\"\nreasn = \"r\"\n",
    );
    let err = Triage::load(&TriageOptions {
        ignore_files: vec![bad_toml.clone()],
        ..options(dir.path())
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with(&format!("{}:3:", bad_toml.display())),
        "{err}"
    );

    let bad_vex = write(dir.path(), "bad.json", "{\"statements\": [");
    let err = Triage::load(&TriageOptions {
        vex_files: vec![bad_vex.clone()],
        ..options(dir.path())
    })
    .unwrap_err()
    .to_string();
    assert!(err.starts_with(&bad_vex.display().to_string()), "{err}");
    assert!(err.contains("not valid JSON"), "{err}");

    let missing_vex = dir.path().join("missing.json");
    let err = Triage::load(&TriageOptions {
        vex_files: vec![missing_vex],
        ..options(dir.path())
    })
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("cannot read VEX document"), "{err}");
}

#[test]
fn ids_compare_without_case() {
    let ids = ["GHSA-abcd-efgh-ijkl".to_string(), "CVE-2024-1".to_string()];
    assert!(ids_match(&["cve-2024-1".to_string()], &ids));
    assert!(ids_match(&[" ghsa-ABCD-efgh-ijkl ".to_string()], &ids));
    assert!(!ids_match(&["CVE-2024-10".to_string()], &ids));
    assert!(!ids_match(&[], &ids));
}
