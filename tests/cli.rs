//! End-to-end tests of the `portcullis` binary: exit codes, report formats, input discovery,
//! configuration and the rule catalogue, each observed from outside the process.
//!
//! Every test lints either a scratch directory (`common::Project`) or the README's demo in
//! `examples/`. Reports are read as JSON wherever possible so assertions are about values, not
//! wording.

mod common;

use common::{
    codes, exit_code, findings, json_stdout, line_of, lint_in_repo, portcullis, read_json, stderr,
    stdout, target_paths, Project, CLEAN,
};

/// 0 clean, 1 findings at or above the threshold, 2 incomplete run; reports are always written.
mod exit_codes {
    use super::*;

    /// A file whose worst finding is a warning (MAINTAINER).
    const WARNING_ONLY: &str =
        "FROM alpine:3.20\nMAINTAINER ops@example.com\nUSER 10001\nHEALTHCHECK CMD [\"true\"]\n";

    #[test]
    fn a_clean_dockerfile_exits_0() {
        let project = Project::new();
        project.file("Dockerfile", CLEAN);
        let output = project.lint().output().unwrap();
        assert_eq!(exit_code(&output), 0, "{}", stdout(&output));
        assert!(stdout(&output).contains("No findings in 1 file"));
    }

    #[test]
    fn findings_at_the_default_threshold_exit_1() {
        let project = Project::new();
        // Only an info finding (no HEALTHCHECK): the default threshold is info.
        project.file("Dockerfile", "FROM alpine:3.20\nUSER 10001\n");
        let (report, code) = project.lint_json(&[]);
        assert_eq!(codes(&report), ["PC4002"]);
        assert_eq!(code, 1);
        assert_eq!(report["exit_code"], 1);
    }

    #[test]
    fn the_threshold_flag_decides_between_0_and_1() {
        let project = Project::new();
        project.file("Dockerfile", WARNING_ONLY);
        for (threshold, expected) in [("error", 0), ("warning", 1), ("info", 1), ("style", 1)] {
            let (report, code) = project.lint_json(&["-t", threshold]);
            assert_eq!(codes(&report), ["PC4006"], "-t {threshold}");
            assert_eq!(code, expected, "-t {threshold}");
            assert_eq!(report["exit_code"], expected, "-t {threshold}");
        }
    }

    #[test]
    fn the_threshold_from_the_config_file_yields_to_the_command_line() {
        let project = Project::new();
        project
            .file("Dockerfile", WARNING_ONLY)
            .file(".portcullis.toml", "failure-threshold = \"error\"\n");
        let (report, code) = project.lint_json(&[]);
        assert_eq!(
            (code, report["failure_threshold"].as_str()),
            (0, Some("error"))
        );
        let (report, code) = project.lint_json(&["-t", "warning"]);
        assert_eq!(
            (code, report["failure_threshold"].as_str()),
            (1, Some("warning"))
        );
    }

    #[test]
    fn threshold_none_never_fails_but_still_reports() {
        let project = Project::new();
        project.file("Dockerfile", "FROM alpine:3.20\nRUN sudo id\nUSER 10001\n");
        let output = project.lint().args(["-t", "none"]).output().unwrap();
        assert_eq!(exit_code(&output), 0);
        assert!(stdout(&output).contains("error[PC1002 sudo-usage]"));
        let (report, code) = project.lint_json(&["-t", "none"]);
        assert_eq!(code, 0);
        assert!(
            report["failure_threshold"].is_null(),
            "{}",
            report["failure_threshold"]
        );
    }

    #[test]
    fn a_missing_path_exits_2_and_the_other_paths_are_still_reported() {
        let project = Project::new();
        project.file("Dockerfile", "FROM alpine:3.20\nUSER root\n");
        let output = project
            .lint()
            .args([
                "-f",
                "json=out.json",
                "-f",
                "sarif=out.sarif",
                "Dockerfile",
                "nope",
            ])
            .output()
            .unwrap();
        assert_eq!(exit_code(&output), 2);
        assert!(stderr(&output).contains("nope: no such file or directory"));

        let report = read_json(&project.join("out.json"));
        assert_eq!(report["exit_code"], 2);
        assert_eq!(target_paths(&report), ["Dockerfile"]);
        assert!(codes(&report).contains(&"PC1001".to_owned()));
        let errors = report["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].as_str().unwrap().starts_with("nope:"));

        let sarif = read_json(&project.join("out.sarif"));
        let invocation = &sarif["runs"][0]["invocations"][0];
        assert_eq!(invocation["exitCode"], 2);
        assert_eq!(invocation["executionSuccessful"], false);
        let mut rule_ids: Vec<String> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| result["ruleId"].as_str().unwrap().to_owned())
            .collect();
        let mut expected = codes(&report);
        rule_ids.sort();
        expected.sort();
        assert_eq!(rule_ids, expected);
    }

