//! Java archives: `*.jar`, `*.war`, `*.ear` (and the `.par`, `.sar`, `.jpi`, `.hpi` variants),
//! read in memory as zip files.
//!
//! Every `META-INF/maven/GROUP/ARTIFACT/pom.properties` in an archive is a package (a shaded
//! jar carries one per bundled library). An archive without any falls back to its
//! `META-INF/MANIFEST.MF`: the name from `Implementation-Title` (when it is an identifier) or
//! `Bundle-SymbolicName`, the group from `Implementation-Vendor-Id` or the symbolic name's
//! prefix, the version from `Implementation-Version` or `Bundle-Version`. Archives nested inside
//! (`BOOT-INF/lib/*.jar` of Spring Boot, `WEB-INF/lib/*.jar` of a war, the modules of an ear,
//! any `*.jar` entry) are read the same way, down to [`MAX_DEPTH`] levels and within a budget
//! of inflated bytes; their evidence is `outer.jar!/BOOT-INF/lib/inner.jar`.
//!
//! [`Cataloger::extract`] keeps the packages and problems found, not the archive. Archives
//! with neither `pom.properties` nor a usable manifest (identified by Trivy through a SHA-1
//! lookup in a 1 GB database) are not reported.
//!
//! [`Cataloger::extract`]: super::Cataloger::extract

use std::collections::BTreeSet;
use std::io::{Cursor, Read};

use serde::{Deserialize, Serialize};

use super::extract::ExtractCataloger;
use super::{purl, Ecosystem, EntryInfo, FoundIn, Package};

/// Nesting levels read: the archive itself, a jar inside it, and a jar inside that.
pub const MAX_DEPTH: usize = 3;
/// Largest nested archive inflated into memory.
pub const MAX_NESTED_SIZE: u64 = 128 << 20;
/// Bytes inflated in all for one archive from the image (nested archives and metadata files):
/// a bound against zip bombs.
pub const MAX_INFLATED_TOTAL: u64 = 1 << 30;
/// Largest `pom.properties` or `MANIFEST.MF` read.
const MAX_METADATA_SIZE: u64 = 1 << 20;
/// The smallest zip file (an empty archive's end record).
const MIN_ARCHIVE_SIZE: u64 = 22;

const EXTENSIONS: [&str; 7] = [".jar", ".war", ".ear", ".par", ".sar", ".jpi", ".hpi"];

/// Finds Maven artifacts in Java archives. See the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct JavaCataloger;

/// A package, or a problem, found at `at` inside the archive (empty: the archive itself;
/// otherwise the `!/`-separated chain of nested archives).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Found {
    #[serde(rename = "in", default, skip_serializing_if = "String::is_empty")]
    pub at: String,
    #[serde(rename = "g", default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    #[serde(rename = "a", default, skip_serializing_if = "String::is_empty")]
    pub artifact: String,
    #[serde(rename = "v", default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Whether `path` names a Java archive.
pub fn is_archive_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).as_bytes();
    EXTENSIONS.iter().any(|ext| {
        name.len() > ext.len()
            && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
    })
}

/// `key=value` (or `key: value`) lines of a Java properties file; comments skipped.
fn properties(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim_start)
        .filter(|line| !line.is_empty() && !line.starts_with(['#', '!']))
        .filter_map(|line| {
            let split = line.find(['=', ':'])?;
            Some((
                line[..split].trim().to_string(),
                line[split + 1..].trim().to_string(),
            ))
        })
        .collect()
}

