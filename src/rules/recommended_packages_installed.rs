//! PC4011: apt installs recommended packages too.

use super::Rule;
use crate::finding::Severity;

pub static RECOMMENDED_PACKAGES_INSTALLED: Rule = Rule {
    code: "PC4011",
    name: "recommended-packages-installed",
    summary: "apt installs the recommended packages as well as the ones asked for",
    severity: Severity::Info,
    tags: &["hygiene", "CIS-Docker-1.6.0:4.3", "CIS-Docker-1.7.0:4.3"],
    aliases: &["DL3015", "DS-0029"],
    help: r#"## What it catches
`apt-get install` (also `apt install`) without `--no-install-recommends`, pointed at the
`install` word. Turning recommendations off another way is recognised too:
`-o APT::Install-Recommends=false` on the command, or an `APT::Install-Recommends "false";`
setting written by an earlier `RUN` of the stage (or of the stages it is built on), as in
`echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/99norecommends`.
`aptitude install` is reported without `-R`/`--without-recommends`.

## Why it matters
By default apt also installs every package the requested ones merely recommend: documentation,
optional tools, sometimes whole language runtimes. They make the image larger, add software
that needs patching and scanning, and widen what an attacker can use inside the container,
without the application needing any of it.

## Example
```dockerfile
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
```
Use instead:
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
```
"#,
    enabled_by_default: true,
};