    /// Tests run as root, so `chmod 000` proves nothing: a dangling symlink is given instead.
    #[cfg(unix)]
    #[test]
    fn a_dangling_symlink_exits_2() {
        let project = Project::new();
        project.file("Dockerfile", CLEAN);
        std::os::unix::fs::symlink(project.join("gone"), project.join("api.Dockerfile")).unwrap();
        let (report, code) = project.lint_json(&["Dockerfile", "api.Dockerfile"]);
        assert_eq!(code, 2);
        assert_eq!(target_paths(&report), ["Dockerfile"]);
        assert!(report["errors"][0]
            .as_str()
            .unwrap()
            .starts_with("api.Dockerfile:"));
    }

    /// A file that exists but cannot be opened, even by root: a Unix socket.
    #[cfg(unix)]
    #[test]
    fn an_unreadable_file_exits_2_as_a_failed_target() {
        let project = Project::new();
        project.file("Dockerfile", CLEAN);
        let _socket = std::os::unix::net::UnixListener::bind(project.join("Containerfile"))
            .expect("bind a socket");
        let (report, code) = project.lint_json(&["Dockerfile", "Containerfile"]);
        assert_eq!(code, 2);
        let targets = report["runs"][0]["targets"].as_array().unwrap();
        assert_eq!(targets.len(), 2);
        assert_eq!(targets[0]["error"], serde_json::Value::Null);
        let error = targets[1]["error"]
            .as_str()
            .expect("the socket's target has an error");
        assert!(error.starts_with("cannot read Containerfile:"), "{error}");
    }

    #[test]
    fn a_directory_named_like_a_dockerfile_is_searched_not_read() {
        let project = Project::new();
        project.file("svc/Dockerfile/Dockerfile.prod", CLEAN);
        let (report, code) = project.lint_json(&["svc/Dockerfile"]);
        assert_eq!(code, 0);
        assert_eq!(target_paths(&report), ["svc/Dockerfile/Dockerfile.prod"]);
    }

    #[test]
    fn a_bad_config_file_exits_2_names_the_file_and_reports_are_written() {
        let project = Project::new();
        project
            .file("Dockerfile", "FROM alpine:3.20\nRUN sudo id\n")
            .file(".portcullis.toml", "[rules]\ndisabel = [\"PC4002\"]\n");
        let output = project
            .lint()
            .args(["-f", "json=r.json", "-f", "junit=r.xml", "-f", "text"])
            .output()
            .unwrap();
        assert_eq!(exit_code(&output), 2);
        let config = project
            .path()
            .canonicalize()
            .unwrap()
            .join(".portcullis.toml");
        let message = format!(
            "{}:2:1: invalid TOML: unknown field `disabel`",
            config.display()
        );
        assert!(stderr(&output).contains(&message), "{}", stderr(&output));
        // Linted with the defaults: the rule the file meant to disable still reports.
        let report = read_json(&project.join("r.json"));
        assert_eq!(report["exit_code"], 2);
        assert!(report["errors"][0].as_str().unwrap().contains(&message));
        assert!(codes(&report).contains(&"PC4002".to_owned()));
        assert!(project.read("r.xml").contains("<testsuite "));
        assert!(stdout(&output).contains("error[PC1002 sudo-usage]"));
    }

    #[test]
    fn a_missing_config_file_given_with_config_exits_2() {
        let project = Project::new();
        project.file("Dockerfile", CLEAN);
        let output = project
            .lint()
            .args(["--config", "policy.toml"])
            .output()
            .unwrap();
        assert_eq!(exit_code(&output), 2);
        assert!(stderr(&output).contains("policy.toml: cannot read the configuration file"));
    }

    #[test]
    fn a_report_that_cannot_be_written_exits_2_and_the_others_are_written() {
        let project = Project::new();
        project.file("Dockerfile", CLEAN).file("blocker", "");
        let output = project
            .lint()
            .args(["-f", "json=blocker/out.json", "-f", "sarif=out.sarif"])
            .output()
            .unwrap();
        assert_eq!(exit_code(&output), 2);
        assert!(stderr(&output).contains("cannot write the json report to blocker/out.json"));
        let sarif = read_json(&project.join("out.sarif"));
        assert_eq!(
            sarif["runs"][0]["automationDetails"]["id"],
            "portcullis/dockerfile/"
        );
    }

    #[test]
    fn usage_errors_exit_2() {
        let project = Project::new();
        project.file("Dockerfile", CLEAN);
        for args in [
            &["lint", "--no-such-flag"][..],
            &["lint", "-f", "xml"],
            &["lint", "-f", "json="],
            &["lint", "-t", "loud"],
            &["lint", "--color", "sometimes"],
            &["lint", "--build-arg", "=x"],
            &["frobnicate"],
            &[],
        ] {
            let output = portcullis()
                .current_dir(project.path())
                .args(args)
                .output()
                .unwrap();
            assert_eq!(exit_code(&output), 2, "{args:?}");
            let message = stderr(&output);
            // Clap's own wording: an error line, or the help when no command is given.
            assert!(
                message.starts_with("error: ") || message.contains("Usage: portcullis <COMMAND>"),
                "{args:?}: {message}"
            );
            assert!(output.stdout.is_empty(), "{args:?}");
        }
    }

