//! PC4013: every package of the base image upgraded during the build.

use super::Rule;
use crate::finding::Severity;

pub static SYSTEM_UPGRADE_IN_BUILD: Rule = Rule {
    code: "PC4013",
    name: "system-upgrade-in-build",
    summary: "A build step upgrades all the packages of the base image",
    severity: Severity::Warning,
    tags: &["hygiene"],
    aliases: &[
        "DL3035",
        "DS-0024",
        "DKL-DI-0003",
        "DL3005",
        "DL3017",
        "DL3031",
        "DL3039",
    ],
    help: r#"## What it catches
A `RUN` that upgrades the whole system instead of named packages, pointed at the subcommand:
- `zypper dist-upgrade`/`dup`, and `zypper update`/`up` with no package named;
- `apt-get dist-upgrade`, `apt-get full-upgrade` and `apt-get upgrade` with no package named
  (also through `apt` and `aptitude`);
- `apk upgrade` with no package named;
- `yum`, `dnf` or `microdnf` `upgrade`, `update` or `distro-sync` with no package named.

hadolint retired its own checks for the apt, apk, yum and dnf cases (DL3005, DL3017, DL3031,
DL3039); those ids still name these findings, so old `# hadolint ignore=` comments keep working.

## Why it matters
What the step installs depends on the day the image is built, not on the Dockerfile: two builds
of the same commit differ, an upgrade can break the image with no change to review, and the
layer carries a second copy of every upgraded file on top of the base image's. A distribution
upgrade can even move the image to packages the base image's maintainers never tested
together.

Take fixes from the base image instead: pin it to a recent tag or digest, rebuild when it is
updated (a bot such as Dependabot or Renovate can raise the pull request), and upgrade
single packages by name, with a version, when a fix cannot wait.

## Example
```dockerfile
FROM debian:12
RUN apt-get update && apt-get -y dist-upgrade
```
Use instead:
```dockerfile
FROM debian:12.8@sha256:<digest of the current release>
```
"#,
    enabled_by_default: true,
};
