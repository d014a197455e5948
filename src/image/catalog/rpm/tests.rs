//! Tests of the rpm cataloger against databases written by the real tools: the committed
//! fixtures (`tests/fixtures/rpm/make-rpmdb.sh`) always, and fresh ones built with rpmbuild,
//! rpm and db5.3_load when those are installed (required under `CI=true`).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::header::build;
use super::*;
use crate::image::catalog::testing::{unavailable, TestImage};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rpm")
}

fn fixture(name: &str) -> Vec<u8> {
    let path = fixture_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `rpm -qa --qf '%{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH} %{SOURCERPM}\n'`, sorted.
fn parse_qa(text: &str) -> Vec<RpmHeader> {
    let mut out: Vec<RpmHeader> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split(' ').collect();
            assert_eq!(f.len(), 6, "{line}");
            let none = |s: &str| (s != "(none)").then(|| s.to_string());
            RpmHeader {
                name: f[0].into(),
                epoch: none(f[1]).map(|e| e.parse().expect("epoch")),
                version: f[2].into(),
                release: f[3].into(),
                arch: none(f[4]),
                source_rpm: none(f[5]),
            }
        })
        .collect();
    out.sort();
    out
}

fn headers_of(bytes: &[u8]) -> Vec<RpmHeader> {
    let (mut headers, errors) = read_database(bytes).expect("readable database");
    assert!(errors.is_empty(), "{errors:?}");
    headers.sort();
    headers
}

/// Every stored header of a database, by header number.
fn blobs_of(bytes: &[u8]) -> Vec<(u32, Vec<u8>)> {
    let mut blobs = Vec::new();
    let mut sink =
        |hnum: u32, blob: Result<&[u8], String>| blobs.push((hnum, blob.expect("blob").to_vec()));
    match Format::detect(bytes).expect("format") {
        Format::Sqlite => sqlite::read(bytes, &mut sink),
        Format::BerkeleyDb => bdb::read(bytes, &mut sink),
        Format::Ndb => ndb::read(bytes, &mut sink),
    }
    .expect("readable");
    blobs.sort();
    blobs
}

/// An rpm-style SQLite database (WAL mode, as rpm leaves it) holding `blobs`.
fn sqlite_db(blobs: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("rpmdb.sqlite");
    {
        let connection = rusqlite::Connection::open(&path).expect("create");
        connection
            .execute_batch(
                "PRAGMA journal_mode=WAL;
                 CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);
                 CREATE TABLE Name (key TEXT NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL);",
            )
            .expect("schema");
        for (hnum, blob) in blobs {
            connection
                .execute(
                    "INSERT INTO Packages (hnum, blob) VALUES (?1, ?2)",
                    rusqlite::params![hnum, blob],
                )
                .expect("insert");
        }
    }
    std::fs::read(&path).expect("read back")
}

fn fedora() -> TestImage {
    TestImage::new().os("fedora", "40")
}

#[test]
fn wants_the_three_formats_in_the_three_places() {
    fn want(path: &str) -> Want {
        RpmCataloger.wants(&EntryInfo {
            path,
            size: 1,
            mode: 0o644,
        })
    }
    for dir in DIRS {
        for file in FILES {
            assert_eq!(want(&format!("{dir}{file}")), Want::EveryLayer);
        }
        assert_eq!(want(&format!("{dir}Name")), Want::No);
        assert_eq!(want(&format!("{dir}rpmdb.sqlite-wal")), Want::No);
        assert_eq!(want(&format!("{dir}Index.db")), Want::No);
    }
    assert_eq!(want("/root/rpmbuild/RPMS/Packages"), Want::No);
    assert_eq!(want("/var/lib/rpm/sub/Packages"), Want::No);
}