    #[test]
    fn help_and_version_exit_0() {
        for arg in ["--help", "--version"] {
            portcullis().arg(arg).assert().code(0);
        }
        let output = portcullis().args(["lint", "--help"]).output().unwrap();
        assert_eq!(exit_code(&output), 0);
        assert!(stdout(&output).contains("Exit codes: 0 no finding"));
    }
}

/// One run writes JSON, SARIF, JUnit and text; each matches its schema and the examples' content.
mod formats {
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeMap;

    const EXAMPLE_FILES: [&str; 5] = [
        "examples/broken/Dockerfile",
        "examples/go-service/Dockerfile",
        "examples/legacy/Dockerfile",
        "examples/node-web/Containerfile",
        "examples/python-api/Dockerfile",
    ];

    /// The reports of one run over `examples/`, written to a scratch directory.
    struct Run {
        out: Project,
        code: i32,
        text: String,
    }

    impl Run {
        fn json(&self) -> Value {
            read_json(&self.out.join("a.json"))
        }
        fn sarif(&self) -> Value {
            read_json(&self.out.join("b.sarif"))
        }
        fn junit(&self) -> String {
            self.out.read("c.xml")
        }
    }

    fn run_over_examples() -> Run {
        let out = Project::new();
        let spec = |fmt: &str, file: &str| format!("{fmt}={}", out.join(file).display());
        let output = lint_in_repo()
            .args(["-f", &spec("json", "a.json")])
            .args(["-f", &spec("sarif", "b.sarif")])
            .args(["-f", &spec("junit", "c.xml")])
            .args(["-f", "text", "--color", "never", "examples/"])
            .output()
            .unwrap();
        assert!(
            output.stderr.is_empty(),
            "the examples must lint without run errors: {}",
            stderr(&output)
        );
        Run {
            code: exit_code(&output),
            text: stdout(&output),
            out,
        }
    }

    fn example(path: &str) -> String {
        std::fs::read_to_string(common::manifest_dir().join(path)).unwrap()
    }

