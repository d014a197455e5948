//! PC4004 package-cache-left.

use super::package_managers::{classify, Action, Manager, PackageCommand};
use super::{Context, RunScript};
use crate::dockerfile::shell::Command;
use crate::dockerfile::Span;
use crate::rules::PACKAGE_CACHE_LEFT;

/// Per manager: the cache directory, the upstream ids, and how the cache is usually removed.
struct CachePolicy {
    manager: Manager,
    dirs: &'static [&'static str],
    aliases: &'static [&'static str],
    advice: &'static str,
}

const POLICIES: &[CachePolicy] = &[
    CachePolicy {
        manager: Manager::Apt,
        dirs: &["/var/lib/apt/lists", "/var/lib/apt"],
        aliases: &["DL3009", "DKL-DI-0005"],
        advice: "add `&& rm -rf /var/lib/apt/lists/*`",
    },
    CachePolicy {
        manager: Manager::Apk,
        dirs: &["/var/cache/apk", "/etc/apk/cache"],
        aliases: &["DL3019", "DS-0025", "DKL-DI-0004"],
        advice: "use `apk add --no-cache`",
    },
    CachePolicy {
        manager: Manager::Yum,
        dirs: &["/var/cache/yum"],
        aliases: &["DL3032", "DS-0015"],
        advice: "add `&& yum clean all`",
    },
    CachePolicy {
        manager: Manager::Dnf,
        dirs: &["/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/tdnf"],
        aliases: &["DL3040", "DS-0019"],
        advice: "add `&& dnf clean all`",
    },
    CachePolicy {
        manager: Manager::Microdnf,
        dirs: &["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"],
        aliases: &["DL3040", "DS-0027"],
        advice: "add `&& microdnf clean all`",
    },
    CachePolicy {
        manager: Manager::Zypper,
        dirs: &["/var/cache/zypp"],
        aliases: &["DL3036", "DS-0020"],
        advice: "add `&& zypper clean --all`",
    },
    CachePolicy {
        manager: Manager::Pip,
        dirs: &["/.cache/pip"],
        aliases: &["DL3042"],
        advice: "use `pip install --no-cache-dir`",
    },
    CachePolicy {
        manager: Manager::Yarn,
        dirs: &["/.cache/yarn", "/usr/local/share/.cache/yarn"],
        aliases: &["DL3060"],
        advice: "add `&& yarn cache clean`",
    },
];

pub(crate) fn check(ctx: &mut Context) {
    let Some(last) = ctx.build.final_stage() else {
        return;
    };
    // Only layers that ship: the final stage and the stages it is built on.
    let shipped: Vec<usize> = ctx
        .build
        .lineage(last.index)
        .iter()
        .map(|s| s.index)
        .collect();
    let mut reports: Vec<(Span, String, &'static [&'static str])> = Vec::new();
    for run in ctx.runs().iter() {
        let Some(first) = run.first() else { continue };
        let stage = ctx.build.stage_of(first.index).map(|s| s.index);
        // An `ONBUILD RUN` of a shipped stage runs in the images built from it: it ships too.
        if !stage.is_some_and(|s| shipped.contains(&s)) {
            continue;
        }
        let commands: Vec<(&RunScript, PackageCommand)> = run
            .iter()
            .flat_map(|s| s.commands.iter().filter_map(classify).map(move |p| (s, p)))
            .collect();
        if commands.is_empty() {
            continue;
        }
        // Working out the scope expands every ARG and ENV before the RUN: only for pip.
        let pip_cache_off = || {
            stage.is_some_and(|s| {
                ctx.build
                    .scope_before(s, first.index)
                    .iter()
                    .any(|(name, value)| {
                        name == "PIP_NO_CACHE_DIR" && value.as_deref().is_some_and(truthy)
                    })
            })
        };
        let all: Vec<&Command> = run.iter().flat_map(|s| s.commands.iter()).collect();
        let mounts = first.cache_mount_targets();
        for policy in POLICIES {
            let Some((script, culprit)) = commands
                .iter()
                .find(|(_, p)| p.manager == policy.manager && leaves_cache(p))
            else {
                continue;
            };
            let cleaned = commands
                .iter()
                .any(|(_, p)| p.manager == policy.manager && cleans(p))
                || all.iter().any(|c| removes_any(c, policy.dirs))
                || mounts
                    .iter()
                    .any(|m| policy.dirs.iter().any(|d| covers(m, d)))
                || (policy.manager == Manager::Pip
                    && (all.iter().any(|c| sets_pip_no_cache(c)) || pip_cache_off()));
            if !cleaned {
                reports.push((
                    script.span(culprit.program.range.clone()),
                    format!(
                        "`{}` leaves its cache in the layer: {}",
                        culprit.program.text, policy.advice
                    ),
                    policy.aliases,
                ));
            }
        }
    }
    for (span, message, aliases) in reports {
        ctx.report(&PACKAGE_CACHE_LEFT, message, span).aliases = aliases.to_vec();
    }
}

