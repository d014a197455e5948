use super::*;
use crate::image::catalog::{ImageFiles, Want};
use crate::image::layers::tests::{file, Fake, Item};
use crate::image::reference::ImageSource;
use crate::image::source::digest::sha256_digest;
use crate::image::source::oci::tests::{ArchiveStyle, Fixture};
use crate::image::source::open;

fn fixture() -> Fixture {
    Fixture::new(&[
        vec![
            Item::Dir("etc"),
            file(
                "etc/os-release",
                "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
            ),
            file("var/lib/dpkg/status", "Package: base\n"),
            file("usr/bin/tool", "ELF base"),
            Item::Owned("usr/sbin/su", 0, 0, 0o4755),
            file("opt/old/readme", "old"),
        ],
        vec![
            file("var/lib/dpkg/status", "Package: base\nPackage: curl\n"),
            Item::Whiteout("opt/old"),
            file("usr/bin/tool", "ELF rebuilt"),
        ],
        vec![file("app/requirements.txt", "flask")],
    ])
}

#[test]
fn inventories_an_image_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = fixture();
    let manifest = fixture.write_layout(dir.path(), "v1");
    let image = open(
        &ImageSource::parse(&format!("oci:{}:v1", dir.path().display())).unwrap(),
        None,
    )
    .unwrap();
    let dpkg = Fake::new("dpkg", &[("/var/lib/dpkg/", Want::EveryLayer)]);
    let bins = Fake::new("bins", &[("/usr/bin/", Want::Extract)]);
    let apps = Fake::new("apps", &[("/app/", Want::Final)]);
    let catalogers: [&dyn Cataloger; 3] = [&dpkg, &bins, &apps];
    let inventory = inventory(image, &catalogers).unwrap();

    assert_eq!(
        inventory.manifest_digest.as_deref(),
        Some(manifest.as_str())
    );
    assert_eq!(
        inventory.distro.as_ref().map(|d| d.codename.as_deref()),
        Some(Some("bookworm"))
    );
    assert_eq!(inventory.metadata.config.user.as_deref(), Some("app"));
    let layer_summary: Vec<(usize, Option<&str>, Option<String>)> = inventory
        .layers
        .iter()
        .map(|l| (l.index, l.created_by.as_deref(), l.diff_id.clone()))
        .collect();
    assert_eq!(
        layer_summary,
        [
            (
                0,
                Some("ADD rootfs.tar /"),
                Some(sha256_digest(&fixture.layers[0]))
            ),
            (
                1,
                Some("RUN step 1"),
                Some(sha256_digest(&fixture.layers[1]))
            ),
            (
                2,
                Some("RUN step 2"),
                Some(sha256_digest(&fixture.layers[2]))
            ),
        ]
    );
    assert!(inventory
        .layers
        .iter()
        .all(|l| l.compression == Compression::Gzip));
    assert_eq!(inventory.layers[0].entries, 6);

    let packages: Vec<(&str, &str, Option<usize>, &str)> = inventory
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str(), p.layer, p.cataloger))
        .collect();
    assert_eq!(
        packages,
        [
            ("/app/requirements.txt", "flask", Some(2), "apps"),
            ("/usr/bin/tool", "bins:11", Some(1), "bins"),
            (
                "/var/lib/dpkg/status",
                "Package: base\nPackage: curl\n",
                Some(1),
                "dpkg"
            ),
        ]
    );
    let versions = inventory.files.versions("/var/lib/dpkg/status");
    assert_eq!(versions.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [0, 1]);
    // Hygiene data: every final entry with its metadata.
    let su = inventory.files.entry("/usr/sbin/su").unwrap();
    assert!(su.is_setuid_or_setgid() && su.layer == 0);
    assert!(inventory.files.entry("/opt/old/readme").is_none());
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
}

#[test]
fn the_same_inventory_from_every_local_source() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = fixture();
    let layout = dir.path().join("layout");
    fixture.write_layout(&layout, "v1");
    let archive = dir.path().join("oci.tar");
    crate::image::source::oci::tests::tar_directory(&layout, &archive);
    let docker = dir.path().join("docker.tar");
    fixture.write_docker_archive(&docker, "app:1", ArchiveStyle::Skopeo);
    let dpkg = Fake::new("dpkg", &[("/var/lib/dpkg/", Want::EveryLayer)]);
    let views: Vec<Vec<(String, usize)>> = [
        format!("oci:{}", layout.display()),
        format!("oci-archive:{}", archive.display()),
        format!("docker-archive:{}", docker.display()),
    ]
    .iter()
    .map(|text| {
        let image = open(&ImageSource::parse(text).unwrap(), None).unwrap();
        let inventory = inventory(image, &[&dpkg]).unwrap();
        assert_eq!(inventory.packages.len(), 1, "{text}");
        inventory
            .files
            .entries()
            .map(|(p, n)| (p.to_owned(), n.layer))
            .collect()
    })
    .collect();
    assert_eq!(views[0], views[1]);
    assert_eq!(views[0], views[2]);
    assert!(views[0].contains(&("/app/requirements.txt".to_owned(), 2)));
}

#[test]
fn a_broken_layer_names_the_image_layer_and_digest() {
    let dir = tempfile::tempdir().unwrap();
    let mut fixture = fixture();
    // Layer 2 is stored as a truncated gzip stream (its digest is of the truncated bytes, so
    // only decompression can notice).
    fixture.compress = |bytes| {
        let gz = crate::image::layers::tests::gzip(bytes);
        if bytes.windows(5).any(|w| w == b"flask") {
            gz[..gz.len() - 10].to_vec()
        } else {
            gz
        }
    };
    fixture.write_layout(dir.path(), "v1");
    let image = open(
        &ImageSource::parse(&format!("oci:{}", dir.path().display())).unwrap(),
        None,
    )
    .unwrap();
    let digest = image.layers[2].digest.clone();
    match inventory(image, &[]) {
        Err(ImageError::Layer {
            layer,
            digest: d,
            image,
            message,
        }) => {
            assert_eq!((layer, d), (2, digest));
            assert!(image.starts_with("oci:"), "{image}");
            assert!(
                message.contains("truncated") || message.contains("ends"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn oversized_files_are_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = fixture();
    fixture.write_layout(dir.path(), "v1");
    let image = open(
        &ImageSource::parse(&format!("oci:{}", dir.path().display())).unwrap(),
        None,
    )
    .unwrap();
    let dpkg = Fake::new("dpkg", &[("/var/lib/dpkg/", Want::EveryLayer)]);
    let limits = Limits {
        max_kept_file: 20,
        ..Limits::default()
    };
    let inventory = inventory_with(image, &[&dpkg], &limits).unwrap();
    // Layer 1's status file (28 bytes) is over the limit, so the final view has none; the
    // os-release file (52 bytes) too, so the distribution is unknown.
    assert!(inventory.packages.is_empty());
    assert!(inventory.distro.is_none());
    assert_eq!(
        inventory.problems,
        [
            "layer 0: /etc/os-release: 52 bytes, over the 20-byte limit for kept files; not cataloged",
            "layer 1: /var/lib/dpkg/status: 28 bytes, over the 20-byte limit for kept files; not cataloged",
        ]
    );
}
