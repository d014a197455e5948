//! `portcullis scan` end to end on a real Debian 12 image.
//!
//! The image is built here from the debootstrap root `scripts/testbed.sh` makes
//! (`PORTCULLIS_TEST_DEBIAN_ROOTFS`): layer 0 is that root, layer 1 copies a real `.deb`
//! (`PORTCULLIS_TEST_DEBS/netbase.deb`), layer 2 installs it with `dpkg -i` in a chroot, each
//! recorded in the history as BuildKit writes it. It is packed as an OCI layout by umoci and
//! copied to an OCI archive and a docker-archive by skopeo. The oracle is `dpkg-query` run on
//! the same root. The same image is also pulled from a real registry with basic auth and
//! exported by a real dockerd. Needs root, umoci, skopeo, docker-registry, htpasswd and
//! docker.io; under `CI=true` anything missing fails.

mod common;
#[path = "common/image_services.rs"]
mod services;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{json_schema_errors, portcullis, shared_file, unavailable, xmllint_validate};
use serde_json::Value;

const DOCKERFILE: &str = "FROM debian:12\nCOPY netbase.deb /tmp/\nRUN dpkg -i /tmp/netbase.deb\n";

fn env_dir(name: &str) -> Option<PathBuf> {
    match std::env::var_os(name).map(PathBuf::from) {
        Some(dir) if dir.is_dir() => Some(dir),
        _ => unavailable(format!(
            "{name} is not set to a directory: run scripts/testbed.sh"
        )),
    }
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e} (is it installed?)"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Builds the three-layer image; returns the references of its three packings and the root of
/// the final filesystem (for the oracle).
struct Built {
    references: Vec<String>,
    dockerfile: PathBuf,
    final_root: PathBuf,
}

/// The image, built once per test run and shared by the tests (building it is most of their
/// time). It lives under cargo's per-target temporary directory.
fn built() -> Option<&'static Built> {
    static BUILT: std::sync::OnceLock<Option<Built>> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let (rootfs, debs) = prerequisites()?;
            Some(build(&rootfs, &debs))
        })
        .as_ref()
}

fn build(rootfs: &Path, debs: &Path) -> Built {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scan-image");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    let layout = dir.join("layout");
    let bundle = dir.join("bundle");
    let (layout_s, bundle_s) = (layout.to_str().unwrap(), bundle.to_str().unwrap());
    let image = format!("{layout_s}:app");
    let repack = |created_by: &str| {
        run(
            "umoci",
            &[
                "repack",
                "--refresh-bundle",
                "--image",
                &image,
                "--history.created_by",
                created_by,
                bundle_s,
            ],
        );
    };
    run("umoci", &["init", "--layout", layout_s]);
    run("umoci", &["new", "--image", &image]);
    run("umoci", &["unpack", "--image", &image, bundle_s]);
    let root = bundle.join("rootfs");
    run(
        "cp",
        &[
            "-a",
            &format!("{}/.", rootfs.display()),
            root.to_str().unwrap(),
        ],
    );
    std::fs::remove_file(root.join(".complete")).ok();
    repack("/bin/sh -c #(nop) ADD file:debian-12-minbase in / ");
    std::fs::copy(debs.join("netbase.deb"), root.join("tmp/netbase.deb")).unwrap();
    repack("COPY netbase.deb /tmp/ # buildkit");
    run(
        "chroot",
        &[root.to_str().unwrap(), "dpkg", "-i", "/tmp/netbase.deb"],
    );
    repack("RUN /bin/sh -c dpkg -i /tmp/netbase.deb # buildkit");

    let oci_archive = dir.join("app-oci.tar");
    let docker_archive = dir.join("app-docker.tar");
    for dest in [
        format!("oci-archive:{}:app", oci_archive.display()),
        format!("docker-archive:{}:app:latest", docker_archive.display()),
    ] {
        run(
            "skopeo",
            &[
                "--insecure-policy",
                "copy",
                "-q",
                &format!("oci:{image}"),
                &dest,
            ],
        );
    }
    let dockerfile = dir.join("Dockerfile");
    std::fs::write(&dockerfile, DOCKERFILE).unwrap();
    Built {
        references: vec![
            format!("oci:{image}"),
            format!("oci-archive:{}:app", oci_archive.display()),
            format!("docker-archive:{}", docker_archive.display()),
        ],
        dockerfile,
        final_root: root,
    }
}

