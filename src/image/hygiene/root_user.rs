//! PC1001 root-user on images: the configuration's `User` is root or unset.

use super::{HygieneFinding, ImageView};
use crate::rules;

/// Whether a `user[:group]` value names root (user `root` or UID 0, whatever the group); an
/// empty user is the engine's default, root.
fn is_root(value: &str) -> bool {
    let user = value.trim().split(':').next().unwrap_or_default();
    user.is_empty() || user == "root" || user.parse::<u32>() == Ok(0)
}

pub(super) fn check(image: &ImageView<'_>, out: &mut Vec<HygieneFinding>) {
    let user = image.metadata.config.user.as_deref().unwrap_or_default();
    if !is_root(user) {
        return;
    }
    let message = if user.trim().is_empty() {
        "the image sets no user: its containers run as root unless started with `--user`".to_owned()
    } else {
        format!("the image runs as `{user}`, which is root")
    };
    out.push(HygieneFinding::config(&rules::ROOT_USER, message));
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn with_user(user: Option<&str>) -> Vec<HygieneFinding> {
        let mut metadata = clean_metadata();
        metadata.config.user = user.map(str::to_owned);
        run(check, &metadata, &tree(&[]))
    }

    #[test]
    fn root_and_unset_users_are_reported() {
        for user in [
            None,
            Some(""),
            Some("root"),
            Some("0"),
            Some("0:1000"),
            Some("root:app"),
        ] {
            let found = with_user(user);
            assert_eq!(found.len(), 1, "{user:?}");
            assert_eq!(found[0].rule.code, "PC1001");
            assert_eq!((found[0].layer, found[0].path.as_deref()), (None, None));
        }
        assert!(with_user(None)[0].message.contains("sets no user"));
        assert!(with_user(Some("0:0"))[0].message.contains("`0:0`"));
    }

    #[test]
    fn other_users_are_fine() {
        for user in ["10001", "app", "app:0", "1000:1000", "rootless"] {
            assert_eq!(with_user(Some(user)), [], "{user}");
        }
    }
}
