//! PC0005: a suppression comment that silences nothing.

use super::Rule;
use crate::finding::Severity;

pub static UNUSED_SUPPRESSION: Rule = Rule {
    code: "PC0005",
    name: "unused-suppression",
    summary: "A suppression comment matches no finding",
    severity: Severity::Info,
    tags: &["maintainability"],
    aliases: &[],
    help: r#"## What it catches
A `# portcullis ignore=…` or `# hadolint ignore=…` comment that did not silence anything: the
problem was fixed, the comment is not directly above the instruction it means, or the rule id
is misspelt.

## Why it matters
Stale suppressions hide the next real finding on that line and mislead readers about why the
code is the way it is.

## Example
```dockerfile
# portcullis ignore=DL3008 reason="pinned by the base image"
RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
```
Use instead: remove the comment once nothing needs it.
"#,
    enabled_by_default: true,
};
