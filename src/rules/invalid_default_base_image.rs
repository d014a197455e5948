//! PC8052: the global ARG defaults give no valid base image.

use super::Rule;
use crate::finding::Severity;

pub static INVALID_DEFAULT_BASE_IMAGE: Rule = Rule {
    code: "PC8052",
    name: "invalid-default-base-image",
    summary: "With its ARG defaults the FROM image is empty or not a valid image reference",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &["InvalidDefaultArgInFrom"],
    help: r#"## What it catches
A `FROM` whose image uses global `ARG`s and that, with only their default values (no
`--build-arg`), expands to an empty string or to something that is not an image reference:
`FROM $BASE` with `ARG BASE` and no default, `FROM node:${TAG}` with an empty `TAG`, or a
default with upper-case letters in the repository name.

## Why it matters
The Dockerfile only builds when the caller remembers every `--build-arg`. A plain
`docker build .` fails with an obscure reference error, and tools that read the Dockerfile
(scanners, update bots) cannot tell which image it uses.

## Example
```dockerfile
ARG TAG
FROM python:${TAG}
```
Use instead:
```dockerfile
ARG TAG=3.12-slim
FROM python:${TAG}
```
"#,
    enabled_by_default: true,
};
