//! PC2001 secret-name-in-arg-env and PC2002 secret-value-in-arg-env.

use std::sync::OnceLock;

use regex::Regex;

use super::Context;
use crate::dockerfile::Span;
use crate::rules::{is_secret_name, SECRET_NAME_IN_ARG_ENV, SECRET_VALUE_IN_ARG_ENV};

/// The shape of a real credential, by who issues it.
struct CredentialShape {
    what: &'static str,
    /// Every match contains one of these: the regex is compiled, and run, only for values that
    /// do. Compiling all of them costs more than linting a whole file, and a `portcullis lint
    /// FILE` per file (a pre-commit hook) would pay it for every file with an ENV.
    literals: &'static [&'static str],
    pattern: &'static str,
    regex: OnceLock<Regex>,
}

impl CredentialShape {
    const fn new(
        what: &'static str,
        literals: &'static [&'static str],
        pattern: &'static str,
    ) -> Self {
        CredentialShape {
            what,
            literals,
            pattern,
            regex: OnceLock::new(),
        }
    }

    fn matches(&self, value: &str) -> bool {
        self.literals.iter().any(|literal| value.contains(literal))
            && self
                .regex
                .get_or_init(|| Regex::new(self.pattern).expect("valid pattern"))
                .is_match(value)
    }
}

static CREDENTIAL_SHAPES: [CredentialShape; 8] = [
    CredentialShape::new(
        "an AWS access key id",
        &["AKIA", "ASIA"],
        r"\b(AKIA|ASIA)[0-9A-Z]{16}\b",
    ),
    CredentialShape::new(
        "a GitHub token",
        &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
        r"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})",
    ),
    CredentialShape::new("a GitLab token", &["glpat-"], r"\bglpat-[A-Za-z0-9_-]{20,}"),
    CredentialShape::new("a Slack token", &["xox"], r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    CredentialShape::new(
        "a Stripe key",
        &["k_live_"],
        r"\b[sr]k_live_[A-Za-z0-9]{20,}",
    ),
    CredentialShape::new("an npm token", &["npm_"], r"\bnpm_[A-Za-z0-9]{36}\b"),
    CredentialShape::new(
        "a private key",
        &["PRIVATE KEY"],
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
    ),
    CredentialShape::new(
        "a URL with a password",
        &["://"],
        r"[a-z][a-z0-9+.-]*://[^/\s:@$]+:[^/\s@$]+@",
    ),
];

const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "change-me",
    "xxx",
    "none",
    "null",
    "dummy",
    "example",
    "secret",
    "password",
    "token",
    "todo",
    "placeholder",
    "default",
    "true",
    "false",
];

pub(crate) fn check(ctx: &mut Context) {
    let mut names: Vec<(Span, String)> = Vec::new();
    let mut values: Vec<(Span, String)> = Vec::new();
    for entry in ctx.assignments() {
        let keyword = entry.keyword.as_str();
        let secret_name = is_secret_name(&entry.name);
        if secret_name {
            names.push((
                entry.name_span,
                format!("{keyword} {} looks like a secret, and {keyword} values stay readable in the image: pass it with RUN --mount=type=secret", entry.name),
            ));
        }
        if let Some(value) = entry.value.as_deref().map(unquote) {
            if let Some(why) = credential_shape(value, secret_name) {
                values.push((
                    entry.value_span,
                    format!("{keyword} {} holds {why} ({}): it ships in the image and the repository; revoke it and use a build secret", entry.name, mask(value)),
                ));
            }
        }
    }
    for (span, message) in names {
        ctx.report(&SECRET_NAME_IN_ARG_ENV, message, span);
    }
    for (span, message) in values {
        ctx.report(&SECRET_VALUE_IN_ARG_ENV, message, span);
    }
}

/// Why `value` looks like a real credential, if it does.
fn credential_shape(value: &str, secret_name: bool) -> Option<&'static str> {
    if value.contains('$') {
        return None;
    }
    if let Some(shape) = CREDENTIAL_SHAPES.iter().find(|shape| shape.matches(value)) {
        return Some(shape.what);
    }
    if !secret_name {
        return None;
    }
    let placeholder = value.len() < 6
        || PLACEHOLDERS.iter().any(|p| value.eq_ignore_ascii_case(p))
        || value.starts_with('<')
        || value
            .chars()
            .all(|c| c == value.chars().next().unwrap_or('x'))
        || value.starts_with('/');
    (!placeholder).then_some("a literal secret")
}

