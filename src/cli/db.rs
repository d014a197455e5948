//! `portcullis db`: download OSV data (`update`) and show what is there (`status`).

use std::io::Write;
use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::Outcome;
use crate::vuln::db::{
    default_dir, human_age, update_each, Database, DbError, EcosystemStatus, EcosystemUpdate,
    SourceKind, UpdateOptions, Updated, DEFAULT_BASE_URL, DEFAULT_ECOSYSTEMS,
};

const AFTER_HELP: &str = "\
The database caches OSV data (osv.dev) as one index per ecosystem, in $PORTCULLIS_DB_DIR, else
$XDG_CACHE_HOME/portcullis/db, else ~/.cache/portcullis/db. Scans download the ecosystems an
image needs on first use; `db update` refreshes them.

Examples:
  portcullis db update                       refresh every ecosystem already downloaded
  portcullis db update Debian PyPI 'Red Hat' add or refresh these ecosystems
  portcullis db update --db-base-url https://osv-mirror.example.com/osv
                                             from a mirror of the OSV bucket
  portcullis db status                       ecosystems, advisories, age, source
  portcullis db status --db ./osv-records    a directory of OSV records (air-gapped use)

Exit codes: 0 done; 2 incomplete (an ecosystem could not be updated: the others were, and the
failed ones keep their previous data).";

const UPDATE_HELP: &str = "\
Each ecosystem's export (<URL>/<ECOSYSTEM>/all.zip) is downloaded only when it changed (the
request carries the ETag and date of the data in use), an interrupted download resumes where it
stopped, and the new index is swapped in only once it is complete: a failed update leaves the
previous data usable.

Examples:
  portcullis db update
  portcullis db update Go crates.io --db ./ci-cache/osv
  PORTCULLIS_DB_BASE_URL=https://osv-mirror.example.com portcullis db update Alpine

Exit codes: 0 every ecosystem current; 2 some could not be updated (they keep their previous
data; the message says why and what to do).";

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Download or refresh OSV data, per ecosystem.
    #[command(after_help = UPDATE_HELP)]
    Update(UpdateArgs),
    /// Show the ecosystems in the database: advisories, age, source.
    Status(StatusArgs),
}

/// `--db DIR`, for every command that reads the database.
#[derive(Debug, Clone, Args)]
pub struct DbDirArg {
    /// The vulnerability database directory (default: $PORTCULLIS_DB_DIR, else
    /// $XDG_CACHE_HOME/portcullis/db, else ~/.cache/portcullis/db). Any directory of OSV
    /// records (JSON, YAML, all.zip exports) works too.
    #[arg(long = "db", value_name = "DIR")]
    pub db: Option<PathBuf>,
}

impl DbDirArg {
    pub fn dir(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(default_dir)
    }
}

/// `--db DIR` and `--db-base-url URL`, for every command that may download.
#[derive(Debug, Clone, Args)]
pub struct DbSourceArgs {
    #[command(flatten)]
    pub location: DbDirArg,

    /// Download from this mirror of the OSV bucket; it must serve <URL>/<ECOSYSTEM>/all.zip.
    #[arg(
        long = "db-base-url",
        value_name = "URL",
        env = "PORTCULLIS_DB_BASE_URL",
        default_value = DEFAULT_BASE_URL
    )]
    pub base_url: String,
}

impl DbSourceArgs {
    /// Download options: progress bars on standard error when it is a terminal.
    pub fn update_options(&self) -> UpdateOptions {
        UpdateOptions {
            base_url: self.base_url.clone(),
            progress: true,
            ..UpdateOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Ecosystems to download, spelled as OSV does (Debian, Alpine, PyPI, npm, Go, crates.io,
    /// Maven, 'Red Hat'…). Default: those already in the database, or when it is empty a
    /// default set covering what scans find.
    #[arg(value_name = "ECOSYSTEM")]
    pub ecosystems: Vec<String>,

    #[command(flatten)]
    pub source: DbSourceArgs,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub location: DbDirArg,

    /// `text` (a table) or `json`.
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Text,
    Json,
}

pub fn run(args: DbArgs) -> anyhow::Result<Outcome> {
    match args.command {
        DbCommand::Update(args) => update(args),
        DbCommand::Status(args) => status(args),
    }
}

fn update(args: UpdateArgs) -> anyhow::Result<Outcome> {
    let dir = args.source.location.dir();
    let options = args.source.update_options();
    if args.ecosystems.is_empty() && !has_indexes(&dir) {
        eprintln!(
            "portcullis: {} has no data yet: downloading {}",
            dir.display(),
            DEFAULT_ECOSYSTEMS.join(", ")
        );
    }
    let mut out = std::io::stdout().lock();
    let summary = update_each(&dir, &args.ecosystems, &options, |update| {
        // A closed stdout (`| head`) must not stop the update.
        let _ = writeln!(out, "{}", update_line(update)).and_then(|()| out.flush());
        match &update.result {
            Err(error) => eprintln!("portcullis: error: {}: {error}", update.ecosystem),
            Ok(Updated::Downloaded { skipped, .. }) if *skipped > 0 => eprintln!(
                "portcullis: warning: {}: {skipped} records could not be read as OSV and are \
                 not checked (`portcullis db status` lists the first ones)",
                update.ecosystem
            ),
            Ok(_) => {}
        }
    })?;
    let failed = summary
        .ecosystems
        .iter()
        .filter(|e| e.result.is_err())
        .count();
    let total = summary.ecosystems.len();
    let _ = writeln!(
        out,
        "{} of {total} ecosystem{} current in {}",
        total - failed,
        if total == 1 { "" } else { "s" },
        dir.display()
    );
    Ok(if summary.is_complete() {
        Outcome::Clean
    } else {
        Outcome::Incomplete
    })
}

/// Whether `dir` holds any index already (decides the "downloading the default set" note).
fn has_indexes(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().ends_with(".sqlite"))
    })
}

