//! PC2001 `secret-name-in-arg-env` at runtime: a container's environment gives a literal
//! value to a variable named like a secret.

use crate::rules::{self, is_secret_name};
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Violation};

/// Values that cannot be a secret: empty, a switch, or a reference to another variable
/// (`${DB_PASSWORD}`, `$DB_PASSWORD`, Kubernetes `$(DB_PASSWORD)`).
fn is_literal_secret(value: &str) -> bool {
    let value = value.trim();
    let switch = ["true", "false", "yes", "no", "on", "off", "0", "1"]
        .iter()
        .any(|s| value.eq_ignore_ascii_case(s));
    let reference = value.contains("${")
        || value.contains("$(")
        || value
            .split('$')
            .skip(1)
            .any(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'));
    !value.is_empty() && !switch && !reference
}

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    spec.env
        .iter()
        .filter(|var| is_secret_name(&var.value.name) && is_literal_secret(&var.value.value))
        .map(|var| {
            Violation::new(
                &rules::SECRET_NAME_IN_ARG_ENV,
                format!(
                    "{} sets environment variable {} to a literal value: pass it as a secret (a file or a Secret reference) instead",
                    spec.subject, var.value.name
                ),
                &var.at,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::{EnvVar, Platform};

    fn var(name: &str, value: &str) -> EnvVar {
        EnvVar {
            name: name.into(),
            value: value.into(),
        }
    }

    #[test]
    fn compose_literal_secret_is_reported_at_the_variable_without_its_value() {
        let mut spec = bare(Platform::Docker);
        spec.env = vec![
            set(var("POSTGRES_USER", "app"), 7),
            set(var("POSTGRES_PASSWORD", "hunter22"), 8),
        ];
        assert_eq!(run(check, &spec), [("PC2001", 8)]);
        let message = check(&spec, &EngineDefaults::default())[0].message.clone();
        assert!(message.starts_with("service `app` sets environment variable POSTGRES_PASSWORD"));
        assert!(!message.contains("hunter22"));
    }

    #[test]
    fn compose_references_empty_values_switches_and_public_names_pass() {
        let mut spec = bare(Platform::Docker);
        spec.env = vec![
            set(var("DB_PASSWORD", ""), 3),
            set(var("DB_PASSWORD", "${DB_PASSWORD}"), 4),
            set(var("API_TOKEN", "$TOKEN"), 5),
            set(var("AUTH_ENABLED", "true"), 6),
            set(var("POSTGRES_PASSWORD_FILE", "/run/secrets/db"), 7),
            set(
                var("GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D"),
                8,
            ),
        ];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn kubernetes_env_value_literal_is_reported_and_references_pass() {
        let mut spec = bare(Platform::Kubernetes);
        spec.env = vec![set(var("GITHUB_TOKEN", "ghp_example0123456789"), 22)];
        assert_eq!(run(check, &spec), [("PC2001", 22)]);
        spec.env = vec![set(var("GITHUB_TOKEN", "$(TOKEN_FROM_SECRET)"), 22)];
        assert!(run(check, &spec).is_empty());
    }

    #[test]
    fn live_podman_config_env_is_judged_the_same_way() {
        let mut spec = bare(Platform::Podman);
        spec.env = vec![
            set(var("PATH", "/usr/local/bin:/usr/bin"), 0),
            set(var("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIK7MDENG"), 0),
        ];
        assert_eq!(run(check, &spec), [("PC2001", 0)]);
        spec.env.pop();
        assert!(run(check, &spec).is_empty());
    }
}
