//! PC4025: one stage downloads with both curl and wget.

use super::Rule;
use crate::finding::Severity;

pub static CURL_AND_WGET_MIXED: Rule = Rule {
    code: "PC4025",
    name: "curl-and-wget-mixed",
    summary: "One stage uses both curl and wget",
    severity: Severity::Warning,
    tags: &["hygiene"],
    aliases: &["DL4001", "DS-0014"],
    help: r#"## What it catches
A stage whose `RUN` scripts run both `curl` and `wget`. Every `RUN` that uses either tool after
the second one first appears is reported, at the tool's name. Installing a tool
(`apt-get install curl wget`) does not count; running it does.

## Why it matters
Both tools do the same job here. Keeping both means two packages, their libraries and their
security updates in the image, and two sets of flags to get right (TLS, redirects, failure on
HTTP errors). Pick one and use it for every download in the stage.

## Example
```dockerfile
RUN curl -fsSLo /tmp/a.tar.gz https://example.com/a.tar.gz
RUN wget -q -O /tmp/b.tar.gz https://example.com/b.tar.gz
```
Use instead:
```dockerfile
RUN curl -fsSLo /tmp/a.tar.gz https://example.com/a.tar.gz \
 && curl -fsSLo /tmp/b.tar.gz https://example.com/b.tar.gz
```
"#,
    enabled_by_default: true,
};
