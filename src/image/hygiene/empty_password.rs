//! PC1013 empty-password (Dockle's `DKL-LI-0001`): accounts of `/etc/shadow` whose password
//! field is empty. Messages name the account, never the field.

use super::{HygieneFinding, ImageView};
use crate::image::catalog::ImageFiles;
use crate::rules;

const SHADOW: &str = "/etc/shadow";

/// The accounts of a shadow file with an empty password field, in file order. Comments, blank
/// lines and NIS `+`/`-` entries are skipped.
fn empty_password_accounts(shadow: &str) -> Vec<&str> {
    shadow
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with(['#', '+', '-']))
        .filter_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            let password = fields.next()?;
            (!name.is_empty() && password.trim().is_empty()).then_some(name)
        })
        .collect()
}

pub(super) fn check(image: &ImageView<'_>, out: &mut Vec<HygieneFinding>) {
    let Some(bytes) = image.files.read(SHADOW) else {
        return;
    };
    let Some(layer) = image.files.layer_of(SHADOW) else {
        return;
    };
    let shadow = String::from_utf8_lossy(bytes);
    for name in empty_password_accounts(&shadow) {
        out.push(HygieneFinding::file(
            &rules::EMPTY_PASSWORD,
            format!("account {name} in {SHADOW} has an empty password, from layer {layer}"),
            SHADOW,
            layer,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    const DEBIAN: &str = "root:*:19000:0:99999:7:::\n\
        daemon:*:19000:0:99999:7:::\n\
        nobody:*:19000:0:99999:7:::\n\
        _apt:*:19000:0:99999:7:::\n";

    #[test]
    fn accounts_with_an_empty_password_are_named_without_their_hash() {
        let shadow = format!(
            "{DEBIAN}app:$6$salt$hashhashhash:19000:0:99999:7:::\n\
             debug::19000:0:99999:7:::\n\
             dev: :19000::::::\n"
        );
        let files = accounts_tree(&[vec![], vec![file("etc/shadow", &shadow)]]);
        let found = run(check, &clean_metadata(), &files);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "account debug in /etc/shadow has an empty password, from layer 1",
                "account dev in /etc/shadow has an empty password, from layer 1",
            ]
        );
        assert!(found.iter().all(|f| f.rule.code == "PC1013"
            && f.path.as_deref() == Some(SHADOW)
            && f.layer == Some(1)
            && !f.message.contains('$')));
    }

    #[test]
    fn locked_hashed_and_debian_accounts_are_fine() {
        let shadow = format!(
            "{DEBIAN}# comment\n\n\
             locked:!:19000::::::\n\
             never:!!:19000::::::\n\
             both:!*:19000::::::\n\
             nis:x:19000::::::\n\
             disabled:!$6$salt$hash:19000::::::\n\
             app:$y$j9T$salt$hash:19000::::::\n\
             +::::::::\n"
        );
        let files = accounts_tree(&[vec![file("etc/shadow", &shadow)]]);
        assert_eq!(run(check, &clean_metadata(), &files), []);
    }

    #[test]
    fn a_later_layer_locking_the_account_or_no_shadow_file_is_fine() {
        let files = accounts_tree(&[
            vec![file("etc/shadow", "root::19000::::::\n")],
            vec![file("etc/shadow", "root:*:19000::::::\n")],
        ]);
        assert_eq!(run(check, &clean_metadata(), &files), []);
        let files = accounts_tree(&[vec![file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")]]);
        assert_eq!(run(check, &clean_metadata(), &files), []);
    }
}
