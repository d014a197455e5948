//! Why an ignore file or VEX document could not be used. Every message names the file (and the
//! line when known) and says what to change, since the user has to go and edit it.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum TriageError {
    /// The file could not be read at all.
    #[error("cannot read {what} {}: {source} (check the path, or remove the option that names it)", path.display())]
    Read {
        /// `ignore file` or `VEX document`.
        what: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// `.portcullis-ignore.toml`: bad TOML, an unknown key, a missing or invalid value.
    #[error("{}:{line}: {message}", path.display())]
    IgnoreFile {
        path: PathBuf,
        line: usize,
        message: String,
    },

    /// `.trivyignore`: a line that cannot be read.
    #[error("{}:{line}: {message}", path.display())]
    TrivyIgnore {
        path: PathBuf,
        line: usize,
        message: String,
    },

    /// The VEX document is not JSON.
    #[error("{}:{line}:{column}: not valid JSON ({message}); an OpenVEX document must be a JSON object with a `statements` array", path.display())]
    VexJson {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// The VEX document is JSON but not OpenVEX as we can use it.
    #[error("{}: {message}", path.display())]
    Vex { path: PathBuf, message: String },
}

/// The 1-based line of byte `offset` in `text`.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        let text = "a\nbb\nccc";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 2), 2);
        assert_eq!(line_of(text, 5), 3);
        assert_eq!(line_of(text, 999), 3);
    }

    #[test]
    fn messages_name_the_file() {
        let err = TriageError::Read {
            what: "ignore file",
            path: "ci/.trivyignore".into(),
            source: io::Error::from(io::ErrorKind::NotFound),
        };
        let message = err.to_string();
        assert!(
            message.starts_with("cannot read ignore file ci/.trivyignore:"),
            "{message}"
        );
        assert!(message.contains("check the path"), "{message}");
    }
}