/// The main section of a manifest: `Name: value` headers, continuation lines (starting with
/// one space) joined without the space.
fn manifest_main(text: &str) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if let Some(more) = line.strip_prefix(' ') {
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(more);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    headers
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 256
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn is_version(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 128
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `(group, artifact, version)` from a manifest's main section, when it identifies one.
fn from_manifest(headers: &[(String, String)]) -> Option<(String, String, String)> {
    let version = get(headers, "Implementation-Version")
        .or_else(|| get(headers, "Bundle-Version"))
        .filter(|v| is_version(v))?;
    let vendor_id = get(headers, "Implementation-Vendor-Id").filter(|g| is_identifier(g));
    let symbolic = get(headers, "Bundle-SymbolicName")
        .map(|name| name.split(';').next().unwrap_or_default().trim())
        .filter(|name| is_identifier(name));
    let title = get(headers, "Implementation-Title").filter(|t| is_identifier(t));
    let (group, artifact) = match (title, symbolic) {
        (Some(title), _) => {
            let group = vendor_id
                .or_else(|| symbolic.and_then(|s| s.strip_suffix(title)?.strip_suffix('.')))
                .unwrap_or_default();
            (group, title)
        }
        (None, Some(symbolic)) => {
            match vendor_id.and_then(|v| symbolic.strip_prefix(v)?.strip_prefix('.')) {
                Some(rest) => (vendor_id.unwrap_or_default(), rest),
                None => symbolic.rsplit_once('.').unwrap_or(("", symbolic)),
            }
        }
        (None, None) => return None,
    };
    Some((group.to_string(), artifact.to_string(), version.to_string()))
}

/// Reads archives in memory, keeping the budget across nesting levels.
struct Reader {
    inflated: u64,
    found: Vec<Found>,
}

impl Reader {
    fn problem(&mut self, at: &str, problem: String) {
        self.found.push(Found {
            at: at.to_string(),
            problem: Some(problem),
            ..Found::default()
        });
    }

    /// Reads entry `index` fully, within `limit` and the total budget.
    fn read_entry<R: Read + std::io::Seek>(
        &mut self,
        archive: &mut zip::ZipArchive<R>,
        index: usize,
        limit: u64,
    ) -> Result<Vec<u8>, String> {
        let budget = MAX_INFLATED_TOTAL.saturating_sub(self.inflated);
        let mut entry = archive.by_index(index).map_err(|err| err.to_string())?;
        if entry.size() > limit {
            return Err(format!(
                "{} bytes, more than the {limit} read",
                entry.size()
            ));
        }
        let mut bytes = Vec::new();
        let cap = limit.min(budget);
        (&mut entry)
            .take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|err| err.to_string())?;
        self.inflated += bytes.len() as u64;
        if bytes.len() as u64 > cap {
            return Err(if cap < limit {
                format!("the archive inflates to more than {MAX_INFLATED_TOTAL} bytes")
            } else {
                format!("inflates to more than the {limit} bytes read")
            });
        }
        Ok(bytes)
    }

    fn archive(&mut self, bytes: &[u8], at: &str, depth: usize) {
        let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(archive) => archive,
            Err(err) => return self.problem(at, format!("not a readable zip archive: {err}")),
        };
        let mut poms = Vec::new();
        let mut manifest = None;
        let mut nested = Vec::new();
        for index in 0..archive.len() {
            let Ok(entry) = archive.by_index_raw(index) else {
                continue;
            };
            if entry.is_dir() {
                continue;
            }
            let name = entry.name().to_string();
            let segments: Vec<&str> = name.split('/').collect();
            if let ["META-INF", "maven", group, artifact, "pom.properties"] = segments.as_slice() {
                poms.push((index, group.to_string(), artifact.to_string(), name.clone()));
            } else if name.eq_ignore_ascii_case("META-INF/MANIFEST.MF") {
                manifest = Some(index);
            } else if is_archive_path(&name) {
                nested.push((index, name));
            }
        }
        let mut identified = false;
        for (index, path_group, path_artifact, name) in poms {
            let text = match self.read_entry(&mut archive, index, MAX_METADATA_SIZE) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(err) => {
                    self.problem(at, format!("{name}: {err}"));
                    continue;
                }
            };
            let props = properties(&text);
            let group = get(&props, "groupId").unwrap_or(&path_group);
            let artifact = get(&props, "artifactId").unwrap_or(&path_artifact);
            match get(&props, "version") {
                Some(version)
                    if is_identifier(group) && is_identifier(artifact) && is_version(version) =>
                {
                    identified = true;
                    self.found.push(Found {
                        at: at.to_string(),
                        group: group.to_string(),
                        artifact: artifact.to_string(),
                        version: version.to_string(),
                        problem: None,
                    });
                }
                _ => self.problem(
                    at,
                    format!("{name}: no valid groupId, artifactId and version"),
                ),
            }
        }
        if let (false, Some(index)) = (identified, manifest) {
            if let Ok(bytes) = self.read_entry(&mut archive, index, MAX_METADATA_SIZE) {
                if let Some((group, artifact, version)) =
                    from_manifest(&manifest_main(&String::from_utf8_lossy(&bytes)))
                {
                    self.found.push(Found {
                        at: at.to_string(),
                        group,
                        artifact,
                        version,
                        problem: None,
                    });
                }
            }
        }
        if depth + 1 >= MAX_DEPTH {
            return;
        }
        for (index, name) in nested {
            let inner_at = if at.is_empty() {
                name.clone()
            } else {
                format!("{at}!/{name}")
            };
            match self.read_entry(&mut archive, index, MAX_NESTED_SIZE) {
                Ok(bytes) => self.archive(&bytes, &inner_at, depth + 1),
                Err(err) => self.problem(&inner_at, err),
            }
        }
    }
}

