//! PC2005 password-set-in-build.

use super::command_options::Options;
use super::useradd_lastlog_bloat::USERADD;
use super::Context;
use crate::dockerfile::shell::basename;
use crate::dockerfile::Span;
use crate::rules::PASSWORD_SET_IN_BUILD;

/// Password fields that lock an account instead of setting a password.
const LOCKED: &[&str] = &["*", "!", "!!", "!*", "x"];

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, &str, &'static [&'static str])> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            let Some(index) = command.program_index() else {
                continue;
            };
            let name = || script.span(command.words[index].range.clone());
            match basename(&command.words[index].text) {
                "chpasswd" => reports.push((
                    name(),
                    "`chpasswd` sets a password in a build step: it ends up in the image history and /etc/shadow; set it when the container starts, from a secret, or leave the account locked",
                    &["CKV2_DOCKER_17"],
                )),
                "passwd" if command.flag(None, Some("stdin")).is_some() => reports.push((
                    name(),
                    "`passwd --stdin` sets a password in a build step: it ends up in the image history and /etc/shadow; set it when the container starts, from a secret, or leave the account locked",
                    &[],
                )),
                "useradd" | "usermod" => {
                    let options = Options::parse(command.args(), &USERADD);
                    if let Some(value) = options.value(Some('p'), &["password"]) {
                        if !value.text.is_empty() && !LOCKED.contains(&value.text) {
                            reports.push((
                                script.span(value.word.range.clone()),
                                "a password hash given to useradd/usermod ships in the Dockerfile, the image history and /etc/shadow: create the account without one, and set it when the container starts if it needs one",
                                &[],
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for (span, message, aliases) in reports {
        ctx.report(&PASSWORD_SET_IN_BUILD, message, span).aliases = aliases.to_vec();
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::PASSWORD_SET_IN_BUILD;

    #[test]
    fn flags_chpasswd_at_the_command() {
        assert_eq!(
            flagged(
                &PASSWORD_SET_IN_BUILD,
                "FROM a:1\nRUN useradd app && echo 'app:pw' | chpasswd\n"
            ),
            ["chpasswd"]
        );
        assert_eq!(
            positions(
                &PASSWORD_SET_IN_BUILD,
                "FROM a:1\nRUN useradd app && \\\n    echo \"root:root\" | /usr/sbin/chpasswd\n"
            ),
            [(3, 24)]
        );
        assert_eq!(
            positions(
                &PASSWORD_SET_IN_BUILD,
                "FROM a:1\nRUN <<EOF\necho 'app:pw' |\n  chpasswd -e\nEOF\n"
            ),
            [(4, 3)]
        );
        assert_eq!(
            positions(
                &PASSWORD_SET_IN_BUILD,
                "FROM a:1\nONBUILD RUN echo a:b | chpasswd\n"
            ),
            [(2, 24)]
        );
        let found = findings(
            &PASSWORD_SET_IN_BUILD,
            "FROM a:1\nRUN echo a:b | chpasswd\n",
        );
        assert!(found[0].is_named_by("CKV2_DOCKER_17"));
    }

    #[test]
    fn flags_other_ways_of_setting_a_password_without_the_checkov_alias() {
        let found = findings(
            &PASSWORD_SET_IN_BUILD,
            "FROM a:1\nRUN echo pw | passwd --stdin app && useradd -p '$6$abc' bob && usermod --password=x2 al\n",
        );
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|f| !f.is_named_by("CKV2_DOCKER_17")));
        assert_eq!(
            flagged(
                &PASSWORD_SET_IN_BUILD,
                "FROM a:1\nRUN useradd -p '$6$abc' bob\n"
            ),
            ["'$6$abc'"]
        );
    }

    #[test]
    fn accounts_without_passwords_are_fine() {
        for run in [
            "useradd -m app",
            "useradd -p '*' app",
            "usermod -p '!' root",
            "passwd -l root",
            "passwd -d app",
            "apt-get install -y passwd",
            "echo chpasswd",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(
                positions(&PASSWORD_SET_IN_BUILD, &source).is_empty(),
                "{run}"
            );
        }
        assert!(positions(
            &PASSWORD_SET_IN_BUILD,
            "FROM a:1\nONBUILD RUN useradd app\n"
        )
        .is_empty());
    }
}
