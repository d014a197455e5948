//! PC9013 legacy-key-value-format.

use super::Context;
use crate::dockerfile::Keyword;
use crate::rules::LEGACY_KEY_VALUE_FORMAT;

pub(crate) fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for (_, instruction, _) in ctx.instructions() {
        if !matches!(instruction.keyword, Keyword::Env | Keyword::Label) {
            continue;
        }
        // The parser marks the legacy form with an empty separator.
        for triple in instruction.args.chunks(3) {
            let [key, value, separator] = triple else {
                continue;
            };
            if !separator.value.is_empty() || key.value.is_empty() {
                continue;
            }
            let mut shown = value.value.clone();
            let quoted = shown.starts_with(['"', '\'']);
            if !quoted && shown.contains(char::is_whitespace) {
                shown = format!("\"{}\"", shown.replace('"', "\\\""));
            }
            let keyword = instruction.keyword.as_str();
            reports.push((
                key.span,
                format!(
                    "`{keyword} {} …` uses the legacy form: write `{keyword} {}={shown}`",
                    key.value, key.value
                ),
            ));
        }
    }
    for (span, message) in reports {
        ctx.report(&LEGACY_KEY_VALUE_FORMAT, message, span);
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, flagged, positions};
    use crate::rules::LEGACY_KEY_VALUE_FORMAT;

    #[test]
    fn legacy_env_and_label_are_flagged_at_the_key() {
        assert_eq!(
            positions(
                &LEGACY_KEY_VALUE_FORMAT,
                "FROM a:1\nENV  PATH /opt/bin:$PATH\n"
            ),
            [(2, 6)]
        );
        let found = findings(
            &LEGACY_KEY_VALUE_FORMAT,
            "FROM a:1\nLABEL description a small web server\n",
        );
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("description=\"a small web server\""));
        assert!(found[0].is_named_by("LegacyKeyValueFormat"));
        assert_eq!(
            positions(&LEGACY_KEY_VALUE_FORMAT, "FROM a:1\nENV \\\n  A_DIR /srv\n"),
            [(3, 3)]
        );
        assert_eq!(
            flagged(
                &LEGACY_KEY_VALUE_FORMAT,
                "FROM a:1\nONBUILD ENV HOME /srv\n"
            ),
            ["HOME"]
        );
    }

    #[test]
    fn key_equals_value_is_fine() {
        for source in [
            "FROM a:1\nENV PATH=/opt/bin:$PATH A=1\n",
            "FROM a:1\nLABEL description=\"a small web server\"\n",
            "FROM a:1\nARG A 1\n",
        ] {
            assert!(
                positions(&LEGACY_KEY_VALUE_FORMAT, source).is_empty(),
                "{source}"
            );
        }
    }
}
