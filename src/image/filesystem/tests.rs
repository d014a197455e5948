use super::*;
use crate::image::catalog::{Cataloger, Want};
use crate::image::layers::tests::{file, layer, walk_at, Fake, Item};

fn merged(layers: &[Vec<Item>], catalogers: &[&dyn Cataloger]) -> FileSystem {
    FileSystem::merge(
        layers
            .iter()
            .enumerate()
            .map(|(i, items)| walk_at(i, &layer(items), catalogers)),
    )
}

fn listing(fs: &FileSystem) -> Vec<(String, usize)> {
    fs.entries().map(|(p, n)| (p.to_owned(), n.layer)).collect()
}

fn text(fs: &dyn ImageFiles, path: &str) -> Option<String> {
    fs.read(path)
        .map(|b| String::from_utf8_lossy(b).into_owned())
}

fn all() -> Fake {
    Fake::new("all", &[("/", Want::Final)])
}

#[test]
fn whiteouts_delete_files_and_subtrees() {
    let all = all();
    let fs = merged(
        &[
            vec![
                file("etc/keep", "k"),
                file("etc/gone", "g"),
                Item::Dir("opt/app"),
                file("opt/app/bin", "b"),
                file("opt/app/lib/x", "x"),
                file("opt/apple", "not under opt/app"),
            ],
            vec![Item::Whiteout("etc/gone"), Item::Whiteout("opt/app")],
        ],
        &[&all],
    );
    assert_eq!(
        listing(&fs),
        [("/etc/keep".into(), 0), ("/opt/apple".into(), 0)]
    );
    assert_eq!(fs.read("/etc/gone"), None);
}

#[test]
fn opaque_directories_hide_lower_contents_only() {
    let all = all();
    let fs = merged(
        &[
            vec![
                Item::Dir("var/lib/app"),
                file("var/lib/app/old", "o"),
                file("var/lib/app/sub/x", "x"),
                file("var/lib/other", "y"),
            ],
            vec![
                Item::Dir("var/lib/app"),
                file("var/lib/app/new", "n"),
                Item::Opaque("var/lib/app"),
            ],
        ],
        &[&all],
    );
    assert_eq!(
        listing(&fs),
        [
            ("/var/lib/app".into(), 1),
            ("/var/lib/app/new".into(), 1),
            ("/var/lib/other".into(), 0)
        ]
    );
}

#[test]
fn a_file_replacing_a_directory_removes_its_children_and_vice_versa() {
    let all = all();
    let fs = merged(
        &[
            vec![
                Item::Dir("srv"),
                file("srv/a", "a"),
                file("srv/b/c", "c"),
                file("conf", "file"),
            ],
            vec![
                file("srv", "now a file"),
                Item::Dir("conf"),
                file("conf/inner", "i"),
            ],
        ],
        &[&all],
    );
    assert_eq!(
        listing(&fs),
        [
            ("/conf".into(), 1),
            ("/conf/inner".into(), 1),
            ("/srv".into(), 1)
        ]
    );
    assert_eq!(text(&fs, "/srv").as_deref(), Some("now a file"));
}

#[test]
fn a_path_under_a_lower_symlink_replaces_it_with_a_directory() {
    // overlayfs: the upper layer's directory `lib` shadows the lower symlink `lib -> usr/lib`.
    let all = all();
    let fs = merged(
        &[
            vec![
                Item::Symlink("lib", "usr/lib"),
                file("usr/lib/libc.so", "libc"),
            ],
            vec![file("lib/extra.so", "extra")],
        ],
        &[&all],
    );
    assert!(fs.entry("/lib").is_none());
    assert_eq!(text(&fs, "/lib/extra.so").as_deref(), Some("extra"));
    assert_eq!(text(&fs, "/lib/libc.so"), None);
    assert_eq!(text(&fs, "/usr/lib/libc.so").as_deref(), Some("libc"));
}

