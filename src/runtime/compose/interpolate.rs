//! Variable substitution in Compose values, and the `.env` file that supplies variables.
//!
//! Compose substitutes `$VAR` and `${VAR…}` in every value (never in keys) before it reads the
//! configuration, so `privileged: ${PRIV:-false}` is only known once the variables are. The
//! substitution happens on our tree after parsing, so every value keeps the position of its
//! source text. Mistakes Compose would refuse (a required variable unset) are reported as
//! problems instead of errors: a scan still sees the rest of the project.

use std::collections::BTreeMap;

/// Something a substitution could not do as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// `$VAR` or `${VAR}` with `VAR` unset: substituted by nothing.
    Unset(String),
    /// `${VAR:?message}` or `${VAR?message}` with `VAR` unset (or empty for `:?`).
    Required { name: String, message: String },
    /// A `${` without its `}`, or an operator Compose does not know; kept as written.
    Invalid(String),
}

impl Issue {
    pub fn describe(&self) -> String {
        match self {
            Issue::Unset(name) => {
                format!("variable `{name}` is not set; substituting an empty string")
            }
            Issue::Required { name, message } if message.is_empty() => {
                format!("required variable `{name}` is not set")
            }
            Issue::Required { name, message } => {
                format!("required variable `{name}` is not set: {message}")
            }
            Issue::Invalid(text) => format!("invalid substitution `{text}`, kept as written"),
        }
    }
}

/// `text` with its variables substituted from `variables`, and what went wrong. A value with a
/// required variable missing becomes empty, as Compose would not run it at all.
pub fn interpolate(text: &str, variables: &BTreeMap<String, String>) -> (String, Vec<Issue>) {
    if !text.contains('$') {
        return (text.to_owned(), Vec::new());
    }
    let mut issues = Vec::new();
    let out = expand(text, variables, &mut issues);
    if issues
        .iter()
        .any(|issue| matches!(issue, Issue::Required { .. }))
    {
        return (String::new(), issues);
    }
    (out, issues)
}

fn expand(text: &str, variables: &BTreeMap<String, String>, issues: &mut Vec<Issue>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('{') {
            match closing_brace(inner) {
                Some(end) => {
                    out.push_str(&braced(&inner[..end], variables, issues));
                    rest = &inner[end + 1..];
                }
                None => {
                    issues.push(Issue::Invalid(rest[dollar..].to_owned()));
                    out.push_str(&rest[dollar..]);
                    rest = "";
                }
            }
        } else {
            let name = name_prefix(after);
            if name.is_empty() {
                out.push('$');
            } else {
                out.push_str(&lookup(name, variables, issues));
            }
            rest = &after[name.len()..];
        }
    }
    out.push_str(rest);
    out
}

/// The index of the `}` closing a `${` whose content starts `inner`, nested `${…}` skipped.
fn closing_brace(inner: &str) -> Option<usize> {
    let bytes = inner.as_bytes();
    let mut depth = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'$') => i += 1,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The variable name at the start of `text`: a letter or `_`, then letters, digits and `_`.
fn name_prefix(text: &str) -> &str {
    let mut end = 0;
    for (i, c) in text.char_indices() {
        let ok = c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit());
        if !ok {
            break;
        }
        end = i + c.len_utf8();
    }
    &text[..end]
}

fn lookup(name: &str, variables: &BTreeMap<String, String>, issues: &mut Vec<Issue>) -> String {
    match variables.get(name) {
        Some(value) => value.clone(),
        None => {
            issues.push(Issue::Unset(name.to_owned()));
            String::new()
        }
    }
}

/// The content of one `${…}`: a name and an optional operator with its word. Words are only
/// expanded when used, so an unused default does not warn about its own variables.
fn braced(inner: &str, variables: &BTreeMap<String, String>, issues: &mut Vec<Issue>) -> String {
    let name = name_prefix(inner);
    let operator = &inner[name.len()..];
    if name.is_empty() {
        issues.push(Issue::Invalid(format!("${{{inner}}}")));
        return format!("${{{inner}}}");
    }
    let value = variables.get(name);
    let set = value.is_some();
    let non_empty = value.is_some_and(|v| !v.is_empty());
    let own = || value.cloned().unwrap_or_default();
    let (operator, word, colon) = match operator.strip_prefix(':') {
        Some(rest) => (
            rest.get(..1).unwrap_or(""),
            rest.get(1..).unwrap_or(""),
            true,
        ),
        None => (
            operator.get(..1).unwrap_or(""),
            operator.get(1..).unwrap_or(""),
            false,
        ),
    };
    // With a colon the test is "set and not empty", without it "set".
    let present = if colon { non_empty } else { set };
    match operator {
        "" if !colon => lookup(name, variables, issues),
        "-" if present => own(),
        "-" => expand(word, variables, issues),
        "+" if present => expand(word, variables, issues),
        "+" => String::new(),
        "?" if present => own(),
        "?" => {
            let message = expand(word, variables, issues);
            issues.push(Issue::Required {
                name: name.to_owned(),
                message,
            });
            String::new()
        }
        _ => {
            issues.push(Issue::Invalid(format!("${{{inner}}}")));
            format!("${{{inner}}}")
        }
    }
}

