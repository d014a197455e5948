//! PC3020: a download is used without checking its checksum or signature.

use super::Rule;
use crate::finding::Severity;

pub static DOWNLOAD_UNVERIFIED: Rule = Rule {
    code: "PC3020",
    name: "download-unverified",
    summary: "A file is downloaded without checking its checksum or signature",
    severity: Severity::Warning,
    tags: &["security", "supply-chain"],
    aliases: &[],
    help: r#"## What it catches
- `curl` or `wget` fetching a URL in a `RUN` script when no checksum or signature check follows
  later in the same `RUN`: `sha256sum -c` (and the other `sha*sum`/`md5sum`/`b2sum` tools with
  `-c`, or their output compared with `grep`, `diff` or `test`), `gpg --verify`, `gpgv`,
  `cosign verify…`, `minisign -V`, `signify -V`, `openssl dgst -verify`, `rpm -K`,
  `slsa-verifier` or `gh attestation verify`. The finding points at the URL. Downloads of
  checksum, signature and key files themselves (`.sha256`, `SHA256SUMS`, `.asc`, `.sig`,
  `.gpg`, `.pub`…), keys piped into `gpg`, `apt-key` or `rpm --import`, requests that send data
  or only probe (`curl -d`, `-I`, `wget --spider`, output to `/dev/null`), and downloads piped
  into a shell (reported by `pipe-to-shell`) are left alone.
- `ADD https://…` (or `http://`) without `--checksum`. Git sources are left alone.

## Why it matters
HTTPS proves who served a file, not that it is the file you tested: a release can be replaced,
a mirror or CDN can be compromised, and the same URL can return different bytes next month.
Checking a pinned checksum (or a signature from a key you pinned) makes the build fail instead
of shipping whatever was downloaded, and makes the build reproducible. `ADD --checksum`
(Dockerfile syntax 1.6 or later) does the check in one instruction.

## Example
```dockerfile
RUN curl -fsSLo /tmp/tool.tar.gz https://example.com/tool-1.2.tar.gz \
 && tar -xzf /tmp/tool.tar.gz -C /usr/local/bin
ADD https://example.com/config.json /etc/app/
```
Use instead:
```dockerfile
RUN curl -fsSLo /tmp/tool.tar.gz https://example.com/tool-1.2.tar.gz \
 && echo "<published sha256>  /tmp/tool.tar.gz" | sha256sum -c - \
 && tar -xzf /tmp/tool.tar.gz -C /usr/local/bin
ADD --checksum=sha256:<published sha256> https://example.com/config.json /etc/app/
```
"#,
    enabled_by_default: true,
};
