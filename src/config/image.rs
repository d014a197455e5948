//! `[image]` in `.portcullis.toml`: what `portcullis scan` checks in images.
//!
//! ```toml
//! [image]
//! # Setuid/setgid files that are expected (absolute paths or globs); replaces the default
//! # list (passwd, su, chsh, chfn, gpasswd, newgrp, mount, umount, unix_chkpwd, expiry, chage
//! # in /bin, /sbin, /usr/bin, /usr/sbin).
//! setuid-allowed = ["/usr/bin/passwd", "/usr/lib/openssh/ssh-keysign"]
//!
//! [image.secrets]
//! # Files not searched for secrets (globs); replaces the default test-fixture globs.
//! skip-paths = ["**/testdata/**", "/usr/share/doc/**"]
//!
//! [[image.secrets.rules]]             # added to the built-in rules
//! id = "corp-api-token"
//! title = "Corp API token"
//! severity = "error"
//! keywords = ["corp_"]                # the regex runs only where one occurs (any case)
//! regex = '''(?P<secret>corp_[0-9a-f]{32})'''
//! path = '''\.env$'''                 # optional: only files whose path matches
//! allow = ['''^corp_0{32}$''']        # optional: values that are placeholders
//! ```

use serde::Deserialize;

use super::{ConfigError, Origin};
use crate::image::hygiene;
use crate::image::secrets::{builtin_rules, Rule, RuleSpec, SecretScanner};

/// The `[image]` settings, merged over every configuration source. Values are checked, and
/// patterns compiled, once when the file is read.
#[derive(Debug, Clone, Default)]
pub struct ImageSettings {
    /// `[image] setuid-allowed`; `None` keeps the default list.
    setuid_allowed: Option<hygiene::Settings>,
    /// `[image.secrets] skip-paths`; `None` keeps the default globs.
    secret_skip_paths: Option<Vec<String>>,
    /// `[[image.secrets.rules]]`, added to the built-in rules.
    secret_rules: Vec<Rule>,
}

impl ImageSettings {
    /// `later` on top of these: lists it sets replace, its rules are added (replacing a rule
    /// with the same id).
    pub(crate) fn merge(&mut self, later: ImageSettings) {
        if later.setuid_allowed.is_some() {
            self.setuid_allowed = later.setuid_allowed;
        }
        if later.secret_skip_paths.is_some() {
            self.secret_skip_paths = later.secret_skip_paths;
        }
        for rule in later.secret_rules {
            self.secret_rules.retain(|r| r.id != rule.id);
            self.secret_rules.push(rule);
        }
    }

    /// The hygiene checks' settings.
    pub fn hygiene(&self) -> hygiene::Settings {
        self.setuid_allowed.clone().unwrap_or_default()
    }

