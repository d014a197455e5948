//! PC4023: wget prints its progress into the build log.

use super::Rule;
use crate::finding::Severity;

pub static WGET_PROGRESS_OUTPUT: Rule = Rule {
    code: "PC4023",
    name: "wget-progress-output",
    summary: "wget runs without an option that quiets its progress output",
    severity: Severity::Info,
    tags: &["maintainability"],
    aliases: &["DL3047"],
    help: r#"## What it catches
`wget` in a `RUN` script without any of `-q`/`--quiet`, `-nv`/`--no-verbose`,
`--progress=…`, or `-o`/`--output-file` and `-a`/`--append-output` (which send the messages
to a file).

## Why it matters
Without a terminal, `wget` reports progress as rows of dots, one row per few kilobytes. A large
download adds thousands of lines to the build log, which buries the messages that matter and
can hit the log size limit of CI systems. `-nv` keeps one line per file and still shows errors;
`--progress=dot:giga` keeps a coarse progress display.

## Example
```dockerfile
RUN wget https://example.com/tool.tar.gz
```
Use instead:
```dockerfile
RUN wget -nv https://example.com/tool.tar.gz
```
"#,
    enabled_by_default: true,
};