    /// `(rule code, line)` of every finding expected in each example, lines located by text so
    /// that editing the comments does not break the test.
    fn expected_findings() -> BTreeMap<&'static str, Vec<(&'static str, u64)>> {
        let broken = example("examples/broken/Dockerfile");
        let legacy = example("examples/legacy/Dockerfile");
        let node = example("examples/node-web/Containerfile");
        let python = example("examples/python-api/Dockerfile");
        let at = |text: &str, needle: &str| line_of(text, needle);
        BTreeMap::from([
            (
                "examples/broken/Dockerfile",
                vec![
                    ("PC0002", at(&broken, "COPPY")),
                    ("PC0003", at(&broken, "--chmown")),
                    // The blank line inside the continued RUN.
                    ("PC0004", at(&broken, "ca-certificates") + 1),
                    ("PC3006", at(&broken, "ca-certificates")),
                    // Linting goes on after the broken lines.
                    ("PC1002", at(&broken, "RUN sudo")),
                ],
            ),
            ("examples/go-service/Dockerfile", vec![]),
            (
                "examples/legacy/Dockerfile",
                vec![
                    ("PC3001", at(&legacy, "FROM docker-mirror")),
                    ("PC3002", at(&legacy, "FROM docker-mirror")),
                    ("PC4002", at(&legacy, "FROM docker-mirror")),
                    ("PC4006", at(&legacy, "MAINTAINER")),
                    ("PC4001", at(&legacy, "ADD config/")),
                    ("PC4001", at(&legacy, "ADD scripts/")),
                    ("PC4004", at(&legacy, "install -y curl sudo cron")),
                    ("PC4011", at(&legacy, "install -y curl sudo cron")),
                    ("PC3006", at(&legacy, "install -y curl sudo cron")),
                    ("PC3006", at(&legacy, "install -y curl sudo cron")),
                    ("PC3006", at(&legacy, "install -y curl sudo cron")),
                    ("PC3003", at(&legacy, "curl -k")),
                    ("PC3004", at(&legacy, "curl -k")),
                    ("PC4024", at(&legacy, "curl -k")),
                    ("PC8042", at(&legacy, "curl -k")),
                    ("PC1002", at(&legacy, "sudo chmod")),
                    ("PC1003", at(&legacy, "sudo chmod")),
                    ("PC4024", at(&legacy, "sudo chmod")),
                    ("PC4005", at(&legacy, "WORKDIR worker")),
                    ("PC3003", at(&legacy, "wget --no-check-certificate")),
                    ("PC3020", at(&legacy, "wget --no-check-certificate")),
                    ("PC4023", at(&legacy, "wget --no-check-certificate")),
                    ("PC4025", at(&legacy, "wget --no-check-certificate")),
                    ("PC1001", at(&legacy, "USER root")),
                ],
            ),
            (
                // The `# hadolint ignore=DL3019` above `apk add` works; the other pragma is stale.
                "examples/node-web/Containerfile",
                vec![("PC0005", at(&node, "portcullis ignore=sudo-usage"))],
            ),
            (
                "examples/python-api/Dockerfile",
                vec![
                    ("PC1001", at(&python, "FROM python")),
                    ("PC4002", at(&python, "FROM python")),
                    ("PC4003", at(&python, "apt-get update -qq")),
                    ("PC4004", at(&python, "apt-get update -qq")),
                    ("PC4004", at(&python, "gcc libpq-dev")),
                    ("PC4024", at(&python, "gcc libpq-dev")),
                    ("PC3006", at(&python, "gcc libpq-dev")),
                    ("PC3006", at(&python, "gcc libpq-dev")),
                    ("PC4004", at(&python, "pip install")),
                    ("PC2001", at(&python, "STRIPE_API_KEY")),
                ],
            ),
        ])
    }

    #[test]
    fn every_report_of_one_run_over_the_examples_is_written_and_the_run_exits_1() {
        let run = run_over_examples();
        assert_eq!(
            run.code, 1,
            "the broken example's problems are findings, not run errors"
        );
        let report = run.json();
        assert_eq!(report["exit_code"], 1);
        assert_eq!(report["errors"], Value::Array(vec![]));
        assert_eq!(target_paths(&report), EXAMPLE_FILES);
        for target in report["runs"][0]["targets"].as_array().unwrap() {
            assert_eq!(target["error"], Value::Null, "{target}");
        }
        assert!(run.sarif()["runs"].is_array());
        assert!(run.junit().starts_with("<?xml"));
        let total = findings(&report).len();
        assert!(
            run.text.contains(&format!("{total} findings (")) && run.text.contains("in 5 files"),
            "{}",
            run.text
        );
    }

    #[test]
    fn json_has_the_expected_findings_of_each_example() {
        let report = run_over_examples().json();
        let mut actual: BTreeMap<String, Vec<(String, u64)>> = EXAMPLE_FILES
            .iter()
            .map(|path| (path.to_string(), Vec::new()))
            .collect();
        for f in findings(&report) {
            actual.entry(f.path).or_default().push((f.code, f.line));
        }
        for (path, mut expected) in expected_findings() {
            expected.sort();
            let mut found = actual.remove(path).unwrap();
            found.sort();
            let found: Vec<(&str, u64)> = found.iter().map(|(c, l)| (c.as_str(), *l)).collect();
            assert_eq!(found, expected, "{path}");
        }
        assert_eq!(report["summary"]["total"], findings(&report).len());
        assert_eq!(report["summary"]["targets"], EXAMPLE_FILES.len());
    }

    #[test]
    fn the_examples_config_is_applied() {
        let report = run_over_examples().json();
        let all = findings(&report);
        // `root-user = "error"` in examples/.portcullis.toml (the rule's default is warning).
        let root: Vec<_> = all.iter().filter(|f| f.code == "PC1001").collect();
        assert_eq!(root.len(), 2);
        assert!(root.iter().all(|f| f.severity == "error"), "{root:?}");
        // `trusted-registries` turns on PC3002 and is named in its message.
        let untrusted: Vec<_> = all.iter().filter(|f| f.code == "PC3002").collect();
        assert_eq!(untrusted.len(), 1);
        assert!(untrusted[0].message.contains("(docker.io, gcr.io)"));
    }

    #[test]
    fn a_finding_in_a_heredoc_points_inside_the_heredoc_body() {
        let legacy = example("examples/legacy/Dockerfile");
        let opens = line_of(&legacy, "RUN <<EOT");
        let closes = legacy
            .lines()
            .enumerate()
            .skip(opens as usize)
            .find(|(_, l)| *l == "EOT")
            .map(|(n, _)| n as u64 + 1)
            .expect("the heredoc is closed");
        let wget = line_of(&legacy, "wget --no-check-certificate");
        assert!(opens < wget && wget < closes);
        let column = legacy
            .lines()
            .nth(wget as usize - 1)
            .unwrap()
            .find("--no-check")
            .unwrap() as u64
            + 1;

        let report = run_over_examples().json();
        let hit = findings(&report)
            .into_iter()
            .find(|f| {
                f.path == "examples/legacy/Dockerfile" && f.code == "PC3003" && f.line > opens
            })
            .expect("PC3003 in the heredoc body");
        assert_eq!((hit.line, hit.column), (wget, column));
        let region = &report["runs"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                f["path"] == "examples/legacy/Dockerfile"
                    && f["rule"]["code"] == "PC3003"
                    && f["region"]["start"]["line"] == wget
            })
            .unwrap()["region"];
        assert_eq!(
            region["end"]["column"],
            column + "--no-check-certificate".len() as u64
        );
    }

    #[test]
    fn json_validates_against_our_schema() {
        let schema = common::manifest_dir().join("docs/schemas/portcullis-report.schema.json");
        let errors = common::json_schema_errors(&schema, &run_over_examples().json());
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn sarif_validates_against_the_oasis_schema() {
        let Some(schema) = common::shared_file("schemas/sarif/sarif-schema-2.1.0.json") else {
            return;
        };
        let errors = common::json_schema_errors(&schema, &run_over_examples().sarif());
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn sarif_carries_the_category_exit_code_and_every_finding() {
        let run = run_over_examples();
        let (sarif, report) = (run.sarif(), run.json());
        let runs = sarif["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let sarif_run = &runs[0];
        assert_eq!(
            sarif_run["automationDetails"]["id"],
            "portcullis/dockerfile/"
        );
        assert_eq!(sarif_run["invocations"][0]["exitCode"], 1);
        assert_eq!(sarif_run["invocations"][0]["executionSuccessful"], true);

        let results = sarif_run["results"].as_array().unwrap();
        assert!(!results.is_empty());
        assert_eq!(results.len(), findings(&report).len());
        let rules = sarif_run["tool"]["driver"]["rules"].as_array().unwrap();
        for result in results {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        }
        let legacy = example("examples/legacy/Dockerfile");
        let wget = line_of(&legacy, "wget --no-check-certificate");
        assert!(results.iter().any(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            r["ruleId"] == "PC3003"
                && location["artifactLocation"]["uri"] == "examples/legacy/Dockerfile"
                && location["region"]["startLine"] == wget
        }));
    }

    #[test]
    fn junit_validates_against_the_jenkins_xsd() {
        let Some(xsd) = common::shared_file("schemas/junit/junit-10.xsd") else {
            return;
        };
        let xml = run_over_examples().junit();
        if let Some(Err(complaints)) = common::xmllint_validate(&xsd, &xml) {
            panic!("{complaints}\n{xml}");
        }
    }

    #[test]
    fn junit_has_one_suite_per_file_with_passing_and_failing_cases() {
        let xml = run_over_examples().junit();
        let suite =
            regex::Regex::new(r#"<testsuite name="([^"]+)"[^>]* failures="(\d+)""#).unwrap();
        let suites: Vec<(String, u64)> = suite
            .captures_iter(&xml)
            .map(|c| (c[1].to_owned(), c[2].parse().unwrap()))
            .collect();
        let names: Vec<&str> = suites.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, EXAMPLE_FILES);
        // The clean example fails no test case; the legacy one fails several.
        assert_eq!(suites[1], ("examples/go-service/Dockerfile".to_owned(), 0));
        assert!(suites[2].1 >= 10, "{suites:?}");
        let failures: u64 = suites.iter().map(|(_, f)| f).sum();
        assert_eq!(xml.matches("<failure ").count() as u64, failures);
        let passing = regex::Regex::new(r"<testcase [^>]*/>").unwrap();
        assert!(
            passing.find_iter(&xml).count() > 20,
            "passing rules are listed too"
        );
    }
}

/// `-` reads the Dockerfile from standard input and reports it as `-`.
mod stdin {
    use super::*;

    #[test]
    fn a_dockerfile_on_stdin_is_reported_as_dash() {
        let project = Project::new();
        let output = project
            .lint()
            .args(["-f", "json", "-"])
            .write_stdin("FROM alpine:3.20\nUSER root\nHEALTHCHECK CMD [\"true\"]\n")
            .output()
            .unwrap();
        assert_eq!(exit_code(&output), 1);
        let report = json_stdout(&output);
        assert_eq!(target_paths(&report), ["-"]);
        let found = findings(&report);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (
                found[0].path.as_str(),
                found[0].code.as_str(),
                found[0].line
            ),
            ("-", "PC1001", 2)
        );
    }

    #[test]
    fn the_text_report_names_stdin_dash() {
        let output = Project::new()
            .lint()
            .args(["--color", "never", "-"])
            .write_stdin("FROM alpine:3.20\nRUN sudo id\nUSER 10001\nHEALTHCHECK CMD [\"true\"]\n")
            .output()
            .unwrap();
        assert!(
            stdout(&output).starts_with("-:2:5: error[PC1002 sudo-usage]"),
            "{}",
            stdout(&output)
        );
    }
}

