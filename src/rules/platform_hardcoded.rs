//! PC8005: FROM --platform set to a fixed value.

use super::Rule;
use crate::finding::Severity;

pub static PLATFORM_HARDCODED: Rule = Rule {
    code: "PC8005",
    name: "platform-hardcoded",
    summary: "FROM --platform pins the stage to a platform that does not follow the build",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["FromPlatformFlagConstDisallowed", "DL3029"],
    help: r#"## What it catches
A `FROM --platform=<value>` that does not follow the platform being built:
- a constant such as `linux/amd64` (no variables). This is not reported for the BuildKit check
  when the stage name mentions the operating system or architecture of that value (as in
  `AS build-amd64`), which shows the pinning is deliberate;
- for hadolint's check, any value that mentions neither `BUILDPLATFORM` nor
  `TARGETPLATFORM`, variables included.

Each finding names the upstream ids that apply to it. `--platform=$TARGETPLATFORM` is
reported by `platform-redundant` instead.

## Why it matters
A pinned platform makes multi-platform builds produce images whose stages run on the wrong
architecture (through emulation, slowly, or not at all) and surprises anyone who builds with
`--platform`. Use `$BUILDPLATFORM` for stages that run build tools, and leave the flag out
for stages that end up in the image.

## Example
```dockerfile
FROM --platform=linux/amd64 golang:1.22 AS build
```
Use instead:
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
ARG TARGETOS TARGETARCH
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
```
"#,
    enabled_by_default: true,
};
