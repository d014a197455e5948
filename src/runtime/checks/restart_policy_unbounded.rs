//! PC6004 `restart-policy-unbounded`: `on-failure` retries without a small bound.

use crate::rules;
use crate::runtime::spec::{ContainerSpec, EngineDefaults, Platform, Violation};

/// The most retries CIS 5.15 accepts.
const MAX_RETRIES: i64 = 5;

pub fn check(spec: &ContainerSpec, _engine: &EngineDefaults) -> Vec<Violation> {
    if spec.platform == Platform::Kubernetes {
        return Vec::new();
    }
    let Some(restart) = &spec.restart else {
        return Vec::new();
    };
    // `always` and `unless-stopped` keep a service up by design (see the rule's help).
    if !restart.value.name.eq_ignore_ascii_case("on-failure") {
        return Vec::new();
    }
    // Docker reads a count of 0 as "retry forever".
    let message = match restart.value.max_retries.filter(|n| *n > 0) {
        None => format!("{} restarts on failure without a retry limit", spec.subject),
        Some(n) if n > MAX_RETRIES => format!(
            "{} restarts on failure up to {n} times (more than {MAX_RETRIES})",
            spec.subject
        ),
        Some(_) => return Vec::new(),
    };
    vec![Violation::new(
        &rules::RESTART_POLICY_UNBOUNDED,
        message,
        &restart.at,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::checks::testing::{bare, run, set};
    use crate::runtime::spec::RestartPolicy;

    fn policy(name: &str, max_retries: Option<i64>) -> RestartPolicy {
        RestartPolicy {
            name: name.into(),
            max_retries,
        }
    }

    #[test]
    fn compose_on_failure_without_or_with_a_high_limit_is_reported() {
        let mut spec = bare(Platform::Docker);
        spec.restart = Some(set(policy("on-failure", None), 4));
        assert_eq!(run(check, &spec), [("PC6004", 4)]);
        assert_eq!(
            check(&spec, &EngineDefaults::default())[0].message,
            "service `app` restarts on failure without a retry limit"
        );
        spec.restart = Some(set(policy("on-failure", Some(10)), 4));
        assert_eq!(run(check, &spec), [("PC6004", 4)]);
        spec.restart = Some(set(policy("on-failure", Some(0)), 4));
        assert_eq!(run(check, &spec), [("PC6004", 4)]);
    }

    #[test]
    fn compose_bounded_on_failure_always_and_no_pass() {
        let mut spec = bare(Platform::Docker);
        assert!(run(check, &spec).is_empty());
        for restart in [
            policy("on-failure", Some(5)),
            policy("always", None),
            policy("unless-stopped", None),
            policy("no", None),
        ] {
            spec.restart = Some(set(restart, 4));
            assert!(run(check, &spec).is_empty());
        }
    }

    #[test]
    fn live_podman_container_is_judged_the_same_way() {
        let mut spec = bare(Platform::Podman);
        spec.restart = Some(set(policy("on-failure", Some(3)), 0));
        assert!(run(check, &spec).is_empty());
        spec.restart = Some(set(policy("on-failure", Some(6)), 0));
        assert_eq!(run(check, &spec), [("PC6004", 0)]);
    }

    #[test]
    fn kubernetes_never_fires() {
        let mut spec = bare(Platform::Kubernetes);
        spec.restart = Some(set(policy("on-failure", None), 2));
        assert!(run(check, &spec).is_empty());
    }
}
