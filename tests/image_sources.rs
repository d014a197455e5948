//! Real images, made by real tools: a small root filesystem is packed into an OCI layout with
//! `umoci` (two layers: the second deletes, replaces and modifies files), then copied with
//! `skopeo` to an OCI archive and a docker-archive. The three sources must give the same
//! final view, the same introducing layers and the same packages.
//!
//! Needs the Debian packages `umoci` and `skopeo`. Under `CI=true` a missing tool fails the
//! test; elsewhere it prints "skipped: …".

#[allow(unused_imports)]
mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use portcullis::image::catalog::{Cataloger, Ecosystem, EntryInfo, ImageFiles, Package, Want};
use portcullis::image::layers::EntryKind;
use portcullis::image::reference::ImageSource;
use portcullis::image::scan::{inventory, Inventory};
use portcullis::image::source::open;

/// Whether `tool` runs; `None` (skip, or panic under CI) when it does not.
fn tool(name: &str, package: &str) -> Option<()> {
    match Command::new(name).arg("--version").output() {
        Ok(out) if out.status.success() => Some(()),
        _ => common::unavailable(format!(
            "{name} not found (Debian package {package}: apt-get install -y {package})"
        )),
    }
}

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

const STATUS_V1: &str = "Package: base-files\nStatus: install ok installed\nVersion: 12.4\n\n\
Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nSource: glibc\n\n\
Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13-1\n\n";
const STATUS_V2: &str = "Package: base-files\nStatus: install ok installed\nVersion: 12.4\n\n\
Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10\n\n\
Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nSource: glibc\n\n\
Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13-2\n\n";

