//! `portcullis scan`: images in, package inventory and reports out.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;

use super::output::{self, ColorChoice};
use super::Outcome;
use crate::dockerfile::{self, Dockerfile};
use crate::finding::{Engine, EngineRun, Report, Target};
use crate::image::catalog::{language_catalogers, os_catalogers, Cataloger};
use crate::image::reference::ImageSource;
use crate::image::scan::inventory;
use crate::image::scanned::ScannedImage;
use crate::image::source::registry::Credentials;
use crate::image::source::{open_with, Platform, SourceOptions};
use crate::report::OutputSpec;

const AFTER_HELP: &str = "\
Image references:
  docker-archive:PATH            a `docker save` tarball
  oci:DIR[:TAG|@DIGEST]          an OCI image layout directory
  oci-archive:PATH[:TAG]         a tar of an OCI image layout
  docker:NAME  podman:NAME       an image in the local engine (exported through its API)
  registry:NAME  or  NAME[:TAG|@DIGEST]   pulled from a registry (credentials from
                                 ~/.docker/config.json, credential helpers, or --username)

Examples:
  portcullis scan docker-archive:app.tar -f sbom-cyclonedx=sbom.json
  portcullis scan registry.example.com/team/app:1.4 --platform linux/arm64 -f json
  portcullis scan oci:build/image --dockerfile Dockerfile";

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct ScanArgs {
    /// Images to scan (see the reference syntax below).
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,

    /// Report format, optionally with a file: `text` (the inventory), `json`, `sbom-cyclonedx`,
    /// `sarif`, `junit`, or `FMT=PATH`. Repeatable. Default: text to stdout.
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

    /// When to use colour in the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: ScanArgs) -> anyhow::Result<Outcome> {
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
    let dockerfile = load_dockerfile(args.dockerfile.as_deref(), &mut errors);

    let mut catalogers = os_catalogers();
    catalogers.extend(language_catalogers());
    let catalogers: Vec<&dyn Cataloger> = catalogers.iter().map(|c| c.as_ref()).collect();

    let mut run = EngineRun::new(Engine::Image);
    let mut images = Vec::new();
    let progress = output::spinner();
    for reference in &args.images {
        progress.set_message(format!("scanning {reference}"));
        let scanned = ImageSource::parse(reference)
            .and_then(|source| open_with(&source, &options))
            .and_then(|image| inventory(image, &catalogers));
        let error = match scanned {
            Ok(inventory) => {
                let dockerfile = dockerfile.as_ref().map(|(p, f)| (p.as_path(), f));
                images.push(ScannedImage::new(inventory, dockerfile));
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

    let outcome = if errors.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Incomplete
    };
    let mut report = Report {
        runs: vec![run],
        exit_code: outcome.exit_code(),
        errors,
        command_line: output::command_line(),
        failure_threshold: None,
        images,
    };
    Ok(output::write_reports(
        &args.formats,
        args.color,
        &mut report,
        outcome,
    ))
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