/// `Go           4,291 advisories  downloaded 2.1 MiB in 1.3 s (resumed at 1.0 MiB)`.
fn update_line(update: &EcosystemUpdate) -> String {
    let what = match &update.result {
        Ok(Updated::Downloaded {
            advisories,
            bytes,
            resumed_from,
            elapsed,
            ..
        }) => {
            let resumed = resumed_from
                .map(|at| format!(" (resumed at {})", indicatif::HumanBytes(at)))
                .unwrap_or_default();
            format!(
                "{:>9} advisories  downloaded {} in {}{resumed}",
                thousands(*advisories),
                indicatif::HumanBytes(*bytes),
                crate::http::seconds(*elapsed)
            )
        }
        Ok(Updated::NotModified { advisories }) => {
            format!("{:>9} advisories  unchanged", thousands(*advisories))
        }
        Err(_) => format!("{:>9}             not updated (see the error)", "-"),
    };
    format!("{:<14} {what}", update.ecosystem)
}

fn status(args: StatusArgs) -> anyhow::Result<Outcome> {
    let dir = args.location.dir();
    let database = match Database::open(&dir) {
        Ok(database) => Some(database),
        Err(DbError::Missing { .. }) => None,
        Err(error) => return Err(error.into()),
    };
    let ecosystems = database.as_ref().map(Database::status).unwrap_or_default();
    let warnings = database
        .as_ref()
        .map(|d| d.warnings().to_vec())
        .unwrap_or_default();
    let now = SystemTime::now();
    let text = match args.format {
        StatusFormat::Json => {
            #[derive(Serialize)]
            struct Entry<'a> {
                #[serde(flatten)]
                status: &'a EcosystemStatus,
                age_seconds: u64,
            }
            #[derive(Serialize)]
            struct Status<'a> {
                dir: &'a std::path::Path,
                ecosystems: Vec<Entry<'a>>,
                warnings: &'a [String],
            }
            let report = Status {
                dir: &dir,
                ecosystems: ecosystems
                    .iter()
                    .map(|status| Entry {
                        status,
                        age_seconds: status.age(now).as_secs(),
                    })
                    .collect(),
                warnings: &warnings,
            };
            serde_json::to_string_pretty(&report)? + "\n"
        }
        StatusFormat::Text => {
            for warning in &warnings {
                eprintln!("portcullis: warning: {warning}");
            }
            status_table(&dir, &ecosystems, now)
        }
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(err).context("writing the database status")
        }
        _ => Ok(Outcome::Clean),
    }
}

fn status_table(dir: &std::path::Path, ecosystems: &[EcosystemStatus], now: SystemTime) -> String {
    if ecosystems.is_empty() {
        return format!(
            "No vulnerability data in {}.\nRun `portcullis db update` to download it (or \
             `portcullis db update ECOSYSTEM…` for some ecosystems), or place OSV records \
             (JSON, YAML, all.zip exports) there.\n",
            dir.display()
        );
    }
    let width = ecosystems
        .iter()
        .map(|s| s.ecosystem.len())
        .max()
        .unwrap_or(0)
        .max("ECOSYSTEM".len());
    let mut text = format!("Vulnerability database: {}\n\n", dir.display());
    text.push_str(&format!(
        "{:<width$}  {:>10}  {:>6}  SOURCE\n",
        "ECOSYSTEM", "ADVISORIES", "AGE"
    ));
    for status in ecosystems {
        let source = match status.kind {
            SourceKind::Index => status.source.clone(),
            SourceKind::Directory => format!("files in {}", status.source),
        };
        let skipped = if status.skipped > 0 {
            format!(" ({} unreadable records skipped)", status.skipped)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "{:<width$}  {:>10}  {:>6}  {source}{skipped}\n",
            status.ecosystem,
            thousands(status.advisories),
            human_age(status.age(now)),
        ));
    }
    text
}

/// `12345` → `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn an_empty_database_says_how_to_fill_it() {
        let text = status_table(std::path::Path::new("/tmp/x"), &[], SystemTime::now());
        assert!(text.contains("portcullis db update"), "{text}");
    }
}
