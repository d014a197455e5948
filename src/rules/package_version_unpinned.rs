//! PC3006: a package installed without a version.

use super::Rule;
use crate::finding::Severity;

pub static PACKAGE_VERSION_UNPINNED: Rule = Rule {
    code: "PC3006",
    name: "package-version-unpinned",
    summary: "A package is installed without pinning its version",
    severity: Severity::Warning,
    tags: &["security", "supply-chain"],
    aliases: &[
        "DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3033", "DL3037", "DL3041", "DL3062",
    ],
    help: r#"## What it catches
A package named in a `RUN` without a version, pointed at the package word:
- `apt-get install curl` (pin with `curl=<version>`; `pkg/release`, `*.deb` files and the
  value of `-t`/`--target-release` are not packages to pin);
- `apk add curl` (pin with `curl=<version>`, or `~`, `<`, `>` constraints);
- `pip install requests`, also through `pip3`, `python -m pip` and `pipx` (any of `==`, `>=`,
  `<=`, `>`, `<`, `!=`, `~=`, `===` counts as pinned, and a VCS URL with `@ref`; a command that
  reads `-r`/`--requirement` or `-c`/`--constraint` files, `pip install .`, local paths,
  `.whl` and `.tar.gz` files and `-e` targets are left alone; `pipenv` is not pip);
- `npm install express` (pin with `express@<version>`; scoped packages need the version after
  the scope, `@scope/pkg@<version>`; git URLs need a `#ref`; tarballs and local paths are left
  alone, and so are `npm install` with no package and `npm ci`, which follow the lock file);
- `gem install rails` (pin with `rails:<version>`, `-v` or `--version`);
- `yum`, `dnf` or `microdnf install httpd` (pin with `httpd-<version>`; `.rpm` files and
  `@group` names are left alone) and `module install nodejs` (pin the stream, `nodejs:18`);
- `zypper install curl` (pin with `curl=<version>` or a `<`, `>` constraint, or install an
  `.rpm` file);
- `go install`, `go get` or `go run` of a remote package without `@<version>`; `@latest`,
  `@upgrade`, `@patch`, `@none` and branch names such as `@master` do not pin anything. Local
  paths, `.go` files and packages of the main module are left alone.

A package given through a build argument or `ENV` (`apt-get install $PACKAGES`) is checked
with the value it has at that point of the build; a value that cannot be known while linting
is not reported.

## Why it matters
Without a version, the package installed is whatever the index offers on the day of the build:
two builds of the same commit can ship different software, a new release can break the image
without any change to the Dockerfile, and a compromised release is picked up silently. A
pinned version makes the build repeatable and turns every upgrade into a reviewed change.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
```
Use instead:
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
 && rm -rf /var/lib/apt/lists/*
```
"#,
    enabled_by_default: true,
};
