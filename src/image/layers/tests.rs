//! Layer walk tests, and the layer-building helpers the filesystem and scan tests share.

use std::io::{Cursor, Write};

use super::*;
use crate::image::catalog::{Ecosystem, ImageFiles, Package};
use crate::image::source::digest::{sha256_digest, VerifyingReader};

/// One thing to put in a test layer. Names are written into the tar header as given (so
/// hostile names like `../x` are possible), long names through PAX or GNU records.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    File(&'static str, Vec<u8>, u32),
    Dir(&'static str),
    Symlink(&'static str, &'static str),
    HardLink(&'static str, &'static str),
    /// `.wh.NAME` beside the path.
    Whiteout(&'static str),
    /// `.wh..wh..opq` inside the directory.
    Opaque(&'static str),
    /// A file whose name is set with a PAX `path` record.
    PaxFile(String, Vec<u8>),
    /// A file whose name is set with a GNU long-name entry.
    GnuLongFile(String, Vec<u8>),
    /// A file with owner and mode.
    Owned(&'static str, u32, u32, u32),
    Fifo(&'static str),
}

pub(crate) fn file(path: &'static str, content: &str) -> Item {
    Item::File(path, content.as_bytes().to_vec(), 0o644)
}

fn header(name: &[u8], kind: tar::EntryType, size: u64, link: &[u8]) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    {
        let old = header.as_old_mut();
        let n = name.len().min(100);
        old.name[..n].copy_from_slice(&name[..n]);
        let l = link.len().min(100);
        old.linkname[..l].copy_from_slice(&link[..l]);
    }
    header.set_entry_type(kind);
    header.set_size(size);
    header.set_mode(if kind == tar::EntryType::Directory {
        0o755
    } else {
        0o644
    });
    header.set_uid(0);
    header.set_gid(0);
    header.set_mtime(0);
    header.set_cksum();
    header
}

fn pax_record(key: &str, value: &[u8]) -> Vec<u8> {
    // "LEN key=value\n", where LEN counts itself.
    let body = key.len() + value.len() + 3;
    let mut len = body + body.to_string().len();
    if len.to_string().len() != body.to_string().len() {
        len += 1;
    }
    let mut out = format!("{len} {key}=").into_bytes();
    out.extend_from_slice(value);
    out.push(b'\n');
    out
}

/// An uncompressed layer tar.
pub(crate) fn layer(items: &[Item]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for item in items {
        match item {
            Item::File(path, data, mode) => {
                let mut h = header(
                    path.as_bytes(),
                    tar::EntryType::Regular,
                    data.len() as u64,
                    b"",
                );
                h.set_mode(*mode);
                h.set_cksum();
                builder.append(&h, &data[..]).unwrap();
            }
            Item::Owned(path, uid, gid, mode) => {
                let mut h = header(path.as_bytes(), tar::EntryType::Regular, 0, b"");
                h.set_uid((*uid).into());
                h.set_gid((*gid).into());
                h.set_mode(*mode);
                h.set_cksum();
                builder.append(&h, &b""[..]).unwrap();
            }
            Item::Dir(path) => {
                let h = header(path.as_bytes(), tar::EntryType::Directory, 0, b"");
                builder.append(&h, &b""[..]).unwrap();
            }
            Item::Symlink(path, target) => {
                let h = header(
                    path.as_bytes(),
                    tar::EntryType::Symlink,
                    0,
                    target.as_bytes(),
                );
                builder.append(&h, &b""[..]).unwrap();
            }
            Item::HardLink(path, target) => {
                let h = header(path.as_bytes(), tar::EntryType::Link, 0, target.as_bytes());
                builder.append(&h, &b""[..]).unwrap();
            }
            Item::Fifo(path) => {
                let h = header(path.as_bytes(), tar::EntryType::Fifo, 0, b"");
                builder.append(&h, &b""[..]).unwrap();
            }
            Item::Whiteout(path) => {
                let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
                let marker = if dir.is_empty() {
                    format!(".wh.{name}")
                } else {
                    format!("{dir}/.wh.{name}")
                };
                let h = header(marker.as_bytes(), tar::EntryType::Regular, 0, b"");
                builder.append(&h, &b""[..]).unwrap();
            }
            Item::Opaque(dir) => {
                let marker = format!("{}/.wh..wh..opq", dir.trim_end_matches('/'));
                let h = header(marker.as_bytes(), tar::EntryType::Regular, 0, b"");
                builder.append(&h, &b""[..]).unwrap();
            }
            Item::PaxFile(path, data) => {
                let records = pax_record("path", path.as_bytes());
                let h = header(
                    b"PaxHeaders/x",
                    tar::EntryType::XHeader,
                    records.len() as u64,
                    b"",
                );
                builder.append(&h, &records[..]).unwrap();
                let h = header(
                    b"truncated-name",
                    tar::EntryType::Regular,
                    data.len() as u64,
                    b"",
                );
                builder.append(&h, &data[..]).unwrap();
            }
            Item::GnuLongFile(path, data) => {
                let mut name = path.as_bytes().to_vec();
                name.push(0);
                let h = header(
                    b"././@LongLink",
                    tar::EntryType::GNULongName,
                    name.len() as u64,
                    b"",
                );
                builder.append(&h, &name[..]).unwrap();
                let h = header(
                    b"truncated-name",
                    tar::EntryType::Regular,
                    data.len() as u64,
                    b"",
                );
                builder.append(&h, &data[..]).unwrap();
            }
        }
    }
    builder.into_inner().unwrap()
}

pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

pub(crate) fn zstd(bytes: &[u8]) -> Vec<u8> {
    ::zstd::stream::encode_all(bytes, 1).unwrap()
}

/// A cataloger that wants files by path prefix, and reports each file it can read as a
/// "package" named after the path, versioned by its content (or extract).
pub(crate) struct Fake {
    pub name: &'static str,
    pub rules: Vec<(&'static str, Want)>,
}

impl Fake {
    pub(crate) fn new(name: &'static str, rules: &[(&'static str, Want)]) -> Fake {
        Fake {
            name,
            rules: rules.to_vec(),
        }
    }
}

impl Cataloger for Fake {
    fn name(&self) -> &'static str {
        self.name
    }

    fn wants(&self, entry: &EntryInfo<'_>) -> Want {
        self.rules
            .iter()
            .find(|(prefix, _)| entry.path.starts_with(prefix))
            .map_or(Want::No, |(_, want)| *want)
    }

    fn extract(&self, _path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
        // Files starting with "skip" hold nothing of interest.
        (!bytes.starts_with(b"skip")).then(|| format!("{}:{}", self.name, bytes.len()).into_bytes())
    }

    fn catalog(&self, files: &dyn ImageFiles, problems: &mut Vec<String>) -> Vec<Package> {
        files
            .paths()
            .into_iter()
            .filter_map(|path| {
                let Some(bytes) = files.read(path) else {
                    problems.push(format!("{path}: listed but unreadable"));
                    return None;
                };
                Some(Package {
                    name: path.to_owned(),
                    version: String::from_utf8_lossy(bytes).into_owned(),
                    source_name: None,
                    source_version: None,
                    ecosystem: Ecosystem::Debian,
                    purl: format!("pkg:generic/{}", path.trim_start_matches('/')),
                    arch: None,
                    evidence: vec![path.to_owned()],
                    layer: files.layer_of(path),
                    cataloger: self.name,
                })
            })
            .collect()
    }
}

pub(crate) const SPEC: LayerSpec<'static> = LayerSpec {
    image: "test-image",
    index: 0,
    digest: "sha256:test",
};

