//! PC9002 as-keyword-casing.

use super::Context;
use crate::rules::AS_KEYWORD_CASING;

pub(crate) fn check(ctx: &mut Context) {
    let (file, build) = (ctx.file, ctx.build);
    for stage in &build.stages {
        let from = &file.instructions[stage.from];
        let [_, as_kw, _] = from.args.as_slice() else {
            continue;
        };
        if !as_kw.value.eq_ignore_ascii_case("as") {
            continue;
        }
        let keyword = from.keyword_text.as_str();
        let expected = if keyword == keyword.to_lowercase() {
            "as"
        } else if keyword == keyword.to_uppercase() {
            "AS"
        } else {
            // A mixed-case FROM is a matter for instruction casing, not this rule.
            continue;
        };
        if as_kw.value != expected {
            ctx.report(
                &AS_KEYWORD_CASING,
                format!(
                    "`{}` is not cased like `{keyword}`: write `{keyword} … {expected} …`",
                    as_kw.value
                ),
                as_kw.span,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::AS_KEYWORD_CASING as RULE;

    #[test]
    fn as_cased_unlike_from_is_flagged() {
        assert_eq!(positions(&RULE, "FROM debian:12 as build\n"), [(1, 16)]);
        assert_eq!(flagged(&RULE, "from debian:12 AS build\n"), ["AS"]);
        assert_eq!(flagged(&RULE, "FROM debian:12 As build\n"), ["As"]);
        assert_eq!(
            positions(&RULE, "FROM a:1 AS x\nfrom b:1 \\\n  aS y\n"),
            [(3, 3)]
        );
    }

    #[test]
    fn matching_case_mixed_from_and_no_name_are_fine() {
        for source in [
            "FROM debian:12 AS build\n",
            "from debian:12 as build\n",
            "From debian:12 as build\n",
            "FROM debian:12\n",
        ] {
            assert!(positions(&RULE, source).is_empty(), "{source}");
        }
    }
}
