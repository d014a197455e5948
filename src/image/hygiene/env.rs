//! PC2001 secret-name-in-arg-env on images: the configuration's `Env` gives a literal value to
//! a variable named like a secret (Dockle's `CIS-DI-0010`, environment part). The value is
//! never repeated.

use super::{HygieneFinding, ImageView};
use crate::rules::{self, is_secret_name};

/// Values that cannot be a credential: empty, a reference, a boolean.
fn is_harmless(value: &str) -> bool {
    let value = value.trim();
    value.is_empty()
        || value.starts_with('$')
        || ["true", "false", "yes", "no", "on", "off"]
            .iter()
            .any(|b| value.eq_ignore_ascii_case(b))
}

pub(super) fn check(image: &ImageView<'_>, out: &mut Vec<HygieneFinding>) {
    for pair in &image.metadata.config.env {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if is_secret_name(name) && !is_harmless(value) {
            out.push(HygieneFinding::config(
                &rules::SECRET_NAME_IN_ARG_ENV,
                format!(
                    "the image sets `{name}` in its environment ({} characters): anyone who pulls the image can read it",
                    value.chars().count()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn with_env(env: &[&str]) -> Vec<String> {
        let mut metadata = clean_metadata();
        metadata.config.env = env.iter().map(|e| e.to_string()).collect();
        run(check, &metadata, &tree(&[]))
            .into_iter()
            .inspect(|f| assert_eq!(f.rule.code, "PC2001"))
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn secret_names_with_literal_values_are_reported_without_the_value() {
        let found = with_env(&[
            "PATH=/usr/local/sbin:/usr/bin",
            "DB_PASSWORD=hunter2",
            "GITHUB_TOKEN=ghp_0123456789",
        ]);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0],
            "the image sets `DB_PASSWORD` in its environment (7 characters): anyone who pulls the image can read it"
        );
        assert!(found
            .iter()
            .all(|m| !m.contains("hunter2") && !m.contains("ghp_")));
    }

    #[test]
    fn public_names_empty_values_references_and_booleans_are_fine() {
        assert!(with_env(&[
            "GPG_KEY=A4A9406876FCBD3C456770C88C718D3B5072E1F5",
            "API_TOKEN=",
            "API_TOKEN",
            "DB_PASSWORD=$DB_PASSWORD_FILE",
            "AUTH_ENABLED=true",
            "LANG=C.UTF-8",
        ])
        .is_empty());
    }
}
