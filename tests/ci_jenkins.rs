//! The Jenkins shared library (`jenkins/`), checked with Debian's Groovy (2.4, the Groovy that
//! Jenkins Pipeline itself runs):
//!
//! - every `.groovy` file compiles with `groovyc`: the library's `vars/*.groovy` as the scripts
//!   Jenkins makes of them, the test harnesses, and `jenkins/Jenkinsfile` against a stub of the
//!   declarative DSL; a deliberately broken copy of the step does not compile;
//! - `tests/fixtures/ci/jenkins/step_harness.groovy` runs the step with stubbed pipeline steps
//!   (exact command lines and their quoting, quality gates per threshold, `junit`, exit codes
//!   0/1/2/127, argument errors) and, for real, installs a local release of the freshly built
//!   binary (SHA-256 checked; a tampered one refused) and runs it on a prepared workspace;
//! - `tests/fixtures/ci/jenkins/jenkinsfile_harness.groovy` runs the example Jenkinsfile and
//!   checks the `portcullis(...)` call it makes, and the docs' `library identifier: …` snippet;
//! - each harness fails when one of its expectations is deliberately broken;
//! - the docs show the example Jenkinsfile verbatim and every argument the step accepts.
//!
//! Without groovy, groovyc or java the Groovy tests are skipped (failures under `CI=true`).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

use common::{manifest_dir, output_text as text, unavailable};

const FIXTURES: &str = "tests/fixtures/ci/jenkins";

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Debian's groovy and groovyc, with the stand-ins for Jenkins' annotations and the
/// declarative DSL compiled into `classes`.
struct Groovy {
    java_home: PathBuf,
    classes: tempfile::TempDir,
}

impl Groovy {
    fn new() -> Option<Groovy> {
        for program in ["groovy", "groovyc", "java"] {
            if on_path(program).is_none() {
                return unavailable(format!(
                    "`{program}` not found (install the groovy and default-jre-headless packages)"
                ));
            }
        }
        // groovy's launcher looks for Java under JAVA_HOME and gives up when the Debian
        // default-java link is missing; scripts/test.sh exports it, a plain `cargo test` may not.
        let java_home = std::env::var_os("JAVA_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let java = fs::canonicalize(on_path("java").unwrap()).expect("resolve java");
                java.parent().and_then(Path::parent).unwrap().to_path_buf()
            });
        let groovy = Groovy {
            java_home,
            classes: tempfile::tempdir().expect("temporary directory"),
        };
        let stubs = [
            "stubs/com/cloudbees/groovy/cps/NonCPS.groovy",
            "stubs/org/jenkinsci/plugins/workflow/libs/Library.groovy",
            "DeclarativeStub.groovy",
        ];
        let output = groovy.groovyc_into(groovy.classes.path(), &stubs.map(fixture), &[]);
        assert!(output.status.success(), "stubs: {}", text(&output));
        Some(groovy)
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env("JAVA_HOME", &self.java_home)
            .current_dir(manifest_dir());
        command
    }

    /// `groovyc` with the stubs on the class path, into `dest`.
    fn groovyc_into(&self, dest: &Path, files: &[PathBuf], options: &[&str]) -> Output {
        self.command("groovyc")
            .arg("-cp")
            .arg(self.classes.path())
            .arg("-d")
            .arg(dest)
            .args(options)
            .args(files)
            .output()
            .expect("run groovyc")
    }

    /// `groovyc` into a scratch directory: only whether it compiles matters.
    fn groovyc(&self, files: &[PathBuf], options: &[&str]) -> Output {
        let out = tempfile::tempdir().expect("temporary directory");
        self.groovyc_into(out.path(), files, options)
    }

    /// `groovy SCRIPT ARGS…` run in `cwd`.
    fn run(&self, cwd: &Path, script: &str, args: &[&Path]) -> Output {
        self.command("groovy")
            .current_dir(cwd)
            .arg("-cp")
            .arg(self.classes.path())
            .arg(fixture(script))
            .args(args)
            .output()
            .expect("run groovy")
    }
}

fn fixture(relative: &str) -> PathBuf {
    manifest_dir().join(FIXTURES).join(relative)
}

fn groovy_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            groovy_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "groovy") {
            found.push(path);
        }
    }
}