/// Reads a `.env` file: `KEY=VALUE` lines, `#` comments, an optional `export ` prefix, values
/// optionally quoted (`"…"` with `\n`, `\t`, `\"` and `\\` escapes, `'…'` literal); an unquoted
/// value ends at ` #`. Lines without `=` are ignored.
pub fn parse_env_file(text: &str) -> BTreeMap<String, String> {
    let mut variables = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() {
            continue;
        }
        variables.insert(key.to_owned(), env_value(value.trim()));
    }
    variables
}

fn env_value(value: &str) -> String {
    if let Some(quoted) = value.strip_prefix('\'') {
        return quoted.split('\'').next().unwrap_or("").to_owned();
    }
    if let Some(quoted) = value.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = quoted.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some(other) => out.push(other),
                    None => out.push('\\'),
                },
                c => out.push(c),
            }
        }
        return out;
    }
    let value = match value.find(" #") {
        Some(comment) => &value[..comment],
        None => value,
    };
    value.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> BTreeMap<String, String> {
        [("SET", "value"), ("EMPTY", ""), ("B", "bee"), ("N1", "one")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn interpolation_table() {
        let cases: &[(&str, &str)] = &[
            ("plain", "plain"),
            ("$SET", "value"),
            ("a-${SET}-b", "a-value-b"),
            ("$SET.x", "value.x"),
            ("$N1$SET", "onevalue"),
            ("${UNSET:-def}", "def"),
            ("${EMPTY:-def}", "def"),
            ("${SET:-def}", "value"),
            ("${UNSET-def}", "def"),
            ("${EMPTY-def}", ""),
            ("${SET:+alt}", "alt"),
            ("${EMPTY:+alt}", ""),
            ("${EMPTY+alt}", "alt"),
            ("${UNSET+alt}", ""),
            ("${UNSET:-${B}}", "bee"),
            ("${UNSET:-${ALSO:-x${B}y}}", "xbeey"),
            ("${SET:-${NOT_WARNED}}", "value"),
            ("$$SET", "$SET"),
            ("cost: 5$", "cost: 5$"),
            ("$$", "$"),
            ("${SET?oops}", "value"),
        ];
        for (input, expected) in cases {
            let (out, issues) = interpolate(input, &vars());
            assert_eq!(&out, expected, "{input}");
            assert!(issues.is_empty(), "{input}: {issues:?}");
        }
    }

    #[test]
    fn unset_required_and_invalid_substitutions_are_issues() {
        let (out, issues) = interpolate("a${UNSET}b$ALSO", &vars());
        assert_eq!(out, "ab");
        assert_eq!(
            issues,
            [Issue::Unset("UNSET".into()), Issue::Unset("ALSO".into())]
        );
        let (out, issues) = interpolate("x-${EMPTY:?needs ${B}}", &vars());
        assert_eq!(out, "", "the value of a failed requirement is empty");
        assert_eq!(
            issues,
            [Issue::Required {
                name: "EMPTY".into(),
                message: "needs bee".into()
            }]
        );
        assert!(interpolate("${EMPTY?fine}", &vars()).1.is_empty());
        let (out, issues) = interpolate("${UNSET?}", &vars());
        assert_eq!((out.as_str(), issues.len()), ("", 1));
        assert_eq!(issues[0].describe(), "required variable `UNSET` is not set");
        let (out, issues) = interpolate("a ${SET", &vars());
        assert_eq!(out, "a ${SET");
        assert!(matches!(issues[..], [Issue::Invalid(_)]));
        let (out, issues) = interpolate("${SET/x}", &vars());
        assert_eq!(out, "${SET/x}");
        assert_eq!(issues.len(), 1);
    }

    #[test]
    fn env_file_lines() {
        let text = "# comment\n\nA=1\nexport B = two words \nC=\"quoted # not a comment\\n\"\nD='single $x'\nE=plain # comment\nNOEQUALS\nF=\n";
        let vars = parse_env_file(text);
        assert_eq!(vars["A"], "1");
        assert_eq!(vars["B"], "two words");
        assert_eq!(vars["C"], "quoted # not a comment\n");
        assert_eq!(vars["D"], "single $x");
        assert_eq!(vars["E"], "plain");
        assert_eq!(vars["F"], "");
        assert!(!vars.contains_key("NOEQUALS"));
    }
}
