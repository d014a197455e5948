//! PC3004: a download piped straight into a shell.

use super::Rule;
use crate::finding::Severity;

pub static PIPE_TO_SHELL: Rule = Rule {
    code: "PC3004",
    name: "pipe-to-shell",
    summary: "A downloaded script is piped straight into a shell",
    severity: Severity::Warning,
    tags: &["security", "supply-chain"],
    aliases: &[],
    help: r#"## What it catches
`curl …` or `wget -O- …` piped into `sh`, `bash`, `zsh`, `ash`, `dash`, `ksh`, `python`,
`perl` or `ruby`, and `sh -c "$(curl …)"`.

## Why it matters
The script runs before anyone can check what it is: its content can change between builds, a
network error can execute half a script, and nothing verifies who wrote it. Download to a file,
check a pinned checksum or signature, then run it; or use `ADD --checksum=sha256:…`.

## Example
```dockerfile
RUN curl -fsSL https://example.com/install.sh | sh
```
Use instead:
```dockerfile
ADD --checksum=sha256:<published checksum> https://example.com/install.sh /tmp/install.sh
RUN sh /tmp/install.sh && rm /tmp/install.sh
```
"#,
    enabled_by_default: true,
};
