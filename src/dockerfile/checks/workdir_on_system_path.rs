//! PC8026 workdir-on-system-path.

use super::dockerignore::clean;
use super::Context;
use crate::dockerfile::expand::Lexer;
use crate::dockerfile::Keyword;
use crate::rules::WORKDIR_ON_SYSTEM_PATH;

/// Directories the kernel or the engine owns at run time.
const SYSTEM_DIRS: [&str; 5] = ["/proc", "/boot", "/dev", "/initrd", "/lost+found"];

pub(crate) fn check(ctx: &mut Context) {
    let lexer = Lexer::new(ctx.file.escape);
    let mut reports = Vec::new();
    for (index, instruction, onbuild) in ctx.instructions() {
        if instruction.keyword != Keyword::Workdir {
            continue;
        }
        let Some(arg) = instruction.args.first() else {
            continue;
        };
        let (value, complete) = match ctx.build.stage_of(index) {
            Some(stage) if !onbuild => {
                let resolved = ctx.build.resolve(stage.index, index, &arg.value);
                (resolved.value, resolved.complete)
            }
            _ => match lexer.process_word(&arg.value, &()) {
                Ok(expansion) => (expansion.value, expansion.references.is_empty()),
                Err(_) => continue,
            },
        };
        let path = clean(&value);
        let Some(dir) = system_dir(&path) else {
            continue;
        };
        // With an unknown variable, only the text written before it is certain.
        if !complete {
            let literal = arg.value.trim_start_matches(['"', '\'']);
            let before = &literal[..literal.find('$').unwrap_or(literal.len())];
            if !before
                .strip_prefix(dir)
                .is_some_and(|rest| rest.starts_with('/'))
            {
                continue;
            }
        }
        let message = if path == dir {
            format!("WORKDIR `{path}` is a system directory: use an application directory such as `/srv/app`")
        } else {
            format!("WORKDIR `{path}` lies under the system directory `{dir}`: use an application directory such as `/srv/app`")
        };
        reports.push((arg.span, message));
    }
    for (span, message) in reports {
        ctx.report(&WORKDIR_ON_SYSTEM_PATH, message, span);
    }
}

/// The system directory `path` (cleaned) is, or lies under.
fn system_dir(path: &str) -> Option<&'static str> {
    if !path.starts_with('/') {
        return None;
    }
    SYSTEM_DIRS.into_iter().find(|dir| {
        path.strip_prefix(dir)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::WORKDIR_ON_SYSTEM_PATH;

    #[test]
    fn system_directories_and_their_subdirectories_are_flagged() {
        for path in [
            "/proc",
            "/boot/",
            "/dev/shm/app",
            "/initrd",
            "/lost+found/x",
            "//proc",
        ] {
            let source = format!("FROM a:1\nWORKDIR {path}\n");
            assert_eq!(
                positions(&WORKDIR_ON_SYSTEM_PATH, &source),
                [(2, 9)],
                "{path}"
            );
        }
        assert_eq!(
            flagged(
                &WORKDIR_ON_SYSTEM_PATH,
                "FROM a:1\nWORKDIR \"/srv/../proc\"\n"
            ),
            ["\"/srv/../proc\""]
        );
        let found = findings(&WORKDIR_ON_SYSTEM_PATH, "FROM a:1\nWORKDIR /dev/app\n");
        assert!(found[0].is_named_by("DS-0030") && found[0].message.contains("`/dev`"));
    }

    #[test]
    fn variables_are_resolved_and_known_prefixes_count() {
        assert_eq!(
            positions(
                &WORKDIR_ON_SYSTEM_PATH,
                "FROM a:1\nENV D=/proc\nWORKDIR \\\n  $D/app\n"
            ),
            [(4, 3)]
        );
        assert_eq!(
            positions(&WORKDIR_ON_SYSTEM_PATH, "FROM a:1\nWORKDIR /dev/$APP\n"),
            [(2, 9)]
        );
        assert_eq!(
            positions(
                &WORKDIR_ON_SYSTEM_PATH,
                "FROM a:1\nONBUILD WORKDIR /proc/x\n"
            ),
            [(2, 17)]
        );
    }

    #[test]
    fn other_paths_are_fine() {
        for path in [
            "/srv/app",
            "/procfs",
            "/device",
            "/proc$X",
            "$BASE/proc",
            "proc",
            "/dev/../srv",
        ] {
            let source = format!("FROM a:1\nWORKDIR {path}\n");
            assert!(
                positions(&WORKDIR_ON_SYSTEM_PATH, &source).is_empty(),
                "{path}"
            );
        }
    }
}