#[test]
fn every_groovy_file_compiles() {
    let Some(groovy) = Groovy::new() else { return };

    let mut library = Vec::new();
    groovy_files(&manifest_dir().join("jenkins"), &mut library);
    assert!(
        library.contains(&manifest_dir().join("jenkins/vars/portcullis.groovy")),
        "{library:?}"
    );
    let mut harness = Vec::new();
    groovy_files(&fixture("."), &mut harness);
    harness.retain(|p| !p.starts_with(fixture("stubs")) && !p.ends_with("DeclarativeStub.groovy"));
    assert_eq!(harness.len(), 3, "{harness:?}");
    for file in library.iter().chain(&harness) {
        let output = groovy.groovyc(std::slice::from_ref(file), &[]);
        assert!(
            output.status.success(),
            "{}: {}",
            file.display(),
            text(&output)
        );
    }

    // The Jenkinsfile as Jenkins compiles it: @Library imported, declarative sections resolved
    // (here by the stub's methods, so misspelt sections and unbalanced blocks fail).
    let config = fixture("jenkinsfile_config.groovy");
    let jenkinsfile = manifest_dir().join("jenkins/Jenkinsfile");
    let options = ["--configscript", config.to_str().unwrap()];
    let output = groovy.groovyc(std::slice::from_ref(&jenkinsfile), &options);
    assert!(output.status.success(), "Jenkinsfile: {}", text(&output));

    // The check can fail: a step with an unclosed block does not compile.
    let scratch = tempfile::tempdir().unwrap();
    let broken = scratch.path().join("portcullis.groovy");
    let step = fs::read_to_string(manifest_dir().join("jenkins/vars/portcullis.groovy")).unwrap();
    fs::write(
        &broken,
        step.replacen(
            "def call(Map args = [:]) {",
            "def call(Map args = [:]) { {",
            1,
        ),
    )
    .unwrap();
    let output = groovy.groovyc(&[broken], &[]);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("portcullis.groovy"),
        "{}",
        text(&output)
    );
}

/// The Rust target triple the step's install script picks on this machine.
fn release_target() -> Option<&'static str> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Some("x86_64-unknown-linux-musl"),
        ("linux", "aarch64") => Some("aarch64-unknown-linux-musl"),
        ("macos", "x86_64") => Some("x86_64-apple-darwin"),
        ("macos", "aarch64") => Some("aarch64-apple-darwin"),
        _ => None,
    }
}

/// A local release directory: `v0.0.0-test` holds the freshly built binary with its checksum,
/// `v0.0.0-tampered` the same tarball with a SHA256SUMS that does not match it.
fn release(dir: &Path, target: &str) {
    let asset = format!("portcullis-{target}.tar.gz");
    let mut tarball = Vec::new();
    {
        let gz = flate2::write::GzEncoder::new(&mut tarball, flate2::Compression::fast());
        let mut archive = tar::Builder::new(gz);
        archive
            .append_path_with_name(env!("CARGO_BIN_EXE_portcullis"), "portcullis")
            .unwrap();
        archive.into_inner().unwrap().finish().unwrap();
    }
    let digest = format!("{:x}", Sha256::digest(&tarball));
    for (version, sum) in [
        ("v0.0.0-test", digest.as_str()),
        ("v0.0.0-tampered", &"0".repeat(64)),
    ] {
        let release = dir.join(version);
        fs::create_dir_all(&release).unwrap();
        fs::write(release.join(&asset), &tarball).unwrap();
        fs::write(release.join("SHA256SUMS"), format!("{sum}  {asset}\n")).unwrap();
    }
}

/// Errors (verification turned off, sudo), warnings and an info finding.
const DOCKERFILE: &str = "\
FROM debian:latest
RUN apt-get update && apt-get install -y curl sudo
RUN curl -k https://downloads.example.com/agent.sh | sh
RUN sudo chmod u+s /usr/local/bin/agent
ADD agent.conf /etc/agent.conf
USER root
";

/// The workspace the real runs check: a Dockerfile with errors under a directory whose name
/// needs quoting, the repository's `.portcullis.toml` (threshold `error`), and a configuration
/// with a misspelt key.
fn workspace(dir: &Path) {
    let dockerfile = dir.join("a dir/it's");
    fs::create_dir_all(&dockerfile).unwrap();
    fs::write(dockerfile.join("Dockerfile"), DOCKERFILE).unwrap();
    fs::write(
        dir.join(".portcullis.toml"),
        "failure-threshold = \"error\"\n",
    )
    .unwrap();
    fs::write(dir.join("broken.toml"), "failure-treshold = \"error\"\n").unwrap();
}