/// Whether this command fills a cache that nothing in it avoids.
fn leaves_cache(p: &PackageCommand) -> bool {
    match p.manager {
        // The lists come from `apt-get update`; installing alone adds none.
        Manager::Apt => p.action == Action::UpdateIndex,
        Manager::Apk => {
            p.action == Action::Install && p.command.flag(None, Some("no-cache")).is_none()
        }
        Manager::Pip => {
            p.action == Action::Install && p.command.flag(None, Some("no-cache-dir")).is_none()
        }
        _ => p.action == Action::Install,
    }
}

/// Whether this command empties the cache the rule is about. `apt-get clean` only empties the
/// downloaded archives, not the lists; `yum`/`dnf clean` must clean `all`.
fn cleans(p: &PackageCommand) -> bool {
    if p.action != Action::Clean {
        return false;
    }
    let operands = p.operands();
    let has = |names: &[&str]| operands.iter().any(|w| names.contains(&w.text.as_str()));
    match p.manager {
        Manager::Apt => matches!(p.sub(), Some("distclean" | "dist-clean")),
        Manager::Yum | Manager::Dnf | Manager::Microdnf => has(&["all"]),
        Manager::Apk => has(&["clean", "purge"]),
        Manager::Pip => has(&["purge", "remove"]),
        _ => true,
    }
}

/// `rm -rf /var/lib/apt/lists/*` and the like.
fn removes_any(command: &Command, dirs: &[&str]) -> bool {
    command.program() == Some("rm")
        && command.args().iter().any(|w| {
            let path = w.text.trim_end_matches(['*', '/']);
            !path.is_empty() && dirs.iter().any(|d| covers(path, d))
        })
}

/// Whether removing or mounting over `path` takes `dir` with it: `path` is `dir` or one of its
/// parents. Directories written `/.cache/pip` are under any home directory, so `/root/.cache`
/// and `~/.cache` cover them.
fn covers(path: &str, dir: &str) -> bool {
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return false;
    }
    if dir.starts_with("/.") {
        return dir
            .match_indices('/')
            .skip(1)
            .map(|(i, _)| &dir[..i])
            .chain([dir])
            .any(|prefix| path.ends_with(prefix));
    }
    path.ends_with(dir)
        || dir
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `PIP_NO_CACHE_DIR=1 pip install …`, `export PIP_NO_CACHE_DIR=on && …` with a true value.
fn sets_pip_no_cache(command: &Command) -> bool {
    let words = command.assignments.iter().chain(
        command
            .words
            .iter()
            .filter(|_| matches!(command.program(), Some("export" | "declare" | "typeset"))),
    );
    words
        .filter_map(|w| w.text.strip_prefix("PIP_NO_CACHE_DIR="))
        .any(truthy)
}

