//! PC9003: a comment above a stage or ARG that does not start with its name.

use super::Rule;
use crate::finding::Severity;

pub static DEFINITION_DESCRIPTION_INVALID: Rule = Rule {
    code: "PC9003",
    name: "definition-description-invalid",
    summary: "The comment above a named stage or an ARG does not start with its name",
    severity: Severity::Style,
    tags: &["style"],
    aliases: &["InvalidDefinitionDescription"],
    help: r#"## What it catches
A comment directly above `FROM … AS <name>` or `ARG <name>` (no blank line in between) whose
last line does not start with the stage name or with one of the names the `ARG` declares,
followed by a space or the end of the comment. Definitions without a comment above them are
not reported.

This rule is off by default, as the check is experimental in BuildKit; turn it on with
`enable = ["PC9003"]` under `[rules]` in `.portcullis.toml`.

## Why it matters
Tools that list a Dockerfile's build targets and build arguments (such as
`docker buildx build --call=outline`) take the description from the comment above each
definition, when that comment starts with the name. Any other comment is ignored or
shown as the wrong thing.

## Example
```dockerfile
# Compiles the server.
FROM golang:1.22 AS build
# Go version to build with.
ARG GO_VERSION=1.22
```
Use instead:
```dockerfile
# build compiles the server.
FROM golang:1.22 AS build
# GO_VERSION is the Go version to build with.
ARG GO_VERSION=1.22
```
"#,
    enabled_by_default: false,
};
