//! PC8024: an ENV value uses a variable the same ENV sets.

use super::Rule;
use crate::finding::Severity;

pub static ENV_SAME_STATEMENT_REFERENCE: Rule = Rule {
    code: "PC8024",
    name: "env-same-statement-reference",
    summary: "An ENV value uses a variable that the same ENV instruction sets",
    severity: Severity::Error,
    tags: &["correctness"],
    aliases: &["DL3044"],
    help: r#"## What it catches
An `ENV` instruction with several `key=value` pairs where one value refers to a variable
(`$NAME` or `${NAME}`) that another pair of the same instruction sets, as in
`ENV DIR=/opt/app BIN=$DIR/bin`. The finding points at the reference.

A variable referring to itself (`ENV PATH=/opt/app/bin:$PATH`) is fine. A reference is not
reported either when the variable already had the same value before the instruction, or a
value that cannot be known (a build argument without default, or one set by the base image).

## Why it matters
The builder expands all the values of one `ENV` before it sets any of them. The reference
therefore gets the value the variable had *before* the instruction, empty if it had none, not
the value written next to it: `BIN` above becomes `/bin`.

## Example
```dockerfile
ENV APP_HOME=/opt/app APP_BIN=$APP_HOME/bin
```
Use instead:
```dockerfile
ENV APP_HOME=/opt/app
ENV APP_BIN=$APP_HOME/bin
```
"#,
    enabled_by_default: true,
};
