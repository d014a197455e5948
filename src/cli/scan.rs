//! `portcullis scan`: images in, package inventory and reports out.

use std::io::Read;
use std::path::{Path, PathBuf};

use std::time::Duration;

use anyhow::Context as _;
use clap::Args;

use super::db::DbSourceArgs;
use super::output::{self, ColorChoice};
use super::Outcome;
use crate::config::ImageSettings;
use crate::dockerfile::{self, Dockerfile};
use crate::finding::{Engine, EngineRun, Report, Target};
use crate::image::catalog::{language_catalogers, os_catalogers, Cataloger};
use crate::image::hygiene;
use crate::image::hygiene::reference::CONTENT_TRUST_VARIABLE;
use crate::image::layers::Limits;
use crate::image::reference::ImageSource;
use crate::image::scan::inventory_with_secrets;
use crate::image::scanned::ScannedImage;
use crate::image::secrets::{self, builtin_rules, SecretScanner};
use crate::image::source::registry::Credentials;
use crate::image::source::{open_with, Platform, SourceOptions};
use crate::report::OutputSpec;
use crate::timestamp::Date;
use crate::vuln::assess::{self, Policy};
use crate::vuln::db;
use crate::vuln::severity::Level;
use crate::vuln::triage::{Triage, TriageOptions};

const AFTER_HELP: &str = "\
Image references:
  docker-archive:PATH            a `docker save` tarball
  oci:DIR[:TAG|@DIGEST]          an OCI image layout directory
  oci-archive:PATH[:TAG]         a tar of an OCI image layout
  docker:NAME  podman:NAME       an image in the local engine (exported through its API)
  registry:NAME  or  NAME[:TAG|@DIGEST]   pulled from a registry (credentials from
                                 ~/.docker/config.json, credential helpers, or --username)

Vulnerability data comes from OSV. The first scan downloads the ecosystems the image needs
into the cache (`portcullis db status` shows it); `--offline --db DIR` uses only what is there.

Examples:
  portcullis scan docker-archive:app.tar -f sbom-cyclonedx=sbom.json
  portcullis scan app:1.4 --fail-on high -f sarif=image.sarif -f text
  portcullis scan app:1.4 -f gitlab-container-scanning=gl-container-scanning-report.json
  portcullis scan app:1.4 --offline --db ./osv-records --ignore-unfixed --vex app.vex.json
  portcullis scan registry.example.com/team/app:1.4 --platform linux/arm64 -f json
  portcullis scan oci:build/image --dockerfile Dockerfile";

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct ScanArgs {
    /// Images to scan (see the reference syntax below).
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,

    /// Report format, optionally with a file: `text`, `json`, `sarif`, `junit`,
    /// `gitlab-container-scanning`, `sbom-cyclonedx`, as `FMT` or `FMT=PATH`. Repeatable.
    /// Default: text to stdout.
    #[arg(short, long = "format", value_name = "FMT[=PATH]")]
    pub formats: Vec<OutputSpec>,

    /// Platform to pick from multi-platform images, `os/arch[/variant]` (default: Linux on
    /// this machine's architecture).
    #[arg(long, value_name = "OS/ARCH[/VARIANT]", value_parser = Platform::parse)]
    pub platform: Option<Platform>,

    /// The Dockerfile the image was built from: packages are then attributed to the line
    /// that added them. Default: ./Dockerfile when it exists and matches the image history.
    #[arg(long, value_name = "PATH")]
    pub dockerfile: Option<PathBuf>,

    /// Registry user name; the password is read from standard input (--password-stdin).
    #[arg(long, requires = "password_stdin")]
    pub username: Option<String>,

    /// Read the registry password from standard input.
    #[arg(long, requires = "username")]
    pub password_stdin: bool,

    /// Registry (HOST[:PORT]) to reach over plain HTTP. Repeatable.
    #[arg(long = "insecure-registry", value_name = "HOST")]
    pub insecure_registries: Vec<String>,

    /// Also check the layers of docker-archives and engine exports against their digests.
    /// Registry blobs and OCI layouts are always checked; a local archive's digests come from
    /// the same file as its layers, so this only catches corruption, at the cost of hashing.
    #[arg(long)]
    pub verify_digests: bool,

    /// Do not look for secrets (tokens, keys, passwords) in the layers' files and the image
    /// configuration.
    #[arg(long)]
    pub no_secrets: bool,

    /// When to use colour in the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Configuration file (.portcullis.toml): rules turned off or re-levelled, and the
    /// `[image]` settings (setuid allow-list, secret scan paths and rules). By default
    /// .portcullis.toml is searched upward from the current directory.
    #[arg(short, long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub vulns: VulnArgs,
}

