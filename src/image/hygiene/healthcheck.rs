//! PC4002 missing-healthcheck on images: the configuration has no `Healthcheck`.

use super::{HygieneFinding, ImageView};
use crate::rules;

pub(super) fn check(image: &ImageView<'_>, out: &mut Vec<HygieneFinding>) {
    // `HEALTHCHECK NONE` is a decision, as in a Dockerfile: not reported.
    if image.metadata.config.healthcheck.is_none() {
        out.push(HygieneFinding::config(
            &rules::MISSING_HEALTHCHECK,
            "the image defines no health check (`HEALTHCHECK`)",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::image::metadata::Healthcheck;

    #[test]
    fn an_image_without_a_health_check_is_reported() {
        let mut metadata = clean_metadata();
        metadata.config.healthcheck = None;
        let found = run(check, &metadata, &tree(&[]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule.code, "PC4002");
    }

    #[test]
    fn a_health_check_or_an_explicit_none_is_fine() {
        let mut metadata = clean_metadata();
        assert_eq!(run(check, &metadata, &tree(&[])), []);
        metadata.config.healthcheck = Some(Healthcheck {
            test: vec!["NONE".into()],
            ..Healthcheck::default()
        });
        assert_eq!(run(check, &metadata, &tree(&[])), []);
    }
}
