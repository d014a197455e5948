//! PC2003: the image contains a file that usually holds credentials.

use super::Rule;
use crate::finding::Severity;

pub static CREDENTIAL_FILE: Rule = Rule {
    code: "PC2003",
    name: "credential-file",
    summary: "The image contains a file that usually holds credentials",
    severity: Severity::Warning,
    tags: &["security", "CIS-Docker-1.6.0:4.10", "CIS-Docker-1.7.0:4.10"],
    aliases: &[],
    help: r#"## What it catches
Files of an image's final filesystem whose name says they hold credentials: cloud CLI
credentials (`.aws/credentials`, `.azure/accessTokens.json`, `.config/gcloud/credentials.db`),
registry and package manager tokens (`.docker/config.json`, `.npmrc`, `.pypirc`,
`.git-credentials`, `.netrc`), SSH private keys (`.ssh/id_rsa`, `id_ecdsa`, `id_ed25519`) and
dotenv files (`.env`, `.env.local`, …; `.env.example` and `.env.sample` are not reported).
The content is not read: the name is enough to ask whether the file belongs there.

## Why it matters
Everyone who can pull the image can read every file in it, in every layer: deleting the file
in a later layer does not remove it from the one that added it. A token copied in by
`COPY . .` or left by a build step is as good as published.

## Example
```dockerfile
FROM node:22
WORKDIR /app
COPY . .
RUN npm ci
```
Use instead: keep credentials out of the build context (`.dockerignore`) and give build steps
secrets through BuildKit:
```dockerfile
# syntax=docker/dockerfile:1
FROM node:22
WORKDIR /app
COPY package*.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
COPY src ./src
```
"#,
    enabled_by_default: true,
};
