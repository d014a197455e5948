//! PC4010 assume-yes-missing.

use super::package_managers::{classify, Manager, PackageCommand};
use super::Context;
use crate::dockerfile::shell::{word_is_flag, Command};
use crate::dockerfile::Span;
use crate::rules::ASSUME_YES_MISSING;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String, &'static [&'static str])> = Vec::new();
    for script in ctx.run_scripts() {
        for (n, command) in script.commands.iter().enumerate() {
            let Some(p) = classify(command) else { continue };
            let Some(sub) = p.subcommand() else { continue };
            let Some((aliases, answer)) = prompting(&p) else {
                continue;
            };
            if answered(&p) || fed_by_yes(&script.commands, n) {
                continue;
            }
            reports.push((
                script.span(sub.range.clone()),
                format!(
                    "`{} {}` asks for confirmation and the build cannot answer: add `{answer}`",
                    p.program.text, sub.text
                ),
                aliases,
            ));
        }
    }
    for (span, message, aliases) in reports {
        ctx.report(&ASSUME_YES_MISSING, message, span).aliases = aliases.to_vec();
    }
}

/// For a command that asks before changing packages: the upstream ids and the option that
/// answers.
fn prompting(p: &PackageCommand) -> Option<(&'static [&'static str], &'static str)> {
    let sub = p.sub()?;
    // `yum group install`, `dnf module enable`.
    let grouped = || {
        p.operands().first().is_some_and(|w| {
            matches!(
                w.text.as_str(),
                "install" | "remove" | "upgrade" | "update" | "enable" | "disable" | "reset"
            )
        })
    };
    match p.manager {
        Manager::Apt => matches!(
            sub,
            "install"
                | "reinstall"
                | "remove"
                | "purge"
                | "autoremove"
                | "autopurge"
                | "upgrade"
                | "dist-upgrade"
                | "full-upgrade"
                | "build-dep"
        )
        .then_some((&["DL3014", "DS-0021"][..], "-y")),
        Manager::Yum | Manager::Dnf | Manager::Microdnf => {
            let prompts = matches!(
                sub,
                "install"
                    | "groupinstall"
                    | "localinstall"
                    | "reinstall"
                    | "remove"
                    | "erase"
                    | "upgrade"
                    | "update"
                    | "downgrade"
                    | "distro-sync"
                    | "groupremove"
                    | "autoremove"
            ) || (matches!(sub, "group" | "module") && grouped());
            let aliases: &'static [&'static str] = if p.manager == Manager::Yum {
                &["DL3030"]
            } else {
                &["DL3038"]
            };
            prompts.then_some((aliases, "-y"))
        }
        Manager::Zypper => matches!(
            sub,
            "install"
                | "in"
                | "remove"
                | "rm"
                | "source-install"
                | "si"
                | "patch"
                | "update"
                | "up"
                | "dist-upgrade"
                | "dup"
        )
        .then_some((&["DL3034"][..], "--non-interactive")),
        _ => None,
    }
}

/// Whether the command answers its own question.
fn answered(p: &PackageCommand) -> bool {
    match p.manager {
        Manager::Apt => {
            p.flag(Some('y'), Some("yes")).is_some()
                || p.flag(None, Some("assume-yes")).is_some()
                || quiet_level(p) >= 2
                || p.option_values(&["-o", "--option"]).iter().any(|o| {
                    o.split_once('=').is_some_and(|(key, value)| {
                        key.eq_ignore_ascii_case("APT::Get::Assume-Yes") && truthy(value)
                    })
                })
        }
        Manager::Yum | Manager::Dnf | Manager::Microdnf => {
            p.flag(Some('y'), Some("assumeyes")).is_some()
                || p.option_values(&["--setopt"]).iter().any(|o| {
                    o.split_once('=')
                        .is_some_and(|(key, value)| key == "assumeyes" && truthy(value))
                })
        }
        Manager::Zypper => {
            p.flag(Some('n'), Some("non-interactive")).is_some()
                || p.flag(Some('y'), Some("no-confirm")).is_some()
        }
        _ => true,
    }
}

/// apt's `-q` count: `-qq`, `-q -q`, `--quiet --quiet`, `-q=2`, `--quiet=2`.
fn quiet_level(p: &PackageCommand) -> usize {
    p.option_words()
        .map(|w| {
            let text = w.text.as_str();
            if let Some((name, level)) = text.split_once('=') {
                if matches!(name, "-q" | "--quiet") {
                    return level.parse().unwrap_or(1);
                }
                return 0;
            }
            if text == "--quiet" {
                return 1;
            }
            if word_is_flag(text, Some('q'), None) {
                return text.matches('q').count();
            }
            0
        })
        .sum()
}

