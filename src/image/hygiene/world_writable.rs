//! PC1012 world-writable-file: regular files and directories writable by others, outside the
//! shared temporary directories. Grouped by introducing layer, so that one `chmod -R 777`
//! makes one finding.

use std::collections::BTreeMap;

use super::{octal_mode, HygieneFinding, ImageView};
use crate::rules;

/// Directories meant to be shared by every user (usually `1777`): they and their contents are
/// not reported.
const SHARED_DIRS: [&str; 5] = ["/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/var/lock"];

/// Paths named in one finding's message; the rest are counted.
const LISTED: usize = 5;

fn is_shared(path: &str) -> bool {
    SHARED_DIRS.iter().any(|dir| {
        path.strip_prefix(dir)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

pub(super) fn check(image: &ImageView<'_>, out: &mut Vec<HygieneFinding>) {
    let mut by_layer: BTreeMap<usize, Vec<(&str, u32)>> = BTreeMap::new();
    for (path, node) in image.files.entries() {
        if (node.is_file() || node.is_dir()) && node.mode & 0o002 != 0 && !is_shared(path) {
            by_layer
                .entry(node.layer)
                .or_default()
                .push((path, node.mode));
        }
    }
    for (layer, paths) in by_layer {
        let listed: Vec<String> = paths
            .iter()
            .take(LISTED)
            .map(|(p, mode)| format!("{p} ({})", octal_mode(*mode)))
            .collect();
        let more = match paths.len().saturating_sub(LISTED) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let what = if paths.len() == 1 { "path" } else { "paths" };
        out.push(HygieneFinding::file(
            &rules::WORLD_WRITABLE_FILE,
            format!(
                "layer {layer} leaves {} world-writable {what}: {}{more}",
                paths.len(),
                listed.join(", ")
            ),
            paths[0].0,
            layer,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn world_writable_files_are_reported_once_per_layer() {
        let files = tree(&[
            vec![I::Owned("etc/app.conf", 0, 0, 0o666)],
            vec![
                I::Owned("app/a", 0, 0, 0o777),
                I::Owned("app/b", 0, 0, 0o777),
                I::Owned("app/c", 0, 0, 0o777),
                I::Owned("app/d", 0, 0, 0o777),
                I::Owned("app/e", 0, 0, 0o777),
                I::Owned("app/f", 0, 0, 0o777),
                I::Owned("app/g", 0, 0, 0o757),
                I::Owned("app/ok", 0, 0, 0o775),
            ],
        ]);
        let found = run(check, &clean_metadata(), &files);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.rule.code == "PC1012"));
        assert_eq!(
            (found[0].path.as_deref(), found[0].layer),
            (Some("/etc/app.conf"), Some(0))
        );
        assert_eq!(
            found[0].message,
            "layer 0 leaves 1 world-writable path: /etc/app.conf (0666)"
        );
        assert_eq!(
            (found[1].path.as_deref(), found[1].layer),
            (Some("/app/a"), Some(1))
        );
        assert!(found[1]
            .message
            .starts_with("layer 1 leaves 7 world-writable paths: /app/a (0777)"));
        assert!(found[1].message.ends_with("/app/e (0777) and 2 more"));
    }

    #[test]
    fn shared_temporary_directories_symlinks_and_private_files_are_fine() {
        let files = tree(&[vec![
            I::Owned("tmp/x", 0, 0, 0o666),
            I::Owned("var/tmp/y", 0, 0, 0o777),
            I::Owned("dev/shm/z", 0, 0, 0o666),
            I::Symlink("usr/bin/vi", "vim"),
            I::Owned("etc/shadow", 0, 42, 0o640),
            I::Owned("tmpfile", 0, 0, 0o644),
        ]]);
        assert_eq!(run(check, &clean_metadata(), &files), []);
    }

    #[test]
    fn shared_directories_are_matched_by_component() {
        assert!(is_shared("/tmp") && is_shared("/tmp/a") && is_shared("/var/lock/x"));
        assert!(!is_shared("/tmpfoo") && !is_shared("/var/tmpx/a") && !is_shared("/app/tmp"));
    }
}
