//! `POST /repos/{o}/{r}/code-scanning/sarifs`: the SARIF file, gzipped then base64-encoded as
//! the API requires, for the commit and ref the analysis ran on.

use std::io::Write;
use std::path::Path;

use base64::Engine as _;
use flate2::write::GzEncoder;
use flate2::Compression;
use octocrab::models::code_scannings::UploadSarif;

use super::api::{Api, ApiError, Method};

/// The fields of GitHub's answer we read.
#[derive(serde::Deserialize)]
struct Receipt {
    id: String,
}

/// The `sarif` field: gzip, then base64.
pub fn encode(sarif: &[u8]) -> String {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(sarif).expect("writing to memory cannot fail");
    let compressed = gz.finish().expect("writing to memory cannot fail");
    base64::engine::general_purpose::STANDARD.encode(compressed)
}

/// Uploads `path`; GitHub's id for the upload on success. Reading the file is the caller's
/// (the error names the file).
pub async fn upload(
    api: &Api,
    repository: &str,
    commit_sha: &str,
    git_ref: &str,
    sarif: &[u8],
    path: &Path,
) -> Result<String, ApiError> {
    let body = UploadSarif {
        commit_sha: commit_sha.to_owned(),
        ref_field: git_ref.to_owned(),
        sarif: encode(sarif),
        checkout_uri: None,
        started_at: None,
        tool_name: None,
        validate: None,
    };
    let receipt: Receipt = api
        .json(
            Method::Post,
            &format!("/repos/{repository}/code-scanning/sarifs"),
            Some(&body),
        )
        .await
        .map_err(|e| ApiError {
            request: format!("{} (uploading {})", e.request, path.display()),
            ..e
        })?;
    Ok(receipt.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn encoding_round_trips() {
        let sarif = br#"{"version":"2.1.0","runs":[]}"#;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encode(sarif))
            .unwrap();
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut text)
            .unwrap();
        assert_eq!(text, sarif);
    }
}