pub(crate) fn walk(
    bytes: &[u8],
    catalogers: &[&dyn Cataloger],
) -> Result<LayerContents, ImageError> {
    walk_layer(Cursor::new(bytes), &SPEC, catalogers, &Limits::default())
}

pub(crate) fn walk_at(index: usize, bytes: &[u8], catalogers: &[&dyn Cataloger]) -> LayerContents {
    let spec = LayerSpec { index, ..SPEC };
    walk_layer(Cursor::new(bytes), &spec, catalogers, &Limits::default()).unwrap()
}

fn paths(contents: &LayerContents) -> Vec<&str> {
    contents.entries.iter().map(|e| &*e.path).collect()
}

fn entry<'a>(contents: &'a LayerContents, path: &str) -> &'a Entry {
    contents
        .entries
        .iter()
        .find(|e| &*e.path == path)
        .unwrap_or_else(|| panic!("no entry {path} in {:?}", paths(contents)))
}

fn layer_error(result: Result<LayerContents, ImageError>) -> String {
    match result {
        Err(e @ ImageError::Layer { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("test-image")
                    && text.contains("layer 0")
                    && text.contains("sha256:test"),
                "{text}"
            );
            text
        }
        other => panic!("expected a layer error, got {other:?}"),
    }
}

fn sample() -> Vec<Item> {
    vec![
        Item::Dir("./"),
        Item::Dir("./etc/"),
        file("./etc/os-release", "ID=debian\n"),
        Item::Owned("usr/bin/su", 0, 0, 0o4755),
        Item::Owned("home/app/.profile", 1000, 1001, 0o600),
        Item::Symlink("bin", "usr/bin"),
        Item::HardLink("usr/bin/su2", "usr/bin/su"),
        Item::Fifo("run/pipe"),
        file("/abs/file", "x"),
    ]
}

