//! PC9030: a label the schema requires is missing (off until a schema is configured).

use super::Rule;
use crate::finding::Severity;

pub static LABEL_MISSING: Rule = Rule {
    code: "PC9030",
    name: "label-missing",
    summary: "The image lacks a label that the configured label schema requires",
    severity: Severity::Info,
    tags: &["maintainability"],
    aliases: &["DL3049"],
    help: r#"## What it catches
A label named in the configured schema (`[dockerfile] label-schema` in `.portcullis.toml`,
`label-schema` in `.hadolint.yaml`, or `--require-label NAME:TYPE`) that no `LABEL` of the final
stage sets — labels set by the stages it is built `FROM` count, labels of unrelated build stages
do not. Reported at the final stage's `FROM`, once per missing label. Off until a schema is
configured.

## Why it matters
Organisations rely on labels to trace an image back to its source, owner and licence: the
registry UI, SBOM tools and incident response all read `org.opencontainers.image.*`. A label
that is only sometimes present is as good as none.

## Example
With `label-schema = { "org.opencontainers.image.source" = "url" }`:
```dockerfile
FROM debian:12-slim
CMD ["app"]
```
Use instead:
```dockerfile
FROM debian:12-slim
LABEL org.opencontainers.image.source="https://example.com/team/app"
CMD ["app"]
```
"#,
    enabled_by_default: false,
};
