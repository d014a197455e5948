//! PC1014 duplicate-uid-gid (Dockle's `DKL-LI-0002`): user ids shared by several accounts of
//! `/etc/passwd`, and group ids shared by several groups of `/etc/group`.

use std::collections::BTreeMap;

use super::{HygieneFinding, ImageView};
use crate::image::catalog::ImageFiles;
use crate::rules;

/// `(file, what its ids are called)`.
const FILES: [(&str, &str); 2] = [("/etc/passwd", "UID"), ("/etc/group", "GID")];

/// The ids several entries share, each with the entries' names in file order. The id is the
/// third field of both files. Comments, blank lines, NIS `+`/`-` entries and ids that are not
/// numbers are skipped; a name listed twice with the same id counts once.
fn shared_ids(text: &str) -> Vec<(u32, Vec<&str>)> {
    let mut by_id: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with(['#', '+', '-']) {
            continue;
        }
        let mut fields = line.split(':');
        let (Some(name), Some(_), Some(id)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        let Ok(id) = id.trim().parse::<u32>() else {
            continue;
        };
        let names = by_id.entry(id).or_default();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    by_id
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .collect()
}

pub(super) fn check(image: &ImageView<'_>, out: &mut Vec<HygieneFinding>) {
    for (path, kind) in FILES {
        let (Some(bytes), Some(layer)) = (image.files.read(path), image.files.layer_of(path))
        else {
            continue;
        };
        let text = String::from_utf8_lossy(bytes);
        for (id, names) in shared_ids(&text) {
            out.push(HygieneFinding::file(
                &rules::DUPLICATE_UID_GID,
                format!(
                    "{kind} {id} is shared by {} in {path}, from layer {layer}",
                    names.join(", ")
                ),
                path,
                layer,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    const DEBIAN_PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\n\
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
        bin:x:2:2:bin:/bin:/usr/sbin/nologin\n\
        sys:x:3:3:sys:/dev:/usr/sbin/nologin\n\
        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n\
        _apt:x:42:65534::/nonexistent:/usr/sbin/nologin\n";
    const DEBIAN_GROUP: &str = "root:x:0:\n\
        daemon:x:1:\n\
        bin:x:2:\n\
        sys:x:3:\n\
        adm:x:4:\n\
        shadow:x:42:\n\
        nogroup:x:65534:\n";

    #[test]
    fn shared_user_and_group_ids_name_their_accounts_and_groups() {
        let passwd = format!("{DEBIAN_PASSWD}toor:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\nweb:x:1000:1000::/web:/bin/sh\n");
        let group = format!("{DEBIAN_GROUP}wheel:x:0:app\n");
        let files = accounts_tree(&[
            vec![file("etc/group", &group)],
            vec![file("etc/passwd", &passwd)],
        ]);
        let found = run(check, &clean_metadata(), &files);
        let summary: Vec<(&str, Option<&str>, Option<usize>)> = found
            .iter()
            .map(|f| (f.message.as_str(), f.path.as_deref(), f.layer))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "UID 0 is shared by root, toor in /etc/passwd, from layer 1",
                    Some("/etc/passwd"),
                    Some(1)
                ),
                (
                    "UID 1000 is shared by app, web in /etc/passwd, from layer 1",
                    Some("/etc/passwd"),
                    Some(1)
                ),
                (
                    "GID 0 is shared by root, wheel in /etc/group, from layer 0",
                    Some("/etc/group"),
                    Some(0)
                ),
            ]
        );
        assert!(found.iter().all(|f| f.rule.code == "PC1014"));
    }

    #[test]
    fn debian_files_and_unique_ids_are_fine() {
        // A shared primary GID in /etc/passwd (nobody and _apt in nogroup) is normal.
        let files = accounts_tree(&[vec![
            file("etc/passwd", DEBIAN_PASSWD),
            file("etc/group", DEBIAN_GROUP),
        ]]);
        assert_eq!(run(check, &clean_metadata(), &files), []);
    }

    #[test]
    fn comments_nis_entries_repeated_lines_and_bad_ids_are_skipped() {
        let passwd = "# header\n\nroot:x:0:0::/root:/bin/sh\nroot:x:0:0::/root:/bin/sh\n\
            +::0:0:::\n-nis::0:0:::\nodd:x:zero:0:::\nshort:x\n";
        let files = accounts_tree(&[vec![file("etc/passwd", passwd)]]);
        assert_eq!(run(check, &clean_metadata(), &files), []);
        assert_eq!(run(check, &clean_metadata(), &tree(&[vec![]])), []);
    }
}