/// Directories are searched for Dockerfile-like names, honouring `.gitignore`.
mod discovery {
    use super::*;

    #[test]
    fn dockerfile_names_are_found_and_everything_else_is_skipped() {
        let project = Project::new();
        for path in [
            "Dockerfile",
            "Dockerfile.prod",
            "api.Dockerfile",
            "worker.dockerfile",
            "Containerfile",
            "web/Containerfile.dev",
            ".devcontainer/Dockerfile",
            // Skipped: not Dockerfile names, ignored by .gitignore, or inside .git.
            "README.md",
            "docker-compose.yml",
            "Dockerfile-notes",
            "scripts/build.sh",
            "vendor/Dockerfile",
            "web/generated.Dockerfile",
            ".git/Dockerfile",
        ] {
            project.file(path, CLEAN);
        }
        // No repository needed: .gitignore is honoured on its own.
        project.file(".gitignore", "vendor/\ngenerated.*\n");
        let (report, code) = project.lint_json(&[]);
        assert_eq!(code, 0);
        assert_eq!(
            target_paths(&report),
            [
                "./.devcontainer/Dockerfile",
                "./Containerfile",
                "./Dockerfile",
                "./Dockerfile.prod",
                "./api.Dockerfile",
                "./web/Containerfile.dev",
                "./worker.dockerfile",
            ]
        );
    }

