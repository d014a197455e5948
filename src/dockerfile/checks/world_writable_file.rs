//! PC1012 world-writable-file, from the Dockerfile: modes that let every user write.

use super::command_options::{OptionSpec, Options};
use super::Context;
use crate::dockerfile::shell::Word;
use crate::dockerfile::{Keyword, Span};
use crate::rules::WORLD_WRITABLE_FILE;

/// Shared temporary directories, where a world-writable (sticky) mode is expected.
const SHARED_TEMP: &[&str] = &["/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/var/lock"];

const MKDIR: OptionSpec = OptionSpec {
    short_values: "mZ",
    long_values: &["mode", "context"],
};
const INSTALL: OptionSpec = OptionSpec {
    short_values: "gmoStS",
    long_values: &[
        "group",
        "mode",
        "owner",
        "suffix",
        "target-directory",
        "strip-program",
    ],
};

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            let Some(program) = command.program() else {
                continue;
            };
            let args = command.args();
            let (word, mode, paths, recursive): (&Word, &str, Vec<&str>, bool) = match program {
                "chmod" => {
                    if args.iter().any(|w| w.text.starts_with("--reference")) {
                        continue;
                    }
                    // The mode is the first argument that is not an option (`-w` is a mode).
                    let is_option = |t: &str| {
                        t.starts_with("--")
                            || (t.len() > 1
                                && t.starts_with('-')
                                && t[1..].chars().all(|c| "RfvcHLP".contains(c)))
                    };
                    let Some(at) = args.iter().position(|w| !is_option(&w.text)) else {
                        continue;
                    };
                    let recursive = args[..at].iter().any(|w| {
                        w.text == "--recursive"
                            || (!w.text.starts_with("--") && w.text.contains('R'))
                    });
                    let paths = args[at + 1..]
                        .iter()
                        .filter(|w| !w.text.starts_with('-'))
                        .map(|w| w.text.as_str())
                        .collect();
                    (&args[at], args[at].text.as_str(), paths, recursive)
                }
                "mkdir" | "install" => {
                    let spec = if program == "mkdir" { &MKDIR } else { &INSTALL };
                    let options = Options::parse(args, spec);
                    let Some(mode) = options.value(Some('m'), &["mode"]) else {
                        continue;
                    };
                    let paths = options.operands().map(|w| w.text.as_str()).collect();
                    (mode.word, mode.text, paths, false)
                }
                _ => continue,
            };
            if !world_writable(mode) || paths.is_empty() || paths.iter().all(|p| in_shared_temp(p))
            {
                continue;
            }
            let what = if recursive {
                format!("{} and everything below", paths.join(", "))
            } else {
                paths.join(", ")
            };
            reports.push((
                script.span(word.range.clone()),
                format!("`{program} {mode}` makes {what} writable by every user: give the files to the user that writes them and drop write access for others"),
            ));
        }
    }
    for (_, instruction, _) in ctx.instructions() {
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let Some(flag) = instruction.flag("chmod") else {
            continue;
        };
        let mode = flag.value.as_deref().unwrap_or_default();
        let dest = instruction
            .args
            .last()
            .map(|a| a.value.as_str())
            .unwrap_or_default();
        if world_writable(mode) && !in_shared_temp(dest) {
            reports.push((
                flag.span,
                format!(
                    "`--chmod={mode}` makes the copied files writable by every user: use a mode without write access for others, such as 755 or 644"
                ),
            ));
        }
    }
    for (span, message) in reports {
        ctx.report(&WORLD_WRITABLE_FILE, message, span);
    }
}

