//! PC1003 setuid-setgid-bit on images: files of the final filesystem with the setuid or setgid
//! bit, except the expected ones: the account tools base images ship
//! ([`super::DEFAULT_SETUID_ALLOWED`]), or the configuration's `[image] setuid-allowed` list.

use super::{octal_mode, HygieneFinding, ImageView};
use crate::rules;

pub(super) fn check(image: &ImageView<'_>, out: &mut Vec<HygieneFinding>) {
    for (path, node) in image.files.entries() {
        if !node.is_setuid_or_setgid() || image.settings.setuid_allowed(path) {
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
    use super::super::Settings;
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

    #[test]
    fn the_configured_allow_list_replaces_the_default_one() {
        let files = tree(&[vec![
            I::Owned("usr/bin/passwd", 0, 0, 0o4755),
            I::Owned("usr/lib/openssh/ssh-keysign", 0, 0, 0o4755),
            I::Owned("usr/lib/dbus-1.0/dbus-daemon-launch-helper", 0, 106, 0o4754),
            I::Owned("usr/local/bin/tool", 0, 0, 0o4755),
        ]]);
        let settings = Settings::new(&[
            "/usr/lib/openssh/ssh-keysign",
            "/usr/lib/*/dbus-daemon-launch-helper",
        ])
        .unwrap();
        let found = run_with(check, &clean_metadata(), &files, &settings);
        let paths: Vec<&str> = found.iter().map(|f| f.path.as_deref().unwrap()).collect();
        // passwd is no longer allowed: the list replaces the default one.
        assert_eq!(paths, ["/usr/bin/passwd", "/usr/local/bin/tool"]);
        // `*` stays within one component.
        let settings = Settings::new(&["/usr/*/tool"]).unwrap();
        let found = run_with(check, &clean_metadata(), &files, &settings);
        assert_eq!(found.len(), 4);
        let settings = Settings::new(&["/usr/**/tool"]).unwrap();
        assert_eq!(
            run_with(check, &clean_metadata(), &files, &settings).len(),
            3
        );
    }

    #[test]
    fn allow_list_entries_must_be_absolute_valid_globs() {
        let err = Settings::new(&["passwd"]).unwrap_err();
        assert!(err.contains("/usr/bin/passwd"), "{err}");
        assert!(Settings::new(&["/usr/bin/[x"])
            .unwrap_err()
            .contains("glob"));
        let none: &[&str] = &[];
        assert!(!Settings::new(none)
            .unwrap()
            .setuid_allowed("/usr/bin/passwd"));
        let default = Settings::default();
        for path in [
            "/usr/bin/passwd",
            "/bin/su",
            "/sbin/unix_chkpwd",
            "/usr/bin/chage",
        ] {
            assert!(default.setuid_allowed(path), "{path}");
        }
        for path in [
            "/opt/passwd",
            "/usr/bin/sudo",
            "/usr/local/bin/su",
            "/usr/bin/passwd2",
        ] {
            assert!(!default.setuid_allowed(path), "{path}");
        }
    }
}
