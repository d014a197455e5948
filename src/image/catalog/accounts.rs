//! Keeps the account databases (`/etc/passwd`, `/etc/shadow`, `/etc/group`) for the image
//! hygiene checks. It finds no packages: it only asks the layer walk to hold these small files.

use super::{Cataloger, EntryInfo, ImageFiles, Package, Want};

/// The account files the hygiene checks read.
pub const ACCOUNT_FILES: [&str; 3] = ["/etc/passwd", "/etc/shadow", "/etc/group"];

/// Account files larger than this are not kept (a real one is a few kilobytes).
const MAX_ACCOUNT_FILE: u64 = 4 << 20;

pub struct AccountsCataloger;

impl Cataloger for AccountsCataloger {
    fn name(&self) -> &'static str {
        "accounts"
    }

    fn wants(&self, entry: &EntryInfo<'_>) -> Want {
        if entry.size <= MAX_ACCOUNT_FILE && ACCOUNT_FILES.contains(&entry.path) {
            Want::Final
        } else {
            Want::No
        }
    }

    fn catalog(&self, _files: &dyn ImageFiles, _problems: &mut Vec<String>) -> Vec<Package> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(path: &str, size: u64) -> Want {
        AccountsCataloger.wants(&EntryInfo {
            path,
            size,
            mode: 0o640,
        })
    }

    #[test]
    fn keeps_only_the_account_files() {
        for path in ACCOUNT_FILES {
            assert_eq!(want(path, 900), Want::Final, "{path}");
        }
        for path in [
            "/etc/passwd-",
            "/etc/gshadow",
            "/usr/etc/passwd",
            "/etc/shadow/x",
        ] {
            assert_eq!(want(path, 900), Want::No, "{path}");
        }
        assert_eq!(want("/etc/shadow", 1 << 30), Want::No);
    }
}