/// `(name, version, source name, source version)` of every installed package, by dpkg itself.
fn dpkg_query(root: &Path) -> BTreeSet<(String, String, String, String)> {
    let admin = root.join("var/lib/dpkg");
    let listing = run(
        "dpkg-query",
        &[
            &format!("--admindir={}", admin.display()),
            "-W",
            "-f",
            "${db:Status-Abbrev}\t${Package}\t${Version}\t${source:Package}\t${source:Version}\n",
        ],
    );
    listing
        .lines()
        .filter(|l| l.starts_with("ii"))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[1].into(), f[2].into(), f[3].into(), f[4].into())
        })
        .collect()
}

/// The source version dpkg reports for an installed package.
fn installed_version(truth: &BTreeSet<(String, String, String, String)>, package: &str) -> String {
    truth
        .iter()
        .find(|p| p.0 == package)
        .map(|p| p.3.clone())
        .unwrap_or_else(|| panic!("{package} is not installed"))
}

fn debian_packages(image: &Value) -> BTreeSet<(String, String, String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    image["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["ecosystem"] == "Debian")
        .map(|p| {
            (
                s(&p["name"]),
                s(&p["version"]),
                s(&p["source_name"]),
                s(&p["source_version"]),
            )
        })
        .collect()
}

fn prerequisites() -> Option<(PathBuf, PathBuf)> {
    let rootfs = env_dir("PORTCULLIS_TEST_DEBIAN_ROOTFS")?;
    let debs = env_dir("PORTCULLIS_TEST_DEBS")?;
    for (tool, package) in [
        ("umoci", "umoci"),
        ("skopeo", "skopeo"),
        ("dpkg-query", "dpkg"),
    ] {
        if Command::new(tool).arg("--version").output().is_err() {
            return unavailable(format!("{tool} not found (Debian package {package})"));
        }
    }
    Some((rootfs, debs))
}

#[test]
fn the_inventory_equals_dpkg_query_from_every_source_with_layers_and_dockerfile_lines() {
    let Some(built) = built() else {
        return;
    };
    let truth = dpkg_query(&built.final_root);
    assert!(
        truth.len() > 80,
        "the oracle lists {} packages",
        truth.len()
    );
    assert!(truth.iter().any(|p| p.0 == "netbase"));

    let out = tempfile::tempdir().unwrap();
    let json_path = out.path().join("scan.json");
    let sbom_path = out.path().join("sbom.json");
    let sarif_path = out.path().join("scan.sarif");
    let junit_path = out.path().join("scan.xml");
    let mut args: Vec<String> = built.references.clone();
    args.extend(
        [
            format!("json={}", json_path.display()),
            format!("sbom-cyclonedx={}", sbom_path.display()),
            format!("sarif={}", sarif_path.display()),
            format!("junit={}", junit_path.display()),
        ]
        .into_iter()
        .flat_map(|f| ["-f".to_owned(), f]),
    );
    args.extend([
        "--dockerfile".to_owned(),
        built.dockerfile.display().to_string(),
    ]);
    // The docker-archive's layers are hashed too: the real archive passes its own digests.
    args.push("--verify-digests".to_owned());
    let advisories = tempfile::tempdir().unwrap();
    let netbase_version = installed_version(&truth, "netbase");
    write_advisory(
        advisories.path(),
        "x_test-netbase",
        "CVE-2099-0001",
        "netbase",
        "999",
    );
    write_advisory(
        advisories.path(),
        "x_test-bash",
        "CVE-2099-0002",
        "bash",
        "999",
    );
    // Fixed in the installed version: must not match.
    write_advisory(
        advisories.path(),
        "x_test-fixed",
        "CVE-2099-0003",
        "netbase",
        &netbase_version,
    );
    args.extend(["--offline".to_owned(), "--db".to_owned()]);
    args.push(advisories.path().display().to_string());
    let output = portcullis().arg("scan").args(&args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let images = report["images"].as_array().unwrap();
    assert_eq!(images.len(), 3);
    for image in images {
        // Package for package, version for version, source for source.
        assert_eq!(debian_packages(image), truth, "{}", image["reference"]);
        assert_eq!(image["distro"]["id"], "debian");
        assert_eq!(image["distro"]["version_id"], "12");
        let packages = image["packages"].as_array().unwrap();
        let netbase = packages.iter().find(|p| p["name"] == "netbase").unwrap();
        assert_eq!(netbase["layer"], 2, "installed by the RUN layer");
        assert_eq!(netbase["dockerfile"]["line"], 3);
        assert_eq!(netbase["dockerfile"]["base"], false);
        assert_eq!(netbase["layer_digest"], image["layers"][2]["digest"]);
        let bash = packages.iter().find(|p| p["name"] == "bash").unwrap();
        assert_eq!(bash["layer"], 0);
        assert_eq!(bash["dockerfile"]["line"], 1);
        assert_eq!(bash["dockerfile"]["base"], true);
        assert!(
            bash["purl"]
                .as_str()
                .unwrap()
                .starts_with("pkg:deb/debian/bash@"),
            "{}",
            bash["purl"]
        );
        assert!(bash["purl"].as_str().unwrap().contains("distro=debian-12"));
        assert_eq!(bash["evidence"][0], "/var/lib/dpkg/status");
        // The Debian-managed Python of minbase has no dist-packages, but apt's own tools are
        // all dpkg: nothing else should be invented.
        assert!(
            packages.iter().all(|p| p["ecosystem"] == "Debian"),
            "only dpkg packages in minbase"
        );
    }
    // The same image read three ways gives the same layers.
    let digests = |i: usize| {
        images[i]["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["diff_id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(digests(0), digests(1));
    assert_eq!(digests(0), digests(2));

    let schema = |relative: &str| shared_file(relative);
    let sbom: Value = serde_json::from_str(&std::fs::read_to_string(&sbom_path).unwrap()).unwrap();
    if let Some(cdx) = schema("schemas/cyclonedx/bom-1.5.schema.json") {
        let errors = json_schema_errors(&cdx, &sbom);
        assert!(errors.is_empty(), "CycloneDX: {errors:#?}");
    }
    // Three images: each is a container component with its packages nested.
    assert_eq!(sbom["components"].as_array().unwrap().len(), 3);
    // One entry per vulnerability, however many images hold the package.
    let sbom_vulnerabilities: Vec<&str> = sbom["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(sbom_vulnerabilities, ["CVE-2099-0001", "CVE-2099-0002"]);
    // bom-refs are unique across the BOM, and every affected component is one of them.
    let mut refs: Vec<&str> = Vec::new();
    for image in sbom["components"].as_array().unwrap() {
        refs.push(image["bom-ref"].as_str().unwrap());
        for package in image["components"].as_array().unwrap() {
            refs.push(package["bom-ref"].as_str().unwrap());
        }
    }
    let unique: BTreeSet<&str> = refs.iter().copied().collect();
    assert_eq!(unique.len(), refs.len(), "duplicate bom-refs");
    for vulnerability in sbom["vulnerabilities"].as_array().unwrap() {
        let affects = vulnerability["affects"].as_array().unwrap();
        assert_eq!(affects.len(), 3, "one affected component per image");
        for affected in affects {
            assert!(unique.contains(affected["ref"].as_str().unwrap()));
        }
    }
    assert_eq!(
        sbom["components"][0]["components"]
            .as_array()
            .unwrap()
            .len(),
        truth.len()
    );

    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    if let Some(sarif_schema) = schema("schemas/sarif/sarif-schema-2.1.0.json") {
        let errors = json_schema_errors(&sarif_schema, &sarif);
        assert!(errors.is_empty(), "SARIF: {errors:#?}");
    }
    assert_eq!(
        sarif["runs"][0]["automationDetails"]["id"],
        "portcullis/image/"
    );
    // One result per (vulnerability, package, image), on the line that installed the package.
    let (results, hygiene): (Vec<&Value>, Vec<&Value>) = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .partition(|r| r["ruleId"].as_str().unwrap().starts_with("CVE-"));
    assert_eq!(results.len(), 6, "2 vulnerabilities in 3 images");
    // Image hygiene: the built image sets no USER and no HEALTHCHECK (its setuid files are the
    // expected account tools), which concern the image, not a Dockerfile line.
    let mut hygiene_rules: Vec<&str> = hygiene
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    hygiene_rules.sort_unstable();
    assert_eq!(
        hygiene_rules,
        ["PC1001", "PC1001", "PC1001", "PC4002", "PC4002", "PC4002"]
    );
    for result in &hygiene {
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.ends_with("Dockerfile"), "{location}");
    }
    for result in results {
        let location = &result["locations"][0]["physicalLocation"];
        assert!(
            location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .ends_with("Dockerfile"),
            "{location}"
        );
        let line = location["region"]["startLine"].as_u64().unwrap();
        match result["ruleId"].as_str().unwrap() {
            "CVE-2099-0001" => assert_eq!(line, 3, "netbase came with RUN dpkg -i"),
            "CVE-2099-0002" => assert_eq!(line, 1, "bash came with the base image"),
            other => panic!("unexpected {other}"),
        }
    }
    for image in images {
        let found: BTreeSet<(&str, &str)> = image["vulnerabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["package_name"].as_str().unwrap(),
                    v["id"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            found,
            BTreeSet::from([("netbase", "CVE-2099-0001"), ("bash", "CVE-2099-0002")])
        );
    }
    if let Some(xsd) = schema("schemas/junit/junit-10.xsd") {
        if let Some(result) = xmllint_validate(&xsd, &std::fs::read_to_string(&junit_path).unwrap())
        {
            result.unwrap();
        }
    }
}

#[test]
fn one_sbom_for_one_image_and_text_shows_the_inventory() {
    let Some(built) = built() else {
        return;
    };
    let reference = &built.references[2];
    let output = portcullis()
        .args([
            "scan",
            reference,
            "--no-vulns",
            "-f",
            "sbom-cyclonedx",
            "-f",
            "text=-",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json_end = stdout.find("\n}\n").unwrap() + 3;
    let sbom: Value = serde_json::from_str(&stdout[..json_end]).unwrap();
    assert_eq!(sbom["metadata"]["component"]["type"], "container");
    assert_eq!(sbom["metadata"]["component"]["name"], reference.as_str());
    let names: BTreeSet<&str> = sbom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(names.contains("netbase") && names.contains("libc6"));
    let text = &stdout[json_end..];
    assert!(text.contains("Debian GNU/Linux 12"), "{text}");
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("netbase ")),
        "{text}"
    );
}

#[test]
fn a_broken_reference_exits_2_and_the_other_images_are_still_reported() {
    let Some(built) = built() else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let json_path = out.path().join("scan.json");
    let corrupt = out.path().join("corrupt.tar");
    std::fs::write(&corrupt, b"not a tar at all").unwrap();
    let output = portcullis()
        .args([
            "scan",
            &built.references[0],
            "oci:/nonexistent/layout",
            &format!("docker-archive:{}", corrupt.display()),
        ])
        .args(["-f", &format!("json={}", json_path.display())])
        // Nothing listens there: the vulnerability data cannot be fetched either.
        .args(["--db-base-url", "http://127.0.0.1:9", "--db"])
        .arg(out.path().join("db"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent/layout"), "{stderr}");
    assert!(
        stderr.contains("Debian packages were not checked") && stderr.contains("127.0.0.1:9"),
        "{stderr}"
    );
    assert!(stderr.contains("corrupt.tar"), "{stderr}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(report["images"].as_array().unwrap().len(), 1);
    // The inventory is still reported.
    assert!(report["images"][0]["packages"].as_array().unwrap().len() > 80);
    assert!(report["errors"].as_array().unwrap().iter().any(|e| e
        .as_str()
        .unwrap()
        .contains("Debian packages were not checked")));
    let targets = report["runs"][0]["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 3);
    assert!(targets[0]["error"].is_null());
    assert!(targets[1]["error"]
        .as_str()
        .unwrap()
        .contains("/nonexistent/layout"));
    assert!(targets[2]["error"]
        .as_str()
        .unwrap()
        .contains("corrupt.tar"));
}

#[test]
fn the_same_inventory_from_a_registry_with_basic_auth_and_from_a_docker_engine() {
    let Some(built) = built() else {
        return;
    };
    let truth = dpkg_query(&built.final_root);
    let layout = built.references[0]
        .trim_start_matches("oci:")
        .trim_end_matches(":app");
    // No ~/.docker of this machine may leak in: credentials come from the command line only.
    let docker_config = tempfile::tempdir().unwrap();
    let scan_json =
        |args: &[&str], stdin: &str, env: &[(&str, &str)]| -> (Option<i32>, Value, String) {
            let out = tempfile::tempdir().unwrap();
            let json = out.path().join("scan.json");
            let output = portcullis()
                .arg("scan")
                .args(args)
                .args(["--no-vulns", "-f", &format!("json={}", json.display())])
                .env("DOCKER_CONFIG", docker_config.path())
                .envs(env.iter().copied())
                .write_stdin(stdin)
                .output()
                .unwrap();
            let report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
            (
                output.status.code(),
                report,
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        };

    let Some(registry) = services::Registry::start(services::RegistryAuth::Basic {
        user: "ci",
        password: "s3cret",
    }) else {
        return;
    };
    let image = format!("{}/debian:12", registry.host());
    services::push(Path::new(layout), "app", &image, Some("ci:s3cret"), &[]);
    let host = registry.host();
    let pull = [
        "--insecure-registry",
        host.as_str(),
        "--username",
        "ci",
        "--password-stdin",
    ];
    let (code, report, stderr) =
        scan_json(&[&[image.as_str()][..], &pull].concat(), "s3cret\n", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(debian_packages(&report["images"][0]), truth);
    let (code, report, stderr) =
        scan_json(&[&[image.as_str()][..], &pull].concat(), "wrong\n", &[]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("authentication failed") && stderr.contains(&host),
        "{stderr}"
    );
    let error = report["runs"][0]["targets"][0]["error"].as_str().unwrap();
    assert!(error.contains("authentication failed"), "{error}");

    let Some(dockerd) = services::Dockerd::start() else {
        return;
    };
    let docker_archive = built.references[2].trim_start_matches("docker-archive:");
    run(
        "docker",
        &["-H", &dockerd.host(), "load", "-i", docker_archive],
    );
    let (code, report, stderr) = scan_json(
        &["docker:app:latest"],
        "",
        &[("DOCKER_HOST", &dockerd.host())],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(debian_packages(&report["images"][0]), truth);
}

/// An OSV record: `name` in Debian 12 is affected below `fixed`.
fn write_advisory(dir: &Path, id: &str, cve: &str, name: &str, fixed: &str) {
    let record = serde_json::json!({
        "schema_version": "1.7.5",
        "id": id,
        "modified": "2026-11-29T00:00:00Z",
        "aliases": [cve],
        "affected": [{
            "package": {"ecosystem": "Debian:12", "name": name},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
        }],
    });
    std::fs::write(dir.join(format!("{id}.json")), record.to_string()).unwrap();
}
