//! Merging one service definition over another: a later `-f` file over an earlier one, or a
//! service over the base it `extends`.
//!
//! A plain "later wins" would lose what matters to a security check: an override file that
//! adds `cap_add: [SYS_ADMIN]` adds a capability, it does not remove the ones granted before.
//! So Compose merges by key: mappings recursively, scalars replaced, most lists appended
//! without duplicates, volumes by container path, and the dictionary-like keys
//! (`environment`, `labels`…) by variable name. Every node keeps the position of the file that
//! provided it, so a finding points at the line that granted the setting.

use crate::runtime::tree::{Key, Value, ValueKind};

/// Service keys whose value is a list (or a lone string) appended to without duplicates.
const APPENDED: &[&str] = &[
    "ports",
    "expose",
    "dns",
    "dns_search",
    "dns_opt",
    "cap_add",
    "cap_drop",
    "security_opt",
    "devices",
    "tmpfs",
    "external_links",
    "links",
    "group_add",
    "extra_hosts",
    "volumes_from",
    "env_file",
    "profiles",
    "device_cgroup_rules",
];

/// Paths (from the service) of dictionaries written either as a mapping or as a `KEY=VALUE`
/// list; both forms are normalised to a mapping.
const DICTIONARIES: &[&[&str]] = &[
    &["environment"],
    &["labels"],
    &["sysctls"],
    &["annotations"],
    &["build", "args"],
    &["build", "labels"],
    &["deploy", "labels"],
];

/// Paths whose value replaces the earlier one whole.
const REPLACED: &[&[&str]] = &[&["command"], &["entrypoint"], &["healthcheck", "test"]];

/// How the value at a path merges.
enum Rule {
    Replace,
    Append,
    Dictionary,
    /// A list merged by a key of its items (`volumes` by container path).
    Keyed(fn(&Value) -> Option<String>),
    Default,
}

fn rule(path: &[&str]) -> Rule {
    if REPLACED.contains(&path) {
        Rule::Replace
    } else if DICTIONARIES.contains(&path) {
        Rule::Dictionary
    } else if path.len() == 1 && APPENDED.contains(&path[0]) {
        Rule::Append
    } else if path == ["volumes"] {
        Rule::Keyed(volume_target)
    } else if path == ["secrets"] || path == ["configs"] {
        Rule::Keyed(secret_source)
    } else {
        Rule::Default
    }
}

/// A service with its dictionaries in mapping form, so that checks and merges see one shape.
pub fn normalise_service(mut service: Value) -> Value {
    for path in DICTIONARIES {
        if let Some(node) = node_mut(&mut service, path) {
            let owned = std::mem::replace(node, Value::new(ValueKind::Null, node.at.clone()));
            *node = dictionary(owned);
        }
    }
    service
}

fn node_mut<'v>(value: &'v mut Value, path: &[&str]) -> Option<&'v mut Value> {
    path.iter()
        .try_fold(value, |node, key| match &mut node.kind {
            ValueKind::Map(entries) => entries
                .iter_mut()
                .find(|(k, _)| k.name == *key)
                .map(|(_, v)| v),
            _ => None,
        })
}

/// `[K=V, K2]` as `{K: V, K2: null}`; a mapping stays as it is. A list item's key and value
/// both point at the whole item.
fn dictionary(value: Value) -> Value {
    let ValueKind::Seq(items) = value.kind else {
        return value;
    };
    let mut entries: Vec<(Key, Value)> = Vec::new();
    for item in items {
        let Some(text) = item.as_str() else { continue };
        let (name, kind) = match text.split_once('=') {
            Some((name, v)) => (name.to_owned(), ValueKind::Scalar(v.to_owned())),
            None => (text.to_owned(), ValueKind::Null),
        };
        let key = Key {
            name,
            at: item.at.clone(),
        };
        let entry = (key, Value::new(kind, item.at));
        match entries.iter_mut().find(|(k, _)| k.name == entry.0.name) {
            Some(existing) => *existing = entry,
            None => entries.push(entry),
        }
    }
    Value::new(ValueKind::Map(entries), value.at)
}

/// `over` merged over `base`, both service mappings (already normalised).
pub fn merge_service(base: Value, over: Value) -> Value {
    merge_at(&[], base, over)
}

fn merge_at(path: &[&str], base: Value, over: Value) -> Value {
    if over.is_null() {
        // `key:` with nothing does not erase what an earlier file set.
        return base;
    }
    match rule(path) {
        Rule::Replace => over,
        Rule::Dictionary => both_maps_or_over(path, dictionary(base), dictionary(over)),
        Rule::Append => match (&base.kind, &over.kind) {
            (ValueKind::Map(_), ValueKind::Map(_)) => merge_maps(path, base, over),
            _ => {
                let (base, over) = (as_list(base), as_list(over));
                match (&base.kind, &over.kind) {
                    (ValueKind::Seq(_), ValueKind::Seq(_)) => append_unique(base, over),
                    _ => over,
                }
            }
        },
        Rule::Keyed(key) => match (&base.kind, &over.kind) {
            (ValueKind::Seq(_), ValueKind::Seq(_)) => merge_keyed(base, over, key),
            _ => over,
        },
        Rule::Default => match (&base.kind, &over.kind) {
            (ValueKind::Map(_), ValueKind::Map(_)) => merge_maps(path, base, over),
            (ValueKind::Seq(_), ValueKind::Seq(_)) => append_unique(base, over),
            _ => over,
        },
    }
}

