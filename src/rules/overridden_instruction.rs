//! PC8022: a CMD, ENTRYPOINT or HEALTHCHECK that a later one in the stage replaces.

use super::Rule;
use crate::finding::Severity;

pub static OVERRIDDEN_INSTRUCTION: Rule = Rule {
    code: "PC8022",
    name: "overridden-instruction",
    summary: "A CMD, ENTRYPOINT or HEALTHCHECK is replaced by a later one in the same stage",
    severity: Severity::Warning,
    tags: &["correctness"],
    aliases: &[
        "DL4003",
        "DL4004",
        "DL3012",
        "DS-0016",
        "DS-0007",
        "DS-0023",
        "MultipleInstructionsDisallowed",
    ],
    help: r#"## What it catches
A stage with more than one `CMD`, `ENTRYPOINT` or `HEALTHCHECK`. Every one but the last is
reported, at its keyword, and the message names the line of the one that takes effect. `CMD`
findings answer to DL4003 and DS-0016, `ENTRYPOINT` findings to DL4004 and DS-0007,
`HEALTHCHECK` findings to DL3012 and DS-0023; all of them to BuildKit's
MultipleInstructionsDisallowed.

Instructions in different stages do not count against each other, nor do `ONBUILD` triggers.

## Why it matters
Each of these instructions sets one field of the image configuration, so only the last one
in a stage has any effect. The earlier ones are dead code that readers take at face value:
the health check or start command they see is not the one the image runs.

## Example
```dockerfile
CMD ["nginx", "-g", "daemon off;"]
RUN apt-get install -y curl
CMD ["/start.sh"]
```
Use instead:
```dockerfile
RUN apt-get install -y curl
CMD ["/start.sh"]
```
"#,
    enabled_by_default: true,
};
