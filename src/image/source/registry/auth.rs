//! Registry authentication: `WWW-Authenticate` challenges (RFC 7235 syntax), the Docker token
//! protocol (`GET realm?service=…&scope=…`, optionally with basic credentials, answered with
//! `token` or `access_token`), and the OAuth2 refresh-token grant for identity tokens.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Deserialize;

/// One challenge of a `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// Lower-case scheme: `basic`, `bearer`, …
    pub scheme: String,
    /// Parameters with lower-case names.
    pub params: HashMap<String, String>,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// Parses every challenge of a header value, e.g.
/// `Bearer realm="https://auth/token",service="reg",scope="repository:a:pull"` or
/// `Basic realm="x"`. Tolerates unquoted values and stray commas; never fails.
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    let mut rest = header.trim_start();
    while !rest.is_empty() {
        rest = rest.trim_start_matches([',', ' ', '\t']);
        if rest.is_empty() {
            break;
        }
        let token_len = rest.find([' ', '\t', ',', '=']).unwrap_or(rest.len());
        let token = &rest[..token_len];
        let after = rest[token_len..].trim_start_matches([' ', '\t']);
        if let Some(value_text) = after.strip_prefix('=') {
            // A parameter of the current challenge.
            let (value, remaining) = parse_value(value_text.trim_start_matches([' ', '\t']));
            if let Some(current) = out.last_mut() {
                current
                    .params
                    .insert(token.to_ascii_lowercase(), value.to_owned());
            }
            rest = remaining;
        } else {
            out.push(Challenge {
                scheme: token.to_ascii_lowercase(),
                params: HashMap::new(),
            });
            rest = after;
        }
    }
    out
}

/// A quoted string (with `\` escapes) or a token; returns the value and what follows it.
fn parse_value(text: &str) -> (String, &str) {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                '"' => return (value, &quoted[i + 1..]),
                _ => value.push(c),
            }
        }
        (value, "")
    } else {
        let end = text.find([',', ' ', '\t']).unwrap_or(text.len());
        (text[..end].to_owned(), &text[end..])
    }
}

/// The token endpoint's answer.
#[derive(Debug, Deserialize)]
pub struct TokenResponse {
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub expires_in: Option<u64>,
}

impl TokenResponse {
    /// `token`, or `access_token` (OAuth2 servers send only that one).
    pub fn into_token(self, now: Instant) -> Option<CachedToken> {
        let value = self
            .token
            .filter(|t| !t.is_empty())
            .or(self.access_token.filter(|t| !t.is_empty()))?;
        // The token spec: when absent, assume 60 s. Refresh a little early.
        let lifetime = Duration::from_secs(self.expires_in.unwrap_or(60).max(1));
        let margin = (lifetime / 10).min(Duration::from_secs(10));
        Some(CachedToken {
            value,
            expires: now + lifetime - margin,
        })
    }
}

#[derive(Debug, Clone)]
pub struct CachedToken {
    pub value: String,
    pub expires: Instant,
}

/// What the registry asked for, learned from its first `401`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    Basic,
    Bearer {
        realm: String,
        service: Option<String>,
    },
}

/// Per-registry authentication state shared by every request of one image.
#[derive(Debug, Default)]
pub struct AuthState {
    pub scheme: Option<Scheme>,
    /// Bearer tokens by scope.
    pub tokens: HashMap<String, CachedToken>,
}

impl AuthState {
    /// A token for `scope` that has not expired.
    pub fn token(&self, scope: &str, now: Instant) -> Option<&CachedToken> {
        self.tokens.get(scope).filter(|t| t.expires > now)
    }
}

/// Picks the challenge to answer: bearer before basic; `None` for schemes we do not speak.
pub fn choose(challenges: &[Challenge]) -> Option<Scheme> {
    if let Some(bearer) = challenges.iter().find(|c| c.scheme == "bearer") {
        if let Some(realm) = bearer.param("realm").filter(|r| !r.is_empty()) {
            return Some(Scheme::Bearer {
                realm: realm.to_owned(),
                service: bearer.param("service").map(str::to_owned),
            });
        }
    }
    challenges
        .iter()
        .any(|c| c.scheme == "basic")
        .then_some(Scheme::Basic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_and_basic_challenges() {
        let c = parse_challenges(
            r#"Bearer realm="http://127.0.0.1:5003/token",service="testbed-registry",scope="repository:deb:pull""#,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].scheme, "bearer");
        assert_eq!(c[0].param("realm"), Some("http://127.0.0.1:5003/token"));
        assert_eq!(c[0].param("service"), Some("testbed-registry"));
        assert_eq!(c[0].param("scope"), Some("repository:deb:pull"));
        let c = parse_challenges(r#"Basic realm="testbed-realm""#);
        assert_eq!(choose(&c), Some(Scheme::Basic));
    }

    #[test]
    fn parses_several_challenges_escapes_and_tokens() {
        let c = parse_challenges(
            r#"Basic realm="a \"quoted\" realm", Bearer realm=https://auth.example/token, error="insufficient_scope",scope="repository:a/b:pull,push""#,
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].param("realm"), Some(r#"a "quoted" realm"#));
        assert_eq!(c[1].param("realm"), Some("https://auth.example/token"));
        assert_eq!(c[1].param("scope"), Some("repository:a/b:pull,push"));
        assert_eq!(
            choose(&c),
            Some(Scheme::Bearer {
                realm: "https://auth.example/token".into(),
                service: None
            })
        );
        assert_eq!(choose(&parse_challenges("Negotiate abc")), None);
        assert!(parse_challenges("").is_empty());
    }

    #[test]
    fn token_or_access_token() {
        let now = Instant::now();
        let r: TokenResponse =
            serde_json::from_str(r#"{"access_token":"a","expires_in":300}"#).unwrap();
        let t = r.into_token(now).unwrap();
        assert_eq!(t.value, "a");
        assert!(t.expires > now + Duration::from_secs(280));
        let r: TokenResponse = serde_json::from_str(r#"{"token":"t","access_token":"a"}"#).unwrap();
        assert_eq!(r.into_token(now).unwrap().value, "t");
        let r: TokenResponse = serde_json::from_str(r#"{"token":""}"#).unwrap();
        assert!(r.into_token(now).is_none());
    }
}
