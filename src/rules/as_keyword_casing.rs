//! PC9002: the `AS` of a FROM cased differently from the FROM.

use super::Rule;
use crate::finding::Severity;

pub static AS_KEYWORD_CASING: Rule = Rule {
    code: "PC9002",
    name: "as-keyword-casing",
    summary: "The AS keyword of a FROM is not cased like the FROM keyword",
    severity: Severity::Style,
    tags: &["style"],
    aliases: &["FromAsCasing"],
    help: r#"## What it catches
`FROM image AS name` where `FROM` is all upper case and `AS` is not, or `FROM` is all lower
case and `AS` is not. A `FROM` keyword of mixed case is left to rules about instruction
casing.

## Why it matters
Both words are keywords of one instruction; writing them alike keeps the line readable and
consistent with the rest of the file.

## Example
```dockerfile
FROM debian:12 as build
```
Use instead:
```dockerfile
FROM debian:12 AS build
```
"#,
    enabled_by_default: true,
};
