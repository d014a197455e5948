//! PC9032: a schema label's value is empty or not of the configured type.

use super::Rule;
use crate::finding::Severity;

pub static LABEL_VALUE_INVALID: Rule = Rule {
    code: "PC9032",
    name: "label-value-invalid",
    summary: "A label's value is empty or does not match the type the label schema gives it",
    severity: Severity::Warning,
    tags: &["maintainability"],
    aliases: &[
        "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058",
    ],
    help: r#"## What it catches
A `LABEL` whose key is in the configured label schema and whose value is empty (`DL3051`) or not
of the schema's type: `url` an absolute URI (`DL3052`), `rfc3339` a timestamp such as
`2024-05-01T12:00:00Z` (`DL3053`), `spdx` an SPDX license expression such as
`Apache-2.0 OR MIT` (`DL3054`), `hash` a full git commit id of 40 or 64 hex digits (`DL3055`),
`semver` a Semantic Versioning version (`DL3056`), `email` an e-mail address (`DL3058`). Values
are checked after ARG and ENV substitution; values that depend on a build argument without a
default are not judged. Off until a schema is configured.

## Why it matters
Labels are read by machines: a registry that links `org.opencontainers.image.source`, a
licence scanner that parses `org.opencontainers.image.licenses`, a deploy tool that compares
`version`. A value of the wrong shape breaks them silently.

## Example
With `label-schema = { "org.opencontainers.image.licenses" = "spdx" }`:
```dockerfile
LABEL org.opencontainers.image.licenses="Apache 2"
```
Use instead:
```dockerfile
LABEL org.opencontainers.image.licenses="Apache-2.0"
```
"#,
    enabled_by_default: false,
};
