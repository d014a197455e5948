//! The options every rule-based command shares (`lint`, `runtime`): the configuration file,
//! rules turned on and off, and the failure threshold, loaded into one [`Config`].

use std::path::{Path, PathBuf};

use clap::Args;

use crate::config::{Config, Overrides, Threshold};

#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Configuration file (.portcullis.toml, or a .hadolint.yaml). By default
    /// .portcullis.toml and .hadolint.yaml are searched upward from the first path.
    #[arg(short, long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Lowest severity that fails the run: error, warning, info, style, or none.
    #[arg(short = 't', long, value_name = "SEVERITY")]
    pub failure_threshold: Option<Threshold>,

    /// Turn a rule off (code, name or alias such as DL3008). Repeatable.
    #[arg(long, visible_alias = "ignore", value_name = "RULE")]
    pub disable: Vec<String>,

    /// Turn a rule on, including rules that are off by default. Repeatable.
    #[arg(long, value_name = "RULE")]
    pub enable: Vec<String>,

    /// Run only this rule (code, name or alias); repeat to run several. Selecting an alias
    /// such as DL3008 runs only that upstream check of its rule. Overrides --enable,
    /// --disable and the configuration's rule lists.
    #[arg(long = "rule", value_name = "RULE")]
    pub only: Vec<String>,
}

impl PolicyArgs {
    /// The configuration found from `root` (or given), with these options and `extra` on top.
    /// A broken configuration leaves the defaults in place and an error in `errors`: reports
    /// are still written, and the run is incomplete.
    pub fn load(&self, root: &Path, extra: Overrides, errors: &mut Vec<String>) -> Config {
        let mut config = load_config(root, self.config.as_deref(), errors);
        let overrides = Overrides {
            failure_threshold: self.failure_threshold,
            disable: self.disable.clone(),
            enable: self.enable.clone(),
            only: self.only.clone(),
            ..extra
        };
        if let Err(err) = config.apply_overrides(&overrides) {
            errors.extend(err.0.iter().map(|e| format!("command line: {e}")));
        }
        config
    }
}

/// The configuration found from `root` (or read from `explicit`), its warnings printed. A broken
/// configuration leaves the defaults in place and its errors in `errors`.
pub(super) fn load_config(
    root: &Path,
    explicit: Option<&Path>,
    errors: &mut Vec<String>,
) -> Config {
    let config = match Config::load(root, explicit) {
        Ok(config) => config,
        Err(err) => {
            errors.extend(err.0.iter().map(|e| format!("configuration: {e}")));
            Config::default()
        }
    };
    for warning in config.warnings() {
        eprintln!("portcullis: warning: {warning}");
    }
    config
}
