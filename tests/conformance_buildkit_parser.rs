//! BuildKit's own parser vectors (see `conformance/buildkit/README.md` in the shared data):
//! every positive case must dump exactly like BuildKit's `Node.Dump()`, every negative case must
//! give a syntax diagnostic, and the line-number case must give BuildKit's line spans.
//!
//! The data is read from `PORTCULLIS_CONFORMANCE_DIR` (default `../shared/conformance` next to
//! the crate). Without it the test is skipped, except under `CI=true`, where it fails.

mod common;

use common::conformance_dir;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use portcullis::dockerfile::ast::{Dockerfile, Instruction, ParseErrorKind};
use portcullis::dockerfile::parser::{parse, parse_with, ParseOptions};

fn read_lossy(path: &Path) -> String {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

fn case_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Go's `strconv.Quote`.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x80 => write!(out, "\\x{:02x}", c as u32).unwrap(),
            c if (c as u32) < 0x10000 => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => write!(out, "\\U{:08x}", c as u32).unwrap(),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `unicode.IsPrint` good for test data: no controls, no spaces but
/// U+0020, no format characters, private use or noncharacters.
fn is_go_printable(c: char) -> bool {
    let n = c as u32;
    let format_or_private = matches!(n,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF
        | 0xFFFE | 0xFFFF | 0xE0000..=0xE007F | 0xF0000..);
    c == ' ' || !(c.is_control() || c.is_whitespace() || format_or_private)
}

/// BuildKit's `Node.Dump()` for one instruction, without the surrounding parentheses.
fn dump_instruction(instr: &Instruction) -> String {
    let mut out = instr.keyword_text.to_lowercase();
    if !instr.flags.is_empty() {
        let flags: Vec<String> = instr.flags.iter().map(|f| go_quote(&f.raw)).collect();
        write!(out, " [{}]", flags.join(" ")).unwrap();
    }
    for arg in &instr.args {
        write!(out, " {}", go_quote(&arg.value)).unwrap();
    }
    if let Some(inner) = &instr.onbuild {
        write!(out, " ({})", dump_instruction(inner)).unwrap();
    }
    out.trim().to_string()
}

fn dump(file: &Dockerfile) -> String {
    let lines: Vec<String> = file
        .instructions
        .iter()
        .map(|i| format!("({})", dump_instruction(i)))
        .collect();
    lines.join("\n") + "\n"
}

fn syntax_errors(file: &Dockerfile) -> Vec<String> {
    file.diagnostics
        .iter()
        .filter(|d| d.kind == ParseErrorKind::Syntax)
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn positive_cases_dump_like_buildkit() {
    let Some(dir) = conformance_dir("buildkit/parser").map(|base| base.join("buildkit/parser"))
    else {
        return;
    };
    let cases = case_dirs(&dir.join("testfiles"));
    assert!(!cases.is_empty(), "no cases under {}", dir.display());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let source = read_lossy(&case.join("Dockerfile"));
        let expected = read_lossy(&case.join("result"));
        // BuildKit's parser proper accepts every positive case.
        let file = parse_with(&source, ParseOptions { validate: false });
        let errors = syntax_errors(&file);
        if !errors.is_empty() {
            failures.push(format!("{name}: unexpected syntax errors {errors:?}"));
        }
        let got = dump(&file);
        if got != expected {
            failures.push(format!("{name}:\n--- expected\n{expected}--- got\n{got}"));
        }
        // The full parse (with instruction checks) must produce the same tree.
        let checked = parse(&source);
        if dump(&checked) != got {
            failures.push(format!("{name}: validation changed the tree"));
        }
    }
    println!("{} positive cases checked", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn negative_cases_report_syntax_errors() {
    let Some(dir) = conformance_dir("buildkit/parser").map(|base| base.join("buildkit/parser"))
    else {
        return;
    };
    let cases = case_dirs(&dir.join("testfiles-negative"));
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let source = read_lossy(&case.join("Dockerfile"));
        let file = parse_with(&source, ParseOptions { validate: false });
        if syntax_errors(&file).is_empty() {
            failures.push(format!("{name}: no syntax diagnostic"));
        }
    }
    println!("{} negative cases checked", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn line_numbers_match_buildkit() {
    let Some(dir) = conformance_dir("buildkit/parser").map(|base| base.join("buildkit/parser"))
    else {
        return;
    };
    let case = dir.join("testfile-line");
    let source = read_lossy(&case.join("Dockerfile"));
    let expected: serde_json::Value =
        serde_json::from_str(&read_lossy(&case.join("expected-lines.json"))).expect("valid JSON");
    let file = parse(&source);
    assert!(syntax_errors(&file).is_empty(), "{:?}", file.diagnostics);

    let want: Vec<(String, u64, u64)> = expected["instructions"]
        .as_array()
        .expect("instructions array")
        .iter()
        .map(|i| {
            (
                i["keyword"].as_str().unwrap().to_string(),
                i["start_line"].as_u64().unwrap(),
                i["end_line"].as_u64().unwrap(),
            )
        })
        .collect();
    let got: Vec<(String, u64, u64)> = file
        .instructions
        .iter()
        .map(|i| {
            (
                i.keyword.as_str().to_string(),
                i.start_line as u64,
                i.end_line as u64,
            )
        })
        .collect();
    assert_eq!(got, want);

    let root = &expected["root"];
    let first = file.instructions.first().expect("instructions").start_line as u64;
    let last = file.instructions.last().expect("instructions").end_line as u64;
    assert_eq!(
        (first, last),
        (
            root["start_line"].as_u64().unwrap(),
            root["end_line"].as_u64().unwrap()
        )
    );
}

#[test]
fn go_quote_matches_strconv() {
    assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
    assert_eq!(go_quote("\u{0}\u{7f}\t"), r#""\x00\x7f\t""#);
    assert_eq!(go_quote("♥ 안녕"), "\"♥ 안녕\"");
    assert_eq!(go_quote("\u{a0}\u{feff}"), r#""\u00a0\ufeff""#);
    assert_eq!(go_quote("\u{e0001}"), r#""\U000e0001""#);
}
