//! PC4006: MAINTAINER is deprecated.

use super::Rule;
use crate::finding::Severity;

pub static MAINTAINER_DEPRECATED: Rule = Rule {
    code: "PC4006",
    name: "maintainer-deprecated",
    summary: "MAINTAINER is deprecated",
    severity: Severity::Warning,
    tags: &["maintainability"],
    aliases: &["DL4000", "MaintainerDeprecated", "DS-0022", "CKV_DOCKER_6"],
    help: r#"## What it catches
The `MAINTAINER` instruction.

## Why it matters
It has been deprecated since Docker 1.13. Tools read the author from the standard OCI label
instead.

## Example
```dockerfile
MAINTAINER Jane Doe <jane@example.com>
```
Use instead:
```dockerfile
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
```
"#,
    enabled_by_default: true,
};