#[test]
fn committed_fixtures_match_what_rpm_reports() {
    let expected = parse_qa(&String::from_utf8(fixture("expected.txt")).expect("utf-8"));
    assert_eq!(expected.len(), 3);
    let sqlite = fixture("rpmdb.sqlite");
    assert_eq!(Format::detect(&sqlite), Some(Format::Sqlite));
    assert_eq!(headers_of(&sqlite), expected, "SQLite");
    let bdb = fixture("Packages");
    assert_eq!(Format::detect(&bdb), Some(Format::BerkeleyDb));
    assert_eq!(headers_of(&bdb), expected, "Berkeley DB");
    // The BDB file holds the very blobs rpm wrote to SQLite, with the same header numbers.
    assert_eq!(blobs_of(&bdb), blobs_of(&sqlite));
    let ndb = ndb::write(&blobs_of(&sqlite));
    assert_eq!(Format::detect(&ndb), Some(Format::Ndb));
    assert_eq!(headers_of(&ndb), expected, "NDB");
    assert_eq!(blobs_of(&ndb), blobs_of(&sqlite));
}

#[test]
fn packages_from_each_format_and_place() {
    let sqlite = fixture("rpmdb.sqlite");
    let bdb = fixture("Packages");
    let ndb = ndb::write(&blobs_of(&sqlite));
    for (path, bytes) in [
        ("/var/lib/rpm/rpmdb.sqlite", &sqlite),
        ("/usr/lib/sysimage/rpm/rpmdb.sqlite", &sqlite),
        ("/var/lib/rpm/Packages", &bdb),
        ("/usr/share/rpm/Packages", &bdb),
        ("/var/lib/rpm/Packages.db", &ndb),
        ("/usr/lib/sysimage/rpm/Packages.db", &ndb),
    ] {
        let (packages, problems) = fedora().file(0, path, bytes).run(&RpmCataloger);
        assert!(problems.is_empty(), "{path}: {problems:?}");
        assert_eq!(packages.len(), 3, "{path}");
        let libs = packages
            .iter()
            .find(|p| p.name == "hello-tiny-libs")
            .expect("libs");
        assert_eq!(libs.version, "2:1.2.3+git4-4.fc40");
        assert_eq!(libs.source_name.as_deref(), Some("hello-tiny"));
        assert_eq!(libs.source_version.as_deref(), Some("2:1.2.3+git4-4.fc40"));
        assert_eq!(libs.arch.as_deref(), Some("x86_64"));
        assert_eq!(libs.ecosystem, Ecosystem::Rpm);
        assert_eq!(
            libs.purl,
            "pkg:rpm/fedora/hello-tiny-libs@1.2.3%2Bgit4-4.fc40?arch=x86_64&distro=fedora-40&epoch=2"
        );
        assert_eq!(libs.evidence, [path]);
        assert_eq!(libs.layer, Some(0));
        assert_eq!(libs.cataloger, "rpm");
        let tz = packages
            .iter()
            .find(|p| p.name == "tzdata-tiny")
            .expect("tzdata");
        assert_eq!(tz.version, "2024a-1.fc40");
        assert_eq!(tz.source_version.as_deref(), Some("2024a-1.fc40"));
        assert_eq!(
            tz.purl,
            "pkg:rpm/fedora/tzdata-tiny@2024a-1.fc40?arch=noarch&distro=fedora-40"
        );
    }
}

#[test]
fn no_os_release_means_no_namespace() {
    let (packages, _) = TestImage::new()
        .file(0, "/var/lib/rpm/rpmdb.sqlite", fixture("rpmdb.sqlite"))
        .run(&RpmCataloger);
    let tz = packages
        .iter()
        .find(|p| p.name == "tzdata-tiny")
        .expect("tzdata");
    assert_eq!(tz.purl, "pkg:rpm/tzdata-tiny@2024a-1.fc40?arch=noarch");
}