#[test]
fn every_compression_gives_the_same_entries() {
    let plain = layer(&sample());
    let expected = walk(&plain, &[]).unwrap();
    assert_eq!(expected.compression, Compression::None);
    assert_eq!(
        paths(&expected),
        [
            "/etc",
            "/etc/os-release",
            "/usr/bin/su",
            "/home/app/.profile",
            "/bin",
            "/usr/bin/su2",
            "/run/pipe",
            "/abs/file"
        ]
    );
    assert_eq!(expected.tar_bytes, plain.len() as u64);
    for (bytes, compression) in [
        (gzip(&plain), Compression::Gzip),
        (zstd(&plain), Compression::Zstd),
    ] {
        let walked = walk(&bytes, &[]).unwrap();
        assert_eq!(walked.compression, compression);
        assert_eq!(paths(&walked), paths(&expected));
        assert_eq!(walked.tar_bytes, plain.len() as u64);
    }
}

#[test]
fn records_metadata_of_every_entry() {
    let walked = walk(&layer(&sample()), &[]).unwrap();
    let su = entry(&walked, "/usr/bin/su");
    assert_eq!(
        (su.kind.clone(), su.mode, su.uid),
        (EntryKind::File, 0o4755, 0)
    );
    let profile = entry(&walked, "/home/app/.profile");
    assert_eq!(
        (profile.uid, profile.gid, profile.mode),
        (1000, 1001, 0o600)
    );
    assert_eq!(
        entry(&walked, "/bin").kind,
        EntryKind::Symlink("usr/bin".into())
    );
    assert_eq!(
        entry(&walked, "/usr/bin/su2").kind,
        EntryKind::HardLink("/usr/bin/su".into())
    );
    assert_eq!(entry(&walked, "/run/pipe").kind, EntryKind::Fifo);
    assert_eq!(entry(&walked, "/etc").kind, EntryKind::Dir);
    assert_eq!(entry(&walked, "/etc/os-release").size, 10);
    // The core keeps os-release even when no cataloger asks.
    let kept = entry(&walked, "/etc/os-release").kept.as_ref().unwrap();
    assert_eq!(kept.wanted, CORE_BIT);
    assert_eq!(kept.data.as_deref(), Some(&b"ID=debian\n"[..]));
    assert!(walked.problems.is_empty(), "{:?}", walked.problems);
}

