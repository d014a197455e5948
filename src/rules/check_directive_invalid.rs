//! PC8055: a `# check=` directive cannot be read or names no BuildKit check.

use super::Rule;
use crate::finding::Severity;

pub static CHECK_DIRECTIVE_INVALID: Rule = Rule {
    code: "PC8055",
    name: "check-directive-invalid",
    summary: "A `# check=` directive cannot be read or names a check that does not exist",
    severity: Severity::Error,
    tags: &["correctness"],
    aliases: &[],
    help: r#"## What it catches
The BuildKit `# check=` parser directive, or the same comment directly above an instruction,
when it is not `skip=<Check,…|all>`, `error=<bool>` and `experimental=<Check,…|all>` joined by
`;` — an unknown option, a missing `=`, a value that is not a boolean. Those are errors: the
build stops. A check name that BuildKit does not know is reported too, as a warning, with the
closest known name; BuildKit silently ignores it, so the check meant to be skipped still runs.

## Why it matters
`docker build` refuses a Dockerfile whose check directive it cannot read, and a misspelt check
name skips nothing.

## Example
```dockerfile
# check=skip=JSONArgsRecomended;error=yes
```
Use instead:
```dockerfile
# check=skip=JSONArgsRecommended;error=true
```
"#,
    enabled_by_default: true,
};