#[test]
fn one_database_per_directory_the_one_rpm_would_use() {
    let current = sqlite_db(&[(1, build::package("bash", None, "5.2", "1", "x86_64", None))]);
    let stale = ndb::write(&[(1, build::package("bash", None, "4.4", "1", "x86_64", None))]);
    let image = fedora()
        .file(0, "/var/lib/rpm/Packages", fixture("Packages"))
        .file(0, "/var/lib/rpm/Packages.db", &stale)
        .file(1, "/var/lib/rpm/rpmdb.sqlite", &current);
    let (packages, problems) = image.run(&RpmCataloger);
    assert!(problems.is_empty(), "{problems:?}");
    let got: Vec<(&str, &str)> = packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str()))
        .collect();
    assert_eq!(got, [("bash", "5.2-1")]);
    let (packages, _) = fedora()
        .file(0, "/var/lib/rpm/Packages", fixture("Packages"))
        .file(0, "/var/lib/rpm/Packages.db", &stale)
        .run(&RpmCataloger);
    assert_eq!(packages.len(), 1, "NDB before Berkeley DB");
    // Another directory is another database.
    let (packages, _) = fedora()
        .file(0, "/var/lib/rpm/rpmdb.sqlite", &current)
        .file(0, "/usr/share/rpm/Packages", fixture("Packages"))
        .run(&RpmCataloger);
    assert_eq!(packages.len(), 4);
}

#[test]
fn gpg_pubkeys_are_not_packages_and_source_falls_back_to_itself() {
    let blobs = vec![
        (
            1,
            build::package("gpg-pubkey", None, "fd431d51", "4ae0493b", "", None),
        ),
        (
            2,
            build::package(
                "bash",
                None,
                "5.2.26",
                "3.fc40",
                "x86_64",
                Some("bash-5.2.26-3.fc40.src.rpm"),
            ),
        ),
        (
            3,
            build::package("weird", Some(0), "1", "1", "noarch", None),
        ),
    ];
    let (packages, problems) = fedora()
        .file(0, "/var/lib/rpm/rpmdb.sqlite", sqlite_db(&blobs))
        .run(&RpmCataloger);
    assert!(problems.is_empty(), "{problems:?}");
    let names: Vec<&str> = packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["bash", "weird"]);
    assert_eq!(packages[1].version, "0:1-1");
    assert_eq!(packages[1].source_name.as_deref(), Some("weird"));
    assert_eq!(packages[1].source_version.as_deref(), Some("0:1-1"));
    assert_eq!(
        packages[1].purl,
        "pkg:rpm/fedora/weird@1-1?arch=noarch&distro=fedora-40&epoch=0"
    );
}

#[test]
fn layers_add_upgrade_remove_with_two_kernels() {
    let pkg = |name: &str, version: &str| {
        build::package(
            name,
            None,
            version,
            "1.el9",
            "x86_64",
            Some(&format!("{name}-{version}-1.el9.src.rpm")),
        )
    };
    let base = vec![(1, pkg("glibc", "2.34")), (2, pkg("openssl-libs", "3.0.7"))];
    let layer1 = [
        base.clone(),
        vec![
            (3, pkg("kernel-core", "5.14.0")),
            (4, pkg("curl", "7.76.1")),
        ],
    ]
    .concat();
    let layer2 = vec![
        (1, pkg("glibc", "2.34")),
        (5, pkg("openssl-libs", "3.0.8")),
        (3, pkg("kernel-core", "5.14.0")),
        (6, pkg("kernel-core", "5.14.1")),
        (4, pkg("curl", "7.76.1")),
    ];
    let mut layer3 = layer2.clone();
    layer3.retain(|(hnum, _)| *hnum != 4);
    let path = "/var/lib/rpm/rpmdb.sqlite";
    let image = TestImage::new()
        .os("rocky", "9.4")
        .file(0, path, sqlite_db(&base))
        .file(1, path, sqlite_db(&layer1))
        .file(2, path, sqlite_db(&layer2))
        .file(3, path, sqlite_db(&layer3));
    let (packages, problems) = image.run(&RpmCataloger);
    assert!(problems.is_empty(), "{problems:?}");
    let got: Vec<(&str, &str, Option<usize>)> = packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str(), p.layer))
        .collect();
    assert_eq!(
        got,
        [
            ("glibc", "2.34-1.el9", Some(0)),
            ("kernel-core", "5.14.0-1.el9", Some(1)),
            ("kernel-core", "5.14.1-1.el9", Some(2)),
            ("openssl-libs", "3.0.8-1.el9", Some(2)),
        ]
    );
    assert!(packages[0].purl.ends_with("?arch=x86_64&distro=rocky-9.4"));
}

