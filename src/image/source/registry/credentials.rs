//! Registry credentials: given explicitly (`--username` + `--password-stdin`) or found the way
//! the Docker CLI finds them in `config.json` (`$DOCKER_CONFIG`, else `~/.docker`): a
//! per-registry `credHelpers` entry first, then the default `credsStore`, then the `auths`
//! entry (base64 `user:password` in `auth`, or `username`/`password`, or an `identitytoken`).
//!
//! Credentials are looked up only when a registry asks for them, so scanning a public image
//! never runs a credential helper.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine as _;
use serde::Deserialize;

/// The key Docker uses for Docker Hub in `config.json` and with credential helpers.
pub const DOCKER_HUB_CONFIG_KEY: &str = "https://index.docker.io/v1/";

/// A user name and password (or access token) for one registry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
    /// An OAuth2 refresh token (`identitytoken` in `config.json`, or a credential helper's
    /// answer with the user name `<token>`): exchanged for bearer tokens instead of the
    /// password.
    pub identity_token: Option<String>,
}

impl Credentials {
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials {
            username: username.into(),
            password: password.into(),
            identity_token: None,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field(
                "identity_token",
                &self.identity_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Credentials and where they came from, for error messages ("the credentials from
/// /root/.docker/config.json were refused").
#[derive(Debug, Clone)]
pub struct Found {
    pub credentials: Credentials,
    pub origin: String,
}

/// The outcome of a lookup: credentials, or none plus an explanation worth showing if the
/// registry then refuses anonymous access (a helper that could not run, a bad config file).
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    pub found: Option<Found>,
    pub note: Option<String>,
}

/// The Docker config directory: the override, else `$DOCKER_CONFIG`, else `~/.docker`.
pub fn config_dir(override_dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = override_dir {
        return Some(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|home| PathBuf::from(home).join(".docker"))
}

#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    auths: HashMap<String, AuthEntry>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: HashMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
}

#[derive(Debug, Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username")]
    username: String,
    #[serde(rename = "Secret")]
    secret: String,
}

/// `registry` is the host (and port) of the reference, e.g. `docker.io`, `127.0.0.1:5000`.
pub fn lookup(registry: &str, override_dir: Option<&Path>) -> Lookup {
    let Some(dir) = config_dir(override_dir) else {
        return Lookup::default();
    };
    let path = dir.join("config.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Lookup::default(),
        Err(e) => {
            return Lookup {
                found: None,
                note: Some(format!("{} could not be read: {e}", path.display())),
            }
        }
    };
    let config: ConfigFile = match serde_json::from_str(&text) {
        Ok(config) => config,
        Err(e) => {
            return Lookup {
                found: None,
                note: Some(format!("{} is not valid JSON: {e}", path.display())),
            }
        }
    };
    lookup_in(&config, registry, &path)
}

fn lookup_in(config: &ConfigFile, registry: &str, path: &Path) -> Lookup {
    let wanted = normalise_key(registry);
    let helper = config
        .cred_helpers
        .iter()
        .find(|(key, _)| normalise_key(key) == wanted)
        .map(|(_, helper)| helper)
        .or(config.creds_store.as_ref())
        .filter(|helper| !helper.is_empty());
    if let Some(helper) = helper {
        let server = if is_docker_hub(&wanted) {
            DOCKER_HUB_CONFIG_KEY.to_owned()
        } else {
            registry.to_owned()
        };
        return match run_helper(helper, &server) {
            Ok(Some(credentials)) => Lookup {
                found: Some(Found {
                    credentials,
                    origin: format!("credential helper docker-credential-{helper}"),
                }),
                note: None,
            },
            Ok(None) => Lookup {
                found: None,
                note: Some(format!(
                    "docker-credential-{helper} (named in {}) has no credentials for {server}",
                    path.display()
                )),
            },
            Err(message) => Lookup {
                found: None,
                note: Some(message),
            },
        };
    }
    let entry = config
        .auths
        .iter()
        .find(|(key, _)| normalise_key(key) == wanted);
    let Some((key, entry)) = entry else {
        return Lookup::default();
    };
    match entry_credentials(entry) {
        Ok(Some(credentials)) => Lookup {
            found: Some(Found {
                credentials,
                origin: format!("{} (auths entry `{key}`)", path.display()),
            }),
            note: None,
        },
        Ok(None) => Lookup::default(),
        Err(message) => Lookup {
            found: None,
            note: Some(format!(
                "{}: auths entry `{key}`: {message}",
                path.display()
            )),
        },
    }
}

fn entry_credentials(entry: &AuthEntry) -> Result<Option<Credentials>, String> {
    let (mut username, mut password) = (
        entry.username.clone().unwrap_or_default(),
        entry.password.clone().unwrap_or_default(),
    );
    if let Some(auth) = entry.auth.as_deref().filter(|a| !a.is_empty()) {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth.trim())
            .map_err(|e| format!("`auth` is not base64: {e}"))?;
        let decoded =
            String::from_utf8(decoded).map_err(|_| "`auth` is not UTF-8 text".to_owned())?;
        let (user, pass) = decoded
            .split_once(':')
            .ok_or_else(|| "`auth` does not decode to `user:password`".to_owned())?;
        username = user.to_owned();
        password = pass.to_owned();
    }
    let identity_token = entry.identitytoken.clone().filter(|t| !t.is_empty());
    if username.is_empty() && password.is_empty() && identity_token.is_none() {
        return Ok(None);
    }
    Ok(Some(Credentials {
        username,
        password,
        identity_token,
    }))
}

/// Runs `docker-credential-<helper> get` with the server on stdin. `Ok(None)` when the helper
/// has nothing for that server.
fn run_helper(helper: &str, server: &str) -> Result<Option<Credentials>, String> {
    let program = format!("docker-credential-{helper}");
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("credential helper {program} could not be run: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading its input is judged by its answer below.
        let _ = stdin.write_all(server.as_bytes());
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("credential helper {program} failed: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let said = format!("{stdout} {}", String::from_utf8_lossy(&output.stderr));
        if said.to_ascii_lowercase().contains("credentials not found") {
            return Ok(None);
        }
        return Err(format!(
            "credential helper {program} failed ({}): {}",
            output.status,
            said.trim()
        ));
    }
    let answer: HelperAnswer = serde_json::from_str(stdout.trim())
        .map_err(|e| format!("credential helper {program} answered with invalid JSON: {e}"))?;
    if answer.username == "<token>" {
        return Ok(Some(Credentials {
            username: String::new(),
            password: String::new(),
            identity_token: Some(answer.secret),
        }));
    }
    Ok(Some(Credentials::new(answer.username, answer.secret)))
}

/// `https://host:port/v1/` → `host:port`; Docker Hub's names all become `docker.io`.
fn normalise_key(key: &str) -> String {
    let key = key.trim();
    let key = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    let host = key.split('/').next().unwrap_or(key).to_ascii_lowercase();
    if is_docker_hub(&host) {
        "docker.io".to_owned()
    } else {
        host
    }
}

fn is_docker_hub(host: &str) -> bool {
    matches!(
        host,
        "docker.io" | "index.docker.io" | "registry-1.docker.io"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> ConfigFile {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn keys_normalise_like_docker() {
        assert_eq!(normalise_key("https://index.docker.io/v1/"), "docker.io");
        assert_eq!(normalise_key("registry-1.docker.io"), "docker.io");
        assert_eq!(normalise_key("http://LocalHost:5000/v2/"), "localhost:5000");
        assert_eq!(normalise_key("ghcr.io"), "ghcr.io");
    }

    #[test]
    fn auths_entries_decode() {
        // "user:pa:ss" — a colon in the password stays in the password.
        let c = config(r#"{"auths":{"https://127.0.0.1:5000":{"auth":"dXNlcjpwYTpzcw=="}}}"#);
        let found = lookup_in(&c, "127.0.0.1:5000", Path::new("/c.json"))
            .found
            .unwrap();
        assert_eq!(found.credentials, Credentials::new("user", "pa:ss"));
        assert!(found.origin.contains("/c.json"));
        let hub = config(r#"{"auths":{"https://index.docker.io/v1/":{"identitytoken":"tok"}}}"#);
        let found = lookup_in(&hub, "docker.io", Path::new("/c.json")).found;
        assert_eq!(
            found.unwrap().credentials.identity_token.as_deref(),
            Some("tok")
        );
        assert!(lookup_in(&hub, "ghcr.io", Path::new("/c.json"))
            .found
            .is_none());
    }

    #[test]
    fn bad_entries_explain_themselves() {
        let c = config(r#"{"auths":{"r.example":{"auth":"%%%"}}}"#);
        let lookup = lookup_in(&c, "r.example", Path::new("/c.json"));
        assert!(lookup.found.is_none());
        assert!(lookup.note.unwrap().contains("not base64"));
    }

    #[test]
    fn missing_helpers_are_reported_not_fatal() {
        let c = config(
            r#"{"auths":{"r.example":{"auth":"dTpw"}},"credHelpers":{"r.example":"portcullis-test-missing"}}"#,
        );
        let lookup = lookup_in(&c, "r.example", Path::new("/c.json"));
        assert!(lookup.found.is_none());
        assert!(lookup
            .note
            .unwrap()
            .contains("docker-credential-portcullis-test-missing"));
    }

    #[test]
    fn debug_output_hides_secrets() {
        let text = format!("{:?}", Credentials::new("me", "hunter2"));
        assert!(!text.contains("hunter2"));
    }
}