#[test]
fn whiteouts_and_opaque_directories_are_recorded_not_listed() {
    let walked = walk(
        &layer(&[
            Item::Whiteout("etc/old.conf"),
            Item::Whiteout("top"),
            Item::Opaque("var/lib/app"),
            Item::Opaque("."),
            file("var/lib/app/.wh..wh.plnk", ""),
            file("var/lib/app/new", "n"),
        ]),
        &[],
    )
    .unwrap();
    assert_eq!(
        walked.whiteouts,
        vec![Box::from("/etc/old.conf"), Box::from("/top")]
    );
    assert_eq!(
        walked.opaque_dirs,
        vec![Box::from("/var/lib/app"), Box::from("/")]
    );
    assert_eq!(paths(&walked), ["/var/lib/app/new"]);
}

#[test]
fn escaping_names_are_refused_and_odd_ones_normalised() {
    let walked = walk(
        &layer(&[
            file("../../etc/passwd", "evil"),
            file("a/../../b", "evil"),
            file("./x/./y/../z", "ok"),
            Item::HardLink("link", "../../etc/shadow"),
            Item::Symlink("abs", "/etc/passwd"),
            Item::Symlink("up", "../../../../etc"),
        ]),
        &[],
    )
    .unwrap();
    assert_eq!(paths(&walked), ["/x/z", "/abs", "/up"]);
    assert_eq!(walked.problems.len(), 3, "{:?}", walked.problems);
    assert!(walked.problems[0].contains("climbs out of the image root"));
    assert!(walked.problems[2].contains("outside the image root"));
    // Symlink targets are kept verbatim; the filesystem resolves them inside the root.
    assert_eq!(
        entry(&walked, "/up").kind,
        EntryKind::Symlink("../../../../etc".into())
    );
}

#[test]
fn wants_decide_what_is_kept() {
    let finals = Fake::new(
        "final",
        &[("/final/", Want::Final), ("/both/", Want::Final)],
    );
    let every = Fake::new("every", &[("/every/", Want::EveryLayer)]);
    let extract = Fake::new(
        "extract",
        &[("/bin/", Want::Extract), ("/both/", Want::Extract)],
    );
    let catalogers: [&dyn Cataloger; 3] = [&finals, &every, &extract];
    let walked = walk(
        &layer(&[
            file("final/a", "AAAA"),
            file("every/db", "status v1"),
            file("bin/tool", "ELF....."),
            file("bin/script", "skip me"),
            file("both/x", "12345"),
            file("other/ignored", "zzz"),
        ]),
        &catalogers,
    )
    .unwrap();
    let kept = |path| entry(&walked, path).kept.as_deref();
    let a = kept("/final/a").unwrap();
    assert_eq!(
        (a.wanted, a.every_layer, a.data.as_deref()),
        (1, 0, Some(&b"AAAA"[..]))
    );
    let db = kept("/every/db").unwrap();
    assert_eq!((db.wanted, db.every_layer), (2, 2));
    let tool = kept("/bin/tool").unwrap();
    assert!(tool.data.is_none(), "only the extract is kept");
    assert_eq!(tool.extract(2).map(|e| &e[..]), Some(&b"extract:8"[..]));
    assert!(kept("/bin/script").is_none(), "extract returned None");
    let both = kept("/both/x").unwrap();
    assert_eq!(both.data.as_deref(), Some(&b"12345"[..]));
    assert_eq!(both.extract(2).map(|e| &e[..]), Some(&b"extract:5"[..]));
    assert!(kept("/other/ignored").is_none());
    assert_eq!(walked.kept_bytes(), 4 + 9 + 9 + 5 + 9);
}

