//! PC4005 workdir-relative.

use super::Context;
use crate::dockerfile::Keyword;
use crate::rules::WORKDIR_RELATIVE;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for (index, instruction, _) in ctx.instructions() {
        if instruction.keyword != Keyword::Workdir {
            continue;
        }
        let Some(arg) = instruction.args.first() else {
            continue;
        };
        let resolved = match ctx.build.stage_of(index) {
            Some(stage) => ctx.build.resolve(stage.index, index, &arg.value),
            None => continue,
        };
        // A path that starts with an unknown variable may well be absolute.
        let value = resolved.value.as_str();
        if !resolved.complete
            && (value.is_empty() || arg.value.trim_start_matches(['"', '\'']).starts_with('$'))
        {
            continue;
        }
        if !is_absolute(value) {
            reports.push((
                arg.span,
                format!("WORKDIR `{value}` is relative: use an absolute path"),
            ));
        }
    }
    for (span, message) in reports {
        ctx.report(&WORKDIR_RELATIVE, message, span);
    }
}

/// `/…`, or a Windows drive path (`C:\\…`, `C:/…`).
pub(super) fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || (bytes.len() >= 3
            && bytes[0].is_ascii_alphabetic()
            && bytes[1] == b':'
            && matches!(bytes[2], b'\\' | b'/'))
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::WORKDIR_RELATIVE;

    #[test]
    fn flags_relative_paths_after_expansion() {
        assert_eq!(
            flagged(&WORKDIR_RELATIVE, "FROM a:1\nWORKDIR app\n"),
            ["app"]
        );
        assert_eq!(
            positions(&WORKDIR_RELATIVE, "FROM a:1\nENV D=srv\nWORKDIR $D/app\n"),
            [(3, 9)]
        );
        assert_eq!(
            flagged(&WORKDIR_RELATIVE, "FROM a:1\nWORKDIR \"rel dir\"\n").len(),
            1
        );
    }

    #[test]
    fn absolute_windows_and_unknown_paths_are_fine() {
        for path in [
            "/srv/app",
            "\"/quoted\"",
            "C:\\\\app",
            "C:/app",
            "$HOME/app",
            "${UNSET}",
        ] {
            let source = format!("FROM a:1\nWORKDIR {path}\n");
            assert!(positions(&WORKDIR_RELATIVE, &source).is_empty(), "{path}");
        }
        assert!(positions(&WORKDIR_RELATIVE, "FROM a:1\nENV D=/srv\nWORKDIR $D/app\n").is_empty());
    }
}