/// Two mappings merged; otherwise (a malformed value) `over` wins.
fn both_maps_or_over(path: &[&str], base: Value, over: Value) -> Value {
    match (&base.kind, &over.kind) {
        (ValueKind::Map(_), ValueKind::Map(_)) => merge_maps(path, base, over),
        _ => over,
    }
}

/// Entries of `over` replace or merge into those of `base` with the same key (the key then
/// points at `over`'s); new keys come after the old ones.
fn merge_maps(path: &[&str], base: Value, over: Value) -> Value {
    let (ValueKind::Map(mut entries), ValueKind::Map(overrides)) = (base.kind, over.kind) else {
        unreachable!("merge_maps is only called with two mappings");
    };
    for (key, value) in overrides {
        match entries.iter().position(|(k, _)| k.name == key.name) {
            Some(index) => {
                let (_, old) = entries.remove(index);
                let mut child = path.to_vec();
                child.push(&key.name);
                let merged = merge_at(&child, old, value);
                entries.insert(index, (key, merged));
            }
            None => entries.push((key, value)),
        }
    }
    Value::new(ValueKind::Map(entries), over.at)
}

/// A lone scalar as a one-item list (`dns: 8.8.8.8`).
fn as_list(value: Value) -> Value {
    match value.kind {
        ValueKind::Scalar(_) => {
            let at = value.at.clone();
            Value::new(ValueKind::Seq(vec![value]), at)
        }
        _ => value,
    }
}

fn append_unique(base: Value, over: Value) -> Value {
    let (ValueKind::Seq(mut items), ValueKind::Seq(more)) = (base.kind, over.kind) else {
        unreachable!("append_unique is only called with two lists");
    };
    for item in more {
        if !items.iter().any(|existing| existing.same(&item)) {
            items.push(item);
        }
    }
    Value::new(ValueKind::Seq(items), over.at)
}

/// Items of `over` replace those of `base` with the same key, in place; others are appended.
fn merge_keyed(base: Value, over: Value, key: fn(&Value) -> Option<String>) -> Value {
    let (ValueKind::Seq(mut items), ValueKind::Seq(more)) = (base.kind, over.kind) else {
        unreachable!("merge_keyed is only called with two lists");
    };
    for item in more {
        let found = key(&item).and_then(|wanted| {
            items
                .iter()
                .position(|existing| key(existing).as_deref() == Some(&wanted))
        });
        match found {
            Some(index) => items[index] = item,
            None if items.iter().any(|existing| existing.same(&item)) => {}
            None => items.push(item),
        }
    }
    Value::new(ValueKind::Seq(items), over.at)
}

/// The container path of a volume: `target` of the long syntax, the second field of
/// `source:target[:mode]`, or the only field of an anonymous volume.
pub fn volume_target(volume: &Value) -> Option<String> {
    if let Some((_, target)) = volume.get("target") {
        return target.as_str().map(str::to_owned);
    }
    let text = volume.as_str()?;
    super::syntax::parse_volume(text).map(|short| short.target.to_owned())
}

