//! BuildKit's shell-word conformance vectors (`buildkit/shell/envVarTest` and `wordsTest`), run
//! against `portcullis::dockerfile::expand` as described in sections 4 and 5 of
//! `conformance/buildkit/README.md`.
//!
//! The vectors are not part of this repository: they are read from `PORTCULLIS_CONFORMANCE_DIR`
//! (default `../shared/conformance`). A missing directory fails under `CI=true` and is skipped
//! elsewhere.

mod common;

use common::conformance_dir;

use portcullis::dockerfile::expand::Lexer;

fn read(dir: &std::path::Path, name: &str) -> String {
    let path = dir.join("buildkit/shell").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn report(name: &str, passed: usize, failures: &[String]) {
    println!("{name}: {passed} passed, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{name}: {} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Section 4: `PLATFORM | INPUT | EXPECTED`, one word, fixed environment.
#[test]
fn env_var_test() {
    let Some(dir) = conformance_dir("buildkit/shell") else {
        return;
    };
    let text = read(&dir, "envVarTest");
    let env = [
        ("PWD", "/home"),
        ("SHELL", "bash"),
        ("KOREAN", "한국어"),
        ("NULL", ""),
    ];
    let lexer = Lexer::new('\\');
    let (mut passed, mut failures) = (0, Vec::new());
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('|').map(str::trim).collect();
        let [platform, input, expected] = fields[..] else {
            failures.push(format!("line {number}: malformed vector {line:?}"));
            continue;
        };
        match platform {
            "A" | "U" => {}
            "W" => continue,
            other => {
                failures.push(format!("line {number}: unknown platform {other:?}"));
                continue;
            }
        }
        let got = lexer.process_word(input, &env);
        let ok = match (&got, expected) {
            (Err(_), "error") => true,
            (Ok(e), expected) => expected != "error" && e.value == expected,
            (Err(_), _) => false,
        };
        if ok {
            passed += 1;
        } else {
            let got = got.map(|e| e.value).map_err(|e| e.to_string());
            failures.push(format!(
                "line {number}: {input:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    assert!(passed > 0, "envVarTest: no vectors ran");
    report("envVarTest", passed, &failures);
}

/// Section 5: `ENV NAME=VALUE` lines accumulate; other lines are `INPUT | W1,W2,…`.
#[test]
fn words_test() {
    let Some(dir) = conformance_dir("buildkit/shell") else {
        return;
    };
    let text = read(&dir, "wordsTest");
    let lexer = Lexer::new('\\');
    let mut env: Vec<(String, String)> = Vec::new();
    let (mut passed, mut failures) = (0, Vec::new());
    let lines: Vec<&str> = text
        .strip_suffix('\n')
        .unwrap_or(&text)
        .split('\n')
        .collect();
    for (index, line) in lines.into_iter().enumerate() {
        let number = index + 1;
        if line.starts_with('#') {
            continue;
        }
        if let Some(entry) = line.strip_prefix("ENV ") {
            // Leading spaces go, trailing spaces are part of the value.
            let entry = entry.trim_start_matches(' ');
            match entry.split_once('=') {
                Some((name, value)) => env.push((name.to_owned(), value.to_owned())),
                None => failures.push(format!("line {number}: malformed ENV {line:?}")),
            }
            continue;
        }
        let parts: Vec<&str> = line.split('|').collect();
        let [input, expected] = parts[..] else {
            failures.push(format!(
                "line {number}: expected exactly one `|` in {line:?}"
            ));
            continue;
        };
        let input = input.trim();
        let expected: Vec<&str> = expected.trim_start_matches(' ').split(',').collect();
        let got = lexer
            .process_words(input, &env)
            .unwrap_or_else(|_| vec!["error".to_owned()]);
        if got == expected {
            passed += 1;
        } else {
            failures.push(format!(
                "line {number}: {input:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    assert!(passed > 0, "wordsTest: no vectors ran");
    report("wordsTest", passed, &failures);
}
