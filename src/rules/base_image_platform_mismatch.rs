//! PC8053: the base image is not published for the platform the stage builds for.

use super::Rule;
use crate::finding::Severity;

pub static BASE_IMAGE_PLATFORM_MISMATCH: Rule = Rule {
    code: "PC8053",
    name: "base-image-platform-mismatch",
    summary: "The base image is not available for the platform the stage is built for",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["InvalidBaseImagePlatform"],
    help: r#"## What it catches
A `FROM` image whose published platforms (read from its registry manifest or index) do not
include the operating system and architecture the stage is built for: the `--platform` of the
`FROM`, or else the target platform of the build (`linux/amd64` unless configured).

The check needs the image's metadata, so it only runs where Portcullis has resolved the base
images; a plain `portcullis lint` without that metadata reports nothing.

## Why it matters
The builder then runs the image under emulation, which is slow and sometimes subtly broken,
or the container fails at start with `exec format error`. Often the `--platform` of the `FROM`
was meant to be `$BUILDPLATFORM`.

## Example
```dockerfile
FROM --platform=linux/arm64 vendor/tool-amd64-only:2
```
Use instead:
```dockerfile
FROM --platform=linux/amd64 vendor/tool-amd64-only:2
```
"#,
    enabled_by_default: true,
};