#[test]
fn oversized_files_are_problems_not_errors() {
    let finals = Fake::new("final", &[("/", Want::Final)]);
    let extract = Fake::new("extract", &[("/bin/", Want::Extract)]);
    let limits = Limits {
        max_kept_file: 8,
        max_extract_file: 16,
        ..Limits::default()
    };
    let bytes = layer(&[
        file("small", "12345678"),
        file("big", "123456789"),
        Item::File("bin/huge", vec![7; 17], 0o755),
        Item::File("bin/fits", vec![7; 16], 0o755),
    ]);
    let catalogers: [&dyn Cataloger; 2] = [&finals, &extract];
    let walked = walk_layer(Cursor::new(&bytes), &SPEC, &catalogers, &limits).unwrap();
    assert!(entry(&walked, "/small").kept.is_some());
    assert!(entry(&walked, "/big").kept.is_none());
    assert!(entry(&walked, "/bin/huge").kept.is_none());
    assert!(entry(&walked, "/bin/fits")
        .kept
        .as_ref()
        .unwrap()
        .extract(1)
        .is_some());
    assert_eq!(walked.problems.len(), 4, "{:?}", walked.problems);
    assert!(walked
        .problems
        .iter()
        .any(|p| p.contains("/big: 9 bytes, over the 8-byte limit")));
    assert!(walked
        .problems
        .iter()
        .any(|p| p.contains("/bin/huge: 17 bytes, over the 16-byte limit")));

    let limits = Limits {
        max_kept_per_layer: 10,
        ..Limits::default()
    };
    let bytes = layer(&[file("a", "123456"), file("b", "123456")]);
    let walked = walk_layer(Cursor::new(&bytes), &SPEC, &[&finals], &limits).unwrap();
    assert!(entry(&walked, "/a").kept.is_some() && entry(&walked, "/b").kept.is_none());
    assert!(walked.problems[0].contains("already keeps 6 bytes"));
}

#[test]
fn hard_links_share_their_targets_content() {
    let finals = Fake::new(
        "final",
        &[("/data/", Want::Final), ("/bin/", Want::Extract)],
    );
    let walked = walk(
        &layer(&[
            file("data/original", "shared bytes"),
            Item::HardLink("data/alias", "data/original"),
            Item::HardLink("data/later", "lower/file"),
            file("bin/go", "binary"),
            Item::HardLink("bin/go2", "bin/go"),
            file("bin/script", "skip: not a binary"),
            Item::HardLink("bin/script2", "bin/script"),
            file("elsewhere/x", "not kept"),
            Item::HardLink("data/from-unkept", "elsewhere/x"),
        ]),
        &[&finals],
    )
    .unwrap();
    let original = entry(&walked, "/data/original")
        .kept
        .as_ref()
        .unwrap()
        .data
        .clone()
        .unwrap();
    let alias = entry(&walked, "/data/alias");
    assert_eq!(alias.size, 12);
    let alias_data = alias.kept.as_ref().unwrap().data.clone().unwrap();
    assert!(Arc::ptr_eq(&original, &alias_data), "one copy in memory");
    let go2 = entry(&walked, "/bin/go2").kept.as_ref().unwrap();
    assert_eq!(go2.extract(0).map(|e| &e[..]), Some(&b"final:6"[..]));
    // A target in a lower layer: left for the merge.
    let later = entry(&walked, "/data/later").kept.as_ref().unwrap();
    assert!(later.data.is_none() && later.wanted == 1);
    // A target that streamed by unread: a problem, not a crash.
    assert!(entry(&walked, "/data/from-unkept").kept.is_none());
    assert!(
        walked
            .problems
            .iter()
            .any(|p| p.contains("/data/from-unkept: hard link to /elsewhere/x")),
        "{:?}",
        walked.problems
    );
    // A target read for extraction that gave nothing: the link has nothing either, silently.
    assert!(entry(&walked, "/bin/script2").kept.is_none());
    assert_eq!(walked.problems.len(), 1, "{:?}", walked.problems);
}

