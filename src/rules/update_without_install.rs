//! PC4003: a package index update alone in its RUN.

use super::Rule;
use crate::finding::Severity;

pub static UPDATE_WITHOUT_INSTALL: Rule = Rule {
    code: "PC4003",
    name: "update-without-install",
    summary: "A package index is updated in a RUN that installs nothing",
    severity: Severity::Warning,
    tags: &["CIS-Docker-1.6.0:4.7", "CIS-Docker-1.7.0:4.7"],
    aliases: &["DS-0017", "CKV_DOCKER_5", "CIS-DI-0007"],
    help: r#"## What it catches
`apt-get update`, `apt update`, `apk update`, `yum`/`dnf`/`microdnf makecache` or
`zypper refresh` in a `RUN` that does not also install or upgrade packages with the same
package manager.

In images (`portcullis scan`), the same in the `RUN` steps the image history records.

## Why it matters
The build cache keeps the layer with the old index. A later `RUN apt-get install` that changes
reuses that stale index and fails, or installs outdated versions with known vulnerabilities.
Update and install in the same `RUN`.

## Example
```dockerfile
RUN apk update
RUN apk add curl
```
Use instead (`--no-cache` fetches a fresh index and keeps none):
```dockerfile
RUN apk add --no-cache curl
```
"#,
    enabled_by_default: true,
};
