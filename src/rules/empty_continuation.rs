//! PC0004: an empty line inside a continued instruction.

use super::Rule;
use crate::finding::Severity;

pub static EMPTY_CONTINUATION: Rule = Rule {
    code: "PC0004",
    name: "empty-continuation",
    summary: "An empty line sits inside a continued instruction",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["NoEmptyContinuation"],
    help: r#"## What it catches
A blank or whitespace-only line between the lines of an instruction continued with a trailing
escape character.

## Why it matters
BuildKit skips such lines today and has announced that they will become an error. They also
make it easy to believe an instruction ended when it did not.

## Example
```dockerfile
RUN apk add --no-cache \

    curl
```
Use instead:
```dockerfile
RUN apk add --no-cache \
    curl
```
"#,
    enabled_by_default: true,
};