#[test]
fn long_names_through_pax_and_gnu_records() {
    let long = format!("usr/share/{}/file.txt", "d".repeat(200));
    let longer = format!("opt/{}/lib.so", "e".repeat(300));
    let finals = Fake::new("final", &[("/usr/share/", Want::Final)]);
    let walked = walk(
        &layer(&[
            Item::PaxFile(long.clone(), b"pax".to_vec()),
            Item::GnuLongFile(longer.clone(), b"gnu".to_vec()),
        ]),
        &[&finals],
    )
    .unwrap();
    assert_eq!(paths(&walked), [format!("/{long}"), format!("/{longer}")]);
    assert_eq!(
        entry(&walked, &format!("/{long}"))
            .kept
            .as_ref()
            .unwrap()
            .data
            .as_deref(),
        Some(&b"pax"[..])
    );
}

#[test]
fn oversized_headers_are_refused_with_bounded_memory() {
    // A PAX header of 2 MiB (a hostile "path"), compressed to almost nothing.
    let records = pax_record("path", &vec![b'a'; 2 << 20]);
    let mut builder = tar::Builder::new(Vec::new());
    let h = header(
        b"PaxHeaders/x",
        tar::EntryType::XHeader,
        records.len() as u64,
        b"",
    );
    builder.append(&h, &records[..]).unwrap();
    let h = header(b"f", tar::EntryType::Regular, 0, b"");
    builder.append(&h, &b""[..]).unwrap();
    let bytes = gzip(&builder.into_inner().unwrap());
    let error = layer_error(walk(&bytes, &[]));
    assert!(error.contains("exceed 1048576 bytes"), "{error}");
    // The same with a GNU long name.
    let mut builder = tar::Builder::new(Vec::new());
    let name = vec![b'n'; 3 << 20];
    let h = header(
        b"././@LongLink",
        tar::EntryType::GNULongName,
        name.len() as u64,
        b"",
    );
    builder.append(&h, &name[..]).unwrap();
    let error = layer_error(walk(&zstd(&builder.into_inner().unwrap()), &[]));
    assert!(error.contains("exceed"), "{error}");
}

#[test]
fn a_size_field_larger_than_the_data_is_a_truncation() {
    let finals = Fake::new("final", &[("/", Want::Final)]);
    let mut bytes = layer(&[file("a", "hello")]);
    // Claim a 1 TiB file; the data is not there.
    let mut h = header(b"huge", tar::EntryType::Regular, 0, b"");
    h.set_size(1 << 40);
    h.set_cksum();
    bytes.truncate(bytes.len() - 1024); // drop the end-of-archive blocks
    bytes.extend_from_slice(h.as_bytes());
    bytes.extend_from_slice(&[0; 4096]);
    for catalogers in [&[][..], &[&finals as &dyn Cataloger][..]] {
        let error = layer_error(walk(&bytes, catalogers));
        assert!(error.contains("ends"), "{error}");
    }
}

#[test]
fn truncated_and_corrupt_layers_are_clear_errors() {
    let plain = layer(&[file("etc/a", &"x".repeat(10_000)), file("etc/b", "y")]);
    let gz = gzip(&plain);
    for cut in [gz.len() / 2, gz.len() - 4, 12] {
        let error = layer_error(walk(&gz[..cut], &[]));
        assert!(
            error.contains("truncated") || error.contains("ends"),
            "{cut}: {error}"
        );
    }
    let zs = zstd(&plain);
    let error = layer_error(walk(&zs[..zs.len() / 2], &[]));
    assert!(error.contains("zstd"), "{error}");
    // A plain tar cut inside a file's data.
    let error = layer_error(walk(&plain[..700], &[]));
    assert!(error.contains("ends inside entry `etc/a`"), "{error}");
    // A damaged header checksum.
    let mut bad = plain.clone();
    bad[0] ^= 0x55;
    let error = layer_error(walk(&bad, &[]));
    assert!(error.contains("checksum"), "{error}");
    // Not a tar at all.
    let error = layer_error(walk(&[b'z'; 1500], &[]));
    assert!(error.contains("corrupt"), "{error}");
    // Corrupt deflate data inside a valid gzip header.
    let mut bad = gz.clone();
    for byte in &mut bad[20..60] {
        *byte = 0xff;
    }
    layer_error(walk(&bad, &[]));
    // An empty blob is an empty layer.
    assert!(walk(b"", &[]).unwrap().entries.is_empty());
}