#[test]
fn a_bad_header_is_reported_and_the_rest_cataloged() {
    let mut broken = build::package("broken", None, "1", "1", "x86_64", None);
    broken.truncate(broken.len() - 3);
    let blobs = vec![
        (1, build::package("good", None, "1", "1", "x86_64", None)),
        (2, broken),
        (3, b"xx".to_vec()),
    ];
    let path = "/usr/lib/sysimage/rpm/rpmdb.sqlite";
    let (packages, problems) = fedora().file(0, path, sqlite_db(&blobs)).run(&RpmCataloger);
    assert_eq!(packages.len(), 1);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("/usr/lib/sysimage/rpm/rpmdb.sqlite: header 2: header truncated"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("/usr/lib/sysimage/rpm/rpmdb.sqlite: header 3: "),
        "{problems:?}"
    );
}

/// Runs the cataloger on `bytes` at `path`; it must not panic, and every problem names the path.
fn survives(path: &str, bytes: &[u8]) -> (usize, Vec<String>) {
    let (packages, problems) = fedora().file(0, path, bytes).run(&RpmCataloger);
    for problem in &problems {
        assert!(problem.starts_with(path), "{problem}");
    }
    (packages.len(), problems)
}

#[test]
fn garbage_and_empty_files_are_problems() {
    for (path, bytes) in [
        ("/var/lib/rpm/Packages", &b""[..]),
        (
            "/var/lib/rpm/Packages",
            b"\0\0\0\0\0\0\0\0\0\0\0\0garbage garbage",
        ),
        (
            "/var/lib/rpm/rpmdb.sqlite",
            b"SQLite format 3\0 but then nothing",
        ),
        ("/var/lib/rpm/Packages.db", b"RpmP"),
        ("/var/lib/rpm/rpmdb.sqlite", &[0xff; 9000]),
    ] {
        let (count, problems) = survives(path, bytes);
        assert_eq!(count, 0);
        assert_eq!(problems.len(), 1, "{path}: {problems:?}");
    }
    // An SQLite file that is not rpm's.
    let dir = tempfile::tempdir().expect("temp dir");
    let other = dir.path().join("x.sqlite");
    rusqlite::Connection::open(&other)
        .expect("open")
        .execute_batch("CREATE TABLE t (x)")
        .expect("create");
    let (_, problems) = survives(
        "/var/lib/rpm/rpmdb.sqlite",
        &std::fs::read(&other).expect("read"),
    );
    assert!(problems[0].contains("no Packages table"), "{problems:?}");
}

#[test]
fn truncated_databases_never_panic() {
    let sqlite = fixture("rpmdb.sqlite");
    let bdb = fixture("Packages");
    let ndb = ndb::write(&blobs_of(&sqlite));
    for (path, bytes) in [
        ("/var/lib/rpm/rpmdb.sqlite", &sqlite),
        ("/var/lib/rpm/Packages", &bdb),
        ("/var/lib/rpm/Packages.db", &ndb),
    ] {
        let step = (bytes.len() / 97).max(1);
        for len in (0..bytes.len()).step_by(step) {
            let (count, problems) = survives(path, &bytes[..len]);
            assert!(
                count < 3 || bytes.len() - len < 4096,
                "{path} cut at {len}: {count} packages"
            );
            if count < 3 {
                assert!(
                    !problems.is_empty(),
                    "{path} cut at {len}: packages lost silently"
                );
            }
        }
    }
}

