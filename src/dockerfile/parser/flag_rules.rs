//! Which flags each instruction accepts and which values BuildKit's `BFlags` and the RUN hooks
//! (mount, network, security) and HEALTHCHECK parsing accept for them.

use super::{mount, suggest, values};
use crate::dockerfile::ast::{Flag, Keyword, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlagKind {
    Bool,
    Str,
    /// May be repeated.
    Strs,
}

/// The flags each instruction accepts, in BuildKit's order.
fn accepted_flags(keyword: Keyword) -> &'static [(&'static str, FlagKind)] {
    use FlagKind::*;
    match keyword {
        Keyword::From => &[("platform", Str)],
        Keyword::Run => &[
            ("mount", Strs),
            ("network", Str),
            ("security", Str),
            ("device", Strs),
        ],
        Keyword::Copy => &[
            ("from", Str),
            ("chown", Str),
            ("chmod", Str),
            ("link", Bool),
            ("parents", Bool),
            ("exclude", Strs),
        ],
        Keyword::Add => &[
            ("chown", Str),
            ("chmod", Str),
            ("link", Bool),
            ("checksum", Str),
            ("keep-git-dir", Bool),
            ("unpack", Bool),
            ("exclude", Strs),
        ],
        Keyword::Healthcheck => &[
            ("interval", Str),
            ("timeout", Str),
            ("start-period", Str),
            ("start-interval", Str),
            ("retries", Str),
        ],
        _ => &[],
    }
}

/// Every problem with `flags` on a `keyword` instruction: message and the flag's span.
pub(super) fn problems(keyword: Keyword, flags: &[Flag]) -> Vec<(String, Span)> {
    let name = keyword.as_str();
    let accepted = accepted_flags(keyword);
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for flag in flags {
        let Some(&(_, kind)) = accepted.iter().find(|(n, _)| *n == flag.name) else {
            out.push((unknown_flag_message(name, flag, accepted), flag.span));
            continue;
        };
        if kind != FlagKind::Strs {
            if seen.contains(&flag.name.as_str()) {
                let message = format!("{name}: duplicate flag specified: --{}", flag.name);
                out.push((message, flag.span));
                continue;
            }
            seen.push(&flag.name);
        }
        if let Some(problem) = value_problem(keyword, kind, flag) {
            out.push((format!("{name} --{}: {problem}", flag.name), flag.span));
        }
    }
    out
}

fn unknown_flag_message(name: &str, flag: &Flag, accepted: &[(&str, FlagKind)]) -> String {
    if accepted.is_empty() {
        return format!("{name} does not accept any flag, found --{}", flag.name);
    }
    let options = accepted.iter().map(|(n, _)| *n);
    let hint = suggest::closest(&flag.name, options, true)
        .map(|s| format!(" (did you mean --{s}?)"))
        .unwrap_or_default();
    let list: Vec<String> = accepted.iter().map(|(n, _)| format!("--{n}")).collect();
    format!(
        "unknown flag --{} for {name}{hint}; {name} accepts {}",
        flag.name,
        list.join(", ")
    )
}

/// BuildKit's per-type flag parsing, then the checks on specific values.
fn value_problem(keyword: Keyword, kind: FlagKind, flag: &Flag) -> Option<String> {
    let value = match (kind, flag.value.as_deref()) {
        (FlagKind::Bool, None) => return None,
        (FlagKind::Bool, Some("")) | (_, None) => {
            return Some(format!("missing a value on flag: {}", flag.name))
        }
        (FlagKind::Bool, Some(v)) => {
            let lower = v.to_lowercase();
            return (lower != "true" && lower != "false")
                .then(|| format!("expecting boolean value for flag {}, not: {v}", flag.name));
        }
        (_, Some(v)) => v,
    };
    // Values with variables are expanded at build time; their final form is unknown.
    let dynamic = value.contains('$');
    match (keyword, flag.name.as_str()) {
        (Keyword::Run, "mount") => mount::check(value),
        (Keyword::Run, "network") if !dynamic => (!matches!(value, "default" | "none" | "host"))
            .then(|| format!("unsupported network mode {value:?} (default, none or host)")),
        (Keyword::Run, "security") if !dynamic => (!matches!(value, "sandbox" | "insecure"))
            .then(|| format!("unsupported security mode {value:?} (sandbox or insecure)")),
        (Keyword::Healthcheck, "retries") if !value.is_empty() => match values::parse_i32(value) {
            None => Some(format!("invalid integer {value:?}")),
            Some(n) if n < 0 => Some(format!("--retries cannot be negative ({n})")),
            Some(_) => None,
        },
        (Keyword::Healthcheck, "retries") => None,
        (Keyword::Healthcheck, _) if !value.is_empty() => match values::parse_duration(value) {
            None => Some(format!("invalid duration {value:?}")),
            Some(d) if d != 0.0 && d < 1e6 => {
                Some(format!("Interval {:?} cannot be less than 1ms", flag.name))
            }
            Some(_) => None,
        },
        _ => None,
    }
}