    #[test]
    fn a_file_named_on_the_command_line_is_linted_whatever_its_name() {
        let project = Project::new();
        project.file("build/recipe.txt", "FROM alpine\n");
        let (report, _) = project.lint_json(&["build/recipe.txt"]);
        assert_eq!(target_paths(&report), ["build/recipe.txt"]);
        assert!(codes(&report).contains(&"PC3001".to_owned()));
    }

    // BuildKit's per-Dockerfile ignore file `Dockerfile.dockerignore` matches `Dockerfile.*`
    // but is not a Dockerfile: linting it would turn every ignore pattern into an error.
    #[test]
    fn dockerignore_files_next_to_dockerfiles_are_not_linted() {
        let project = Project::new();
        project
            .file("Dockerfile", CLEAN)
            .file("Dockerfile.dockerignore", "node_modules\n*.log\n");
        let (report, code) = project.lint_json(&[]);
        assert_eq!(target_paths(&report), ["./Dockerfile"]);
        assert_eq!(code, 0);
    }

    #[test]
    fn symlinked_dockerfiles_are_followed_when_walking() {
        let project = Project::new();
        project.file("shared/base.Dockerfile", "FROM alpine\n");
        std::fs::create_dir_all(project.join("svc")).unwrap();
        std::os::unix::fs::symlink(
            project.join("shared/base.Dockerfile"),
            project.join("svc/Dockerfile"),
        )
        .unwrap();
        let (report, code) = project.lint_json(&["svc"]);
        assert_eq!(target_paths(&report), ["svc/Dockerfile"]);
        assert!(codes(&report).contains(&"PC3001".to_owned()));
        assert_eq!(code, 1);
    }
}

/// `.portcullis.toml`, `.hadolint.yaml` and inline pragmas change what is reported, and how.
mod config {
    use super::*;

    const ROOT_BY_USER: &str = "FROM alpine:3.20\nUSER root\nHEALTHCHECK CMD [\"true\"]\n";
    const ROOT_BY_DEFAULT: &str = "FROM alpine:3.20\nHEALTHCHECK CMD [\"true\"]\n";

    fn severities(report: &serde_json::Value, code: &str) -> Vec<String> {
        findings(report)
            .into_iter()
            .filter(|f| f.code == code)
            .map(|f| f.severity)
            .collect()
    }

    #[test]
    fn portcullis_toml_is_found_upward_from_the_scanned_path() {
        let project = Project::new();
        project
            .file(
                "repo/services/api/Dockerfile",
                "FROM alpine:3.20\nMAINTAINER ops\nUSER 10001\n",
            )
            .file(
                "repo/.portcullis.toml",
                "[rules.severity]\nmaintainer-deprecated = \"error\"\n",
            );
        // Run from elsewhere, so only the walk up from the scanned path can find the file.
        let elsewhere = Project::new();
        let scanned = project.join("repo/services/api");
        let output = portcullis()
            .current_dir(elsewhere.path())
            .args(["lint", "-f", "json"])
            .arg(&scanned)
            .output()
            .unwrap();
        assert_eq!(severities(&json_stdout(&output), "PC4006"), ["error"]);
        // Without the file the rule reports at its default severity.
        std::fs::remove_file(project.join("repo/.portcullis.toml")).unwrap();
        let output = portcullis()
            .current_dir(elsewhere.path())
            .args(["lint", "-f", "json"])
            .arg(&scanned)
            .output()
            .unwrap();
        assert_eq!(severities(&json_stdout(&output), "PC4006"), ["warning"]);
    }

    #[test]
    fn the_examples_config_applies_when_one_example_file_is_linted() {
        let output = lint_in_repo()
            .args(["-f", "json", "examples/legacy/Dockerfile"])
            .output()
            .unwrap();
        let report = json_stdout(&output);
        assert_eq!(severities(&report, "PC1001"), ["error"]);
        assert_eq!(severities(&report, "PC3002"), ["error"]);
    }

