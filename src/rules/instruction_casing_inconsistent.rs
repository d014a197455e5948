//! PC9012: instruction keywords in mixed or minority casing.

use super::Rule;
use crate::finding::Severity;

pub static INSTRUCTION_CASING_INCONSISTENT: Rule = Rule {
    code: "PC9012",
    name: "instruction-casing-inconsistent",
    summary: "An instruction keyword does not use the casing of the rest of the file",
    severity: Severity::Style,
    tags: &["maintainability"],
    aliases: &["ConsistentInstructionCasing"],
    help: r#"## What it catches
An instruction keyword that mixes cases (`Run`, `Copy`), or that is all lower case in a file
where most keywords are upper case, or the other way round. Ties count as upper case. The keyword of an `ONBUILD` trigger counts like any other.
The finding points at the keyword and says which casing to use.

## Why it matters
Keywords are case-insensitive, so casing is only about reading: one casing throughout makes
instructions easy to tell apart from their arguments and makes the file easy to search.

## Example
```dockerfile
FROM alpine:3.20
Run apk add --no-cache curl
copy app /usr/local/bin/app
```
Use instead:
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl
COPY app /usr/local/bin/app
```
"#,
    enabled_by_default: true,
};
