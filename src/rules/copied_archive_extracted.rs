//! PC4021: a local archive is copied into the image and then extracted by a RUN.

use super::Rule;
use crate::finding::Severity;

pub static COPIED_ARCHIVE_EXTRACTED: Rule = Rule {
    code: "PC4021",
    name: "copied-archive-extracted",
    summary: "A local archive is copied into a layer and then extracted by a RUN",
    severity: Severity::Info,
    tags: &["hygiene"],
    aliases: &["DL3010"],
    help: r#"## What it catches
A `COPY` of a local archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`, `.zip`, `.gz` and similar)
followed, in the same stage, by a `RUN` that extracts that file with `tar -x`, `unzip`,
`gunzip`, `bunzip2`, `unxz`, `unzstd`, or `gzip`/`bzip2`/`xz`/`zstd -d`. The finding points at
the archive's name in the `RUN`.

## Why it matters
The `COPY` stores the archive in a layer of its own. Extracting it in a later `RUN` stores the
content a second time, and deleting the archive afterwards does not shrink the image, because
the earlier layer still holds it. `ADD` unpacks a local tar archive (plain, gzip, bzip2 or xz)
in one step, so only the extracted files are stored. For other formats, extract from a bind
mount of the build context, which never becomes part of a layer.

## Example
```dockerfile
COPY app.tar.gz /tmp/
RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
COPY assets.zip /tmp/
RUN unzip /tmp/assets.zip -d /srv/www
```
Use instead:
```dockerfile
ADD app.tar.gz /opt/
RUN --mount=type=bind,source=assets.zip,target=/tmp/assets.zip unzip /tmp/assets.zip -d /srv/www
```
"#,
    enabled_by_default: true,
};
