//! PC4011 recommended-packages-installed.

use super::package_managers::{classify, Manager, PackageCommand};
use super::Context;
use crate::dockerfile::shell::basename;
use crate::dockerfile::{Keyword, Span};
use crate::rules::RECOMMENDED_PACKAGES_INSTALLED;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            let Some(p) = classify(command) else { continue };
            let Some(sub) = p.subcommand().filter(|s| s.text == "install") else {
                continue;
            };
            if p.manager != Manager::Apt || declines_recommends(&p) {
                continue;
            }
            let at = script.span(command.range()).start;
            if configured_off(ctx, script.index, at) {
                continue;
            }
            let (program, option) = match basename(&p.program.text) {
                "aptitude" => ("aptitude", "--without-recommends"),
                other => (other, "--no-install-recommends"),
            };
            reports.push((
                script.span(sub.range.clone()),
                format!("`{program} install` also installs recommended packages: add `{option}`"),
            ));
        }
    }
    for (span, message) in reports {
        ctx.report(&RECOMMENDED_PACKAGES_INSTALLED, message, span);
    }
}

/// `--no-install-recommends`, `-o APT::Install-Recommends=false`, aptitude's `-R`.
fn declines_recommends(p: &PackageCommand) -> bool {
    if basename(&p.program.text) == "aptitude" {
        return p.flag(Some('R'), Some("without-recommends")).is_some();
    }
    p.flag(None, Some("no-install-recommends")).is_some()
        || p.option_values(&["-o", "--option"])
            .iter()
            .any(|o| turns_recommends_off(o))
        || p.args
            .iter()
            .any(|w| w.text.eq_ignore_ascii_case("APT::Install-Recommends=false"))
}

/// Whether an earlier `RUN` of the stage (or of a stage it is built on), or the text of this
/// `RUN` before byte `before`, writes an apt setting that turns recommendations off.
fn configured_off(ctx: &Context, index: usize, before: usize) -> bool {
    let Some(stage) = ctx.build.stage_of(index) else {
        return false;
    };
    ctx.build.lineage(stage.index).iter().any(|s| {
        let end = if s.index == stage.index {
            (index + 1).min(s.body.end)
        } else {
            s.body.end
        };
        (s.body.start..end).any(|n| {
            let instruction = &ctx.file.instructions[n];
            if instruction.keyword != Keyword::Run {
                return false;
            }
            let stop = if n == index {
                before
            } else {
                instruction.span.end
            };
            ctx.file
                .source
                .get(instruction.span.start..stop.max(instruction.span.start))
                .is_some_and(turns_recommends_off)
        })
    })
}

/// Finds `Install-Recommends` followed by a false value (`"0"`, `false`, `no`), as apt.conf
/// or `-o` write it.
fn turns_recommends_off(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.match_indices("install-recommends").any(|(at, key)| {
        let value = lower[at + key.len()..].trim_start_matches([' ', '\t', '"', '\'', '=', '\\']);
        ["false", "0", "no", "off"]
            .iter()
            .any(|v| value.starts_with(v))
    })
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::RECOMMENDED_PACKAGES_INSTALLED;

    fn run(script: &str) -> Vec<String> {
        flagged(
            &RECOMMENDED_PACKAGES_INSTALLED,
            &format!("FROM a:1\nRUN {script}\n"),
        )
    }

    #[test]
    fn apt_install_without_the_option_is_flagged() {
        assert_eq!(
            run("apt-get update && apt-get install -y curl"),
            ["install"]
        );
        assert_eq!(run("apt install -y curl"), ["install"]);
        assert_eq!(run("aptitude install -y curl"), ["install"]);
        // Turning them on again is not turning them off.
        assert_eq!(
            run("apt-get install -y -o APT::Install-Recommends=true curl"),
            ["install"]
        );
        let found = findings(
            &RECOMMENDED_PACKAGES_INSTALLED,
            "FROM a:1\nRUN apt-get install -y curl\n",
        );
        assert!(found[0].is_named_by("DL3015") && found[0].is_named_by("DS-0029"));
    }

    #[test]
    fn declining_recommends_in_any_form_is_fine() {
        for script in [
            "apt-get install -y --no-install-recommends curl",
            "apt-get -y --no-install-recommends install curl",
            "apt-get install -y -o APT::Install-Recommends=false curl",
            "apt-get install -y -oAPT::Install-Recommends=0 curl",
            "apt-get install -y --option=APT::Install-Recommends=false curl",
            "aptitude install -y -R curl",
            "apt-get update",
            "apt-get remove -y curl",
            "echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/99r && apt-get install -y curl",
        ] {
            assert!(run(script).is_empty(), "{script}");
        }
        let configured = "FROM a:1 AS base\nRUN <<EOF\ncat > /etc/apt/apt.conf.d/99r <<'CONF'\n\
                          APT::Install-Recommends \"false\";\nCONF\nEOF\n\
                          FROM base\nRUN apt-get install -y curl\n";
        assert!(flagged(&RECOMMENDED_PACKAGES_INSTALLED, configured).is_empty());
        // Written after the install: too late.
        assert_eq!(
            run("apt-get install -y curl && echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/99r"),
            ["install"]
        );
        // Another stage's settings do not apply.
        let other = "FROM a:1 AS base\nRUN echo 'APT::Install-Recommends \"0\";' > /x\n\
                     FROM a:1\nRUN apt-get install -y curl\n";
        assert_eq!(flagged(&RECOMMENDED_PACKAGES_INSTALLED, other), ["install"]);
    }

    #[test]
    fn findings_point_at_the_install_word_everywhere() {
        assert_eq!(
            positions(
                &RECOMMENDED_PACKAGES_INSTALLED,
                "FROM a:1\nRUN apt-get update \\\n && apt-get -y \\\n    install curl\n"
            ),
            [(4, 5)]
        );
        assert_eq!(
            positions(
                &RECOMMENDED_PACKAGES_INSTALLED,
                "FROM a:1\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n"
            ),
            [(4, 9)]
        );
        assert_eq!(
            positions(
                &RECOMMENDED_PACKAGES_INSTALLED,
                "FROM a:1\nONBUILD RUN apt-get install -y curl\n"
            ),
            [(2, 21)]
        );
    }
}
