//! `RUN --mount=…` values, checked the way BuildKit's `parseMount` checks them. Values holding
//! a `$` are expanded by BuildKit at build time, so their content is not judged here.

use super::suggest;

const MOUNT_TYPES: [&str; 5] = ["bind", "cache", "tmpfs", "secret", "ssh"];
const SHARING_MODES: [&str; 3] = ["shared", "private", "locked"];
const MOUNT_KEYS: [&str; 19] = [
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "destination",
    "ro",
    "rw",
    "readwrite",
    "env",
];

/// The first problem BuildKit would report for this mount, if any.
pub(super) fn check(value: &str) -> Option<String> {
    let fields = match csv_record(value) {
        Ok(fields) => fields,
        Err(e) => return Some(format!("failed to parse csv mounts: {e}")),
    };
    let mut state = State {
        // `None` once the type comes from a variable: type-specific checks are then skipped.
        kind: Some("bind".to_string()),
        ..State::default()
    };
    for field in &fields {
        if let Some(problem) = state.field(field) {
            return Some(problem);
        }
    }
    state.finish()
}

#[derive(Default)]
struct State {
    kind: Option<String>,
    from: bool,
    source: bool,
    target: bool,
    id: bool,
    sharing: bool,
    /// Which of mode, uid and gid were given.
    file_info: [bool; 3],
}

impl State {
    fn kind_is(&self, kinds: &[&str]) -> bool {
        self.kind.as_deref().is_some_and(|k| kinds.contains(&k))
    }

    /// A key that only some mount types accept.
    fn restricted(&self, key: &str, kinds: &[&str]) -> Option<String> {
        match &self.kind {
            Some(k) if !kinds.contains(&k.as_str()) => {
                Some(format!("unexpected key '{key}' for mount type '{k}'"))
            }
            _ => None,
        }
    }

    fn field(&mut self, field: &str) -> Option<String> {
        let Some((key, value)) = field.split_once('=') else {
            let key = field.to_lowercase();
            return match key.as_str() {
                "readonly" | "ro" | "readwrite" | "rw" => None,
                "required" => self.restricted(&key, &["secret", "ssh"]),
                _ => Some(format!("invalid field '{field}' must be a key=value pair")),
            };
        };
        let key = key.to_lowercase();
        let dynamic = value.contains('$');
        match key.as_str() {
            "type" => {
                if dynamic {
                    self.kind = None;
                } else if MOUNT_TYPES.contains(&value.to_lowercase().as_str()) {
                    self.kind = Some(value.to_lowercase());
                } else {
                    return Some(with_suggestion(
                        format!("unsupported mount type {value:?}"),
                        value,
                        &MOUNT_TYPES,
                    ));
                }
            }
            "from" => {
                let var = value.find('$').is_some_and(|i| i + 1 != value.len());
                if var {
                    return Some(
                        "'from' doesn't support variable expansion, define alias stage instead"
                            .to_string(),
                    );
                }
                self.from = true;
            }
            "source" | "src" => self.source = true,
            "target" | "dst" | "destination" => self.target = true,
            "id" => self.id = true,
            "env" => {}
            "readonly" | "ro" | "readwrite" | "rw" => {
                if !dynamic && !is_go_bool(value) {
                    return Some(format!("invalid value for {key}: {value}"));
                }
            }
            "required" => {
                if let Some(problem) = self.restricted(&key, &["secret", "ssh"]) {
                    return Some(problem);
                }
                if !dynamic && !is_go_bool(value) {
                    return Some(format!("invalid value for {key}: {value}"));
                }
            }
            "size" => {
                if let Some(problem) = self.restricted(&key, &["tmpfs"]) {
                    return Some(problem);
                }
                if !dynamic && !is_ram_size(value) {
                    return Some(format!("invalid value for {key}: {value}"));
                }
            }
            "sharing" => {
                if !dynamic && !SHARING_MODES.contains(&value.to_lowercase().as_str()) {
                    return Some(with_suggestion(
                        format!("unsupported sharing value {value:?}"),
                        value,
                        &SHARING_MODES,
                    ));
                }
                self.sharing = true;
            }
            "mode" | "uid" | "gid" => {
                let radix = if key == "mode" { 8 } else { 10 };
                // Go's ParseUint takes no sign, unlike `from_str_radix`.
                let ok = dynamic
                    || (!value.starts_with('+') && u32::from_str_radix(value, radix).is_ok());
                if !ok {
                    return Some(format!("invalid value {value} for {key}"));
                }
                let slot = ["mode", "uid", "gid"].iter().position(|k| *k == key);
                if let Some(slot) = slot {
                    self.file_info[slot] = true;
                }
            }
            _ => {
                return Some(with_suggestion(
                    format!("unexpected key '{key}' in '{field}'"),
                    &key,
                    &MOUNT_KEYS,
                ))
            }
        }
        None
    }

