//! PC1003 setuid-setgid-bit on images: files of the final filesystem with the setuid or setgid
//! bit, except the account tools base images are expected to ship.

use super::{octal_mode, HygieneFinding, ImageView};
use crate::rules;

/// Directories where the expected tools live.
const SYSTEM_BIN_DIRS: [&str; 4] = ["/bin", "/sbin", "/usr/bin", "/usr/sbin"];

/// Setuid or setgid programs that distributions install in their base images for account
/// management (shadow, util-linux, PAM). Only matched in [`SYSTEM_BIN_DIRS`].
// ssh-agent (setgid in old Debian releases) and sudo are not here: neither belongs in a base
// image, and sudo has its own rule for how it gets there.
pub(crate) const EXPECTED: [&str; 11] = [
    "passwd",
    "su",
    "chsh",
    "chfn",
    "gpasswd",
    "newgrp",
    "mount",
    "umount",
    "unix_chkpwd",
    "expiry",
    "chage",
];

fn is_expected(path: &str) -> bool {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    SYSTEM_BIN_DIRS.contains(&dir) && EXPECTED.contains(&name)
}

pub(super) fn check(image: &ImageView<'_>, out: &mut Vec<HygieneFinding>) {
    for (path, node) in image.files.entries() {
        if !node.is_setuid_or_setgid() || is_expected(path) {
            continue;
        }
        let bits = match (node.mode & 0o4000 != 0, node.mode & 0o2000 != 0) {
            (true, true) => "setuid and setgid",
            (true, false) => "setuid",
            _ => "setgid",
        };
        out.push(HygieneFinding::file(
            &rules::CHMOD_SETUID,
            format!(
                "{path} is {bits} (mode {}, owner {}:{}), from layer {}",
                octal_mode(node.mode),
                node.uid,
                node.gid,
                node.layer
            ),
            path,
            node.layer,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn unexpected_setuid_and_setgid_files_are_reported_with_owner_mode_and_layer() {
        let files = tree(&[
            vec![
                I::Owned("usr/bin/passwd", 0, 0, 0o4755),
                I::Owned("usr/bin/wall", 0, 5, 0o2755),
            ],
            vec![
                I::Owned("usr/local/bin/helper", 0, 0, 0o6755),
                I::Owned("opt/passwd", 0, 0, 0o4755),
            ],
        ]);
        let found = run(check, &clean_metadata(), &files);
        let summary: Vec<(&str, Option<usize>)> = found
            .iter()
            .map(|f| (f.path.as_deref().unwrap(), f.layer))
            .collect();
        assert_eq!(
            summary,
            [
                ("/opt/passwd", Some(1)),
                ("/usr/bin/wall", Some(0)),
                ("/usr/local/bin/helper", Some(1)),
            ]
        );
        assert!(found.iter().all(|f| f.rule.code == "PC1003"));
        assert_eq!(
            found[1].message,
            "/usr/bin/wall is setgid (mode 2755, owner 0:5), from layer 0"
        );
        assert!(found[2].message.contains("setuid and setgid (mode 6755"));
    }

    #[test]
    fn expected_tools_plain_files_and_cleared_bits_are_fine() {
        let files = tree(&[
            vec![
                I::Owned("bin/su", 0, 0, 0o4755),
                I::Owned("sbin/unix_chkpwd", 0, 42, 0o2755),
                I::Owned("usr/bin/chage", 0, 42, 0o2755),
                I::Owned("usr/local/bin/app", 0, 0, 0o755),
                I::Owned("usr/bin/newtool", 0, 0, 0o4755),
            ],
            // A later layer clears the bit.
            vec![I::Owned("usr/bin/newtool", 0, 0, 0o755)],
        ]);
        assert_eq!(run(check, &clean_metadata(), &files), []);
    }
}
