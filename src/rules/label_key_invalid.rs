//! PC9011: a LABEL key that breaks the label naming conventions.

use super::Rule;
use crate::finding::Severity;

pub static LABEL_KEY_INVALID: Rule = Rule {
    code: "PC9011",
    name: "label-key-invalid",
    summary: "A LABEL key does not follow the label key format",
    severity: Severity::Style,
    tags: &["maintainability"],
    aliases: &["DL3048"],
    help: r#"## What it catches
A `LABEL` key that:
- does not start with a lower-case letter, or does not end with a lower-case letter or digit;
- contains anything but lower-case letters, digits, `.`, `-`, `_` and `/`;
- contains `..` or `--`;
- lies in a namespace Docker reserves for itself: `com.docker.`, `io.docker.` or
  `org.dockerproject.`.

Keys are read after quotes are removed and variables are resolved; a key whose value cannot be
known is skipped.

## Why it matters
Label keys are looked up by exact text. Following one format (reverse-DNS prefixes of your
own, like `org.opencontainers.image.source` or `com.example.team`) keeps them predictable for
the tools that filter and report on them, and stays out of the namespaces that Docker may give
a meaning to.

## Example
```dockerfile
LABEL Maintainer="Jane Doe" com.docker.version="1.2"
```
Use instead:
```dockerfile
LABEL org.opencontainers.image.authors="Jane Doe" com.example.version="1.2"
```
"#,
    enabled_by_default: true,
};