/// Whether a chmod-style mode grants write permission to others: octal (`777`, `0666`,
/// `1777`) or symbolic (`a+w`, `o=rwx`, `u+x,o+w`).
fn world_writable(mode: &str) -> bool {
    if !mode.is_empty() && mode.len() <= 5 && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return u32::from_str_radix(mode, 8).is_ok_and(|m| m & 0o002 != 0);
    }
    mode.split(',').any(|clause| {
        let who_len = clause.find(|c| !"ugoa".contains(c)).unwrap_or(clause.len());
        let (who, actions) = clause.split_at(who_len);
        if !(who.contains('o') || who.contains('a')) {
            // No `who` means "all, minus the umask", which keeps others from writing.
            return false;
        }
        // `+w`, `=rw`, `-x+w`: each operator applies to the letters after it.
        let mut op = ' ';
        actions.chars().any(|c| {
            if "+-=".contains(c) {
                op = c;
                false
            } else {
                c == 'w' && (op == '+' || op == '=')
            }
        })
    })
}

fn in_shared_temp(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    SHARED_TEMP.iter().any(|t| {
        path == *t
            || path
                .strip_prefix(t)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::world_writable;
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::WORLD_WRITABLE_FILE;

    #[test]
    fn modes_that_let_others_write() {
        for mode in [
            "777", "0777", "1777", "666", "2", "a+w", "o+w", "ugo=rwx", "u+x,o+rw", "a-x+w", "o=w",
        ] {
            assert!(world_writable(mode), "{mode}");
        }
        for mode in [
            "755",
            "0644",
            "1755",
            "+w",
            "u+w",
            "g+w",
            "o-w",
            "a-w",
            "o+rx",
            "=rw",
            "u=rwx,g=rx,o=r",
        ] {
            assert!(!world_writable(mode), "{mode}");
        }
    }

    #[test]
    fn flags_chmod_mkdir_install_and_copy_modes() {
        assert_eq!(
            flagged(
                &WORLD_WRITABLE_FILE,
                "FROM a:1\nRUN chmod -R 777 /opt/app\n"
            ),
            ["777"]
        );
        let found = findings(&WORLD_WRITABLE_FILE, "FROM a:1\nRUN chmod -R a+w /srv\n");
        assert!(
            found[0].message.contains("/srv and everything below"),
            "{}",
            found[0].message
        );
        assert_eq!(
            flagged(
                &WORLD_WRITABLE_FILE,
                "FROM a:1\nRUN mkdir -p -m 1777 /data && install -m0666 f /etc/f\n"
            ),
            ["1777", "-m0666"]
        );
        assert_eq!(
            positions(
                &WORLD_WRITABLE_FILE,
                "FROM a:1\nRUN make && \\\n    sudo chmod o+w /var/log/app\n"
            ),
            [(3, 16)]
        );
        assert_eq!(
            positions(
                &WORLD_WRITABLE_FILE,
                "FROM a:1\nRUN <<EOF\nchmod 0777 /x\nEOF\n"
            ),
            [(3, 7)]
        );
        assert_eq!(
            positions(&WORLD_WRITABLE_FILE, "FROM a:1\nONBUILD RUN chmod 777 /x\n"),
            [(2, 19)]
        );
        assert_eq!(
            flagged(
                &WORLD_WRITABLE_FILE,
                "FROM a:1\nCOPY --chmod=777 app /app\n"
            ),
            ["--chmod=777"]
        );
    }

    #[test]
    fn private_modes_and_shared_temp_dirs_are_fine() {
        for run in [
            "chmod 755 /opt/app",
            "chmod -R go-w /opt",
            "chmod +x /entrypoint.sh",
            "chmod 1777 /tmp",
            "chmod 777 /tmp/build /var/tmp",
            "mkdir -m 700 /data",
            "chmod --reference=/a /b",
            "echo chmod 777 /x",
        ] {
            let source = format!("FROM a:1\nRUN {run}\n");
            assert!(positions(&WORLD_WRITABLE_FILE, &source).is_empty(), "{run}");
        }
        assert!(positions(&WORLD_WRITABLE_FILE, "FROM a:1\nCOPY --chmod=755 a /a\n").is_empty());
        assert!(positions(&WORLD_WRITABLE_FILE, "FROM a:1\nONBUILD RUN chmod 700 /x\n").is_empty());
    }
}