fn scan_unguarded(bytes: &[u8]) -> Vec<Found> {
    let mut reader = Reader {
        inflated: 0,
        found: Vec::new(),
    };
    reader.archive(bytes, "", 0);
    reader.found
}

/// What an archive holds: packages and problems, by location inside it.
pub fn scan_archive(bytes: &[u8]) -> Vec<Found> {
    // The zip reader is third-party code facing hostile input: a panic in it becomes a problem
    // for this archive, not the end of the scan.
    let scanned = std::panic::catch_unwind(|| scan_unguarded(bytes));
    let mut found = scanned.unwrap_or_else(|_| {
        vec![Found {
            problem: Some("the zip reader failed on this archive".into()),
            ..Found::default()
        }]
    });
    let mut seen = BTreeSet::new();
    found.retain(|f| seen.insert(f.clone()));
    found
}

impl ExtractCataloger for JavaCataloger {
    const NAME: &'static str = "java";
    type Record = Vec<Found>;

    fn wants_file(&self, entry: &EntryInfo<'_>) -> bool {
        // No upper bound: the layer walk's limit on scanned files applies (and is reported).
        entry.size >= MIN_ARCHIVE_SIZE && is_archive_path(entry.path)
    }

    fn is_candidate(&self, path: &str) -> bool {
        is_archive_path(path)
    }

    fn record(&self, _path: &str, bytes: &[u8]) -> Option<Result<Vec<Found>, String>> {
        let found = scan_archive(bytes);
        (!found.is_empty()).then_some(Ok(found))
    }

