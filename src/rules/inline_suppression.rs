//! PC0007: an inline suppression comment (off unless enabled, like hadolint's DL1001).

use super::Rule;
use crate::finding::Severity;

pub static INLINE_SUPPRESSION: Rule = Rule {
    code: "PC0007",
    name: "inline-suppression",
    summary: "A rule is suppressed by a comment inside the Dockerfile",
    severity: Severity::Info,
    tags: &["maintainability"],
    aliases: &["DL1001"],
    help: r#"## What it catches
Every `# portcullis ignore=…` and `# hadolint ignore=…` comment (next-instruction, `stage` and
`global` forms), at the comment. The rule is off by default; turn it on with
`--enable inline-suppression` (or `DL1001`) when exceptions must live in the central
configuration instead of in the files.

## Why it matters
Teams that review policy exceptions centrally want to know when a Dockerfile silences a rule on
its own. Listing each such comment makes them visible in review and in reports; the comment
still takes effect unless inline suppressions are disabled (`disable-ignore-pragma`).

## Example
```dockerfile
# hadolint ignore=DL3008
RUN apt-get install -y curl
```
Use instead: pin the package, or record the exception in `.portcullis.toml`:
```toml
[rules]
disable = ["DL3008"]
```
"#,
    enabled_by_default: false,
};
