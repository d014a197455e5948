//! PC0006: a suppression whose `until=` date has passed.

use super::Rule;
use crate::finding::Severity;

pub static SUPPRESSION_EXPIRED: Rule = Rule {
    code: "PC0006",
    name: "suppression-expired",
    summary: "A suppression comment's until= date has passed, so it no longer applies",
    severity: Severity::Warning,
    tags: &["maintainability"],
    aliases: &[],
    help: r#"## What it catches
A `# portcullis ignore=… until=YYYY-MM-DD` (or `# hadolint ignore=… until=…`) comment whose
date is in the past. From the day after that date the comment suppresses nothing: the findings
it covered are reported again, and this finding says which comment expired and why it was
written (its `reason=`).

## Why it matters
A time-boxed exception is a promise to come back. When the date passes, silently keeping the
exception would turn it into a permanent one; dropping it without a word would surprise whoever
reads the new findings. Reporting the expiry at the comment itself shows both what resurfaced
and where to renew or delete the exception.

## Example
```dockerfile
# portcullis ignore=DL3008 until=2026-01-31 reason="pin once the mirror has 1.2"
RUN apt-get install -y curl
```
Use instead: fix the finding (pin the package) and delete the comment, or, if the exception
still holds, give it a new date and a reason that says what it waits for:
```dockerfile
# portcullis ignore=DL3008 until=2026-06-30 reason="mirror still serves 1.1 only (TICKET-42)"
RUN apt-get install -y curl
```
"#,
    enabled_by_default: true,
};
