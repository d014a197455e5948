//! PC4007: the image contains files that only matter to development or CI.

use super::Rule;
use crate::finding::Severity;

pub static UNNECESSARY_FILE: Rule = Rule {
    code: "PC4007",
    name: "unnecessary-file",
    summary: "The image contains files that only matter to development or CI",
    severity: Severity::Info,
    tags: &[],
    aliases: &["DKL-LI-0003"],
    help: r#"## What it catches
Paths of an image's final filesystem that come from a development checkout rather than from
what the application needs: version control metadata (`.git/`, `.svn/`, `.hg/`), CI and
editor configuration (`.github/`, `.gitlab-ci.yml`, `.circleci/`, `.travis.yml`,
`Jenkinsfile`, `.idea/`, `.vscode/`), editor swap and backup files (`.*.swp`, `*~`) and
desktop clutter (`.DS_Store`, `Thumbs.db`). A directory is reported once, not file by file.

## Why it matters
They make the image bigger and leak how it was built: a `.git` directory holds the whole
history of the repository, including files deleted long ago and the remote's address. They are
almost always the sign of a `COPY . .` without a `.dockerignore`.

## Example
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY . .
```
Use instead: list what the build context must not send in `.dockerignore`:
```text
.git
.github
.vscode
**/*.swp
**/.DS_Store
```
"#,
    enabled_by_default: true,
};
