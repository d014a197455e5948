//! Which Dockerfile instruction made which layer.
//!
//! The image history records one entry per build step, with the instruction's text and whether
//! it made a layer. The layers that the final stage's own `RUN`/`COPY`/`ADD` (and those of the
//! stages it is built `FROM`) made are the *last* layers of the image; everything before them
//! came with the base image and is attributed to the base `FROM` line. The two sequences are
//! aligned from the end and each pair is checked by instruction kind, so a history that does not
//! come from this Dockerfile yields no attribution rather than a wrong one.

use crate::dockerfile::stages::Build;
use crate::dockerfile::{Dockerfile, Instruction, Keyword, Span};

use super::metadata::ImageMetadata;
use crate::source::fold_whitespace;

/// Where a layer came from in the Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerOrigin {
    /// The instruction's span: a `RUN`/`COPY`/`ADD` line, or the base `FROM` for base layers.
    pub span: Span,
    /// 1-based line of the instruction's start.
    pub line: usize,
    /// True for layers that came with the base image.
    pub base: bool,
}

/// Maps each layer to its instruction; `None` entries where it cannot be told.
pub fn attribute(
    dockerfile: &Dockerfile,
    metadata: &ImageMetadata,
    layer_count: usize,
) -> Vec<Option<LayerOrigin>> {
    let mut origins = vec![None; layer_count];
    let build_args = Default::default();
    let build = Build::new(dockerfile, &build_args);
    let Some(last) = build.final_stage() else {
        return origins;
    };
    // Instructions that make layers, oldest stage first along the final stage's lineage.
    let lineage = build.lineage(last.index);
    let root = lineage.last().expect("lineage includes the stage itself");
    let mut steps: Vec<&Instruction> = Vec::new();
    for stage in lineage.iter().rev() {
        steps.extend(
            dockerfile.instructions[stage.body.clone()]
                .iter()
                .filter(|i| makes_layer(i.keyword)),
        );
    }
    let from = &dockerfile.instructions[root.from];
    let base_origin = LayerOrigin {
        span: from.span,
        line: from.start_line,
        base: true,
    };

    // History entries that made layers, newest first, with the layer each one made.
    let layered: Vec<(usize, &str)> = metadata
        .history
        .iter()
        .filter_map(|h| Some((h.layer?, h.created_by.as_deref().unwrap_or_default())))
        .collect();
    if !metadata.history_matches_layers || layered.len() != layer_count {
        return origins;
    }
    let mut matched = 0;
    for ((layer, created_by), step) in layered.iter().rev().zip(steps.iter().rev()) {
        if !same_step(created_by, step) {
            break;
        }
        origins[*layer] = Some(LayerOrigin {
            span: step.span,
            line: step.start_line,
            base: false,
        });
        matched += 1;
    }
    // Only when every step of the Dockerfile was found is the rest known to be the base.
    if matched == steps.len() {
        for origin in origins.iter_mut().take(layer_count - matched) {
            *origin = Some(base_origin.clone());
        }
    }
    origins
}

/// Whether a history entry records this instruction: the same kind, and for the text the
/// builder keeps (every `RUN`; BuildKit's `COPY`/`ADD`) the instruction's own text.
fn same_step(created_by: &str, step: &Instruction) -> bool {
    if history_kind(created_by) != Some(step.keyword) {
        return false;
    }
    // The classic builder writes `COPY file:<hash> in /dest`: only the kind can be compared.
    if created_by.contains("#(nop)") {
        return true;
    }
    let written = step
        .line
        .text
        .get(step.keyword_text.len()..)
        .unwrap_or_default();
    let recorded = recorded_text(created_by);
    // Shell-form RUN is recorded with the shell prefix, and flags are kept: compare both ways.
    let recorded = fold_whitespace(recorded);
    recorded == fold_whitespace(written) || recorded == fold_whitespace(step.rest())
}

/// The instruction text of a history entry without what builders add around it: the keyword,
/// BuildKit's `|N ARG=v…` build-argument prefix, `/bin/sh -c` and the `# buildkit` marker.
fn recorded_text(created_by: &str) -> &str {
    let mut text = created_by.trim();
    text = text.strip_suffix("# buildkit").unwrap_or(text).trim_end();
    let first = text.split_whitespace().next().unwrap_or_default();
    if Keyword::parse(first) != Keyword::Unknown {
        text = text[first.len()..].trim_start();
    }
    if let Some(rest) = text.strip_prefix('|') {
        let count: usize = rest
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let mut words = rest.splitn(count + 2, char::is_whitespace);
        let _ = words.by_ref().take(count + 1).count();
        text = words.next().unwrap_or_default().trim_start();
    }
    text.strip_prefix("/bin/sh -c ").unwrap_or(text).trim()
}