    /// The secret scanner: the built-in rules and the configured ones, skipping the configured
    /// paths.
    pub fn secret_scanner(&self) -> Result<SecretScanner, String> {
        let mut rules = builtin_rules();
        for rule in &self.secret_rules {
            rules.retain(|r| r.id != rule.id);
            rules.push(rule.clone());
        }
        let scanner = SecretScanner::new(rules);
        match &self.secret_skip_paths {
            Some(globs) => {
                let globs: Vec<&str> = globs.iter().map(String::as_str).collect();
                scanner
                    .with_skip_paths(&globs)
                    .map_err(|e| format!("image.secrets.skip-paths: {e}"))
            }
            None => Ok(scanner),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct ImageModel {
    setuid_allowed: Option<Vec<String>>,
    #[serde(default)]
    secrets: SecretsModel,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SecretsModel {
    skip_paths: Option<Vec<String>>,
    #[serde(default)]
    rules: Vec<RuleSpec>,
}

/// The settings of one file's `[image]` table; each bad value is an error naming its key, and
/// the valid rest is kept.
pub(super) fn from_model(
    model: ImageModel,
    origin: &Origin,
    errors: &mut Vec<ConfigError>,
) -> ImageSettings {
    let mut bad = |key: &str, message: String| {
        errors.push(ConfigError::InvalidValue {
            origin: origin.clone(),
            key: key.to_owned(),
            message,
        })
    };
    let mut settings = ImageSettings::default();
    if let Some(list) = model.setuid_allowed {
        match hygiene::Settings::new(&list) {
            Ok(allowed) => settings.setuid_allowed = Some(allowed),
            Err(message) => bad("image.setuid-allowed", message),
        }
    }
    if let Some(globs) = model.secrets.skip_paths {
        match globs.iter().find_map(|g| globset::Glob::new(g).err()) {
            None => settings.secret_skip_paths = Some(globs),
            Some(e) => bad("image.secrets.skip-paths", e.to_string()),
        }
    }
    for spec in model.secrets.rules {
        match spec.compile() {
            Ok(rule) => settings.secret_rules.push(rule),
            Err(e) => bad("image.secrets.rules", e.to_string()),
        }
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse(text: &str) -> (ImageSettings, Vec<String>) {
        let model: ImageModel = toml::from_str(text).unwrap();
        let mut errors = Vec::new();
        let origin = Origin::File(PathBuf::from("x/.portcullis.toml"));
        let settings = from_model(model, &origin, &mut errors);
        (settings, errors.iter().map(ToString::to_string).collect())
    }

    const RULE: &str = r#"
        [[secrets.rules]]
        id = "corp-api-token"
        title = "Corp API token"
        severity = "error"
        keywords = ["corp_"]
        regex = '(?P<secret>corp_[0-9a-f]{32})'
    "#;

    #[test]
    fn every_key_is_read_and_used() {
        let text = format!(
            "setuid-allowed = [\"/usr/lib/openssh/ssh-keysign\"]\n\
             [secrets]\nskip-paths = [\"/srv/fixtures/**\"]\n{RULE}"
        );
        let (settings, errors) = parse(&text);
        assert_eq!(errors, Vec::<String>::new());
        let hygiene = settings.hygiene();
        assert!(hygiene.setuid_allowed("/usr/lib/openssh/ssh-keysign"));
        assert!(!hygiene.setuid_allowed("/usr/bin/passwd"));
        let scanner = settings.secret_scanner().unwrap();
        let token = format!("KEY=corp_{}", "0a1b2c3d".repeat(4));
        let found = scanner.scan("/app/settings.ini", token.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule_id, "corp-api-token");
        assert!(scanner.skips_path("/srv/fixtures/a.txt"));
        // The default skip globs are replaced.
        assert!(!scanner.skips_path("/src/testdata/a.txt"));
        // The built-in rules are still there.
        assert!(scanner.rules().iter().any(|r| r.id == "github-pat"));
    }

    #[test]
    fn defaults_when_nothing_is_set() {
        let (settings, errors) = parse("");
        assert!(errors.is_empty());
        assert!(settings.setuid_allowed.is_none() && settings.secret_skip_paths.is_none());
        assert!(settings.secret_rules.is_empty());
        assert!(settings.hygiene().setuid_allowed("/usr/bin/passwd"));
        let scanner = settings.secret_scanner().unwrap();
        assert!(scanner.skips_path("/src/testdata/a.txt"));
        assert_eq!(scanner.rules().len(), builtin_rules().len());
    }

    #[test]
    fn bad_values_name_their_key_and_the_rest_is_kept() {
        let text = format!(
            "setuid-allowed = [\"passwd\"]\n[secrets]\nskip-paths = [\"[oops\"]\n{RULE}\n\
             [[secrets.rules]]\nid = \"broken\"\ntitle = \"B\"\nseverity = \"error\"\n\
             regex = 'no group'\n"
        );
        let (settings, errors) = parse(&text);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].contains("image.setuid-allowed") && errors[0].contains("/usr/bin/passwd")
        );
        assert!(errors[1].contains("image.secrets.skip-paths"));
        assert!(errors[2].contains("image.secrets.rules") && errors[2].contains("broken"));
        assert_eq!(settings.secret_rules.len(), 1);
        assert!(settings.setuid_allowed.is_none());
    }

    #[test]
    fn later_sources_replace_lists_and_add_rules() {
        let (mut base, _) = parse(&format!(
            "setuid-allowed = [\"/bin/su\"]\n[secrets]\n{RULE}"
        ));
        let (later, _) = parse("[secrets]\nskip-paths = []\n");
        base.merge(later);
        let hygiene = base.hygiene();
        assert!(hygiene.setuid_allowed("/bin/su") && !hygiene.setuid_allowed("/usr/bin/passwd"));
        assert_eq!(base.secret_skip_paths.as_deref(), Some(&[][..]));
        let (again, _) = parse(&format!("[secrets]\n{RULE}"));
        base.merge(again);
        assert_eq!(base.secret_rules.len(), 1, "same id: replaced, not doubled");
    }
}
