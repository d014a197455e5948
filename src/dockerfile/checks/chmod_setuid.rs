//! PC1003 setuid-setgid-bit.

use super::Context;
use crate::dockerfile::{Keyword, Span};
use crate::rules::CHMOD_SETUID;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports: Vec<(Span, String)> = Vec::new();
    for script in ctx.run_scripts() {
        for command in &script.commands {
            if command.program() != Some("chmod") {
                continue;
            }
            let mode = command
                .args()
                .iter()
                .find(|w| !w.text.starts_with('-') || is_symbolic_mode(&w.text));
            if let Some(mode) = mode.filter(|m| sets_special_bit(&m.text)) {
                reports.push((script.span(mode.range.clone()), mode.text.clone()));
            }
        }
    }
    for (_, instruction, _) in ctx.instructions() {
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        if let Some(flag) = instruction.flag("chmod") {
            if let Some(mode) = flag.value.as_deref().filter(|m| sets_special_bit(m)) {
                reports.push((flag.span, mode.to_owned()));
            }
        }
    }
    for (span, mode) in reports {
        ctx.report(
            &CHMOD_SETUID,
            format!("mode `{mode}` sets the setuid or setgid bit: keep special bits off unless the file truly needs them"),
            span,
        );
    }
}

/// Whether a chmod mode adds setuid or setgid: octal `4755`/`2755`/`6755`, symbolic `u+s`.
fn sets_special_bit(mode: &str) -> bool {
    if !mode.is_empty() && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let digits = mode.trim_start_matches('0');
        return digits.len() == 4
            && matches!(
                digits.as_bytes()[0],
                b'2' | b'4' | b'6' | b'3' | b'5' | b'7'
            );
    }
    mode.split(',').any(|clause| {
        let Some(op) = clause.find(['+', '=']) else {
            return false;
        };
        let (who, perms) = clause.split_at(op);
        who.bytes().all(|b| b"ugoa".contains(&b)) && perms[1..].contains('s') && who != "o"
    })
}

/// Symbolic modes may start with `-` (`-s` removes bits): those are not options.
fn is_symbolic_mode(word: &str) -> bool {
    word.len() > 1 && word[1..].bytes().all(|b| b"rwxXst".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::sets_special_bit;
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::CHMOD_SETUID;

    #[test]
    fn recognises_modes_that_set_special_bits() {
        for mode in [
            "4755", "2755", "6755", "04755", "u+s", "g+s", "+s", "ug=rwxs", "a+rx,u+s",
        ] {
            assert!(sets_special_bit(mode), "{mode}");
        }
        for mode in [
            "755", "0755", "1777", "01777", "u+x", "-s", "o+t", "go-w", "g-s",
        ] {
            assert!(!sets_special_bit(mode), "{mode}");
        }
    }

    #[test]
    fn flags_chmod_in_run_and_copy_chmod() {
        assert_eq!(
            flagged(&CHMOD_SETUID, "FROM a:1\nRUN chmod -R u+s /usr/bin/x\n"),
            ["u+s"]
        );
        assert_eq!(
            positions(
                &CHMOD_SETUID,
                "FROM a:1\nRUN make && \\\n  chmod 4755 /bin/x\n"
            ),
            [(3, 9)]
        );
        assert_eq!(
            flagged(&CHMOD_SETUID, "FROM a:1\nCOPY --chmod=2755 a /b\n"),
            ["--chmod=2755"]
        );
    }

    #[test]
    fn ordinary_modes_are_fine() {
        assert!(positions(
            &CHMOD_SETUID,
            "FROM a:1\nRUN chmod 755 /x && chmod g-s /y\nCOPY --chmod=0644 a /b\n"
        )
        .is_empty());
        assert!(positions(&CHMOD_SETUID, "FROM a:1\nRUN echo chmod u+s\n").is_empty());
    }
}