    #[test]
    fn hadolint_yaml_ignored_dl3002_drops_only_the_user_root_case() {
        let project = Project::new();
        project
            .file("explicit/Dockerfile", ROOT_BY_USER)
            .file("implicit/Dockerfile", ROOT_BY_DEFAULT);
        let (before, _) = project.lint_json(&[]);
        assert_eq!(codes(&before), ["PC1001", "PC1001"]);

        project.file(".hadolint.yaml", "ignored:\n  - DL3002\n");
        let (after, code) = project.lint_json(&[]);
        let left: Vec<_> = findings(&after)
            .into_iter()
            .map(|f| (f.path, f.code))
            .collect();
        // DL3002 is hadolint's "last USER is root"; no USER at all is Checkov's CKV_DOCKER_3.
        assert_eq!(
            left,
            [("./implicit/Dockerfile".to_owned(), "PC1001".to_owned())]
        );
        assert_eq!(code, 1);
    }

    #[test]
    fn a_hadolint_ignore_pragma_suppresses_the_next_instruction() {
        let project = Project::new();
        project.file("Dockerfile", ROOT_BY_USER);
        let (report, _) = project.lint_json(&[]);
        assert_eq!(codes(&report), ["PC1001"]);

        project.file(
            "Dockerfile",
            "FROM alpine:3.20\n# hadolint ignore=DL3002\nUSER root\nHEALTHCHECK CMD [\"true\"]\n",
        );
        let (report, code) = project.lint_json(&[]);
        assert_eq!(codes(&report), Vec::<String>::new());
        assert_eq!(code, 0);
    }

    #[test]
    fn the_hadolint_pragma_in_the_node_example_hides_a_real_finding() {
        let policy = Project::new();
        policy.file("policy.yaml", "disable-ignore-pragma: true\n");
        let output = lint_in_repo()
            .args(["-f", "json", "--config"])
            .arg(policy.join("policy.yaml"))
            .arg("examples/node-web/Containerfile")
            .output()
            .unwrap();
        let node =
            std::fs::read_to_string(common::manifest_dir().join("examples/node-web/Containerfile"))
                .unwrap();
        let found: Vec<_> = findings(&json_stdout(&output))
            .into_iter()
            .map(|f| (f.code, f.line))
            .collect();
        // With pragmas off, the apk cache finding shows and no suppression is stale.
        assert_eq!(
            found,
            [("PC4004".to_owned(), line_of(&node, "RUN apk add"))]
        );
    }

    #[test]
    fn a_stale_suppression_is_reported_as_pc0005() {
        let project = Project::new();
        project.file(
            "Dockerfile",
            "FROM alpine:3.20\n# portcullis ignore=PC1002\nRUN id\nUSER 10001\nHEALTHCHECK CMD [\"true\"]\n",
        );
        let (report, code) = project.lint_json(&[]);
        let found = findings(&report);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].code.as_str(), found[0].line), ("PC0005", 2));
        assert!(found[0].message.contains("PC1002"), "{}", found[0].message);
        assert_eq!(code, 1, "PC0005 is info, at the default threshold");
    }
}

/// `--build-arg` gives ARGs their values before the base image is checked.
mod build_args {
    use super::*;

    const FROM_ARG: &str = "ARG IMG=python\nFROM $IMG\nUSER 10001\nHEALTHCHECK CMD [\"true\"]\n";

    #[test]
    fn the_arg_default_is_checked_without_build_args() {
        let project = Project::new();
        project.file("Dockerfile", FROM_ARG);
        let (report, code) = project.lint_json(&[]);
        let found = findings(&report);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].code.as_str(), found[0].line), ("PC3001", 2));
        assert!(
            found[0].message.contains("`python`"),
            "{}",
            found[0].message
        );
        assert_eq!(code, 1);
    }

    #[test]
    fn a_build_arg_with_a_tag_pins_the_base_image() {
        let project = Project::new();
        project.file("Dockerfile", FROM_ARG);
        let (report, code) = project.lint_json(&["--build-arg", "IMG=python:3.12"]);
        assert_eq!(codes(&report), Vec::<String>::new());
        assert_eq!(code, 0);
    }
}

/// Colour only in the text report, and only when asked for or on a terminal without NO_COLOR.
mod color {
    use super::*;

    fn text_report(args: &[&str], no_color: bool) -> String {
        let project = Project::new();
        project.file("Dockerfile", "FROM alpine:3.20\nUSER root\n");
        let mut cmd = project.lint();
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        stdout(&cmd.args(args).output().unwrap())
    }

    #[test]
    fn never_and_no_color_give_plain_text() {
        for (args, no_color) in [
            (&["--color", "never"][..], false),
            (&[][..], true),
            (&[][..], false),
        ] {
            let text = text_report(args, no_color);
            assert!(text.contains("PC1001"), "{text}");
            assert!(
                !text.contains('\x1b'),
                "{args:?} NO_COLOR={no_color}: {text:?}"
            );
        }
    }