fn unquote(value: &str) -> &str {
    let v = value.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// Enough of a secret to recognise it, never enough to use it.
pub(crate) fn mask(value: &str) -> String {
    let shown: String = value.chars().take(4).collect();
    format!("{shown}… {} characters", value.chars().count())
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;
    use crate::dockerfile::checks::testing::{findings, flagged};
    use crate::rules::{SECRET_NAME_IN_ARG_ENV, SECRET_VALUE_IN_ARG_ENV};

    #[test]
    fn secret_names_follow_buildkit_parts_with_exceptions() {
        for name in [
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "db-password",
            "API_KEY",
            "PGPASSWORD",
            "npm_auth",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "GPG_KEY",
            "PUBLIC_KEY",
            "PASSWORD_FILE",
            "TOKEN_VERSION",
            "KEYBOARD",
            "MONKEY",
            "PATH",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn flags_names_in_arg_and_env_at_the_name() {
        assert_eq!(
            flagged(&SECRET_NAME_IN_ARG_ENV, "FROM a:1\nARG NPM_TOKEN\n"),
            ["NPM_TOKEN"]
        );
        assert_eq!(
            flagged(
                &SECRET_NAME_IN_ARG_ENV,
                "FROM a:1\nENV A=1 DB_PASSWORD=$P\n"
            ),
            ["DB_PASSWORD"]
        );
        assert_eq!(
            flagged(&SECRET_NAME_IN_ARG_ENV, "ARG API_KEY=x\nFROM a:1\n"),
            ["API_KEY"]
        );
        assert!(flagged(
            &SECRET_NAME_IN_ARG_ENV,
            "FROM a:1\nENV NODE_VERSION=20 GPG_KEY=ABCD\n"
        )
        .is_empty());
    }

    #[test]
    fn flags_credential_values_and_masks_them() {
        let source = "FROM a:1\nENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n";
        let found = findings(&SECRET_VALUE_IN_ARG_ENV, source);
        assert_eq!(found.len(), 1);
        assert!(
            !found[0].message.contains("wJalrXUtnFEMIK7MDENG"),
            "{}",
            found[0].message
        );
        assert!(found[0].message.contains("wJal…"));
        assert_eq!(
            flagged(
                &SECRET_VALUE_IN_ARG_ENV,
                "FROM a:1\nENV DATABASE_URL=postgres://app:hunter22@db/app\n"
            ),
            ["postgres://app:hunter22@db/app"]
        );
        assert_eq!(
            flagged(
                &SECRET_VALUE_IN_ARG_ENV,
                "FROM a:1\nARG TOK=ghp_0123456789abcdefghijABCDEFGHIJ012345\n"
            ),
            ["ghp_0123456789abcdefghijABCDEFGHIJ012345"]
        );
    }

    #[test]
    fn every_credential_shape_is_recognised_past_its_literal_prefilter() {
        let samples = [
            ("an AWS access key id", "AKIAIOSFODNN7EXAMPLE"),
            ("a GitHub token", "ghs_0123456789abcdefghijABCDEFGHIJ012345"),
            (
                "a GitHub token",
                "github_pat_11ABCDEFG0123456789_abcdefghij",
            ),
            ("a GitLab token", "glpat-0123456789abcdefghij"),
            ("a Slack token", "xoxb-0123456789-abcdef"),
            ("a Stripe key", "rk_live_0123456789abcdefghij"),
            ("an npm token", "npm_0123456789abcdefghijABCDEFGHIJ012345"),
            ("a private key", "-----BEGIN OPENSSH PRIVATE KEY-----"),
            (
                "a URL with a password",
                "https://deploy:s3cr3t@repo.example/simple",
            ),
        ];
        for (what, value) in samples {
            assert_eq!(super::credential_shape(value, false), Some(what), "{value}");
        }
        for value in [
            "ghx_0123456789abcdefghijABCDEFGHIJ012345",
            "https://repo.example/simple",
        ] {
            assert_eq!(super::credential_shape(value, false), None, "{value}");
        }
    }

    #[test]
    fn references_placeholders_and_public_values_are_fine() {
        for line in [
            "ENV API_TOKEN=$TOKEN",
            "ARG DB_PASSWORD",
            "ENV DB_PASSWORD=changeme",
            "ENV DB_PASSWORD_FILE=/run/secrets/db",
            "ENV URL=https://example.com/path",
            "ENV URL=postgres://app:${PASS}@db/app",
            "ENV SECRET_KEY=\"\"",
        ] {
            let source = format!("FROM a:1\n{line}\n");
            assert!(
                findings(&SECRET_VALUE_IN_ARG_ENV, &source).is_empty(),
                "{line}"
            );
        }
    }
}