/// Known-vulnerability options of `scan` (and later `check`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Vulnerabilities")]
pub struct VulnArgs {
    /// List packages only: do not match them against vulnerability data.
    #[arg(long)]
    pub no_vulns: bool,

    #[command(flatten)]
    pub source: DbSourceArgs,

    /// Never use the network for vulnerability data; ecosystems missing from the database
    /// make the run incomplete.
    #[arg(long)]
    pub offline: bool,

    /// Warn when the database is older than this (`36h`, `7d`).
    #[arg(long, value_name = "AGE", default_value = "7d", value_parser = parse_age)]
    pub db_max_age: Duration,

    /// Report only these severities (comma-separated: critical, high, medium, low,
    /// negligible, unknown).
    #[arg(long, value_name = "LEVELS", value_delimiter = ',')]
    pub severity: Vec<Level>,

    /// Exit with 1 when a reported vulnerability is at or above this severity.
    #[arg(long, value_name = "LEVEL")]
    pub fail_on: Option<Level>,

    /// Leave out vulnerabilities that have no fixed version yet.
    #[arg(long)]
    pub ignore_unfixed: bool,

    /// Ignore file (`.portcullis-ignore.toml` format, or `.trivyignore` lines). Repeatable.
    /// Both files are also picked up from the current directory when present.
    #[arg(long = "ignore-file", value_name = "FILE")]
    pub ignore_files: Vec<PathBuf>,

    /// OpenVEX document: `not_affected` and `fixed` statements suppress. Repeatable.
    #[arg(long = "vex", value_name = "FILE")]
    pub vex_files: Vec<PathBuf>,

    /// List suppressed vulnerabilities too, marked with why.
    #[arg(long)]
    pub show_suppressed: bool,
}

/// `36h`, `7d`, `90m` or plain seconds.
fn parse_age(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !c.is_ascii_digit())
        .map_or((text, "s"), |i| text.split_at(i));
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not an age (write e.g. 36h or 7d)"))?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(format!("unknown unit in `{text}` (use s, m, h, d or w)")),
    };
    Ok(Duration::from_secs(number * seconds))
}

pub fn run(args: ScanArgs) -> anyhow::Result<Outcome> {
    let started_at = std::time::SystemTime::now();
    let mut errors: Vec<String> = Vec::new();
    let mut options = SourceOptions {
        platform: args.platform.clone(),
        verify_archive_layers: args.verify_digests,
        ..SourceOptions::default()
    };
    options.registry.insecure_registries = args.insecure_registries.clone();
    if let Some(username) = &args.username {
        let mut password = String::new();
        std::io::stdin().read_to_string(&mut password)?;
        let password = password.trim_end_matches(['\n', '\r']);
        options.registry.credentials = Some(Credentials::new(username.clone(), password));
    }
    let config = super::policy::load_config(Path::new("."), args.config.as_deref(), &mut errors);
    let settings = ScanSettings::from_config(config.image(), !args.no_secrets, &mut errors);
    let scan = scan_images_with(
        &args.images,
        &options,
        args.dockerfile.as_deref(),
        &args.vulns,
        &settings,
    );
    errors.extend(scan.errors);
    let (mut run, images, fails) = (scan.run, scan.images, scan.fails);
    super::runtime::apply_policy(&mut run, &config);

    let outcome = Outcome::of(!errors.is_empty(), fails);
    let mut report = Report {
        runs: vec![run],
        exit_code: outcome.exit_code(),
        errors,
        command_line: output::command_line(),
        failure_threshold: None,
        images,
        started_at: Some(started_at),
    };
    Ok(output::write_reports(
        &args.formats,
        args.color,
        &mut report,
        outcome,
    ))
}