    #[test]
    fn always_colours_the_text_even_with_no_color_set() {
        for no_color in [false, true] {
            let text = text_report(&["--color", "always"], no_color);
            assert!(text.contains("\x1b["), "NO_COLOR={no_color}: {text:?}");
        }
    }

    #[test]
    fn always_does_not_colour_machine_formats_or_files() {
        let project = Project::new();
        project.file("Dockerfile", "FROM alpine:3.20\nUSER root\n");
        let output = project
            .lint()
            .args(["--color", "always", "-f", "json", "-f", "text=report.txt"])
            .output()
            .unwrap();
        assert!(!output.stdout.contains(&0x1b));
        assert!(!project.read("report.txt").contains('\x1b'));
    }

    /// `auto` needs a terminal to colour; util-linux `script` provides one.
    #[cfg(target_os = "linux")]
    #[test]
    fn auto_colours_a_terminal_unless_no_color_is_set() {
        let script_works = std::process::Command::new("script")
            .args(["-qec", "true", "/dev/null"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !script_works {
            common::unavailable::<()>("`script` (util-linux) not found".into());
            return;
        }
        let project = Project::new();
        project.file("Dockerfile", "FROM alpine:3.20\nUSER root\n");
        let command = format!("'{}' lint Dockerfile", env!("CARGO_BIN_EXE_portcullis"));
        let on_terminal = |no_color: bool| {
            let mut cmd = std::process::Command::new("script");
            cmd.current_dir(project.path())
                .args(["-qec", &command, "/dev/null"])
                .stdin(std::process::Stdio::null())
                .env_remove("NO_COLOR");
            if no_color {
                cmd.env("NO_COLOR", "1");
            }
            String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned()
        };
        let coloured = on_terminal(false);
        assert!(
            coloured.contains("PC1001") && coloured.contains("\x1b["),
            "{coloured:?}"
        );
        let plain = on_terminal(true);
        assert!(
            plain.contains("PC1001") && !plain.contains('\x1b'),
            "{plain:?}"
        );
    }
}

/// `rules` lists the catalogue for tooling; `explain` prints one rule's help by any of its ids.
mod catalogue {
    use super::*;

    #[test]
    fn rules_json_lists_every_rule_with_its_ids() {
        let output = portcullis()
            .args(["rules", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(exit_code(&output), 0);
        let rules = json_stdout(&output);
        let rules = rules.as_array().expect("an array of rules");
        assert!(rules.len() >= 20, "{}", rules.len());
        let mut ids = std::collections::HashSet::new();
        for rule in rules {
            let id = rule["id"].as_str().expect("id");
            assert!(
                id.len() == 6
                    && id.starts_with("PC")
                    && id[2..].bytes().all(|b| b.is_ascii_digit()),
                "{id}"
            );
            assert!(ids.insert(id.to_owned()), "{id} twice");
            assert!(!rule["name"].as_str().expect("name").is_empty(), "{id}");
            let severity = rule["severity"].as_str().expect("severity");
            assert!(
                ["error", "warning", "info", "style"].contains(&severity),
                "{id}"
            );
            for key in ["tags", "aliases"] {
                let list = rule[key]
                    .as_array()
                    .unwrap_or_else(|| panic!("{id}: {key}"));
                assert!(list.iter().all(|v| v.is_string()), "{id}: {key}");
            }
        }
        let root = rules.iter().find(|r| r["id"] == "PC1001").unwrap();
        assert_eq!(root["name"], "root-user");
        assert!(root["aliases"]
            .as_array()
            .unwrap()
            .contains(&"DL3002".into()));
        assert!(root["tags"]
            .as_array()
            .unwrap()
            .contains(&"security".into()));
    }

    #[test]
    fn explain_finds_a_rule_by_its_hadolint_alias() {
        let output = portcullis().args(["explain", "DL3002"]).output().unwrap();
        assert_eq!(exit_code(&output), 0);
        let text = stdout(&output);
        assert!(text.starts_with("# PC1001 root-user\n"), "{text}");
        assert!(text.contains("## What it catches"));
    }

    #[test]
    fn explain_of_an_unknown_rule_exits_2_and_points_the_way() {
        let output = portcullis().args(["explain", "NOPE"]).output().unwrap();
        assert_eq!(exit_code(&output), 2);
        assert!(output.stdout.is_empty());
        assert!(stderr(&output).contains("no rule is called `NOPE`"));
        assert!(stderr(&output).contains("`portcullis rules` lists them all"));

        let output = portcullis().args(["explain", "DL3OO2"]).output().unwrap();
        assert_eq!(exit_code(&output), 2);
        assert!(
            stderr(&output).contains("Did you mean `DL3002`?"),
            "{}",
            stderr(&output)
        );
    }
}
