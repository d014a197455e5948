//! The language catalogers through their public API, together, as the scan runs them: each
//! decides from path, size and mode what it wants of every file of an image, condenses it with
//! `extract`, then catalogs its own view. One image holds evidence of all eight ecosystems and
//! decoys for each; every cataloger must find exactly its own packages.

use std::collections::BTreeMap;

use portcullis::image::catalog::{
    language_catalogers, Cataloger, Distro, Ecosystem, EntryInfo, ImageFiles, Package, Want,
};

/// One cataloger's view of an image whose files are `(layer, path, mode, content)`, the last
/// write of a path winning, as the layer walk builds it.
struct View {
    kept: BTreeMap<String, (usize, Vec<u8>)>,
}

impl View {
    fn new(cataloger: &dyn Cataloger, files: &[(usize, &str, u32, Vec<u8>)]) -> Self {
        let mut kept = BTreeMap::new();
        for (layer, path, mode, content) in files {
            let entry = EntryInfo {
                path,
                size: content.len() as u64,
                mode: *mode,
            };
            let data = match cataloger.wants(&entry) {
                Want::No => continue,
                Want::Final | Want::EveryLayer => Some(content.clone()),
                Want::Extract => cataloger.extract(path, content),
            };
            match data {
                Some(data) => kept.insert(path.to_string(), (*layer, data)),
                None => kept.remove(*path),
            };
        }
        View { kept }
    }
}

impl ImageFiles for View {
    fn read(&self, path: &str) -> Option<&[u8]> {
        self.kept.get(path).map(|(_, data)| data.as_slice())
    }
    fn paths(&self) -> Vec<&str> {
        self.kept.keys().map(String::as_str).collect()
    }
    fn layer_of(&self, path: &str) -> Option<usize> {
        self.kept.get(path).map(|(layer, _)| *layer)
    }
    fn versions(&self, _path: &str) -> Vec<(usize, &[u8])> {
        Vec::new()
    }
    fn distro(&self) -> Option<&Distro> {
        None
    }
}