fn truthy(value: &str) -> bool {
    matches!(
        value
            .trim_matches(['"', '\''])
            .to_ascii_lowercase()
            .as_str(),
        "1" | "true" | "yes" | "on"
    )
}

/// `yes | apt-get install …`: the previous command of the pipeline is `yes`.
fn fed_by_yes(commands: &[Command], n: usize) -> bool {
    n > 0 && commands[n].piped_from_previous && commands[n - 1].program() == Some("yes")
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::ASSUME_YES_MISSING;

    fn run(script: &str) -> Vec<String> {
        flagged(&ASSUME_YES_MISSING, &format!("FROM a:1\nRUN {script}\n"))
    }

    fn assert_alias(script: &str, aliases: &[&str]) {
        let found = findings(&ASSUME_YES_MISSING, &format!("FROM a:1\nRUN {script}\n"));
        assert_eq!(found.len(), 1, "{script}");
        assert_eq!(found[0].aliases, aliases, "{script}");
    }

    fn assert_fine(scripts: &[&str]) {
        for script in scripts {
            assert!(run(script).is_empty(), "{script}: {:?}", run(script));
        }
    }

    #[test]
    fn apt_get_without_yes_is_flagged_at_the_subcommand() {
        assert_eq!(run("apt-get update && apt-get install curl"), ["install"]);
        assert_eq!(run("apt-get install -q curl"), ["install"]);
        assert_eq!(run("apt-get --quiet install curl"), ["install"]);
        assert_eq!(run("apt-get -o -y install curl"), ["install"]);
        assert_eq!(run("apt purge curl"), ["purge"]);
        assert_alias("apt-get install curl", &["DL3014", "DS-0021"]);
        assert_alias("apt-get dist-upgrade", &["DL3014", "DS-0021"]);
        assert_fine(&[
            "apt-get install -y curl",
            "apt-get -y install curl",
            "apt-get install -yq curl",
            "apt-get --yes install curl",
            "apt-get --assume-yes install curl",
            "apt-get install -qq curl",
            "apt-get install -q -q curl",
            "apt-get install -q=2 curl",
            "apt-get install --quiet --quiet curl",
            "apt-get -o APT::Get::Assume-Yes=true install curl",
            "yes | apt-get install curl",
            "apt-get update",
            "apt-get clean",
        ]);
    }

    #[test]
    fn yum_and_dnf_without_yes_are_flagged() {
        assert_eq!(run("yum install httpd"), ["install"]);
        assert_eq!(
            run("yum groupinstall 'Development Tools'"),
            ["groupinstall"]
        );
        assert_eq!(run("dnf group install x"), ["group"]);
        assert_alias("yum localinstall x.rpm", &["DL3030"]);
        assert_alias("dnf install httpd", &["DL3038"]);
        assert_alias("microdnf install httpd", &["DL3038"]);
        assert_fine(&[
            "yum install -y httpd",
            "yum -y install httpd",
            "dnf install --assumeyes httpd",
            "microdnf install -y httpd",
            "dnf --setopt=assumeyes=True install httpd",
            "dnf makecache",
            "yum clean all",
            "dnf group list",
            "notdnf install httpd",
        ]);
    }

    #[test]
    fn zypper_without_non_interactive_is_flagged() {
        assert_eq!(run("zypper install httpd"), ["install"]);
        assert_eq!(run("zypper rm httpd"), ["rm"]);
        assert_alias("zypper in httpd", &["DL3034"]);
        assert_alias("zypper patch", &["DL3034"]);
        assert_fine(&[
            "zypper -n install httpd",
            "zypper --non-interactive in httpd",
            "zypper install -n httpd",
            "zypper install -y httpd",
            "zypper install --no-confirm httpd",
            "zypper refresh",
        ]);
    }

    #[test]
    fn other_managers_never_prompt() {
        assert_fine(&[
            "apk add curl",
            "pip install x",
            "npm install",
            "gem install x",
        ]);
    }

    #[test]
    fn findings_point_at_the_subcommand_everywhere() {
        assert_eq!(
            positions(
                &ASSUME_YES_MISSING,
                "FROM a:1\nRUN apt-get update && \\\n    apt-get install curl\n"
            ),
            [(3, 13)]
        );
        assert_eq!(
            positions(
                &ASSUME_YES_MISSING,
                "FROM a:1\nRUN <<EOF\nset -e\n  dnf install httpd\nEOF\n"
            ),
            [(4, 7)]
        );
        assert_eq!(
            positions(&ASSUME_YES_MISSING, "FROM a:1\nONBUILD RUN yum install x\n"),
            [(2, 17)]
        );
        assert_eq!(
            positions(&ASSUME_YES_MISSING, "FROM a:1\nRUN sh -c \"zypper in x\"\n"),
            [(2, 19)]
        );
    }
}