/// A two-layer image in an OCI layout at `dir/layout` (tag `v2`), plus `dir/oci.tar` and
/// `dir/docker.tar` made from it by skopeo.
fn build_images(dir: &Path) {
    let root = is_root();
    let layout = dir.join("layout");
    let bundle = dir.join("bundle");
    let layout_s = layout.to_str().unwrap();
    let bundle_s = bundle.to_str().unwrap();
    let base = format!("{layout_s}:base");
    let v2 = format!("{layout_s}:v2");
    let unpack = |image: &str| {
        let mut args = vec!["unpack"];
        if !root {
            args.push("--rootless");
        }
        args.extend(["--image", image, bundle_s]);
        run("umoci", &args);
    };
    run("umoci", &["init", "--layout", layout_s]);
    run("umoci", &["new", "--image", &base]);
    unpack(&base);

    // Layer 0: a tiny Debian-like root.
    let rootfs = bundle.join("rootfs");
    write(&rootfs.join("usr/lib/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
    std::fs::create_dir_all(rootfs.join("etc")).unwrap();
    std::os::unix::fs::symlink("../usr/lib/os-release", rootfs.join("etc/os-release")).unwrap();
    write(&rootfs.join("var/lib/dpkg/status"), STATUS_V1);
    write(&rootfs.join("usr/bin/hello"), "\x7fELF hello binary");
    std::fs::set_permissions(
        rootfs.join("usr/bin/hello"),
        PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    write(&rootfs.join("usr/bin/su"), "setuid binary");
    std::fs::set_permissions(rootfs.join("usr/bin/su"), PermissionsExt::from_mode(0o4755)).unwrap();
    write(&rootfs.join("opt/data/a"), "deleted later");
    write(&rootfs.join("opt/data/keep"), "kept");
    write(
        &rootfs.join("opt/data/sub/b"),
        "a directory replaced by a file later",
    );
    write(&rootfs.join("opt/tree/x/y"), "a directory deleted later");
    std::os::unix::fs::symlink("usr/lib", rootfs.join("lib")).unwrap();
    std::os::unix::fs::symlink("/opt/data/keep", rootfs.join("opt/link1")).unwrap();
    std::os::unix::fs::symlink("link1", rootfs.join("opt/link2")).unwrap();
    if root {
        write(&rootfs.join("home/app/.profile"), "owned by app");
        std::os::unix::fs::chown(rootfs.join("home/app/.profile"), Some(1000), Some(1000)).unwrap();
    }
    run("umoci", &["repack", "--image", &base, bundle_s]);
    run(
        "umoci",
        &[
            "config",
            "--image",
            &base,
            "--config.user",
            "1000",
            "--config.env",
            "FOO=bar",
            "--config.cmd",
            "/bin/sh",
            "--config.exposedports",
            "8080/tcp",
            "--history.created_by",
            "CMD [\"/bin/sh\"]",
        ],
    );
    std::fs::remove_dir_all(&bundle).unwrap();
    unpack(&base);

    // Layer 1: deletions, a directory replaced by a file, an upgraded package database, a
    // hard link.
    std::fs::remove_file(rootfs.join("opt/data/a")).unwrap();
    std::fs::remove_dir_all(rootfs.join("opt/data/sub")).unwrap();
    write(&rootfs.join("opt/data/sub"), "now a file");
    std::fs::remove_dir_all(rootfs.join("opt/tree")).unwrap();
    write(&rootfs.join("var/lib/dpkg/status"), STATUS_V2);
    write(&rootfs.join("usr/bin/curl"), "\x7fELF curl");
    std::fs::set_permissions(
        rootfs.join("usr/bin/curl"),
        PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    std::fs::hard_link(
        rootfs.join("usr/bin/curl"),
        rootfs.join("usr/bin/curl-alias"),
    )
    .unwrap();
    run(
        "umoci",
        &[
            "repack",
            "--image",
            &v2,
            "--history.created_by",
            "RUN apt-get install curl",
            bundle_s,
        ],
    );

    let oci = format!("oci:{v2}");
    let archive = format!("oci-archive:{}:v2", dir.join("oci.tar").display());
    let docker = format!(
        "docker-archive:{}:test/app:v2",
        dir.join("docker.tar").display()
    );
    run(
        "skopeo",
        &["--insecure-policy", "copy", "-q", &oci, &archive],
    );
    run(
        "skopeo",
        &["--insecure-policy", "copy", "-q", &oci, &docker],
    );
}

/// A small dpkg-like cataloger: packages from `status`, each attributed to the first layer
/// whose database lists it at its final version; and the ELF binaries under `/usr/bin`.
struct TestCataloger;

fn stanzas(status: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(status)
        .split("\n\n")
        .filter_map(|stanza| {
            let field = |name: &str| {
                stanza
                    .lines()
                    .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()))
            };
            Some((field("Package:")?, field("Version:")?))
        })
        .collect()
}

impl Cataloger for TestCataloger {
    fn name(&self) -> &'static str {
        "test"
    }

    fn wants(&self, entry: &EntryInfo<'_>) -> Want {
        if entry.path == "/var/lib/dpkg/status" {
            Want::EveryLayer
        } else if entry.path.starts_with("/usr/bin/") && entry.is_executable() {
            Want::Extract
        } else {
            Want::No
        }
    }

    fn extract(&self, _path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
        bytes.starts_with(b"\x7fELF").then(|| bytes[5..].to_vec())
    }

    fn catalog(&self, files: &dyn ImageFiles, _problems: &mut Vec<String>) -> Vec<Package> {
        let package = |name: String, version: String, path: &str, layer| Package {
            purl: format!("pkg:deb/debian/{name}@{version}"),
            name,
            version,
            source_name: None,
            source_version: None,
            ecosystem: Ecosystem::Debian,
            arch: None,
            evidence: vec![path.to_owned()],
            layer,
            cataloger: "test",
        };
        let mut out = Vec::new();
        for path in files.paths() {
            let bytes = files.read(path).unwrap();
            if path == "/var/lib/dpkg/status" {
                let versions = files.versions(path);
                for (name, version) in stanzas(bytes) {
                    let layer = versions
                        .iter()
                        .find(|(_, db)| stanzas(db).contains(&(name.clone(), version.clone())))
                        .map(|(layer, _)| *layer);
                    out.push(package(name, version, path, layer));
                }
            } else {
                let name = String::from_utf8_lossy(bytes).into_owned();
                out.push(package(name, "bin".into(), path, files.layer_of(path)));
            }
        }
        out
    }
}

type View = BTreeMap<String, (EntryKind, u32, u32, u32, u64, usize)>;

fn final_view(inventory: &Inventory) -> View {
    inventory
        .files
        .entries()
        .map(|(path, n)| {
            (
                path.to_owned(),
                (n.kind.clone(), n.mode, n.uid, n.gid, n.size, n.layer),
            )
        })
        .collect()
}

fn scan(reference: &str) -> Inventory {
    let source = ImageSource::parse(reference).unwrap();
    let image = open(&source, None).unwrap_or_else(|e| panic!("{reference}: {e}"));
    inventory(image, &[&TestCataloger]).unwrap_or_else(|e| panic!("{reference}: {e}"))
}

#[test]
fn umoci_and_skopeo_images_read_the_same_from_every_source() {
    if tool("umoci", "umoci")
        .and(tool("skopeo", "skopeo"))
        .is_none()
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    build_images(dir.path());
    let d = dir.path().display();
    let oci = scan(&format!("oci:{d}/layout:v2"));
    let archive = scan(&format!("oci-archive:{d}/oci.tar:v2"));
    let docker = scan(&format!("docker-archive:{d}/docker.tar"));

    // The final view.
    let view = final_view(&oci);
    let layer_of = |path: &str| view.get(path).map(|e| e.5);
    assert_eq!(layer_of("/opt/data/a"), None, "deleted by a whiteout");
    assert_eq!(layer_of("/opt/tree"), None, "directory deleted");
    assert_eq!(layer_of("/opt/tree/x/y"), None, "with its contents");
    assert_eq!(
        layer_of("/opt/data/sub/b"),
        None,
        "directory replaced by a file"
    );
    assert_eq!(view["/opt/data/sub"].0, EntryKind::File);
    assert_eq!(layer_of("/opt/data/sub"), Some(1));
    assert_eq!(layer_of("/opt/data/keep"), Some(0));
    assert_eq!(layer_of("/var/lib/dpkg/status"), Some(1));
    assert_eq!(view["/usr/bin/su"].1, 0o4755);
    assert_eq!(
        view["/etc/os-release"].0,
        EntryKind::Symlink("../usr/lib/os-release".into())
    );
    let (curl, alias) = (&view["/usr/bin/curl"], &view["/usr/bin/curl-alias"]);
    let linked = [curl.0.clone(), alias.0.clone()];
    assert!(
        linked.contains(&EntryKind::HardLink("/usr/bin/curl".into()))
            || linked.contains(&EntryKind::HardLink("/usr/bin/curl-alias".into())),
        "{linked:?}"
    );
    assert_eq!(curl.4, alias.4, "a hard link has its target's size");
    if is_root() {
        assert_eq!(
            (view["/home/app/.profile"].2, view["/home/app/.profile"].3),
            (1000, 1000)
        );
    }
    assert_eq!(oci.files.read("/opt/link2"), None, "not kept: nobody asked");
    assert_eq!(oci.files.resolve("/opt/link2").unwrap(), "/opt/data/keep");
    assert_eq!(
        oci.files.resolve("/lib/os-release").unwrap(),
        "/usr/lib/os-release"
    );

    // The same from the OCI archive and the docker-archive.
    assert_eq!(final_view(&archive), view);
    assert_eq!(final_view(&docker), view);

    // Packages and the layers that introduced them: upgraded and added packages belong to
    // layer 1, the rest to layer 0; both names of the hard-linked binary are read.
    let packages = |inv: &Inventory| -> Vec<(String, String, Option<usize>, String)> {
        let mut list: Vec<_> = inv
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.version.clone(),
                    p.layer,
                    p.evidence.join(","),
                )
            })
            .collect();
        list.sort();
        list
    };
    let status = "/var/lib/dpkg/status";
    let expected: Vec<(String, String, Option<usize>, String)> = [
        ("base-files", "12.4", 0, status),
        ("curl", "7.88.1-10", 1, status),
        ("curl", "bin", 1, "/usr/bin/curl"),
        ("curl", "bin", 1, "/usr/bin/curl-alias"),
        ("hello binary", "bin", 0, "/usr/bin/hello"),
        ("libc6", "2.36-9", 0, status),
        ("zlib1g", "1:1.2.13-2", 1, status),
    ]
    .iter()
    .map(|(n, v, l, e)| (n.to_string(), v.to_string(), Some(*l), e.to_string()))
    .collect();
    assert_eq!(packages(&oci), expected);
    assert_eq!(packages(&archive), expected);
    assert_eq!(packages(&docker), expected);

    // Metadata and layers.
    for inv in [&oci, &archive, &docker] {
        assert_eq!(inv.metadata.config.user.as_deref(), Some("1000"));
        assert!(inv.metadata.config.env.contains(&"FOO=bar".to_owned()));
        assert_eq!(inv.metadata.config.exposed_ports, ["8080/tcp"]);
        assert!(inv.metadata.history_matches_layers);
        assert_eq!(
            inv.layers[1].created_by.as_deref(),
            Some("RUN apt-get install curl")
        );
        let distro = inv.distro.as_ref().unwrap();
        assert_eq!(
            (distro.id.as_str(), distro.codename.as_deref()),
            ("debian", Some("bookworm"))
        );
        assert!(inv.problems.is_empty(), "{:?}", inv.problems);
    }
    let diff_ids = |inv: &Inventory| -> Vec<Option<String>> {
        inv.layers.iter().map(|l| l.diff_id.clone()).collect()
    };
    assert_eq!(diff_ids(&archive), diff_ids(&oci));
    assert_eq!(diff_ids(&docker), diff_ids(&oci));
    for layer in &docker.layers {
        assert_eq!(
            Some(&layer.digest),
            layer.diff_id.as_ref(),
            "docker-archive layers are stored uncompressed"
        );
    }
    assert_eq!(archive.manifest_digest, oci.manifest_digest);
    assert!(oci
        .layers
        .iter()
        .all(|l| l.compression == portcullis::image::layers::Compression::Gzip));
}