    fn packages(
        &self,
        findings: Vec<Found>,
        found_in: FoundIn<'_>,
        problems: &mut Vec<String>,
    ) -> Vec<Package> {
        let mut packages = Vec::new();
        for found in findings {
            let evidence = if found.at.is_empty() {
                found_in.evidence.to_string()
            } else {
                format!("{}!/{}", found_in.evidence, found.at)
            };
            if let Some(problem) = found.problem {
                problems.push(format!("{evidence}: {problem}"));
                continue;
            }
            let name = if found.group.is_empty() {
                found.artifact.clone()
            } else {
                format!("{}:{}", found.group, found.artifact)
            };
            let purl = purl(
                "maven",
                Some(&found.group),
                &found.artifact,
                &found.version,
                &[],
            );
            let found_in = FoundIn {
                evidence: &evidence,
                ..found_in
            };
            packages.push(found_in.package(Ecosystem::Maven, name, found.version, purl));
        }
        packages
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::io::Write;
    use std::path::Path;
    use std::process::Command;

    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;

    use super::super::testing::TestImage;
    use super::super::{Cataloger, Want};
    use super::*;

    fn pom(group: &str, artifact: &str, version: &str) -> String {
        format!(
            "#Generated by Maven\n#Tue Oct 10 12:00:00 UTC 2023\nartifactId={artifact}\n\
             groupId={group}\nversion={version}\n"
        )
    }

    /// A zip archive of `(name, content, stored)` entries.
    fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content, stored) in entries {
            let method = if *stored {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            };
            writer
                .start_file(
                    *name,
                    SimpleFileOptions::default().compression_method(method),
                )
                .unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn library(group: &str, artifact: &str, version: &str) -> Vec<u8> {
        let pom_path = format!("META-INF/maven/{group}/{artifact}/pom.properties");
        zip(&[
            (
                "META-INF/MANIFEST.MF",
                b"Manifest-Version: 1.0\r\n\r\n",
                false,
            ),
            (&pom_path, pom(group, artifact, version).as_bytes(), false),
            (
                "org/example/Library.class",
                &[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61],
                false,
            ),
        ])
    }

    fn ids(packages: &[Package]) -> Vec<(&str, &str, &str, &str)> {
        packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.purl.as_str(),
                    p.evidence[0].as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn a_spring_boot_jar_and_its_nested_libraries() {
        let log4j = library("org.apache.logging.log4j", "log4j-core", "2.14.1");
        let spring = library("org.springframework", "spring-core", "5.3.20");
        let app = zip(&[
            (
                "META-INF/MANIFEST.MF",
                b"Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.JarLauncher\n",
                false,
            ),
            (
                "META-INF/maven/com.acme/shop/pom.properties",
                pom("com.acme", "shop", "1.4.0").as_bytes(),
                false,
            ),
            (
                "BOOT-INF/classes/com/acme/Shop.class",
                b"\xca\xfe\xba\xbe",
                false,
            ),
            ("BOOT-INF/lib/", b"", true),
            ("BOOT-INF/lib/log4j-core-2.14.1.jar", &log4j, true),
            ("BOOT-INF/lib/spring-core-5.3.20.jar", &spring, true),
        ]);
        let image = TestImage::new().file(3, "/app/shop.jar", &app);
        let (packages, problems) = image.run(&JavaCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            ids(&packages),
            vec![
                (
                    "com.acme:shop",
                    "1.4.0",
                    "pkg:maven/com.acme/shop@1.4.0",
                    "/app/shop.jar"
                ),
                (
                    "org.apache.logging.log4j:log4j-core",
                    "2.14.1",
                    "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                    "/app/shop.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar"
                ),
                (
                    "org.springframework:spring-core",
                    "5.3.20",
                    "pkg:maven/org.springframework/spring-core@5.3.20",
                    "/app/shop.jar!/BOOT-INF/lib/spring-core-5.3.20.jar"
                ),
            ]
        );
        assert!(packages
            .iter()
            .all(|p| p.layer == Some(3) && p.ecosystem == Ecosystem::Maven));
        // The extract is what was found, not the archive.
        let extract = JavaCataloger.extract("/app/shop.jar", &app).unwrap();
        assert!(extract.len() < 400, "{}", extract.len());
    }

    #[test]
    fn an_ear_holding_a_war_holding_jars_and_a_shaded_jar() {
        let shaded = zip(&[
            (
                "META-INF/maven/com.acme/tool/pom.properties",
                pom("com.acme", "tool", "2.0").as_bytes(),
                false,
            ),
            (
                "META-INF/maven/com.google.guava/guava/pom.properties",
                pom("com.google.guava", "guava", "31.1-jre").as_bytes(),
                false,
            ),
        ]);
        // Three levels below the ear would be a fourth level: not read.
        let deep = zip(&[("lib/deeper.jar", &library("x", "too-deep", "1"), true)]);
        let jackson = library("com.fasterxml.jackson.core", "jackson-databind", "2.13.0");
        let war = zip(&[
            ("WEB-INF/web.xml", b"<web-app/>", false),
            ("WEB-INF/lib/tool.jar", &shaded, false),
            ("WEB-INF/lib/jackson.jar", &jackson, false),
            ("WEB-INF/lib/wrapper.jar", &deep, true),
        ]);
        let ear = zip(&[
            ("META-INF/application.xml", b"<application/>", false),
            ("shop.war", &war, true),
        ]);
        let (packages, problems) = TestImage::new()
            .file(0, "/opt/app.ear", &ear)
            .run(&JavaCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        let found: BTreeSet<(&str, &str)> = packages
            .iter()
            .map(|p| (p.name.as_str(), p.evidence[0].as_str()))
            .collect();
        assert_eq!(
            found,
            BTreeSet::from([
                (
                    "com.acme:tool",
                    "/opt/app.ear!/shop.war!/WEB-INF/lib/tool.jar"
                ),
                (
                    "com.google.guava:guava",
                    "/opt/app.ear!/shop.war!/WEB-INF/lib/tool.jar"
                ),
                (
                    "com.fasterxml.jackson.core:jackson-databind",
                    "/opt/app.ear!/shop.war!/WEB-INF/lib/jackson.jar"
                ),
            ])
        );
    }

    #[test]
    fn the_manifest_identifies_archives_without_pom_properties() {
        let lang3 = "Manifest-Version: 1.0\r\nImplementation-Title: Apache Commons Lang\r\n\
            Implementation-Version: 3.12.0\r\nBundle-SymbolicName: org.apache.commons.lang3\r\n\
            Bundle-Version: 3.12.0\r\nExport-Package: org.apache.commons.lang3;version=\"3.1\r\n 2.0\"\r\n\r\n\
            Name: org/apache/commons/lang3/\r\nImplementation-Version: 9.9\r\n";
        let titled = "Manifest-Version: 1.0\nImplementation-Title: jetty-util\n\
            Implementation-Vendor-Id: org.eclipse.jetty\nImplementation-Version: 9.4.51.v20230217\n";
        let bundle = "Manifest-Version: 1.0\nBundle-SymbolicName: com.fasterxml.jackson.core.jackson-\n databind; singleton:=true\nBundle-Version: 2.15.2\n";
        let anonymous = "Manifest-Version: 1.0\nCreated-By: 17.0.15 (Debian)\n";
        let image = TestImage::new()
            .file(
                0,
                "/usr/share/java/commons-lang3.jar",
                zip(&[("META-INF/MANIFEST.MF", lang3.as_bytes(), false)]),
            )
            .file(
                0,
                "/opt/jetty/lib/jetty-util.jar",
                zip(&[("META-INF/MANIFEST.MF", titled.as_bytes(), false)]),
            )
            .file(
                0,
                "/opt/lib/jackson.jar",
                zip(&[("META-INF/MANIFEST.MF", bundle.as_bytes(), false)]),
            )
            .file(
                0,
                "/opt/lib/anonymous.jar",
                zip(&[("META-INF/MANIFEST.MF", anonymous.as_bytes(), false)]),
            );
        let (packages, problems) = image.run(&JavaCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            ids(&packages),
            vec![
                (
                    "org.eclipse.jetty:jetty-util",
                    "9.4.51.v20230217",
                    "pkg:maven/org.eclipse.jetty/jetty-util@9.4.51.v20230217",
                    "/opt/jetty/lib/jetty-util.jar"
                ),
                (
                    "com.fasterxml.jackson.core:jackson-databind",
                    "2.15.2",
                    "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2",
                    "/opt/lib/jackson.jar"
                ),
                (
                    "org.apache.commons:lang3",
                    "3.12.0",
                    "pkg:maven/org.apache.commons/lang3@3.12.0",
                    "/usr/share/java/commons-lang3.jar"
                ),
            ]
        );
    }

    #[test]
    fn broken_archives_are_problems_and_never_panic() {
        let good = zip(&[
            (
                "META-INF/maven/g/a/pom.properties",
                pom("g", "a", "1").as_bytes(),
                false,
            ),
            ("lib/inner.jar", &library("g", "inner", "2"), false),
        ]);
        let truncated = good[..good.len() / 2].to_vec();
        let outer_with_broken_inner =
            zip(&[("lib/broken.jar", b"PK\x03\x04 not really a zip", true)]);
        let bad_pom = zip(&[(
            "META-INF/maven/g/a/pom.properties",
            b"groupId=g\nartifactId=a\n",
            false,
        )]);
        let image = TestImage::new()
            .file(0, "/a/truncated.jar", &truncated)
            .file(0, "/a/text.war", "this is not a zip file at all, only text")
            .file(0, "/a/outer.jar", &outer_with_broken_inner)
            .file(0, "/a/nopom.jar", &bad_pom)
            .file(0, "/a/tiny.jar", "PK");
        let (packages, problems) = image.run(&JavaCataloger);
        assert!(packages.is_empty(), "{packages:?}");
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(
            problems[0].starts_with("/a/nopom.jar: META-INF/maven/g/a/pom.properties: no valid")
        );
        assert!(problems[1].starts_with("/a/outer.jar!/lib/broken.jar: not a readable zip archive"));
        assert!(problems[2].starts_with("/a/text.war: not a readable zip archive"));
        assert!(problems[3].starts_with("/a/truncated.jar: not a readable zip archive"));

        let mut state = 0x1234_5678_9abc_def1_u64;
        for round in 0..3000 {
            let mut bytes = good.clone();
            for _ in 0..(1 + round % 6) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state as usize) % bytes.len();
                bytes[at] = [0, 0xff, 0x80, (state >> 24) as u8][round % 4];
            }
            // Unguarded: a panic here fails the test rather than becoming a problem.
            let _ = scan_unguarded(&bytes);
        }
        for cut in 0..good.len() {
            let _ = scan_unguarded(&good[..cut]);
        }
    }

    #[test]
    fn a_zip_bomb_stops_at_the_bounds() {
        let zeros = vec![0u8; (MAX_METADATA_SIZE + 1) as usize];
        let bomb = zip(&[("META-INF/maven/g/a/pom.properties", &zeros, false)]);
        assert!(bomb.len() < 10_000);
        let found = scan_archive(&bomb);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].problem.as_deref().unwrap().contains("more than"),
            "{found:?}"
        );
    }

    #[test]
    fn only_archives_are_wanted() {
        let entry = |path, size| EntryInfo {
            path,
            size,
            mode: 0o644,
        };
        let c = JavaCataloger;
        for path in ["/a/x.jar", "/a/X.JAR", "/a/x.war", "/a/x.ear", "/a/x.hpi"] {
            assert_eq!(c.wants(&entry(path, 1000)), Want::Extract, "{path}");
        }
        assert_eq!(c.wants(&entry("/a/x.jar", u64::MAX)), Want::Extract);
        assert_eq!(c.wants(&entry("/a/x.jar", 0)), Want::No);
        assert_eq!(c.wants(&entry("/a/.jar", 1000)), Want::No);
        assert_eq!(c.wants(&entry("/a/x.jar.sha1", 1000)), Want::No);
        assert_eq!(c.wants(&entry("/a/x.zip", 1000)), Want::No);
    }

    fn require(tool: &str) -> bool {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        let present = Command::new(tool).arg("--version").output().is_ok();
        assert!(present || !ci, "{tool} is missing under CI");
        if !present {
            eprintln!("skipped: no {tool}");
        }
        present
    }

    /// Archives made by the JDK's own `jar` tool: a library with pom.properties, and a
    /// Spring-Boot-shaped jar holding it uncompressed (`jar --no-compress`), behind a launch
    /// script as Spring Boot's "fully executable" jars have.
    #[test]
    fn archives_made_by_the_jdk_jar_tool() {
        if !require("jar") {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let lib = root.join("lib");
        let pom_dir = lib.join("META-INF/maven/org.yaml/snakeyaml");
        std::fs::create_dir_all(&pom_dir).unwrap();
        std::fs::write(
            pom_dir.join("pom.properties"),
            pom("org.yaml", "snakeyaml", "1.33"),
        )
        .unwrap();
        std::fs::create_dir_all(lib.join("org/yaml")).unwrap();
        std::fs::write(lib.join("org/yaml/Yaml.class"), [0xca, 0xfe, 0xba, 0xbe]).unwrap();
        let run = |args: &[&str]| {
            let status = Command::new("jar")
                .args(args)
                .current_dir(root)
                .status()
                .unwrap();
            assert!(status.success(), "jar {args:?}");
        };
        run(&["--create", "--file", "snakeyaml-1.33.jar", "-C", "lib", "."]);
        std::fs::create_dir_all(root.join("app/BOOT-INF/lib")).unwrap();
        std::fs::copy(
            root.join("snakeyaml-1.33.jar"),
            root.join("app/BOOT-INF/lib/snakeyaml-1.33.jar"),
        )
        .unwrap();
        run(&[
            "--create",
            "--no-compress",
            "--file",
            "app.jar",
            "-C",
            "app",
            ".",
        ]);
        let mut launchable =
            b"#!/bin/bash\n# launch script\nexec java -jar \"$0\" \"$@\"\n".to_vec();
        launchable.extend(std::fs::read(root.join("app.jar")).unwrap());

        let image = TestImage::new()
            .file(
                0,
                "/usr/share/java/snakeyaml.jar",
                std::fs::read(root.join("snakeyaml-1.33.jar")).unwrap(),
            )
            .file(
                1,
                "/app/app.jar",
                std::fs::read(root.join("app.jar")).unwrap(),
            )
            .file(1, "/app/launch.jar", launchable);
        let (packages, problems) = image.run(&JavaCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        let found: Vec<(&str, &str)> = packages
            .iter()
            .map(|p| (p.name.as_str(), p.evidence[0].as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "org.yaml:snakeyaml",
                    "/app/app.jar!/BOOT-INF/lib/snakeyaml-1.33.jar"
                ),
                (
                    "org.yaml:snakeyaml",
                    "/app/launch.jar!/BOOT-INF/lib/snakeyaml-1.33.jar"
                ),
                ("org.yaml:snakeyaml", "/usr/share/java/snakeyaml.jar"),
            ]
        );
    }

    /// The jars Debian ships in `/usr/share/java` (built by Maven): every `pom.properties`
    /// that Python's own zip reader finds there is a package, with the same version.
    #[test]
    fn debian_jars_equal_what_python_zipfile_reads() {
        let dir = Path::new("/usr/share/java");
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        if !dir.is_dir() {
            assert!(!ci, "{} is missing under CI", dir.display());
            eprintln!("skipped: no {}", dir.display());
            return;
        }
        if !require("python3") {
            return;
        }
        let script = "import os, sys, zipfile\n\
            d = sys.argv[1]\n\
            for n in sorted(os.listdir(d)):\n\
            \x20   p = os.path.join(d, n)\n\
            \x20   if os.path.islink(p) or not n.endswith('.jar'): continue\n\
            \x20   z = zipfile.ZipFile(p)\n\
            \x20   for e in z.namelist():\n\
            \x20       s = e.split('/')\n\
            \x20       if len(s) == 5 and s[:2] == ['META-INF', 'maven'] and s[4] == 'pom.properties':\n\
            \x20           kv = dict(l.split('=', 1) for l in z.read(e).decode().splitlines() if '=' in l and not l.startswith('#'))\n\
            \x20           print(p, kv['groupId'].strip() + ':' + kv['artifactId'].strip() + '@' + kv['version'].strip())\n";
        let out = Command::new("python3")
            .args(["-c", script])
            .arg(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        assert!(!expected.is_empty());
        let with_pom: BTreeSet<&str> = expected
            .iter()
            .filter_map(|l| l.split(' ').next())
            .collect();

        let mut image = TestImage::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_file())
                && is_archive_path(&path.to_string_lossy())
            {
                image = image.file(0, &path.to_string_lossy(), std::fs::read(&path).unwrap());
            }
        }
        let (packages, problems) = image.run(&JavaCataloger);
        assert!(problems.is_empty(), "{problems:?}");
        let found: BTreeSet<String> = packages
            .iter()
            .filter(|p| with_pom.contains(p.evidence[0].as_str()))
            .map(|p| format!("{} {}@{}", p.evidence[0], p.name, p.version))
            .collect();
        assert_eq!(found, expected);
    }
}
