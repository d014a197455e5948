//! The secret rules: the built-in set, and extra rules from configuration ([`RuleSpec`]).
//!
//! A rule is a regex with the secret as the named group `secret`, the lowercase keywords one of
//! which must occur (ASCII case-insensitively) for the regex to run at all, an optional path
//! constraint, and an allow-list of values that are placeholders rather than secrets. The
//! built-in rules favour precision: every token format with a distinctive prefix is covered;
//! context-only formats (a bare 40-character string next to a word) need the word in the regex;
//! the generic `password = …` rule is in [`optional_rules`], off unless asked for.

use std::fmt;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::finding::Severity;

/// One secret rule. Build custom ones from a [`RuleSpec`].
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable identifier, e.g. `aws-access-key-id`.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Lowercase literals: the rule runs only when one occurs. Empty: the rule always runs.
    pub keywords: Vec<String>,
    /// The pattern; the secret is its `secret` capture group.
    pub regex: Pattern,
    /// When set, the rule applies only to files whose path matches (never to [`scan_text`]
    /// sources).
    ///
    /// [`scan_text`]: super::SecretScanner::scan_text
    pub path: Option<regex::Regex>,
    /// Secret values matching any of these are placeholders, not secrets.
    pub allow: Vec<regex::Regex>,
    /// A further check of the secret's shape (base64 that decodes, a JWT header...).
    pub validate: Option<fn(&str) -> bool>,
}

/// A rule's regex, compiled on first use: most rules never run on a given image (their
/// keywords do not occur), and compiling all of them would cost more than scanning a small
/// image. Clones share the compiled regex.
#[derive(Clone)]
pub struct Pattern {
    source: Arc<str>,
    compiled: Arc<OnceLock<regex::bytes::Regex>>,
}

impl Pattern {
    /// A built-in pattern, compiled when first used (the tests compile every one).
    fn lazy(source: &str) -> Self {
        Pattern {
            source: source.into(),
            compiled: Arc::new(OnceLock::new()),
        }
    }

    /// An already compiled (and so validated) pattern.
    fn compiled(regex: regex::bytes::Regex) -> Self {
        let compiled = OnceLock::new();
        let source = regex.as_str().into();
        let _ = compiled.set(regex);
        Pattern {
            source,
            compiled: Arc::new(compiled),
        }
    }

    /// The compiled regex.
    pub fn regex(&self) -> &regex::bytes::Regex {
        self.compiled.get_or_init(|| {
            regex::bytes::Regex::new(&self.source)
                .unwrap_or_else(|e| panic!("built-in secret regex `{}`: {e}", self.source))
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Why a configured rule was refused.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("secret rule `{id}`: invalid {what} regex: {source}")]
    Regex {
        id: String,
        what: &'static str,
        #[source]
        source: regex::Error,
    },
    #[error("secret rule `{id}`: the regex has no named group `secret` (write `(?P<secret>...)`)")]
    NoSecretGroup { id: String },
    #[error("secret rule `{id}`: keyword `{keyword}` is empty")]
    EmptyKeyword { id: String, keyword: String },
}

/// A rule as configuration writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub regex: String,
    /// A regex over the file path.
    #[serde(default)]
    pub path: Option<String>,
    /// Regexes over the secret value that mark it as a placeholder.
    #[serde(default)]
    pub allow: Vec<String>,
}

impl RuleSpec {
    /// Compiles the spec; the error names the rule.
    pub fn compile(&self) -> Result<Rule, RuleError> {
        let err = |what, source| RuleError::Regex {
            id: self.id.clone(),
            what,
            source,
        };
        let regex = regex::bytes::Regex::new(&self.regex).map_err(|e| err("pattern", e))?;
        if !regex.capture_names().any(|n| n == Some("secret")) {
            return Err(RuleError::NoSecretGroup {
                id: self.id.clone(),
            });
        }
        if let Some(keyword) = self.keywords.iter().find(|k| k.is_empty()) {
            return Err(RuleError::EmptyKeyword {
                id: self.id.clone(),
                keyword: keyword.clone(),
            });
        }
        let path = self
            .path
            .as_deref()
            .map(regex::Regex::new)
            .transpose()
            .map_err(|e| err("path", e))?;
        let allow = self
            .allow
            .iter()
            .map(|a| regex::Regex::new(a))
            .collect::<Result<_, _>>()
            .map_err(|e| err("allow", e))?;
        Ok(Rule {
            id: self.id.clone(),
            title: self.title.clone(),
            severity: self.severity,
            keywords: self
                .keywords
                .iter()
                .map(|k| k.to_ascii_lowercase())
                .collect(),
            regex: Pattern::compiled(regex),
            path,
            allow,
            validate: None,
        })
    }
}

/// A built-in rule; its regexes are constants the tests compile.
fn rule(id: &str, title: &str, severity: Severity, keywords: &[&str], regex: &str) -> Rule {
    Rule {
        id: id.to_string(),
        title: title.to_string(),
        severity,
        keywords: keywords.iter().map(|k| k.to_ascii_lowercase()).collect(),
        regex: Pattern::lazy(regex),
        path: None,
        allow: Vec::new(),
        validate: None,
    }
}

impl Rule {
    fn path(mut self, path: &str) -> Self {
        self.path = Some(regex::Regex::new(path).expect("built-in path regex"));
        self
    }