#[test]
fn corrupted_databases_never_panic() {
    let sqlite = fixture("rpmdb.sqlite");
    let bdb = fixture("Packages");
    let ndb = ndb::write(&blobs_of(&sqlite));
    // Deterministic pseudo-random byte smashing (xorshift).
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for (path, bytes) in [
        ("/var/lib/rpm/rpmdb.sqlite", &sqlite),
        ("/var/lib/rpm/Packages", &bdb),
        ("/var/lib/rpm/Packages.db", &ndb),
    ] {
        for round in 0..150 {
            let mut smashed = bytes.clone();
            for _ in 0..1 + round % 8 {
                let at = (next() % smashed.len() as u64) as usize;
                smashed[at] = next() as u8;
            }
            survives(path, &smashed);
        }
    }
    // Targeted: BDB page numbers, overflow lengths, a chain that loops; NDB slot fields.
    let mut looped = bdb.clone();
    for page in 1..looped.len() / 4096 {
        let at = page * 4096;
        if looped[at + 25] == 7 {
            // Point every overflow page's next at itself.
            looped[at + 16..at + 20].copy_from_slice(&(page as u32).to_le_bytes());
        }
    }
    let (count, problems) = survives("/var/lib/rpm/Packages", &looped);
    assert!(count < 3 && !problems.is_empty(), "{problems:?}");
    let mut huge = ndb.clone();
    huge[32 + 12..32 + 16].copy_from_slice(&u32::MAX.to_le_bytes());
    let (count, problems) = survives("/var/lib/rpm/Packages.db", &huge);
    assert_eq!(count, 2);
    assert!(
        problems[0].contains("outside the data area"),
        "{problems:?}"
    );
    let mut bad_sum = ndb.clone();
    let last = bad_sum.len() - 20;
    bad_sum[last] ^= 1;
    let (count, problems) = survives("/var/lib/rpm/Packages.db", &bad_sum);
    assert_eq!(count, 2);
    assert!(problems[0].contains("checksum"), "{problems:?}");
}

// --- Databases made at test time with the real tools ---------------------------------------

/// True when `tool` can be started (db5.3_load has no `--version`: any exit status will do).
fn have(tool: &str) -> bool {
    Command::new(tool).arg("-V").output().is_ok()
}

