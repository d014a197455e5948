//! "Did you mean …?" suggestions, with BuildKit's rule: the closest option by edit distance,
//! only when fewer than 3 edits away, and none when the value is itself an option.

/// The closest of `options` to `value`. Case-insensitive matching answers in the case style of
/// `value` (all lower, all upper, or the option as listed).
pub(super) fn closest<'a>(
    value: &str,
    options: impl IntoIterator<Item = &'a str>,
    case_sensitive: bool,
) -> Option<String> {
    let fold = |s: &str| {
        if case_sensitive {
            s.to_string()
        } else {
            s.to_lowercase()
        }
    };
    let wanted = fold(value);
    let mut best: Option<String> = None;
    let mut best_distance = 3;
    for option in options {
        let option = fold(option);
        if option == wanted {
            return None;
        }
        let distance = crate::suggest::edit_distance(&wanted, &option);
        if distance < best_distance {
            best_distance = distance;
            best = Some(option);
        }
    }
    let best = best?;
    Some(if case_sensitive || value == value.to_lowercase() {
        best
    } else if value == value.to_uppercase() {
        best.to_uppercase()
    } else {
        best
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_follow_case() {
        let opts = ["run", "copy", "cmd"];
        assert_eq!(closest("RUNN", opts, false).as_deref(), Some("RUN"));
        assert_eq!(closest("runn", opts, false).as_deref(), Some("run"));
        assert_eq!(closest("Cpy", opts, false).as_deref(), Some("copy"));
        assert_eq!(closest("RUN", opts, false), None);
        assert_eq!(closest("something", opts, false), None);
        assert_eq!(closest("form", ["from"], true).as_deref(), Some("from"));
    }
}