fn makes_layer(keyword: Keyword) -> bool {
    matches!(keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
}

/// The instruction a history entry records, as BuildKit (`RUN …`, `COPY …`) or the classic
/// builder (`/bin/sh -c #(nop) COPY …`, `/bin/sh -c apt-get …`) write it.
fn history_kind(created_by: &str) -> Option<Keyword> {
    let text = created_by.trim();
    let text = text
        .strip_prefix("|")
        .map(|rest| {
            rest.trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start()
        })
        .unwrap_or(text);
    let (shell_form, text) = match text.strip_prefix("/bin/sh -c ") {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    let text = text
        .strip_prefix("#(nop)")
        .map(str::trim_start)
        .unwrap_or(text);
    let word = text.split_whitespace().next().unwrap_or_default();
    match Keyword::parse(word) {
        Keyword::Unknown if shell_form => Some(Keyword::Run),
        Keyword::Unknown => None,
        keyword => Some(keyword),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::parse;
    use crate::image::metadata::HistoryEntry;

    fn metadata(entries: &[(&str, bool)]) -> ImageMetadata {
        let mut layer = 0;
        let history = entries
            .iter()
            .map(|(created_by, empty)| {
                let entry = HistoryEntry {
                    created_by: Some((*created_by).to_owned()),
                    empty_layer: *empty,
                    layer: (!*empty).then_some(layer),
                    ..HistoryEntry::default()
                };
                layer += usize::from(!*empty);
                entry
            })
            .collect();
        ImageMetadata {
            history,
            history_matches_layers: true,
            ..ImageMetadata::default()
        }
    }

    fn lines(origins: &[Option<LayerOrigin>]) -> Vec<Option<(usize, bool)>> {
        origins
            .iter()
            .map(|o| o.as_ref().map(|o| (o.line, o.base)))
            .collect()
    }

    #[test]
    fn buildkit_history_maps_layers_to_lines_and_base_to_from() {
        let dockerfile =
            parse("FROM debian:12\nENV A=1\nRUN apt-get update\nCOPY app /app\nCMD [\"/app\"]\n");
        let history = metadata(&[
            ("/bin/sh -c #(nop) ADD file:abc in / ", false),
            ("/bin/sh -c #(nop)  CMD [\"bash\"]", true),
            ("ENV A=1", true),
            ("RUN |1 V=1 /bin/sh -c apt-get update # buildkit", false),
            ("COPY app /app # buildkit", false),
            ("CMD [\"/app\"]", true),
        ]);
        let origins = attribute(&dockerfile, &history, 3);
        assert_eq!(
            lines(&origins),
            [Some((1, true)), Some((3, false)), Some((4, false))]
        );
    }

    #[test]
    fn classic_builder_history_and_inherited_stages() {
        let dockerfile =
            parse("FROM alpine:3.20 AS base\nRUN apk add curl\nFROM base\nADD x.tar /x\n");
        let history = metadata(&[
            ("/bin/sh -c #(nop) ADD file:1 in / ", false),
            ("/bin/sh -c apk add curl", false),
            ("/bin/sh -c #(nop) ADD file:2 in /x ", false),
        ]);
        let origins = attribute(&dockerfile, &history, 3);
        assert_eq!(
            lines(&origins),
            [Some((1, true)), Some((2, false)), Some((4, false))]
        );
    }

    #[test]
    fn a_history_from_another_dockerfile_attributes_nothing() {
        let dockerfile = parse("FROM debian:12\nCOPY a /a\nRUN make\n");
        let history = metadata(&[
            ("ADD file:1 in /", false),
            ("RUN make", false),
            ("RUN other", false),
        ]);
        let origins = attribute(&dockerfile, &history, 3);
        assert_eq!(lines(&origins), [None, None, None]);
        let other_command = metadata(&[
            ("ADD file:1 in /", false),
            ("COPY a /a", false),
            ("RUN make all", false),
        ]);
        assert_eq!(
            lines(&attribute(&dockerfile, &other_command, 3)),
            [None, None, None]
        );
        let inconsistent = ImageMetadata {
            history_matches_layers: false,
            ..metadata(&[("RUN make", false)])
        };
        assert_eq!(lines(&attribute(&dockerfile, &inconsistent, 1)), [None]);
    }
}
