//! PC4013 system-upgrade-in-build.

use super::package_managers::{classify, Manager};
use super::Context;
use crate::dockerfile::Span;
use crate::rules::SYSTEM_UPGRADE_IN_BUILD;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String, &'static [&'static str])> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            let Some(p) = classify(command) else { continue };
            let Some(sub) = p.subcommand() else { continue };
            // Upgrading named packages is an install; without operands, everything is upgraded.
            let whole_system = || p.operands().is_empty();
            let aliases: &[&str] = match (p.manager, sub.text.as_str()) {
                (Manager::Zypper, "dist-upgrade" | "dup") => &["DL3035"],
                (Manager::Zypper, "update" | "up") if whole_system() => &[],
                // DL3005, DL3017, DL3031 and DL3039 are hadolint's retired ids for these, kept so
                // that old pragmas still apply.
                (Manager::Apt, "dist-upgrade") => &["DS-0024", "DKL-DI-0003", "DL3005"],
                (Manager::Apt, "full-upgrade") => &["DL3005"],
                (Manager::Apt, "upgrade") if whole_system() => &["DL3005"],
                (Manager::Apk, "upgrade") if whole_system() => &["DL3017"],
                (Manager::Yum, "upgrade" | "update" | "distro-sync") if whole_system() => {
                    &["DL3031"]
                }
                (Manager::Dnf | Manager::Microdnf, "upgrade" | "update" | "distro-sync")
                    if whole_system() =>
                {
                    &["DL3039"]
                }
                _ => continue,
            };
            reports.push((
                script.span(sub.range.clone()),
                format!(
                    "`{} {}` upgrades every package of the base image, so the result depends on the day of the build: use a newer pinned base image instead",
                    p.program.text, sub.text
                ),
                aliases,
            ));
        }
    }
    for (span, message, aliases) in reports {
        ctx.report(&SYSTEM_UPGRADE_IN_BUILD, message, span).aliases = aliases.to_vec();
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::SYSTEM_UPGRADE_IN_BUILD;

    fn run(script: &str) -> Vec<String> {
        flagged(
            &SYSTEM_UPGRADE_IN_BUILD,
            &format!("FROM a:1\nRUN {script}\n"),
        )
    }

    fn aliases(script: &str) -> Vec<&'static str> {
        let found = findings(
            &SYSTEM_UPGRADE_IN_BUILD,
            &format!("FROM a:1\nRUN {script}\n"),
        );
        assert_eq!(found.len(), 1, "{script}");
        found[0].aliases.clone()
    }

    #[test]
    fn whole_system_upgrades_are_flagged_with_the_upstream_ids_that_apply() {
        assert_eq!(run("zypper -n dup"), ["dup"]);
        assert_eq!(aliases("zypper dist-upgrade -y"), ["DL3035"]);
        assert_eq!(
            aliases("apt-get update && apt-get -y dist-upgrade"),
            ["DS-0024", "DKL-DI-0003", "DL3005"]
        );
        // Beyond today's upstream checks: only hadolint's retired ids apply.
        for (script, expected) in [
            ("apt-get upgrade -y", vec!["DL3005"]),
            ("apt full-upgrade -y", vec!["DL3005"]),
            ("apk upgrade --no-cache", vec!["DL3017"]),
            ("yum -y update", vec!["DL3031"]),
            ("dnf upgrade -y --refresh", vec!["DL3039"]),
            ("microdnf update", vec!["DL3039"]),
            ("dnf distro-sync -y", vec!["DL3039"]),
            ("zypper -n up", vec![]),
        ] {
            assert_eq!(aliases(script), expected, "{script}");
        }
    }

    #[test]
    fn upgrading_named_packages_is_fine() {
        for script in [
            "apt-get install -y --only-upgrade openssl",
            "apt-get upgrade -y openssl",
            "apk upgrade --no-cache openssl",
            "apk add --upgrade openssl",
            "yum update -y openssl",
            "dnf upgrade -y openssl-3.0.7",
            "zypper -n up openssl",
            "apt-get update",
            "zypper refresh",
        ] {
            assert!(run(script).is_empty(), "{script}");
        }
    }

    #[test]
    fn findings_point_at_the_subcommand_everywhere() {
        assert_eq!(
            positions(
                &SYSTEM_UPGRADE_IN_BUILD,
                "FROM a:1\nRUN apt-get update \\\n  && apt-get -y dist-upgrade\n"
            ),
            [(3, 17)]
        );
        assert_eq!(
            positions(
                &SYSTEM_UPGRADE_IN_BUILD,
                "FROM a:1\nRUN <<EOF\nset -e\napk upgrade\nEOF\n"
            ),
            [(4, 5)]
        );
        assert_eq!(
            positions(
                &SYSTEM_UPGRADE_IN_BUILD,
                "FROM a:1\nONBUILD RUN zypper dup\n"
            ),
            [(2, 20)]
        );
    }
}