    fn allow(mut self, allow: &[&str]) -> Self {
        self.allow = allow
            .iter()
            .map(|a| regex::Regex::new(a).expect("built-in allow regex"))
            .collect();
        self
    }

    fn validate(mut self, check: fn(&str) -> bool) -> Self {
        self.validate = Some(check);
        self
    }

    /// Whether `path` satisfies the rule's path constraint (`None`: a text source, no path).
    pub fn applies_to(&self, path: Option<&str>) -> bool {
        match (&self.path, path) {
            (None, _) => true,
            (Some(constraint), Some(path)) => constraint.is_match(path),
            (Some(_), None) => false,
        }
    }
}

/// Placeholder passwords of connection strings and URLs.
const PLACEHOLDER_PASSWORDS: &str = r"(?i)^(?:pass(?:word|wd)?\d*|pwd|secret|user|username|test|foo|bar|admin|root|guest|\*+|x+|\.+|%.*|:.*)$";

use Severity::{Error, Warning};

/// The rules on by default.
pub fn builtin_rules() -> Vec<Rule> {
    vec![
        // --- Cloud providers -------------------------------------------------------------
        rule(
            "aws-access-key-id",
            "AWS access key ID",
            Error,
            &["akia", "asia", "abia", "acca", "a3t"],
            r"(?-u:\b)(?P<secret>(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?-u:\b)",
        ),
        rule(
            "aws-secret-access-key",
            "AWS secret access key",
            Error,
            &["secret_access_key", "secretaccesskey", "secret-access-key", "aws_secret_key"],
            r#"(?i)(?:secret_access_key|secretaccesskey|secret-access-key|aws_secret_key)["']?\s*(?:=|:|=>|:=)\s*["']?(?P<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        ),
        rule(
            "gcp-service-account-key",
            "GCP service account private key",
            Error,
            &["\"private_key\""],
            r#""private_key"\s*:\s*"-----BEGIN (?:RSA )?PRIVATE KEY-----\\n(?P<secret>[A-Za-z0-9+/=\\]{64,})-----END (?:RSA )?PRIVATE KEY-----"#,
        ),
        rule(
            "gcp-api-key",
            "Google Cloud API key",
            Error,
            &["aiza"],
            r"(?-u:\b)(?P<secret>AIza[A-Za-z0-9_-]{35})(?:[^A-Za-z0-9_-]|$)",
        ),
        rule(
            "azure-storage-account-key",
            "Azure storage account key",
            Error,
            &["accountkey"],
            r"(?i)AccountKey\s*=\s*(?P<secret>(?-i:[A-Za-z0-9+/]{86}==))",
        ),
        rule(
            "alibaba-access-key-id",
            "Alibaba Cloud AccessKey ID",
            Error,
            &["ltai"],
            r"(?-u:\b)(?P<secret>LTAI[A-Za-z0-9]{20})(?-u:\b)",
        ),
        rule(
            "digitalocean-token",
            "DigitalOcean token",
            Error,
            &["dop_v1_", "doo_v1_", "dor_v1_"],
            r"(?-u:\b)(?P<secret>do[opr]_v1_[a-f0-9]{64})(?-u:\b)",
        ),
        // --- Source forges and package registries ------------------------------------------
        rule(
            "github-pat",
            "GitHub personal access token",
            Error,
            &["ghp_"],
            r"(?-u:\b)(?P<secret>ghp_[A-Za-z0-9]{36})(?-u:\b)",
        ),
        rule(
            "github-fine-grained-pat",
            "GitHub fine-grained personal access token",
            Error,
            &["github_pat_"],
            r"(?-u:\b)(?P<secret>github_pat_[A-Za-z0-9_]{82})(?-u:\b)",
        ),
        rule(
            "github-oauth-token",
            "GitHub OAuth access token",
            Error,
            &["gho_"],
            r"(?-u:\b)(?P<secret>gho_[A-Za-z0-9]{36})(?-u:\b)",
        ),
        rule(
            "github-app-token",
            "GitHub App token",
            Error,
            &["ghu_", "ghs_"],
            r"(?-u:\b)(?P<secret>gh[us]_[A-Za-z0-9]{36})(?-u:\b)",
        ),
        rule(
            "github-refresh-token",
            "GitHub refresh token",
            Error,
            &["ghr_"],
            r"(?-u:\b)(?P<secret>ghr_[A-Za-z0-9]{36,76})(?-u:\b)",
        ),
        rule(
            "gitlab-pat",
            "GitLab personal access token",
            Error,
            &["glpat-"],
            r"(?:^|[^A-Za-z0-9_-])(?P<secret>glpat-[A-Za-z0-9_-]{20,}(?:\.[A-Za-z0-9_-]+)*)",
        ),
        rule(
            "gitlab-deploy-token",
            "GitLab deploy token",
            Error,
            &["gldt-"],
            r"(?:^|[^A-Za-z0-9_-])(?P<secret>gldt-[A-Za-z0-9_-]{20,})",
        ),
        rule(
            "gitlab-runner-token",
            "GitLab runner authentication or registration token",
            Error,
            &["glrt-", "gr1348941"],
            r"(?:^|[^A-Za-z0-9_-])(?P<secret>(?:glrt-|GR1348941)[A-Za-z0-9_-]{20,}(?:\.[A-Za-z0-9_-]+)*)",
        ),
        rule(
            "gitlab-token",
            "GitLab token (trigger, CI job, feed, OAuth, SCIM, agent, incoming mail)",
            Error,
            &["glptt-", "glcbt-", "glft-", "gloas-", "glsoat-", "glagent-", "glimt-"],
            r"(?:^|[^A-Za-z0-9_-])(?P<secret>(?:glptt-[0-9a-f]{40}|glcbt-[0-9a-fA-F]{1,5}_[A-Za-z0-9_-]{20,}|glft-[A-Za-z0-9_-]{20,}|gloas-[0-9a-f]{64}|glsoat-[A-Za-z0-9_-]{20,}|glagent-[A-Za-z0-9_-]{50,}|glimt-[A-Za-z0-9_-]{25,}))",
        ),
        rule(
            "npm-access-token",
            "npm access token",
            Error,
            &["npm_"],
            r"(?-u:\b)(?P<secret>npm_[A-Za-z0-9]{36})(?-u:\b)",
        ),
        rule(
            "pypi-upload-token",
            "PyPI upload token",
            Error,
            &["pypi-ageichlwas5vcmc", "pypi-agendgvzdc5wexbplm9yzw"],
            r"(?P<secret>pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,})",
        ),
        rule(
            "rubygems-api-key",
            "RubyGems API key",
            Error,
            &["rubygems_"],
            r"(?-u:\b)(?P<secret>rubygems_[a-f0-9]{48})(?-u:\b)",
        ),
        rule(
            "dockerhub-pat",
            "Docker Hub personal or organization access token",
            Error,
            &["dckr_pat_", "dckr_oat_"],
            r"(?-u:\b)(?P<secret>dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,})",
        ),
        // --- Chat, payments, messaging ------------------------------------------------------
        rule(
            "slack-token",
            "Slack token",
            Error,
            &["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-"],
            r"(?-u:\b)(?P<secret>xox[baprse]-[0-9]{8,}-[0-9A-Za-z-]{10,})",
        ),
        rule(
            "slack-app-token",
            "Slack app-level token",
            Error,
            &["xapp-"],
            r"(?-u:\b)(?P<secret>xapp-\d-[A-Z0-9]{8,}-\d{8,}-[a-z0-9]{32,})",
        ),
        rule(
            "slack-webhook-url",
            "Slack incoming webhook URL",
            Error,
            &["hooks.slack.com"],
            r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<secret>[A-Za-z0-9+/]{43,56})",
        ),
        rule(
            "stripe-secret-key",
            "Stripe live secret key",
            Error,
            &["sk_live_"],
            r"(?-u:\b)(?P<secret>sk_live_[A-Za-z0-9]{24,247})(?-u:\b)",
        ),
        rule(
            "stripe-restricted-key",
            "Stripe live restricted key",
            Error,
            &["rk_live_"],
            r"(?-u:\b)(?P<secret>rk_live_[A-Za-z0-9]{24,247})(?-u:\b)",
        ),
        rule(
            "twilio-api-key",
            "Twilio API key",
            Error,
            &["sk"],
            r"(?-u:\b)(?P<secret>SK[0-9a-fA-F]{32})(?-u:\b)",
        ),
        rule(
            "sendgrid-api-key",
            "SendGrid API key",
            Error,
            &["sg."],
            r"(?-u:\b)(?P<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)",
        ),
        rule(
            "brevo-api-key",
            "Brevo (Sendinblue) API key",
            Error,
            &["xkeysib-"],
            r"(?-u:\b)(?P<secret>xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16})(?-u:\b)",
        ),
        rule(
            "shopify-token",
            "Shopify access token or shared secret",
            Error,
            &["shpat_", "shpca_", "shppa_", "shpss_"],
            r"(?-u:\b)(?P<secret>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})(?-u:\b)",
        ),
        // --- AI, observability, developer platforms -----------------------------------------
        rule(
            "openai-api-key",
            "OpenAI API key",
            Error,
            &["t3blbkfj"],
            r"(?-u:\b)(?P<secret>sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,74}T3BlbkFJ[A-Za-z0-9_-]{20,74})",
        ),
        rule(
            "anthropic-api-key",
            "Anthropic API key",
            Error,
            &["sk-ant-"],
            r"(?-u:\b)(?P<secret>sk-ant-(?:api|admin)0\d-[A-Za-z0-9_-]{80,100})",
        ),
        rule(
            "huggingface-token",
            "Hugging Face access token",
            Error,
            &["hf_"],
            r"(?-u:\b)(?P<secret>hf_[A-Za-z]{34})(?-u:\b)",
        ),
        rule(
            "databricks-token",
            "Databricks API token",
            Error,
            &["dapi"],
            r"(?-u:\b)(?P<secret>dapi[a-f0-9]{32}(?:-\d)?)(?-u:\b)",
        ),
        rule(
            "grafana-token",
            "Grafana service account or cloud token",
            Error,
            &["glsa_", "glc_"],
            r"(?-u:\b)(?P<secret>glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})",
        ),
        rule(
            "new-relic-user-key",
            "New Relic user API key",
            Error,
            &["nrak-"],
            r"(?-u:\b)(?P<secret>NRAK-[A-Z0-9]{27})(?-u:\b)",
        ),
        rule(
            "dynatrace-token",
            "Dynatrace API token",
            Error,
            &["dt0c01."],
            r"(?-u:\b)(?P<secret>dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})(?-u:\b)",
        ),
        rule(
            "sentry-token",
            "Sentry auth token",
            Error,
            &["sntrys_", "sntryu_"],
            r"(?-u:\b)(?P<secret>sntryu_[a-f0-9]{64}|sntrys_eyJ[A-Za-z0-9+/=_]{80,})",
        ),
        rule(
            "linear-api-key",
            "Linear API key",
            Error,
            &["lin_api_"],
            r"(?-u:\b)(?P<secret>lin_api_[A-Za-z0-9]{40})(?-u:\b)",
        ),
        rule(
            "postman-api-key",
            "Postman API key",
            Error,
            &["pmak-"],
            r"(?-u:\b)(?P<secret>PMAK-[a-f0-9]{24}-[a-f0-9]{34})(?-u:\b)",
        ),
        rule(
            "pulumi-access-token",
            "Pulumi access token",
            Error,
            &["pul-"],
            r"(?-u:\b)(?P<secret>pul-[a-f0-9]{40})(?-u:\b)",
        ),
        rule(
            "doppler-token",
            "Doppler personal token",
            Error,
            &["dp.pt."],
            r"(?-u:\b)(?P<secret>dp\.pt\.[A-Za-z0-9]{43})(?-u:\b)",
        ),
        rule(
            "planetscale-token",
            "PlanetScale token or password",
            Error,
            &["pscale_tkn_", "pscale_pw_", "pscale_oauth_"],
            r"(?-u:\b)(?P<secret>pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.=-]{32,64})",
        ),
        rule(
            "hashicorp-vault-token",
            "HashiCorp Vault token",
            Error,
            &["hvs.", "hvb."],
            r"(?-u:\b)(?P<secret>hv[sb]\.[A-Za-z0-9_-]{24,})",
        ),
        rule(
            "hashicorp-tf-api-token",
            "HashiCorp Terraform Cloud API token",
            Error,
            &["atlasv1"],
            r"(?-u:\b)(?P<secret>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})",
        ),
        rule(
            "age-secret-key",
            "age secret key",
            Error,
            &["age-secret-key-1"],
            r"(?P<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})",
        ),
        // --- Keys and tokens of any provider ------------------------------------------------
        rule(
            "private-key",
            "Private key",
            Error,
            &["private key-----", "private key block-----"],
            r"(?:-----BEGIN (?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----\r?\n|-----BEGIN PGP PRIVATE KEY BLOCK-----\r?\n(?:[A-Za-z-]+: [^\r\n]*\r?\n)*\r?\n)(?P<secret>[A-Za-z0-9+/=\r\n]{64,})-----END ",
        ),
        rule(
            "private-key-encrypted",
            "Passphrase-protected private key",
            Warning,
            &["begin encrypted private key", "proc-type: 4,encrypted"],
            r"(?:-----BEGIN ENCRYPTED PRIVATE KEY-----\r?\n|-----BEGIN (?:RSA |EC |DSA )PRIVATE KEY-----\r?\nProc-Type: 4,ENCRYPTED\r?\n(?:[A-Za-z-]+: [^\r\n]*\r?\n)*\r?\n)(?P<secret>[A-Za-z0-9+/=\r\n]{64,})-----END ",
        ),
        rule(
            "jwt",
            "JSON Web Token",
            Warning,
            &["eyj"],
            r"(?-u:\b)(?P<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})",
        )
        .validate(jwt_header),
        // --- Credentials in configuration files ---------------------------------------------
        rule(
            "git-credentials",
            "Credentials in .git-credentials",
            Error,
            &["://"],
            r"(?m)^[a-z][a-z0-9+.-]*://[^\s:@/]*:(?P<secret>[^\s@/]+)@\S+$",
        )
        .path(r"(?:^|/)\.git-credentials$")
        .allow(&[PLACEHOLDER_PASSWORDS]),
        rule(
            "npmrc-auth-token",
            "npm registry credential in .npmrc",
            Error,
            &["_auth", "_password"],
            r#"(?:_authToken|_auth|_password)\s*=\s*["']?(?P<secret>[^\s"']{8,})"#,
        )
        .path(r"(?:^|/)\.?npmrc$"),
        rule(
            "pypirc-password",
            "Password in .pypirc",
            Error,
            &["password"],
            r"(?m)^[ \t]*password[ \t]*[:=][ \t]*(?P<secret>\S+)[ \t]*\r?$",
        )
        .path(r"(?:^|/)\.pypirc$")
        .allow(&[PLACEHOLDER_PASSWORDS]),
        rule(
            "docker-config-auth",
            "Registry credential in a Docker config",
            Error,
            &["\"auth\""],
            r#""auth"\s*:\s*"(?P<secret>[A-Za-z0-9+/]{4,}={0,2})""#,
        )
        .path(r"(?:^|/)(?:\.docker/config\.json|\.dockercfg|containers/auth\.json)$")
        .validate(docker_auth),
        rule(
            "database-url-password",
            "Password in a database or broker URL",
            Error,
            &[
                "postgres://",
                "postgresql://",
                "mysql://",
                "mariadb://",
                "mongodb://",
                "mongodb+srv://",
                "redis://",
                "rediss://",
                "amqp://",
                "amqps://",
                "mssql://",
                "sqlserver://",
            ],
            r#"(?i)(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver)://[^\s:@/?#'"]*:(?P<secret>[^\s:@/?#'"]+)@[^\s'"]"#,
        )
        .allow(&[PLACEHOLDER_PASSWORDS]),
        rule(
            "url-password",
            "Password in a URL",
            Error,
            &["http://", "https://", "ftp://", "ftps://"],
            r#"(?i)(?:https?|ftps?)://[A-Za-z0-9._~%+-]+:(?P<secret>[^\s:@/?#'"<>\\]{8,})@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#,
        )
        .allow(&[PLACEHOLDER_PASSWORDS]),
    ]
}

/// Rules off by default: noisier, for callers who ask.
pub fn optional_rules() -> Vec<Rule> {
    vec![rule(
        "generic-secret-assignment",
        "High-entropy value assigned to a password, secret, key or token",
        Warning,
        &["password", "passwd", "secret", "api_key", "apikey", "token"],
        r#"(?i)(?:password|passwd|secret|api_key|apikey|token)["']?\s*(?:=|:|:=|=>)\s*["']?(?P<secret>[A-Za-z0-9+/_.!@#%^&*~-]{16,128})"#,
    )
    .validate(high_entropy)]
}

/// A JWT whose header decodes to JSON with an `alg`.
fn jwt_header(secret: &str) -> bool {
    let header = secret.split('.').next().unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header.trim_end_matches('='))
        .is_ok_and(|h| {
            let h = String::from_utf8_lossy(&h);
            h.starts_with('{') && h.contains("\"alg\"")
        })
}