/// pip's reading of a boolean setting: `0`, `false`, `no`, `off` (and empty) are false.
fn truthy(value: &str) -> bool {
    !matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "" | "0" | "false" | "no" | "off"
    )
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::PACKAGE_CACHE_LEFT;

    #[test]
    fn flags_each_manager_with_its_own_alias() {
        let found = findings(
            &PACKAGE_CACHE_LEFT,
            "FROM a:1\nRUN apt-get update && apt-get install -y x && pip install y\n",
        );
        assert_eq!(found.len(), 2);
        assert!(found[0].is_named_by("DL3009") && !found[0].is_named_by("DL3042"));
        assert!(found[1].is_named_by("DL3042"));
        assert_eq!(
            flagged(&PACKAGE_CACHE_LEFT, "FROM a:1\nRUN apk add curl\n"),
            ["apk"]
        );
        assert_eq!(
            positions(
                &PACKAGE_CACHE_LEFT,
                "FROM a:1\nRUN set -e \\\n && yum install -y x\n"
            ),
            [(3, 5)]
        );
        assert_eq!(
            flagged(&PACKAGE_CACHE_LEFT, "FROM a:1\nRUN yarn install\n"),
            ["yarn"]
        );
    }

    #[test]
    fn cleanup_cache_mounts_and_settings_are_honoured() {
        for run in [
            "apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*",
            "--mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y x",
            "apk add --no-cache x",
            "yum install -y x && yum clean all",
            "dnf install -y x && rm -rf /var/cache/dnf",
            "pip install --no-cache-dir x",
            "PIP_NO_CACHE_DIR=1 pip install x",
            "--mount=type=cache,target=/root/.cache/pip pip install x",
            "yarn install && yarn cache clean",
            "zypper in -y x && zypper clean -a",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(findings(&PACKAGE_CACHE_LEFT, &source).is_empty(), "{run}");
        }
        assert!(findings(
            &PACKAGE_CACHE_LEFT,
            "FROM a:1\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x\n"
        )
        .is_empty());
    }

    #[test]
    fn only_real_cleanups_count() {
        for run in [
            // `apt-get clean` empties the archives, not the lists.
            "apt-get update && apt-get install -y x && apt-get clean",
            "dnf install -y x && dnf clean packages",
            "pip install x && pip cache dir",
            "PIP_NO_CACHE_DIR=0 pip install x",
            "PIP_NO_CACHE_DIR=off pip install x",
            "export PIP_NO_CACHE_DIR=false && pip install x",
            "pip2 install x",
            "--mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y x",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert_eq!(findings(&PACKAGE_CACHE_LEFT, &source).len(), 1, "{run}");
        }
        for run in [
            "apt-get update && apt-get install -y x && apt-get distclean",
            "export PIP_NO_CACHE_DIR=on && pip install x",
            "PIP_NO_CACHE_DIR=yes pip install x",
            "--mount=type=cache,target=/root/.cache pip install x",
            "--mount=type=tmpfs,target=/var/lib/apt apt-get update && apt-get install -y x",
            "pip install x && rm -rf ~/.cache",
            "pip install x && pip cache purge",
            "tdnf install -y x && rm -rf /var/cache/tdnf",
            // Installing without an update adds no lists.
            "apt-get install -y x",
            // `pipx` and `pipenv` are not pip: they take no `--no-cache-dir`.
            "pipx install x && pipenv install y",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(findings(&PACKAGE_CACHE_LEFT, &source).is_empty(), "{run}");
        }
        for (env, expected) in [
            ("1", 0),
            ("on", 0),
            ("true", 0),
            ("0", 1),
            ("off", 1),
            ("no", 1),
        ] {
            let source = format!("FROM a:1\nENV PIP_NO_CACHE_DIR={env}\nRUN pip install x\n");
            assert_eq!(
                findings(&PACKAGE_CACHE_LEFT, &source).len(),
                expected,
                "{env}"
            );
        }
        let inherited = "FROM a:1 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install x\n";
        assert!(findings(&PACKAGE_CACHE_LEFT, inherited).is_empty());
    }

    #[test]
    fn onbuild_runs_of_shipped_stages_are_reported() {
        assert_eq!(
            positions(&PACKAGE_CACHE_LEFT, "FROM a:1\nONBUILD RUN apk add curl\n"),
            [(2, 13)]
        );
        let unshipped = "FROM a:1 AS build\nONBUILD RUN apk add curl\nFROM b:1\n";
        assert!(findings(&PACKAGE_CACHE_LEFT, unshipped).is_empty());
    }

    #[test]
    fn stages_that_do_not_ship_are_not_reported() {
        let source = "FROM a:1 AS build\nRUN apk add gcc\nFROM b:1\nCOPY --from=build /x /x\n";
        assert!(findings(&PACKAGE_CACHE_LEFT, source).is_empty());
        let inherited = "FROM a:1 AS base\nRUN apk add gcc\nFROM base\nCMD x\n";
        assert_eq!(findings(&PACKAGE_CACHE_LEFT, inherited).len(), 1);
    }
}