    /// Checks that need the whole mount.
    fn finish(self) -> Option<String> {
        let kind = self.kind.clone()?;
        if !self.kind_is(&["secret", "ssh", "cache"]) {
            let given = ["mode", "uid", "gid"]
                .into_iter()
                .zip(self.file_info)
                .find(|(_, given)| *given);
            if let Some((what, _)) = given {
                return Some(format!("{what} not allowed for {kind:?} type mounts"));
            }
        }
        if kind == "secret" {
            if self.from {
                return Some("secret mount should not have a from".to_string());
            }
            if self.sharing {
                return Some("secret mount should not define sharing".to_string());
            }
            if !self.source && !self.target && !self.id {
                return Some("invalid secret mount. one of source, target required".to_string());
            }
            if self.source && self.id {
                return Some("both source and id can't be set".to_string());
            }
        }
        if self.sharing && kind != "cache" {
            return Some(format!("invalid cache sharing set for {kind} mount"));
        }
        None
    }
}

fn with_suggestion(message: String, value: &str, options: &[&str]) -> String {
    match suggest::closest(value, options.iter().copied(), true) {
        Some(s) => format!("{message} (did you mean {s}?)"),
        None => message,
    }
}

/// Go's `strconv.ParseBool`.
fn is_go_bool(value: &str) -> bool {
    matches!(
        value,
        "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False"
    )
}

/// go-units `RAMInBytes`: `^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$`.
fn is_ram_size(value: &str) -> bool {
    let number_len = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let number = &value[..number_len];
    let number_ok = !number.is_empty() && number.split('.').all(|part| !part.is_empty());
    if !number_ok {
        return false;
    }
    let mut unit = value[number_len..]
        .strip_prefix(' ')
        .unwrap_or(&value[number_len..]);
    for class in ["kKmMgGtTpP", "iI", "bB"] {
        if let Some(c) = unit.chars().next().filter(|c| class.contains(*c)) {
            unit = &unit[c.len_utf8()..];
        }
    }
    unit.is_empty()
}

/// One record of Go's `encoding/csv` (default options): `,`-separated fields, `"`-quoted
/// fields with `""` for a quote, no bare quotes in unquoted fields.
fn csv_record(input: &str) -> Result<Vec<String>, &'static str> {
    if input.is_empty() {
        return Err("EOF");
    }
    let mut fields = Vec::new();
    let mut rest = input;
    loop {
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut field = String::new();
            let mut chars = quoted.char_indices();
            let after = loop {
                match chars.next() {
                    None => return Err("extraneous or missing \" in quoted-field"),
                    Some((i, '"')) => {
                        if quoted[i + 1..].starts_with('"') {
                            field.push('"');
                            chars.next();
                        } else {
                            break &quoted[i + 1..];
                        }
                    }
                    Some((_, c)) => field.push(c),
                }
            };
            fields.push(field);
            match after.strip_prefix(',') {
                Some(next) => rest = next,
                None if after.is_empty() => return Ok(fields),
                None => return Err("extraneous or missing \" in quoted-field"),
            }
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            let field = &rest[..end];
            if field.contains('"') {
                return Err("bare \" in non-quoted-field");
            }
            fields.push(field.to_string());
            if end == rest.len() {
                return Ok(fields);
            }
            rest = &rest[end + 1..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_mounts() {
        for ok in [
            "type=cache,target=/root/.cache,sharing=locked,id=x,mode=0755,uid=1,gid=2",
            "type=secret,id=npmrc,required",
            "type=secret,target=/x,required=true,env=TOKEN",
            "type=ssh",
            "type=bind,from=build,source=/a,target=/b,ro",
            "type=tmpfs,target=/t,size=64m",
            "target=/x,rw=false",
            "type=$T,sharing=$S",
            "type=cache,target=$DIR,mode=${MODE}",
            "\"type=bind\",\"target=/a,b\"",
        ] {
            assert_eq!(check(ok), None, "{ok}");
        }
    }

    #[test]
    fn invalid_mounts() {
        for (bad, needle) in [
            ("type=cahce", "did you mean cache"),
            ("type=bind,tagret=/x", "unexpected key 'tagret'"),
            ("type=bind,bind-propagation=shared", "unexpected key"),
            ("type=cache,sharing=nope", "unsupported sharing"),
            ("type=bind,sharing=locked", "invalid cache sharing"),
            ("type=bind,required", "unexpected key 'required'"),
            ("type=bind,size=1m", "unexpected key 'size'"),
            ("type=tmpfs,size=lots", "invalid value for size"),
            ("type=bind,mode=0755", "mode not allowed"),
            ("type=cache,mode=999", "invalid value 999 for mode"),
            ("type=cache,uid=-1", "invalid value -1 for uid"),
            ("type=secret", "one of source, target required"),
            ("type=secret,id=a,from=b", "should not have a from"),
            ("type=secret,id=a,source=b", "both source and id"),
            ("ro=maybe", "invalid value for ro"),
            ("target", "must be a key=value pair"),
            ("from=$STAGE", "doesn't support variable expansion"),
            ("", "EOF"),
            ("type=bind,ta\"rget=/x", "bare \""),
            ("\"type=bind", "missing \""),
        ] {
            let got = check(bad).unwrap_or_default();
            assert!(got.contains(needle), "{bad}: {got}");
        }
    }

    #[test]
    fn ram_sizes() {
        for ok in ["1", "64m", "1.5G", "10 MiB", "2kb", "3b"] {
            assert!(is_ram_size(ok), "{ok}");
        }
        for bad in ["", "m", "1..2", "1mx", "-1"] {
            assert!(!is_ram_size(bad), "{bad}");
        }
    }
}
