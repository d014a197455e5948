//! PC3002 untrusted-registry.

use super::Context;
use crate::config::registry_is_trusted;
use crate::dockerfile::Span;
use crate::rules::UNTRUSTED_REGISTRY;

pub(crate) fn check(ctx: &mut Context) {
    let trusted = &ctx.options.trusted_registries;
    if trusted.is_empty() {
        return;
    }
    let mut reports: Vec<(Span, String)> = Vec::new();
    for base in ctx.external_bases() {
        let registry = &base.reference.registry;
        let hub_alias = base.reference.is_docker_hub() && registry_is_trusted(trusted, "docker.io");
        if !hub_alias && !registry_is_trusted(trusted, registry) {
            reports.push((
                base.span,
                format!(
                    "`{}` comes from `{registry}`, which is not a trusted registry ({})",
                    base.text,
                    trusted.join(", ")
                ),
            ));
        }
    }
    for (span, message) in reports {
        ctx.report(&UNTRUSTED_REGISTRY, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, findings_with};
    use crate::dockerfile::checks::Options;
    use crate::rules::UNTRUSTED_REGISTRY;

    fn trusting(list: &[&str]) -> Options {
        Options {
            trusted_registries: list.iter().map(|s| (*s).to_owned()).collect(),
            ..Options::default()
        }
    }

    #[test]
    fn flags_registries_outside_the_list() {
        let options = trusting(&["docker.io", "*.example.com"]);
        assert_eq!(
            findings_with(&UNTRUSTED_REGISTRY, "FROM ghcr.io/a/b:1\n", &options).len(),
            1
        );
        assert_eq!(
            findings_with(&UNTRUSTED_REGISTRY, "FROM example.com/a:1\n", &options).len(),
            1
        );
    }

    #[test]
    fn trusted_hosts_wildcards_and_an_empty_list_pass() {
        let options = trusting(&["docker.io", "*.example.com"]);
        for source in [
            "FROM debian:12\n",
            "FROM registry.example.com/a:1\n",
            "FROM scratch\n",
            "FROM index.docker.io/library/debian:12\n",
        ] {
            assert!(
                findings_with(&UNTRUSTED_REGISTRY, source, &options).is_empty(),
                "{source}"
            );
        }
        assert!(findings(&UNTRUSTED_REGISTRY, "FROM ghcr.io/a/b:1\n").is_empty());
        assert!(
            findings_with(&UNTRUSTED_REGISTRY, "FROM ghcr.io/a:1\n", &trusting(&["*"])).is_empty()
        );
    }
}
