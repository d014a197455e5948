//! The label schema: labels every image must carry, each with the kind of value it holds
//! (hadolint's `label-schema` and `strict-labels`).

use std::fmt;
use std::str::FromStr;

/// What a label's value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelType {
    /// Anything, as long as it is not empty.
    Text,
    /// An absolute URI (`https://…`).
    Url,
    /// A Semantic Versioning 2.0 version.
    Semver,
    /// A full git commit id: 40 (SHA-1) or 64 (SHA-256) hex digits.
    Hash,
    /// An RFC 3339 timestamp (`2024-05-01T12:00:00Z`).
    Rfc3339,
    /// An SPDX license expression (`Apache-2.0 OR MIT`).
    Spdx,
    /// An e-mail address.
    Email,
}

impl LabelType {
    pub const NAMES: &'static [&'static str] =
        &["text", "url", "semver", "hash", "rfc3339", "spdx", "email"];

    pub fn as_str(self) -> &'static str {
        match self {
            LabelType::Text => "text",
            LabelType::Url => "url",
            LabelType::Semver => "semver",
            LabelType::Hash => "hash",
            LabelType::Rfc3339 => "rfc3339",
            LabelType::Spdx => "spdx",
            LabelType::Email => "email",
        }
    }
}

impl FromStr for LabelType {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        Ok(match value.trim().to_ascii_lowercase().as_str() {
            "text" => LabelType::Text,
            "url" => LabelType::Url,
            "semver" => LabelType::Semver,
            "hash" => LabelType::Hash,
            "rfc3339" => LabelType::Rfc3339,
            "spdx" => LabelType::Spdx,
            "email" => LabelType::Email,
            other => {
                return Err(format!(
                    "`{other}` is not a label type (expected one of {})",
                    LabelType::NAMES.join(", ")
                ))
            }
        })
    }
}

impl fmt::Display for LabelType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `NAME:TYPE`, as `--require-label` takes it (hadolint's syntax).
pub fn parse_required_label(value: &str) -> Result<(String, LabelType), String> {
    let (name, kind) = value
        .rsplit_once(':')
        .ok_or_else(|| format!("`{value}`: expected LABEL:TYPE, e.g. maintainer:email"))?;
    if name.trim().is_empty() {
        return Err(format!("`{value}`: the label name is empty"));
    }
    Ok((name.trim().to_owned(), kind.parse()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_parse_and_print() {
        for name in LabelType::NAMES {
            assert_eq!(name.parse::<LabelType>().unwrap().as_str(), *name);
        }
        assert_eq!("SemVer".parse::<LabelType>(), Ok(LabelType::Semver));
        assert!("date".parse::<LabelType>().unwrap_err().contains("rfc3339"));
    }

    #[test]
    fn required_labels_parse() {
        assert_eq!(
            parse_required_label("org.opencontainers.image.source:url"),
            Ok(("org.opencontainers.image.source".into(), LabelType::Url))
        );
        assert!(parse_required_label("maintainer").is_err());
        assert!(parse_required_label(":email").is_err());
        assert!(parse_required_label("x:colour").is_err());
    }
}
