//! `portcullis init`: write a `.portcullis.toml`, optionally converted from `.hadolint.yaml`.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;

use super::Outcome;
use crate::config::convert::hadolint_to_toml;

/// A starting configuration: every setting at its default, commented.
const STARTER: &str = r#"# Portcullis configuration. Rule ids may be codes (PC1001), names (root-user) or upstream
# ids (DL3008, DS-0002, CKV_DOCKER_3). `portcullis rules` lists them all.

# Lowest severity that fails the run: error, warning, info, style or none.
failure-threshold = "info"

[rules]
disable = []
enable = []
# inline-suppressions = true   # false: `# portcullis ignore=` comments do nothing

# [rules.severity]
# DL3008 = "error"

[dockerfile]
# Registries base images may come from (`*.example.com` and `*` allowed); enables PC3002.
trusted-registries = []
require-digest = false
# Labels every image must carry: text, url, semver, hash, rfc3339, spdx or email.
# label-schema = { "org.opencontainers.image.source" = "url" }
# strict-labels = false
"#;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Convert a hadolint configuration. Without a path, `.hadolint.yaml` or
    /// `.hadolint.yml` in the current directory.
    #[arg(long, value_name = "PATH", num_args = 0..=1)]
    pub from_hadolint: Option<Option<PathBuf>>,

    /// Where to write the configuration; `-` prints it.
    #[arg(short, long, value_name = "PATH", default_value = ".portcullis.toml")]
    pub output: PathBuf,

    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: InitArgs) -> anyhow::Result<Outcome> {
    let text = match &args.from_hadolint {
        None => STARTER.to_owned(),
        Some(path) => {
            let path = match path {
                Some(path) => path.clone(),
                None => [".hadolint.yaml", ".hadolint.yml"]
                    .iter()
                    .map(PathBuf::from)
                    .find(|p| p.is_file())
                    .context(
                        "no .hadolint.yaml or .hadolint.yml in the current directory: \
                         give its path, `--from-hadolint PATH`",
                    )?,
            };
            let yaml = std::fs::read_to_string(&path).with_context(|| {
                format!(
                    "cannot read {} (give the hadolint file with --from-hadolint PATH)",
                    path.display()
                )
            })?;
            hadolint_to_toml(&path, &yaml).map_err(|errors| {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                anyhow::anyhow!(
                    "{}\nnothing was written: fix {} and run `portcullis init --from-hadolint` again",
                    lines.join("\n"),
                    path.display()
                )
            })?
        }
    };
    if args.output.as_os_str() == "-" {
        print!("{text}");
        return Ok(Outcome::Clean);
    }
    if args.output.exists() && !args.force {
        bail!(
            "{} already exists: pass --force to overwrite it, or -o - to print the configuration",
            args.output.display()
        );
    }
    std::fs::write(&args.output, text).with_context(|| {
        format!(
            "cannot write {} (check that its directory exists and is writable, or use -o - to print the configuration)",
            args.output.display()
        )
    })?;
    eprintln!("portcullis: wrote {}", args.output.display());
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, LoadOptions};

    #[test]
    fn the_starter_file_is_a_valid_configuration() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".portcullis.toml"), STARTER).unwrap();
        let config = Config::load_with(&LoadOptions {
            cwd: Some(dir.path()),
            ..LoadOptions::new(dir.path())
        })
        .unwrap();
        assert_eq!(config.sources().len(), 1);
        assert!(config.warnings().is_empty());
    }
}
