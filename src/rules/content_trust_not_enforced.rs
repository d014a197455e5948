//! PC3030: the image was scanned without Docker Content Trust enforced.

use super::Rule;
use crate::finding::Severity;

pub static CONTENT_TRUST_NOT_ENFORCED: Rule = Rule {
    code: "PC3030",
    name: "content-trust-not-enforced",
    summary: "Docker Content Trust is not enforced in the environment the image was scanned from",
    severity: Severity::Info,
    tags: &[
        "security",
        "supply-chain",
        "CIS-Docker-1.6.0:4.5",
        "CIS-Docker-1.7.0:4.5",
    ],
    aliases: &["CIS-DI-0005"],
    help: r#"## What it catches
An image scan (`portcullis scan`) run while the environment variable `DOCKER_CONTENT_TRUST` is
not `1`: the Docker clients of that environment pull and run images without checking their
signatures. One finding per scanned image, on the image. This is a check of where the scan
runs (typically the CI job that builds and pushes the image), as Dockle's `CIS-DI-0005` is;
set `DOCKER_CONTENT_TRUST=1` there.

Off by default (turn it on with `enable = ["content-trust-not-enforced"]` under `[rules]`, or
`--enable CIS-DI-0005` where the command takes it): unlike Dockle, which only lists it, a
finding about the scanning machine would otherwise be in every scan of every image, and fail
every `portcullis check` under the default failure threshold wherever signing is enforced by
other means (an admission controller, cosign policies).

## Why it matters
Without content trust, `docker pull` and `docker run` take whatever the registry serves for a
tag: a tag moved by mistake or by an attacker is used as is. With `DOCKER_CONTENT_TRUST=1`,
the client only accepts image tags signed by their publishers, and `docker push` signs what
it pushes.

## Example
```sh
docker build -t registry.example.com/team/app:1.4 .
portcullis scan registry.example.com/team/app:1.4
```
Use instead:
```sh
export DOCKER_CONTENT_TRUST=1
docker build -t registry.example.com/team/app:1.4 .
portcullis scan registry.example.com/team/app:1.4
```
"#,
    enabled_by_default: false,
};
