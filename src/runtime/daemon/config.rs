//! Reading a `daemon.json` with the position of every key.
//!
//! serde_json decides what the file says, as strictly as dockerd's own decoder (syntax, value
//! types), so a file dockerd would refuse is an error here too. The YAML reader, which accepts
//! JSON, supplies the line and column of each key and list item so that findings land on a
//! line; should it fail on a valid JSON file, settings point at the file without a line. Keys
//! the checks do not read are ignored.

use std::path::Path;

use serde_json::{Map, Value as Json};

use super::{first_line, located_at, DaemonConfigError, DaemonSpec};
use crate::runtime::spec::{Platform, Setting};
use crate::runtime::tree::{Converter, Located, Value as Node};
use crate::runtime::yaml::documents;
use crate::source::LineIndex;

/// The settings of the daemon.json at `path`, whose text is `text`.
pub(super) fn read(path: &Path, text: &str) -> Result<DaemonSpec, DaemonConfigError> {
    // dockerd accepts a leading byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let object = parse(path, text)?;
    let tree = positions(path, text);
    let keys = Keys {
        file: path,
        object: &object,
        tree: tree.as_ref(),
    };
    let mut spec = DaemonSpec::empty(Platform::Docker, "dockerd".into(), first_line(path).into());
    spec.config_file = Some(path.to_path_buf());
    spec.rootless = keys.boolean("rootless")?;
    spec.icc = keys.boolean("icc")?;
    spec.bind_ip = keys.string("ip")?;
    spec.log_level = keys.string("log-level")?;
    spec.debug = keys.boolean("debug")?;
    spec.iptables = keys.boolean("iptables")?;
    spec.insecure_registries = keys.items("insecure-registries")?;
    spec.storage_driver = keys.string("storage-driver")?;
    spec.storage_opts = keys.items("storage-opts")?;
    spec.hosts = keys.items("hosts")?;
    spec.tls = keys.boolean("tls")?;
    spec.tls_verify = keys.boolean("tlsverify")?;
    spec.default_ulimits = keys.names("default-ulimits")?;
    spec.userns_remap = keys
        .string("userns-remap")?
        .map(|remap| Setting::new(!remap.value.trim().is_empty(), remap.at));
    spec.cgroup_parent = keys.string("cgroup-parent")?;
    spec.authorization_plugins = keys.list("authorization-plugins")?;
    spec.log_driver = keys.string("log-driver")?;
    spec.no_new_privileges = keys.boolean("no-new-privileges")?;
    spec.live_restore = keys.boolean("live-restore")?;
    spec.userland_proxy = keys.boolean("userland-proxy")?;
    spec.seccomp_profile = keys.string("seccomp-profile")?;
    spec.experimental = keys.boolean("experimental")?;
    Ok(spec)
}

/// The file's top-level object; an empty file is an empty object, as for dockerd.
fn parse(path: &Path, text: &str) -> Result<Map<String, Json>, DaemonConfigError> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(object)) => Ok(object),
        Ok(_) => {
            let start = text.len() - text.trim_start().len();
            let position = LineIndex::new(text).position(start);
            Err(DaemonConfigError::NotObject {
                at: located_at(path, position),
            })
        }
        Err(error) => {
            // serde_json appends " at line L column C"; the position is given separately.
            let message = error.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(message, _)| message)
                .to_owned();
            Err(DaemonConfigError::Syntax {
                file: path.to_path_buf(),
                line: error.line().max(1) as u32,
                column: error.column().max(1) as u32,
                message,
            })
        }
    }
}

/// The located tree of the file, when the YAML reader takes it.
fn positions(path: &Path, text: &str) -> Option<Node> {
    let document = documents(text).into_iter().next()?.ok()?;
    let index = LineIndex::new(text);
    let converter = Converter {
        file: path,
        text,
        index: &index,
        document: &document,
    };
    Some(converter.value(&document.root))
}

/// Typed access to the top-level keys, each with its position.
struct Keys<'a> {
    file: &'a Path,
    object: &'a Map<String, Json>,
    tree: Option<&'a Node>,
}

impl Keys<'_> {
    /// The value of `key`; `null` counts as absent, as for dockerd.
    fn json(&self, key: &str) -> Option<&Json> {
        self.object.get(key).filter(|value| !value.is_null())
    }

    fn node(&self, key: &str) -> Option<&Node> {
        self.tree?.get(key).map(|(_, value)| value)
    }

    fn key_at(&self, key: &str) -> Located {
        self.tree
            .and_then(|tree| tree.get(key))
            .map(|(key, _)| key.at.clone())
            .unwrap_or_else(|| Located {
                file: self.file.to_path_buf(),
                region: None,
            })
    }

    fn wrong(&self, key: &str, expected: &'static str) -> DaemonConfigError {
        DaemonConfigError::WrongType {
            key: key.to_owned(),
            expected,
            at: self.key_at(key),
        }
    }

    fn boolean(&self, key: &str) -> Result<Option<Setting<bool>>, DaemonConfigError> {
        let Some(value) = self.json(key) else {
            return Ok(None);
        };
        let value = value
            .as_bool()
            .ok_or_else(|| self.wrong(key, "true or false"))?;
        Ok(Some(Setting::new(value, self.key_at(key))))
    }

    fn string(&self, key: &str) -> Result<Option<Setting<String>>, DaemonConfigError> {
        let Some(value) = self.json(key) else {
            return Ok(None);
        };
        let value = value.as_str().ok_or_else(|| self.wrong(key, "a string"))?;
        Ok(Some(Setting::new(value.to_owned(), self.key_at(key))))
    }

    /// A list of strings, each item at its own position.
    fn items(&self, key: &str) -> Result<Vec<Setting<String>>, DaemonConfigError> {
        let Some(value) = self.json(key) else {
            return Ok(Vec::new());
        };
        let wrong = || self.wrong(key, "a list of strings");
        let items = value.as_array().ok_or_else(wrong)?;
        let nodes = self.node(key).and_then(Node::as_seq).unwrap_or_default();
        items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let text = item.as_str().ok_or_else(wrong)?;
                let at = nodes
                    .get(index)
                    .map_or_else(|| self.key_at(key), |node| node.at.clone());
                Ok(Setting::new(text.to_owned(), at))
            })
            .collect()
    }

    /// A list of strings as one setting at its key (where findings about an empty list point).
    fn list(&self, key: &str) -> Result<Option<Setting<Vec<String>>>, DaemonConfigError> {
        if self.json(key).is_none() {
            return Ok(None);
        }
        let items = self
            .items(key)?
            .into_iter()
            .map(|item| item.value)
            .collect();
        Ok(Some(Setting::new(items, self.key_at(key))))
    }

    /// The keys of an object (`default-ulimits`: `nofile`, `nproc`), as one setting.
    fn names(&self, key: &str) -> Result<Option<Setting<Vec<String>>>, DaemonConfigError> {
        let Some(value) = self.json(key) else {
            return Ok(None);
        };
        let object = value
            .as_object()
            .ok_or_else(|| self.wrong(key, "an object"))?;
        let names = object.keys().cloned().collect();
        Ok(Some(Setting::new(names, self.key_at(key))))
    }
}
