//! PC0001: the file cannot be read as a Dockerfile at some point.

use super::Rule;
use crate::finding::Severity;

pub static SYNTAX_ERROR: Rule = Rule {
    code: "PC0001",
    name: "syntax-error",
    summary: "The Dockerfile cannot be parsed as written at this point",
    severity: Severity::Error,
    tags: &["correctness"],
    aliases: &["DL1000", "DL3043"],
    help: r#"## What it catches
Text that BuildKit would refuse to build: a file with no instructions, an `ENV` or `LABEL`
without a value, a JSON array holding something other than strings, a heredoc that is never
terminated, a repeated or invalid parser directive, a missing argument, a line longer than
65,535 bytes, an `ONBUILD` whose trigger is `ONBUILD`, `FROM` or `MAINTAINER` (the only case
hadolint reports as a rule, DL3043, rather than as a parse failure, DL1000).

## Why it matters
`docker build` stops at the first of these. Portcullis reports each one with its exact position
and goes on reading the rest of the file, so one typo does not hide every other finding.

## Example
```dockerfile
ENV PATH
RUN <<EOF
echo "never terminated"
```
Use instead:
```dockerfile
ENV PATH=/usr/local/bin:$PATH
RUN <<EOF
echo "terminated"
EOF
```
"#,
    enabled_by_default: true,
};