fn run(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

/// rpm with `--dbpath DIR` and the backend; Debian's rpm refuses `-i` without this note.
fn rpm(db: &Path, backend: &str) -> Command {
    let mut command = Command::new("rpm");
    command
        .arg("--dbpath")
        .arg(db)
        .arg("--define")
        .arg(format!("_db_backend {backend}"));
    command
}

const QF: &str = "%{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH} %{SOURCERPM}\\n";

/// Writes `blobs` as a Berkeley DB hash file with libdb's own db5.3_load, little-endian (as on
/// x86) or big-endian (as on s390x: pages and the header-number keys).
fn db_load(blobs: &[(u32, Vec<u8>)], out: &Path, big_endian: bool) {
    let hex = crate::hex::encode;
    let lorder = if big_endian { 4321 } else { 1234 };
    let mut dump = format!(
        "VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=4096\ndb_lorder={lorder}\nHEADER=END\n"
    );
    for (hnum, blob) in blobs {
        let key = if big_endian {
            hnum.to_be_bytes()
        } else {
            hnum.to_le_bytes()
        };
        dump.push_str(&format!(" {}\n {}\n", hex(&key), hex(blob)));
    }
    dump.push_str("DATA=END\n");
    let input = out.with_extension("dump");
    std::fs::write(&input, dump).expect("write dump");
    run(Command::new("db5.3_load").arg("-f").arg(&input).arg(out));
}

#[test]
fn real_rpm_databases_in_every_format() {
    if !["rpmbuild", "rpm", "db5.3_load"].iter().all(|t| have(t)) {
        unavailable::<()>(
            "rpmbuild, rpm or db5.3_load not found (Debian packages rpm, db5.3-util)".into(),
        );
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let rpms = work.path().join("rpms");
    run(Command::new("bash")
        .arg(fixture_dir().join("build-rpms.sh"))
        .arg(&rpms));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&rpms)
        .expect("rpms")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 3, "{files:?}");
    let tz = files
        .iter()
        .find(|f| f.to_string_lossy().contains("tzdata"))
        .expect("tzdata rpm")
        .clone();
    let libs = files
        .iter()
        .find(|f| f.to_string_lossy().contains("-libs-"))
        .expect("libs rpm")
        .clone();

    // Layer 0: tzdata; layer 1: everything; layer 2: hello-tiny-libs erased. Each a real rpm
    // SQLite database, copied as it stands after each step, full rpm schema and all.
    let db = work.path().join("db");
    std::fs::create_dir_all(&db).expect("mkdir");
    run(rpm(&db, "sqlite").arg("--initdb"));
    let install = |files: &[&PathBuf]| {
        run(rpm(&db, "sqlite")
            .args([
                "-i",
                "--justdb",
                "--nodeps",
                "--noscripts",
                "--ignorearch",
                "--ignoreos",
            ])
            .args(files));
    };
    let snapshot = |db: &Path| std::fs::read(db.join("rpmdb.sqlite")).expect("rpmdb.sqlite");
    install(&[&tz]);
    let layer0 = snapshot(&db);
    let others: Vec<&PathBuf> = files.iter().filter(|f| **f != tz).collect();
    install(&others);
    let layer1 = snapshot(&db);
    let all = parse_qa(&run(rpm(&db, "sqlite").args(["-qa", "--qf", QF])));
    assert_eq!(all.len(), 3);
    let libs_name = run(Command::new("rpm")
        .args(["-qp", "--qf", "%{NAME}"])
        .arg(&libs));
    run(rpm(&db, "sqlite")
        .args(["-e", "--justdb", "--nodeps", "--noscripts"])
        .arg(&libs_name));
    let layer2 = snapshot(&db);
    let remaining = parse_qa(&run(rpm(&db, "sqlite").args(["-qa", "--qf", QF])));
    assert_eq!(remaining.len(), 2);

    // SQLite as rpm wrote it.
    assert_eq!(headers_of(&layer1), all);
    assert_eq!(headers_of(&layer2), remaining);

    // Berkeley DB by libdb, checked by rpm's own bdb_ro reader, then by ours.
    let bdb_dir = work.path().join("bdb");
    std::fs::create_dir_all(&bdb_dir).expect("mkdir");
    db_load(&blobs_of(&layer1), &bdb_dir.join("Packages"), false);
    let bdb = std::fs::read(bdb_dir.join("Packages")).expect("Packages");
    assert_eq!(
        parse_qa(&run(rpm(&bdb_dir, "bdb_ro").args(["-qa", "--qf", QF]))),
        all,
        "rpm's bdb_ro"
    );
    assert_eq!(headers_of(&bdb), all, "Berkeley DB");

    // Many small headers (stored inline on hash pages, over many buckets) and the big real
    // ones, in both byte orders; rpm's bdb_ro must agree with us on each.
    let mut many = blobs_of(&layer1);
    for n in 0..400u32 {
        let name = format!("small-{n:03}");
        let blob = build::package(&name, None, "1", &n.to_string(), "noarch", None);
        many.push((1000 + n, blob));
    }
    for big_endian in [false, true] {
        let dir = work.path().join(format!("bdb-many-{big_endian}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        db_load(&many, &dir.join("Packages"), big_endian);
        let bytes = std::fs::read(dir.join("Packages")).expect("Packages");
        let ours = headers_of(&bytes);
        assert_eq!(ours.len(), 403);
        let theirs = parse_qa(&run(rpm(&dir, "bdb_ro").args(["-qa", "--qf", QF])));
        assert_eq!(ours, theirs, "big endian: {big_endian}");
        assert_eq!(blobs_of(&bytes), many);
    }

    // NDB from the same blobs (no tool here writes NDB).
    assert_eq!(headers_of(&ndb::write(&blobs_of(&layer1))), all, "NDB");

    // Layer attribution over the real databases.
    let path = "/var/lib/rpm/rpmdb.sqlite";
    let image = fedora()
        .file(0, path, &layer0)
        .file(1, path, &layer1)
        .file(2, path, &layer2);
    let (packages, problems) = image.run(&RpmCataloger);
    assert!(problems.is_empty(), "{problems:?}");
    let got: Vec<(&str, Option<usize>)> = packages
        .iter()
        .map(|p| (p.name.as_str(), p.layer))
        .collect();
    assert_eq!(got, [("hello-tiny", Some(1)), ("tzdata-tiny", Some(0))]);
}
