//! PC3003: TLS or signature verification turned off.

use super::Rule;
use crate::finding::Severity;

pub static TLS_VERIFICATION_DISABLED: Rule = Rule {
    code: "PC3003",
    name: "verification-disabled",
    summary: "TLS certificate or package signature verification is turned off",
    severity: Severity::Error,
    tags: &[
        "security",
        "supply-chain",
        "CIS-Docker-1.6.0:4.11",
        "CIS-Docker-1.7.0:4.11",
    ],
    aliases: &[
        "CKV2_DOCKER_2",
        "CKV2_DOCKER_3",
        "CKV2_DOCKER_4",
        "CKV2_DOCKER_5",
        "CKV2_DOCKER_6",
        "CKV2_DOCKER_7",
        "CKV2_DOCKER_8",
        "CKV2_DOCKER_9",
        "CKV2_DOCKER_10",
        "CKV2_DOCKER_11",
        "CKV2_DOCKER_12",
        "CKV2_DOCKER_13",
        "CKV2_DOCKER_14",
        "CKV2_DOCKER_15",
        "CKV2_DOCKER_16",
    ],
    help: r#"## What it catches
Commands and settings that download software without checking who sent it:
- `curl -k`/`--insecure`, `wget --no-check-certificate`, `git -c http.sslVerify=false`;
- `pip install --trusted-host`, `npm`/`yarn config set strict-ssl false`;
- `apt-get --allow-unauthenticated`/`--allow-insecure-repositories`/`--force-yes`,
  `apk --allow-untrusted`, `yum`/`dnf`/`tdnf`/`microdnf --nogpgcheck`, `--setopt=sslverify=false`,
  `rpm --nosignature`/`--nodigest`/`--noverify`/`--nofiledigest`;
- `ENV`/`ARG` settings that switch verification off for every later step: `GIT_SSL_NO_VERIFY`,
  `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `NPM_CONFIG_STRICT_SSL=false`,
  `PIP_TRUSTED_HOST`.

## Why it matters
Without certificate checks anyone on the network path can substitute what is downloaded;
without signature checks a tampered mirror can. Either way the image runs code nobody
vetted. Fix the CA bundle or the repository key instead.

## Example
```dockerfile
RUN curl -k https://example.com/install.tar.gz | tar -xz
```
Use instead:
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && curl -fsSL https://example.com/install.tar.gz | tar -xz
```
"#,
    enabled_by_default: true,
};
