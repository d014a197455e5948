//! PC4001: ADD used where COPY does the job.

use super::Rule;
use crate::finding::Severity;

pub static ADD_INSTEAD_OF_COPY: Rule = Rule {
    code: "PC4001",
    name: "add-instead-of-copy",
    summary: "ADD is used where COPY would do",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:4.9", "CIS-Docker-1.7.0:4.9"],
    aliases: &["DL3020", "DS-0005", "CKV_DOCKER_4", "CIS-DI-0009"],
    help: r#"## What it catches
`ADD` whose sources are plain local files or directories: not a URL, not a git repository and
not a local archive that `ADD` would unpack. Heredoc sources (`ADD <<EOF`) count as plain
files too.

In images (`portcullis scan`), the same in the `ADD` steps the image history records by
name (BuildKit). The classic builder records local sources as `file:<hash>`, which does not
say whether they were archives: those steps are not reported.

## Why it matters
`ADD` does more than copy: it fetches URLs and silently unpacks archives. Using it for plain
files hides that behaviour from reviewers, and a file that later turns into an archive changes
what the image contains. `COPY` says exactly what happens.

## Example
```dockerfile
ADD requirements.txt /app/
```
Use instead:
```dockerfile
COPY requirements.txt /app/
```
"#,
    enabled_by_default: true,
};