/// Base64 of `user:password`, both non-empty.
fn docker_auth(secret: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(secret)
        .ok()
        .and_then(|d| String::from_utf8(d).ok())
        .and_then(|s| {
            s.split_once(':')
                .map(|(u, p)| !u.is_empty() && !p.is_empty())
        })
        .unwrap_or(false)
}

/// Shannon entropy of at least 3.5 bits per character, with letters and digits mixed.
pub(crate) fn high_entropy(secret: &str) -> bool {
    let bytes = secret.as_bytes();
    if !bytes.iter().any(u8::is_ascii_digit) || !bytes.iter().any(u8::is_ascii_alphabetic) {
        return false;
    }
    let mut counts = [0usize; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    let entropy: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum();
    entropy >= 3.5
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::secrets::SecretScanner;

    const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const UPPER_NUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const HEX: &str = "0123456789abcdef";
    const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const BECH32: &str = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

    /// `n` pseudo-random characters of `alphabet`: test secrets are generated, so no
    /// token-shaped literal sits in the source.
    fn gen(alphabet: &str, n: usize) -> String {
        use std::sync::atomic::{AtomicU64, Ordering};
        static SEED: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
        let chars: Vec<char> = alphabet.chars().collect();
        let mut state = SEED.fetch_add(0x2545_F491_4F6C_DD1D, Ordering::Relaxed);
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                chars[(state % chars.len() as u64) as usize]
            })
            .collect()
    }

    fn pem(kind: &str, headers: &str) -> String {
        let body: Vec<String> = (0..4).map(|_| gen(B64, 64)).collect();
        format!(
            "-----BEGIN {kind}-----\n{headers}{}\n-----END {kind}-----\n",
            body.join("\n")
        )
    }

    fn b64(text: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(text)
    }

    fn b64url(text: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    }

    /// (rule id, path, text that must match it, look-alike that must not).
    fn cases() -> Vec<(&'static str, &'static str, String, String)> {
        let p = "app/config.txt";
        let jwt_header = b64url(r#"{"alg":"HS256","typ":"JWT"}"#);
        let jwt_claims = b64url(r#"{"sub":"1234567890","name":"n"}"#);
        vec![
            ("aws-access-key-id", p, format!("key = {}{}", "AKIA", gen(UPPER, 16)), format!("key = {}{}", "AKIA", gen(UPPER, 15))),
            ("aws-secret-access-key", p, format!("aws_secret_access_key = {}", gen(B64, 40)), format!("aws_secret_access_key = {}", gen(B64, 30))),
            ("gcp-service-account-key", p, format!(r#"{{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n"}}"#, gen(B64, 128)), r#"{"private_key": "-----BEGIN PRIVATE KEY-----\nshort\n-----END PRIVATE KEY-----\n"}"#.to_string()),
            ("gcp-api-key", p, format!("key={}{}", "AIza", gen(ALNUM, 35)), format!("key={}{}", "AIza", gen(ALNUM, 20))),
            ("azure-storage-account-key", p, format!("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={}==;", gen(B64, 86)), format!("AccountKey={}==", gen(B64, 40))),
            ("alibaba-access-key-id", p, format!("id: {}{}", "LTAI", gen(ALNUM, 20)), format!("id: {}{}", "LTAI", gen(ALNUM, 12))),
            ("digitalocean-token", p, format!("{}{}", "dop_v1_", gen(HEX, 64)), format!("{}{}", "dop_v1_", gen(HEX, 40))),
            ("github-pat", p, format!("token {}{}", "ghp_", gen(ALNUM, 36)), format!("token {}{}", "ghp_", gen(ALNUM, 35))),
            ("github-fine-grained-pat", p, format!("{}{}", "github_pat_", gen(ALNUM, 82)), format!("{}{}", "github_pat_", gen(ALNUM, 40))),
            ("github-oauth-token", p, format!("{}{}", "gho_", gen(ALNUM, 36)), format!("x{}{}", "gho_", gen(ALNUM, 36))),
            ("github-app-token", p, format!("{}{}", "ghs_", gen(ALNUM, 36)), format!("{}{}", "ghs_", gen(ALNUM, 20))),
            ("github-refresh-token", p, format!("{}{}", "ghr_", gen(ALNUM, 76)), format!("{}{}", "ghr_", gen(ALNUM, 30))),
            ("gitlab-pat", p, format!("{}{}", "glpat-", gen(ALNUM, 20)), format!("{}{}", "glpat-", gen(ALNUM, 12))),
            ("gitlab-deploy-token", p, format!("{}{}", "gldt-", gen(ALNUM, 20)), format!("{}{}", "gldt-", gen(ALNUM, 10))),
            ("gitlab-runner-token", p, format!("token = \"{}{}\"", "glrt-", gen(ALNUM, 20)), format!("token = \"{}{}\"", "glrt-", gen(ALNUM, 8))),
            ("gitlab-token", p, format!("{}{}", "glptt-", gen(HEX, 40)), format!("{}{}", "glptt-", gen(HEX, 20))),
            ("npm-access-token", p, format!("{}{}", "npm_", gen(ALNUM, 36)), format!("{}{}", "npm_", gen(ALNUM, 20))),
            ("pypi-upload-token", p, format!("{}{}", "pypi-AgEIcHlwaS5vcmc", gen(ALNUM, 60)), format!("{}{}", "pypi-AgEIcHlwaS5vcmc", gen(ALNUM, 10))),
            ("rubygems-api-key", p, format!("{}{}", "rubygems_", gen(HEX, 48)), format!("{}{}", "rubygems_", gen(HEX, 20))),
            ("dockerhub-pat", p, format!("{}{}", "dckr_pat_", gen(ALNUM, 27)), format!("{}{}", "dckr_pat_", gen(ALNUM, 10))),
            ("slack-token", p, format!("{}{}-{}-{}", "xoxb-", gen("0123456789", 12), gen("0123456789", 13), gen(ALNUM, 24)), "xoxb-not-a-real-token".to_string()),
            ("slack-app-token", p, format!("{}1-{}-{}-{}", "xapp-", gen(UPPER_NUM, 11), gen("0123456789", 13), gen(HEX, 64)), "xapp-1-short".to_string()),
            ("slack-webhook-url", p, format!("https://{}/services/T{}/B{}/{}", "hooks.slack.com", gen(UPPER_NUM, 8), gen(UPPER_NUM, 10), gen(ALNUM, 24)), "https://hooks.slack.com/services/T000/B000".to_string()),
            ("stripe-secret-key", p, format!("{}{}", "sk_live_", gen(ALNUM, 24)), format!("{}{}", "sk_test_", gen(ALNUM, 24))),
            ("stripe-restricted-key", p, format!("{}{}", "rk_live_", gen(ALNUM, 24)), format!("{}{}", "rk_live_", gen(ALNUM, 10))),
            ("twilio-api-key", p, format!("{}{}", "SK", gen(HEX, 32)), format!("{}{}", "SK", gen(HEX, 31))),
            ("sendgrid-api-key", p, format!("{}.{}.{}", "SG", gen(ALNUM, 22), gen(ALNUM, 43)), format!("SG.{}.{}", gen(ALNUM, 10), gen(ALNUM, 10))),
            ("brevo-api-key", p, format!("{}{}-{}", "xkeysib-", gen(HEX, 64), gen(ALNUM, 16)), format!("{}{}", "xkeysib-", gen(HEX, 64))),
            ("shopify-token", p, format!("{}{}", "shpat_", gen(HEX, 32)), format!("{}{}", "shpat_", gen(ALNUM, 32).replace(|c: char| c.is_ascii_hexdigit(), "z"))),
            ("openai-api-key", p, format!("sk-proj-{}{}{}", gen(ALNUM, 30), "T3BlbkFJ", gen(ALNUM, 30)), format!("sk-proj-{}", gen(ALNUM, 60))),
            ("anthropic-api-key", p, format!("{}{}AA", "sk-ant-api03-", gen(ALNUM, 93)), format!("{}{}", "sk-ant-api03-", gen(ALNUM, 20))),
            ("huggingface-token", p, format!("{}{}", "hf_", gen(LETTERS, 34)), format!("{}{}", "hf_", gen(LETTERS, 20))),
            ("databricks-token", p, format!("{}{}", "dapi", gen(HEX, 32)), format!("{}{}", "dapi", gen(HEX, 16))),
            ("grafana-token", p, format!("{}{}_{}", "glsa_", gen(ALNUM, 32), gen(HEX, 8)), format!("{}{}", "glsa_", gen(ALNUM, 12))),
            ("new-relic-user-key", p, format!("{}{}", "NRAK-", gen(UPPER_NUM, 27)), format!("{}{}", "NRAK-", gen(UPPER_NUM, 12))),
            ("dynatrace-token", p, format!("{}{}.{}", "dt0c01.", gen(UPPER_NUM, 24), gen(UPPER_NUM, 64)), format!("{}{}", "dt0c01.", gen(UPPER_NUM, 24))),
            ("sentry-token", p, format!("{}{}", "sntryu_", gen(HEX, 64)), format!("{}{}", "sntryu_", gen(HEX, 30))),
            ("linear-api-key", p, format!("{}{}", "lin_api_", gen(ALNUM, 40)), format!("{}{}", "lin_api_", gen(ALNUM, 20))),
            ("postman-api-key", p, format!("{}{}-{}", "PMAK-", gen(HEX, 24), gen(HEX, 34)), format!("{}{}", "PMAK-", gen(HEX, 24))),
            ("pulumi-access-token", p, format!("{}{}", "pul-", gen(HEX, 40)), format!("{}{}", "pul-", gen(HEX, 20))),
            ("doppler-token", p, format!("{}{}", "dp.pt.", gen(ALNUM, 43)), format!("{}{}", "dp.pt.", gen(ALNUM, 20))),
            ("planetscale-token", p, format!("{}{}", "pscale_tkn_", gen(ALNUM, 43)), format!("{}{}", "pscale_tkn_", gen(ALNUM, 12))),
            ("hashicorp-vault-token", p, format!("VAULT_TOKEN={}{}", "hvs.", gen(ALNUM, 95)), format!("VAULT_TOKEN={}{}", "hvs.", gen(ALNUM, 10))),
            ("hashicorp-tf-api-token", p, format!("{}.{}.{}", gen(ALNUM, 14), "atlasv1", gen(ALNUM, 67)), format!("{}.{}.{}", gen(ALNUM, 14), "atlasv1", gen(ALNUM, 20))),
            ("age-secret-key", p, format!("{}{}", "AGE-SECRET-KEY-1", gen(BECH32, 58)), format!("{}{}", "AGE-SECRET-KEY-1", gen(BECH32, 30))),
            ("private-key", p, pem("RSA PRIVATE KEY", ""), pem("PUBLIC KEY", "")),
            ("private-key-encrypted", p, pem("ENCRYPTED PRIVATE KEY", ""), pem("CERTIFICATE", "")),
            ("jwt", p, format!("Authorization: Bearer {jwt_header}.{jwt_claims}.{}", gen(ALNUM, 43)), format!("{}.{jwt_claims}.{}", b64url("{not a header}"), gen(ALNUM, 43))),
            ("git-credentials", "root/.git-credentials", format!("https://user:{}@github.com\n", gen(ALNUM, 40)), "https://user:password@github.com\n".to_string()),
            ("npmrc-auth-token", "home/app/.npmrc", format!("//registry.npmjs.org/:_authToken={}\n", gen(ALNUM, 36)), "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n".to_string()),
            ("pypirc-password", "root/.pypirc", format!("[pypi]\nusername = __token__\npassword = {}\n", gen(ALNUM, 30)), "[pypi]\npassword = <your password>\n".to_string()),
            ("docker-config-auth", "root/.docker/config.json", format!(r#"{{"auths": {{"registry.io": {{"auth": "{}"}}}}}}"#, b64(&format!("user:{}", gen(ALNUM, 20)))), format!(r#"{{"auths": {{"registry.io": {{"auth": "{}"}}}}}}"#, b64("no colon here"))),
            ("database-url-password", p, format!("DATABASE_URL=postgres://app:{}@db:5432/app", gen(ALNUM, 20)), "DATABASE_URL=postgres://app:password@db:5432/app".to_string()),
            ("url-password", p, format!("url = https://deploy:{}@git.corp.io/repo.git", gen(ALNUM, 20)), "url = https://deploy@git.corp.io/repo.git".to_string()),
        ]
    }

    fn scanner() -> SecretScanner {
        SecretScanner::new(builtin_rules())
    }

    #[test]
    fn every_builtin_rule_has_a_positive_and_a_negative_case() {
        let cases = cases();
        for rule in builtin_rules() {
            assert!(
                cases.iter().any(|(id, ..)| *id == rule.id),
                "no test case for {}",
                rule.id
            );
        }
        let mut ids: Vec<_> = builtin_rules().into_iter().map(|r| r.id).collect();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "rule ids are unique");
    }

    #[test]
    fn every_builtin_regex_compiles_and_has_a_secret_group() {
        for rule in builtin_rules().into_iter().chain(optional_rules()) {
            let regex = rule.regex.regex();
            assert!(
                regex.capture_names().any(|n| n == Some("secret")),
                "{}: no `secret` group",
                rule.id
            );
            assert_eq!(regex.as_str(), rule.regex.as_str());
        }
    }

    #[test]
    fn positive_cases_match_their_rule() {
        let scanner = scanner();
        for (id, path, positive, _) in cases() {
            let found = scanner.scan(path, positive.as_bytes());
            assert!(
                found.iter().any(|m| m.rule_id == id),
                "{id} did not match its positive case: {found:?}"
            );
        }
    }

    #[test]
    fn negative_cases_match_nothing() {
        let scanner = scanner();
        for (id, path, _, negative) in cases() {
            let found = scanner.scan(path, negative.as_bytes());
            assert!(found.is_empty(), "{id}: look-alike matched: {found:?}");
        }
    }

    #[test]
    fn path_constrained_rules_need_their_file() {
        let scanner = scanner();
        let token = format!("//registry.npmjs.org/:_authToken={}\n", gen(ALNUM, 36));
        assert_eq!(scanner.scan("home/app/.npmrc", token.as_bytes()).len(), 1);
        assert!(scanner
            .scan("home/app/notes.txt", token.as_bytes())
            .is_empty());
        assert!(scanner.scan_text("ENV NPM", &token).is_empty());
    }

    #[test]
    fn the_secret_group_is_what_is_reported() {
        let scanner = scanner();
        let key = format!("{}{}", "AKIA", gen(UPPER, 16));
        let text = format!("key = {key}\n");
        let found = scanner.scan("a", text.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], key);
    }

    #[test]
    fn the_allow_list_drops_placeholders_and_documentation_keys() {
        let scanner = scanner();
        for text in [
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_000000000000000000000000000000000000",
            "postgres://user:changeme@db/app",
            "postgres://user:${DB_PASSWORD}@db/app",
            "mysql://root:<password>@localhost/db",
            "https://user:$TOKEN@example.com/x",
            "redis://:password@cache:6379",
        ] {
            let found = scanner.scan("a", text.as_bytes());
            assert!(found.is_empty(), "{text}: {found:?}");
        }
    }

    #[test]
    fn optional_generic_rule_wants_entropy() {
        let scanner = SecretScanner::new(optional_rules());
        let secret = gen(ALNUM, 32);
        assert_eq!(
            scanner
                .scan_text("ENV", &format!("password={secret}"))
                .len(),
            1
        );
        assert!(scanner
            .scan_text("ENV", "password=aaaaaaaaaaaaaaaaaaaaaa1")
            .is_empty());
        assert!(scanner
            .scan_text("ENV", "secret=thisisnotrandomatall")
            .is_empty());
    }

    #[test]
    fn rule_spec_compiles_and_names_the_rule_on_error() {
        let spec: RuleSpec = serde_json::from_value(serde_json::json!({
            "id": "corp-token",
            "title": "Corp token",
            "severity": "error",
            "keywords": ["CORP_"],
            "regex": "(?P<secret>CORP_[0-9a-f]{16})",
            "path": "\\.env$"
        }))
        .unwrap();
        let rule = spec.compile().unwrap();
        assert_eq!(rule.keywords, ["corp_"]);
        let scanner = SecretScanner::new(vec![rule]);
        let text = format!("T=CORP_{}", gen(HEX, 16));
        assert_eq!(scanner.scan("app/.env", text.as_bytes()).len(), 1);
        assert!(scanner.scan("app/env.txt", text.as_bytes()).is_empty());

        let bad = RuleSpec {
            regex: "(?P<secret>[a-".into(),
            ..spec.clone()
        };
        let err = bad.compile().unwrap_err().to_string();
        assert!(err.contains("corp-token") && err.contains("regex"), "{err}");
        let no_group = RuleSpec {
            regex: "CORP_[0-9a-f]{16}".into(),
            ..spec.clone()
        };
        let err = no_group.compile().unwrap_err().to_string();
        assert!(
            err.contains("corp-token") && err.contains("`secret`"),
            "{err}"
        );
        let bad_path = RuleSpec {
            path: Some("(".into()),
            ..spec
        };
        assert!(bad_path
            .compile()
            .unwrap_err()
            .to_string()
            .contains("corp-token"));
    }

    #[test]
    fn entropy_check() {
        assert!(high_entropy(&gen(ALNUM, 32)));
        assert!(!high_entropy("abababababababab12"));
        assert!(!high_entropy("onlylettershereokay"));
    }
}