/// Runs the step harness in a fresh workspace with a fresh release; `extra` e.g. `--break`.
fn run_step_harness(groovy: &Groovy, extra: &[&str]) -> Option<Output> {
    let Some(target) = release_target() else {
        return unavailable(format!(
            "no portcullis release target for {} {}",
            std::env::consts::OS,
            std::env::consts::ARCH
        ));
    };
    let scratch = tempfile::tempdir().unwrap();
    let (work, tmp, releases) = (
        scratch.path().join("workspace"),
        scratch.path().join("workspace@tmp"),
        scratch.path().join("releases"),
    );
    workspace(&work);
    fs::create_dir_all(&tmp).unwrap();
    release(&releases, target);
    let url = format!("file://{}", releases.display());
    let mut args: Vec<&Path> = vec![manifest_dir(), &work, &tmp, Path::new(&url)];
    args.extend(extra.iter().map(Path::new));
    let output = groovy.run(scratch.path(), "step_harness.groovy", &args);
    // The harness parses the hostile command line with a real shell in its working directory:
    // had the quoting failed, `touch pwned` would have run there.
    assert!(!scratch.path().join("pwned").exists());
    Some(output)
}

#[test]
fn the_step_builds_the_command_records_the_reports_and_handles_exit_codes() {
    let Some(groovy) = Groovy::new() else { return };
    let Some(output) = run_step_harness(&groovy, &[]) else {
        return;
    };
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    let checks: usize = out
        .lines()
        .find_map(|l| {
            l.strip_prefix("ok: ")?
                .strip_suffix(" checks")?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no `ok: N checks` line:\n{out}"));
    // Fewer checks than this means cases were dropped from the harness.
    assert!(checks >= 95, "{checks} checks:\n{out}");
    // The real run falls back to `lint` while `check` does not exist: say so in the test log.
    for note in out.lines().filter(|l| l.starts_with("note: ")) {
        eprintln!("{note}");
    }

    // Every argument the step accepts is documented, in its help and on the docs page.
    let known = out
        .lines()
        .find_map(|l| l.strip_prefix("known-args: "))
        .expect("known-args line");
    let help = fs::read_to_string(manifest_dir().join("jenkins/vars/portcullis.txt")).unwrap();
    let docs = fs::read_to_string(manifest_dir().join("docs/ci/jenkins.md")).unwrap();
    for name in known.split(',') {
        assert!(
            help.contains(&format!("<code>{name}</code>")),
            "portcullis.txt lacks {name}"
        );
        assert!(
            docs.lines()
                .any(|l| l.starts_with('|') && l.contains(&format!("`{name}`"))),
            "docs/ci/jenkins.md's parameter table lacks {name}"
        );
    }
}

#[test]
fn the_step_harness_fails_on_a_wrong_expectation() {
    let Some(groovy) = Groovy::new() else { return };
    let Some(output) = run_step_harness(&groovy, &["--break"]) else {
        return;
    };
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("FAIL threshold error: gates"), "{out}");
    assert!(
        out.contains("1 of "),
        "only the broken expectation fails:\n{out}"
    );
}

#[test]
fn the_example_jenkinsfile_calls_the_step_as_documented() {
    let Some(groovy) = Groovy::new() else { return };
    let output = groovy.run(
        manifest_dir(),
        "jenkinsfile_harness.groovy",
        &[manifest_dir()],
    );
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    assert!(out.contains("ok: 13 checks"), "{out}");

    let output = groovy.run(
        manifest_dir(),
        "jenkinsfile_harness.groovy",
        &[manifest_dir(), Path::new("--break")],
    );
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains("FAIL pull request: portcullis arguments"),
        "{out}"
    );
}

#[test]
fn the_docs_show_the_example_jenkinsfile_verbatim() {
    let jenkinsfile = fs::read_to_string(manifest_dir().join("jenkins/Jenkinsfile")).unwrap();
    let docs = fs::read_to_string(manifest_dir().join("docs/ci/jenkins.md")).unwrap();
    assert!(
        docs.contains(&format!("```groovy\n{jenkinsfile}```\n")),
        "docs/ci/jenkins.md must show jenkins/Jenkinsfile as it is"
    );
    let readme = fs::read_to_string(manifest_dir().join("jenkins/README.md")).unwrap();
    assert!(readme.contains("docs/ci/jenkins.md"), "{readme}");
}
