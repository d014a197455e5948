//! Reporters: turn a [`Report`] into bytes, one module per output format.
//!
//! Reporters only read the data model in [`crate::finding`]; they know nothing about
//! Dockerfiles, images or runtimes. The CLI picks formats with `--format FMT[=PATH]`
//! ([`OutputSpec`]) and calls [`render`] once per requested output.

mod cyclonedx;
mod cyclonedx_vulnerabilities;
mod gitlab_codequality;
mod gitlab_container_scanning;
mod inventory;
mod json;
mod junit;
mod markdown;
mod sarif;
mod sarif_vulnerabilities;
mod source;
mod summary;
mod text;

#[cfg(test)]
pub(crate) mod fixture;

/// The first line of the Markdown summary: annotators find their earlier comment by it.
pub use markdown::MARKER as SUMMARY_MARKER;

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;
use std::str::FromStr;

use crate::finding::Report;

#[cfg(test)]
pub(crate) use fixture::test_fixture;

/// The tool name every machine-readable format carries.
pub const TOOL_NAME: &str = "portcullis";
/// Where users learn about the tool (SARIF `informationUri`).
pub const INFORMATION_URI: &str = "https://github.com/portcullis-security/portcullis";

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The human view, like rustc or ruff.
    Text,
    /// Our own versioned machine interface (`docs/json-format.md`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and Jenkins Warnings NG.
    Sarif,
    /// JUnit XML (the Jenkins `junit-10.xsd` dialect), for GitLab and Jenkins test widgets.
    Junit,
    /// CycloneDX 1.5 JSON: the package inventory of scanned images, with vulnerabilities.
    SbomCyclonedx,
    /// GitLab container-scanning report (schema 15.2.1): known vulnerabilities of images.
    GitlabContainerScanning,
    /// GitLab Code Quality (a Code Climate subset): findings and located vulnerabilities, for
    /// the merge-request widget every tier shows.
    GitlabCodequality,
    /// A Markdown summary for pull-request comments and CI job summaries.
    Markdown,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::SbomCyclonedx,
        Format::GitlabContainerScanning,
        Format::GitlabCodequality,
        Format::Markdown,
    ];

    /// The name used on the command line; multi-word names are kebab-case.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::SbomCyclonedx => "sbom-cyclonedx",
            Format::GitlabContainerScanning => "gitlab-container-scanning",
            Format::GitlabCodequality => "gitlab-codequality",
            Format::Markdown => "markdown",
        }
    }

    /// Whether the format can use colour (only the human view does).
    pub fn supports_color(self) -> bool {
        matches!(self, Format::Text)
    }

    fn valid_names() -> String {
        Format::ALL.map(Format::as_str).join(", ")
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a `--format` value was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("unknown format `{given}` (valid formats: {valid})", valid = Format::valid_names())]
    Unknown { given: String },
    #[error("missing path after `=` in `{given}` (write `FMT` for standard output or `FMT=PATH`)")]
    EmptyPath { given: String },
}

impl FromStr for Format {
    type Err = FormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| FormatError::Unknown {
                given: s.to_owned(),
            })
    }
}

/// One requested output: `FMT` (standard output) or `FMT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: Format,
    /// `None` means standard output; `FMT=-` means the same.
    pub path: Option<PathBuf>,
}

impl FromStr for OutputSpec {
    type Err = FormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, path) = match s.split_once('=') {
            Some((name, path)) => (name, Some(path)),
            None => (s, None),
        };
        let format = name.parse::<Format>().map_err(|_| FormatError::Unknown {
            given: name.to_owned(),
        })?;
        let path = match path {
            None | Some("-") => None,
            Some("") => {
                return Err(FormatError::EmptyPath {
                    given: s.to_owned(),
                })
            }
            Some(path) => Some(PathBuf::from(path)),
        };
        Ok(OutputSpec { format, path })
    }
}

impl fmt::Display for OutputSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}={}", self.format, path.display()),
            None => write!(f, "{}", self.format),
        }
    }
}

/// What a reporter needs besides the report itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Use ANSI colours (text only). The CLI decides: a terminal, and `NO_COLOR` unset.
    pub color: bool,
    /// Written into SARIF `tool.driver.version`, JSON `tool.version` and the JUnit properties.
    pub tool_version: &'static str,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            tool_version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// Writes `report` to `out` in `format`. The output ends with a newline.
pub fn render(
    format: Format,
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, options, out),
        Format::Json => json::render(report, options, out),
        Format::Sarif => sarif::render(report, options, out),
        Format::Junit => junit::render(report, options, out),
        Format::SbomCyclonedx => cyclonedx::render(report, options, out),
        Format::GitlabContainerScanning => gitlab_container_scanning::render(report, options, out),
        Format::GitlabCodequality => gitlab_codequality::render(report, options, out),
        Format::Markdown => markdown::render(report, options, out),
    }
}

/// [`render`] into a string, for tests and callers that post-process the output.
pub fn render_to_string(format: Format, report: &Report, options: &RenderOptions) -> String {
    let mut buf = Vec::new();
    render(format, report, options, &mut buf).expect("writing to a Vec cannot fail");
    String::from_utf8(buf).expect("reporters write UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_through_their_names() {
        for format in Format::ALL {
            assert_eq!(format.to_string().parse::<Format>(), Ok(format));
        }
        assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
    }

    #[test]
    fn unknown_format_names_the_valid_ones() {
        let err = "xml".parse::<OutputSpec>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown format `xml` (valid formats: text, json, sarif, junit, sbom-cyclonedx, gitlab-container-scanning, gitlab-codequality, markdown)"
        );
        let err = "xml=out.xml".parse::<OutputSpec>().unwrap_err();
        assert!(
            err.to_string().starts_with("unknown format `xml` "),
            "{err}"
        );
    }

    #[test]
    fn output_specs_parse_with_and_without_a_path() {
        assert_eq!(
            "sarif".parse(),
            Ok(OutputSpec {
                format: Format::Sarif,
                path: None
            })
        );
        assert_eq!(
            "junit=reports/junit.xml".parse(),
            Ok(OutputSpec {
                format: Format::Junit,
                path: Some(PathBuf::from("reports/junit.xml"))
            })
        );
        // Only the first `=` separates: paths may contain more.
        assert_eq!(
            "json=a=b.json".parse::<OutputSpec>().unwrap().path,
            Some(PathBuf::from("a=b.json"))
        );
        assert_eq!("text=-".parse::<OutputSpec>().unwrap().path, None);
        assert_eq!(
            "json=".parse::<OutputSpec>(),
            Err(FormatError::EmptyPath {
                given: "json=".into()
            })
        );
    }

    #[test]
    fn output_specs_display_as_they_are_written() {
        for spec in ["text", "sarif=out/portcullis.sarif"] {
            assert_eq!(spec.parse::<OutputSpec>().unwrap().to_string(), spec);
        }
    }

    #[test]
    fn every_format_ends_with_a_newline() {
        let report = test_fixture();
        for format in Format::ALL {
            let out = render_to_string(format, &report, &fixture::options());
            assert!(out.ends_with('\n'), "{format} output lacks a final newline");
            assert!(!out.contains('\x1b'), "{format} output has ANSI codes");
        }
    }
}