/// What scanning images produced: one image run (a target per reference), the scanned
/// images, what made the scan incomplete, and whether vulnerabilities reach `--fail-on`.
pub(crate) struct ImageScan {
    pub run: EngineRun,
    pub images: Vec<ScannedImage>,
    pub errors: Vec<String>,
    pub fails: bool,
}

/// What the configuration and the environment change in an image scan.
pub(crate) struct ScanSettings {
    /// The secret scanner; `None` with `--no-secrets`.
    pub secrets: Option<SecretScanner>,
    pub hygiene: hygiene::Settings,
    /// `DOCKER_CONTENT_TRUST` in the scan's environment (CIS-DI-0005).
    pub content_trust: Option<String>,
}

impl ScanSettings {
    /// The settings of `[image]`; a bad value is an error in `errors` and its default is used.
    pub fn from_config(image: &ImageSettings, secrets: bool, errors: &mut Vec<String>) -> Self {
        let hygiene = image.hygiene();
        let secrets = secrets.then(|| {
            image.secret_scanner().unwrap_or_else(|e| {
                errors.push(format!("configuration: {e}"));
                SecretScanner::new(builtin_rules())
            })
        });
        ScanSettings {
            secrets,
            hygiene,
            content_trust: std::env::var(CONTENT_TRUST_VARIABLE).ok(),
        }
    }
}

/// Scans `references` (package inventory, then known vulnerabilities unless `--no-vulns`),
/// attributing layers to `dockerfile` (or a matching `./Dockerfile`), with the hygiene and
/// secret settings of `settings`. An image that cannot be opened is an error for that image;
/// the others are still scanned. Warnings go to stderr.
pub(crate) fn scan_images_with(
    references: &[String],
    options: &SourceOptions,
    dockerfile: Option<&Path>,
    vulns: &VulnArgs,
    settings: &ScanSettings,
) -> ImageScan {
    let mut errors: Vec<String> = Vec::new();
    let dockerfile = load_dockerfile(dockerfile, &mut errors);

    let mut catalogers = os_catalogers();
    catalogers.extend(language_catalogers());
    let catalogers: Vec<&dyn Cataloger> = catalogers.iter().map(|c| c.as_ref()).collect();
    let scanner = settings.secrets.as_ref();

    let mut run = EngineRun::new(Engine::Image);
    let mut images = Vec::new();
    let progress = output::spinner();
    for reference in references {
        progress.set_message(format!("scanning {reference}"));
        let scanned = ImageSource::parse(reference)
            .and_then(|source| open_with(&source, options))
            .and_then(|image| {
                inventory_with_secrets(image, &catalogers, &Limits::default(), scanner)
            });
        let error = match scanned {
            Ok(mut inventory) => {
                // Hygiene needs the file tree, which the summary drops.
                let mut hygiene =
                    hygiene::check_with(&inventory.metadata, &inventory.files, &settings.hygiene);
                hygiene.append(&mut inventory.deleted_sensitive);
                hygiene.extend(hygiene::reference::check(
                    reference,
                    settings.content_trust.as_deref(),
                ));
                let layer_secrets = std::mem::take(&mut inventory.secrets);
                let config_secrets = scanner
                    .map(|s| secrets::image::config_secrets(s, &inventory.metadata))
                    .unwrap_or_default();
                let dockerfile = dockerfile.as_ref().map(|(p, f)| (p.as_path(), f));
                let image = ScannedImage::new(inventory, dockerfile);
                run.findings.extend(hygiene::findings(&image, hygiene));
                run.findings.extend(secrets::image::findings(
                    &image,
                    &layer_secrets,
                    &config_secrets,
                ));
                images.push(image);
                None
            }
            Err(err) => Some(err.to_string()),
        };
        errors.extend(error.clone());
        run.targets.push(Target {
            path: PathBuf::from(reference),
            source: None,
            rules: Vec::new(),
            error,
        });
    }
    progress.finish_and_clear();

    let mut fails = false;
    if !vulns.no_vulns && !images.is_empty() {
        match find_vulnerabilities(&mut images, vulns) {
            Ok(checked) => {
                for warning in checked.warnings {
                    eprintln!("portcullis: warning: {warning}");
                }
                errors.extend(checked.errors);
                fails = vulns
                    .fail_on
                    .is_some_and(|level| assess::fails(&images, level));
            }
            Err(err) => errors.push(format!("{err:#}")),
        }
    }
    ImageScan {
        run,
        images,
        errors,
        fails,
    }
}

