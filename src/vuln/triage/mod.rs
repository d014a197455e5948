//! What users said to leave out: `--ignore-unfixed`, `.portcullis-ignore.toml`, `.trivyignore`
//! and OpenVEX documents.
//!
//! SKELETON: the types are final; loading and matching are filled in by the triage work.

use serde::Serialize;

/// One matched vulnerability as triage sees it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The vulnerability's primary id and all its aliases (`CVE-…`, `GHSA-…`, `DEBIAN-…`).
    pub ids: &'a [String],
    pub package_name: &'a str,
    pub package_version: &'a str,
    /// The package's purl, with version and qualifiers.
    pub purl: &'a str,
    /// Paths inside the image of the files that prove the package is installed.
    pub paths: &'a [String],
    /// Whether a fixed version exists.
    pub has_fix: bool,
    /// How the image is known: the reference as given, manifest digest, `pkg:oci/…` purl.
    pub image_ids: &'a [String],
}

/// Why a vulnerability is left out of the findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Suppression {
    /// `--ignore-unfixed` and no fixed version exists.
    Unfixed,
    /// An entry of an ignore file; `source` is `FILE:LINE`.
    Ignored {
        source: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An OpenVEX statement with status `not_affected` or `fixed`.
    Vex {
        source: String,
        status: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        justification: Option<String>,
    },
}

/// Everything loaded from the command line and the ignore files.
#[derive(Debug, Default)]
pub struct Triage {
    pub ignore_unfixed: bool,
}

impl Triage {
    /// Why `candidate` is suppressed, or `None` when it is reported.
    pub fn verdict(&self, candidate: &Candidate<'_>) -> Option<Suppression> {
        (self.ignore_unfixed && !candidate.has_fix).then_some(Suppression::Unfixed)
    }
}
