//! Typed errors of the image engine. Every variant names the input it is about, so a user
//! scanning several images knows which one failed and what to do.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The reference syntax is wrong (`oci:` without a directory, an unknown transport…).
    #[error("`{reference}` is not an image reference: {message}")]
    BadReference { reference: String, message: String },
    /// The image is not laid out as its format requires (missing `index.json`, bad manifest).
    #[error("{image}: {message}")]
    Format { image: String, message: String },
    /// A blob's content does not hash to its digest.
    #[error(
        "{image}: blob {expected} has digest {actual}: the image is corrupt or was tampered with; pull or export it again from a source you trust"
    )]
    DigestMismatch {
        image: String,
        expected: String,
        actual: String,
    },
    /// A layer cannot be read (truncated, corrupt compression, hostile tar headers).
    #[error("{image}: layer {layer} ({digest}): {message}")]
    Layer {
        image: String,
        layer: usize,
        digest: String,
        message: String,
    },
    /// No manifest in an index matches the requested platform.
    #[error("{image}: no manifest for platform {platform} (available: {available})")]
    Platform {
        image: String,
        platform: String,
        available: String,
    },
    /// The registry or engine could not be reached, or answered with an error.
    #[error("{image}: {message}")]
    Remote { image: String, message: String },
    /// Credentials were refused or missing.
    #[error("{image}: authentication failed: {message}")]
    Auth { image: String, message: String },
    #[error("{image}: not found: {message}")]
    NotFound { image: String, message: String },
}
