//! PC4022 useradd-lastlog-bloat.

use super::command_options::{OptionSpec, Options};
use super::Context;
use crate::dockerfile::Span;
use crate::rules::USERADD_LASTLOG_BLOAT;

/// shadow-utils `useradd` options that take a value.
pub(crate) const USERADD: OptionSpec = OptionSpec {
    short_values: "bcdefgGkKpPRsuZ",
    long_values: &[
        "base-dir",
        "comment",
        "home-dir",
        "expiredate",
        "inactive",
        "gid",
        "groups",
        "skel",
        "key",
        "password",
        "prefix",
        "root",
        "shell",
        "uid",
        "selinux-user",
        "btrfs-subvolume-home",
    ],
};

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            if command.program() != Some("useradd") {
                continue;
            }
            let options = Options::parse(command.args(), &USERADD);
            if options.has(Some('l'), &["no-log-init"]) {
                continue;
            }
            let Some(uid) = options.value(Some('u'), &["uid"]) else {
                continue;
            };
            let value = if uid.text.contains('$') {
                let stage = ctx.build.stage_of(script.index).map(|s| s.index);
                match stage.map(|s| ctx.build.resolve(s, script.index, uid.text)) {
                    Some(resolved) if resolved.complete => resolved.value,
                    _ => continue,
                }
            } else {
                uid.text.to_owned()
            };
            if value.len() > 5 && value.bytes().all(|b| b.is_ascii_digit()) {
                reports.push((
                    script.span(uid.word.range.clone()),
                    format!("UID {value} without `--no-log-init` makes /var/log/lastlog and faillog huge in the layer: add `-l`"),
                ));
            }
        }
    }
    for (span, message) in reports {
        ctx.report(&USERADD_LASTLOG_BLOAT, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::USERADD_LASTLOG_BLOAT;

    #[test]
    fn flags_large_uids_without_no_log_init() {
        assert_eq!(
            flagged(
                &USERADD_LASTLOG_BLOAT,
                "FROM a:1\nRUN useradd -u 1000000 app\n"
            ),
            ["1000000"]
        );
        assert_eq!(
            flagged(
                &USERADD_LASTLOG_BLOAT,
                "FROM a:1\nRUN useradd -mu123456 app\n"
            ),
            ["-mu123456"]
        );
        assert_eq!(
            flagged(
                &USERADD_LASTLOG_BLOAT,
                "FROM a:1\nRUN useradd --uid=123456 app\n"
            ),
            ["--uid=123456"]
        );
        assert_eq!(
            positions(
                &USERADD_LASTLOG_BLOAT,
                "FROM a:1\nARG APP_UID=2000000\nRUN groupadd app && \\\n    useradd --uid \"$APP_UID\" app\n"
            ),
            [(4, 19)]
        );
        assert_eq!(
            positions(
                &USERADD_LASTLOG_BLOAT,
                "FROM a:1\nRUN <<EOF\nuseradd -u 999999 app\nEOF\n"
            ),
            [(3, 12)]
        );
        assert_eq!(
            positions(
                &USERADD_LASTLOG_BLOAT,
                "FROM a:1\nONBUILD RUN useradd -u 999999 app\n"
            ),
            [(2, 24)]
        );
        let found = findings(
            &USERADD_LASTLOG_BLOAT,
            "FROM a:1\nRUN useradd -u 999999 a\n",
        );
        assert!(found[0].is_named_by("DL3046"));
    }

    #[test]
    fn small_or_unknown_uids_and_no_log_init_are_fine() {
        for run in [
            "useradd -u 10001 app",
            "useradd -l -u 1000000 app",
            "useradd --no-log-init --uid 1000000 app",
            "useradd -lu 1000000 app",
            "useradd -u $UNKNOWN app",
            "useradd app",
            "adduser -u 1000000 app",
            "usermod -u 1000000 app",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(
                positions(&USERADD_LASTLOG_BLOAT, &source).is_empty(),
                "{run}"
            );
        }
        assert!(positions(
            &USERADD_LASTLOG_BLOAT,
            "FROM a:1\nONBUILD RUN useradd -l -u 999999 app\n"
        )
        .is_empty());
    }
}
