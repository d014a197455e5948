//! PC9013: ENV or LABEL in the legacy `key value` form.

use super::Rule;
use crate::finding::Severity;

pub static LEGACY_KEY_VALUE_FORMAT: Rule = Rule {
    code: "PC9013",
    name: "legacy-key-value-format",
    summary: "ENV or LABEL uses the legacy whitespace-separated `key value` form",
    severity: Severity::Style,
    tags: &["maintainability"],
    aliases: &["LegacyKeyValueFormat"],
    help: r#"## What it catches
An `ENV` or `LABEL` whose key is separated from its value by whitespace instead of `=`:
`ENV PATH /opt/app/bin:$PATH`. The finding points at the key and shows the `key=value`
spelling.

## Why it matters
In the legacy form everything after the key, spaces included, is the value, and only one
variable fits on the instruction; adding a second pair silently becomes part of the first
value. The `key=value` form reads the same as a shell assignment, takes several pairs, and is
the only form the Dockerfile reference still documents: the old one may go away.

## Example
```dockerfile
ENV APP_HOME /opt/app
LABEL description A small web server
```
Use instead:
```dockerfile
ENV APP_HOME=/opt/app
LABEL description="A small web server"
```
"#,
    enabled_by_default: true,
};