/// A secret or config is identified by where it is mounted, else by its name.
fn secret_source(item: &Value) -> Option<String> {
    if let Some(text) = item.as_str() {
        return Some(text.to_owned());
    }
    ["target", "source"]
        .iter()
        .find_map(|key| item.get(key).and_then(|(_, v)| v.as_str()))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::tree::test_strings;
    use crate::runtime::tree::Located;

    /// A test tree: `{…}` maps, `[…]` lists, text scalars, all "at" `file`.
    fn tree(json: &str, file: &str) -> Value {
        fn build(value: &serde_json::Value, file: &str) -> Value {
            let at = Located {
                file: file.into(),
                region: None,
            };
            let kind = match value {
                serde_json::Value::Object(map) => ValueKind::Map(
                    map.iter()
                        .map(|(k, v)| {
                            let key = Key {
                                name: k.clone(),
                                at: at.clone(),
                            };
                            (key, build(v, file))
                        })
                        .collect(),
                ),
                serde_json::Value::Array(items) => {
                    ValueKind::Seq(items.iter().map(|v| build(v, file)).collect())
                }
                serde_json::Value::Null => ValueKind::Null,
                serde_json::Value::String(s) => ValueKind::Scalar(s.clone()),
                other => ValueKind::Scalar(other.to_string()),
            };
            Value::new(kind, at)
        }
        build(&serde_json::from_str(json).unwrap(), file)
    }

    #[test]
    fn lists_scalars_and_replaced_keys() {
        let base = tree(
            r#"{"image": "a", "dns": "1.1.1.1", "cap_add": ["NET_ADMIN"], "command": ["x", "y"],
                "healthcheck": {"test": ["CMD", "a"], "interval": "5s"}, "networks": ["front"]}"#,
            "base",
        );
        let over = tree(
            r#"{"image": "b", "dns": ["8.8.8.8", "1.1.1.1"], "cap_add": ["NET_ADMIN", "SYS_ADMIN"],
                "command": ["z"], "healthcheck": {"test": ["CMD", "b"]}, "networks": ["back"],
                "user": null}"#,
            "over",
        );
        let merged = merge_service(normalise_service(base), normalise_service(over));
        let get = |key: &str| merged.get(key).unwrap().1;
        assert_eq!(get("image").as_str(), Some("b"));
        assert_eq!(get("image").at.file.to_str(), Some("over"));
        assert_eq!(test_strings(get("dns")), ["1.1.1.1", "8.8.8.8"]);
        assert_eq!(test_strings(get("cap_add")), ["NET_ADMIN", "SYS_ADMIN"]);
        assert_eq!(
            get("cap_add").as_seq().unwrap()[0].at.file.to_str(),
            Some("base")
        );
        assert_eq!(test_strings(get("command")), ["z"]);
        let healthcheck = get("healthcheck");
        assert_eq!(
            test_strings(healthcheck.get("test").unwrap().1),
            ["CMD", "b"]
        );
        assert_eq!(healthcheck.get("interval").unwrap().1.as_str(), Some("5s"));
        assert_eq!(test_strings(get("networks")), ["front", "back"]);
        assert!(get("user").is_null());
    }

    #[test]
    fn volumes_by_target_and_dictionaries_by_key() {
        let base = tree(
            r#"{"volumes": ["data:/data", "/cache", {"type": "bind", "source": "/etc", "target": "/host-etc"}],
                "environment": ["A=1", "B=2", "C"], "labels": {"x": "1"}}"#,
            "base",
        );
        let over = tree(
            r#"{"volumes": ["/srv:/data:ro", {"type": "bind", "source": "/", "target": "/host-etc"}, "/new"],
                "environment": {"B": "3", "D": "4"}, "labels": ["y=2"]}"#,
            "over",
        );
        let merged = merge_service(normalise_service(base), normalise_service(over));
        let volumes = merged.get("volumes").unwrap().1.as_seq().unwrap();
        assert_eq!(volumes.len(), 4);
        assert_eq!(volumes[0].as_str(), Some("/srv:/data:ro"));
        assert_eq!(volumes[1].as_str(), Some("/cache"));
        assert_eq!(
            volumes[2].get("source").unwrap().1.as_str(),
            Some("/"),
            "long syntax replaced by target"
        );
        assert_eq!(volumes[3].as_str(), Some("/new"));
        let environment = merged.get("environment").unwrap().1;
        let pairs: Vec<_> = environment
            .entries()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.name.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("A", Some("1")),
                ("B", Some("3")),
                ("C", None),
                ("D", Some("4"))
            ]
        );
        let (key, _) = environment.get("B").unwrap();
        assert_eq!(key.at.file.to_str(), Some("over"));
        let labels = merged.get("labels").unwrap().1;
        assert_eq!(labels.get("x").unwrap().1.as_str(), Some("1"));
        assert_eq!(labels.get("y").unwrap().1.as_str(), Some("2"));
    }

    #[test]
    fn malformed_values_do_not_panic_and_the_later_one_wins() {
        let base = tree(
            r#"{"environment": "A=1", "cap_add": {"x": "y"}, "volumes": "v"}"#,
            "base",
        );
        let over = tree(
            r#"{"environment": ["B=2"], "cap_add": ["X"], "volumes": ["w"]}"#,
            "over",
        );
        let merged = merge_service(normalise_service(base), normalise_service(over));
        assert!(merged.get("environment").unwrap().1.get("B").is_some());
        assert_eq!(test_strings(merged.get("cap_add").unwrap().1), ["X"]);
        assert_eq!(test_strings(merged.get("volumes").unwrap().1), ["w"]);
    }

    #[test]
    fn volume_targets() {
        let t = |json: &str| volume_target(&tree(json, "f"));
        assert_eq!(t(r#""/a:/b:ro""#).as_deref(), Some("/b"));
        assert_eq!(t(r#""/anon""#).as_deref(), Some("/anon"));
        assert_eq!(t(r#"{"target": "/t"}"#).as_deref(), Some("/t"));
        assert_eq!(t(r#""C:\\data:/data""#).as_deref(), Some("/data"));
    }
}
