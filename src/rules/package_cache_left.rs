//! PC4004: package manager caches left in the image.

use super::Rule;
use crate::finding::Severity;

pub static PACKAGE_CACHE_LEFT: Rule = Rule {
    code: "PC4004",
    name: "package-cache-left",
    summary: "A package manager leaves its cache in the image",
    severity: Severity::Info,
    tags: &["hygiene"],
    aliases: &[
        "DL3009",
        "DL3019",
        "DL3032",
        "DL3036",
        "DL3040",
        "DL3042",
        "DL3060",
        "DS-0015",
        "DS-0019",
        "DS-0020",
        "DS-0025",
        "DS-0027",
        "DKL-DI-0004",
        "DKL-DI-0005",
    ],
    help: r#"## What it catches
A `RUN` in the final stage that installs packages and leaves the package manager's cache in
the layer:
- `apt-get update` without `rm -rf /var/lib/apt/lists/*` (`apt-get clean` empties the
  downloaded archives, not the lists);
- `apk add` without `--no-cache` (or removing `/var/cache/apk`);
- `yum`/`dnf`/`microdnf install` without `clean all`, `zypper install` without `zypper clean`
  (or removing the cache directory);
- `pip install` without `--no-cache-dir`, unless `PIP_NO_CACHE_DIR` is set to a true value
  (`1`, `on`, `yes`, `true`) by `ENV`, `ARG`, an assignment or an `export` in the step;
- `yarn install` without `yarn cache clean`.

A `RUN --mount=type=cache` or `type=tmpfs` on the cache directory (or a parent of it) keeps
the cache out of the layer and is not reported. Intermediate build stages are not reported
either, since their layers do not ship; an `ONBUILD RUN` of the final stage is, since it runs
in every image built from this one.

In images (`portcullis scan`), the same in the `RUN` steps the image history records. The
history does not record `--mount` flags, so a step that kept its cache in a cache mount is
reported too: check the Dockerfile before acting.

## Why it matters
Caches make the image larger for nothing, and the package lists they hold are stale the moment
the image is built.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```
Use instead:
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
```
"#,
    enabled_by_default: true,
};
