//! PC4006 maintainer-deprecated.

use super::Context;
use crate::dockerfile::Keyword;
use crate::rules::MAINTAINER_DEPRECATED;

pub(crate) fn check(ctx: &mut Context) {
    let spans: Vec<_> = ctx
        .instructions()
        .filter(|(_, i, _)| i.keyword == Keyword::Maintainer)
        .map(|(_, i, _)| i.keyword_span)
        .collect();
    for span in spans {
        ctx.report(
            &MAINTAINER_DEPRECATED,
            "MAINTAINER is deprecated: set the `org.opencontainers.image.authors` label instead",
            span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{flagged, positions};
    use crate::rules::MAINTAINER_DEPRECATED;

    #[test]
    fn flags_maintainer_in_any_case() {
        assert_eq!(
            positions(&MAINTAINER_DEPRECATED, "FROM a:1\nmaintainer me\n"),
            [(2, 1)]
        );
        assert_eq!(
            flagged(&MAINTAINER_DEPRECATED, "FROM a:1\nMAINTAINER me\n"),
            ["MAINTAINER"]
        );
    }

    #[test]
    fn the_authors_label_is_fine() {
        assert!(positions(
            &MAINTAINER_DEPRECATED,
            "FROM a:1\nLABEL org.opencontainers.image.authors=me\n"
        )
        .is_empty());
    }
}