#[test]
fn digest_mismatches_are_reported_as_such() {
    let gz = gzip(&layer(&[file("etc/a", "hello")]));
    let good = sha256_digest(&gz);
    let verified =
        VerifyingReader::new(Cursor::new(gz.clone()), &good, Some(gz.len() as u64)).unwrap();
    assert!(walk_layer(verified, &SPEC, &[], &Limits::default()).is_ok());

    let wrong = sha256_digest(b"something else");
    let verified = VerifyingReader::new(Cursor::new(gz.clone()), &wrong, None).unwrap();
    match walk_layer(verified, &SPEC, &[], &Limits::default()) {
        Err(ImageError::DigestMismatch {
            expected,
            actual,
            image,
        }) => {
            assert_eq!(
                (expected, actual, image.as_str()),
                (wrong.clone(), good.clone(), "test-image")
            );
        }
        other => panic!("{other:?}"),
    }
    // Damage that breaks decompression is still reported as the digest mismatch it is.
    let mut damaged = gz.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0xff;
    let verified = VerifyingReader::new(Cursor::new(damaged), &good, None).unwrap();
    assert!(matches!(
        walk_layer(verified, &SPEC, &[], &Limits::default()),
        Err(ImageError::DigestMismatch { .. })
    ));
}

#[test]
fn too_many_entries_or_catalogers() {
    let limits = Limits {
        max_entries: 2,
        ..Limits::default()
    };
    let bytes = layer(&[file("a", ""), file("b", ""), file("c", "")]);
    let error = walk_layer(Cursor::new(&bytes), &SPEC, &[], &limits).unwrap_err();
    assert!(error.to_string().contains("more than 2 entries"), "{error}");
    let fake = Fake::new("f", &[]);
    let many: Vec<&dyn Cataloger> = (0..64).map(|_| &fake as &dyn Cataloger).collect();
    assert!(walk(&bytes, &many)
        .unwrap_err()
        .to_string()
        .contains("at most 63"));
}

#[test]
fn paths_normalise_lexically() {
    assert_eq!(normalize_path("./a/b/"), Ok(Some("/a/b".into())));
    assert_eq!(normalize_path("/a//b/./c/.."), Ok(Some("/a/b".into())));
    assert_eq!(normalize_path("./"), Ok(None));
    assert_eq!(normalize_path("a/../.."), Err(EscapesRoot));
    assert_eq!(parent("/a/b"), "/a");
    assert_eq!(parent("/a"), "/");
}

#[test]
fn hostile_bytes_never_panic() {
    // Deterministic pseudo-random garbage after a valid start, in every compression.
    let base = layer(&sample());
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for round in 0..60 {
        let mut bytes = base.clone();
        for _ in 0..(1 + round % 7) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state as usize) % bytes.len();
            bytes[at] = (state >> 32) as u8;
        }
        let cut = (state as usize >> 8) % bytes.len();
        let finals = Fake::new("final", &[("/", Want::Final)]);
        let z = zstd(&bytes);
        let g = gzip(&bytes);
        let blobs = [
            bytes.clone(),
            g.clone(),
            bytes[..cut].to_vec(),
            z[..cut.min(z.len())].to_vec(),
            g[..cut.min(g.len())].to_vec(),
        ];
        for blob in blobs {
            let _ = walk(&blob, &[&finals]);
        }
    }
}