#[test]
fn symlinks_resolve_inside_the_root() {
    let all = all();
    let fs = merged(
        &[vec![
            file("real/data", "payload"),
            Item::Symlink("a", "b"),
            Item::Symlink("b", "c/data"),
            Item::Symlink("c", "/real"),
            Item::Symlink("up", "../../../../real"),
            Item::Symlink("etc/abs", "/etc/../../../real/data"),
            Item::Symlink("loop1", "loop2"),
            Item::Symlink("loop2", "./loop1"),
            Item::Symlink("self", "self"),
            Item::Symlink("dangling", "nowhere"),
            Item::Symlink("lib", "usr/lib"),
            file("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
            Item::Symlink("etc/os-release", "../usr/lib/os-release"),
        ]],
        &[&all],
    );
    assert_eq!(fs.resolve("/a").unwrap(), "/real/data");
    assert_eq!(text(&fs, "/a").as_deref(), Some("payload"));
    assert_eq!(text(&fs, "/up/data").as_deref(), Some("payload"));
    assert_eq!(text(&fs, "/etc/abs").as_deref(), Some("payload"));
    assert_eq!(
        fs.resolve("/lib/os-release").unwrap(),
        "/usr/lib/os-release"
    );
    assert_eq!(
        fs.resolve("/../../etc/./os-release").unwrap(),
        "/usr/lib/os-release"
    );
    assert_eq!(fs.resolve("/loop1"), Err(ResolveError::Loop));
    assert_eq!(fs.resolve("/self/x"), Err(ResolveError::Loop));
    assert_eq!(fs.read("/loop1"), None);
    assert_eq!(fs.read("/dangling"), None);
    assert_eq!(fs.layer_of("/a"), Some(0));
    assert_eq!(fs.resolve("/").unwrap(), "/");
    // os-release through its symlink, kept by the core.
    let distro = fs.distro().unwrap();
    assert_eq!(
        (distro.id.as_str(), distro.version_id.as_deref()),
        ("debian", Some("12"))
    );
    // Symlinks are listed as themselves.
    assert_eq!(fs.entry("/a").unwrap().kind, EntryKind::Symlink("b".into()));
}

#[test]
fn hard_links_bind_to_lower_layer_targets() {
    let data = Fake::new("data", &[("/data/", Want::Final), ("/bin/", Want::Extract)]);
    let fs = merged(
        &[
            vec![file("data/original", "v1"), file("bin/tool", "elf")],
            vec![
                Item::HardLink("data/alias", "data/original"),
                Item::HardLink("bin/tool2", "bin/tool"),
                Item::HardLink("data/broken", "data/missing"),
            ],
            vec![file("data/original", "v2")],
        ],
        &[&data],
    );
    // The link keeps the content its target had when the link was made.
    assert_eq!(text(&fs, "/data/alias").as_deref(), Some("v1"));
    assert_eq!(text(&fs, "/data/original").as_deref(), Some("v2"));
    assert_eq!(fs.entry("/data/alias").unwrap().size, 2);
    assert_eq!(fs.layer_of("/data/alias"), Some(1));
    let view = fs.view(0);
    assert_eq!(text(&view, "/bin/tool2").as_deref(), Some("data:3"));
    assert!(
        fs.problems()
            .iter()
            .any(|p| p.contains("/data/broken: hard link to /data/missing")),
        "{:?}",
        fs.problems()
    );
}

#[test]
fn every_layer_versions_restart_after_a_deletion() {
    let dpkg = Fake::new("dpkg", &[("/var/lib/dpkg/", Want::EveryLayer)]);
    let fs = merged(
        &[
            vec![
                file("var/lib/dpkg/status", "v0"),
                file("var/lib/dpkg/other", "o0"),
            ],
            vec![file("var/lib/dpkg/status", "v1")],
            vec![file("unrelated", "u")],
            vec![
                file("var/lib/dpkg/status", "v3"),
                Item::Whiteout("var/lib/dpkg/other"),
            ],
        ],
        &[&dpkg],
    );
    let versions: Vec<(usize, &[u8])> = fs.versions("/var/lib/dpkg/status");
    assert_eq!(versions, [(0, &b"v0"[..]), (1, b"v1"), (3, b"v3")]);
    assert_eq!(fs.layer_of("/var/lib/dpkg/status"), Some(3));
    assert!(fs.versions("/var/lib/dpkg/other").is_empty());

    let fs = merged(
        &[
            vec![file("var/lib/dpkg/status", "v0")],
            vec![
                Item::Opaque("var/lib/dpkg"),
                file("var/lib/dpkg/status", "fresh"),
            ],
        ],
        &[&dpkg],
    );
    assert_eq!(fs.versions("/var/lib/dpkg/status"), [(1, &b"fresh"[..])]);
}

#[test]
fn each_cataloger_sees_its_own_files() {
    let a = Fake::new("a", &[("/a/", Want::Final), ("/shared/", Want::Final)]);
    let b = Fake::new("b", &[("/b/", Want::Extract), ("/shared/", Want::Extract)]);
    let fs = merged(
        &[vec![
            file("a/1", "one"),
            file("b/2", "two!"),
            file("shared/3", "three"),
            file("etc/os-release", "ID=alpine\n"),
        ]],
        &[&a, &b],
    );
    let (va, vb) = (fs.view(0), fs.view(1));
    assert_eq!(va.paths(), ["/a/1", "/shared/3"]);
    assert_eq!(vb.paths(), ["/b/2", "/shared/3"]);
    assert_eq!(text(&va, "/shared/3").as_deref(), Some("three"));
    assert_eq!(text(&vb, "/shared/3").as_deref(), Some("b:5"));
    assert_eq!(text(&vb, "/b/2").as_deref(), Some("b:4"));
    // The core's os-release is readable by everyone but listed by no cataloger.
    assert_eq!(text(&va, "/etc/os-release").as_deref(), Some("ID=alpine\n"));
    assert_eq!(va.distro().map(|d| d.id.as_str()), Some("alpine"));
    assert!(kept_by_core(fs.entry("/etc/os-release").unwrap()));
    // The whole view lists every kept file with bytes.
    assert_eq!(fs.paths(), ["/a/1", "/etc/os-release", "/shared/3"]);
}

#[test]
fn entries_carry_metadata_and_introducing_layer() {
    let fs = merged(
        &[
            vec![
                Item::Owned("usr/bin/passwd", 0, 0, 0o4755),
                Item::Owned("usr/bin/wall", 0, 5, 0o2755),
            ],
            vec![
                Item::Owned("usr/bin/passwd", 0, 0, 0o755),
                Item::Owned("home/u/f", 1000, 1000, 0o644),
            ],
        ],
        &[],
    );
    let setuid: Vec<(&str, usize)> = fs
        .entries()
        .filter(|(_, n)| n.is_setuid_or_setgid())
        .map(|(p, n)| (p, n.layer))
        .collect();
    assert_eq!(setuid, [("/usr/bin/wall", 0)]);
    let home = fs.entry("/home/u/f").unwrap();
    assert_eq!((home.uid, home.gid, home.layer), (1000, 1000, 1));
    assert_eq!(fs.len(), 3);
    assert_eq!(fs.layer_count(), 2);
}

#[test]
fn a_whiteout_of_the_root_contents_and_reinsertion() {
    let all = all();
    let fs = merged(
        &[
            vec![file("a", "1"), file("b/c", "2")],
            vec![Item::Opaque("."), file("d", "3")],
            vec![file("a", "4")],
        ],
        &[&all],
    );
    assert_eq!(listing(&fs), [("/a".into(), 2), ("/d".into(), 1)]);
}