/// Opens (downloading what is missing) the vulnerability database and matches every image.
/// An error means no image got vulnerability results.
fn find_vulnerabilities(images: &mut [ScannedImage], args: &VulnArgs) -> anyhow::Result<Checked> {
    let triage = Triage::load(&TriageOptions {
        ignore_unfixed: args.ignore_unfixed,
        ignore_files: args.ignore_files.clone(),
        discover_in: Some(PathBuf::from(".")),
        vex_files: args.vex_files.clone(),
        today: Date::today(),
    })?;
    let mut warnings: Vec<String> = triage.warnings().to_vec();
    let policy = Policy {
        severities: (!args.severity.is_empty()).then(|| args.severity.clone()),
        triage,
        show_suppressed: args.show_suppressed,
    };
    let dir = args.source.location.dir();
    let options = args.source.update_options();
    let needed = assess::needed_ecosystems(images);
    let (database, db_warnings) =
        db::prepare_for_scan(&dir, &needed, args.offline, args.db_max_age, &options)?;
    // An ecosystem without data leaves its packages unchecked: the run is incomplete, and
    // the database's warning says why (offline, download failed…).
    let mut errors: Vec<String> = Vec::new();
    for warning in db_warnings {
        let unchecked = needed.iter().any(|base| {
            !database.has_ecosystem(base)
                && warning.contains(&format!("{base} packages were not checked"))
        });
        if unchecked {
            errors.push(warning);
        } else {
            warnings.push(warning);
        }
    }
    for base in needed.iter().filter(|base| !database.has_ecosystem(base)) {
        if !errors
            .iter()
            .any(|e| e.contains(&format!("{base} packages were not checked")))
        {
            errors.push(format!(
                "{base} packages were not checked: the vulnerability database at {} has no {base} data (run `portcullis db update {base}`)",
                dir.display()
            ));
        }
    }
    for image in images.iter_mut() {
        assess::assess(image, &database, &policy)
            .with_context(|| format!("matching the packages of {}", image.reference))?;
    }
    Ok(Checked { warnings, errors })
}

/// What vulnerability matching had to say besides its results.
struct Checked {
    warnings: Vec<String>,
    /// Ecosystems that could not be checked: the run is incomplete.
    errors: Vec<String>,
}

/// The Dockerfile for attribution: the one given (an error if unreadable), else `./Dockerfile`
/// when present. Attribution checks the image history against it, so a Dockerfile that did
/// not build the image attributes nothing rather than something wrong.
fn load_dockerfile(
    explicit: Option<&Path>,
    errors: &mut Vec<String>,
) -> Option<(PathBuf, Dockerfile)> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => PathBuf::from("Dockerfile"),
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Some((path, dockerfile::parse(&text))),
        Err(err) if explicit.is_some() => {
            errors.push(format!(
                "cannot read the Dockerfile {}: {err}",
                path.display()
            ));
            None
        }
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_take_a_unit_or_mean_seconds() {
        assert_eq!(parse_age("36h"), Ok(Duration::from_secs(36 * 3600)));
        assert_eq!(parse_age("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_age("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_age("2w"), Ok(Duration::from_secs(14 * 86_400)));
        assert!(parse_age("7y").unwrap_err().contains("use s, m, h, d or w"));
        assert!(parse_age("d").unwrap_err().contains("is not an age"));
    }
}