/// A stored (uncompressed) zip archive with one entry, written by hand.
fn stored_zip(name: &str, content: &[u8]) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let (crc, size, name_len) = (crc32(content), content.len() as u32, name.len() as u16);
    let mut out = Vec::new();
    out.extend(0x0403_4b50u32.to_le_bytes());
    out.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, method, time, date
    out.extend(crc.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(name_len.to_le_bytes());
    out.extend([0, 0]);
    out.extend(name.as_bytes());
    out.extend(content);
    let central = out.len() as u32;
    out.extend(0x0201_4b50u32.to_le_bytes());
    out.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend(crc.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(name_len.to_le_bytes());
    out.extend([0; 12]); // extra, comment, disk, internal and external attributes
    out.extend(0u32.to_le_bytes()); // local header offset
    out.extend(name.as_bytes());
    let central_size = out.len() as u32 - central;
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend(central_size.to_le_bytes());
    out.extend(central.to_le_bytes());
    out.extend([0, 0]);
    out
}

/// A little-endian ELF64 whose only section is `.go.buildinfo` in Go 1.18+'s inline format.
fn go_binary(go: &str, modinfo: &str) -> Vec<u8> {
    let mut framed = vec![0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02];
    framed.extend([0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6]);
    framed.extend(modinfo.as_bytes());
    framed.extend([0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72]);
    framed.extend([0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2]);
    let mut blob = b"\xff Go buildinf:\x08\x02".to_vec();
    blob.extend([0; 16]);
    blob.push(go.len() as u8);
    blob.extend(go.as_bytes());
    assert!(framed.len() < 128);
    blob.push(framed.len() as u8);
    blob.extend(framed);
    let names = b"\0.shstrtab\0.go.buildinfo\0";
    let blob_at = 64u64;
    let names_at = blob_at + blob.len() as u64;
    let shoff = (names_at + names.len() as u64).next_multiple_of(8);
    let mut out = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    out.extend(2u16.to_le_bytes()); // e_type
    out.extend(0x3eu16.to_le_bytes()); // e_machine
    out.extend(1u32.to_le_bytes());
    out.extend([0; 16]); // e_entry, e_phoff
    out.extend(shoff.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    out.extend([64, 0, 0, 0, 0, 0, 64, 0, 3, 0, 1, 0]); // sizes, counts, e_shstrndx
    out.extend(&blob);
    out.extend(names);
    out.resize(shoff as usize, 0);
    let section = |name: u32, kind: u32, offset: u64, size: u64| {
        let mut s = name.to_le_bytes().to_vec();
        s.extend(kind.to_le_bytes());
        s.extend([0; 16]); // flags, address
        s.extend(offset.to_le_bytes());
        s.extend(size.to_le_bytes());
        s.extend([0; 24]);
        s
    };
    out.extend([0; 64]);
    out.extend(section(1, 3, names_at, names.len() as u64));
    out.extend(section(11, 1, blob_at, blob.len() as u64));
    out
}

#[test]
fn every_cataloger_finds_its_own_packages_and_only_those() {
    let this_test = std::fs::read(std::env::current_exe().unwrap()).unwrap();
    let pom = "groupId=org.apache.commons\nartifactId=commons-text\nversion=1.9\n";
    let files: Vec<(usize, &str, u32, Vec<u8>)> = vec![
        (0, "/usr/lib/python3/dist-packages/six-1.16.0.egg-info", 0o644, b"Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\n".to_vec()),
        (1, "/app/node_modules/@types/node/package.json", 0o644, br#"{"name":"@types/node","version":"20.8.0"}"#.to_vec()),
        (1, "/app/package.json", 0o644, br#"{"name":"app","version":"1.0.0"}"#.to_vec()),
        (2, "/usr/local/bin/tool", 0o755, go_binary("go1.21.3", "path\texample.com/tool\nmod\texample.com/tool\tv1.0.0\t\n")),
        // This test's own executable: an ELF that holds the Go build-info magic among its
        // constants, and no audit data.
        (2, "/usr/local/bin/portcullis-test", 0o755, this_test),
        (3, "/opt/app/commons-text.jar", 0o644, stored_zip("META-INF/maven/org.apache.commons/commons-text/pom.properties", pom.as_bytes())),
        (3, "/opt/app/not-a-jar.txt", 0o644, b"nothing".to_vec()),
        (4, "/usr/local/bundle/specifications/rack-2.2.8.gemspec", 0o644, b"Gem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"2.2.8\"\nend\n".to_vec()),
        (4, "/var/www/vendor/composer/installed.json", 0o644, br#"{"packages":[{"name":"guzzlehttp/psr7","version":"2.6.1"}]}"#.to_vec()),
        (5, "/srv/Api.deps.json", 0o644, br#"{"libraries":{"Api/1.0.0":{"type":"project"},"Dapper/2.1.15":{"type":"package"}}}"#.to_vec()),
    ];
    let catalogers = language_catalogers();
    let names: Vec<&str> = catalogers.iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        ["python", "npm", "go", "rust", "java", "ruby", "php", "dotnet"]
    );

    let mut all: Vec<Package> = Vec::new();
    for cataloger in &catalogers {
        let view = View::new(cataloger.as_ref(), &files);
        let mut problems = Vec::new();
        let packages = cataloger.catalog(&view, &mut problems);
        assert!(problems.is_empty(), "{}: {problems:?}", cataloger.name());
        assert!(packages.iter().all(|p| p.cataloger == cataloger.name()));
        all.extend(packages);
    }
    let found: Vec<(Ecosystem, &str, &str, &str, Option<usize>)> = all
        .iter()
        .map(|p| {
            (
                p.ecosystem,
                p.purl.as_str(),
                p.evidence[0].as_str(),
                p.version.as_str(),
                p.layer,
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                Ecosystem::PyPI,
                "pkg:pypi/six@1.16.0",
                "/usr/lib/python3/dist-packages/six-1.16.0.egg-info",
                "1.16.0",
                Some(0)
            ),
            (
                Ecosystem::Npm,
                "pkg:npm/%40types/node@20.8.0",
                "/app/node_modules/@types/node/package.json",
                "20.8.0",
                Some(1)
            ),
            (
                Ecosystem::Go,
                "pkg:golang/example.com/tool@v1.0.0",
                "/usr/local/bin/tool",
                "v1.0.0",
                Some(2)
            ),
            (
                Ecosystem::Go,
                "pkg:golang/stdlib@v1.21.3",
                "/usr/local/bin/tool",
                "v1.21.3",
                Some(2)
            ),
            (
                Ecosystem::Maven,
                "pkg:maven/org.apache.commons/commons-text@1.9",
                "/opt/app/commons-text.jar",
                "1.9",
                Some(3)
            ),
            (
                Ecosystem::RubyGems,
                "pkg:gem/rack@2.2.8",
                "/usr/local/bundle/specifications/rack-2.2.8.gemspec",
                "2.2.8",
                Some(4)
            ),
            (
                Ecosystem::Packagist,
                "pkg:composer/guzzlehttp/psr7@2.6.1",
                "/var/www/vendor/composer/installed.json",
                "2.6.1",
                Some(4)
            ),
            (
                Ecosystem::NuGet,
                "pkg:nuget/Dapper@2.1.15",
                "/srv/Api.deps.json",
                "2.1.15",
                Some(5)
            ),
        ]
    );
    for package in &all {
        assert_eq!(
            package.source_name.as_deref().map(str::is_empty),
            Some(false)
        );
        assert_eq!(
            package.source_version.as_deref(),
            Some(package.version.as_str())
        );
    }
}
